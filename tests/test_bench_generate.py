"""The benchmark data generator writes consistent data on both backends."""

import sys
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.models import AuditEvent, Task, TaskUnit
from coordboard.services import board
from coordboard.services.lights import LightContext
from coordboard.services.workdays import load_calendar

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))

from generate import generate  # noqa: E402


def test_generator_makes_a_realistic_consistent_ledger(db: Database) -> None:
    counts = generate(db, 300, seed=7, batch=100)
    assert counts["task"] == 300
    with db.read() as session:
        leads = session.exec(select(func.count()).select_from(TaskUnit)
                             .where(TaskUnit.role == "lead")).one()
        assert leads == 300
        per_task = session.exec(select(TaskUnit.task_id, func.count()).group_by(TaskUnit.task_id)).all()
        assert {n for _, n in per_task} <= {1, 2, 3, 4, 5}
        mismatched = session.exec(
            select(func.count()).select_from(Task).join(
                TaskUnit, (TaskUnit.task_id == Task.id) & (TaskUnit.role == "lead"))
            .where(TaskUnit.department_id != Task.lead_department_id)).one()
        assert mismatched == 0
        assert session.exec(select(func.count()).select_from(AuditEvent)).one() == 300
        ctx = LightContext.build(Settings(), load_calendar(session))
        lights = board.count_by_light(session, board.BoardFilter(), ctx)
        statuses = set(session.exec(select(Task.status)).all())
    assert {"red", "yellow", "green", "none"} <= set(lights)
    assert sum(lights.values()) == 300
    assert {"in_progress", "closed", "draft", "closure_requested"} <= statuses


def test_closures_carry_their_request_day_so_the_rules_apply(db: Database) -> None:
    """Issue 11 rule 2 in the benchmark data: every closed or waiting task has the day its
    closure was asked for, some on time and some late, never before dispatch or after closing."""
    from coordboard.services import rules

    generate(db, 300, seed=7, batch=100)
    with db.read() as session:
        finished = session.exec(select(Task).where(
            Task.status.in_(["closed", "closure_requested"]))).all()  # type: ignore[attr-defined]
    assert finished and all(task.closure_requested_on is not None for task in finished)
    closed = [task for task in finished if task.status == "closed"]
    on_time = [task for task in closed if rules.is_on_time(task)]
    assert 0 < len(on_time) < len(closed)
    waiting = [task for task in finished if task.status == "closure_requested"]
    assert any(rules.is_clock_stopped(task) for task in waiting)
    for task in finished:
        assert task.dispatched_at is not None
        assert task.dispatched_at.date() <= task.closure_requested_on  # type: ignore[operator]
        if task.closed_at is not None:
            assert task.closure_requested_on <= task.closed_at.date()  # type: ignore[operator]
