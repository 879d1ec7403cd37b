"""Recurring tasks (issue 14 item 7): schedule math, runs on both backends, no duplicates.

The clock is frozen on Wednesday 2026-11-25 (``frozen``); runs "as of" an earlier day use
``as_of``, later days move the clock with ``clock.at``.
"""

import threading
from datetime import date

import pendulum
import pytest
from sqlmodel import col, func, select

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Role, TaskStatus
from coordboard.errors import ValidationError
from coordboard.models import AuditEvent, Task
from coordboard.services import directory, recurrence
from coordboard.services.permissions import Actor, PermissionDenied
from coordboard.services.recurrence import (
    MONTHLY,
    QUARTERLY,
    Period,
    Schedule,
    due_period,
    fill_title,
    first_period,
    parse_period,
)
from coordboard.services.tasks import OccurrenceTaken, UnitAssignment

# --- schedule math (no database) -----------------------------------------------------------


@pytest.mark.parametrize(("schedule", "period", "expected"), [
    (Schedule(MONTHLY, 31), Period(2026, 2, MONTHLY), date(2026, 2, 28)),
    (Schedule(MONTHLY, 30), Period(2028, 2, MONTHLY), date(2028, 2, 29)),  # leap year
    (Schedule(MONTHLY, 31), Period(2026, 4, MONTHLY), date(2026, 4, 30)),
    (Schedule(MONTHLY, 31), Period(2026, 12, MONTHLY), date(2026, 12, 31)),
    (Schedule(MONTHLY, 1), Period(2027, 1, MONTHLY), date(2027, 1, 1)),
    (Schedule(QUARTERLY, 10, 1), Period(2026, 4, QUARTERLY), date(2026, 10, 10)),
    (Schedule(QUARTERLY, 31, 3), Period(2026, 1, QUARTERLY), date(2026, 3, 31)),
    (Schedule(QUARTERLY, 31, 3), Period(2026, 2, QUARTERLY), date(2026, 6, 30)),
    (Schedule(QUARTERLY, 31, 2), Period(2026, 1, QUARTERLY), date(2026, 2, 28)),
])
def test_scheduled_day_clamps_to_the_month_end(schedule: Schedule, period: Period,
                                               expected: date) -> None:
    assert schedule.due_day(period) == expected


def test_periods_cross_year_boundaries_and_keys() -> None:
    assert Period(2026, 12, MONTHLY).shifted(1) == Period(2027, 1, MONTHLY)
    assert Period(2027, 1, MONTHLY).shifted(-1).key == "2026-12"
    assert Period(2026, 4, QUARTERLY).shifted(1).key == "2027Q1"
    assert Period(2027, 1, QUARTERLY).shifted(-1).key == "2026Q4"
    assert Period(2026, 11, MONTHLY).label == "2026年11月"
    assert Period(2026, 4, QUARTERLY).label == "2026年第四季度"
    assert parse_period(QUARTERLY, "2026-q4") == Period(2026, 4, QUARTERLY)
    assert parse_period(MONTHLY, " 2026-03 ") == Period(2026, 3, MONTHLY)
    for frequency, bad in ((MONTHLY, "2026-13"), (MONTHLY, "2026Q4"), (QUARTERLY, "2026Q5"),
                           (QUARTERLY, "2026-11"), (MONTHLY, "{period}")):
        with pytest.raises(ValidationError):
            parse_period(frequency, bad)


@pytest.mark.parametrize(("schedule", "as_of", "expected"), [
    (Schedule(MONTHLY, 5), date(2026, 11, 4), "2026-10"),
    (Schedule(MONTHLY, 5), date(2026, 11, 5), "2026-11"),
    (Schedule(MONTHLY, 31), date(2026, 2, 28), "2026-02"),  # the 31st in February: the 28th
    (Schedule(MONTHLY, 31), date(2026, 2, 27), "2026-01"),
    (Schedule(MONTHLY, 5), date(2027, 1, 4), "2026-12"),
    (Schedule(QUARTERLY, 10, 1), date(2026, 10, 9), "2026Q3"),
    (Schedule(QUARTERLY, 10, 1), date(2026, 10, 10), "2026Q4"),
    (Schedule(QUARTERLY, 10, 1), date(2027, 1, 9), "2026Q4"),
    (Schedule(QUARTERLY, 10, 1), date(2027, 1, 10), "2027Q1"),
    (Schedule(QUARTERLY, 31, 3), date(2026, 12, 30), "2026Q3"),  # Q3's day: 09-30
])
def test_due_period_is_the_latest_whose_day_has_come(schedule: Schedule, as_of: date,
                                                     expected: str) -> None:
    start = Period(2020, 1, schedule.frequency)
    found = due_period(schedule, start, None, as_of)
    assert found is not None and found.key == expected


