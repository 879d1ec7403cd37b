"""Red / yellow / green warning lights, and the reasons each is lit, in words a clerk acts on.

The rules themselves (SQL and Python, side by side) are in ``coordboard.services.rules``;
this module turns a verdict into reasons: which unit, since when, by which note.
``LightContext``, ``light_case`` and ``light_filter`` are re-exported for callers.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from coordboard.enums import Light
from coordboard.i18n import listing, t
from coordboard.models import Task
from coordboard.services.rules import (
    LightContext,
    UnitFacts,
    ack_due,
    is_behind_pace,
    is_clock_stopped,
    is_due_soon,
    is_open,
    is_overdue,
    is_silent,
    is_unit_late_ack,
    is_unit_silent,
    is_urge_unanswered,
    light_case,
    light_filter,
    light_of,
    unit_heard_at,
)

__all__ = ["LateStage", "LightContext", "LightVerdict", "OpenUrge", "UnitFacts", "explain", "light_case",
           "light_filter", "short_date"]


@dataclass(frozen=True)
class LightVerdict:
    light: Light
    reasons: tuple[str, ...]
    # Negative when overdue; None when the clock does not run: the task is not open (closed,
    # suspended, withdrawn, a draft) or a timely closure request waits for review. A count
    # there contradicted the light ("逾期7" beside 绿灯 "按期申请办结，待审核"; "-51" beside 按期办结).
    workdays_left: int | None


@dataclass(frozen=True)
class OpenUrge:
    """An unanswered reminder, urge or letter with a respond-by date."""

    kind: str
    sent_on: date
    respond_by: date
    unit: str | None  # None: addressed to every unit on the task


def short_date(day: date) -> str:
    """"11月20日" (zh) or "11/20" (en): a day in this year's bulletins and reasons."""
    return t("reason.day", month=day.month, day=day.day)


def _grouped(names: list[str], one: str, many: str, two: str | None = None,
             **params: Any) -> str:
    """One unit, two units both named (``two``: their own wording), or the first and the
    count. Names come stalest first, and the figures are the first's."""
    if len(names) == 1:
        return t(one, unit=names[0], **params)
    if len(names) <= 2:
        return t(two or one, unit=listing(names), **params)
    return t(many, unit=names[0], count=len(names), **params)


def _silence(task: Task, units: Sequence[UnitFacts], ctx: LightContext) -> list[str]:
    silent = [(unit_heard_at(task, u), u) for u in units if is_unit_silent(task, u, ctx)]
    silent.sort(key=lambda pair: pair[0] or ctx.now)  # stalest first; ties in the task's order
    reasons = []
    for never in (True, False):
        group = [(heard, u) for heard, u in silent if (u.last_feedback_at is None) == never]
        if not group:
            continue
        stalest = group[0][0]
        workdays = ctx.calendar.workdays_between(ctx.local_day(stalest), ctx.today) if stalest else 0
        names = [u.name for _, u in group]
        if never:
            reasons.append(_grouped(names, "reason.never_reported", "reason.never_reported_many",
                                    workdays=workdays))
        else:
            # Each unit's own silence differs: the words say the figure is the longest.
            reasons.append(_grouped(names, "reason.silent_workdays", "reason.silent_workdays_many",
                                    "reason.silent_workdays_some", workdays=workdays))
    return reasons


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def number(seq: int) -> str:
    """A stage's number as the office writes it: "①" for stage 1 (up to ⑳), then "(21)"."""
    return CIRCLED[seq - 1] if 1 <= seq <= len(CIRCLED) else f"({seq})"


@dataclass(frozen=True)
class LateStage:
    """A stage (阶段节点) past its day and not reached (services/stages.py reads them)."""

    seq: int
    title: str
    due: date
    unit: str


def _pace(task: Task, ctx: LightContext, stages: Sequence[LateStage]) -> list[str]:
    """"Behind planned pace: stage ② "起草" due 11月20日 (司法所)", the earliest late stage
    named, and how many more there are."""
    if not stages:  # the stages were not loaded: say what the task's column knows
        return [t("reason.behind_pace_short", due=short_date(task.next_stage_due or ctx.today))]
    first = stages[0]
    reason = t("reason.behind_pace", stage=number(first.seq), title=first.title,
               due=short_date(first.due), unit=first.unit)
    if len(stages) > 1:
        reason += t("reason.behind_pace_more", count=len(stages))
    return [reason]


def explain(task: Task, ctx: LightContext, units: Sequence[UnitFacts] | None = None,
            urges: Sequence[OpenUrge] | None = None,
            stages: Sequence[LateStage] | None = None) -> LightVerdict:
    """The light of one task with its reasons. ``units``, ``urges`` and ``stages`` name who
    is late; without ``units`` a late acknowledgement cannot be seen (use
    ``board.verdict_of``)."""
    units = list(units or ())
    if not is_open(task):
        return LightVerdict(Light.NONE, (), None)
    workdays_left = ctx.calendar.workdays_between(ctx.today, task.deadline)
    light = light_of(task, units, ctx)
    red: list[str] = []
    yellow: list[str] = []
    if is_overdue(task, ctx):
        # A deadline on Friday is overdue on Saturday though no working day has passed:
        # overdue by at least one, in the reason and the figure alike ("剩余 0" read on time).
        workdays_left = min(workdays_left, -1)
        red.append(t("reason.overdue_workdays", workdays=-workdays_left,
                     deadline=short_date(task.deadline)))
    elif is_due_soon(task, ctx):
        yellow.append(t("reason.due_today") if task.deadline == ctx.today
                      else t("reason.due_soon", workdays=workdays_left))
    if is_urge_unanswered(task, ctx):
        late = [u for u in urges or () if u.respond_by < ctx.today]
        if not late:  # the notes were not loaded: say what the task's columns know
            red.append(t("reason.urge_overdue_short",
                         respond_by=short_date(task.open_urge_respond_by or ctx.today)))
        for urge in late:
            red.append(t("reason.urge_overdue", kind=t(f"note.{urge.kind}"),
                         sent=short_date(urge.sent_on), respond_by=short_date(urge.respond_by),
                         units=urge.unit or t("reason.all_units")))
    late_ack = [u.name for u in units if is_unit_late_ack(task, u, ctx)]
    if late_ack:
        due = ack_due(task, ctx)
        yellow.append(_grouped(late_ack, "reason.late_ack", "reason.late_ack_many",
                               due=short_date(due) if due else ""))
    if light == Light.YELLOW or light == Light.RED:
        silence = _silence(task, units, ctx)
        if not silence and is_silent(task, ctx) and task.stalest_report_at is not None:
            silence = [t("reason.never_reported", unit=t("reason.some_unit"),
                         workdays=ctx.calendar.workdays_between(
                             ctx.local_day(task.stalest_report_at), ctx.today))]
        yellow.extend(silence)
    if is_behind_pace(task, ctx):
        yellow.extend(_pace(task, ctx, [s for s in stages or () if s.due < ctx.today]))
    if light == Light.RED:
        return LightVerdict(Light.RED, tuple(red + yellow), workdays_left)
    if light == Light.YELLOW:
        return LightVerdict(Light.YELLOW, tuple(yellow), workdays_left)
    if is_clock_stopped(task) and task.closure_requested_on is not None:
        return LightVerdict(Light.GREEN, (t("reason.waiting_review",
                                            day=short_date(task.closure_requested_on)),), None)
    return LightVerdict(Light.GREEN, (t("reason.on_pace"),), workdays_left)
