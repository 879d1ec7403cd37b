"""The supervision rules, each defined once, its SQL expression beside its Python verdict.

Every rule below comes as a pair: ``<rule>_sql(ctx)`` is a WHERE clause over ``task``
(to filter, count and sort a whole board in one query) and ``is_<rule>(task, ...)``
answers the same question for one task already in memory. The two are proven equal
by a property test (tests/test_rules_property.py) on SQLite and PostgreSQL. Board,
home, review agenda, scores and the reports call these; nothing restates them.

The rules (docs/rules.md says them in plain words, with their settings):

- **overdue**: open, the deadline has passed, and the clock is not stopped;
- **clock stopped**: the lead unit asked for closure on or before the deadline and the
  office has not decided yet (a return clears the request date, and the clock runs);
- **urge unanswered**: open, clock running, a reminder / urge / letter past its respond-by date;
- **due soon**: open, clock running, the deadline within ``yellow_workdays`` working days;
- **silent**: a unit has not reported for more than ``feedback_period_workdays`` working
  days, counted from the later of dispatch and its last report;
- **late acknowledgement**: a unit has not acknowledged within ``ack_workdays`` working
  days of dispatch;
- **behind pace**: open, clock running, a stage (阶段节点) due before today not reached
  (the task's ``next_stage_due``, kept by services/stages.py);
- **light**: red = overdue or urge unanswered; yellow = due soon, silent, late
  acknowledgement or behind pace; green otherwise; none when not open;
- **on time**: closed, and the closure was requested on or before the (scoring) deadline.

Silence and acknowledgement are asked of a unit only while the task is being handled
(assigned, acknowledged, in progress): once the lead unit has asked for closure the
office holds the task.

Each ``_sql`` rule tests its most selective column first (a date against today) and
the task's status last: SQLite stops at a conjunction's first false term, and a status
test is a list look-up on every row (measured at 100,000 tasks: the bulletin's totals
0.23 -> 0.10 s, its per-unit tally 0.14 -> 0.07 s). The order changes no verdict.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pendulum
from sqlalchemy import ColumnElement, and_, case, exists, func, literal, not_, or_, select
from sqlmodel import col

from coordboard import clock
from coordboard.config import Settings
from coordboard.enums import OPEN_STATUSES, Light, TaskStatus
from coordboard.models import SupervisionNote, Task, TaskStage, TaskUnit
from coordboard.services.workdays import WorkCalendar

OPEN = tuple(str(s) for s in OPEN_STATUSES)
NOT_SCORED = (str(TaskStatus.DRAFT), str(TaskStatus.WITHDRAWN))  # never dispatched, or called off
# Statuses in which units are expected to acknowledge and report.
HANDLING = (str(TaskStatus.ASSIGNED), str(TaskStatus.ACKNOWLEDGED), str(TaskStatus.IN_PROGRESS))


def cutoff_day(calendar: WorkCalendar, today: date, workdays: int) -> date:
    """The first day ``d`` with at most ``workdays`` working days in (d, today].

    A period that started on a day before the cutoff has run out: its unit is silent,
    or late to acknowledge. Walking back from today keeps this exact on holidays and
    调休 days (a holiday adds nothing, a makeup Saturday counts)."""
    day, counted = today, 0
    while counted + calendar.is_workday(day) <= workdays:
        counted += calendar.is_workday(day)
        day -= timedelta(days=1)
    return day


def day_start(day: date, timezone: str) -> datetime:
    """The instant a local day begins, in UTC (to compare with stored instants)."""
    return pendulum.datetime(day.year, day.month, day.day, tz=timezone).in_timezone("UTC")


@dataclass(frozen=True)
class LightContext:
    """Today's thresholds, computed once per query rather than once per row."""

    today: date
    now: datetime
    yellow_until: date  # a deadline on or before this day is due soon
    silent_before: datetime  # a unit last heard from before this instant is silent
    ack_before: datetime  # a unit dispatched before this instant and not acknowledged is late
    calendar: WorkCalendar
    feedback_period_workdays: int
    ack_workdays: int
    timezone: str = "Asia/Shanghai"

    @classmethod
    def build(cls, settings: Settings, calendar: WorkCalendar) -> "LightContext":
        today = clock.today(settings.timezone)
        period = settings.feedback_period_workdays
        return cls(
            today=today,
            now=clock.now(),
            yellow_until=calendar.add_workdays(today, settings.yellow_workdays),
            silent_before=day_start(cutoff_day(calendar, today, period), settings.timezone),
            ack_before=day_start(cutoff_day(calendar, today, settings.ack_workdays),
                                 settings.timezone),
            calendar=calendar,
            feedback_period_workdays=period,
            ack_workdays=settings.ack_workdays,
            timezone=settings.timezone,
        )

    @property
    def feedback_period_days(self) -> int:
        """Old name, kept for callers written before silence counted working days."""
        return self.feedback_period_workdays

    def local_day(self, instant: datetime) -> date:
        return clock.local(instant, self.timezone).date()


