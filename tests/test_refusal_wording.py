"""The sentences that refuse a status change or a date, word for word, with their parameters.

Mutation testing (docs/testing.md) found that nothing asserted what these refusals say: the
task, the status, the action, what is possible instead; the refused date, the last date
allowed and the number of years. Pure functions: no database."""

from datetime import date, timedelta

import pytest

from coordboard.config import Settings
from coordboard.errors import DomainError, ValidationError
from coordboard.i18n import set_language
from coordboard.services.deadlines import check_date, latest
from coordboard.services.lifecycle import require

CODE = "DB-2026-042"
TODAY = date(2026, 11, 25)


def _transition(action: str, status: str) -> str:
    with pytest.raises(DomainError) as caught:
        require(action, status, CODE)
    assert caught.value.key == "error.transition"
    return str(caught.value)


def test_a_refused_status_change_names_the_task_status_action_and_what_is_possible() -> None:
    require("accept", "closure_requested", CODE)  # allowed: no refusal
    assert _transition("accept", "in_progress") == (
        "事项 DB-2026-042 当前为“办理中”，不能办结销号；可进行：修改、签收、反馈进展、督办留痕、"
        "回复督办、申请延期、申请调整、审批调整申请、审批延期、申请办结、暂缓、撤销、上传佐证材料、编排阶段节点、标记节点完成。")
    assert _transition("dispatch", "closed") == \
        "事项 DB-2026-042 当前为“已办结”，不能交办；可进行：督办留痕。"
    assert _transition("feedback", "withdrawn") == \
        "事项 DB-2026-042 当前为“已撤销”，不能反馈进展；可进行：无。"
    set_language("en")
    assert _transition("feedback", "withdrawn") == \
        "Task DB-2026-042 is “withdrawn”, so it cannot report progress; possible now: nothing."


def _refused(value: date, **kw: object) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_date(value, **kw)  # type: ignore[arg-type]
    return caught.value


def test_a_date_from_today_is_accepted_and_a_past_one_refused_naming_it() -> None:
    settings = Settings()
    assert check_date(TODAY, today=TODAY, settings=settings) == TODAY
    past = _refused(TODAY - timedelta(days=1), today=TODAY, settings=settings)
    assert past.key == "error.deadline_past"
    assert str(past) == "期限 2026-11-24 已过，请选择今天或以后的日期。"
    # An extension's new date is judged against the old deadline, not today: the past is allowed.
    assert check_date(TODAY - timedelta(days=1), today=TODAY, settings=settings,
                      allow_past=True) == TODAY - timedelta(days=1)


def test_the_last_day_allowed_is_the_same_day_years_on_and_the_next_is_refused_naming_it() -> None:
    settings = Settings()  # 5 years
    assert latest(TODAY, settings) == date(2031, 11, 25)
    assert check_date(date(2031, 11, 25), today=TODAY, settings=settings) == date(2031, 11, 25)
    far = _refused(date(2031, 11, 26), today=TODAY, settings=settings)
    assert far.key == "error.deadline_too_far"
    assert str(far) == "日期 2031-11-26 太远了：最晚只能到 2031-11-25（5 年以内）。"


def test_from_29_february_the_last_day_is_28_february_in_a_common_year() -> None:
    leap = date(2028, 2, 29)
    assert latest(leap, Settings()) == date(2033, 2, 28)
    assert latest(leap, Settings(max_deadline_years=4)) == date(2032, 2, 29)
    far = _refused(date(2033, 3, 1), today=leap, settings=Settings())
    assert str(far) == "日期 2033-03-01 太远了：最晚只能到 2033-02-28（5 年以内）。"


def test_with_no_years_allowed_only_today_is_accepted() -> None:
    settings = Settings(max_deadline_years=0)
    assert check_date(TODAY, today=TODAY, settings=settings) == TODAY
    far = _refused(TODAY + timedelta(days=1), today=TODAY, settings=settings)
    assert str(far) == "日期 2026-11-26 太远了：最晚只能到 2026-11-25（0 年以内）。"


def test_a_refusal_lists_only_what_the_user_may_do() -> None:
    """A unit head asking to extend a suspended task was told he could approve extensions,
    resume and withdraw it: the office's actions. What is possible is what this user may do."""
    heads = {"respond", "attach", "feedback", "acknowledge", "request_extension", "contest"}
    with pytest.raises(DomainError) as caught:
        require("request_extension", "suspended", CODE, may=heads.__contains__)
    assert str(caught.value) == \
        "事项 DB-2026-042 当前为“暂缓”，不能申请延期；可进行：回复督办、上传佐证材料。"
    with pytest.raises(DomainError) as caught:
        require("request_extension", "closed", CODE, may=heads.__contains__)
    assert str(caught.value).endswith("可进行：无。")
