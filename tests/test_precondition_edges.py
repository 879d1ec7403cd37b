"""Tests named for the action rules that mutation testing found unguarded (docs/testing.md,
"Mutation testing"): each fails when its boundary, its refusal's wording or the unit it is
judged for moves. The checks are pure, so these build the task's state by hand."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from coordboard.config import Settings
from coordboard.enums import Role, TaskStatus, UnitRole
from coordboard.errors import DomainError, ValidationError
from coordboard.services.deadlines import check_workdays
from coordboard.services.permissions import Actor, PermissionDenied, authorize
from coordboard.services.preconditions import TaskState, UnitFacts, check

DEADLINE = date(2026, 12, 10)
LEAD, SUPPORT = 1, 2


def _state(*, lead_acknowledged: bool = False, extension_pending: bool = False,
           contest_pending: bool = False, contest_last_day: date = DEADLINE) -> TaskState:
    return TaskState(
        code="DB-2026-042", status=TaskStatus.IN_PROGRESS, deadline=DEADLINE,
        units=(UnitFacts(LEAD, "司法局", UnitRole.LEAD, lead_acknowledged, True, contest_pending),
               UnitFacts(SUPPORT, "公安局", UnitRole.SUPPORT, False, True, False)),
        open_notes=(), extension_pending=extension_pending,
        contest_last_day=contest_last_day, contest_workdays=3)


def _head(department_id: int) -> Actor:
    return Actor(user_id=department_id, username=f"head{department_id}", role=Role.HEAD,
                 department_id=department_id)


def _refusal(action: str, actor: Actor, state: TaskState, today: date) -> DomainError:
    with pytest.raises(DomainError) as caught:
        check(action, actor, state, today=today)
    return caught.value


def test_an_extension_may_be_asked_on_the_deadline_day_and_not_after() -> None:
    check("request_extension", _head(LEAD), _state(), today=DEADLINE)
    late = _refusal("request_extension", _head(LEAD), _state(), DEADLINE + timedelta(days=1))
    assert late.key == "error.extension_too_late"
    assert "DB-2026-042" in str(late) and "2026-12-10" in str(late)


def test_a_second_extension_request_is_refused_naming_the_task() -> None:
    pending = _refusal("request_extension", _head(LEAD), _state(extension_pending=True), DEADLINE)
    assert pending.key == "error.extension_pending"
    assert "DB-2026-042" in str(pending)


def test_a_contest_is_refused_while_one_is_pending_and_after_the_window() -> None:
    pending = _refusal("contest", _head(LEAD), _state(contest_pending=True), DEADLINE)
    assert pending.key == "error.contest_pending"
    assert "DB-2026-042" in str(pending)
    last = date(2026, 12, 1)
    check("contest", _head(LEAD), _state(contest_last_day=last), today=last)
    late = _refusal("contest", _head(LEAD), _state(contest_last_day=last), last + timedelta(days=1))
    assert late.key == "error.contest_too_late"
    assert "DB-2026-042" in str(late) and "2026-12-01" in str(late) and " 3 " in str(late)


def test_a_units_own_rule_is_judged_for_the_acting_unit() -> None:
    state = _state(lead_acknowledged=True)
    again = _refusal("acknowledge", _head(LEAD), state, DEADLINE)
    assert again.key == "error.already_acknowledged" and "DB-2026-042" in str(again)
    check("acknowledge", _head(SUPPORT), state, today=DEADLINE)  # the other unit has not yet


@pytest.mark.parametrize("value", ["七", 2.5, None, True])
def test_a_working_day_count_that_is_not_a_whole_number_is_refused_with_a_sentence(value) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        check_workdays(value, settings=Settings())
    assert caught.value.key == "error.workdays_range"
    assert str(value) in str(caught.value) and str(Settings().max_workdays) in str(caught.value)


def test_closure_is_refused_naming_every_silent_supporter() -> None:
    state = TaskState(
        code="DB-2026-042", status=TaskStatus.IN_PROGRESS, deadline=DEADLINE,
        units=(UnitFacts(LEAD, "司法局", UnitRole.LEAD, True, True, False),
               UnitFacts(SUPPORT, "公安局", UnitRole.SUPPORT, True, False, False),
               UnitFacts(3, "民政局", UnitRole.SUPPORT, True, False, False)),
        open_notes=(), extension_pending=False, contest_last_day=DEADLINE, contest_workdays=3)
    silent = _refusal("request_closure", _head(LEAD), state, DEADLINE)
    assert silent.key == "error.supporters_silent"
    assert "DB-2026-042" in str(silent) and "公安局、民政局" in str(silent)


def test_one_to_the_maximum_working_days_are_accepted_and_the_refusal_names_both() -> None:
    settings = Settings()
    assert check_workdays(1, settings=settings) == 1
    assert check_workdays(settings.max_workdays, settings=settings) == settings.max_workdays
    for wrong in (0, settings.max_workdays + 1):
        with pytest.raises(ValidationError) as caught:
            check_workdays(wrong, settings=settings)
        assert caught.value.key == "error.workdays_range"
        assert str(wrong) in str(caught.value) and str(settings.max_workdays) in str(caught.value)


def test_a_refusal_says_whether_the_role_the_unit_or_the_lead_is_missing() -> None:
    """Not allowed at all, allowed only on one's own unit's tasks, or only for the lead unit:
    three sentences, each naming the action and the role (the first also who may)."""
    with pytest.raises(PermissionDenied) as role:
        authorize(Actor(1, "leader", Role.LEADER, None), "register")
    assert role.value.key == "error.permission"
    assert "登记事项" in str(role.value) and "领导" in str(role.value) and "法治办" in str(role.value)
    with pytest.raises(PermissionDenied) as own:
        authorize(_head(LEAD), "feedback", None)
    assert own.value.key == "error.permission_own"
    assert "部门负责人" in str(own.value) and "反馈进展" in str(own.value)
    with pytest.raises(PermissionDenied) as lead:
        authorize(_head(SUPPORT), "request_closure", UnitRole.SUPPORT)
    assert lead.value.key == "error.permission_lead" and "申请办结" in str(lead.value)
    with pytest.raises(PermissionDenied) as two:
        authorize(_head(LEAD), "manage_calendar")
    assert "系统管理员、法治办" in str(two.value)  # who may: the administrator and the office


def test_a_unit_attaches_evidence_once_the_task_is_dispatched_the_office_also_to_a_draft() -> None:
    draft = replace(_state(), status=TaskStatus.DRAFT)
    early = _refusal("attach", _head(LEAD), draft, DEADLINE)
    assert str(early) == "事项DB-2026-042尚未交办，交办后才能上传佐证材料。"
    check("attach", Actor(9, "office", Role.OFFICE, None), draft, today=DEADLINE)
    check("attach", _head(LEAD), _state(), today=DEADLINE)
