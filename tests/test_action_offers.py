"""The task screen offers an action exactly when the action succeeds (issue 11, "why not").

Hypothesis drives real service calls to random task states (dispatch, acknowledgements,
feedback, urges and answers, extension requests and decisions, contests and decisions,
closure requests, returns, suspensions, days passing across 国庆), then for every role
(admin, office, lead head, supporting staff, unrelated head, leader) and every action:
``ActionState.enabled`` on the screen ⇔ calling the action's typed function with valid
parameters succeeds, in a transaction that is then rolled back.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, select

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import ContestState, Role
from coordboard.errors import CoordboardError, DomainError
from coordboard.models import SupervisionNote, TaskUnit
from coordboard.services import directory, tasks, workflow
from coordboard.services.auth import actor_of
from coordboard.services.detail import TaskDetail, task_detail
from coordboard.services.lights import LightContext
from coordboard.services.permissions import Actor
from coordboard.services.preconditions import TASK_ACTIONS
from coordboard.services.progress import note_kinds
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import load_calendar

START = pendulum.datetime(2026, 9, 24, 9, 30, tz="Asia/Shanghai")  # a week before 国庆
SETTINGS = Settings()


@dataclass
class Office:
    db: Database
    units: dict[str, int]  # lead, support, other
    actors: dict[str, Actor]


@pytest.fixture
def office(db: Database) -> Office:
    with clock.at(START), db.write() as session:
        units = {key: directory.add_department(session, name=name).id or 0
                 for key, name in (("lead", "司法所"), ("support", "派出所"), ("other", "文化站"))}

        def user(name: str, role: Role, unit: int | None) -> Actor:
            return actor_of(directory.add_user(session, username=name, display_name=name,
                                               role=role, password="secret1", department_id=unit))

        actors = {
            "admin": user("admin", Role.ADMIN, None),
            "office": user("office", Role.OFFICE, None),
            "lead": user("lead", Role.HEAD, units["lead"]),
            "support": user("support", Role.STAFF, units["support"]),
            "other": user("other", Role.HEAD, units["other"]),
            "leader": user("leader", Role.LEADER, None),
        }
    return Office(db, units, actors)


# --- driving a task to a random state through the services ----------------------------------

UNITS = st.sampled_from(["lead", "support"])
STEPS = st.one_of(
    st.tuples(st.just("ack"), UNITS),
    st.tuples(st.just("feedback"), UNITS),
    st.tuples(st.just("urge"), st.sampled_from(["lead", "support", "task"])),
    st.tuples(st.just("respond"), UNITS),
    st.tuples(st.just("extend"), UNITS),
    st.tuples(st.just("decide_extension"), st.booleans()),
    st.tuples(st.just("contest"), UNITS),
    st.tuples(st.just("decide_contest"), st.sampled_from(["reject", "remove"])),
    st.tuples(st.just("request_closure"), st.none()),
    st.tuples(st.just("return"), st.none()),
    st.tuples(st.just("accept"), st.none()),
    st.tuples(st.just("suspend"), st.none()),
    st.tuples(st.just("resume"), st.none()),
    st.tuples(st.just("withdraw"), st.none()),
    st.tuples(st.just("days"), st.integers(1, 6)),
)


def _open_note(session: Session, code: str, department_id: int | None) -> int:
    task = tasks.task_by_code(session, code)
    return session.exec(select(SupervisionNote.id).where(
        SupervisionNote.task_id == task.id, col(SupervisionNote.responded_at).is_(None),
        col(SupervisionNote.respond_by).is_not(None),
        (col(SupervisionNote.department_id) == department_id)
        | col(SupervisionNote.department_id).is_(None))
        .order_by(col(SupervisionNote.id))).first() or 0


def _contesting_unit(session: Session, code: str) -> int | None:
    task = tasks.task_by_code(session, code)
    return session.exec(select(TaskUnit.department_id).where(
        TaskUnit.task_id == task.id, TaskUnit.contest_state == ContestState.PENDING)).first()


def _drive(o: Office, code: str, step: tuple[str, Any], now: pendulum.DateTime) -> None:
    kind, arg = step
    a, units = o.actors, o.units
    common = {"code": code, "settings": SETTINGS}

    def go(session: Session) -> None:
        if kind == "ack":
            workflow.acknowledge(session, actor=a[arg], **common)
        elif kind == "feedback":
            workflow.feedback(session, actor=a[arg], body="进展", **common)
        elif kind == "urge":
            workflow.note(session, actor=a["office"], kind="urge", body="请尽快反馈",
                          department_id=units.get(arg), respond_by=now.date() + timedelta(days=3),
                          **common)
        elif kind == "respond":
            workflow.respond(session, actor=a[arg], note_id=_open_note(session, code, units[arg]),
                             response="已办理", **common)
        elif kind == "extend":
            deadline = tasks.task_by_code(session, code).deadline
            workflow.request_extension(session, actor=a[arg], new_deadline=deadline + timedelta(7),
                                       reason="需要协调", **common)
        elif kind == "decide_extension":
            workflow.decide_extension(session, actor=a["office"], approve=arg, **common)
        elif kind == "contest":
            workflow.contest(session, actor=a[arg], reason="不属于本单位职责", **common)
        elif kind == "decide_contest":
            workflow.decide_contest(session, actor=a["office"],
                                    department_id=_contesting_unit(session, code) or 0,
                                    decision=arg, **common)
        elif kind == "request_closure":
            workflow.request_closure(session, actor=a["lead"], **common)
        elif kind == "return":
            workflow.return_for_rework(session, actor=a["office"], reason="佐证不足", **common)
        elif kind == "accept":
            workflow.accept(session, actor=a["office"], **common)
        elif kind in ("suspend", "withdraw"):
            getattr(workflow, kind)(session, actor=a["office"], reason="暂缓", **common)
        elif kind == "resume":
            workflow.resume(session, actor=a["office"], **common)

    try:
        with clock.at(now), o.db.write() as session:
            go(session)
    except CoordboardError:
        pass  # a step the rules refuse leaves the state as it was


# --- valid parameters for each action in the state the screen shows --------------------------

Call = Callable[[Session, Actor], object]


def _calls(o: Office, detail: TaskDetail, today: date) -> dict[str, Call]:
    code, task = detail.task.code, detail.task
    common: dict[str, Any] = {"code": code, "settings": SETTINGS}

    def respond(session: Session, actor: Actor) -> object:
        note_id = detail.notes_to_answer[0].id if detail.notes_to_answer else \
            _open_note(session, code, actor.department_id)
        return workflow.respond(session, actor=actor, note_id=note_id, response="收到", **common)

    def decide_contest(session: Session, actor: Actor) -> object:
        return workflow.decide_contest(session, actor=actor, decision="reject", **common,
                                       department_id=_contesting_unit(session, code) or o.units["lead"])

    return {
        "dispatch": lambda s, a: workflow.dispatch(s, actor=a, **common),
        "acknowledge": lambda s, a: workflow.acknowledge(s, actor=a, **common),
        "feedback": lambda s, a: workflow.feedback(s, actor=a, body="进展", percent=50, **common),
        # The kind the note form offers first for the task's status (a reminder while open).
        "note": lambda s, a: workflow.note(s, actor=a, kind=note_kinds(task.status)[0],
                                           body="提醒", **common),
        "respond": respond,
        "request_extension": lambda s, a: workflow.request_extension(
            s, actor=a, new_deadline=max(task.deadline, today) + timedelta(days=10),
            reason="需要协调", **common),
        "decide_extension": lambda s, a: workflow.decide_extension(s, actor=a, approve=True, **common),
        "contest": lambda s, a: workflow.contest(s, actor=a, reason="不属于本单位职责", **common),
        "decide_contest": decide_contest,
        "request_closure": lambda s, a: workflow.request_closure(s, actor=a, **common),
        "accept": lambda s, a: workflow.accept(s, actor=a, **common),
        "return": lambda s, a: workflow.return_for_rework(s, actor=a, reason="佐证不足", **common),
        "suspend": lambda s, a: workflow.suspend(s, actor=a, reason="暂缓", **common),
        "resume": lambda s, a: workflow.resume(s, actor=a, **common),
        "withdraw": lambda s, a: workflow.withdraw(s, actor=a, reason="撤销", **common),
        "edit": lambda s, a: workflow.edit(s, actor=a, changes={"title": "新标题"}, **common),
        # A stage on the deadline, for the first of the task's units.
        "edit_stages": lambda s, a: workflow.add_stage(
            s, actor=a, title="调研", due=task.deadline,
            department_id=detail.unit_choices[0].department_id, **common),
        # The task has no stages: refused by the screen and the service alike.
        "reach_stage": lambda s, a: workflow.reach_stage(s, actor=a, seq=1, **common),
    }


def _succeeds(db: Database, call: Call, actor: Actor) -> tuple[bool, str]:
    """Run the action and roll it back: (succeeded, the refusal)."""
    with Session(db.write_engine, expire_on_commit=False) as session:
        session.begin()
        try:
            call(session, actor)
            return True, ""
        except CoordboardError as exc:
            return False, f"{exc.key}: {exc}"
        finally:
            session.rollback()


def check_offers_match_outcomes(o: Office, code: str, now: pendulum.DateTime) -> int:
    checked = 0
    with clock.at(now):
        for role, actor in o.actors.items():
            with o.db.read() as session:
                ctx = LightContext.build(SETTINGS, load_calendar(session))
                detail = task_detail(session, actor=actor, code=code, ctx=ctx, settings=SETTINGS)
            offered = {state.action: state for state in detail.actions}
            calls = _calls(o, detail, ctx.today)
            assert set(calls) == set(TASK_ACTIONS)
            for action in TASK_ACTIONS:
                state = offered.get(action)  # absent: never this role's business
                ok, refusal = _succeeds(o.db, calls[action], actor)
                enabled = state is not None and state.enabled
                assert enabled == ok, (
                    f"{role} {action} on {detail.task.status}: screen "
                    f"{'offers it' if enabled else 'refuses: ' + (state.reason if state else 'hidden')}"
                    f", service {'took it' if ok else 'refused: ' + refusal}")
                if state is not None and not state.enabled:
                    assert state.reason, (role, action)
                checked += 1
    return checked


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
          deadline=None)
@given(deadline_days=st.integers(-2, 20), dispatch=st.booleans(),
       steps=st.lists(STEPS, max_size=10), later=st.integers(0, 12))
def test_offered_on_the_screen_iff_the_action_succeeds(office: Office, deadline_days: int,
                                                       dispatch: bool, steps: list[tuple[str, Any]],
                                                       later: int) -> None:
    o = office
    now = START
    with clock.at(now), o.db.write() as session:
        code = tasks.register(
            session, actor_id=o.actors["office"].user_id, title="事项", today=now.date(),
            lead=UnitAssignment(o.units["lead"], "牵头"),
            supporters=[UnitAssignment(o.units["support"], "配合")],
            deadline=max(now.date() + timedelta(days=deadline_days), now.date())).code
    if dispatch:
        with clock.at(now), o.db.write() as session:
            workflow.dispatch(session, actor=o.actors["office"], code=code, settings=SETTINGS)
        for step in steps:
            if step[0] == "days":
                now = now.add(days=step[1])
            else:
                _drive(o, code, step, now)
    assert check_offers_match_outcomes(o, code, now.add(days=later)) == 6 * len(TASK_ACTIONS)


# --- the two rules the old screen copy got wrong or left untested -----------------------------

def _dispatched(o: Office) -> str:
    with clock.at(START), o.db.write() as session:
        code = tasks.register(session, actor_id=None, title="事项", today=START.date(),
                              lead=UnitAssignment(o.units["lead"]),
                              supporters=[UnitAssignment(o.units["support"])],
                              deadline=date(2026, 10, 30)).code
        workflow.dispatch(session, actor=o.actors["office"], code=code, settings=SETTINGS)
    return code


def _state(o: Office, role: str, code: str, action: str) -> Any:
    with clock.at(START), o.db.read() as session:
        ctx = LightContext.build(SETTINGS, load_calendar(session))
        detail = task_detail(session, actor=o.actors[role], code=code, ctx=ctx, settings=SETTINGS)
    return next(state for state in detail.actions if state.action == action)


def test_silent_supporter_blocks_closure_on_the_screen_and_in_the_service(office: Office) -> None:
    o = office
    code = _dispatched(o)
    with clock.at(START), o.db.write() as session:
        workflow.feedback(session, actor=o.actors["lead"], code=code, settings=SETTINGS, body="进展")
    state = _state(o, "lead", code, "request_closure")
    assert not state.enabled and "派出所" in state.reason  # the silent supporter, by name
    with clock.at(START), o.db.write() as session, pytest.raises(DomainError) as refused:
        workflow.request_closure(session, actor=o.actors["lead"], code=code, settings=SETTINGS)
    assert refused.value.key == "error.supporters_silent" and str(refused.value) == state.reason
    with clock.at(START), o.db.write() as session:
        workflow.feedback(session, actor=o.actors["support"], code=code, settings=SETTINGS,
                          body="配合完成")
    assert _state(o, "lead", code, "request_closure").enabled


def test_a_second_acknowledgement_is_refused_on_the_screen_and_in_the_service(office: Office) -> None:
    o = office
    code = _dispatched(o)
    assert _state(o, "support", code, "acknowledge").enabled
    with clock.at(START), o.db.write() as session:
        workflow.acknowledge(session, actor=o.actors["support"], code=code, settings=SETTINGS)
    state = _state(o, "support", code, "acknowledge")
    assert not state.enabled
    with clock.at(START), o.db.write() as session, pytest.raises(DomainError) as refused:
        workflow.acknowledge(session, actor=o.actors["support"], code=code, settings=SETTINGS)
    assert refused.value.key == "error.already_acknowledged" and str(refused.value) == state.reason


def test_a_note_to_another_unit_cannot_be_answered_for_it(office: Office) -> None:
    o = office
    code = _dispatched(o)
    with clock.at(START), o.db.write() as session:
        note = workflow.note(session, actor=o.actors["office"], code=code, settings=SETTINGS,
                             kind="urge", body="请反馈", department_id=o.units["lead"],
                             respond_by=date(2026, 9, 29))
        note_id = note.id or 0
    assert not _state(o, "support", code, "respond").enabled
    with clock.at(START), o.db.write() as session, pytest.raises(DomainError):
        workflow.respond(session, actor=o.actors["support"], code=code, settings=SETTINGS,
                         note_id=note_id, response="代为回复")
    assert _state(o, "lead", code, "respond").enabled
