"""Unanswered reminders and urges climb a ladder: reminder → urge → supervision letter.

An unanswered letter stays at the top and keeps the task red (see lights).
"""

from datetime import date

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, exists, select

from coordboard import clock
from coordboard.enums import NoteKind
from coordboard.models import SupervisionNote, Task
from coordboard.services import progress, rules, stored_text
from coordboard.services.workdays import WorkCalendar

LADDER = {NoteKind.REMINDER: NoteKind.URGE, NoteKind.URGE: NoteKind.LETTER}


def overdue_notes(session: Session, today: date, limit: int = 500) -> list[SupervisionNote]:
    child = aliased(SupervisionNote)
    return list(session.exec(
        select(SupervisionNote)
        .join(Task, col(Task.id) == SupervisionNote.task_id)
        .where(col(SupervisionNote.kind).in_(list(LADDER)), rules.note_unanswered_sql(today),
               rules.open_sql(),  # a task suspended, withdrawn or closed is asked nothing more
               ~exists(select(child.id).where(child.escalated_from_id == SupervisionNote.id)))
        .order_by(col(SupervisionNote.id)).limit(limit)
    ).all())


def escalate(session: Session, *, today: date, actor_id: int | None, calendar: WorkCalendar,
             timezone: str, respond_workdays: int = 2) -> list[SupervisionNote]:
    """Raise every overdue, unanswered note one step; returns the new notes. ``timezone``:
    the office's, for the day the escalated note was sent."""
    created = []
    for note in overdue_notes(session, today):
        task = session.get(Task, note.task_id)
        if task is None:
            continue
        next_kind = LADDER[NoteKind(note.kind)]
        # Codes and parameters, quoting the note escalated (itself perhaps an escalation):
        # worded when shown, in the reader's language or the letter's (stored_text.py).
        body = stored_text.message(
            "escalation.body", kind=stored_text.message(f"note.{note.kind}"),
            date=stored_text.day(clock.local(note.created_at, timezone).date()),
            original=stored_text.as_message(note.body, note.body_message))
        new = progress.add_note(session, task=task, kind=next_kind, body="", body_message=body,
                                actor_id=actor_id,
                                department_id=note.department_id,
                                respond_by=calendar.add_workdays(today, respond_workdays),
                                today=today)
        new.escalated_from_id = note.id
        session.add(new)
        created.append(new)
    session.flush()
    return created
