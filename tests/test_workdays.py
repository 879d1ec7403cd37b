"""China's working-day calendar, on real 2025/2026 holiday and makeup-day dates."""

from datetime import date

import pytest

from coordboard.db import Database
from coordboard.models import CalendarOverride
from coordboard.services.workdays import WorkCalendar, has_official_schedule, load_calendar


@pytest.mark.parametrize(("day", "working"), [
    (date(2025, 1, 26), True),   # Sunday, makeup day before Spring Festival 2025
    (date(2025, 1, 29), False),  # Spring Festival 2025
    (date(2025, 2, 8), True),    # Saturday, makeup day after Spring Festival 2025
    (date(2026, 2, 14), True),   # Saturday, makeup day 2026
    (date(2026, 2, 18), False),  # Spring Festival 2026
    (date(2026, 2, 28), True),   # Saturday, makeup day 2026
    (date(2026, 9, 20), True),   # Sunday, makeup day before National Day 2026
    (date(2026, 10, 5), False),  # National Day 2026
    (date(2026, 10, 10), True),  # Saturday, makeup day after National Day 2026
    (date(2026, 11, 28), False), # an ordinary Saturday
    (date(2026, 11, 25), True),  # an ordinary Wednesday
])
def test_statutory_days(day: date, working: bool) -> None:
    assert WorkCalendar().is_workday(day) is working


def test_add_workdays_across_holidays_and_makeup_days() -> None:
    calendar = WorkCalendar()
    assert calendar.add_workdays(date(2026, 9, 30), 5) == date(2026, 10, 13)
    assert calendar.add_workdays(date(2026, 2, 13), 5) == date(2026, 2, 27)
    assert calendar.add_workdays(date(2026, 11, 25), -4) == date(2026, 11, 19)


def test_workdays_between_is_signed() -> None:
    calendar = WorkCalendar()
    assert calendar.workdays_between(date(2026, 9, 30), date(2026, 10, 13)) == 5
    assert calendar.workdays_between(date(2026, 10, 13), date(2026, 9, 30)) == -5
    assert calendar.workdays_between(date(2026, 11, 25), date(2026, 11, 25)) == 0
    assert date(2026, 10, 1) in calendar.skipped_days(date(2026, 9, 30), date(2026, 10, 13))


def test_years_without_official_data_are_flagged() -> None:
    assert has_official_schedule(2026)
    assert not has_official_schedule(2027)
    assert WorkCalendar().unofficial_years([date(2026, 12, 1), date(2027, 3, 1)]) == [2027]
    # Issue 11 rule 5: one override does not make a year official; a confirmation does.
    entered = WorkCalendar({date(2027, 2, 6): True})
    assert entered.unofficial_years([date(2027, 3, 1)]) == [2027]
    confirmed = WorkCalendar({date(2027, 2, 6): True}, frozenset({2027}))
    assert confirmed.unofficial_years([date(2027, 3, 1)]) == []


def test_office_overrides_win(db: Database) -> None:
    with db.write() as session:
        session.add(CalendarOverride(day=date(2026, 11, 27), is_workday=False, note="镇里停电"))
        session.add(CalendarOverride(day=date(2026, 11, 28), is_workday=True, note="补班"))
    with db.read() as session:
        calendar = load_calendar(session)
    assert not calendar.is_workday(date(2026, 11, 27))
    assert calendar.is_workday(date(2026, 11, 28))
    assert calendar.add_workdays(date(2026, 11, 26), 1) == date(2026, 11, 28)
