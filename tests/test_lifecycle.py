"""The task lifecycle rules, on both backends, with the clock frozen on 2026-11-25."""

from datetime import date

import pendulum
import pytest

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Light, Role, TaskStatus
from coordboard.errors import DomainError, ValidationError
from coordboard.services import directory, progress, tasks
from coordboard.services.board import verdict_of
from coordboard.services.lights import LightContext
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar, load_calendar


@pytest.fixture
def units(db: Database) -> dict[str, int]:
    with db.write() as session:
        return {name: directory.add_department(session, name=name).id or 0
                for name in ("司法所", "派出所", "文化站")}


def _register(db: Database, units: dict[str, int], today: date, **kw) -> str:
    with db.write() as session:
        task = tasks.register(session, actor_id=None, title="法律明白人培养", today=today,
                              lead=UnitAssignment(units["司法所"], "方案"),
                              supporters=[UnitAssignment(units["派出所"], "案例"),
                                          UnitAssignment(units["文化站"], "场地")], **kw)
        return task.code


def _task(session, code: str):
    return tasks.task_by_code(session, code)


def test_working_day_deadline_is_fixed_at_dispatch(db: Database, units) -> None:
    with pendulum.travel_to(pendulum.datetime(2026, 9, 30, 10, tz="Asia/Shanghai"), freeze=True):
        code = _register(db, units, date(2026, 9, 30), workdays=5)
        with db.write() as session:
            task = tasks.dispatch(session, task=_task(session, code), actor_id=None,
                                  calendar=load_calendar(session), today=date(2026, 9, 30))
            assert task.deadline == date(2026, 10, 13)  # National Day week skipped, 10-10 worked
            assert task.status == TaskStatus.ASSIGNED


def test_full_path_and_closure_needs_every_supporter(db: Database, units, frozen) -> None:
    code = _register(db, units, frozen.date(), deadline=date(2026, 12, 18))
    with db.write() as session:
        task = _task(session, code)
        tasks.dispatch(session, task=task, actor_id=None, calendar=WorkCalendar(), today=frozen.date())
        for unit in units.values():
            tasks.acknowledge(session, task=task, department_id=unit, actor_id=None)
        assert task.status == TaskStatus.ACKNOWLEDGED
        progress.add_feedback(session, task=task, department_id=units["司法所"], actor_id=None,
                              body="方案已定", percent=50)
        assert task.status == TaskStatus.IN_PROGRESS
        progress.add_feedback(session, task=task, department_id=units["派出所"], actor_id=None,
                              body="案例已交")
    # A state rule (preconditions), not a parameter check: a DomainError, so a writer who
    # raced another is told of the change rather than of the rule.
    with pytest.raises(DomainError, match="文化站"), db.write() as session:
        tasks.request_closure(session, task=_task(session, code), actor_id=None)
    with db.write() as session:
        task = _task(session, code)
        progress.add_feedback(session, task=task, department_id=units["文化站"], actor_id=None,
                              body="场地落实")
        tasks.request_closure(session, task=task, actor_id=None)
        tasks.return_for_rework(session, task=task, actor_id=None, reason="缺佐证")
        assert task.status == TaskStatus.IN_PROGRESS and task.return_count == 1
        tasks.request_closure(session, task=task, actor_id=None)
        tasks.accept(session, task=task, actor_id=None)
        assert task.status == TaskStatus.CLOSED and task.closed_at is not None


def test_illegal_transition_says_what_is_allowed(db: Database, units, frozen) -> None:
    code = _register(db, units, frozen.date(), deadline=date(2026, 12, 18))
    with pytest.raises(DomainError) as caught, db.write() as session:
        tasks.accept(session, task=_task(session, code), actor_id=None)
    message = str(caught.value)
    assert "草稿" in message and "交办" in message