@dataclass(frozen=True)
class UnitFacts:
    """What the rules need of one unit on a task."""

    name: str
    role: str
    last_feedback_at: datetime | None
    acknowledged_at: datetime | None


# --- open, clock stopped ----------------------------------------------------------------


def open_sql() -> ColumnElement[bool]:
    return col(Task.status).in_(OPEN)


def is_open(task: Any) -> bool:
    return task.status in OPEN


def clock_stopped_sql(due: Any = None) -> ColumnElement[bool]:
    """``due``: a date or a column (the task's current deadline by default)."""
    # NULL-safe: false (never NULL) when no request date is recorded.
    due = col(Task.deadline) if due is None else due
    return and_(col(Task.status) == TaskStatus.CLOSURE_REQUESTED,
                col(Task.closure_requested_on).is_not(None),
                col(Task.closure_requested_on) <= due)


def is_clock_stopped(task: Any, due: date | None = None) -> bool:
    """``due``: judge against another deadline (scoring keeps the original one)."""
    due = task.deadline if due is None else due
    return (task.status == TaskStatus.CLOSURE_REQUESTED and task.closure_requested_on is not None
            and task.closure_requested_on <= due)


def _running_sql() -> ColumnElement[bool]:
    return and_(open_sql(), not_(clock_stopped_sql()))


def _is_running(task: Any) -> bool:
    return is_open(task) and not is_clock_stopped(task)


# --- overdue, due soon, urge unanswered --------------------------------------------------


def overdue_sql(ctx: LightContext) -> ColumnElement[bool]:
    return and_(col(Task.deadline) < ctx.today, _running_sql())


def is_overdue(task: Any, ctx: LightContext) -> bool:
    return _is_running(task) and task.deadline < ctx.today


def due_soon_sql(ctx: LightContext) -> ColumnElement[bool]:
    return and_(col(Task.deadline) >= ctx.today, col(Task.deadline) <= ctx.yellow_until,
                _running_sql())


def is_due_soon(task: Any, ctx: LightContext) -> bool:
    return _is_running(task) and ctx.today <= task.deadline <= ctx.yellow_until


def urge_unanswered_sql(ctx: LightContext) -> ColumnElement[bool]:
    return and_(col(Task.open_urge_respond_by).is_not(None),
                col(Task.open_urge_respond_by) < ctx.today, _running_sql())


def is_urge_unanswered(task: Any, ctx: LightContext) -> bool:
    return (_is_running(task) and task.open_urge_respond_by is not None
            and task.open_urge_respond_by < ctx.today)


def note_unanswered_sql(today: date) -> ColumnElement[bool]:
    """One note (``supervision_note``) past its reply date without an answer: what lights a
    task red (via ``task.open_urge_respond_by``) and what escalation raises a step."""
    return and_(col(SupervisionNote.respond_by).is_not(None),
                col(SupervisionNote.respond_by) < today,
                col(SupervisionNote.responded_at).is_(None))


def is_note_unanswered(note: Any, today: date) -> bool:
    return note.respond_by is not None and note.respond_by < today and note.responded_at is None


def behind_pace_sql(ctx: LightContext) -> ColumnElement[bool]:
    """Behind the planned pace: the earliest unreached stage's day has passed (an indexed
    column of the task, so the board needs no subquery per row)."""
    return and_(col(Task.next_stage_due).is_not(None), col(Task.next_stage_due) < ctx.today,
                _running_sql())


def is_behind_pace(task: Any, ctx: LightContext) -> bool:
    return (_is_running(task) and task.next_stage_due is not None
            and task.next_stage_due < ctx.today)


def stage_late_sql(today: date, reached_before: datetime | None = None) -> ColumnElement[bool]:
    """One stage (``task_stage``) past its day and not reached: what sets a task's
    ``next_stage_due`` before today, and what the light's reason names. ``reached_before``:
    judged as of a past day (the bulletin's), a stage reached only at or after this instant
    was still not reached then."""
    not_reached: ColumnElement[bool] = col(TaskStage.reached_at).is_(None)
    if reached_before is not None:
        not_reached = or_(not_reached, col(TaskStage.reached_at) >= reached_before)
    return and_(not_reached, col(TaskStage.due) < today)


def is_stage_late(stage: Any, today: date, reached_before: datetime | None = None) -> bool:
    not_reached = stage.reached_at is None or (reached_before is not None
                                               and stage.reached_at >= reached_before)
    return not_reached and stage.due < today


