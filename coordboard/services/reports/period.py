"""The monthly and quarterly report (月报 / 季报): per unit, what it led and supported in the
period, what it closed on time and late, what is overdue and still open, how often its work
was returned, its 按期办结率 and its points.

Every figure reuses the rule that already defines it, nothing is restated here:

- a task *counts* for the period when it was dispatched before the period ended and was not
  closed before it began (drafts and withdrawn tasks never count);
- *closed on time / late*: closed in the period, judged by ``reports.on_time`` (the rule the
  bulletin and the ledger use, so the three documents give the same 按期办结率);
- *overdue open*: ``rules.lagging_sql`` as of the report's day (the period's last day, or
  today while the period runs);
- *returns* (退回重办) in the period, counted to the lead unit, as the scoreboard does;
- *points*: ``scores.scoreboard`` for the same period.

A unit's figures count every task it took part in, as lead or supporting unit; the total
row counts each task once. Counts are SQL aggregates grouped by unit; the only rows read
one by one are the tasks closed in the period (their due date may have moved).
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, not_, or_
from sqlalchemy import select as sql_select
from sqlmodel import Session, col

from coordboard import clock
from coordboard.config import Settings
from coordboard.enums import TaskStatus, UnitRole
from coordboard.errors import ValidationError
from coordboard.i18n import full_date, t
from coordboard.models import AuditEvent, Department, Task, TaskUnit
from coordboard.services import rules, scores
from coordboard.services.permissions import Actor, authorize
from coordboard.services.reports import on_time
from coordboard.services.reports.cn import chinese_number
from coordboard.services.stored_text import DOCUMENT_LANGUAGE, doc_t

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})-?[Qq]([1-4])\s*$")
_NOT_COUNTED = [str(TaskStatus.DRAFT), str(TaskStatus.WITHDRAWN)]


@dataclass(frozen=True)
class Period:
    kind: str  # "month" or "quarter"
    year: int
    number: int  # the month (1-12) or the quarter (1-4)
    start: date
    end: date

    @property
    def label(self) -> str:
        """In Chinese, as documents name it: 2026年11月, 2026年第四季度."""
        if self.kind == "month":
            return doc_t("period.label.month", year=self.year, month=self.number)
        return doc_t("period.label.quarter", year=self.year, quarter=chinese_number(self.number))


def parse_period(month: str | None = None, quarter: str | None = None) -> Period:
    """``--month 2026-11`` or ``--quarter 2026Q4`` (also 2026-Q4, 2026q4), exactly one."""
    if (month is None) == (quarter is None):
        raise ValidationError("period.error.one_of")
    if month is not None:
        found = _MONTH.match(month)
        number = int(found.group(2)) if found else 0
        if not found or not 1 <= number <= 12:
            raise ValidationError("period.error.month", value=month)
        year = int(found.group(1))
        _check_year(year, number)
        start = date(year, number, 1)
        following = date(year + (number == 12), number % 12 + 1, 1)
        return Period("month", year, number, start, following - timedelta(days=1))
    assert quarter is not None
    found = _QUARTER.match(quarter)
    if not found:
        raise ValidationError("period.error.quarter", value=quarter)
    year, number = int(found.group(1)), int(found.group(2))
    _check_year(year, 3 * number - 2)
    start = date(year, 3 * number - 2, 1)
    following = date(year + (number == 4), (3 * number) % 12 + 1, 1)
    return Period("quarter", year, number, start, following - timedelta(days=1))


def _check_year(year: int, first_month: int) -> None:
    """A well-written period in a year the scores do not reach: a far future one has simply
    not begun (said as ``build`` says it of next month), a distant past one is out of range
    (it was "not a month", of a month written correctly)."""
    if year >= scores.PERIOD_LAST.year:
        raise ValidationError("period.error.future", start=full_date(date(year, first_month, 1)))
    if year < scores.PERIOD_FIRST.year:
        raise ValidationError("period.error.year", first=scores.PERIOD_FIRST.year,
                              last=scores.PERIOD_LAST.year - 1)


@dataclass
class UnitLine:
    name: str
    led: int = 0
    supported: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    returns: int = 0
    points: float | None = 0.0
    is_total: bool = False  # the total row: each task once (every task has one lead unit)

    @property
    def closed(self) -> int:
        return self.on_time + self.late

    @property
    def rate(self) -> float | None:
        """按期办结率 (closed on time ÷ closed), None when nothing was closed."""
        return self.on_time / self.closed if self.closed else None

    def rate_text(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"


@dataclass
class PeriodReport:
    period: Period
    as_of: date
    town: str
    office: str
    units: list[UnitLine]
    total: UnitLine = field(default_factory=lambda: UnitLine(""))

    @property
    def title(self) -> str:
        return doc_t("period.title", town=self.town, period=self.period.label).strip()


def build(session: Session, settings: Settings, period: Period, *,
          actor: Actor | None = None) -> PeriodReport:
    """``actor``: the user asking (front ends pass it; None only for the service's own calls)."""
    if actor is not None:
        authorize(actor, "view_review")
    zone = ZoneInfo(settings.timezone)
    today = clock.today(settings.timezone)
    if period.start > today:  # nothing has happened in it yet: a report would mislead
        raise ValidationError("period.error.future", start=full_date(period.start))
    as_of = min(period.end, today)
    start_at = rules.day_start(period.start, settings.timezone)
    end_at = rules.day_start(period.end + timedelta(days=1), settings.timezone)
    as_of_end = rules.day_start(as_of + timedelta(days=1), settings.timezone)
    counted = and_(col(Task.status).not_in(_NOT_COUNTED), col(Task.dispatched_at).is_not(None),
                   col(Task.dispatched_at) < end_at,
                   or_(col(Task.closed_at).is_(None), col(Task.closed_at) >= start_at))
    overdue = rules.lagging_sql(as_of, as_of_end)
    closed_in = and_(col(Task.closed_at).is_not(None), col(Task.closed_at) >= start_at,
                     col(Task.closed_at) < end_at)

    departments = session.execute(
        sql_select(col(Department.id), col(Department.short_name), col(Department.active))
        .order_by(col(Department.sort_order), col(Department.name_key), col(Department.id))).all()
    lines = {dept_id: UnitLine(name) for dept_id, name, _ in departments}
    total = UnitLine(doc_t("period.col.total"), points=None, is_total=True)

    # Tasks led, supported, overdue, and closed in the period on time or late by the rule
    # the bulletin and ledger use (reports.on_time): per unit, one grouped query; tasks
    # whose deadline was moved are judged below, with their extension history.
    plain = on_time.plain_on_time_sql()
    closed_plain = and_(closed_in, on_time.UNEXTENDED)
    tallies = (rules.count_if(overdue), rules.count_if(and_(closed_plain, plain)),
               rules.count_if(and_(closed_plain, not_(plain))))
    for dept_id, led, supported, late_open, in_time, late in session.execute(
            sql_select(col(TaskUnit.department_id),
                       rules.count_if(col(TaskUnit.role) == UnitRole.LEAD),
                       rules.count_if(col(TaskUnit.role) == UnitRole.SUPPORT), *tallies)
            .join(Task, col(Task.id) == TaskUnit.task_id)
            # The tasks listed first (scores.units_of_tasks says why).
            .where(counted, scores.units_of_tasks(counted))
            .group_by(col(TaskUnit.department_id))).all():
        line = lines.setdefault(dept_id, UnitLine("?"))
        line.led, line.supported, line.overdue = int(led), int(supported), int(late_open)
        line.on_time, line.late = int(in_time), int(late)
    n_tasks, n_overdue, n_on_time, n_late = session.execute(
        sql_select(func.count(), *tallies).select_from(Task).where(counted)).one()
    total.led, total.overdue = int(n_tasks), int(n_overdue)

    verdict = on_time.extended_verdicts(session, and_(counted, closed_in), zone)
    total.on_time = int(n_on_time) + sum(verdict.values())
    total.late = int(n_late) + len(verdict) - sum(verdict.values())
    for task_id, dept_id in session.execute(
            sql_select(col(TaskUnit.task_id), col(TaskUnit.department_id))
            .where(scores.units_of_tasks(counted, closed_in, ~on_time.UNEXTENDED))).all():
        if task_id not in verdict:  # committed between the two reads: left for the next report
            continue
        line = lines.setdefault(dept_id, UnitLine("?"))
        if verdict[task_id]:
            line.on_time += 1
        else:
            line.late += 1

    # Returns for rework (退回重办) in the period, to the lead unit: the few events first,
    # then their tasks' lead units (joined the other way round SQLite scans every unit).
    returned = (col(AuditEvent.action) == "return", col(AuditEvent.occurred_at) >= start_at,
                col(AuditEvent.occurred_at) < end_at)
    per_task = dict(session.execute(
        sql_select(col(AuditEvent.task_id), func.count()).where(*returned)
        .group_by(col(AuditEvent.task_id))).all())
    total.returns = sum(per_task.values())
    for task_id, dept_id in session.execute(
            sql_select(col(TaskUnit.task_id), col(TaskUnit.department_id))
            .where(col(TaskUnit.role) == UnitRole.LEAD,
                   col(TaskUnit.task_id).in_(sql_select(col(AuditEvent.task_id)).where(*returned)))
            ).all():
        lines.setdefault(dept_id, UnitLine("?")).returns += int(per_task.get(task_id, 0))

    board = scores.scoreboard(session, settings, period.start, period.end, points_only=True)
    for score in board.ranking:
        lines.setdefault(score.department_id, UnitLine(score.name)).points = round(score.points, 2)

    active = {dept_id for dept_id, _, is_active in departments if is_active}
    units = [line for dept_id, line in lines.items()
             if dept_id in active or line.led or line.supported or line.returns or line.points]
    return PeriodReport(period=period, as_of=as_of, town=settings.town_name,
                        office=settings.office_name, units=units, total=total)


def header(language: str | None = DOCUMENT_LANGUAGE) -> list[str]:
    """The column names, in the document language (None: the interface language)."""
    return [t(f"period.col.{key}", language) for key in COLUMNS]


COLUMNS = ("unit", "led", "supported", "on_time", "late", "overdue", "returns", "rate", "points")


def values(line: UnitLine) -> list[object]:
    """A table row in column order: numbers as numbers, the rate as a fraction; None where
    there is nothing to say (no closure, and the total row's supported tasks and points)."""
    return [line.name, line.led, None if line.is_total else line.supported, line.on_time,
            line.late, line.overdue, line.returns, line.rate, line.points]