def test_due_period_respects_start_and_end() -> None:
    schedule = Schedule(MONTHLY, 5)
    assert due_period(schedule, Period(2026, 12, MONTHLY), None, date(2026, 11, 25)) is None
    end = Period(2026, 9, MONTHLY)
    assert due_period(schedule, Period(2026, 1, MONTHLY), end, date(2026, 11, 25)) == end
    # A new rule starts with the first period whose day has not passed.
    assert first_period(schedule, date(2026, 11, 5)).key == "2026-11"
    assert first_period(schedule, date(2026, 11, 6)).key == "2026-12"
    assert first_period(Schedule(QUARTERLY, 10, 1), date(2026, 11, 25)).key == "2027Q1"


def test_title_pattern_fills_only_the_period() -> None:
    pattern = "{0}{}{period}[red]x[/]{period!r}{{period}}\x1b[2J"
    filled = fill_title(pattern, Period(2026, 11, MONTHLY))
    assert filled == "{0}{}2026年11月[red]x[/]{period!r}{2026年11月}\x1b[2J"


# --- on a database ---------------------------------------------------------------------------


def _setup(db: Database) -> tuple[Actor, dict[str, int]]:
    with db.write() as session:
        units = {name: directory.add_department(session, name=name).id or 0
                 for name in ("司法所", "派出所", "文化站")}
        user = directory.add_user(session, username="office", display_name="法治办",
                                  role=Role.OFFICE, password="x" * 8)
    return Actor(user.id or 0, "office", Role.OFFICE, None), units


def _rule(db: Database, office: Actor, units: dict[str, int], **kw: object) -> int:
    params: dict[str, object] = dict(
        title_pattern="{period}法治建设工作月报", lead=UnitAssignment(units["司法所"], "汇总上报"),
        supporters=[UnitAssignment(units["派出所"], "提供案例")], workdays=5,
        frequency=MONTHLY, day=5)
    params.update(kw)
    with db.write() as session:
        rule, _ = recurrence.create(session, actor=office, **params)  # type: ignore[arg-type]
        return rule.id or 0


def _occurrences(db: Database, rule_id: int) -> list[Task]:
    with db.read() as session:
        return list(session.exec(select(Task).where(Task.recurrence_id == rule_id)
                                 .order_by(col(Task.recurrence_period))).all())


def test_monthly_rule_runs_on_its_day_once_with_a_working_day_deadline(db: Database,
                                                                       frozen) -> None:
    office, units = _setup(db)
    rule_id = _rule(db, office, units)  # 11-25: November's 5th has passed, so December first
    settings = Settings()
    assert recurrence.run_due(db, settings).made == []
    with clock.at(pendulum.datetime(2026, 12, 5, 8, tz="Asia/Shanghai")):  # a Saturday
        first = recurrence.run_due(db, settings)
        again = recurrence.run_due(db, settings)
    assert [(m.period, m.title, m.deadline) for m in first.made] == [
        ("2026-12", "2026年12月法治建设工作月报", date(2026, 12, 11))]  # 5 working days on
    assert again.made == [] and again.taken == [] and again.skipped == []
    [task] = _occurrences(db, rule_id)
    assert task.status == TaskStatus.ASSIGNED and task.deadline_workdays == 5
    with db.read() as session:
        actions = session.exec(select(AuditEvent.action).where(AuditEvent.task_id == task.id)
                               .order_by(col(AuditEvent.id))).all()
        assert actions == ["register", "dispatch"]  # history and notices as for any task
        assert recurrence.recurrence_line(session, task) == \
            f"周期性事项：每月，规则 #{rule_id}（2026年12月）"


def test_quarterly_deadline_runs_over_the_national_day_holiday(db: Database, frozen) -> None:
    office, units = _setup(db)
    rule_id = _rule(db, office, units, frequency=QUARTERLY, day=1, month_in_quarter=1,
                    start="2026Q4", title_pattern="{period}行政执法情况季报")
    report = recurrence.run_due(db, Settings(), as_of=date(2026, 10, 1))
    # 10-01…10-07 off, 10-10 (Saturday) a makeup working day: 10-08, 09, 10, 12, 13.
    assert [(m.title, m.deadline) for m in report.made] == [
        ("2026年第四季度行政执法情况季报", date(2026, 10, 13))]
    assert [t.recurrence_period for t in _occurrences(db, rule_id)] == ["2026Q4"]
    with pytest.raises(ValidationError, match="将来"):
        recurrence.run_due(db, Settings(), as_of=date(2026, 11, 26))