# --- silence, late acknowledgement -------------------------------------------------------


def silent_sql(ctx: LightContext) -> ColumnElement[bool]:
    """Some unit silent: the stalest "last heard" (dispatch or last report) is too old."""
    return and_(col(Task.stalest_report_at).is_not(None),
                col(Task.stalest_report_at) < ctx.silent_before, col(Task.status).in_(HANDLING))


def is_silent(task: Any, ctx: LightContext) -> bool:
    return (task.status in HANDLING and task.stalest_report_at is not None
            and task.stalest_report_at < ctx.silent_before)


def unit_heard_sql() -> ColumnElement[Any]:
    """Per unit (``task_unit`` joined to ``task``): its last report, else the dispatch
    (a report always comes after the dispatch, so this is the later of the two)."""
    return func.coalesce(col(TaskUnit.last_feedback_at), col(Task.dispatched_at),
                         col(Task.created_at))


def unit_heard_at(task: Any, unit: UnitFacts) -> datetime | None:
    return unit.last_feedback_at or task.dispatched_at or task.created_at


def unit_silent_sql(ctx: LightContext) -> ColumnElement[bool]:
    return and_(col(Task.status).in_(HANDLING), unit_heard_sql() < ctx.silent_before)


def is_unit_silent(task: Any, unit: UnitFacts, ctx: LightContext) -> bool:
    heard = unit_heard_at(task, unit)
    return task.status in HANDLING and heard is not None and heard < ctx.silent_before


def late_ack_sql(ctx: LightContext) -> ColumnElement[bool]:
    unacknowledged = exists(select(col(TaskUnit.id)).where(
        col(TaskUnit.task_id) == Task.id, col(TaskUnit.acknowledged_at).is_(None)))
    return and_(col(Task.dispatched_at).is_not(None), col(Task.dispatched_at) < ctx.ack_before,
                col(Task.status).in_(HANDLING), unacknowledged)


def unit_late_ack_sql(ctx: LightContext) -> ColumnElement[bool]:
    """Per unit (``task_unit`` joined to ``task``)."""
    return and_(col(Task.status).in_(HANDLING), col(Task.dispatched_at).is_not(None),
                col(Task.dispatched_at) < ctx.ack_before, col(TaskUnit.acknowledged_at).is_(None))


def is_unit_late_ack(task: Any, unit: UnitFacts, ctx: LightContext) -> bool:
    return (task.status in HANDLING and task.dispatched_at is not None
            and task.dispatched_at < ctx.ack_before and unit.acknowledged_at is None)


def is_late_ack(task: Any, units: Sequence[UnitFacts], ctx: LightContext) -> bool:
    return any(is_unit_late_ack(task, unit, ctx) for unit in units)


def ack_due(task: Any, ctx: LightContext) -> date | None:
    """The last day a unit may acknowledge."""
    if task.dispatched_at is None:
        return None
    return ctx.calendar.add_workdays(ctx.local_day(task.dispatched_at), ctx.ack_workdays)


# --- the light -----------------------------------------------------------------------------


def red_sql(ctx: LightContext) -> ColumnElement[bool]:
    return or_(overdue_sql(ctx), urge_unanswered_sql(ctx))


def yellow_sql(ctx: LightContext) -> ColumnElement[bool]:
    return or_(due_soon_sql(ctx), silent_sql(ctx), late_ack_sql(ctx), behind_pace_sql(ctx))


def light_case(ctx: LightContext) -> ColumnElement[Any]:
    return case(
        (~open_sql(), literal(Light.NONE.value)),
        (red_sql(ctx), literal(Light.RED.value)),
        (yellow_sql(ctx), literal(Light.YELLOW.value)),
        else_=literal(Light.GREEN.value),
    )


def light_filter(ctx: LightContext, light: Light) -> ColumnElement[bool]:
    """The light as a WHERE clause (sargable on status and deadline)."""
    if light == Light.NONE:
        return ~open_sql()
    red = red_sql(ctx)
    if light == Light.RED:
        return and_(open_sql(), red)
    yellow = yellow_sql(ctx)
    if light == Light.YELLOW:
        return and_(open_sql(), ~red, yellow)
    return and_(open_sql(), ~red, ~yellow)


def light_of(task: Any, units: Sequence[UnitFacts], ctx: LightContext) -> Light:
    if not is_open(task):
        return Light.NONE
    if is_overdue(task, ctx) or is_urge_unanswered(task, ctx):
        return Light.RED
    if (is_due_soon(task, ctx) or is_silent(task, ctx) or is_late_ack(task, units, ctx)
            or is_behind_pace(task, ctx)):
        return Light.YELLOW
    return Light.GREEN


