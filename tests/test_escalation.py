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
                escalate(session, today=day, actor_id=None, calendar=WorkCalendar())
                assert escalate(session, today=day, actor_id=None, calendar=WorkCalendar()) == []
    with db.read() as session:
        notes = session.exec(select(SupervisionNote).order_by(col(SupervisionNote.id))).all()
    assert [n.kind for n in notes] == ["reminder", "urge", "letter"]
    assert notes[1].escalated_from_id == notes[0].id and notes[2].escalated_from_id == notes[1].id
    assert notes[1].respond_by == date(2026, 12, 1)  # 2 working days after Fri 11-27
    assert "请反馈" in progress.note_text(notes[2])
