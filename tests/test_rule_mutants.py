"""Named rules that mutation testing of services/workdays.py and services/rules.py found
unasserted (issue 9; docs/testing.md, "Mutation testing"): exact values at the boundaries.

Real dates: 2026 National Day off 10-01…10-07 with makeup Sun 09-20 and Sat 10-10;
New Year 2026 off 01-01…01-03 with makeup Sun 01-04; 2027 has no official schedule.
Pure functions where possible; the few database cases run on SQLite only.
"""

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pendulum
import pytest
from sqlmodel import col, select

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Light, Role
from coordboard.errors import ValidationError
from coordboard.models import AuditEvent, Department, SupervisionNote, Task, TaskStage, TaskUnit
from coordboard.services import directory, rules, workdays
from coordboard.services.rules import UnitFacts
from coordboard.services.workdays import (
    DateOutOfRange,
    DayInfo,
    DeadlinePreview,
    WorkCalendar,
    describe,
    preview_workdays,
)

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _walk(calendar: WorkCalendar, start: date, end: date) -> int:
    """Working days in (start, end], one day at a time (the slow, obvious count)."""
    return sum(calendar.is_workday(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))


# --- working days: counting -----------------------------------------------------------------


def test_weekdays_are_counted_from_a_monday_five_a_week() -> None:
    """Rule: past the statutory horizon a working day is a weekday, counted arithmetically
    from 0001-01-01, a Monday: its first Saturday closes 5 weekdays, its first Sunday too."""
    assert workdays._weekdays_through(date(1, 1, 1)) == 1
    assert workdays._weekdays_through(date(1, 1, 6)) == 5   # Saturday: still 5
    assert workdays._weekdays_through(date(1, 1, 7)) == 5   # Sunday: one week, 5
    assert workdays._weekdays_through(date(1, 1, 8)) == 6   # Monday of week two
    assert WorkCalendar().workdays_between(date(2100, 1, 1), date(2100, 1, 31)) == 20


def test_a_count_across_new_year_adds_each_whole_year_exactly() -> None:
    """Rule: working days across a year edge are the old year's rest plus the new year's
    start: 2025-12-27 (Sat) → 2026-01-05 is Mon–Wed 29–31, Sun 01-04 (makeup) and Mon 01-05."""
    calendar = WorkCalendar()
    assert calendar.workdays_between(date(2025, 12, 27), date(2026, 1, 5)) == 5
    assert calendar.workdays_between(date(2024, 6, 1), date(2026, 6, 1)) == 495
    assert _walk(calendar, date(2024, 6, 1), date(2026, 6, 1)) == 495


def test_a_count_starting_on_a_day_off_excludes_that_day() -> None:
    """Rule: the span is (start, end]: Saturday → Monday is one working day, the Monday."""
    assert WorkCalendar().workdays_between(date(2026, 11, 28), date(2026, 11, 30)) == 1


def test_the_office_overrides_inside_a_year_shift_the_running_count() -> None:
    """Rule: an override counts where it lies: Saturday 11-28 worked adds one day to
    every span through it, a Friday off removes one."""
    calendar = WorkCalendar({date(2026, 11, 28): True, date(2026, 12, 4): False})
    assert calendar.workdays_between(date(2026, 11, 20), date(2026, 12, 4)) == 10 + 1 - 1
    assert calendar.workdays_between(date(2026, 11, 20), date(2026, 12, 3)) == 9 + 1
    assert calendar.workdays_between(date(2026, 11, 29), date(2026, 12, 7)) == 6 - 1


def test_overrides_past_the_horizon_count_only_inside_the_span() -> None:
    """Rule: past 2099 an override counts when it lies in (start, end] and differs from the
    weekday rule: a worked Saturday +1, a Monday off −1; the start day and days outside
    the span (even a 2026 override) change nothing."""
    monday, saturday, end = date(2100, 1, 4), date(2100, 1, 9), date(2100, 1, 15)
    assert WorkCalendar().workdays_between(monday, end) == 9
    assert WorkCalendar({saturday: True}).workdays_between(monday, end) == 10
    assert WorkCalendar({monday: False}).workdays_between(monday, end) == 9  # start excluded
    assert WorkCalendar({end: False}).workdays_between(monday, end) == 8  # end included
    assert WorkCalendar({date(2026, 11, 25): False}).workdays_between(monday, end) == 9


def test_a_calendar_keeps_each_years_running_count() -> None:
    """Rule: a board page asks for every row, so a year's running count is built once per
    calendar and then looked up (the same list every time)."""
    calendar = WorkCalendar()
    counts = calendar._year_counts(2026)
    assert len(counts) == 365 and calendar._year_counts(2026) is counts


