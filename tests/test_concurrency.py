"""Optimistic locking with two real sessions, on both backends."""

from datetime import date

import pytest
from sqlalchemy.orm.exc import StaleDataError

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.models import Task
from coordboard.services import directory, tasks
from coordboard.services.auth import actor_of
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workflow import ConflictError, act


@pytest.fixture
def setup(db: Database, frozen):
    with db.write() as session:
        unit = directory.add_department(session, name="司法所").id or 0
        office = directory.add_user(session, username="wang", display_name="王督查",
                                    role="office", password="secret1")
        task = tasks.register(session, actor_id=office.id, title="并发", today=frozen.date(),
                              lead=UnitAssignment(unit), deadline=date(2026, 12, 31))
        return actor_of(office), task.code, task.version


def test_stale_version_is_refused_with_who_and_when(db: Database, setup) -> None:
    actor, code, seen_version = setup
    with db.write() as session:
        act(session, actor=actor, code=code, action="dispatch", settings=Settings(),
            expected_version=seen_version)
    with pytest.raises(ConflictError) as caught, db.write() as session:
        act(session, actor=actor, code=code, action="withdraw", settings=Settings(),
            expected_version=seen_version, reason="过时的页面")
    message = str(caught.value)
    assert "王督查" in message and "2026-11-25" in message and code in message
    with db.read() as session:
        assert tasks.task_by_code(session, code).status == "assigned"


def test_a_write_based_on_an_old_read_is_refused(db: Database, setup) -> None:
    """A screen holds a task read earlier; another user saves first; the late save must fail."""
    _, code, _ = setup
    with db.read() as session:
        held = tasks.task_by_code(session, code)  # detached, still version 1
    task_id = held.id
    with db.write() as session:
        tasks.task_by_code(session, code).title = "first"
    with pytest.raises(StaleDataError), db.write() as session:
        held.title = "second"
        session.add(held)
        session.flush()
    with db.read() as session:
        task = session.get(Task, task_id)
        assert task is not None and task.title == "first" and task.version == 2
