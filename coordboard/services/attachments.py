"""Evidence (佐证材料) on a task, its feedback, supervision notes and closure requests.

The bytes are stored in the database (``models.Attachment``), so a backup holds every
file with the record it supports. Rules, the same on SQLite and PostgreSQL:

* a file is read once, in chunks, hashing as it goes, and refused as soon as it passes
  the per-file limit (``attachment_max_mb``); a task holds at most
  ``attachment_task_max_mb`` in all, counted under the task's row lock;
* who may attach is who may act on the task (the ``attach`` grant and the lifecycle,
  checked by ``workflow.attach`` like every action); which record it may go to is
  decided here: a unit attaches to its own feedback, to notes addressed to it or to the
  whole task, and (the lead unit) to the closure request waiting for the office;
* the audit event records name, size, content type and SHA-256 (not the bytes);
* the name is kept as given (only NUL and undecodable bytes, which PostgreSQL cannot
  store, become visible marks), shown through ``safe_text.visible`` and saved under
  ``files.safe_file_name``;
* saving reads the bytes back in chunks (``substr`` on both backends) into a temporary
  file that becomes the target atomically, and checks the SHA-256 on the way.
"""

import hashlib
import mimetypes
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import LargeBinary, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from coordboard import clock, files
from coordboard.config import Settings
from coordboard.enums import Role, TaskStatus, UnitRole
from coordboard.errors import DomainError, NotFoundError, ValidationError
from coordboard.files import failure_reason
from coordboard.models import (
    Attachment,
    AuditEvent,
    Department,
    Feedback,
    SupervisionNote,
    Task,
    TaskUnit,
    User,
)
from coordboard.services import audit
from coordboard.services.permissions import Actor

MB = 1024 * 1024
CHUNK = MB
NAME_LIMIT = 1000  # characters; a real file's name is at most 255 bytes
DEFAULT_TYPE = "application/octet-stream"

LinkKind = Literal["task", "feedback", "note", "closure"]


class AttachmentError(DomainError):
    key = "error.attachment"


@dataclass(frozen=True)
class Target:
    """What a file supports: the task itself, a feedback report or a note (by id), or the
    closure request now waiting for the office (``closure``, no id)."""

    kind: LinkKind = "task"
    id: int | None = None


@dataclass(frozen=True)
class Upload:
    """A file read once: its name as given, its bytes and their SHA-256."""

    name: str
    data: bytearray
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class AttachmentInfo:
    """One attachment as lists show it (never its bytes)."""

    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    uploader: str
    unit: str
    link: LinkKind
    link_id: int | None


def stored_name(name: str) -> str:
    """The name as stored: as given, except NUL (a file name cannot hold it, PostgreSQL
    text cannot store it) and lone surrogates (bytes that were not UTF-8), which become
    visible marks on both backends."""
    cleaned = name.replace("\x00", "\u2400")
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in cleaned)


def limit_bytes(settings: Settings) -> int:
    return settings.attachment_max_mb * MB


def size_text(size: int) -> str:
    """"812 B", "12.5 KB", "20.0 MB": the unit the limits are set in."""
    if size < 1024:
        return f"{size} B"
    if size < MB:
        return f"{size / 1024:.1f} KB"
    return f"{size / MB:.1f} MB"


def _too_large(name: str, size: int, settings: Settings) -> AttachmentError:
    from coordboard.safe_text import visible

    return AttachmentError("error.attachment_too_large", name=visible(name, 60),
                           size=size_text(size), limit=f"{settings.attachment_max_mb} MB")


def read_upload(path: Path, settings: Settings, *, name: str | None = None) -> Upload:
    """Read ``path`` once, in chunks, hashing as it goes; refused as soon as it passes the
    per-file limit (before reading anything when its size already says so)."""
    given = stored_name(name if name is not None else Path(path).name)
    limit = limit_bytes(settings)
    try:
        with open(path, "rb") as fh:
            expected = os.fstat(fh.fileno()).st_size
            if expected > limit:
                raise _too_large(given, expected, settings)
            # Filled in place: the bytes are in memory once, never copied whole.
            data = bytearray(expected)
            digest = hashlib.sha256()
            filled = 0
            with memoryview(data) as view:
                while filled < expected:
                    count = fh.readinto(view[filled:filled + CHUNK])
                    if not count:
                        break
                    digest.update(view[filled:filled + count])
                    filled += count
            del data[filled:]  # shorter than its size said (changed while read)
            while chunk := fh.read(CHUNK):
                if len(data) + len(chunk) > limit:  # grew while being read
                    raise _too_large(given, len(data) + len(chunk), settings)
                digest.update(chunk)
                data += chunk
    except IsADirectoryError:
        raise AttachmentError("error.attachment_not_file", path=str(path)) from None
    except FileNotFoundError:
        raise AttachmentError("error.attachment_missing", path=str(path)) from None
    except PermissionError as exc:
        raise AttachmentError("error.attachment_unreadable", path=str(path),
                              detail=failure_reason(exc, reading=True)) from None
    return Upload(given, data, digest.hexdigest())


