"""Recurring tasks (issue 14 item 7): monthly or quarterly reports a unit must file.

A rule (``Recurrence``) holds a task's template and a schedule; each period it makes one
task, registered and dispatched through ``tasks.register``/``tasks.dispatch`` like any
other (audit, history and notifications follow), its deadline counted in working days
from the day it is dispatched. The task records the rule and the period key
("2026-11", "2026Q4"), unique together in the database: that constraint, not a check
made beforehand, is what keeps two runs (or two processes at once) from making a period
twice; the run that loses is told "made by another run".

Missed periods are not caught up. A run makes the *latest* period whose scheduled day
has come (so a job that did not run on the 5th still makes this month's report on the
8th); older periods never made are listed as skipped, once, in that run's report. A
report for a period long gone, dated today and owed N working days from now, would only
bury the units in notices; the office can register one by hand if it is still wanted.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Priority, TaskSource
from coordboard.errors import DomainError, NotFoundError, ValidationError
from coordboard.i18n import t
from coordboard.models import Department, Recurrence, Task
from coordboard.services import audit, categories, deadlines, fields, leaders, sources, tasks
from coordboard.services.permissions import Actor, authorize
from coordboard.services.sources import Instruction
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import load_calendar

MONTHLY, QUARTERLY = "monthly", "quarterly"
FREQUENCIES = (MONTHLY, QUARTERLY)
ACTIVE, PAUSED, ENDED = "active", "paused", "ended"
PLACEHOLDER = "{period}"
_QUARTER_ZH = "一二三四"


@dataclass(frozen=True, order=True)
class Period:
    """A month (index 1..12) or a quarter (index 1..4) of a year."""

    year: int
    index: int
    frequency: str = field(compare=False)

    @property
    def key(self) -> str:
        return f"{self.year}-{self.index:02d}" if self.frequency == MONTHLY \
            else f"{self.year}Q{self.index}"

    @property
    def label(self) -> str:
        """In Chinese whatever the interface language: it goes into the task's title."""
        if self.frequency == MONTHLY:
            return f"{self.year}年{self.index}月"
        return f"{self.year}年第{_QUARTER_ZH[self.index - 1]}季度"

    def _per_year(self) -> int:
        return 12 if self.frequency == MONTHLY else 4

    def shifted(self, steps: int) -> "Period":
        n = self.year * self._per_year() + self.index - 1 + steps
        return Period(n // self._per_year(), n % self._per_year() + 1, self.frequency)


@dataclass(frozen=True)
class Schedule:
    frequency: str
    day: int  # 1..31; past a month's end it means that month's last day
    month_in_quarter: int | None = None  # quarterly: 1..3

    def due_day(self, period: Period) -> date:
        month = period.index if self.frequency == MONTHLY \
            else (period.index - 1) * 3 + (self.month_in_quarter or 1)
        return date(period.year, month, min(self.day, _month_days(period.year, month)))


def _month_days(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - date(year, month, 1)).days


def period_of(frequency: str, day: date) -> Period:
    index = day.month if frequency == MONTHLY else (day.month - 1) // 3 + 1
    return Period(day.year, index, frequency)


def parse_period(frequency: str, text: str) -> Period:
    """``2026-11`` (monthly) or ``2026Q4`` / ``2026-Q4`` (quarterly)."""
    raw = text.strip().upper().replace("-Q", "Q")
    try:
        if frequency == MONTHLY and "-" in raw:
            year, index = (int(part) for part in raw.split("-", 1))
            if 1 <= index <= 12:
                return Period(year, index, MONTHLY)
        elif frequency == QUARTERLY and "Q" in raw:
            year, index = (int(part) for part in raw.split("Q", 1))
            if 1 <= index <= 4:
                return Period(year, index, QUARTERLY)
    except ValueError:
        pass
    example = "2026-11" if frequency == MONTHLY else "2026Q4"
    raise ValidationError("recur.error.period", value=text, example=example)


def first_period(schedule: Schedule, today: date) -> Period:
    """The first period a new rule makes: this one if its day has not passed, else the next."""
    current = period_of(schedule.frequency, today)
    return current if schedule.due_day(current) >= today else current.shifted(1)


def due_period(schedule: Schedule, start: Period, end: Period | None, as_of: date) -> Period | None:
    """The latest period whose scheduled day is on or before ``as_of``, within start..end."""
    latest = period_of(schedule.frequency, as_of)
    if schedule.due_day(latest) > as_of:
        latest = latest.shifted(-1)
    if end is not None and latest > end:
        latest = end
    return latest if latest >= start else None


def fill_title(pattern: str, period: Period) -> str:
    """The pattern with ``{period}`` replaced; every other brace is kept as typed."""
    return pattern.replace(PLACEHOLDER, period.label)


def schedule_of(rule: Recurrence) -> Schedule:
    return Schedule(rule.frequency, rule.day, rule.month_in_quarter)


def schedule_text(rule: Recurrence) -> str:
    if rule.frequency == MONTHLY:
        return t("recur.schedule.monthly", day=rule.day)
    return t("recur.schedule.quarterly", month=rule.month_in_quarter, day=rule.day)


# --- the rules -----------------------------------------------------------------------------


def _check_template(session: Session, *, title_pattern: str, lead: UnitAssignment,
                    supporters: list[UnitAssignment], workdays: int, description: str,
                    source: str, category: str, priority: str, leader: str,
                    settings: Settings) -> str:
    pattern = fields.check("title", title_pattern, required=True).strip()
    if PLACEHOLDER not in pattern:
        raise ValidationError("recur.error.no_placeholder")
    # The longest label ("2026年第四季度") must fit the title's limit.
    fields.check("title", fill_title(pattern, Period(9999, 4, QUARTERLY)))
    fields.check("description", description)
    # What registering each occurrence will require, checked now: a rule the office may
    # save must not fail at every run. A rule has no instruction fields (批示领导/内容 are
    # one instruction's), so source 领导批示 is refused here as register refuses it.
    sources.check(source, Instruction(), today=clock.today(settings.timezone),
                  settings=settings)
    categories.check_for_task(session, category)
    leaders.choose(session, name=leader or None)
    deadlines.check_workdays(workdays, settings=settings)
    for name, value, allowed in (("source", source, TaskSource), ("priority", priority, Priority)):
        if value not in set(allowed):
            raise ValidationError("error.choice", field=name, value=value,
                                  allowed=", ".join(allowed))
    tasks.check_units(session, lead, supporters)
    return pattern


def _check_schedule(frequency: str, day: int, month_in_quarter: int | None) -> Schedule:
    if frequency not in FREQUENCIES:
        raise ValidationError("error.choice", field="frequency", value=frequency,
                              allowed=", ".join(FREQUENCIES))
    if not 1 <= day <= 31:
        raise ValidationError("recur.error.day", value=day)
    if frequency == QUARTERLY and (month_in_quarter is None or not 1 <= month_in_quarter <= 3):
        raise ValidationError("recur.error.month_in_quarter", value=month_in_quarter)
    return Schedule(frequency, day, month_in_quarter if frequency == QUARTERLY else None)


def create(session: Session, *, actor: Actor, title_pattern: str, lead: UnitAssignment,
           workdays: int, frequency: str, day: int, month_in_quarter: int | None = None,
           supporters: list[UnitAssignment] | None = None, description: str = "",
           source: str = TaskSource.OTHER, category: str = "", priority: str = Priority.NORMAL,
           leader: str = "", start: str | None = None, end: str | None = None,
           now: bool = False, settings: Settings | None = None) -> tuple[Recurrence, Task | None]:
    """A new rule. Its first period is ``start``, else the first whose day has not passed.
    ``now``: make and dispatch the current period at once (then the first period is the
    current one), in the same transaction: a refused dispatch leaves no rule behind."""
    settings = settings or Settings()
    authorize(actor, "manage_recurrence")
    if now:
        authorize(actor, "register")
        authorize(actor, "dispatch")
    supporters = supporters or []
    schedule = _check_schedule(frequency, day, month_in_quarter)
    pattern = _check_template(session, title_pattern=title_pattern, lead=lead,
                              supporters=supporters, workdays=workdays, description=description,
                              source=source, category=category, priority=priority,
                              leader=leader, settings=settings)
    today = clock.today(settings.timezone)
    current = period_of(frequency, today)
    first = parse_period(frequency, start) if start else (current if now
                                                          else first_period(schedule, today))
    if now and first > current:
        raise ValidationError("recur.error.now_after_start", start=first.key)
    last = parse_period(frequency, end) if end else None
    if last is not None and last < first:
        raise ValidationError("recur.error.end_before_start", start=first.key, end=last.key)
    stamp = clock.now()
    rule = Recurrence(
        title_pattern=pattern, description=description, source=source, category=category,
        priority=priority, leader=leader, lead_department_id=lead.department_id,
        lead_part=lead.part,
        supporters=[{"department_id": s.department_id, "part": s.part} for s in supporters],
        workdays=workdays, frequency=frequency, day=schedule.day,
        month_in_quarter=schedule.month_in_quarter, start_period=first.key,
        end_period=last.key if last else None, state=ACTIVE, created_by=actor.user_id,
        created_at=stamp, updated_at=stamp)
    session.add(rule)
    session.flush()
    audit.record(session, actor_id=actor.user_id, entity="recurrence", entity_id=rule.id or 0,
                 action="recur_add", after=audit.snapshot(
                     rule, "title_pattern", "frequency", "day", "month_in_quarter", "workdays",
                     "lead_department_id", "supporters", "start_period", "end_period"))
    made = make_occurrence(session, rule=rule, period=current, day=today,
                           actor_id=actor.user_id) if now else None
    return rule, made


def rule_by_id(session: Session, rule_id: int) -> Recurrence:
    rule = session.get(Recurrence, rule_id)
    if rule is None:
        raise NotFoundError("recur.error.not_found", rule=rule_id)
    return rule


# Which state each command leaves a rule in, from which states.
_MOVES = {"pause": (PAUSED, {ACTIVE}), "resume": (ACTIVE, {PAUSED}),
          "end": (ENDED, {ACTIVE, PAUSED})}


def _move(session: Session, *, actor: Actor, rule_id: int, action: str) -> Recurrence:
    authorize(actor, "manage_recurrence")
    target, allowed_from = _MOVES[action]
    rule = session.exec(select(Recurrence).where(Recurrence.id == rule_id).with_for_update()
                        .execution_options(populate_existing=True)).first()
    if rule is None:
        raise NotFoundError("recur.error.not_found", rule=rule_id)
    if rule.state not in allowed_from:
        raise ValidationError("recur.error.state", rule=rule_id,
                              state=t(f"recur.state.{rule.state}"),
                              action=t(f"recur.action.{action}"))
    before = {"state": rule.state}
    rule.state, rule.updated_at = target, clock.now()
    session.add(rule)
    session.flush()
    audit.record(session, actor_id=actor.user_id, entity="recurrence", entity_id=rule_id,
                 action=f"recur_{action}", before=before, after={"state": target})
    return rule


def pause(session: Session, *, actor: Actor, rule_id: int) -> Recurrence:
    return _move(session, actor=actor, rule_id=rule_id, action="pause")


def resume(session: Session, *, actor: Actor, rule_id: int) -> Recurrence:
    """Active again; the next run makes the latest due period if it was never made."""
    return _move(session, actor=actor, rule_id=rule_id, action="resume")


def end(session: Session, *, actor: Actor, rule_id: int) -> Recurrence:
    """No more periods, for good (its tasks stay as they are)."""
    return _move(session, actor=actor, rule_id=rule_id, action="end")


@dataclass(frozen=True)
class RuleLine:
    rule: Recurrence
    schedule: str  # worded in the interface language
    lead: str
    supporters: list[str]
    made: int  # periods made so far
    last_period: str | None
    next_day: date | None  # the scheduled day of the next period not yet made (active rules)


def listing(session: Session, *, actor: Actor, today: date) -> list[RuleLine]:
    authorize(actor, "manage_recurrence")
    names = {dept_id: name for dept_id, name in
             session.exec(select(Department.id, Department.short_name)).all()}
    made = {rule_id: (count, last) for rule_id, count, last in session.exec(
        select(Task.recurrence_id, func.count(), func.max(Task.recurrence_period))
        .where(col(Task.recurrence_id).is_not(None)).group_by(col(Task.recurrence_id))).all()}
    lines = []
    for rule in session.exec(select(Recurrence).order_by(col(Recurrence.id))).all():
        count, last = made.get(rule.id, (0, None))
        lines.append(RuleLine(
            rule=rule, schedule=schedule_text(rule), lead=names.get(rule.lead_department_id, "?"),
            supporters=[names.get(s["department_id"], "?") for s in rule.supporters],
            made=int(count), last_period=last, next_day=_next_day(rule, last, today)))
    return lines


def _next_day(rule: Recurrence, last: str | None, today: date) -> date | None:
    """The scheduled day of the next period to make: the latest due one if it was never
    made (the next run makes it), else the one after the last made (or the first)."""
    if rule.state != ACTIVE:
        return None
    schedule = schedule_of(rule)
    start = parse_period(rule.frequency, rule.start_period)
    end = parse_period(rule.frequency, rule.end_period) if rule.end_period else None
    due = due_period(schedule, start, end, today)
    if due is not None and (last is None or due.key > last):
        candidate = due
    else:
        candidate = parse_period(rule.frequency, last).shifted(1) if last else start
    if end is not None and candidate > end:
        return None
    return schedule.due_day(candidate)


def recurrence_line(session: Session, task: Task) -> str | None:
    """"Recurring: monthly, rule #3 (2026年11月)" for an occurrence; None for other tasks."""
    if task.recurrence_id is None:
        return None
    rule = session.get(Recurrence, task.recurrence_id)
    frequency = rule.frequency if rule else MONTHLY
    period = task.recurrence_period or ""
    label = parse_period(frequency, period).label if period else ""
    return t("recur.task_line", frequency=t(f"recur.frequency.{frequency}"),
             rule=task.recurrence_id, period=label)


# --- making the occurrences ----------------------------------------------------------------


def make_occurrence(session: Session, *, rule: Recurrence, period: Period, day: date,
                    actor_id: int | None) -> Task:
    """Register and dispatch the rule's task for ``period`` on ``day`` (its deadline:
    ``rule.workdays`` working days after ``day``). Raises ``tasks.OccurrenceTaken`` when
    the period exists already; the caller's transaction is then unusable (roll it back)."""
    task = tasks.register(
        session, actor_id=actor_id, title=fill_title(rule.title_pattern, period),
        lead=UnitAssignment(rule.lead_department_id, rule.lead_part),
        supporters=[UnitAssignment(int(s["department_id"]), str(s.get("part", "")))
                    for s in rule.supporters],
        workdays=rule.workdays, description=rule.description, source=rule.source,
        category=rule.category, priority=rule.priority, leader=rule.leader, today=day,
        recurrence=(rule.id or 0, period.key))
    return tasks.dispatch(session, task=task, actor_id=actor_id, calendar=load_calendar(session),
                          today=day)


@dataclass(frozen=True)
class Due:
    rule_id: int
    period: Period
    skipped: list[str]  # older periods never made, not caught up


@dataclass(frozen=True)
class Made:
    rule_id: int
    period: str
    code: str
    title: str
    deadline: date


@dataclass
class RunReport:
    as_of: date
    made: list[Made] = field(default_factory=list)
    taken: list[tuple[int, str]] = field(default_factory=list)  # made by another run meanwhile
    skipped: list[tuple[int, list[str]]] = field(default_factory=list)
    failed: list[tuple[int, str, str]] = field(default_factory=list)  # rule, period, why


def plan(session: Session, as_of: date) -> list[Due]:
    """What a run on ``as_of`` would make: for each active rule, its latest due period if
    no task holds it yet. Read only; the constraint decides when it is written."""
    plans = []
    for rule in session.exec(select(Recurrence).where(Recurrence.state == ACTIVE)
                             .order_by(col(Recurrence.id))).all():
        start = parse_period(rule.frequency, rule.start_period)
        last = parse_period(rule.frequency, rule.end_period) if rule.end_period else None
        due = due_period(schedule_of(rule), start, last, as_of)
        if due is None:
            continue
        made = set(session.exec(select(Task.recurrence_period)
                                .where(Task.recurrence_id == rule.id)).all())
        if due.key in made:
            continue
        newest = max((parse_period(rule.frequency, key) for key in made if key), default=None)
        first_missing = max(start, newest.shifted(1)) if newest else start
        skipped: list[str] = []
        cursor = first_missing
        while cursor < due:
            skipped.append(cursor.key)
            cursor = cursor.shifted(1)
        plans.append(Due(rule.id or 0, due, skipped))
    return plans


def make_due(db: Database, due: Due, as_of: date, report: RunReport) -> None:
    """One rule's period in a transaction of its own: a failure stops only this rule."""
    try:
        with db.write() as session:
            rule = rule_by_id(session, due.rule_id)
            if rule.state != ACTIVE:  # paused or ended since the plan was read
                return
            task = make_occurrence(session, rule=rule, period=due.period, day=as_of,
                                   actor_id=None)
            made = Made(due.rule_id, due.period.key, task.code, task.title, task.deadline)
    except tasks.OccurrenceTaken:
        report.taken.append((due.rule_id, due.period.key))
        return
    except DomainError as exc:
        report.failed.append((due.rule_id, due.period.key, str(exc)))
        return
    report.made.append(made)
    if due.skipped:
        report.skipped.append((due.rule_id, due.skipped))


def run_due(db: Database, settings: Settings, *, as_of: date | None = None) -> RunReport:
    """Make and dispatch every period that is due and not made (for cron or the Windows Task
    Scheduler: run it as often as you like). ``as_of``: a past day to run as of (e.g. the
    day the job should have run), never a future one."""
    today = clock.today(settings.timezone)
    day = as_of or today
    if day > today:
        raise ValidationError("recur.error.as_of_future", day=day.isoformat(),
                              today=today.isoformat())
    report = RunReport(day)
    with db.read() as session:
        plans = plan(session, day)
    for due in plans:
        make_due(db, due, day, report)
    return report


def as_rows(lines: list[RuleLine]) -> list[dict[str, Any]]:
    """The listing as plain values (CLI json/csv)."""
    return [{"id": line.rule.id, "title_pattern": line.rule.title_pattern,
             "frequency": line.rule.frequency, "day": line.rule.day,
             "month_in_quarter": line.rule.month_in_quarter, "workdays": line.rule.workdays,
             "lead": line.lead, "supporters": line.supporters, "state": line.rule.state,
             "start_period": line.rule.start_period, "end_period": line.rule.end_period,
             "made": line.made, "last_period": line.last_period,
             "next_day": line.next_day.isoformat() if line.next_day else None}
            for line in lines]
