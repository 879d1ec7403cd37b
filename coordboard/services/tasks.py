"""Registering, dispatching and moving a task through its life."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from coordboard import clock
from coordboard.config import Settings
from coordboard.enums import DeadlineRule, Priority, TaskSource, TaskStatus, UnitRole
from coordboard.errors import NotFoundError, ValidationError
from coordboard.i18n import CATALOGUES, listing
from coordboard.models import CodeCounter, Department, Task, TaskStage, TaskUnit
from coordboard.services import (
    audit,
    categories,
    deadlines,
    fields,
    leaders,
    preconditions,
    sources,
    stored_text,
)
from coordboard.services.lifecycle import require
from coordboard.services.sources import Instruction
from coordboard.services.workdays import WorkCalendar, load_calendar

CODE_PREFIX = "DB"
TASK_FIELDS = ("title", "status", "deadline", "lead_department_id", "return_count")


class OccurrenceTaken(ValidationError):
    """The recurring rule's task for this period exists already (made by another run)."""

    key = "recur.error.taken"


@dataclass(frozen=True)
class UnitAssignment:
    department_id: int
    part: str = ""


def description_text(task: Task, language: str | None = None) -> str:
    """The task's description as shown: machine-written words (in ``language``, the
    interface language if None), then what was typed."""
    return stored_text.shown(task.description, task.description_message, language)


def task_by_code(session: Session, code: str) -> Task:
    task = session.exec(select(Task).where(Task.code == code.strip().upper())).first()
    if task is None:
        raise NotFoundError(what=code)
    return task


