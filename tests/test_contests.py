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


def test_each_decision_is_told_naming_the_unit_with_the_note_apart(db: Database, setup) -> None:
    """The history said "调整申请已同意：本单位不再配合 移出司法所" to everyone: whose contest,
    and the note run into the sentence (in English it read as what the unit "supports")."""
    from coordboard.i18n import set_language
    from coordboard.services.detail import _unit_names, describe
    from coordboard.services.history import timeline

    ids, code = setup
    with db.write() as session:
        task = tasks.task_by_code(session, code)
        session.add(TaskUnit(task_id=task.id, department_id=ids["财政所"], role="support"))
        ids["综治中心"] = directory.add_department(session, name="综治中心").id or 0
        for unit in (ids["派出所"], ids["文化站"], ids["财政所"], ids["司法所"]):
            _contest(session, code, unit, date(2026, 11, 26))
        decide = {"派出所": ("reject", "职责明确", None), "文化站": ("remove", "移出文化站", None),
                  "财政所": ("reassign", "", "综治中心"), "司法所": ("make_lead", "", "派出所")}
        for name, (decision, note, new) in decide.items():
            contests.decide_contest(session, task=task, department_id=ids[name], actor_id=None,
                                    decision=decision, note=note,
                                    new_department_id=ids[new] if new else None)
    said: dict[str, list[str]] = {}
    for language in ("zh", "en"):
        set_language(language)
        try:
            with db.read() as session:
                names = _unit_names(session)
                said[language] = [describe(entry, names) for entry in timeline(session, task)
                                  if entry.action.startswith("contest_")]
        finally:
            set_language("zh")
    assert said["zh"] == ["派出所 的调整申请未获同意，意见：职责明确",
                          "文化站 的调整申请已同意：不再配合本事项，意见：移出文化站",
                          "财政所 的调整申请已同意：改由 综治中心 承办",
                          "司法所 的调整申请已同意：改由 派出所 牵头"]
    assert said["en"] == ["派出所's contest was refused; note: 职责明确",
                          "文化站's contest was accepted: it no longer supports this task; "
                          "note: 移出文化站",
                          "财政所's contest was accepted: 综治中心 takes over its part",
                          "司法所's contest was accepted: 派出所 leads now"]
