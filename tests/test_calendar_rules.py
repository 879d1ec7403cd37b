"""Issue 11 items 5 and 6: the office enters and confirms a year's schedule (2027 has none)."""

from datetime import date

import pytest

from coordboard.db import Database
from coordboard.enums import Role
from coordboard.errors import ValidationError
from coordboard.services import workdays
from coordboard.services.permissions import Actor, allowed
from tests.test_rules import at, place


def test_an_override_does_not_make_a_year_official_a_confirmation_does(db: Database) -> None:
    with db.write() as session:
        workdays.set_override(session, day=date(2027, 2, 6), is_workday=True, note="补班",
                              actor_id=None)
    with db.read() as session:
        assert workdays.load_calendar(session).unofficial_years([date(2027, 3, 1)]) == [2027]
    with db.write() as session:
        workdays.confirm_year(session, year=2027, actor_id=None)
    with db.read() as session:
        assert workdays.load_calendar(session).unofficial_years([date(2027, 3, 1)]) == []


def test_import_a_notice_then_unset_a_mistake(db: Database) -> None:
    rows = workdays.parse_schedule(
        "day,kind,note\n2027-02-06,holiday,春节\n2027-02-07,workday,春节调休\n", ".csv")
    with db.write() as session:
        assert workdays.import_schedule(session, rows=rows, actor_id=None) == 2
    with db.read() as session:
        calendar = workdays.load_calendar(session)
    assert calendar.is_workday(date(2027, 2, 7)) and not calendar.is_workday(date(2027, 2, 6))
    assert calendar.confirmed_years == frozenset({2027})
    with db.write() as session:
        assert workdays.unset_override(session, day=date(2027, 2, 7), actor_id=None)
        assert not workdays.unset_override(session, day=date(2027, 2, 7), actor_id=None)
    with db.read() as session:
        assert not workdays.load_calendar(session).is_workday(date(2027, 2, 7))  # a Sunday
    toml = workdays.parse_schedule('[[days]]\nday = 2027-10-01\nkind = "holiday"\n', ".toml")
    assert toml == [(date(2027, 10, 1), False, "")]
    with pytest.raises(ValidationError):
        workdays.parse_schedule("2027-01-01,holiday\n2028-01-01,holiday\n", ".csv")
    with pytest.raises(ValidationError):
        workdays.parse_schedule("2027-01-01,day-off\n", ".csv")


def test_affected_lists_working_day_deadlines_reaching_into_the_year(db: Database) -> None:
    p = place(db)
    from coordboard import clock
    from coordboard.services import tasks
    from coordboard.services.tasks import UnitAssignment

    with clock.at(at(2026, 12, 21)), db.write() as session:
        task = tasks.register(session, actor_id=None, title="跨年事项", today=date(2026, 12, 21),
                              lead=UnitAssignment(p.units["司法所"]), workdays=15)
        tasks.dispatch(session, task=task, actor_id=None,
                       calendar=workdays.load_calendar(session), today=date(2026, 12, 21))
        code = task.code
    p.task(at(2026, 12, 21), date(2027, 1, 20))  # a fixed date: not computed from the calendar
    with db.read() as session:
        assert [row[0] for row in workdays.affected_tasks(session, 2027)] == [code]


def test_the_office_maintains_the_calendar() -> None:
    assert allowed(Actor(1, "o", Role.OFFICE, None), "manage_calendar")
    assert not allowed(Actor(1, "h", Role.HEAD, 1), "manage_calendar")


def test_a_draft_counted_in_working_days_shows_the_deadline_dispatch_today_would_give(
        db: Database) -> None:
    """A draft of 5 working days registered on Monday 28 December 2026 showed that Monday as
    its deadline (due today, then overdue on every list, the rules trial). It shows what
    dispatching it today gives (New Year's Day skipped: Tuesday 5 January), and dispatch
    still counts from its own day."""
    p = place(db)
    from coordboard import clock
    from coordboard.services import tasks
    from coordboard.services.tasks import UnitAssignment

    with clock.at(at(2026, 12, 28)), db.write() as session:
        task = tasks.register(session, actor_id=None, title="五个工作日", today=date(2026, 12, 28),
                              lead=UnitAssignment(p.units["司法所"]), workdays=5)
        assert (task.deadline, task.original_deadline) == (date(2027, 1, 5), date(2027, 1, 5))
    with clock.at(at(2026, 12, 30)), db.write() as session:
        task = tasks.task_by_code(session, task.code)
        tasks.dispatch(session, task=task, actor_id=None,
                       calendar=workdays.load_calendar(session), today=date(2026, 12, 30))
        assert task.deadline == date(2027, 1, 7)