def test_adding_past_the_last_day_is_refused_with_its_start_and_count() -> None:
    """Rule: counting past 9999-12-31 is refused, naming the start and the count."""
    with pytest.raises(DateOutOfRange) as refused:
        WorkCalendar().add_workdays(date(9999, 12, 28), 5)
    assert refused.value.key == "error.date_out_of_range"
    assert refused.value.params == {"start": "9999-12-28", "count": 5}


def test_skipped_days_are_the_days_off_strictly_after_the_start_through_the_end() -> None:
    """Rule: skipped days lie in (start, end]: from Sat 10-03 the holiday's rest and Sun 10-11,
    never the start itself, nor Mon 10-12 past the end; Sat 10-10 is worked (调休)."""
    calendar = WorkCalendar()
    off = [date(2026, 10, d) for d in (4, 5, 6, 7)]
    assert calendar.skipped_days(date(2026, 10, 3), date(2026, 10, 11)) == [*off, date(2026, 10, 11)]
    assert calendar.skipped_days(date(2026, 10, 3), date(2026, 10, 10)) == off


# --- working days: describing a span ------------------------------------------------------


def test_each_day_says_why_it_is_or_is_not_a_working_day() -> None:
    """Rule: a day is a holiday (with its name, in Chinese by default), a makeup weekend day,
    an ordinary weekend day (Saturday and Sunday) or a working day; the office's override wins
    and shows its note, or nothing."""
    calendar = WorkCalendar({date(2026, 10, 12): False, date(2026, 10, 13): False})
    days = describe(calendar, date(2026, 10, 6), date(2026, 10, 17), {date(2026, 10, 12): "停电"})
    kinds = [(d.day.day, d.is_workday, d.kind, d.name) for d in days]
    assert kinds == [
        (6, False, "holiday", "休息日（由 2026-09-20 调休）"),
        (7, False, "holiday", "休息日（由 2026-10-10 调休）"),
        (8, True, "workday", ""), (9, True, "workday", ""),
        (10, True, "makeup", ""),  # Saturday worked
        (11, False, "weekend", ""),  # Sunday
        (12, False, "override", "停电"), (13, False, "override", ""),
        (14, True, "workday", ""), (15, True, "workday", ""), (16, True, "workday", ""),
        (17, False, "weekend", ""),  # an ordinary Saturday
    ]
    assert describe(calendar, date(2026, 10, 12), date(2026, 10, 12))[0].name == ""
    assert describe(WorkCalendar(), date(2026, 9, 20), date(2026, 9, 20))[0].kind == "makeup"
    assert describe(calendar, date(2026, 10, 1), date(2026, 10, 1))[0].name == "国庆节"
    assert describe(calendar, date(2026, 10, 1), date(2026, 10, 1), language="zh")[0].name == "国庆节"
    assert describe(calendar, date(2026, 10, 1), date(2026, 10, 1), language="en")[0].name == "National Day"


def _holiday(day: int, name: str) -> DayInfo:
    return DayInfo(date(2026, 10, day), False, "holiday", name)


def test_a_preview_names_the_days_a_span_skips_and_the_makeup_days_it_counts() -> None:
    """Rule: "5 working days from 09-30" ends Tue 10-13, skipping 10-01…10-07 and Sun 10-11
    and counting Sat 10-10 (调休); the start day itself is not part of the span."""
    assert preview_workdays(WorkCalendar(), date(2026, 9, 30), 5) == DeadlinePreview(
        deadline=date(2026, 10, 13),
        days_off=[_holiday(1, "国庆节"), _holiday(2, "国庆节"), _holiday(3, "国庆节"),
                  DayInfo(date(2026, 10, 4), False, "weekend", ""),
                  _holiday(5, "国庆节（补假）"), _holiday(6, "休息日（由 2026-09-20 调休）"),
                  _holiday(7, "休息日（由 2026-10-10 调休）"),
                  DayInfo(date(2026, 10, 11), False, "weekend", "")],
        makeup_days=[DayInfo(date(2026, 10, 10), True, "makeup", "")],
        unofficial=False)
    # From Sunday 10-11 (a day off after a makeup Saturday): only Monday 10-12.
    assert preview_workdays(WorkCalendar(), date(2026, 10, 11), 1) == DeadlinePreview(
        deadline=date(2026, 10, 12), days_off=[], makeup_days=[], unofficial=False)
    into_2027 = preview_workdays(WorkCalendar(), date(2026, 12, 28), 5, language="en")
    assert into_2027.deadline == date(2027, 1, 5) and into_2027.unofficial is True
    assert into_2027.days_off[0] == DayInfo(date(2027, 1, 1), False, "holiday", "New Year's Day")


