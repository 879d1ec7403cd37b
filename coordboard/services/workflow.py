"""Acting on a task as a logged-in user: permission first, then the lifecycle rule.

Front ends call ``act``; it finds the task, the actor's unit on it, checks the
permission table and hands over to the service that holds the rule.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from coordboard.config import Settings
from coordboard.errors import DomainError, NotFoundError, ValidationError
from coordboard.models import AuditEvent, ExtensionRequest, SupervisionNote, Task, TaskUnit, User
from coordboard.services import contests, progress, tasks
from coordboard.services.permissions import Actor, PermissionDenied, authorize
from coordboard.services.workdays import load_calendar


def unit_role_of(session: Session, task: Task, actor: Actor) -> str | None:
    if actor.department_id is None:
        return None
    return session.exec(select(TaskUnit.role).where(
        TaskUnit.task_id == task.id, TaskUnit.department_id == actor.department_id)).first()


def _note(session: Session, task: Task, note_id: int) -> SupervisionNote:
    note = session.get(SupervisionNote, note_id)
    if note is None or note.task_id != task.id:
        raise NotFoundError(what=f"#{note_id}")
    return note


def _pending_extension(session: Session, task: Task) -> ExtensionRequest:
    request = session.exec(select(ExtensionRequest).where(
        ExtensionRequest.task_id == task.id, ExtensionRequest.state == "pending")
        .order_by(col(ExtensionRequest.id).desc())).first()
    if request is None:
        raise NotFoundError("error.no_pending_extension", code=task.code)
    return request


Handler = Callable[..., Any]


def _handlers(session: Session, task: Task, actor: Actor, today: date,
              settings: Settings) -> dict[str, Handler]:
    unit = actor.department_id or 0
    return {
        "contest": lambda reason: contests.contest(
            session, task=task, department_id=unit, actor_id=actor.user_id, reason=reason,
            today=today, calendar=load_calendar(session), window_workdays=settings.contest_workdays,
            timezone=settings.timezone),
        "decide_contest": lambda department_id, decision, note="", new_department_id=None:
            contests.decide_contest(session, task=task, department_id=department_id,
                                    actor_id=actor.user_id, decision=decision, note=note,
                                    new_department_id=new_department_id),
        "edit": lambda **changes: tasks.edit(session, task=task, actor_id=actor.user_id,
                                             changes=changes, today=today, settings=settings),
        "dispatch": lambda: tasks.dispatch(session, task=task, actor_id=actor.user_id,
                                           calendar=load_calendar(session), today=today),
        "acknowledge": lambda: tasks.acknowledge(session, task=task, department_id=unit,
                                                 actor_id=actor.user_id),
        "feedback": lambda body, percent=None: progress.add_feedback(
            session, task=task, department_id=unit, actor_id=actor.user_id, body=body,
            percent=percent),
        "note": lambda kind, body, department_id=None, respond_by=None: progress.add_note(
            session, task=task, kind=kind, body=body, actor_id=actor.user_id,
            department_id=department_id, respond_by=respond_by, today=today, settings=settings),
        "respond": lambda note_id, response: progress.respond_note(
            session, task=task, note=_note(session, task, note_id), actor_id=actor.user_id,
            response=response),
        "request_extension": lambda new_deadline, reason: progress.request_extension(
            session, task=task, department_id=unit, actor_id=actor.user_id,
            new_deadline=new_deadline, reason=reason, today=today, settings=settings),
        "decide_extension": lambda approve, note="": progress.decide_extension(
            session, task=task, request=_pending_extension(session, task), actor_id=actor.user_id,
            approve=approve, note=note),
        "request_closure": lambda: tasks.request_closure(session, task=task, actor_id=actor.user_id,
                                                         today=today),
        "accept": lambda: tasks.accept(session, task=task, actor_id=actor.user_id),
        "return": lambda reason: tasks.return_for_rework(session, task=task,
                                                         actor_id=actor.user_id, reason=reason),
        "suspend": lambda reason: tasks.suspend(session, task=task, actor_id=actor.user_id,
                                                reason=reason),
        "resume": lambda: tasks.resume(session, task=task, actor_id=actor.user_id),
        "withdraw": lambda reason: tasks.withdraw(session, task=task, actor_id=actor.user_id,
                                                  reason=reason),
    }


class ConflictError(DomainError):
    key = "error.conflict"


# PostgreSQL's codes for a lost race: unique violation, serialization failure, deadlock.
RACE_SQLSTATES = {"23505", "40001", "40P01"}


def _lost_race(exc: DBAPIError) -> bool:
    code = getattr(exc.orig, "sqlstate", None)
    return code in RACE_SQLSTATES or "UNIQUE constraint failed" in str(exc.orig)


def _conflict(session: Session, task_id: int | None, code: str, timezone: str) -> ConflictError:
    """Say who changed the task last, and when, so the user knows what to reload.

    Read on a connection of its own: the caller's transaction may already be
    broken by the failed write (PostgreSQL refuses any further statement in it).
    On SQLite the reader must not ask for the write lock its own caller holds.
    """
    from coordboard import clock

    bind = session.get_bind().execution_options(sqlite_begin="DEFERRED")
    with Session(bind) as fresh:
        last = fresh.exec(
            select(AuditEvent, User.display_name)
            .join(User, col(User.id) == AuditEvent.actor_id, isouter=True)
            .where(AuditEvent.task_id == task_id).order_by(col(AuditEvent.id).desc()).limit(1)
        ).first()
    who, when = ("?", "?")
    if last is not None:
        event, name = last
        who = name or "?"
        when = clock.local(event.occurred_at, timezone).format("YYYY-MM-DD HH:mm")
    return ConflictError(code=code, who=who, when=when)


def lock_task(session: Session, task: Task) -> Task:
    """Take the task's row lock and re-read it (``SELECT … FOR UPDATE`` on PostgreSQL).

    Every write on a task takes this lock before it reads and checks anything, so
    two writers on one task run one after the other and the second sees what the
    first committed. SQLite needs no row lock: a write transaction begins IMMEDIATE
    and so already holds the database's write lock (coordboard.db).
    """
    return session.exec(select(Task).where(Task.id == task.id).with_for_update()
                        .execution_options(populate_existing=True)).one()


def act(session: Session, *, actor: Actor, code: str, action: str, settings: Settings,
        expected_version: int | None = None, seen_version: int | None = None,
        **params: Any) -> Any:
    """Do ``action`` on the task as ``actor``.

    ``expected_version`` is the version the user was looking at; if someone else
    changed the task since, the action is refused with who and when. Without it,
    an action the rules refuse because another writer changed the task while this
    one waited for the lock is refused the same way; ``seen_version`` is the version
    a caller that took the lock itself read before taking it. Every action bumps the
    task's version, so whoever acted on an older one learns of it.
    """
    from coordboard import clock

    task = tasks.task_by_code(session, code)
    seen = seen_version if seen_version is not None else task.version
    authorize(actor, action, unit_role_of(session, task, actor))
    task = lock_task(session, task)
    if expected_version is not None and task.version != expected_version:
        raise _conflict(session, task.id, task.code, settings.timezone)
    handler = _handlers(session, task, actor, clock.today(settings.timezone), settings)[action]
    locked_version = task.version
    try:
        result = handler(**params)
        session.flush()
        if task.version == locked_version:
            # Bump the version even when the action wrote only other rows (a response,
            # a request): the task as a whole has changed for anyone looking at it.
            task.updated_at = clock.now()
            flag_modified(task, "updated_at")
            session.add(task)
            session.flush()
    except (PermissionDenied, ValidationError):
        raise
    except DomainError:
        if task.version != seen:  # another writer changed the task while we waited
            raise _conflict(session, task.id, task.code, settings.timezone) from None
        raise
    except StaleDataError:
        # A write based on an object read before the lock (e.g. held by a screen).
        raise _conflict(session, task.id, task.code, settings.timezone) from None
    except DBAPIError as exc:
        if _lost_race(exc):
            raise _conflict(session, task.id, task.code, settings.timezone) from None
        raise
    return result
