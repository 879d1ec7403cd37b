"""Each rule's SQL filter and Python verdict agree, and the board's counts equal its rows.

Hypothesis generates a small ledger (tasks in every status, units that did or did not
acknowledge and report, reminders / urges / letters answered or not, stages (阶段节点) reached
or not, extended deadlines, closure requests on time or late, closures) and a "today",
around 2025 and 2026 春节 and 国庆 with their 调休 days, at any hour (the office's day and
UTC's differ at night).
Each example is written in one transaction on SQLite and PostgreSQL and rolled back.
"""

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import not_
from sqlmodel import Session, col, select

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Light, NoteKind, TaskStatus, UnitRole
from coordboard.models import Department, SupervisionNote, Task, TaskStage, TaskUnit
from coordboard.services import board, progress, rules, stages, tasks
from coordboard.services.lights import LightContext, UnitFacts
from coordboard.services.workdays import WorkCalendar

TZ = "Asia/Shanghai"
ANCHORS = (date(2025, 1, 28), date(2025, 10, 1), date(2026, 2, 15), date(2026, 10, 1))
UNITS = ("司法所", "派出所", "文化站", "李家村")
STATUSES = tuple(TaskStatus)


def instant(day: date, hour: int, minute: int = 0) -> datetime:
    return pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=TZ).in_timezone("UTC")


@st.composite
def unit_facts(draw: Any, dispatched: date, today: date) -> dict[str, Any]:
    span = max(0, (today - dispatched).days)

    def maybe_after() -> datetime | None:
        if draw(st.booleans()):
            return None
        return instant(dispatched + timedelta(days=draw(st.integers(0, span))),
                       draw(st.integers(0, 23)), draw(st.integers(0, 59)))

    return {"feedback": maybe_after(), "ack": maybe_after()}


@st.composite
def a_task(draw: Any, today: date) -> dict[str, Any]:
    dispatched = today - timedelta(days=draw(st.integers(0, 30)))
    original = dispatched + timedelta(days=draw(st.integers(0, 40)))
    deadline = original + timedelta(days=draw(st.sampled_from([0, 0, 0, 5, 14])))
    status = draw(st.sampled_from(STATUSES))
    n_units = draw(st.integers(1, len(UNITS)))
    units = [draw(unit_facts(dispatched, today)) for _ in range(n_units)]
    requested = None
    if status in (TaskStatus.CLOSURE_REQUESTED, TaskStatus.CLOSED) and draw(st.integers(0, 5)):
        requested = dispatched + timedelta(days=draw(st.integers(0, max(0, (today - dispatched).days))))
    closed_at = None
    if status == TaskStatus.CLOSED:
        closed_on = (requested or dispatched) + timedelta(days=draw(st.integers(0, 10)))
        closed_at = instant(min(closed_on, today), draw(st.integers(0, 23)))
    notes = []
    for _ in range(draw(st.integers(0, 2))):
        sent = dispatched + timedelta(days=draw(st.integers(0, max(0, (today - dispatched).days))))
        notes.append({
            "kind": draw(st.sampled_from([NoteKind.REMINDER, NoteKind.URGE, NoteKind.LETTER])),
            "sent": instant(sent, draw(st.integers(8, 18))),
            "respond_by": sent + timedelta(days=draw(st.integers(0, 6))),
            "unit": draw(st.one_of(st.none(), st.integers(0, n_units - 1))),
            "answered": draw(st.booleans()),
        })
    stages = [{"due": today + timedelta(days=draw(st.integers(-3, 3))),  # around today's edge
               "unit": draw(st.integers(0, n_units - 1)), "reached": draw(st.booleans())}
              for _ in range(draw(st.integers(0, 2)))]
    return {"dispatched": instant(dispatched, draw(st.integers(0, 23)), draw(st.integers(0, 59))),
            "original": original, "deadline": deadline, "status": status, "units": units,
            "requested": requested, "closed_at": closed_at, "notes": notes, "stages": stages}


@st.composite
def a_ledger(draw: Any) -> tuple[datetime, list[dict[str, Any]]]:
    today = draw(st.sampled_from(ANCHORS)) + timedelta(days=draw(st.integers(-20, 25)))
    now = instant(today, draw(st.integers(0, 23)), draw(st.integers(0, 59)))
    return now, draw(st.lists(a_task(today), min_size=1, max_size=8))