def test_extension_rules(db: Database, units, frozen) -> None:
    code = _register(db, units, frozen.date(), deadline=date(2026, 11, 27))
    with db.write() as session:
        task = _task(session, code)
        tasks.dispatch(session, task=task, actor_id=None, calendar=WorkCalendar(), today=frozen.date())
        with pytest.raises(ValidationError):
            progress.request_extension(session, task=task, department_id=units["司法所"],
                                       actor_id=None, new_deadline=date(2026, 11, 26),
                                       reason="x", today=frozen.date())
        request = progress.request_extension(
            session, task=task, department_id=units["司法所"], actor_id=None,
            new_deadline=date(2026, 12, 11), reason="材料未齐", today=frozen.date())
        with pytest.raises(DomainError):
            progress.request_extension(session, task=task, department_id=units["派出所"],
                                       actor_id=None, new_deadline=date(2026, 12, 12),
                                       reason="again", today=frozen.date())
        progress.decide_extension(session, task=task, request=request, actor_id=None, approve=True)
        assert task.deadline == date(2026, 12, 11)
        assert task.original_deadline == date(2026, 11, 27)
        with pytest.raises(DomainError):
            progress.decide_extension(session, task=task, request=request, actor_id=None,
                                      approve=False)
    with pendulum.travel_to(pendulum.datetime(2026, 12, 14, 9, tz="Asia/Shanghai"), freeze=True):
        with pytest.raises(DomainError, match="延期须在期限前申请"), db.write() as session:
            progress.request_extension(session, task=_task(session, code),
                                       department_id=units["司法所"], actor_id=None,
                                       new_deadline=date(2026, 12, 31), reason="late",
                                       today=date(2026, 12, 14))


def test_lights_explain_themselves(db: Database, units, frozen) -> None:
    code = _register(db, units, frozen.date(), deadline=date(2026, 12, 31))
    with db.write() as session:
        task = _task(session, code)
        tasks.dispatch(session, task=task, actor_id=None, calendar=WorkCalendar(), today=frozen.date())
        for unit in units.values():
            progress.add_feedback(session, task=task, department_id=unit, actor_id=None, body="ok")
        note = progress.add_note(session, task=task, kind="urge", body="请说明", actor_id=None,
                                 department_id=units["派出所"], respond_by=date(2026, 11, 27),
                                 today=frozen.date())
        note_id = note.id
    settings = Settings()

    def verdict(at: pendulum.DateTime):
        with pendulum.travel_to(at, freeze=True), db.read() as session:
            return verdict_of(session, _task(session, code),
                              LightContext.build(settings, load_calendar(session)))

    assert verdict(frozen).light == Light.GREEN
    late = verdict(pendulum.datetime(2026, 11, 30, 9, tz="Asia/Shanghai"))
    # Rule 4 (issue 11): the note's kind, the day it was sent, its reply date and the unit.
    assert late.light == Light.RED
    assert "催办（11月25日发，限11月27日前回复）逾期未回复：派出所" in late.reasons
    with db.write() as session:
        task = _task(session, code)
        progress.respond_note(session, task=task, note=session.get(progress.SupervisionNote, note_id),
                              actor_id=None, response="已推进")
    assert verdict(pendulum.datetime(2026, 11, 30, 9, tz="Asia/Shanghai")).light == Light.GREEN
    silent = verdict(pendulum.datetime(2026, 12, 7, 9, tz="Asia/Shanghai"))
    assert silent.light == Light.YELLOW and any("未反馈" in r or "未按期反馈" in r
                                                for r in silent.reasons)
    due = verdict(pendulum.datetime(2026, 12, 28, 9, tz="Asia/Shanghai"))
    assert due.light == Light.YELLOW and "剩余 3 个工作日" in due.reasons
    over = verdict(pendulum.datetime(2027, 1, 6, 9, tz="Asia/Shanghai"))
    assert over.light == Light.RED and over.reasons[0].startswith("已逾期")


def test_edit_rules(db: Database, units, frozen) -> None:
    code = _register(db, units, frozen.date(), deadline=date(2026, 12, 18))
    with db.write() as session:
        task = tasks.edit(session, task=_task(session, code), actor_id=None, today=frozen.date(),
                          changes={"title": "新标题", "deadline": date(2026, 12, 25)})
        assert task.deadline == task.original_deadline == date(2026, 12, 25)
        tasks.dispatch(session, task=task, actor_id=None, calendar=WorkCalendar(), today=frozen.date())
    with pytest.raises(ValidationError, match="办理期限"), db.write() as session:
        tasks.edit(session, task=_task(session, code), actor_id=None, today=frozen.date(),
                   changes={"deadline": date(2027, 1, 8)})
    with db.write() as session:
        leader = directory.add_user(session, username="zhaolx", display_name="赵立新",
                                    role=Role.LEADER, password="x" * 8).id
        tasks.edit(session, task=_task(session, code), actor_id=None, today=frozen.date(),
                   changes={"leader": "赵立新"})
    with db.read() as session:
        task = _task(session, code)
        assert (task.title, task.leader_id, task.deadline) == ("新标题", leader, date(2026, 12, 25))