# --- working days: the office's schedule file ---------------------------------------------


def test_a_schedule_file_keeps_its_notes_and_skips_comments_and_the_header() -> None:
    """Rule: CSV ``day,kind[,note]``: a missing note is "", a comment or header line is
    skipped; TOML ``[[days]]`` reads ``note`` too."""
    csv_text = "# 2027年放假安排,见国务院通知\nday,kind,note\n2027-02-06,holiday, 春节 \n2027-02-07,workday\n"
    assert workdays.parse_schedule(csv_text, ".CSV") == [
        (date(2027, 2, 6), False, "春节"), (date(2027, 2, 7), True, "")]
    toml = '[[days]]\nday = 2027-10-01\nkind = "holiday"\nnote = "国庆节"\n'
    assert workdays.parse_schedule(toml, ".TOML") == [(date(2027, 10, 1), False, "国庆节")]


def test_a_bad_schedule_file_is_refused_saying_what_is_wrong() -> None:
    """Rule: an unknown kind is refused naming the day and the kind; a file of no day or of
    two years is refused naming its years (or "—")."""
    with pytest.raises(ValidationError) as bad_kind:
        workdays.parse_schedule("2027-01-01,day-off\n", ".csv")
    assert (bad_kind.value.key, bad_kind.value.params) == (
        "error.calendar_import", {"detail": "2027-01-01: day-off"})
    with pytest.raises(ValidationError) as two_years:
        workdays.parse_schedule("2027-01-01,holiday\n2028-01-01,holiday\n", ".csv")
    assert (two_years.value.key, two_years.value.params) == (
        "error.calendar_import_year", {"years": "2027, 2028"})
    with pytest.raises(ValidationError) as empty:
        workdays.parse_schedule("title = '2027'\n", ".toml")
    assert (empty.value.key, empty.value.params) == ("error.calendar_import_year", {"years": "—"})


# --- working days: the office maintains the calendar (SQLite) -----------------------------


def _events(db: Database, entity: str) -> list[tuple[int | None, int, str, object, object]]:
    with db.read() as session:
        rows = session.exec(select(AuditEvent).where(AuditEvent.entity == entity)
                            .order_by(col(AuditEvent.id))).all()
        return [(e.actor_id, e.entity_id, e.action, e.before, e.after) for e in rows]


@sqlite_only
def test_each_calendar_change_is_audited_with_who_which_day_and_what(db: Database) -> None:
    """Rule: setting, changing and removing a day's override and confirming a year are
    audited by the acting user, the day as YYYYMMDD, the action and the values; a second
    override of a day replaces the first."""
    with db.write() as session:
        office = directory.add_user(session, username="fzb", display_name="法治办",
                                    role=Role.OFFICE, password="secret123", password_hash="-").id
        workdays.set_override(session, day=date(2027, 2, 6), is_workday=True, note="补班",
                              actor_id=office)
    with db.write() as session:
        workdays.set_override(session, day=date(2027, 2, 6), is_workday=False, note="改为休息",
                              actor_id=office)
    with db.read() as session:
        assert workdays.load_calendar(session).overrides == {date(2027, 2, 6): False}
    with db.write() as session:
        assert workdays.unset_override(session, day=date(2027, 2, 6), actor_id=office)
        workdays.import_schedule(session, rows=[(date(2027, 10, 8), False, "国庆节")],
                                 actor_id=office)
    day = 20270206
    assert _events(db, "calendar_override") == [
        (office, day, "calendar_set", None, {"day": "2027-02-06", "is_workday": True, "note": "补班"}),
        (office, day, "calendar_set", None,
         {"day": "2027-02-06", "is_workday": False, "note": "改为休息"}),
        (office, day, "calendar_unset",
         {"day": "2027-02-06", "is_workday": False, "note": "改为休息"}, None),
        (office, 20271008, "calendar_set", None,
         {"day": "2027-10-08", "is_workday": False, "note": "国庆节"}),
    ]
    assert _events(db, "calendar_year") == [(office, 2027, "calendar_confirm", None, {"year": 2027})]


