"""The warning light's verdict and reasons, word for word (issue 9: mutation testing of
``services/lights.py``). Pure: ``lights.explain`` is called on a task and its units as the
board loads them, no database; the context is the one ``LightContext.build`` makes with
the default settings (yellow within 3 working days, silent after 5, acknowledge within 1)
on Wednesday 25 November 2026, 09:30 in Shanghai.

Dates around "today" (2026, no holiday): Fri 20, Sat 21, Sun 22, Mon 23, Tue 24, Wed 25,
Thu 26, Fri 27, Sat 28, Sun 29, Mon 30 November. A unit last heard from before Wed 18
November is silent; one dispatched before Tue 24 November and not acknowledged is late
(it was due to acknowledge the working day after dispatch).
"""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import pendulum
import pytest

from coordboard import clock
from coordboard.config import Settings
from coordboard.enums import Light, TaskStatus, UnitRole
from coordboard.models import Task
from coordboard.services.lights import (
    LateStage,
    LightContext,
    LightVerdict,
    OpenUrge,
    UnitFacts,
    explain,
    number,
)
from coordboard.services.workdays import WorkCalendar

ZONE = "Asia/Shanghai"
TODAY = date(2026, 11, 25)  # a Wednesday
CALENDAR = WorkCalendar()


def _ctx(today: date = TODAY) -> LightContext:
    with clock.at(pendulum.datetime(today.year, today.month, today.day, 9, 30, tz=ZONE)):
        return LightContext.build(Settings(), CALENDAR)


def _at(day: int, hour: int = 9, month: int = 11) -> datetime:
    """An instant of a local day in 2026, stored as UTC like the database's."""
    return pendulum.datetime(2026, month, day, hour, tz=ZONE).in_timezone("UTC")


def _unit(name: str, *, reported: datetime | None = None, acknowledged: datetime | None = None,
          role: UnitRole = UnitRole.SUPPORT) -> UnitFacts:
    return UnitFacts(name=name, role=role, last_feedback_at=reported, acknowledged_at=acknowledged)


def _task(units: Sequence[UnitFacts] = (), *, status: TaskStatus = TaskStatus.IN_PROGRESS,
          deadline: date = date(2026, 12, 18), dispatched: datetime | None = None,
          **columns: Any) -> Task:
    """A task with its denormalised columns as the services keep them: ``stalest_report_at``
    the oldest "last heard" over its units (dispatch for a unit that never reported)."""
    dispatched = dispatched or _at(23)
    heard = [u.last_feedback_at or dispatched for u in units]
    values: dict[str, Any] = {
        "code": "督2026-001", "year": 2026, "seq": 1, "title": "边界", "deadline": deadline,
        "original_deadline": deadline, "status": str(status), "created_at": _at(20),
        "updated_at": _at(20), "dispatched_at": dispatched,
        "stalest_report_at": min(heard) if heard else None,
    }
    values.update(columns)
    return Task(**values)


ACKED = _at(23, 10)
FRESH = _at(24, 16)  # reported yesterday: not silent


def _fine(name: str, role: UnitRole = UnitRole.SUPPORT) -> UnitFacts:
    return _unit(name, reported=FRESH, acknowledged=ACKED, role=role)


# --- no light, green ---------------------------------------------------------------------


@pytest.mark.parametrize("status", [TaskStatus.DRAFT, TaskStatus.CLOSED, TaskStatus.SUSPENDED,
                                    TaskStatus.WITHDRAWN])
def test_a_task_not_open_has_no_light_no_reason_and_no_workdays(status) -> None:
    """Rule: light none when not open: no reason at all, even past the deadline and with a
    unit never heard from; no working days either (the clock does not run: "-51" beside a
    task closed on time read as 51 days late)."""
    task = _task([_unit("司法所", role=UnitRole.LEAD)], status=status, deadline=date(2026, 11, 20),
                 dispatched=_at(2), open_urge_respond_by=date(2026, 11, 19))
    assert explain(task, _ctx(), None) == LightVerdict(Light.NONE, (), None)


def test_green_on_pace_with_three_units_that_acknowledged_and_reported() -> None:
    """Rule: green when nothing lights it, with the reason "on pace" and the working days
    left to the deadline (Thu 26 Nov to Fri 18 Dec: 17)."""
    units = [_fine("司法所", UnitRole.LEAD), _fine("派出所"), _fine("城管中队")]
    assert explain(_task(units), _ctx(), units) == LightVerdict(Light.GREEN, ("按期推进",), 17)


