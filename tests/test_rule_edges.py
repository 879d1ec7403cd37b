"""Tests named for rules that one-line mistakes slipped past before (issue 9, "tests that a
wrong rule cannot pass"): each fails if its rule's boundary or guard moves."""

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Light, TaskStatus
from coordboard.errors import DomainError
from coordboard.models import Task
from coordboard.services import directory, progress, tasks
from coordboard.services.board import verdict_of
from coordboard.services.lights import LightContext
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar, load_calendar


def _dispatched_and_reported(db: Database, deadline: date, today: date) -> str:
    """A task every unit has acknowledged and reported on today: only its deadline can light it."""
    with db.write() as session:
        unit = directory.add_department(session, name=f"司法所{deadline.isoformat()}").id or 0
        task = tasks.register(session, actor_id=None, title="边界", today=today,
                              lead=UnitAssignment(unit, "方案"), deadline=deadline)
        tasks.dispatch(session, task=task, actor_id=None, calendar=WorkCalendar(), today=today)
        tasks.acknowledge(session, task=task, department_id=unit, actor_id=None)
        progress.add_feedback(session, task=task, department_id=unit, actor_id=None, body="进行中")
        return task.code


def test_yellow_exactly_when_the_deadline_is_within_the_yellow_working_days(db: Database, frozen) -> None:
    settings = Settings()
    today = frozen.date()
    codes = [_dispatched_and_reported(db, today + timedelta(days=n), today) for n in range(1, 12)]
    seen_yellow_edge = seen_green_edge = False
    with db.read() as session:
        ctx = LightContext.build(settings, load_calendar(session))
        for code in codes:
            verdict = verdict_of(session, tasks.task_by_code(session, code), ctx)
            expected = Light.YELLOW if verdict.workdays_left <= settings.yellow_workdays else Light.GREEN
            assert verdict.light == expected, (code, verdict.workdays_left, verdict.reasons)
            seen_yellow_edge |= verdict.workdays_left == settings.yellow_workdays
            seen_green_edge |= verdict.workdays_left == settings.yellow_workdays + 1
    assert seen_yellow_edge and seen_green_edge  # both sides of the boundary were tried


def test_the_office_cannot_accept_a_task_that_never_asked_for_closure(db: Database, frozen) -> None:
    code = _dispatched_and_reported(db, frozen.date() + timedelta(days=20), frozen.date())
    with pytest.raises(DomainError), db.write() as session:
        tasks.accept(session, task=tasks.task_by_code(session, code), actor_id=None)
    with db.read() as session:
        assert tasks.task_by_code(session, code).status == TaskStatus.IN_PROGRESS


def test_a_unit_head_cannot_register_a_task_from_the_command_line(tmp_path: Path) -> None:
    target = tmp_path / "demo.db"
    env = {**os.environ, "COORDBOARD_DB_URL": str(target)}

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "coordboard", *args], input=stdin,
                              capture_output=True, text=True, env=env, timeout=120)

    assert run("demo", "--db", str(target), "--no-open").returncode == 0
    assert run("login", "-u", "sfs", "--password-stdin", stdin="demo1234\n").returncode == 0
    db = Database.from_url(f"sqlite:///{target}")
    with db.read() as session:
        before = session.execute(select(func.count()).select_from(Task)).scalar_one()
    refused = run("task", "add", "--title", "越权登记", "--lead", "司法所", "--deadline", "2026-12-31")
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr and refused.stderr.strip()
    with db.read() as session:
        assert session.execute(select(func.count()).select_from(Task)).scalar_one() == before
    db.dispose()