@sqlite_only
def test_the_calendar_view_is_in_the_asked_language_and_knows_confirmed_years(db: Database) -> None:
    """Rule: ``calendar show`` names holidays in Chinese unless asked otherwise, and a year
    the office confirmed is not flagged unofficial."""
    with db.write() as session:
        workdays.confirm_year(session, year=2027, actor_id=None)
    with db.read() as session:
        zh = workdays.calendar_view(session, date(2026, 10, 1), date(2026, 10, 1))
        en = workdays.calendar_view(session, date(2026, 10, 1), date(2026, 10, 1), "en")
        confirmed = workdays.calendar_view(session, date(2027, 3, 1), date(2027, 3, 1))
    assert (zh.days[0].name, en.days[0].name) == ("国庆节", "National Day")
    assert confirmed.unofficial is False


def _task(n: int, deadline: date, dispatched: datetime | None, status: str = "in_progress",
          rule: str = "workdays") -> Task:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    return Task(code=f"DB-T-{n}", year=2026, seq=n, title=f"事项{n}", deadline=deadline,
                original_deadline=deadline, deadline_rule=rule, status=status,
                created_at=when, updated_at=when, dispatched_at=dispatched)


@sqlite_only
def test_tasks_to_review_after_a_notice_reach_into_its_year(db: Database) -> None:
    """Rule: to review once year Y's notice is entered: open tasks counted in working days,
    dispatched in Y or before, deadline on or after Y-01-01, by deadline."""
    in_2027, in_2026 = datetime(2027, 3, 1, 2, tzinfo=UTC), datetime(2026, 12, 1, 2, tzinfo=UTC)
    with db.write() as session:
        session.add_all([
            _task(1, date(2027, 4, 1), in_2027, status="assigned"),  # dispatched in the year
            _task(2, date(2027, 1, 1), in_2026),  # deadline on the first day
            _task(3, date(2026, 12, 31), in_2026),  # deadline before the year
            _task(4, date(2027, 2, 1), in_2026, status="closed"),
            _task(5, date(2027, 2, 1), in_2026, rule="date"),
            _task(6, date(2028, 2, 1), datetime(2028, 1, 3, 2, tzinfo=UTC)),  # dispatched after the year
            _task(7, date(2027, 2, 1), None, status="assigned"),
        ])
    with db.read() as session:
        assert workdays.affected_tasks(session, 2027) == [
            ("DB-T-2", "事项2", date(2027, 1, 1)), ("DB-T-1", "事项1", date(2027, 4, 1))]



# --- the supervision rules (services/rules.py): SQL and Python on one ledger (SQLite) ------

TODAY = date(2026, 11, 25)  # a Wednesday
YELLOW_UNTIL = date(2026, 11, 30)  # 3 working days on: Thu, Fri, Mon
SILENT_BEFORE = datetime(2026, 11, 17, 16, tzinfo=UTC)  # 2026-11-18 00:00 in Shanghai
ACK_BEFORE = datetime(2026, 11, 23, 16, tzinfo=UTC)  # 2026-11-24 00:00 in Shanghai
CLOSED_BEFORE = datetime(2026, 11, 24, 16, tzinfo=UTC)  # today's start: a bulletin as of today
RECENT = datetime(2026, 11, 24, 2, tzinfo=UTC)
SECOND = timedelta(seconds=1)
CTX = rules.LightContext(today=TODAY, now=datetime(2026, 11, 25, 2, tzinfo=UTC),
                         yellow_until=YELLOW_UNTIL, silent_before=SILENT_BEFORE,
                         ack_before=ACK_BEFORE, calendar=WorkCalendar(),
                         feedback_period_workdays=5, ack_workdays=1)


def _day(n: int) -> date:
    return TODAY + timedelta(days=n)