def test_green_for_an_empty_task_without_units() -> None:
    """Rule: a task with no units (none loaded, none stored: ``stalest_report_at`` empty) is
    not silent and not late to acknowledge: green, on pace."""
    task = _task([])
    assert task.stalest_report_at is None
    assert explain(task, _ctx(), []) == LightVerdict(Light.GREEN, ("按期推进",), 17)
    assert explain(task, _ctx()) == LightVerdict(Light.GREEN, ("按期推进",), 17)


def test_green_in_english() -> None:
    """Rule: the green reason is a catalogue text, in the user's language."""
    from coordboard.i18n import set_language

    set_language("en")
    units = [_fine("Justice office", UnitRole.LEAD)]
    assert explain(_task(units), _ctx(), units) == LightVerdict(Light.GREEN, ("on pace",), 17)


def test_a_stopped_clock_is_green_waiting_for_review_without_workdays() -> None:
    """Rule: clock stopped: closure asked on Tuesday 24 November, on the deadline, not yet
    reviewed: not red although the deadline has passed; green, "asked on time, waiting for
    review" with the request's day; no working days (it showed "逾期1" beside the green)."""
    units = [_unit("司法所", acknowledged=ACKED, role=UnitRole.LEAD)]  # never reported: not asked now
    task = _task(units, status=TaskStatus.CLOSURE_REQUESTED, deadline=date(2026, 11, 24),
                 dispatched=_at(2), closure_requested_on=date(2026, 11, 24),
                 open_urge_respond_by=date(2026, 11, 20))
    assert explain(task, _ctx(), units) == LightVerdict(
        Light.GREEN, ("已于11月24日按期申请办结，待审核",), None)


def test_a_closure_asked_after_the_deadline_does_not_stop_the_clock() -> None:
    """Rule: clock stopped only by a request on or before the deadline: asked on Tuesday 24
    November for a deadline of Monday 23 November, the task is red, overdue 2 working days."""
    task = _task([], status=TaskStatus.CLOSURE_REQUESTED, deadline=date(2026, 11, 23),
                 closure_requested_on=date(2026, 11, 24))
    assert explain(task, _ctx(), []) == LightVerdict(
        Light.RED, ("已逾期 2 个工作日（期限11月23日）",), -2)


# --- red: overdue --------------------------------------------------------------------------


def test_overdue_names_the_working_days_and_the_deadline() -> None:
    """Rule: red when past the deadline: "overdue 3 working days (deadline 11月20日)", and
    the red verdict carries ``workdays_left`` -3."""
    units = [_fine("司法所", UnitRole.LEAD)]
    task = _task(units, deadline=date(2026, 11, 20))
    assert explain(task, _ctx(), units) == LightVerdict(
        Light.RED, ("已逾期 3 个工作日（期限11月20日）",), -3)


def test_overdue_over_a_weekend_is_at_least_one_working_day() -> None:
    """Rule: overdue counts at least 1 working day: a deadline on Saturday 28 November seen on
    Sunday 29 November has no working day in between, yet it is overdue by 1, in the reason
    and in ``workdays_left`` alike (0 read "剩余 0" beside "已逾期 1")."""
    units = [_unit("司法所", reported=_at(27), acknowledged=ACKED, role=UnitRole.LEAD)]
    task = _task(units, deadline=date(2026, 11, 28))
    assert explain(task, _ctx(date(2026, 11, 29)), units) == LightVerdict(
        Light.RED, ("已逾期 1 个工作日（期限11月28日）",), -1)


# --- yellow: due soon, due today -----------------------------------------------------------


@pytest.mark.parametrize(("deadline", "reason", "left"), [
    (date(2026, 11, 25), "今日到期", 0),
    (date(2026, 11, 26), "剩余 1 个工作日", 1),
    (date(2026, 11, 30), "剩余 3 个工作日", 3),
])
def test_due_soon_says_due_today_or_the_working_days_left(deadline, reason, left) -> None:
    """Rule: yellow when the deadline is within 3 working days; "due today" on the deadline
    itself, otherwise the working days left (Monday 30 November: 3, over the weekend)."""
    units = [_fine("司法所", UnitRole.LEAD)]
    assert explain(_task(units, deadline=deadline), _ctx(), units) == LightVerdict(
        Light.YELLOW, (reason,), left)


# --- red: an urge unanswered ---------------------------------------------------------------


URGE = OpenUrge("urge", sent_on=date(2026, 11, 20), respond_by=date(2026, 11, 24), unit="派出所")
REMINDER = OpenUrge("reminder", sent_on=date(2026, 11, 18), respond_by=date(2026, 11, 23), unit=None)
LETTER_DUE_TODAY = OpenUrge("letter", sent_on=date(2026, 11, 23), respond_by=TODAY, unit="司法所")