def content_type(name: str) -> str:
    """Guessed from the name (the office's files are the usual kinds: pdf, docx, jpg...)."""
    guessed, _encoding = mimetypes.guess_type(name, strict=False)
    return (guessed or DEFAULT_TYPE)[:100]


def used_bytes(session: Session, task_id: int) -> int:
    return int(session.exec(select(func.coalesce(func.sum(Attachment.size), 0))
                            .where(Attachment.task_id == task_id)).one())


def _unit_role(session: Session, task: Task, actor: Actor) -> str | None:
    if actor.department_id is None:
        return None
    return session.exec(select(TaskUnit.role).where(
        TaskUnit.task_id == task.id, TaskUnit.department_id == actor.department_id)).first()


def _office(actor: Actor) -> bool:
    return actor.role == Role.OFFICE


def _link(session: Session, task: Task, actor: Actor, to: Target) -> dict[str, int]:
    """The column that links the file to ``to`` (empty for the task itself), after checking
    that ``actor`` may add evidence to that record."""
    if to.kind == "task":
        return {}
    if to.kind == "feedback":
        feedback = session.get(Feedback, to.id) if to.id is not None else None
        if feedback is None or feedback.task_id != task.id:
            raise NotFoundError("error.attachment_no_feedback", code=task.code, id=to.id)
        if not _office(actor) and feedback.department_id != actor.department_id:
            raise AttachmentError("error.attachment_not_yours", what=f"#{to.id}")
        return {"feedback_id": feedback.id or 0}
    if to.kind == "note":
        note = session.get(SupervisionNote, to.id) if to.id is not None else None
        if note is None or note.task_id != task.id:
            raise NotFoundError("error.attachment_no_note", code=task.code, id=to.id)
        if not _office(actor) and note.department_id not in (None, actor.department_id):
            raise AttachmentError("error.attachment_not_yours", what=f"#{to.id}")
        return {"note_id": note.id or 0}
    # The closure request waiting for the office: its audit event is the record.
    if task.status != TaskStatus.CLOSURE_REQUESTED:
        raise AttachmentError("error.attachment_no_closure", code=task.code)
    if not _office(actor) and _unit_role(session, task, actor) != UnitRole.LEAD:
        raise AttachmentError("error.attachment_closure_lead", code=task.code)
    event_id = session.exec(select(AuditEvent.id).where(
        AuditEvent.task_id == task.id, AuditEvent.action == "request_closure")
        .order_by(col(AuditEvent.id).desc())).first()
    if event_id is None:
        raise AttachmentError("error.attachment_no_closure", code=task.code)
    return {"event_id": event_id}


def check_room(session: Session, *, task: Task, uploads: Sequence[Upload],
               settings: Settings) -> None:
    """Refuse a name that cannot be stored, a file over the per-file limit, or files that
    would take the task past its limit. An action that carries files (feedback) checks
    them all before it writes anything."""
    used = used_bytes(session, task.id or 0)
    for upload in uploads:
        name = upload.name
        if not name.strip():
            raise ValidationError("error.attachment_no_name")
        if len(name) > NAME_LIMIT:
            raise ValidationError("error.attachment_name_long", limit=NAME_LIMIT,
                                  length=len(name))
        if upload.size > limit_bytes(settings):
            raise _too_large(name, upload.size, settings)
        if used + upload.size > settings.attachment_task_max_mb * MB:
            from coordboard.safe_text import visible

            raise AttachmentError("error.attachment_task_full", code=task.code,
                                  name=visible(name, 60), size=size_text(upload.size),
                                  used=size_text(used),
                                  limit=f"{settings.attachment_task_max_mb} MB")
        used += upload.size