# code: task fields, then its units as (label, acknowledged_at, last_feedback_at).
ACKED = [("lead", RECENT, RECENT)]
LEDGER: dict[str, tuple[dict[str, object], list[tuple[str, datetime | None, datetime | None]]]] = {
    "draft": ({"status": "draft", "deadline": _day(-5), "dispatched_at": None,
               "stalest_report_at": None}, []),
    "closed-on-time": ({"status": "closed", "deadline": _day(-5), "closure_requested_on": _day(-5),
                        "closed_at": datetime(2026, 11, 22, 2, tzinfo=UTC),
                        "open_urge_respond_by": _day(-3)}, ACKED),
    "closed-late": ({"status": "closed", "deadline": _day(-5), "closure_requested_on": _day(-3),
                     "closed_at": CLOSED_BEFORE + timedelta(hours=11),
                     "open_urge_respond_by": _day(-3)}, ACKED),
    "closed-unrequested": ({"status": "closed", "deadline": _day(-5),
                            "closed_at": datetime(2026, 11, 21, 2, tzinfo=UTC)}, ACKED),
    "closed-at-edge": ({"status": "closed", "deadline": _day(-5), "closed_at": CLOSED_BEFORE},
                       ACKED),
    "suspended": ({"status": "suspended", "deadline": _day(-5), "open_urge_respond_by": _day(-3)},
                  ACKED),
    "withdrawn": ({"status": "withdrawn", "deadline": _day(-5)}, ACKED),
    "stopped": ({"status": "closure_requested", "deadline": _day(-1), "closure_requested_on": _day(-1),
                 "open_urge_respond_by": _day(-3), "next_stage_due": _day(-3),
                 "stalest_report_at": SILENT_BEFORE - timedelta(days=1)},
                [("lead", RECENT, SILENT_BEFORE - timedelta(days=1))]),
    "late-request": ({"status": "closure_requested", "deadline": _day(-2),
                      "closure_requested_on": _day(-1), "dispatched_at": ACK_BEFORE - timedelta(days=9),
                      "stalest_report_at": SILENT_BEFORE - timedelta(days=1)},
                     [("lead", None, SILENT_BEFORE - timedelta(days=1))]),
    "undated-request": ({"status": "closure_requested", "deadline": _day(-1)}, ACKED),
    "returned": ({"status": "in_progress", "deadline": _day(-1), "closure_requested_on": _day(-5)},
                 ACKED),
    "overdue": ({"deadline": _day(-1), "stalest_report_at": SILENT_BEFORE - SECOND},
                [("lead", RECENT, SILENT_BEFORE - SECOND)]),
    "due-today": ({"deadline": TODAY}, ACKED),
    "due-last-yellow": ({"deadline": YELLOW_UNTIL}, ACKED),
    "due-after-yellow": ({"deadline": YELLOW_UNTIL + timedelta(days=1)}, ACKED),
    "urged": ({"open_urge_respond_by": _day(-1)}, ACKED),
    "urge-due-today": ({"open_urge_respond_by": TODAY}, ACKED),
    "behind": ({"next_stage_due": _day(-1)}, ACKED),
    "stage-due-today": ({"next_stage_due": TODAY}, ACKED),
    "silent": ({"stalest_report_at": SILENT_BEFORE - SECOND},
               [("lead", RECENT, SILENT_BEFORE - SECOND)]),
    "heard-at-edge": ({"stalest_report_at": SILENT_BEFORE}, [("lead", RECENT, SILENT_BEFORE)]),
    "late-ack": ({"status": "assigned", "dispatched_at": ACK_BEFORE - SECOND},
                 [("lead", ACK_BEFORE, None), ("support", None, None)]),
    "ack-at-edge": ({"status": "assigned", "dispatched_at": ACK_BEFORE}, [("lead", None, None)]),
    "acknowledged": ({"status": "acknowledged", "dispatched_at": ACK_BEFORE - SECOND},
                     [("lead", ACK_BEFORE, None)]),
    "undispatched": ({"status": "assigned", "dispatched_at": None, "stalest_report_at": None,
                      "created_at": SILENT_BEFORE - SECOND}, [("lead", None, None)]),
    "never-reported": ({"dispatched_at": SILENT_BEFORE - SECOND,
                        "stalest_report_at": SILENT_BEFORE - SECOND}, [("lead", RECENT, None)]),
    "requested-tomorrow": ({"status": "closure_requested", "deadline": _day(5),
                            "closure_requested_on": _day(1), "open_urge_respond_by": _day(-1)}, ACKED),
    "requested-today": ({"status": "closure_requested", "deadline": _day(5),
                         "closure_requested_on": TODAY, "open_urge_respond_by": _day(-1)}, ACKED),
}
NOT_OPEN = {"draft", "closed-on-time", "closed-late", "closed-unrequested", "closed-at-edge",
            "suspended", "withdrawn"}