def test_each_late_note_is_named_with_its_kind_dates_and_unit_or_all_units() -> None:
    """Rule: red when an urge is unanswered past its respond-by day: each late note named
    with its kind, the day sent, the reply date and its unit, or "all units" when it was
    addressed to every unit; in the order given; a letter whose reply date is today is not
    late (``<``, not ``<=``)."""
    units = [_fine("司法所", UnitRole.LEAD), _fine("派出所")]
    task = _task(units, open_urge_respond_by=date(2026, 11, 23))
    assert explain(task, _ctx(), units, urges=[URGE, LETTER_DUE_TODAY, REMINDER]) == LightVerdict(
        Light.RED, ("催办（11月20日发，限11月24日前回复）逾期未回复：派出所",
                    "提醒（11月18日发，限11月23日前回复）逾期未回复：各承办单位"), 17)


@pytest.mark.parametrize("urges", [None, [LETTER_DUE_TODAY]], ids=["not loaded", "none late"])
def test_without_a_late_note_loaded_the_urge_reason_comes_from_the_task(urges) -> None:
    """Rule: urge unanswered, told from the task's own column when the notes were not loaded
    (or none loaded is late): "a note unanswered past its reply date (11月24日)"."""
    units = [_fine("司法所", UnitRole.LEAD)]
    task = _task(units, open_urge_respond_by=date(2026, 11, 24))
    assert explain(task, _ctx(), units, urges=urges) == LightVerdict(
        Light.RED, ("督促事项逾期未回复（限11月24日前回复）",), 17)


def test_an_urge_due_today_is_not_yet_red() -> None:
    """Rule: urge unanswered only after its respond-by day: due today, the task stays green."""
    units = [_fine("司法所", UnitRole.LEAD)]
    task = _task(units, open_urge_respond_by=TODAY)
    assert explain(task, _ctx(), units, urges=[LETTER_DUE_TODAY]) == LightVerdict(
        Light.GREEN, ("按期推进",), 17)


# --- yellow: late acknowledgement ----------------------------------------------------------


@pytest.mark.parametrize(("late", "reason"), [
    (["派出所"], "派出所逾期未签收（应于11月24日前签收）"),
    (["司法所", "派出所"], "司法所、派出所逾期未签收（应于11月24日前签收）"),
    (["司法所", "派出所", "城管中队"], "司法所等 3 个单位逾期未签收（应于11月24日前签收）"),
])
def test_late_acknowledgement_names_one_or_two_units_and_counts_three(late, reason) -> None:
    """Rule: late acknowledgement: dispatched Monday 23 November, a unit had to acknowledge
    by Tuesday 24 November; one or two late units are named (in the task's order), three
    or more as the first "and others (3)"."""
    units = [_unit(name, acknowledged=None if name in late else ACKED,
                   role=UnitRole.LEAD if name == "司法所" else UnitRole.SUPPORT)
             for name in ("司法所", "派出所", "城管中队")]
    task = _task(units, status=TaskStatus.ASSIGNED)
    assert explain(task, _ctx(), units) == LightVerdict(Light.YELLOW, (reason,), 17)


def test_late_acknowledgement_in_english_names_two_units_as_a_list() -> None:
    """Rule: the 2-names boundary reads as a list in English too."""
    from coordboard.i18n import set_language

    set_language("en")
    units = [_unit("Justice office"), _unit("Police")]
    verdict = explain(_task(units, status=TaskStatus.ASSIGNED), _ctx(), units)
    assert verdict.reasons == ("Justice office, Police: not acknowledged in time (due by 11/24)",)


# --- yellow: silence -----------------------------------------------------------------------


def test_a_unit_never_heard_from_since_dispatch_is_named_with_the_working_days() -> None:
    """Rule: silent, never reported: dispatched Monday 16 November, nothing since: "交办以来
    未反馈 (7 working days)", not "silent 7 days"; the other units are fine."""
    units = [_fine("司法所", UnitRole.LEAD), _unit("派出所", acknowledged=ACKED), _fine("城管中队")]
    task = _task(units, dispatched=_at(16))
    assert explain(task, _ctx(), units) == LightVerdict(
        Light.YELLOW, ("派出所交办以来未反馈（7 个工作日）",), 17)


