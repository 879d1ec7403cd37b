"""Random offices: users of every role take random actions with hostile text, on SQLite and
PostgreSQL, while the clock crosses holidays and 调休 days.

After every step the invariants a supervision record must keep are checked:

- nothing fails but the project's own errors, each with a sentence in both catalogues;
- the audit chain verifies;
- every task's light computed in SQL equals the light computed in Python, each light
  filter selects exactly the tasks of that light, and the board's counts equal its rows;
- every report renders (ledger XLSX, bulletin DOCX and Markdown, scores XLSX);
- text that was accepted is stored exactly as it was typed.

The number of examples and steps comes from the hypothesis profile (``ci`` by default,
``dev`` for long local runs: ``HYPOTHESIS_PROFILE=dev``).
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pendulum
import pytest
from acting import act
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import text as sql_text
from sqlmodel import col, select

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Light, NoteKind, Role
from coordboard.errors import CoordboardError
from coordboard.i18n import CATALOGUES
from coordboard.models import Feedback, SupervisionNote, Task
from coordboard.services import audit, board, directory, escalation, review, scores, tasks
from coordboard.services.auth import actor_of
from coordboard.services.lights import LightContext, light_case, light_filter
from coordboard.services.permissions import Actor, authorize
from coordboard.services.reports import bulletin, bulletin_text, ledger
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import load_calendar, set_override

START = pendulum.datetime(2026, 9, 24, 9, 30, tz="Asia/Shanghai")  # a week before 国庆

HOSTILE = [
    "[b]粗体[/b]", "[/]", "[@click=app.quit]退出[/]", "\x1b[2J清屏", "\x1b]0;pwned\x07",
    "\x1b[6n", "\x1bc", "\x9b31m", "\x90dcs\x9c", "\u202e反向", "\u2066隔离\u2069", "换\n行",
    "制\t表", "\x00空", "\x07铃", "100%", "a_b", "%_%", "   ", "", "x" * 20_000,
    "\ud800", "普通的进展说明",
]
texts = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))
actions = ("acknowledge", "feedback", "contest", "note", "respond", "request_extension",
           "decide_extension", "decide_contest", "request_closure", "accept", "return",
           "suspend", "resume", "withdraw", "edit", "dispatch")


def _translated(exc: CoordboardError) -> bool:
    return all(exc.key in catalogue for catalogue in CATALOGUES.values())


class Office(RuleBasedStateMachine):
    """One town; the state machine's bundles hold task codes."""

    make_url: Any = None  # set per backend by the test
    out_dir: Path = Path(".")
    check_reports = True

    codes = Bundle("codes")

    def __init__(self) -> None:
        super().__init__()
        self.url, self.drop = self.make_url()
        self.db = Database.from_url(self.url)
        self.settings = Settings()
        self.now = START
        self.entered: dict[tuple[str, int], str] = {}  # (table, id) → text as typed
        self.steps = 0

    # --- helpers ---------------------------------------------------------------------

    def write(self, what: str, fn: Any) -> Any:
        """Run ``fn(session)`` in a write transaction at the machine's clock; a domain
        refusal is an allowed outcome (and must be a translated sentence)."""
        self.steps += 1
        try:
            with clock.at(self.now), self.db.write() as session:
                result = fn(session)
        except CoordboardError as exc:
            assert _translated(exc), exc.key
            str(exc)  # renders
            event(f"{what}: refused ({exc.key})")
            return None
        event(f"{what}: done")
        return result

    def actor(self, role: str, index: int = 0) -> Actor:
        users = self.users[role]
        return users[index % len(users)]

    # --- setup -----------------------------------------------------------------------

    @initialize(target=codes)
    def town(self) -> Any:
        password_hash = directory.hash_password("secret1")
        self.users: dict[str, list[Actor]] = {}
        with clock.at(self.now), self.db.write() as session:
            self.units = [directory.add_department(session, name=name).id or 0
                          for name in ("司法所", "派出所", "文化站", "\x1b[31m红字单位")]

            def user(name: str, role: str, unit: int | None) -> Actor:
                created = directory.add_user(session, username=name, display_name=f"{name}\x1b]0;x\x07",
                                             role=role, password="secret1", department_id=unit,
                                             password_hash=password_hash)
                return actor_of(created)

            self.users["office"] = [user("office", Role.OFFICE, None)]
            self.users["head"] = [user(f"head{i}", Role.HEAD, unit) for i, unit in enumerate(self.units)]
            self.users["leader"] = [user("leader", Role.LEADER, None)]
            self.users["admin"] = [user("admin", Role.ADMIN, None)]
        return multiple()

    # --- rules -------------------------------------------------------------------------

    @rule(target=codes, title=texts, lead=st.integers(0, 3), support=st.sets(st.integers(0, 3), max_size=3),
          part=texts, days=st.integers(-3, 400), by_workdays=st.booleans(), dispatch=st.booleans(),
          who=st.sampled_from(["office", "head", "leader", "admin"]))
    def register(self, title: str, lead: int, support: set[int], part: str, days: int,
                 by_workdays: bool, dispatch: bool, who: str) -> Any:
        actor = self.actor(who, lead)

        def go(session: Any) -> str:
            authorize(actor, "register")
            today = clock.today(self.settings.timezone)
            created = tasks.register(
                session, actor_id=actor.user_id, title=title,
                lead=UnitAssignment(self.units[lead], part),
                supporters=[UnitAssignment(self.units[s], part) for s in sorted(support - {lead})],
                deadline=None if by_workdays else today + timedelta(days=days),
                workdays=days if by_workdays else None, today=today)
            self.entered[("task", created.id or 0)] = title
            if dispatch:
                act(session, actor=actor, code=created.code, action="dispatch", settings=self.settings)
            return created.code

        code = self.write("register", go)
        return multiple(code) if code else multiple()

    @rule(code=codes, action=st.sampled_from(actions), who=st.sampled_from(["office", "head", "leader"]),
          index=st.integers(0, 3), body=texts, percent=st.one_of(st.none(), st.integers(-5, 105)),
          days=st.integers(-5, 60), approve=st.booleans(), kind=st.sampled_from(list(NoteKind)),
          unit=st.one_of(st.none(), st.integers(0, 3)),
          decision=st.sampled_from(["reject", "reassign", "remove", "make_lead"]))
    def act_on_task(self, code: str, action: str, who: str, index: int, body: str,
                    percent: int | None, days: int, approve: bool, kind: str, unit: int | None,
                    decision: str) -> None:
        actor = self.actor(who, index)
        today = self.now.in_timezone(self.settings.timezone).date()
        department = self.units[unit] if unit is not None else None

        def params(session: Any) -> dict[str, Any]:
            if action == "feedback":
                return {"body": body, "percent": percent}
            if action in ("contest", "return", "suspend", "withdraw"):
                return {"reason": body}
            if action == "note":
                respond_by = today + timedelta(days=days) if kind in ("reminder", "urge", "letter") else None
                return {"kind": kind, "body": body, "department_id": department,
                        "respond_by": respond_by}
            if action == "respond":
                task = tasks.task_by_code(session, code)
                note_id = session.exec(select(SupervisionNote.id).where(
                    SupervisionNote.task_id == task.id).order_by(col(SupervisionNote.id).desc())).first()
                return {"note_id": note_id or 0, "response": body}
            if action == "request_extension":
                task = tasks.task_by_code(session, code)
                return {"new_deadline": task.deadline + timedelta(days=days), "reason": body}
            if action == "decide_extension":
                return {"approve": approve, "note": body}
            if action == "decide_contest":
                return {"department_id": department or self.units[0], "decision": decision,
                        "note": body, "new_department_id": self.units[(index + 1) % 4]}
            if action == "edit":
                return {"title": body}
            return {}

        def go(session: Any) -> None:
            given = params(session)
            result = act(session, actor=actor, code=code, action=action, settings=self.settings, **given)
            if action == "feedback" and isinstance(result, Feedback):
                self.entered[("feedback", result.id or 0)] = body
            if action == "note" and isinstance(result, SupervisionNote):
                self.entered[("note", result.id or 0)] = body
            if action == "edit" and isinstance(result, Task):
                self.entered[("task", result.id or 0)] = body

        self.write(action, go)

    @rule()
    def escalate(self) -> None:
        actor = self.actor("office")

        def go(session: Any) -> None:
            authorize(actor, "note")
            escalation.escalate(session, today=self.now.in_timezone(self.settings.timezone).date(),
                                actor_id=actor.user_id, calendar=load_calendar(session),
                                timezone=self.settings.timezone)

        self.write("escalate", go)

    @rule(who=st.sampled_from(["office", "head"]), attendees=texts, again=st.booleans())
    def start_review(self, who: str, attendees: str, again: bool) -> None:
        self.write("review start", lambda session: review.start(
            session, actor=self.actor(who), settings=self.settings, attendees=attendees,
            again=again))

    @rule(position=st.integers(1, 40), body=texts, kind=st.one_of(st.none(), st.sampled_from(list(NoteKind))))
    def decide_item(self, position: int, body: str, kind: str | None) -> None:
        def go(session: Any) -> None:
            current = review.open_review(session)
            if current is None:
                return
            from coordboard.models import ReviewItem

            item = session.exec(select(ReviewItem).where(
                ReviewItem.review_id == current.id, ReviewItem.position == position)).first()
            if item is None:
                return
            review.record_decision(session, actor=self.actor("office"), settings=self.settings,
                                   item_id=item.id or 0, text=body, note_kind=kind)

        self.write("review decide", go)

    @rule(attendees=texts, next_steps=texts, force=st.booleans())
    def close_review(self, attendees: str, next_steps: str, force: bool) -> None:
        def go(session: Any) -> None:
            current = review.open_review(session)
            if current is not None:
                review.close(session, actor=self.actor("office"), review_id=current.id or 0,
                             attendees=attendees, next_steps=next_steps, force=force)

        self.write("review close", go)

    @rule(offset=st.integers(0, 60), workday=st.booleans(), note=texts)
    def calendar_override(self, offset: int, workday: bool, note: str) -> None:
        day = self.now.date() + timedelta(days=offset)
        self.write("calendar", lambda session: set_override(
            session, day=day, is_workday=workday, note=note[:200], actor_id=self.actor("admin").user_id))

    @rule(days=st.integers(1, 12), hours=st.integers(0, 23))
    def time_passes(self, days: int, hours: int) -> None:
        self.now = self.now.add(days=days, hours=hours)

    # --- invariants ----------------------------------------------------------------------

    @invariant()
    def audit_chain_verifies(self) -> None:
        with self.db.read() as session:
            report = audit.verify(session)
        assert report.problem is None, (report.problem, report.params)

    @invariant()
    def sql_and_python_lights_agree(self) -> None:
        with clock.at(self.now), self.db.read() as session:
            ctx = LightContext.build(self.settings, load_calendar(session))
            sql = dict(session.execute(select(Task.id, light_case(ctx))).all())  # type: ignore[call-overload]
            for light in Light:
                chosen = set(session.exec(select(Task.id).where(light_filter(ctx, light))).all())
                assert chosen == {tid for tid, value in sql.items() if value == light.value}, light
            page = board.page(session, board.BoardFilter(), ctx, limit=10_000)
            assert page.total == len(page.rows) == len(sql)
            for row in page.rows:
                assert row.verdict.light.value == sql[row.task.id], row.task.code
            counts = board.count_by_light(session, board.BoardFilter(), ctx)
            assert sum(counts.values()) == page.total

    @invariant()
    def text_is_stored_as_typed(self) -> None:
        with self.db.read() as session:
            for (table, row_id), typed in self.entered.items():
                if table == "feedback":
                    stored = session.get(Feedback, row_id)
                    assert stored is not None and stored.body == typed
                elif table == "note":
                    stored_note = session.get(SupervisionNote, row_id)
                    assert stored_note is not None and stored_note.body == typed
                else:
                    task = session.get(Task, row_id)
                    assert task is not None and task.title in (typed, typed.strip())

    @invariant()
    def every_report_renders(self) -> None:
        if not self.check_reports or self.steps % 4:  # files every few steps, not every one
            return
        today = self.now.in_timezone(self.settings.timezone).date()
        with clock.at(self.now), self.db.read() as session:
            ledger.write(session, self.settings, board.BoardFilter(), self.out_dir / "ledger.xlsx")
            data = bulletin.build(session, self.settings, review.iso_week(today))
            bulletin_text.to_markdown(data)
            bulletin.to_docx(data, self.out_dir / "bulletin.docx")
            sheet = scores.scoreboard(session, self.settings, today - timedelta(days=60), today)
            scores.write_xlsx(sheet, self.out_dir / "scores.xlsx")

    def teardown(self) -> None:
        self.db.dispose()
        self.drop()