STOPPED = {"stopped", "requested-tomorrow", "requested-today"}
RED = {"late-request", "undated-request", "returned", "overdue", "urged"}
YELLOW = {"due-today", "due-last-yellow", "behind", "silent", "late-ack", "never-reported"}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Database]:
    """The ledger above in one SQLite file, written once for the module's tests."""
    target = tmp_path_factory.mktemp("ledger") / "ledger.db"
    shutil.copy(sqlite_template, target)
    db = Database.from_url(f"sqlite:///{target}")
    with db.write() as session:
        units = [Department(name=name, short_name=name) for name in ("司法所", "派出所")]
        session.add_all(units)
        session.flush()
        for n, (code, (fields, unit_rows)) in enumerate(LEDGER.items(), start=1):
            values: dict[str, object] = {"status": "in_progress", "deadline": _day(10),
                                         "dispatched_at": RECENT, "stalest_report_at": RECENT,
                                         "created_at": RECENT - timedelta(days=30), **fields}
            values.setdefault("original_deadline", values["deadline"])
            task = Task(code=code, year=2026, seq=n, title=code, updated_at=RECENT, **values)
            session.add(task)
            session.flush()
            for department, (label, acknowledged, fed) in zip(units, unit_rows, strict=False):
                session.add(TaskUnit(task_id=task.id, department_id=department.id, role=label,
                                     part=f"{code}/{label}", acknowledged_at=acknowledged,
                                     last_feedback_at=fed))
        first = session.exec(select(Task).where(Task.code == "due-today")).one()
        for label, respond_by, answered in (("late", _day(-1), None), ("answered", _day(-1), RECENT),
                                            ("due-today", TODAY, None), ("no-date", None, None)):
            session.add(SupervisionNote(task_id=first.id, kind="urge", body=label, created_at=RECENT,
                                        respond_by=respond_by, responded_at=answered))
        for seq, (label, due, reached) in enumerate((
                ("late", _day(-1), None), ("due-today", TODAY, None),
                ("reached-before", _day(-1), CLOSED_BEFORE - SECOND),
                ("reached-at", _day(-1), CLOSED_BEFORE),
                ("reached-after", _day(-1), CLOSED_BEFORE + timedelta(hours=1)))):
            session.add(TaskStage(task_id=first.id, seq=seq, title=label, due=due,
                                  department_id=units[0].id, reached_at=reached))
    yield db
    db.dispose()


def _sql(db: Database, where: object) -> set[str]:
    with db.read() as session:
        return set(session.exec(select(Task.code).where(where)).all())  # type: ignore[arg-type]


def _py(db: Database, verdict: Callable[[Task], bool]) -> set[str]:
    with db.read() as session:
        return {task.code for task in session.exec(select(Task)).all() if verdict(task)}


def _both(db: Database, where: object, verdict: Callable[[Task], bool]) -> set[str]:
    """The rule's SQL and Python answers, asserted equal, as one set of codes."""
    in_sql = _sql(db, where)
    assert in_sql == _py(db, verdict)
    return in_sql


def test_open_and_clock_stopped(ledger: Database) -> None:
    """Rule: open = assigned … closure requested; the clock stops only for a closure request
    dated on or before the deadline (not one dated after it, not an undated one, not a
    returned task that kept its old date)."""
    assert _both(ledger, rules.open_sql(), rules.is_open) == set(LEDGER) - NOT_OPEN
    assert _both(ledger, rules.clock_stopped_sql(), rules.is_clock_stopped) == STOPPED
    with ledger.read() as session:
        stopped = session.exec(select(Task).where(Task.code == "stopped")).one()
        assert rules.is_clock_stopped(stopped, _day(-2)) is False  # judged by another deadline
        assert rules.is_clock_stopped(stopped, _day(-1)) is True


def test_overdue_due_soon_urge_and_pace_boundaries(ledger: Database) -> None:
    """Rule: overdue = running and deadline before today; due soon = running and deadline in
    [today, yellow_until]; urge unanswered / behind pace = running and the respond-by / stage
    day before today (that day itself is not late)."""
    assert _both(ledger, rules.overdue_sql(CTX), lambda t: rules.is_overdue(t, CTX)) == {
        "late-request", "undated-request", "returned", "overdue"}
    assert _both(ledger, rules.due_soon_sql(CTX), lambda t: rules.is_due_soon(t, CTX)) == {
        "due-today", "due-last-yellow"}
    assert _both(ledger, rules.urge_unanswered_sql(CTX),
                 lambda t: rules.is_urge_unanswered(t, CTX)) == {"urged"}
    assert _both(ledger, rules.behind_pace_sql(CTX), lambda t: rules.is_behind_pace(t, CTX)) == {
        "behind"}


def _units(db: Database) -> dict[str, list[UnitFacts]]:
    with db.read() as session:
        rows = session.exec(select(Task.code, TaskUnit).join(TaskUnit, col(TaskUnit.task_id) == Task.id)
                            .order_by(col(TaskUnit.id))).all()
    facts: dict[str, list[UnitFacts]] = {code: [] for code in LEDGER}
    for code, unit in rows:
        facts[code].append(UnitFacts(unit.part, unit.role, unit.last_feedback_at, unit.acknowledged_at))
    return facts