def test_three_silent_units_are_counted_from_the_stalest_and_named_by_it() -> None:
    """Rule: silent, reported long ago: three silent units, listed in the task's order
    17, 13 and 16 November: the stalest (13 November, 8 working days) names the group,
    "派出所 and others (3)"."""
    units = [_unit("司法所", reported=_at(17), acknowledged=ACKED, role=UnitRole.LEAD),
             _unit("派出所", reported=_at(13), acknowledged=ACKED),
             _unit("城管中队", reported=_at(16), acknowledged=ACKED)]
    task = _task(units, dispatched=_at(12))
    assert explain(task, _ctx(), units) == LightVerdict(
        Light.YELLOW, ("派出所等 3 个单位未按期反馈，最久已 8 个工作日",), 17)


def test_two_silent_units_are_listed_stalest_first() -> None:
    """Rule: silent: two silent units are both named, stalest first (派出所 on 13 November
    before 司法所 on 17 November), counted from the stalest, and the words say the count is
    the longest (司法所's own silence is shorter)."""
    units = [_unit("司法所", reported=_at(17), acknowledged=ACKED, role=UnitRole.LEAD),
             _unit("派出所", reported=_at(13), acknowledged=ACKED), _fine("城管中队")]
    task = _task(units, dispatched=_at(12))
    assert explain(task, _ctx(), units) == LightVerdict(
        Light.YELLOW, ("派出所、司法所未按期反馈，最久已 8 个工作日",), 17)


def test_never_reported_units_come_first_then_the_silent_ones_ties_in_task_order() -> None:
    """Rule: silent: units that never reported since dispatch (16 November, 7 working days;
    a tie, so in the task's order) are one reason, before those that reported and then fell
    silent (17 November, 6 working days)."""
    units = [_unit("司法所", acknowledged=ACKED, role=UnitRole.LEAD),
             _unit("派出所", reported=_at(17), acknowledged=ACKED),
             _unit("城管中队", acknowledged=ACKED)]
    task = _task(units, dispatched=_at(16))
    assert explain(task, _ctx(), units) == LightVerdict(
        Light.YELLOW, ("司法所、城管中队交办以来未反馈（7 个工作日）", "派出所已 6 个工作日未反馈"), 17)


def test_three_units_never_heard_from_are_counted_as_the_first_and_others() -> None:
    """Rule: silent, never reported: three units silent since dispatch (16 November, 7
    working days) are named as the first in the task's order "and others (3)"."""
    units = [_unit(name, acknowledged=ACKED) for name in ("司法所", "派出所", "城管中队")]
    task = _task(units, dispatched=_at(16))
    assert explain(task, _ctx(), units) == LightVerdict(
        Light.YELLOW, ("司法所等 3 个单位交办以来未反馈（7 个工作日）",), 17)


def test_a_red_task_also_gives_its_yellow_causes_after_the_red_ones() -> None:
    """Rule: red = overdue or urge unanswered, and the yellow causes (late acknowledgement,
    silence) still show, after the red reasons: the office sees everything wrong at once."""
    units = [_unit("司法所", reported=_at(13), acknowledged=ACKED, role=UnitRole.LEAD),
             _unit("派出所")]
    task = _task(units, deadline=date(2026, 11, 20), dispatched=_at(12),
                 open_urge_respond_by=date(2026, 11, 24))
    assert explain(task, _ctx(), units, urges=[URGE]) == LightVerdict(Light.RED, (
        "已逾期 3 个工作日（期限11月20日）",
        "催办（11月20日发，限11月24日前回复）逾期未回复：派出所",
        "派出所逾期未签收（应于11月13日前签收）",
        "派出所交办以来未反馈（9 个工作日）",
        "司法所已 8 个工作日未反馈",
    ), -3)


@pytest.mark.parametrize("units", [None, []], ids=["not loaded", "none"])
def test_silence_without_units_loaded_says_some_unit_from_the_task(units) -> None:
    """Rule: silent, told from the task's ``stalest_report_at`` when its units were not
    loaded: "有单位 (a unit) 交办以来未反馈", counted from that instant (16 November: 7
    working days)."""
    task = _task([], dispatched=_at(16), stalest_report_at=_at(16))
    assert explain(task, _ctx(), units) == LightVerdict(
        Light.YELLOW, ("有单位交办以来未反馈（7 个工作日）",), 17)


def test_without_units_loaded_a_task_not_silent_gets_no_silence_reason() -> None:
    """Rule: the fallback silence reason only when the task is silent: due in 2 working days
    and last heard from yesterday, the only reason is the deadline."""
    task = _task([], deadline=date(2026, 11, 27), stalest_report_at=FRESH)
    assert explain(task, _ctx()) == LightVerdict(Light.YELLOW, ("剩余 2 个工作日",), 2)


