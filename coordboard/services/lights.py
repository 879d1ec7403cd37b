"""Red / yellow / green warning lights, and the reasons each is lit.

One definition, two forms: ``light_case`` is the SQL expression used to filter
and count a whole board in one query; ``explain`` gives the same verdict for one
row, with reasons, from columns the board query already fetched.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, literal, or_
from sqlmodel import col

from coordboard import clock
from coordboard.config import Settings
from coordboard.enums import OPEN_STATUSES, Light
from coordboard.i18n import t
from coordboard.models import Task
from coordboard.services.workdays import WorkCalendar


@dataclass(frozen=True)
class LightContext:
    """Today's thresholds, computed once per query rather than once per row."""

    today: date
    now: datetime
    yellow_until: date  # a deadline on or before this day is yellow
    silent_before: datetime  # a unit last heard from before this instant is silent
    calendar: WorkCalendar
    feedback_period_days: int

    @classmethod
    def build(cls, settings: Settings, calendar: WorkCalendar) -> "LightContext":
        today = clock.today(settings.timezone)
        now = clock.now()
        return cls(
            today=today,
            now=now,
            yellow_until=calendar.add_workdays(today, settings.yellow_workdays),
            silent_before=now - timedelta(days=settings.feedback_period_days),
            calendar=calendar,
            feedback_period_days=settings.feedback_period_days,
        )


def _conditions(ctx: LightContext) -> tuple[ColumnElement[bool], ...]:
    is_open = col(Task.status).in_([str(s) for s in OPEN_STATUSES])
    # NULL-safe: NOT (x < y) must be true when x is NULL, or a filter drops the row.
    urge_overdue = and_(col(Task.open_urge_respond_by).is_not(None),
                        col(Task.open_urge_respond_by) < ctx.today)
    silent = and_(col(Task.stalest_report_at).is_not(None),
                  col(Task.stalest_report_at) < ctx.silent_before)
    red = or_(col(Task.deadline) < ctx.today, urge_overdue)
    yellow = or_(col(Task.deadline) <= ctx.yellow_until, silent)
    return is_open, red, yellow


def light_case(ctx: LightContext) -> ColumnElement[Any]:
    is_open, red, yellow = _conditions(ctx)
    return case(
        (~is_open, literal(Light.NONE.value)),
        (red, literal(Light.RED.value)),
        (yellow, literal(Light.YELLOW.value)),
        else_=literal(Light.GREEN.value),
    )


def light_filter(ctx: LightContext, light: Light) -> ColumnElement[bool]:
    """The same rule as a WHERE clause (sargable on status and deadline)."""
    is_open, red, yellow = _conditions(ctx)
    if light == Light.NONE:
        return ~is_open
    if light == Light.RED:
        return and_(is_open, red)
    if light == Light.YELLOW:
        return and_(is_open, ~red, yellow)
    return and_(is_open, ~red, ~yellow)


@dataclass(frozen=True)
class LightVerdict:
    light: Light
    reasons: tuple[str, ...]
    workdays_left: int  # negative when overdue


def explain(task: Task, ctx: LightContext, silent_units: list[tuple[str, datetime]] | None = None
            ) -> LightVerdict:
    workdays_left = ctx.calendar.workdays_between(ctx.today, task.deadline)
    if task.status not in OPEN_STATUSES:
        return LightVerdict(Light.NONE, (), workdays_left)
    red: list[str] = []
    yellow: list[str] = []
    if task.deadline < ctx.today:
        red.append(t("reason.overdue", workdays=max(1, -workdays_left)))
    elif task.deadline == ctx.today:
        yellow.append(t("reason.due_today"))
    elif task.deadline <= ctx.yellow_until:
        yellow.append(t("reason.due_soon", workdays=workdays_left))
    if task.open_urge_respond_by is not None and task.open_urge_respond_by < ctx.today:
        red.append(t("reason.urge_unanswered", date=task.open_urge_respond_by.strftime("%m-%d")))
    if task.stalest_report_at is not None and task.stalest_report_at < ctx.silent_before:
        for unit, heard in silent_units or [("", task.stalest_report_at)]:
            # Plain arithmetic: pendulum's Interval would cost more than the rest of the row.
            days = int((ctx.now.timestamp() - heard.timestamp()) // 86400)
            yellow.append(t("reason.silent", unit=unit or t("reason.some_unit"), days=days))
    if red:
        return LightVerdict(Light.RED, tuple(red + yellow), workdays_left)
    if yellow:
        return LightVerdict(Light.YELLOW, tuple(yellow), workdays_left)
    return LightVerdict(Light.GREEN, (t("reason.on_pace"),), workdays_left)