def test_missed_periods_are_noted_not_caught_up(db: Database, frozen) -> None:
    office, units = _setup(db)
    rule_id = _rule(db, office, units, start="2026-08")
    first = recurrence.run_due(db, Settings())
    assert [m.period for m in first.made] == ["2026-11"]
    assert first.skipped == [(rule_id, ["2026-08", "2026-09", "2026-10"])]
    second = recurrence.run_due(db, Settings())
    assert second.made == [] and second.skipped == []
    assert [t.recurrence_period for t in _occurrences(db, rule_id)] == ["2026-11"]


def test_the_unique_constraint_refuses_a_period_planned_twice(db: Database, frozen) -> None:
    """Two runs that both read "not made yet" before either wrote: the database decides."""
    office, units = _setup(db)
    rule_id = _rule(db, office, units, start="2026-11")
    day = date(2026, 11, 25)
    with db.read() as session:
        plans_a = recurrence.plan(session, day)
        plans_b = recurrence.plan(session, day)
    assert [p.period.key for p in plans_a] == ["2026-11"]
    report_a, report_b = recurrence.RunReport(day), recurrence.RunReport(day)
    recurrence.make_due(db, plans_a[0], day, report_a)
    recurrence.make_due(db, plans_b[0], day, report_b)
    assert len(report_a.made) == 1 and report_b.made == []
    assert report_b.taken == [(rule_id, "2026-11")]
    assert len(_occurrences(db, rule_id)) == 1
    with db.read() as session:  # the losing run left no task number or audit event behind
        assert session.exec(select(func.count()).select_from(Task)).one() == 1
        assert session.exec(select(func.count()).select_from(AuditEvent)
                            .where(col(AuditEvent.task_id).is_not(None))).one() == 2


def test_the_constraint_itself_on_register(db: Database, frozen) -> None:
    office, units = _setup(db)
    rule_id = _rule(db, office, units, start="2026-11")
    with db.write() as session:
        rule = recurrence.rule_by_id(session, rule_id)
        recurrence.make_occurrence(session, rule=rule, period=Period(2026, 11, MONTHLY),
                                   day=date(2026, 11, 25), actor_id=None)
    with pytest.raises(OccurrenceTaken), db.write() as session:
        rule = recurrence.rule_by_id(session, rule_id)
        recurrence.make_occurrence(session, rule=rule, period=Period(2026, 11, MONTHLY),
                                   day=date(2026, 11, 25), actor_id=None)


def test_two_concurrent_runs_make_one_task(db_url: str, frozen) -> None:
    db = Database.from_url(db_url)
    office, units = _setup(db)
    rule_ids = [_rule(db, office, units, start="2026-11"),
                _rule(db, office, units, start="2026Q4", frequency=QUARTERLY, day=1,
                      month_in_quarter=1, title_pattern="{period}季报")]
    db.dispose()
    gate = threading.Barrier(2)
    reports: list[recurrence.RunReport] = []
    errors: list[BaseException] = []

    def run() -> None:
        own = Database.from_url(db_url)
        try:
            gate.wait(timeout=30)
            reports.append(recurrence.run_due(own, Settings()))
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    made = sorted(m.period for r in reports for m in r.made)
    assert made == ["2026-11", "2026Q4"]
    assert sum(len(r.taken) for r in reports) <= 2
    db = Database.from_url(db_url)
    for rule_id in rule_ids:
        assert len(_occurrences(db, rule_id)) == 1
    db.dispose()


def test_pause_resume_end_and_who_may(db: Database, frozen) -> None:
    office, units = _setup(db)
    rule_id = _rule(db, office, units, start="2026-11")
    with db.write() as session:
        recurrence.pause(session, actor=office, rule_id=rule_id)
    assert recurrence.run_due(db, Settings()).made == []
    with db.write() as session:
        recurrence.resume(session, actor=office, rule_id=rule_id)
    assert [m.period for m in recurrence.run_due(db, Settings()).made] == ["2026-11"]
    with db.write() as session:
        recurrence.end(session, actor=office, rule_id=rule_id)
    with pytest.raises(ValidationError, match="已结束"), db.write() as session:
        recurrence.resume(session, actor=office, rule_id=rule_id)
    with db.read() as session:
        [line] = recurrence.listing(session, actor=office, today=date(2026, 11, 25))
        assert (line.made, line.last_period, line.next_day, line.rule.state) == \
            (1, "2026-11", None, "ended")
        actions = session.exec(select(AuditEvent.action).where(AuditEvent.entity == "recurrence")
                               .order_by(col(AuditEvent.id))).all()
        assert actions == ["recur_add", "recur_pause", "recur_resume", "recur_end"]
    head = Actor(office.user_id, "head", Role.HEAD, units["司法所"])
    admin = Actor(office.user_id, "admin", Role.ADMIN, None)
    with pytest.raises(PermissionDenied):
        _rule(db, head, units)
    _rule(db, admin, units)  # office or admin keep the rules
    with pytest.raises(PermissionDenied):  # but making a task now is the office's
        _rule(db, admin, units, now=True)