def add(session: Session, *, task: Task, actor: Actor, upload: Upload, settings: Settings,
        to: Target | None = None) -> Attachment:
    """Store ``upload`` on ``task`` (locked by the caller: ``workflow.attach`` or an action
    that carries files, so two uploads cannot both pass the task's limit)."""
    to = to or Target()
    name = upload.name
    check_room(session, task=task, uploads=[upload], settings=settings)
    task_id = task.id or 0
    link = _link(session, task, actor, to)
    attachment = Attachment(
        task_id=task_id, name=name, content_type=content_type(name), size=upload.size,
        sha256=upload.sha256, content=upload.data,  # type: ignore[arg-type]  # no copy
        uploaded_by=actor.user_id, uploaded_at=clock.now(), **link)
    session.add(attachment)
    session.flush()
    assert attachment.id is not None
    audit.record(session, actor_id=actor.user_id, entity="attachment", entity_id=attachment.id,
                 task_id=task.id, action="attach",
                 after={"name": name, "size": upload.size, "content_type": attachment.content_type,
                        "sha256": upload.sha256, **link})
    # The bytes are written: let the session forget them rather than hold a second
    # reference until it closes.
    session.expunge(attachment)
    return attachment


_LIST_COLUMNS = (col(Attachment.id), col(Attachment.name), col(Attachment.content_type),
                 col(Attachment.size), col(Attachment.sha256), col(Attachment.uploaded_at),
                 col(Attachment.feedback_id), col(Attachment.note_id), col(Attachment.event_id))


def listing(session: Session, task: Task) -> list[AttachmentInfo]:
    """The task's attachments, oldest first, without their bytes."""
    # SQLAlchemy's select (sqlmodel's is typed for at most four columns).
    rows = session.execute(
        sa_select(*_LIST_COLUMNS, col(User.display_name), col(Department.short_name))
        .join(User, col(User.id) == Attachment.uploaded_by, isouter=True)
        .join(Department, col(Department.id) == User.department_id, isouter=True)
        .where(col(Attachment.task_id) == task.id).order_by(col(Attachment.id))).all()
    result = []
    for (id_, name, ctype, size, sha, at, feedback_id, note_id, event_id, who, unit) in rows:
        link: LinkKind = ("feedback" if feedback_id else "note" if note_id
                          else "closure" if event_id else "task")
        result.append(AttachmentInfo(id_, name, ctype, size, sha, at, who or "", unit or "",
                                     link, feedback_id or note_id or event_id))
    return result


def info(session: Session, task: Task, attachment_id: int) -> AttachmentInfo:
    found = next((a for a in listing(session, task) if a.id == attachment_id), None)
    if found is None:
        raise NotFoundError("error.attachment_not_found", code=task.code, id=attachment_id)
    return found


def safe_name(item: AttachmentInfo) -> str:
    """The name ``item`` is saved under in a folder (``files.safe_file_name``)."""
    return files.safe_file_name(item.name, fallback=f"attachment-{item.id}")


def destination(target: Path, item: AttachmentInfo) -> Path:
    """Where ``item`` is saved: ``target`` itself, or its safe name inside the folder
    ``target``."""
    target = Path(target)
    if target.is_dir():
        return target / safe_name(item)
    return target


def save(session: Session, *, task: Task, attachment_id: int, target: Path,
         overwrite: bool = False) -> Path:
    """Write one attachment to ``target`` (a file, or a folder to save it in under its safe
    name), in chunks, atomically; never over an existing file unless ``overwrite``."""
    item = info(session, task, attachment_id)
    path = destination(target, item)
    if not path.parent.is_dir():
        raise AttachmentError("error.attachment_no_folder", path=str(path.parent))
    if path.exists() and not overwrite:
        raise AttachmentError("error.attachment_exists", path=str(path))
    digest = hashlib.sha256()
    try:
        with files.replacing(path, overwrite=overwrite) as temporary, \
                open(temporary, "wb") as out:
            for start in range(1, item.size + 1, CHUNK):  # substr counts from 1, in bytes
                chunk = session.exec(select(
                    func.substr(Attachment.content, start, CHUNK, type_=LargeBinary))
                    .where(Attachment.id == item.id)).one()
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            if digest.hexdigest() != item.sha256:
                raise AttachmentError("error.attachment_corrupt", id=item.id)
    except FileExistsError:
        raise AttachmentError("error.attachment_exists", path=str(path)) from None
    except PermissionError as exc:
        raise AttachmentError("error.attachment_unwritable", path=str(path),
                              detail=failure_reason(exc)) from None
    return path
