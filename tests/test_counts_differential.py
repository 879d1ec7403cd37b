"""Counts made in SQL (tasks whose deadline never moved) against the Python rules they
stand for, on random tasks: every status, moved and unmoved deadlines, missing request
dates and closing times, extensions approved in time and too late.

The reference below is the scoreboard's and the reports' rule applied task by task in
Python (``scores.scoring_deadlines``, ``rules.is_on_time``, ``rules.is_scored_overdue``),
as the code did before the counts moved into SQL."""

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pendulum
import pytest
from sqlalchemy import insert
from sqlalchemy import select as sql_select
from sqlmodel import col

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import TaskStatus, UnitRole
from coordboard.models import Department, ExtensionRequest, Task, TaskUnit
from coordboard.services import rules, scores
from coordboard.services.reports import bulletin, period

NOW = pendulum.datetime(2026, 11, 25, 9, 30, tz="Asia/Shanghai")
FIRST = date(2026, 10, 1)


def _populate(db: Database, seed: int, n: int = 300) -> None:
    rnd = random.Random(seed)
    made = datetime(2026, 9, 1, tzinfo=UTC)

    def day(most: int) -> date:
        return FIRST + timedelta(days=rnd.randrange(most))

    with db.write() as session:
        units = [session.execute(insert(Department).values(name=f"单位{i}", short_name=f"单位{i}")
                                 .returning(Department.id)).scalar_one() for i in range(5)]
        for i in range(n):
            original = day(80)
            deadline = original if rnd.random() < 0.6 else original + timedelta(
                days=rnd.randrange(-5, 15))
            closed_at = (datetime.combine(day(90), datetime.min.time(), UTC)
                         + timedelta(minutes=rnd.randrange(1440))) if rnd.random() < 0.6 else None
            task_id = session.execute(insert(Task).values(
                code=f"DB-2026-{i:04d}", year=2026, seq=i, title=f"事项{i}", deadline=deadline,
                original_deadline=original, status=rnd.choice([str(s) for s in TaskStatus]),
                created_at=made, updated_at=made, closed_at=closed_at,
                dispatched_at=None if rnd.random() < 0.1 else datetime(2026, 9, 15, tzinfo=UTC)
                + timedelta(hours=rnd.randrange(24 * 60)),
                closure_requested_on=day(90) if rnd.random() < 0.6 else None,
            ).returning(Task.id)).scalar_one()
            members = rnd.sample(units, rnd.randrange(0, 4))
            for k, unit in enumerate(members):
                session.execute(insert(TaskUnit).values(
                    task_id=task_id, department_id=unit,
                    role=UnitRole.LEAD if k == 0 else UnitRole.SUPPORT))
            if deadline != original and rnd.random() < 0.8:
                decided = datetime.combine(original + timedelta(days=rnd.randrange(-3, 3)),
                                           datetime.min.time(), UTC) + timedelta(hours=rnd.randrange(24))
                session.execute(insert(ExtensionRequest).values(
                    task_id=task_id, department_id=members[0] if members else units[0],
                    old_deadline=original, new_deadline=deadline, reason="材料未齐",
                    state="approved", decided_at=decided, created_at=made))