def _urls(backend: str, tmp_path: Path, request: pytest.FixtureRequest, sqlite_template: Path) -> Any:
    from itertools import count

    numbers = count()
    if backend == "sqlite":
        def make() -> tuple[str, Any]:
            target = tmp_path / f"machine-{next(numbers)}.db"
            shutil.copy(sqlite_template, target)
            return f"sqlite:///{target}", lambda: None
        return make

    pg = request.getfixturevalue("pg_server")
    if pg is None:
        pytest.skip("PostgreSQL binaries not found (set COORDBOARD_PG_BIN); PostgreSQL case skipped")

    def make_pg() -> tuple[str, Any]:
        name = f"machine_{next(numbers)}"
        with pg.admin.connect() as conn:
            conn.execute(sql_text(f'DROP DATABASE IF EXISTS "{name}"'))
            pg.clone(conn, name)

        def drop() -> None:
            with pg.admin.connect() as conn:
                conn.execute(sql_text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        return pg.url(name), drop
    return make_pg


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_random_offices_keep_every_invariant(backend: str, tmp_path: Path,
                                             request: pytest.FixtureRequest,
                                             sqlite_template: Path) -> None:
    machine = type(f"Office_{backend}", (Office,), {
        "make_url": staticmethod(_urls(backend, tmp_path, request, sqlite_template)),
        "out_dir": tmp_path,
    })
    # A third of the profile's examples: each one is a whole office's history.
    run_state_machine_as_test(machine, settings=settings(
        max_examples=max(4, settings.default.max_examples // 3), deadline=None,
        suppress_health_check=list(HealthCheck)))