def _per_unit(db: Database, where: object, verdict: Callable[[Task, UnitFacts], bool]) -> set[str]:
    with db.read() as session:
        in_sql = set(session.exec(select(TaskUnit.part).join(Task, col(TaskUnit.task_id) == Task.id)
                                  .where(where)).all())  # type: ignore[arg-type]
        tasks_by_code = {t.code: t for t in session.exec(select(Task)).all()}
    in_py = {unit.name for code, units in _units(db).items() for unit in units
             if verdict(tasks_by_code[code], unit)}
    assert in_sql == in_py
    return in_sql


def test_silence_and_late_acknowledgement(ledger: Database) -> None:
    """Rule: silent = being handled and last heard (report, else dispatch, else creation)
    before the cutoff instant, not at it; late acknowledgement = being handled, dispatched
    before the cutoff instant and some unit not acknowledged. A closure request ends both."""
    assert _both(ledger, rules.silent_sql(CTX), lambda t: rules.is_silent(t, CTX)) == {
        "overdue", "silent", "never-reported"}
    assert _per_unit(ledger, rules.unit_silent_sql(CTX),
                     lambda t, u: rules.is_unit_silent(t, u, CTX)) == {
        "overdue/lead", "silent/lead", "never-reported/lead", "undispatched/lead"}
    facts = _units(ledger)
    assert _both(ledger, rules.late_ack_sql(CTX),
                 lambda t: rules.is_late_ack(t, facts[t.code], CTX)) == {"late-ack"}
    assert _per_unit(ledger, rules.unit_late_ack_sql(CTX),
                     lambda t, u: rules.is_unit_late_ack(t, u, CTX)) == {"late-ack/support"}
    with ledger.read() as session:
        heard = dict(session.exec(select(TaskUnit.part, rules.unit_heard_sql())
                                  .join(Task, col(TaskUnit.task_id) == Task.id)).all())
    assert heard["silent/lead"] == SILENT_BEFORE - SECOND  # its report
    assert heard["never-reported/lead"] == SILENT_BEFORE - SECOND  # the dispatch
    assert heard["undispatched/lead"] == SILENT_BEFORE - SECOND  # the creation


def test_the_light_red_before_yellow_before_green(ledger: Database) -> None:
    """Rule: no light when not open; red = overdue or urge unanswered (even when also
    yellow); yellow = due soon, silent, late acknowledgement or behind pace; else green;
    the CASE, the WHERE filter per light and the Python verdict agree."""
    expected = {code: Light.NONE if code in NOT_OPEN else Light.RED if code in RED
                else Light.YELLOW if code in YELLOW else Light.GREEN for code in LEDGER}
    with ledger.read() as session:
        in_case = {code: Light(light) for code, light in
                   session.exec(select(Task.code, rules.light_case(CTX))).all()}
    assert in_case == expected
    facts = _units(ledger)
    assert _py(ledger, lambda t: rules.light_of(t, facts[t.code], CTX) == expected[t.code]) == set(LEDGER)
    for light in Light:
        wanted = {code for code, lit in expected.items() if lit == light}
        assert _sql(ledger, rules.light_filter(CTX, light)) == wanted, light


def test_on_time_and_scored_overdue(ledger: Database) -> None:
    """Rule: on time = closed, and the closure asked for on or before the deadline (or the
    day given); scored overdue = not draft, suspended or withdrawn, the scoring deadline
    before the day judged, not on time and no timely closure request waiting."""
    assert _both(ledger, rules.on_time_sql(), rules.is_on_time) == {"closed-on-time"}
    assert _both(ledger, rules.on_time_sql(_day(-3)), lambda t: rules.is_on_time(t, _day(-3))) == {
        "closed-on-time", "closed-late"}
    assert _py(ledger, lambda t: rules.finished_on(t) is not None) == {"closed-on-time", "closed-late"}
    assert _both(ledger, rules.scored_overdue_sql(col(Task.deadline), TODAY),
                 lambda t: rules.is_scored_overdue(t, t.deadline, TODAY)) == {
        "closed-late", "closed-unrequested", "closed-at-edge", "late-request", "undated-request", "returned",
        "overdue"}
    # Scoring keeps the original deadline: an extension does not undo a miss of it.
    # Judged by an earlier (original) deadline: a request dated on or before it stops the clock.
    assert _both(ledger, rules.scored_overdue_sql(_day(-1), TODAY),
                 lambda t: rules.is_scored_overdue(t, _day(-1), TODAY)) == set(LEDGER) - {
        "draft", "suspended", "withdrawn", "closed-on-time", "closed-late", "stopped",
        "late-request"}
    # A deadline of the very day judged is not yet missed.
    assert _both(ledger, rules.scored_overdue_sql(TODAY, TODAY),
                 lambda t: rules.is_scored_overdue(t, TODAY, TODAY)) == set()