def _reference_points(db: Database, settings: Settings, start: date,
                      end: date) -> dict[tuple[int, str], float]:
    """(unit, rule) -> points for on time and overdue, judged task by task in Python."""
    zone = ZoneInfo(settings.timezone)
    as_of = min(end, clock.today(settings.timezone))
    start_at = rules.day_start(start, settings.timezone)
    end_at = rules.day_start(end + timedelta(days=1), settings.timezone)
    weights = scores._weights(settings)
    points: dict[tuple[int, str], float] = defaultdict(float)
    with db.read() as session:
        tasks = {task.id: task for task in session.exec(sql_select(Task)).scalars()
                 if task.status not in (TaskStatus.DRAFT, TaskStatus.WITHDRAWN) and (
                     (task.closed_at is not None and start_at <= task.closed_at <= end_at)
                     or (task.original_deadline <= end and task.deadline >= start))}
        due = scores.scoring_deadlines(session, tasks, zone)
        members = session.execute(sql_select(col(TaskUnit.task_id), col(TaskUnit.department_id),
                                             col(TaskUnit.role))).all()
    for task_id, unit, role in members:
        task = tasks.get(task_id)
        if task is None:
            continue
        closed_on = task.closed_at.astimezone(zone).date() if task.closed_at else None
        on_time = closed_on is not None and start <= closed_on <= end and \
            rules.is_on_time(task, due[task_id])
        overdue = start <= due[task_id] <= end and \
            rules.is_scored_overdue(task, due[task_id], as_of)
        rule = "on_time" if on_time else "overdue" if overdue else None
        if rule:
            side = "lead" if role == UnitRole.LEAD else "support"
            points[(unit, rule)] += weights.get(f"{rule}_{side}", weights.get(rule, 0.0))
    return {key: value for key, value in points.items() if value}


PERIODS = [(date(2026, 10, 1), date(2026, 10, 31)), (date(2026, 11, 1), date(2026, 11, 30)),
           (date(2026, 10, 10), date(2026, 12, 31))]


@pytest.mark.parametrize("seed", range(3))
def test_scoreboard_points_equal_the_rules_applied_task_by_task(db: Database, seed: int) -> None:
    _populate(db, seed)
    settings = Settings()
    with pendulum.travel_to(NOW, freeze=True):
        for start, end in PERIODS:
            expected = _reference_points(db, settings, start, end)
            with db.read() as session:
                for points_only in (False, True):
                    board = scores.scoreboard(session, settings, start, end, points_only=points_only)
                    got = {(line.department_id, rule): value for line in board.ranking
                           for rule, value in line.by_rule.items()
                           if rule in ("on_time", "overdue") and value}
                    assert got == expected, (start, end, points_only)


@pytest.mark.parametrize("seed", range(3))
def test_period_and_bulletin_on_time_counts_equal_the_rules(db: Database, seed: int) -> None:
    _populate(db, seed)
    settings = Settings()
    zone = ZoneInfo(settings.timezone)
    with pendulum.travel_to(NOW, freeze=True), db.read() as session:
        everything = {task.id: task for task in session.exec(sql_select(Task)).scalars()}
        due = scores.scoring_deadlines(session, everything, zone)
        members = session.execute(sql_select(col(TaskUnit.task_id), col(Department.short_name))
                                  .join(Department, col(Department.id) == TaskUnit.department_id)).all()
        start_at, end_at = (rules.day_start(d, settings.timezone)
                            for d in (date(2026, 11, 1), date(2026, 12, 1)))
        closed_in = {task_id: rules.is_on_time(task, due[task_id])
                     for task_id, task in everything.items()
                     if task.status not in ("draft", "withdrawn") and task.dispatched_at is not None
                     and task.dispatched_at < end_at and task.closed_at is not None
                     and start_at <= task.closed_at < end_at}
        report = period.build(session, settings, period.parse_period(month="2026-11"))
        per_unit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for task_id, name in members:
            if task_id in closed_in:
                per_unit[name][0 if closed_in[task_id] else 1] += 1
        in_time = sum(closed_in.values())
        assert (report.total.on_time, report.total.late) == (in_time, len(closed_in) - in_time)
        assert {line.name: [line.on_time, line.late] for line in report.units
                if line.on_time or line.late} == dict(per_unit)

        b = bulletin.build(session, settings, "2026-W47")
        end = rules.day_start(b.as_of + timedelta(days=1), settings.timezone)
        closed = [task_id for task_id, task in everything.items()
                  if task.status not in ("draft", "withdrawn") and task.dispatched_at is not None
                  and task.dispatched_at < end and task.closed_at is not None and task.closed_at < end]
        assert (b.closed, b.closed_on_time) == (
            len(closed), sum(rules.is_on_time(everything[i], due[i]) for i in closed))
