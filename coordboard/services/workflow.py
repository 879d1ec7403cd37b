"""Acting on a task as a logged-in user: one typed function per action.

Each function finds the task, checks the permission table, takes the task's row
lock, runs the action's precondition (``preconditions.check``: the same check the
task screen uses to offer the action) and hands over to the service that holds
the rest of the rule. Front ends call these functions, so mypy checks the
parameters each front end passes.

``expected_version`` is the version the user was looking at; if someone else
changed the task since, the action is refused with who and when. Without it, an
action the rules refuse because another writer changed the task while this one
waited for the lock is refused the same way; ``seen_version`` is the version a
caller that took the lock itself read before taking it. Every action bumps the
task's version, so whoever acted on an older one learns of it.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypedDict, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from coordboard.config import Settings
from coordboard.errors import DomainError, NotFoundError, ValidationError
from coordboard.models import (
    Attachment,
    AuditEvent,
    ExtensionRequest,
    Feedback,
    SupervisionNote,
    Task,
    TaskStage,
    TaskUnit,
    User,
)
from coordboard.services import attachments, contests, preconditions, progress, stages, tasks
from coordboard.services.permissions import Actor, PermissionDenied, authorize
from coordboard.services.workdays import WorkCalendar, load_calendar

T = TypeVar("T")


def unit_role_of(session: Session, task: Task, actor: Actor) -> str | None:
    if actor.department_id is None:
        return None
    return session.exec(select(TaskUnit.role).where(
        TaskUnit.task_id == task.id, TaskUnit.department_id == actor.department_id)).first()


def _note(session: Session, task: Task, note_id: int, department_id: int | None) -> SupervisionNote:
    """A note this unit may answer: on this task, addressed to it or to the whole task."""
    note = session.get(SupervisionNote, note_id)
    if note is None or note.task_id != task.id:
        raise NotFoundError(what=f"#{note_id}")
    if note.department_id not in (None, department_id):
        raise ValidationError("error.note_not_yours", note=note_id)
    return note


def _pending_extension(session: Session, task: Task) -> ExtensionRequest:
    request = session.exec(select(ExtensionRequest).where(
        ExtensionRequest.task_id == task.id, ExtensionRequest.state == "pending")
        .order_by(col(ExtensionRequest.id).desc())).first()
    if request is None:
        raise NotFoundError("error.no_pending_extension", code=task.code)
    return request


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


@dataclass(frozen=True)
class Step:
    """What an action's body gets: the locked task, the office's day, the acting unit."""

    task: Task
    today: date
    unit: int  # the actor's department (0 for none)
    calendar: WorkCalendar | None


def _run(session: Session, *, actor: Actor, code: str, action: str, settings: Settings,
         expected_version: int | None, seen_version: int | None,
         body: Callable[[Step], T], needs_calendar: bool = False) -> T:
    """The one way every action runs: permission, lock, version, precondition, body."""
    from coordboard import clock

    task = tasks.task_by_code(session, code)
    seen = seen_version if seen_version is not None else task.version
    authorize(actor, action, unit_role_of(session, task, actor))
    task = lock_task(session, task)
    if expected_version is not None and task.version != expected_version:
        raise _conflict(session, task.id, task.code, settings.timezone)
    today = clock.today(settings.timezone)
    calendar = load_calendar(session) if needs_calendar else None
    locked_version = task.version
    try:
        state = preconditions.read_state(session, task, calendar=calendar,
                                         contest_workdays=settings.contest_workdays,
                                         timezone=settings.timezone)
        preconditions.check(action, actor, state, today=today)
        result = body(Step(task, today, actor.department_id or 0, calendar))
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
        # Another writer changed the task while we waited for the lock. The version as
        # locked, not as now: the action's own writes may have moved it before a later
        # step refused (the audit record without this PC's key), which is no conflict.
        if locked_version != seen:
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


# --- the actions -------------------------------------------------------------------------------
# Each: ``(session, *, actor, code, settings, <its own parameters>, expected_version=None,
# seen_version=None)``; see the module docstring for the two versions.


def dispatch(session: Session, *, actor: Actor, code: str, settings: Settings,
             expected_version: int | None = None, seen_version: int | None = None) -> Task:
    def body(step: Step) -> Task:
        assert step.calendar is not None
        return tasks.dispatch(session, task=step.task, actor_id=actor.user_id,
                              calendar=step.calendar, today=step.today)

    return _run(session, actor=actor, code=code, action="dispatch", settings=settings,
                expected_version=expected_version, seen_version=seen_version, body=body,
                needs_calendar=True)


def acknowledge(session: Session, *, actor: Actor, code: str, settings: Settings,
                expected_version: int | None = None, seen_version: int | None = None) -> Task:
    return _run(session, actor=actor, code=code, action="acknowledge", settings=settings,
                expected_version=expected_version, seen_version=seen_version,
                body=lambda step: tasks.acknowledge(session, task=step.task, department_id=step.unit,
                                                    actor_id=actor.user_id))


def feedback(session: Session, *, actor: Actor, code: str, settings: Settings, body: str,
             percent: int | None = None, files: Sequence[attachments.Upload] = (),
             expected_version: int | None = None,
             seen_version: int | None = None) -> Feedback:
    """A unit's progress report, with ``files`` (read by ``attachments.read_upload``) as
    its evidence: all of it is written, or none."""
    def body_(step: Step) -> Feedback:
        # Checked before the report is written: a refusal then says why, not "changed".
        attachments.check_room(session, task=step.task, uploads=files, settings=settings)
        report = progress.add_feedback(session, task=step.task, department_id=step.unit,
                                       actor_id=actor.user_id, body=body, percent=percent)
        for upload in files:
            attachments.add(session, task=step.task, actor=actor, upload=upload,
                            settings=settings, to=attachments.Target("feedback", report.id))
        return report

    return _run(session, actor=actor, code=code, action="feedback", settings=settings,
                expected_version=expected_version, seen_version=seen_version, body=body_)


def attach(session: Session, *, actor: Actor, code: str, settings: Settings,
           upload: attachments.Upload, to: attachments.Target | None = None,
           expected_version: int | None = None, seen_version: int | None = None) -> Attachment:
    """Evidence on the task, or on one of its feedback reports, notes or its closure
    request (``to``); the limits and which record a user may add to: ``attachments``."""
    return _run(session, actor=actor, code=code, action="attach", settings=settings,
                expected_version=expected_version, seen_version=seen_version,
                body=lambda step: attachments.add(session, task=step.task, actor=actor,
                                                  upload=upload, settings=settings, to=to))


def note(session: Session, *, actor: Actor, code: str, settings: Settings, kind: str, body: str,
         department_id: int | None = None, respond_by: date | None = None,
         expected_version: int | None = None, seen_version: int | None = None) -> SupervisionNote:
    """Office: a reminder, urge or letter (with a respond-by date), praise, criticism or a
    finding of passing the buck; to one unit or (``department_id`` None) the whole task."""
    return _run(session, actor=actor, code=code, action="note", settings=settings,
                expected_version=expected_version, seen_version=seen_version,
                body=lambda step: progress.add_note(
                    session, task=step.task, kind=kind, body=body, actor_id=actor.user_id,
                    department_id=department_id, respond_by=respond_by, today=step.today,
                    settings=settings))


def respond(session: Session, *, actor: Actor, code: str, settings: Settings, note_id: int,
            response: str, expected_version: int | None = None,
            seen_version: int | None = None) -> SupervisionNote:
    return _run(session, actor=actor, code=code, action="respond", settings=settings,
                expected_version=expected_version, seen_version=seen_version,
                body=lambda step: progress.respond_note(
                    session, task=step.task, note=_note(session, step.task, note_id, step.unit),
                    actor_id=actor.user_id, response=response))


def request_extension(session: Session, *, actor: Actor, code: str, settings: Settings,
                      new_deadline: date, reason: str, expected_version: int | None = None,
                      seen_version: int | None = None) -> ExtensionRequest:
    return _run(session, actor=actor, code=code, action="request_extension", settings=settings,
                expected_version=expected_version, seen_version=seen_version,
                body=lambda step: progress.request_extension(
                    session, task=step.task, department_id=step.unit, actor_id=actor.user_id,
                    new_deadline=new_deadline, reason=reason, today=step.today,
                    settings=settings))


def decide_extension(session: Session, *, actor: Actor, code: str, settings: Settings,
                     approve: bool, note: str = "", expected_version: int | None = None,
                     seen_version: int | None = None) -> ExtensionRequest:
    return _run(session, actor=actor, code=code, action="decide_extension", settings=settings,
                expected_version=expected_version, seen_version=seen_version,
                body=lambda step: progress.decide_extension(
                    session, task=step.task, request=_pending_extension(session, step.task),
                    actor_id=actor.user_id, approve=approve, note=note))


def contest(session: Session, *, actor: Actor, code: str, settings: Settings, reason: str,
            expected_version: int | None = None, seen_version: int | None = None) -> TaskUnit:
    def body(step: Step) -> TaskUnit:
        assert step.calendar is not None
        return contests.contest(session, task=step.task, department_id=step.unit,
                                actor_id=actor.user_id, reason=reason, today=step.today,
                                calendar=step.calendar, window_workdays=settings.contest_workdays,
                                timezone=settings.timezone)

    return _run(session, actor=actor, code=code, action="contest", settings=settings,
                expected_version=expected_version, seen_version=seen_version, body=body,
                needs_calendar=True)


def decide_contest(session: Session, *, actor: Actor, code: str, settings: Settings,
                   department_id: int, decision: str, note: str = "",
                   new_department_id: int | None = None, expected_version: int | None = None,
                   seen_version: int | None = None) -> TaskUnit:
    """Office: ``decision`` is one of ``contests.DECISIONS``."""
    return _run(session, actor=actor, code=code, action="decide_contest", settings=settings,
                expected_version=expected_version, seen_version=seen_version,
                body=lambda step: contests.decide_contest(
                    session, task=step.task, department_id=department_id, actor_id=actor.user_id,
                    decision=decision, note=note, new_department_id=new_department_id))


def request_closure(session: Session, *, actor: Actor, code: str, settings: Settings,
                    expected_version: int | None = None, seen_version: int | None = None) -> Task:
    return _run(session, actor=actor, code=code, action="request_closure", settings=settings,
                expected_version=expected_version, seen_version=seen_version,
                body=lambda step: tasks.request_closure(session, task=step.task,
                                                        actor_id=actor.user_id, today=step.today))


def accept(session: Session, *, actor: Actor, code: str, settings: Settings,
           expected_version: int | None = None, seen_version: int | None = None) -> Task:
    return _run(session, actor=actor, code=code, action="accept", settings=settings,
                expected_version=expected_version, seen_version=seen_version,
                body=lambda step: tasks.accept(session, task=step.task, actor_id=actor.user_id))


def return_for_rework(session: Session, *, actor: Actor, code: str, settings: Settings,
                      reason: str, expected_version: int | None = None,
                      seen_version: int | None = None) -> Task:
    return _run(session, actor=actor, code=code, action="return", settings=settings,
                expected_version=expected_version, seen_version=seen_version,
                body=lambda step: tasks.return_for_rework(session, task=step.task,
                                                          actor_id=actor.user_id, reason=reason))


def suspend(session: Session, *, actor: Actor, code: str, settings: Settings, reason: str,
            expected_version: int | None = None, seen_version: int | None = None) -> Task:
    return _run(session, actor=actor, code=code, action="suspend", settings=settings,
                expected_version=expected_version, seen_version=seen_version,
                body=lambda step: tasks.suspend(session, task=step.task, actor_id=actor.user_id,
                                                reason=reason))


def resume(session: Session, *, actor: Actor, code: str, settings: Settings,
           new_deadline: date | None = None,
           expected_version: int | None = None, seen_version: int | None = None) -> Task:
    from coordboard import clock

    return _run(session, actor=actor, code=code, action="resume", settings=settings,
                expected_version=expected_version, seen_version=seen_version,
                body=lambda step: tasks.resume(session, task=step.task, actor_id=actor.user_id,
                                               new_deadline=new_deadline,
                                               today=clock.today(settings.timezone),
                                               settings=settings))


def withdraw(session: Session, *, actor: Actor, code: str, settings: Settings, reason: str,
             expected_version: int | None = None, seen_version: int | None = None) -> Task:
    return _run(session, actor=actor, code=code, action="withdraw", settings=settings,
                expected_version=expected_version, seen_version=seen_version,
                body=lambda step: tasks.withdraw(session, task=step.task, actor_id=actor.user_id,
                                                 reason=reason))


class TaskChanges(TypedDict, total=False):
    """The fields the office may edit (the deadline only on a draft)."""

    title: str
    description: str
    category: str
    priority: str
    leader: str  # a leader user's username or display name; "" for none
    leader_id: int | None  # a leader user (a list's choice); None for none
    source: str
    instruction_by: str  # 批示领导, 批示日期, 批示内容: services/sources.py
    instruction_date: date | None
    instruction_text: str
    deadline: date


def edit(session: Session, *, actor: Actor, code: str, settings: Settings, changes: TaskChanges,
         expected_version: int | None = None, seen_version: int | None = None) -> Task:
    return _run(session, actor=actor, code=code, action="edit", settings=settings,
                expected_version=expected_version, seen_version=seen_version,
                body=lambda step: tasks.edit(session, task=step.task, actor_id=actor.user_id,
                                             changes=dict(changes), today=step.today,
                                             settings=settings))


# --- stages (阶段节点) ----------------------------------------------------------------------


def add_stage(session: Session, *, actor: Actor, code: str, settings: Settings, title: str,
              due: date, department_id: int, expected_version: int | None = None,
              seen_version: int | None = None) -> TaskStage:
    """Office: a dated stage with the unit responsible (one of the task's units)."""
    return _run(session, actor=actor, code=code, action="edit_stages", settings=settings,
                expected_version=expected_version, seen_version=seen_version,
                body=lambda step: stages.add(session, task=step.task, actor_id=actor.user_id,
                                             title=title, due=due, department_id=department_id,
                                             today=step.today, settings=settings))


def edit_stage(session: Session, *, actor: Actor, code: str, settings: Settings, seq: int,
               title: str | None = None, due: date | None = None,
               department_id: int | None = None, expected_version: int | None = None,
               seen_version: int | None = None) -> TaskStage:
    return _run(session, actor=actor, code=code, action="edit_stages", settings=settings,
                expected_version=expected_version, seen_version=seen_version,
                body=lambda step: stages.edit(session, task=step.task, actor_id=actor.user_id,
                                              seq=seq, title=title, due=due,
                                              department_id=department_id, today=step.today,
                                              settings=settings))


def remove_stage(session: Session, *, actor: Actor, code: str, settings: Settings, seq: int,
                 expected_version: int | None = None, seen_version: int | None = None) -> None:
    return _run(session, actor=actor, code=code, action="edit_stages", settings=settings,
                expected_version=expected_version, seen_version=seen_version,
                body=lambda step: stages.remove(session, task=step.task, actor_id=actor.user_id,
                                                seq=seq))


def reach_stage(session: Session, *, actor: Actor, code: str, settings: Settings, seq: int,
                report: str = "", expected_version: int | None = None,
                seen_version: int | None = None) -> TaskStage:
    """The responsible unit's head, or the office, marks stage ``seq`` reached."""
    return _run(session, actor=actor, code=code, action="reach_stage", settings=settings,
                expected_version=expected_version, seen_version=seen_version,
                body=lambda step: stages.reach(
                    session, task=step.task, actor_id=actor.user_id, seq=seq, report=report,
                    department_id=preconditions.acting_unit("reach_stage", actor)))
