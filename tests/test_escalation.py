"""The urge ladder on both backends."""

from datetime import date

import pendulum
from sqlmodel import col, select

from coordboard.db import Database
from coordboard.models import SupervisionNote
from coordboard.services import directory, progress, tasks
from coordboard.services.escalation import escalate
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar

TZ = "Asia/Shanghai"


def test_reminder_becomes_urge_then_letter_and_stops(db: Database, frozen) -> None:
    with db.write() as session:
        unit = directory.add_department(session, name="司法所").id or 0
        task = tasks.register(session, actor_id=None, title="t", today=frozen.date(),
                              lead=UnitAssignment(unit), deadline=date(2027, 3, 1))
        tasks.dispatch(session, task=task, actor_id=None, calendar=WorkCalendar(), today=frozen.date())
        progress.add_note(session, task=task, kind="reminder", body="请反馈", actor_id=None,
                          department_id=unit, respond_by=date(2026, 11, 26), today=frozen.date())
    days = [date(2026, 11, 27), date(2026, 12, 2), date(2026, 12, 7)]
    for day in days:
        with pendulum.travel_to(pendulum.datetime(day.year, day.month, day.day, 9,
                                                  tz="Asia/Shanghai"), freeze=True):
            with db.write() as session:
                escalate(session, today=day, actor_id=None, calendar=WorkCalendar(), timezone=TZ)
                assert escalate(session, today=day, actor_id=None, calendar=WorkCalendar(), timezone=TZ) == []
    with db.read() as session:
        notes = session.exec(select(SupervisionNote).order_by(col(SupervisionNote.id))).all()
    assert [n.kind for n in notes] == ["reminder", "urge", "letter"]
    assert notes[1].escalated_from_id == notes[0].id and notes[2].escalated_from_id == notes[1].id
    assert notes[1].respond_by == date(2026, 12, 1)  # 2 working days after Fri 11-27
    assert "请反馈" in progress.note_text(notes[2])


def test_only_open_tasks_are_asked_and_escalated(db: Database, frozen) -> None:
    """Rule: a reminder, urge or letter asks a unit to act, so it is for a task being
    handled: refused on a suspended or closed task (praise still allowed), and the ladder
    leaves the unanswered notes of tasks since suspended, withdrawn or closed alone — one
    such note used to stop every escalation of the run."""
    from coordboard.errors import DomainError

    with db.write() as session:
        unit = directory.add_department(session, name="司法所").id or 0
        made = []
        for title in ("暂缓的", "撤销的", "办理中的"):
            task = tasks.register(session, actor_id=None, title=title, today=frozen.date(),
                                  lead=UnitAssignment(unit), deadline=date(2027, 3, 1))
            tasks.dispatch(session, task=task, actor_id=None, calendar=WorkCalendar(),
                           today=frozen.date())
            progress.add_note(session, task=task, kind="reminder", body="请反馈", actor_id=None,
                              department_id=unit, respond_by=date(2026, 11, 26), today=frozen.date())
            made.append(task)
        paused, withdrawn, running = made
        tasks.suspend(session, task=paused, actor_id=None, reason="等待部署")
        tasks.withdraw(session, task=withdrawn, actor_id=None, reason="撤回")
        try:
            progress.add_note(session, task=paused, kind="urge", body="请办理", actor_id=None,
                              department_id=unit, respond_by=date(2026, 12, 1), today=frozen.date())
        except DomainError as refused:
            assert refused.key == "error.note_asks_open_task", refused.key
        else:
            raise AssertionError("an urge on a suspended task was taken")
        progress.add_note(session, task=paused, kind="praise", body="工作扎实", actor_id=None,
                          today=frozen.date())
    day = date(2026, 11, 27)
    with pendulum.travel_to(pendulum.datetime(2026, 11, 27, 9, tz="Asia/Shanghai"), freeze=True):
        with db.write() as session:
            raised = escalate(session, today=day, actor_id=None, calendar=WorkCalendar(), timezone=TZ)
    assert [note.task_id for note in raised] == [running.id]
