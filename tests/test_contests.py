"""Contesting an assignment and the office's decisions, on both backends."""

from datetime import date

import pendulum
import pytest
from sqlmodel import select

from coordboard.db import Database
from coordboard.enums import ContestState
from coordboard.errors import DomainError
from coordboard.models import TaskUnit
from coordboard.services import contests, directory, tasks
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar

CAL = WorkCalendar()


@pytest.fixture
def setup(db: Database, frozen):
    with db.write() as session:
        ids = {n: directory.add_department(session, name=n).id or 0
               for n in ("司法所", "派出所", "文化站", "财政所")}
        task = tasks.register(session, actor_id=None, title="t", today=frozen.date(),
                              lead=UnitAssignment(ids["司法所"]),
                              supporters=[UnitAssignment(ids["派出所"]), UnitAssignment(ids["文化站"])],
                              deadline=date(2026, 12, 31))
        tasks.dispatch(session, task=task, actor_id=None, calendar=CAL, today=frozen.date())
        return ids, task.code


def _contest(session, code, unit, today):
    return contests.contest(session, task=tasks.task_by_code(session, code), department_id=unit,
                            actor_id=None, reason="不属于本单位职责", today=today, calendar=CAL,
                            window_workdays=3)


def test_contest_window_in_working_days(db: Database, setup) -> None:
    ids, code = setup
    # Dispatched Wed 2026-11-25; 3 working days later is Mon 2026-11-30.
    with db.write() as session:
        assert _contest(session, code, ids["派出所"], date(2026, 11, 30)).contest_state == "pending"
        with pytest.raises(DomainError, match="已有待决定"):
            _contest(session, code, ids["派出所"], date(2026, 11, 30))
    with pytest.raises(DomainError, match="2026-11-30"), db.write() as session:
        _contest(session, code, ids["文化站"], date(2026, 12, 1))


def test_decisions(db: Database, setup) -> None:
    ids, code = setup
    with db.write() as session:
        task = tasks.task_by_code(session, code)
        for unit in (ids["派出所"], ids["文化站"], ids["司法所"]):
            _contest(session, code, unit, date(2026, 11, 26))
        contests.decide_contest(session, task=task, department_id=ids["派出所"], actor_id=None,
                                decision="reject", note="职责明确")
        contests.decide_contest(session, task=task, department_id=ids["文化站"], actor_id=None,
                                decision="reassign", new_department_id=ids["财政所"])
        with pytest.raises(DomainError):
            contests.decide_contest(session, task=task, department_id=ids["司法所"],
                                    actor_id=None, decision="remove")
        contests.decide_contest(session, task=task, department_id=ids["司法所"], actor_id=None,
                                decision="make_lead", new_department_id=ids["派出所"])
        assert task.lead_department_id == ids["派出所"]
    with db.read() as session:
        units = {u.department_id: u for u in session.exec(select(TaskUnit)).all()}
    assert units[ids["派出所"]].role == "lead" and units[ids["司法所"]].role == "support"
    assert units[ids["派出所"]].contest_state == ContestState.REJECTED
    assert ids["文化站"] not in units and units[ids["财政所"]].contest_state == "accepted"


def test_contest_deadline_follows_the_dispatch_day(db: Database, setup) -> None:
    ids, code = setup
    with pendulum.travel_to(pendulum.datetime(2026, 11, 30, 17, tz="Asia/Shanghai"), freeze=True):
        with db.write() as session:
            assert _contest(session, code, ids["文化站"], date(2026, 11, 30)).contest_reason