def test_now_dispatches_the_current_period_in_the_same_transaction(db: Database,
                                                                   frozen) -> None:
    office, units = _setup(db)
    with db.write() as session:
        rule, made = recurrence.create(
            session, actor=office, title_pattern="{period}普法宣传季报",
            lead=UnitAssignment(units["文化站"]), workdays=10, frequency=QUARTERLY, day=10,
            month_in_quarter=1, now=True)
        rule_id, code = rule.id or 0, made.code if made else ""
    [task] = _occurrences(db, rule_id)
    assert (task.code, task.title, task.recurrence_period, task.status) == \
        (code, "2026年第四季度普法宣传季报", "2026Q4", TaskStatus.ASSIGNED)
    assert task.created_by == office.user_id
    # 10 working days from Wednesday 11-25: 11-26 … 12-09.
    assert task.deadline == date(2026, 12, 9)
    assert recurrence.run_due(db, Settings()).made == []  # 2026Q4 is made; 2027Q1 not due


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the same checks on both
@pytest.mark.parametrize(("kw", "message"), [
    ({"title_pattern": "法治建设工作月报"}, "{period}"),
    ({"title_pattern": "{period}" + "长" * 192}, "最多 200"),  # fits, but not filled
    ({"title_pattern": "{period}\x00"}, "NUL|空字符"),
    ({"day": 32}, "1 至 31"),
    ({"frequency": QUARTERLY, "day": 1}, "季度中的月份"),
    ({"workdays": 0}, "工作日"),
    ({"start": "2026-12", "end": "2026-10"}, "早于"),
    ({"start": "2027-01", "now": True}, "尚未到来"),
    # What registering each occurrence would refuse is refused when the rule is made.
    ({"category": "不在目录"}, "不在目录"),
    ({"leader": "无此领导"}, "无此领导"),
    ({"source": "instruction"}, "批示领导"),
])
def test_bad_rules_are_refused(db: Database, frozen, kw: dict[str, object], message: str) -> None:
    office, units = _setup(db)
    with pytest.raises(ValidationError, match=message.replace("{", r"\{").replace("}", r"\}")):
        _rule(db, office, units, **kw)
    with db.read() as session:
        assert recurrence.listing(session, actor=office, today=date(2026, 11, 25)) == []


def test_hostile_title_pattern_is_kept_exactly(db: Database, frozen) -> None:
    office, units = _setup(db)
    pattern = "[bold red]{0}{}{period}[/]\x1b]0;x\x07{__class__}"
    rule_id = _rule(db, office, units, title_pattern=pattern, start="2026-11")
    [made] = recurrence.run_due(db, Settings()).made
    assert made.title == "[bold red]{0}{}2026年11月[/]\x1b]0;x\x07{__class__}"
    [task] = _occurrences(db, rule_id)
    assert task.title == made.title


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_failing_rule_is_reported_and_the_others_still_made(db: Database, frozen) -> None:
    office, units = _setup(db)
    broken = _rule(db, office, units, start="2026-11")  # 派出所 supports it
    fine = _rule(db, office, units, start="2026-11", supporters=[],
                 title_pattern="{period}文化站月报", lead=UnitAssignment(units["文化站"]))
    with db.write() as session:
        directory.set_department_active(session, name="派出所", active=False, actor_id=None)
    report = recurrence.run_due(db, Settings())
    assert [(m.rule_id, m.period) for m in report.made] == [(fine, "2026-11")]
    assert [(rule, period) for rule, period, _ in report.failed] == [(broken, "2026-11")]
    assert _occurrences(db, broken) == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_task_screen_names_the_rule_of_an_occurrence(db: Database, frozen) -> None:
    from coordboard.i18n import set_language
    from coordboard.services.detail import task_detail
    from coordboard.services.lights import LightContext
    from coordboard.services.workdays import load_calendar
    from coordboard.tui.screens.task import _head

    office, units = _setup(db)
    rule_id = _rule(db, office, units, start="2026Q4", frequency=QUARTERLY, day=1,
                    month_in_quarter=2, title_pattern="{period}季报")
    [made] = recurrence.run_due(db, Settings()).made
    set_language("en")
    with db.read() as session:
        ctx = LightContext.build(Settings(), load_calendar(session))
        detail = task_detail(session, actor=office, code=made.code, ctx=ctx, settings=Settings())
        head = _head(detail, "Asia/Shanghai", 200).plain
    assert f"Recurring: quarterly, rule #{rule_id} (2026年第四季度)" in head