def _write(session: Session, now: datetime, specs: list[dict[str, Any]]) -> None:
    departments = []
    for name in UNITS:
        department = Department(name=name, short_name=name)
        session.add(department)
        departments.append(department)
    session.flush()
    for seq, spec in enumerate(specs, start=1):
        task = Task(code=f"DB-T-{seq:03d}", year=2026, seq=seq, title="事项", status=spec["status"],
                    deadline=spec["deadline"], original_deadline=spec["original"],
                    created_at=spec["dispatched"], updated_at=spec["dispatched"],
                    dispatched_at=None if spec["status"] == TaskStatus.DRAFT else spec["dispatched"],
                    closure_requested_on=spec["requested"], closed_at=spec["closed_at"],
                    lead_department_id=departments[0].id)
        session.add(task)
        session.flush()
        for index, facts in enumerate(spec["units"]):
            session.add(TaskUnit(task_id=task.id or 0, department_id=departments[index].id or 0,
                                 role=UnitRole.LEAD if index == 0 else UnitRole.SUPPORT,
                                 last_feedback_at=facts["feedback"], acknowledged_at=facts["ack"]))
        for note in spec["notes"]:
            unit = note["unit"]
            session.add(SupervisionNote(
                task_id=task.id or 0, kind=note["kind"], body="请反馈", created_at=note["sent"],
                department_id=None if unit is None else departments[unit].id,
                respond_by=note["respond_by"], responded_at=now if note["answered"] else None))
        for number, stage in enumerate(spec["stages"], start=1):
            session.add(TaskStage(task_id=task.id or 0, seq=number, title="节点", due=stage["due"],
                                  department_id=departments[stage["unit"]].id or 0,
                                  reached_at=now if stage["reached"] else None))
        session.flush()
        tasks.refresh_report_times(session, task)  # the writers' own denormalisation
        progress.refresh_open_urges(session, task)
        stages.refresh_next_stage_due(session, task)
        session.add(task)
    session.flush()


RULES = {
    # name: (SQL, Python verdict over a task and its units)
    "open": (lambda ctx: rules.open_sql(), lambda task, units, ctx: rules.is_open(task)),
    "clock_stopped": (lambda ctx: rules.clock_stopped_sql(),
                      lambda task, units, ctx: rules.is_clock_stopped(task)),
    "overdue": (rules.overdue_sql, lambda task, units, ctx: rules.is_overdue(task, ctx)),
    "due_soon": (rules.due_soon_sql, lambda task, units, ctx: rules.is_due_soon(task, ctx)),
    "urge_unanswered": (rules.urge_unanswered_sql,
                        lambda task, units, ctx: rules.is_urge_unanswered(task, ctx)),
    "silent": (rules.silent_sql, lambda task, units, ctx: rules.is_silent(task, ctx)),
    "late_ack": (rules.late_ack_sql, lambda task, units, ctx: rules.is_late_ack(task, units, ctx)),
    "behind_pace": (rules.behind_pace_sql, lambda task, units, ctx: rules.is_behind_pace(task, ctx)),
    "on_time": (lambda ctx: rules.on_time_sql(), lambda task, units, ctx: rules.is_on_time(task)),
    # Scoring judges by the original deadline when no extension asked in time was approved.
    "on_time by the original deadline": (
        lambda ctx: rules.on_time_sql(col(Task.original_deadline)),
        lambda task, units, ctx: rules.is_on_time(task, task.original_deadline)),
    "scored overdue": (
        lambda ctx: rules.scored_overdue_sql(col(Task.original_deadline), ctx.today),
        lambda task, units, ctx: rules.is_scored_overdue(task, task.original_deadline, ctx.today)),
    "lagging": (lambda ctx: rules.lagging_sql(ctx.today, ctx.now),
                lambda task, units, ctx: rules.is_lagging(task, ctx.today, ctx.now)),
    "urge lagging": (lambda ctx: rules.urge_lagging_sql(ctx.today, ctx.now),
                     lambda task, units, ctx: rules.is_urge_lagging(task, ctx.today, ctx.now)),
}


