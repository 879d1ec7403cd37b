"""A task's merged timeline and its full detail, for ``task show`` / ``task history`` and the TUI."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from coordboard.models import AuditEvent, Department, SupervisionNote, Task, TaskUnit, User


@dataclass
class TimelineEntry:
    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]
    actor_unit: str = ""  # the actor's unit (short name), empty for a user without one
    actor_role: str = ""
    note_id: int | None = None  # the supervision note a note or a response is about


def timeline(session: Session, task: Task) -> list[TimelineEntry]:
    """Every recorded change to the task and its feedback, notes and requests, oldest first."""
    rows = session.exec(
        select(AuditEvent, User.display_name, User.role, Department.short_name)
        .join(User, col(User.id) == AuditEvent.actor_id, isouter=True)
        .join(Department, col(Department.id) == User.department_id, isouter=True)
        .where(AuditEvent.task_id == task.id)
        .order_by(col(AuditEvent.occurred_at), col(AuditEvent.id))
    ).all()
    return [TimelineEntry(e.occurred_at, name or "", e.action, e.after or {}, unit or "",
                          role or "", e.entity_id if e.entity == "supervision_note" else None)
            for e, name, role, unit in rows]


@dataclass
class UnitLine:
    department: str
    role: str
    part: str
    acknowledged_at: datetime | None
    last_feedback_at: datetime | None
    contest_state: str


def units(session: Session, task: Task) -> list[UnitLine]:
    rows = session.exec(
        select(TaskUnit, Department.short_name)
        .join(Department, col(Department.id) == TaskUnit.department_id)
        .where(TaskUnit.task_id == task.id).order_by(col(TaskUnit.role), col(TaskUnit.id))
    ).all()
    return [UnitLine(name, u.role, u.part, u.acknowledged_at, u.last_feedback_at, u.contest_state)
            for u, name in rows]


def open_notes(session: Session, task: Task) -> list[SupervisionNote]:
    return list(session.exec(select(SupervisionNote).where(
        SupervisionNote.task_id == task.id, col(SupervisionNote.respond_by).is_not(None),
        col(SupervisionNote.responded_at).is_(None))).all())