def test_lagging_and_urge_lagging_as_of_a_bulletin_day(ledger: Database) -> None:
    """Rule: as of a bulletin day, lagging = not closed before the given instant (a task
    closed at that very instant still lags), not draft / suspended / withdrawn, the
    deadline before that day and no timely closure request (dated on or before the deadline
    and that day); an urge lagging likewise with its respond-by date."""
    assert _both(ledger, rules.lagging_sql(TODAY, CLOSED_BEFORE),
                 lambda t: rules.is_lagging(t, TODAY, CLOSED_BEFORE)) == {
        "closed-late", "closed-at-edge", "late-request", "undated-request", "overdue"}
    assert _both(ledger, rules.urge_lagging_sql(TODAY, CLOSED_BEFORE),
                 lambda t: rules.is_urge_lagging(t, TODAY, CLOSED_BEFORE)) == {
        "closed-late", "urged", "requested-tomorrow"}


def test_a_note_or_stage_past_its_day(ledger: Database) -> None:
    """Rule: a note is unanswered past its reply date (not on it, not answered, not undated);
    a stage is late past its day unless reached, or, judged as of an instant, reached only
    at or after it."""
    with ledger.read() as session:
        notes = session.exec(select(SupervisionNote)).all()
        in_sql = set(session.exec(select(SupervisionNote.body)
                                  .where(rules.note_unanswered_sql(TODAY))).all())
        stages = session.exec(select(TaskStage)).all()
        late = set(session.exec(select(TaskStage.title).where(rules.stage_late_sql(TODAY))).all())
        late_then = set(session.exec(select(TaskStage.title)
                                     .where(rules.stage_late_sql(TODAY, CLOSED_BEFORE))).all())
    assert in_sql == {n.body for n in notes if rules.is_note_unanswered(n, TODAY)} == {"late"}
    assert late == {s.title for s in stages if rules.is_stage_late(s, TODAY)} == {"late"}
    assert late_then == {s.title for s in stages if rules.is_stage_late(s, TODAY, CLOSED_BEFORE)} == {
        "late", "reached-at", "reached-after"}


# --- the thresholds of a day (pure) ----------------------------------------------------------


def test_the_cutoff_day_walks_back_over_holidays_and_makeup_days() -> None:
    """Rule: the cutoff is the first day with at most N working days after it through today:
    5 from Wed 11-25 is Wed 11-18; 5 from Mon 10-12 crosses the National Day holiday and
    counts Sat 10-10 (调休); 0 from a Sunday is the Friday before."""
    calendar = WorkCalendar()
    assert rules.cutoff_day(calendar, TODAY, 5) == date(2026, 11, 18)
    assert rules.cutoff_day(calendar, TODAY, 1) == date(2026, 11, 24)
    assert rules.cutoff_day(calendar, date(2026, 10, 12), 5) == date(2026, 9, 29)
    assert rules.cutoff_day(calendar, date(2026, 11, 29), 0) == date(2026, 11, 27)


def test_a_days_thresholds_come_from_the_settings_and_the_zone() -> None:
    """Rule: today is the office's local day; yellow until N working days on; silence and
    acknowledgement cut off at the start (in the office's zone) of their cutoff days."""
    settings = Settings(timezone="Asia/Urumqi", yellow_workdays=2, feedback_period_workdays=4,
                        ack_workdays=1)
    assert rules.day_start(TODAY, "Asia/Urumqi") == datetime(2026, 11, 24, 18, tzinfo=UTC)
    assert rules.day_start(TODAY, "Asia/Shanghai") == datetime(2026, 11, 24, 16, tzinfo=UTC)
    now = pendulum.datetime(2026, 11, 24, 19, tz="UTC")  # already 11-25 in Urumqi, not in UTC
    with clock.at(now):
        ctx = rules.LightContext.build(settings, WorkCalendar())
    assert ctx == rules.LightContext(
        today=TODAY, now=now, yellow_until=date(2026, 11, 27),
        silent_before=datetime(2026, 11, 18, 18, tzinfo=UTC),  # 11-19 00:00 Urumqi
        ack_before=datetime(2026, 11, 23, 18, tzinfo=UTC), calendar=WorkCalendar(),
        feedback_period_workdays=4, ack_workdays=1, timezone="Asia/Urumqi")
    assert ctx.feedback_period_days == 4