def _check(session: Session, ctx: LightContext) -> None:
    all_tasks = list(session.exec(select(Task).order_by(col(Task.id))).all())
    ids = {task.id for task in all_tasks}
    facts: dict[int, list[UnitFacts]] = {task.id or 0: [] for task in all_tasks}
    for unit in session.exec(select(TaskUnit).order_by(col(TaskUnit.id))).all():
        facts[unit.task_id].append(UnitFacts("", unit.role, unit.last_feedback_at,
                                             unit.acknowledged_at))
    for name, (sql, verdict) in RULES.items():
        expression = sql(ctx)
        chosen = set(session.exec(select(Task.id).where(expression)).all())
        refused = set(session.exec(select(Task.id).where(not_(expression))).all())
        expected = {task.id for task in all_tasks if verdict(task, facts[task.id or 0], ctx)}
        assert chosen == expected, name
        assert refused == ids - expected, f"{name}: NOT must hold where the rule does not (NULLs)"
    # Per unit: silence and late acknowledgement.
    for name, sql, verdict in (("unit_silent", rules.unit_silent_sql, rules.is_unit_silent),
                               ("unit_late_ack", rules.unit_late_ack_sql, rules.is_unit_late_ack)):
        pairs = session.exec(select(TaskUnit, Task).join(Task, col(Task.id) == TaskUnit.task_id)).all()
        chosen = set(session.exec(select(TaskUnit.id).join(Task, col(Task.id) == TaskUnit.task_id)
                                  .where(sql(ctx))).all())
        expected = {unit.id for unit, task in pairs if verdict(
            task, UnitFacts("", unit.role, unit.last_feedback_at, unit.acknowledged_at), ctx)}
        assert chosen == expected, name
    # An unanswered note (per note) is what the task's urge rule sees.
    late_notes = set(session.exec(select(SupervisionNote.task_id)
                                  .where(rules.note_unanswered_sql(ctx.today))).all())
    notes = session.exec(select(SupervisionNote)).all()
    assert late_notes == {n.task_id for n in notes if rules.is_note_unanswered(n, ctx.today)}
    for task in all_tasks:
        if rules.is_open(task) and not rules.is_clock_stopped(task):
            assert rules.is_urge_unanswered(task, ctx) == (task.id in late_notes), task.code
    # A late stage (per stage) is what the task's pace rule sees.
    late_stages = set(session.exec(select(TaskStage.task_id)
                                   .where(rules.stage_late_sql(ctx.today))).all())
    assert late_stages == {s.task_id for s in session.exec(select(TaskStage)).all()
                           if rules.is_stage_late(s, ctx.today)}
    # As of a past day (the bulletin's): reached at or after the instant is not reached yet.
    for before in (ctx.now, ctx.now + timedelta(seconds=1)):
        assert set(session.exec(select(TaskStage.id).where(
            rules.stage_late_sql(ctx.today, before))).all()) == {
            s.id for s in session.exec(select(TaskStage)).all()
            if rules.is_stage_late(s, ctx.today, before)}
    for task in all_tasks:
        if rules.is_open(task) and not rules.is_clock_stopped(task):
            assert rules.is_behind_pace(task, ctx) == (task.id in late_stages), task.code
    # The light: SQL CASE, SQL filter, the board's Python verdict with reasons.
    lights = dict(session.exec(select(Task.id, rules.light_case(ctx))).all())
    rows = board.rows_for(session, all_tasks, ctx)
    for row in rows:
        assert row.verdict.light.value == lights[row.task.id], row.task.code
        assert row.verdict.light == rules.light_of(row.task, facts[row.task.id or 0], ctx)
        if row.verdict.light in (Light.RED, Light.YELLOW):
            assert row.verdict.reasons, row.task.code
    counts = board.count_by_light(session, board.BoardFilter(), ctx)
    assert counts == dict(Counter(lights.values()))
    for light in Light:
        page = board.page(session, board.BoardFilter(light=light), ctx, limit=100)
        assert page.total == counts.get(light.value, 0)
        assert {row.verdict.light for row in page.rows} <= {light}
    overdue_page = board.page(session, board.BoardFilter(overdue=True), ctx, limit=100)
    assert {row.task.id for row in overdue_page.rows} == {
        task.id for task in all_tasks if rules.is_overdue(task, ctx)}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ledger=a_ledger(), ack=st.integers(1, 3), period=st.integers(1, 7),
       yellow=st.integers(1, 5))
def test_sql_and_python_agree_on_every_rule(db: Database, ledger: tuple[datetime, list[dict[str, Any]]],
                                            ack: int, period: int, yellow: int) -> None:
    now, specs = ledger
    office = Settings(ack_workdays=ack, feedback_period_workdays=period, yellow_workdays=yellow)
    with Session(db.engine) as session, pendulum.travel_to(pendulum.instance(now), freeze=True):
        try:
            _write(session, now, specs)
            _check(session, LightContext.build(office, WorkCalendar()))
        finally:
            session.rollback()