# --- on time, lagging (scores, bulletin, ledger) -----------------------------------------


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows meet a rule, as an aggregate (0, not NULL, over no rows)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def on_time_sql(due: Any = None) -> ColumnElement[bool]:
    """Closed, and the closure was requested on or before ``due`` (a date or a column;
    the task's current deadline by default)."""
    due = col(Task.deadline) if due is None else due
    return and_(col(Task.status) == TaskStatus.CLOSED, col(Task.closure_requested_on).is_not(None),
                col(Task.closure_requested_on) <= due)


def finished_on(task: Any, timezone: str = "Asia/Shanghai") -> date | None:
    """The day a closed task counts as finished: the day its accepted closure was asked for.
    Every closure passes through a request (migration 0006 filled in the older ones from
    the audit trail); ``timezone`` is kept for callers."""
    if task.status != TaskStatus.CLOSED:
        return None
    return task.closure_requested_on


def is_on_time(task: Any, due: date | None = None, timezone: str = "Asia/Shanghai") -> bool:
    done = finished_on(task, timezone)
    return done is not None and done <= (task.deadline if due is None else due)


def scored_overdue_sql(due: Any, as_of: date) -> ColumnElement[bool]:
    """``is_scored_overdue`` in SQL; ``due`` a date or a column. Never NULL."""
    return and_(col(Task.status).not_in([str(s) for s in (TaskStatus.DRAFT, TaskStatus.SUSPENDED,
                                                           TaskStatus.WITHDRAWN)]),
                due < as_of, not_(on_time_sql(due)), not_(clock_stopped_sql(due)))


def is_scored_overdue(task: Any, due: date, as_of: date, timezone: str = "Asia/Shanghai") -> bool:
    """For scoring: the scoring deadline ``due`` passed before ``as_of`` unmet, the task not
    suspended (paused by the office) and no timely closure request waiting."""
    return (task.status not in (TaskStatus.DRAFT, TaskStatus.SUSPENDED, TaskStatus.WITHDRAWN)
            and due < as_of and not is_on_time(task, due, timezone)
            and not is_clock_stopped(task, due))


def _timely_request_sql(as_of: date) -> ColumnElement[bool]:
    return and_(col(Task.closure_requested_on).is_not(None),
                col(Task.closure_requested_on) <= col(Task.deadline),
                col(Task.closure_requested_on) <= as_of)


def _is_timely_request(task: Any, as_of: date) -> bool:
    return (task.closure_requested_on is not None and task.closure_requested_on <= task.deadline
            and task.closure_requested_on <= as_of)


def _not_closed_sql(closed_before: datetime) -> ColumnElement[bool]:
    return and_(col(Task.status).notin_([TaskStatus.DRAFT, TaskStatus.SUSPENDED,
                                         TaskStatus.WITHDRAWN]),
                not_(and_(col(Task.closed_at).is_not(None), col(Task.closed_at) < closed_before)))


def _is_not_closed(task: Any, closed_before: datetime) -> bool:
    closed = task.closed_at is not None and task.closed_at < closed_before
    return (task.status not in (TaskStatus.DRAFT, TaskStatus.SUSPENDED, TaskStatus.WITHDRAWN)
            and not closed)


def lagging_sql(as_of: date, closed_before: datetime) -> ColumnElement[bool]:
    """Lagging (逾期) as of a past day, for a bulletin: not closed by ``closed_before``, the
    deadline passed before ``as_of``, not suspended or withdrawn, and no timely closure
    request waiting."""
    return and_(col(Task.deadline) < as_of, _not_closed_sql(closed_before),
                not_(_timely_request_sql(as_of)))


def is_lagging(task: Any, as_of: date, closed_before: datetime) -> bool:
    return (_is_not_closed(task, closed_before) and task.deadline < as_of
            and not _is_timely_request(task, as_of))


def urge_lagging_sql(as_of: date, closed_before: datetime) -> ColumnElement[bool]:
    """An urge unanswered as of a past day, for a bulletin (the red light's second cause,
    judged on that day): not closed by ``closed_before``, not suspended or withdrawn, a
    respond-by date before ``as_of``, and no timely closure request waiting."""
    return and_(col(Task.open_urge_respond_by).is_not(None),
                col(Task.open_urge_respond_by) < as_of, _not_closed_sql(closed_before),
                not_(_timely_request_sql(as_of)))


def is_urge_lagging(task: Any, as_of: date, closed_before: datetime) -> bool:
    return (_is_not_closed(task, closed_before) and task.open_urge_respond_by is not None
            and task.open_urge_respond_by < as_of and not _is_timely_request(task, as_of))