def allocate_code(session: Session, year: int) -> tuple[str, int]:
    """Next ``DB-YYYY-NNN``. The counter row's write lock serialises concurrent callers."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    session.execute(
        upsert(CodeCounter).values(year=year, next_seq=1).on_conflict_do_nothing()
    )
    seq = session.execute(
        update(CodeCounter)
        .where(col(CodeCounter.year) == year)
        .values(next_seq=CodeCounter.next_seq + 1)
        .returning(col(CodeCounter.next_seq))
    ).scalar_one() - 1
    return f"{CODE_PREFIX}-{year}-{seq:03d}", seq


def check_units(session: Session, lead: UnitAssignment, supporters: list[UnitAssignment]) -> None:
    """The units of a task (or of a recurring rule's tasks): each part within its limits,
    no unit twice, every unit an active department."""
    for unit in [lead, *supporters]:
        fields.check("part", unit.part)
    unit_ids = [lead.department_id] + [s.department_id for s in supporters]
    if len(set(unit_ids)) != len(unit_ids):
        raise ValidationError("error.duplicate_unit")
    known = set(session.exec(
        select(Department.id).where(col(Department.id).in_(unit_ids), col(Department.active))
    ).all())
    missing = [str(u) for u in unit_ids if u not in known]
    if missing:
        raise NotFoundError(what=", ".join(missing))


def register(
    session: Session,
    *,
    actor_id: int | None,
    title: str,
    lead: UnitAssignment,
    supporters: list[UnitAssignment] | None = None,
    deadline: date | None = None,
    workdays: int | None = None,
    description: str = "",
    source: str = TaskSource.OTHER,
    category: str = "",
    priority: str = Priority.NORMAL,
    leader: str = "",
    leader_id: int | None = None,
    parent_id: int | None = None,
    today: date,
    settings: Settings | None = None,
    description_message: Any = None,
    recurrence: tuple[int, str] | None = None,
    instruction: Instruction | None = None,
) -> Task:
    """A draft task with its units. Deadline: a date, or N working days from dispatch.
    The responsible leader: ``leader`` (a username or display name, "" for none) or
    ``leader_id`` (a list's choice), resolved to a leader user (services/leaders.py).
    ``description_message``: machine-written text shown before the description, as codes
    and parameters (services/stored_text.py); the description stays as typed.
    ``recurrence``: the recurring rule and period this task is the occurrence of
    (services/recurrence.py); a period already made raises ``OccurrenceTaken``.
    ``instruction``: 批示领导, 批示日期, 批示内容 of a task from a leader's instruction
    (services/sources.py); ``category``: an active entry of the office's list, or ""."""
    settings = settings or Settings()
    title = fields.check("title", title, required=True).strip()
    fields.check("description", description)
    instruction = sources.check(source, instruction or Instruction(), today=today,
                                settings=settings)
    category = categories.check_for_task(session, category)
    leader_id = leaders.choose(session, name=leader or None, user_id=leader_id)
    if (deadline is None) == (workdays is None):
        raise ValidationError("error.deadline_choice")
    if workdays is not None:
        deadlines.check_workdays(workdays, settings=settings)
    if deadline is not None:
        deadlines.check_date(deadline, today=today, settings=settings)
    if priority not in set(Priority):
        raise ValidationError("error.choice", field="priority", value=priority,
                              allowed=", ".join(Priority))
    supporters = supporters or []
    check_units(session, lead, supporters)

    if workdays is not None:
        # Provisional until dispatch counts from its own day: what dispatching today would
        # give (the registration day itself read as due today, then overdue, on every list).
        deadline = load_calendar(session).add_workdays(today, workdays)
    assert deadline is not None  # one of the two, checked above
    now = clock.now()
    code, seq = allocate_code(session, today.year)
    task = Task(
        code=code, year=today.year, seq=seq, title=title, description=description,
        description_message=description_message,
        source=source, category=category, priority=priority, leader="", leader_id=leader_id,
        instruction_by=instruction.by, instruction_date=instruction.on,
        instruction_text=instruction.text,
        deadline=deadline, original_deadline=deadline,
        deadline_rule=DeadlineRule.WORKDAYS if workdays else DeadlineRule.DATE,
        deadline_workdays=workdays, status=TaskStatus.DRAFT,
        lead_department_id=lead.department_id, parent_id=parent_id, created_by=actor_id,
        created_at=now, updated_at=now,
        recurrence_id=recurrence[0] if recurrence else None,
        recurrence_period=recurrence[1] if recurrence else None,
    )
    session.add(task)
    try:
        session.flush()
    except IntegrityError as exc:
        if recurrence is not None and "recurrence" in str(exc.orig).lower():
            raise OccurrenceTaken(rule=recurrence[0], period=recurrence[1]) from None
        raise ValidationError("error.task_code_taken", code=code) from None
    assert task.id is not None
    session.execute(insert(TaskUnit), [
        {"task_id": task.id, "department_id": unit.department_id, "role": role, "part": unit.part}
        for unit, role in [(lead, UnitRole.LEAD)] + [(s, UnitRole.SUPPORT) for s in supporters]
    ])
    audit.record(session, actor_id=actor_id, entity="task", entity_id=task.id, task_id=task.id,
                 action="register", after=audit.snapshot(task, "code", *TASK_FIELDS))
    return task


def _transition(session: Session, task: Task, action: str, status: str, actor_id: int | None,
                reason: str | None = None, detail: dict[str, object] | None = None,
                **extra: object) -> Task:
    require(action, task.status, task.code)
    before = audit.snapshot(task, *TASK_FIELDS)
    task.status = status
    task.updated_at = clock.now()
    for name, value in extra.items():
        setattr(task, name, value)
    session.add(task)
    session.flush()
    assert task.id is not None
    audit.record(session, actor_id=actor_id, entity="task", entity_id=task.id, task_id=task.id,
                 action=action, before=before,
                 after={**audit.snapshot(task, *TASK_FIELDS), **({"reason": reason} if reason else {}),
                        **(detail or {})})
    return task


def dispatch(session: Session, *, task: Task, actor_id: int | None, calendar: WorkCalendar,
             today: date) -> Task:
    now = clock.now()
    deadline = task.deadline
    if task.deadline_rule == DeadlineRule.WORKDAYS and task.deadline_workdays:
        deadline = calendar.add_workdays(today, task.deadline_workdays)
    return _transition(session, task, "dispatch", TaskStatus.ASSIGNED, actor_id,
                       dispatched_at=now, deadline=deadline, original_deadline=deadline,
                       stalest_report_at=now)


@dataclass(frozen=True)
class Recount:
    code: str
    title: str
    old: date
    new: date
    extended: bool  # its deadline was moved by an extension: left as approved, to check by hand


def recount_deadlines(session: Session, *, year: int, actor_id: int | None,
                      settings: Settings, apply: bool) -> list[Recount]:
    """Working-day deadlines reaching into ``year``, counted again from each task's
    dispatch day on the calendar as it now is: once the year's official schedule replaces
    the estimate, a deadline counted on the estimate may fall on a holiday or a day early.
    Only those that change are returned; with ``apply`` each unextended one is moved
    (deadline and the original one alike, as dispatch set them) and audited. An extended
    deadline is the office's own decision and is only listed."""
    from coordboard.services.workdays import affected_tasks

    calendar = load_calendar(session)
    codes = [code for code, _title, _deadline in affected_tasks(session, year)]
    found: list[Recount] = []
    for task in session.exec(select(Task).where(col(Task.code).in_(codes))
                             .order_by(col(Task.deadline), col(Task.id))).all():
        assert task.dispatched_at is not None and task.deadline_workdays is not None
        start = clock.local(task.dispatched_at, settings.timezone).date()
        new = calendar.add_workdays(start, task.deadline_workdays)
        if new == task.original_deadline:
            continue
        extended = task.deadline != task.original_deadline
        found.append(Recount(task.code, task.title, task.original_deadline, new, extended))
        if apply and not extended:
            before, old = audit.snapshot(task, *TASK_FIELDS), task.deadline
            task.deadline = task.original_deadline = new
            task.updated_at = clock.now()
            session.add(task)
            session.flush()
            audit.record(session, actor_id=actor_id, entity="task", entity_id=task.id or 0,
                         task_id=task.id, action="deadline_recounted", before=before,
                         after={**audit.snapshot(task, *TASK_FIELDS), "year": year,
                                "old_deadline": old.isoformat()})
    return found


def units_of(session: Session, task_id: int) -> list[TaskUnit]:
    return list(session.exec(
        select(TaskUnit).where(TaskUnit.task_id == task_id).order_by(col(TaskUnit.role), col(TaskUnit.id))
    ).all())


def unit_of(session: Session, task: Task, department_id: int) -> TaskUnit:
    unit = session.exec(select(TaskUnit).where(
        TaskUnit.task_id == task.id, TaskUnit.department_id == department_id)).first()
    if unit is None:
        raise ValidationError("error.not_a_unit", code=task.code, department=department_id)
    return unit


def acknowledge(session: Session, *, task: Task, department_id: int, actor_id: int | None) -> Task:
    preconditions.check_state("acknowledge", preconditions.read_state(session, task),
                              department_id=department_id, today=clock.today(Settings().timezone))
    unit = unit_of(session, task, department_id)
    unit.acknowledged_at = clock.now()
    session.add(unit)
    session.flush()
    pending = session.exec(select(func.count()).select_from(TaskUnit).where(
        TaskUnit.task_id == task.id, col(TaskUnit.acknowledged_at).is_(None))).one()
    status = TaskStatus.ACKNOWLEDGED if (pending == 0 and task.status == TaskStatus.ASSIGNED) \
        else task.status
    return _transition(session, task, "acknowledge", status, actor_id,
                       detail={"department_id": department_id})


def refresh_report_times(session: Session, task: Task) -> None:
    """Keep the task's denormalised 'last heard from' fields in step with its units."""
    start = task.dispatched_at or task.created_at
    stalest, latest = None, None
    for unit in units_of(session, task.id or 0):
        heard = unit.last_feedback_at or start
        stalest = heard if stalest is None or heard < stalest else stalest
        if unit.last_feedback_at and (latest is None or unit.last_feedback_at > latest):
            latest = unit.last_feedback_at
    task.stalest_report_at = stalest
    task.last_feedback_at = latest


def request_closure(session: Session, *, task: Task, actor_id: int | None,
                    today: date | None = None) -> Task:
    """The lead unit reports the result. Its day (``today``, the office's day) is kept: a
    request on or before the deadline stops the clock (services/rules.py)."""
    # Callers pass the office's day; the default zone serves direct calls (tests).
    day = today or clock.today(Settings().timezone)
    preconditions.check_state("request_closure", preconditions.read_state(session, task),
                              department_id=None, today=day)
    return _transition(session, task, "request_closure", TaskStatus.CLOSURE_REQUESTED, actor_id,
                       detail={"closure_requested_on": day.isoformat()},
                       closure_requested_on=day)


def accept(session: Session, *, task: Task, actor_id: int | None) -> Task:
    return _transition(session, task, "accept", TaskStatus.CLOSED, actor_id, closed_at=clock.now())


def return_for_rework(session: Session, *, task: Task, actor_id: int | None, reason: str) -> Task:
    if not fields.check("reason", reason).strip():
        raise ValidationError("error.reason_required")
    # The returned request no longer stops the clock.
    return _transition(session, task, "return", TaskStatus.IN_PROGRESS, actor_id, reason,
                       return_count=task.return_count + 1, closure_requested_on=None)


def suspend(session: Session, *, task: Task, actor_id: int | None, reason: str) -> Task:
    if not fields.check("reason", reason).strip():
        raise ValidationError("error.reason_required")
    return _transition(session, task, "suspend", TaskStatus.SUSPENDED, actor_id, reason)


def resume(session: Session, *, task: Task, actor_id: int | None,
           new_deadline: date | None = None, today: date | None = None,
           settings: Settings | None = None) -> Task:
    """Back to handling. ``new_deadline``: the deadline the office sets on resuming, when the
    suspension ran over the old one (a task suspended across its deadline was red the
    moment it resumed, and nothing could move its deadline: edits are refused, and a unit's
    extension comes too late). It replaces the original deadline too, as dispatch sets it,
    so the scores judge by it."""
    if new_deadline is None:
        return _transition(session, task, "resume", TaskStatus.IN_PROGRESS, actor_id)
    assert today is not None, "a new deadline is checked against today"
    deadlines.check_date(new_deadline, today=today, settings=settings or Settings())
    return _transition(session, task, "resume", TaskStatus.IN_PROGRESS, actor_id,
                       detail={"deadline_set": new_deadline.isoformat(),
                               "old_deadline": task.deadline.isoformat()},
                       deadline=new_deadline, original_deadline=new_deadline)


def withdraw(session: Session, *, task: Task, actor_id: int | None, reason: str) -> Task:
    if not fields.check("reason", reason).strip():
        raise ValidationError("error.reason_required")
    return _transition(session, task, "withdraw", TaskStatus.WITHDRAWN, actor_id, reason)


# "leader" (a name, "" for none) and "leader_id" (a user, None for none) both set the
# responsible leader: the audit records the user (leader_id) and clears any kept text.
EDITABLE = ("title", "description", "category", "priority", "leader", "leader_id", "source",
            *sources.FIELDS)


def edit(session: Session, *, task: Task, actor_id: int | None, changes: dict[str, object],
         today: date, settings: Settings | None = None) -> Task:
    """Office edits. The deadline changes here only on a draft; later, only by an extension."""
    settings = settings or Settings()
    require("edit", task.status, task.code)
    allowed = set(EDITABLE) | ({"deadline"} if task.status == TaskStatus.DRAFT else set())
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationError("error.not_editable", code=task.code, fields=listing(
            fields.label(f"tui.field.{name}") if f"tui.field.{name}" in CATALOGUES["zh"] else name
            for name in unknown))  # 办理期限, not "deadline"
    if "leader" in changes or "leader_id" in changes:
        changes = _leader_changes(session, task, changes)
    for name in ("title", "description"):
        if name in changes:
            fields.check(name, changes[name], required=name == "title")  # type: ignore[arg-type]
    if "category" in changes:
        changes["category"] = categories.check_for_task(
            session, changes["category"], current=task.category)  # type: ignore[arg-type]
    priority = changes.get("priority")
    if priority is not None and priority not in set(Priority):
        raise ValidationError("error.choice", field="priority", value=priority,
                              allowed=", ".join(Priority))
    if "source" in changes or any(name in changes for name in sources.FIELDS):
        changes = {**changes, **_instruction_changes(task, changes, today, settings)}
    deadline = changes.get("deadline")
    if "deadline" in changes:
        if not isinstance(deadline, date):
            raise ValidationError("error.deadline_choice")
        deadlines.check_date(deadline, today=today, settings=settings)
        last_stage = session.exec(select(func.max(TaskStage.due))
                                  .where(TaskStage.task_id == task.id)).one()
        if last_stage is not None and deadline < last_stage:
            # Stages fit inside the deadline (services/stages.py).
            raise ValidationError("error.deadline_before_stage", deadline=deadline.isoformat(),
                                  due=last_stage.isoformat())
    before = audit.snapshot(task, *changes)
    for name, value in changes.items():
        setattr(task, name, value)
    if isinstance(deadline, date):
        task.original_deadline = deadline
        task.deadline_rule, task.deadline_workdays = DeadlineRule.DATE, None
    task.updated_at = clock.now()
    session.add(task)
    session.flush()
    audit.record(session, actor_id=actor_id, entity="task", entity_id=task.id or 0,
                 task_id=task.id, action="edit", before=before, after=audit.snapshot(task, *changes))
    return task


def _instruction_changes(task: Task, changes: dict[str, object], today: date,
                         settings: Settings) -> dict[str, object]:
    """The source and instruction fields after an edit, checked as a whole (the rule is
    about the three together with the source); the date is held to today's window only
    when it is the one being changed."""
    source = changes.get("source", task.source)
    on = changes.get("instruction_date", task.instruction_date)
    if on is not None and not isinstance(on, date):
        raise ValidationError("error.date_type", field=fields.label("field.instruction_date"))
    merged = Instruction(changes.get("instruction_by", task.instruction_by), on,  # type: ignore[arg-type]
                         changes.get("instruction_text", task.instruction_text))  # type: ignore[arg-type]
    kept = sources.check(str(source), merged, today=today, settings=settings,
                         check_day="instruction_date" in changes)
    return {"source": source, **kept.columns()}
def _leader_changes(session: Session, task: Task, changes: dict[str, object]) -> dict[str, object]:
    """The edit's leader as ``leader_id`` (and the kept text cleared), or no leader change
    when it names the leader the task has."""
    changes = dict(changes)
    # "leader": "" or "leader_id": None asks for no leader (a name kept as text goes too).
    cleared = changes.get("leader") == "" or ("leader_id" in changes and changes["leader_id"] is None)
    name, user_id = changes.pop("leader", None), changes.pop("leader_id", None)
    if name is not None and not isinstance(name, str):
        raise ValidationError("error.choice", field="leader", value=str(name), allowed="")
    if user_id is not None and not isinstance(user_id, int):
        raise ValidationError("error.choice", field="leader_id", value=str(user_id), allowed="")
    chosen = leaders.choose(session, name=name, user_id=user_id)
    if chosen != task.leader_id or (task.leader and (chosen is not None or cleared)):
        changes["leader_id"] = chosen
        if task.leader:
            changes["leader"] = ""
    return changes


def estimated_deadline_years(session: Session, task: Task, today: date) -> list[int]:
    """Years without the State Council's holiday schedule that the task's deadline falls in
    (issue 11 rule 5): its working days are estimated, and front ends warn. For a draft
    counted in working days, the deadline that dispatching it today would give."""
    calendar = load_calendar(session)
    deadline = task.deadline
    if (task.status == TaskStatus.DRAFT and task.deadline_rule == DeadlineRule.WORKDAYS
            and task.deadline_workdays):
        deadline = calendar.add_workdays(today, task.deadline_workdays)
    return calendar.unofficial_years([deadline])