def test_red_without_units_loaded_still_says_a_unit_is_silent() -> None:
    """Rule: red and silent, units not loaded: the fallback silence reason follows the red one."""
    task = _task([], deadline=date(2026, 11, 20), dispatched=_at(16), stalest_report_at=_at(16))
    assert explain(task, _ctx()) == LightVerdict(
        Light.RED, ("已逾期 3 个工作日（期限11月20日）", "有单位交办以来未反馈（7 个工作日）"), -3)


def test_silence_is_not_asked_once_closure_is_requested() -> None:
    """Rule: silence and acknowledgement are asked only while the task is handled: a timely
    closure request with a silent, unacknowledged unit is green, waiting for review."""
    units = [_unit("派出所")]
    task = _task(units, status=TaskStatus.CLOSURE_REQUESTED, dispatched=_at(2),
                 closure_requested_on=date(2026, 11, 24))
    assert explain(task, _ctx(), units) == LightVerdict(
        Light.GREEN, ("已于11月24日按期申请办结，待审核",), None)


# --- yellow: behind pace, with other causes ------------------------------------------------


def test_behind_pace_follows_the_other_yellow_causes() -> None:
    """Rule: behind planned pace, the earliest late stage named, after due soon, late
    acknowledgement and silence; a stage due today is not late."""
    units = [_unit("司法所", acknowledged=ACKED, role=UnitRole.LEAD), _unit("派出所")]
    stages = [LateStage(2, "起草", date(2026, 11, 20), "司法所"),
              LateStage(3, "审核", TODAY, "司法所")]
    task = _task(units, deadline=date(2026, 11, 26), dispatched=_at(16),
                 next_stage_due=date(2026, 11, 20))
    assert explain(task, _ctx(), units, stages=stages) == LightVerdict(Light.YELLOW, (
        "剩余 1 个工作日",
        "派出所逾期未签收（应于11月17日前签收）",
        "司法所、派出所交办以来未反馈（7 个工作日）",
        "进度滞后：阶段节点②“起草”应于11月20日完成（司法所）",
    ), 1)


@pytest.mark.parametrize(("seq", "written"), [(1, "①"), (2, "②"), (20, "⑳"), (21, "(21)"), (0, "(0)")])
def test_a_stage_number_is_circled_up_to_twenty(seq, written) -> None:
    """Rule: a stage's number as the office writes it: circled ① to ⑳, then "(21)"."""
    assert number(seq) == written


def test_behind_pace_names_the_earliest_late_stage_and_counts_the_others() -> None:
    """Rule: behind planned pace: the earliest late stage named with its number, title, day and
    unit, then how many stages are late in all; stages due today or later are not counted."""
    stages = [LateStage(1, "调研", date(2026, 11, 19), "派出所"),
              LateStage(2, "起草", date(2026, 11, 24), "司法所"),
              LateStage(3, "审核", TODAY, "司法所"), LateStage(4, "报送", date(2026, 11, 27), "司法所")]
    units = [_fine("司法所", UnitRole.LEAD), _fine("派出所")]
    task = _task(units, next_stage_due=date(2026, 11, 19))
    assert explain(task, _ctx(), units, stages=stages) == LightVerdict(
        Light.YELLOW, ("进度滞后：阶段节点①“调研”应于11月19日完成（派出所），共2个节点滞后",), 17)


@pytest.mark.parametrize("stages", [None, [LateStage(3, "审核", TODAY, "司法所")]],
                         ids=["not loaded", "none late"])
def test_behind_pace_without_a_late_stage_loaded_says_the_task_column_day(stages) -> None:
    """Rule: behind planned pace, told from the task's ``next_stage_due`` when the stages were
    not loaded (or none loaded is late): "a stage was due 11月20日"."""
    units = [_fine("司法所", UnitRole.LEAD)]
    task = _task(units, next_stage_due=date(2026, 11, 20))
    assert explain(task, _ctx(), units, stages=stages) == LightVerdict(
        Light.YELLOW, ("进度滞后：有阶段节点应于11月20日完成",), 17)


def test_a_stage_due_today_is_not_behind_pace() -> None:
    """Rule: behind pace only once a stage's day has passed: due today, the task stays green."""
    units = [_fine("司法所", UnitRole.LEAD)]
    task = _task(units, next_stage_due=TODAY)
    assert explain(task, _ctx(), units, stages=[LateStage(3, "审核", TODAY, "司法所")]) == LightVerdict(
        Light.GREEN, ("按期推进",), 17)
