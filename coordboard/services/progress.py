"""Progress feedback from units, supervision notes from the office, extension requests."""

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from coordboard import clock
from coordboard.config import Settings
from coordboard.enums import OPEN_STATUSES, NoteKind, RequestState, TaskStatus
from coordboard.errors import DomainError, ValidationError
from coordboard.i18n import t
from coordboard.models import ExtensionRequest, Feedback, SupervisionNote, Task
from coordboard.services import audit, deadlines, fields, preconditions, stored_text
from coordboard.services.lifecycle import require
from coordboard.services.tasks import refresh_report_times, unit_of

RESPONDABLE = (NoteKind.REMINDER, NoteKind.URGE, NoteKind.LETTER)


def note_kinds(status: str) -> tuple[NoteKind, ...]:
    """The notes the office may write on a task in ``status``: those asking a unit to act
    (reminder, urge, letter) only while it is open; a finding (praise, criticism, passing
    the buck) also once it is suspended or closed. Forms offer these and no others."""
    if status in OPEN_STATUSES:
        return tuple(NoteKind)
    return tuple(kind for kind in NoteKind if kind not in RESPONDABLE)


def add_feedback(session: Session, *, task: Task, department_id: int, actor_id: int | None,
                 body: str, percent: int | None = None) -> Feedback:
    require("feedback", task.status, task.code)
    fields.check("body", body, required=True)
    if percent is not None and not 0 <= percent <= 100:
        raise ValidationError("error.percent_range", value=percent)
    now = clock.now()
    unit = unit_of(session, task, department_id)
    unit.last_feedback_at = now
    unit.acknowledged_at = unit.acknowledged_at or now  # reporting implies receipt
    session.add(unit)
    feedback = Feedback(task_id=task.id or 0, department_id=department_id, author_id=actor_id,
                        body=body, percent=percent, created_at=now)
    session.add(feedback)
    session.flush()
    refresh_report_times(session, task)
    if task.status in (TaskStatus.ASSIGNED, TaskStatus.ACKNOWLEDGED):
        task.status = TaskStatus.IN_PROGRESS
    task.updated_at = now
    session.add(task)
    session.flush()
    assert feedback.id is not None
    audit.record(session, actor_id=actor_id, entity="feedback", entity_id=feedback.id,
                 task_id=task.id, action="feedback",
                 after={"department_id": department_id, "body": body, "percent": percent})
    return feedback


def refresh_open_urges(session: Session, task: Task) -> None:
    task.open_urge_respond_by = session.exec(
        select(col(SupervisionNote.respond_by))
        .where(SupervisionNote.task_id == task.id, col(SupervisionNote.respond_by).is_not(None),
               col(SupervisionNote.responded_at).is_(None))
        .order_by(col(SupervisionNote.respond_by)).limit(1)
    ).first()


def add_note(session: Session, *, task: Task, kind: str, body: str, actor_id: int | None,
             department_id: int | None = None, respond_by: date | None = None,
             today: date, settings: Settings | None = None,
             body_message: Any = None) -> SupervisionNote:
    """``body`` as typed; ``body_message``: machine-written text shown before it (an
    escalation), as codes and parameters (services/stored_text.py)."""
    require("note", task.status, task.code)
    if kind not in set(NoteKind):
        raise ValidationError("error.choice", field="kind", value=kind, allowed=", ".join(NoteKind))
    fields.check("body", body, required=body_message is None)
    if kind not in note_kinds(task.status):
        # It asks a unit to act: nothing to ask of a task suspended or already closed.
        raise DomainError("error.note_asks_open_task", kind=t(f"note.{kind}"),
                          status=t(f"status.{task.status}"), code=task.code)
    if respond_by is not None:
        if kind not in RESPONDABLE:
            raise ValidationError("error.respond_by_kind")
        deadlines.check_date(respond_by, today=today, settings=settings or Settings())
    if department_id is not None:
        unit_of(session, task, department_id)
    note = SupervisionNote(task_id=task.id or 0, department_id=department_id, kind=kind, body=body,
                           body_message=body_message, author_id=actor_id, created_at=clock.now(),
                           respond_by=respond_by)
    session.add(note)
    session.flush()
    refresh_open_urges(session, task)
    session.add(task)
    assert note.id is not None
    audit.record(session, actor_id=actor_id, entity="supervision_note", entity_id=note.id,
                 task_id=task.id, action=f"note_{kind}",
                 after=audit.snapshot(note, "kind", "body", "department_id", "respond_by",
                                      *(("body_message",) if body_message is not None else ())))
    return note


def note_text(note: SupervisionNote, language: str | None = None) -> str:
    """A note's body as shown: machine-written words (in ``language``, the interface
    language if None), then what was typed."""
    return stored_text.shown(note.body, note.body_message, language)


def respond_note(session: Session, *, task: Task, note: SupervisionNote, actor_id: int | None,
                 response: str) -> SupervisionNote:
    require("respond", task.status, task.code)
    if note.responded_at is not None:
        raise DomainError("error.already_responded", note=note.id)
    fields.check("response", response, required=True)
    note.response, note.responded_at, note.responded_by = response, clock.now(), actor_id
    session.add(note)
    session.flush()
    refresh_open_urges(session, task)
    session.add(task)
    audit.record(session, actor_id=actor_id, entity="supervision_note", entity_id=note.id or 0,
                 task_id=task.id, action="respond", after={"response": response})
    return note


def request_extension(session: Session, *, task: Task, department_id: int, actor_id: int | None,
                      new_deadline: date, reason: str, today: date,
                      settings: Settings | None = None) -> ExtensionRequest:
    preconditions.check_state("request_extension", preconditions.read_state(session, task),
                              department_id=department_id, today=today)
    deadlines.check_date(new_deadline, today=today, settings=settings or Settings(),
                         allow_past=True)
    unit_of(session, task, department_id)
    if new_deadline <= task.deadline:
        raise ValidationError("error.extension_not_later", deadline=task.deadline.isoformat())
    if not fields.check("reason", reason).strip():
        raise ValidationError("error.reason_required")
    request = ExtensionRequest(task_id=task.id or 0, department_id=department_id,
                               requested_by=actor_id, old_deadline=task.deadline,
                               new_deadline=new_deadline, reason=reason, created_at=clock.now())
    session.add(request)
    session.flush()
    audit.record(session, actor_id=actor_id, entity="extension_request", entity_id=request.id or 0,
                 task_id=task.id, action="request_extension",
                 after=audit.snapshot(request, "old_deadline", "new_deadline", "reason"))
    return request


def decide_extension(session: Session, *, task: Task, request: ExtensionRequest,
                     actor_id: int | None, approve: bool, note: str = "") -> ExtensionRequest:
    require("decide_extension", task.status, task.code)
    if request.state != RequestState.PENDING:
        raise DomainError("error.already_decided", what=request.id)
    fields.check("note", note)
    request.state = RequestState.APPROVED if approve else RequestState.REFUSED
    request.decided_by, request.decided_at, request.decision_note = actor_id, clock.now(), note
    session.add(request)
    if approve:
        task.deadline = request.new_deadline
        task.updated_at = clock.now()
        session.add(task)
    session.flush()
    audit.record(session, actor_id=actor_id, entity="extension_request", entity_id=request.id or 0,
                 task_id=task.id, action="decide_extension",
                 after={"state": request.state, "note": note})
    return request
