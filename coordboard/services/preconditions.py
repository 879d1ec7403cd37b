"""May this action be taken on this task now, and if not, why: one pure check per action.

Everything here depends on the task's state (and the user), never on what the
user will type: permission and unit role, lifecycle status, "already
acknowledged", "no open note to answer", "an extension is already pending",
"no contest to decide", "supporting units silent"... Each check raises the
domain error that says why.

The same check is run by the action itself (``workflow``'s typed functions, and
the service functions in ``tasks``, ``progress`` and ``contests`` for direct
callers) and by the task screen's list of available actions (``detail``), so the
screen offers an action exactly when the service would take it. Checks that
depend on the parameters (a date in range, a reason given, which note, which
unit) stay in the service functions.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from coordboard import clock
from coordboard.enums import ContestState, DeadlineRule, RequestState, Role, TaskStatus, UnitRole
from coordboard.errors import DomainError
from coordboard.i18n import listing
from coordboard.models import (
    Department,
    ExtensionRequest,
    SupervisionNote,
    Task,
    TaskStage,
    TaskUnit,
)
from coordboard.services.lifecycle import require
from coordboard.services.permissions import Actor, allowed, authorize
from coordboard.services.workdays import WorkCalendar

# Every action on a task, in the order a screen offers them: a unit's own work first,
# then the office's decisions.
TASK_ACTIONS = (
    "acknowledge", "feedback", "respond", "request_extension", "request_closure", "contest",
    "dispatch", "note", "decide_extension", "decide_contest", "accept", "return",
    "suspend", "resume", "withdraw", "edit", "edit_stages", "reach_stage",
)


@dataclass(frozen=True)
class UnitFacts:
    department_id: int
    name: str
    role: str
    acknowledged: bool
    reported: bool
    contest_pending: bool


@dataclass(frozen=True)
class OpenNote:
    """A reminder, urge or letter that asks for an answer by a date and has none yet."""

    id: int
    department_id: int | None  # None: addressed to the whole task


@dataclass(frozen=True)
class TaskState:
    """What the checks read, read once (``read_state``); the checks themselves are pure."""

    code: str
    status: str
    deadline: date
    units: tuple[UnitFacts, ...]
    open_notes: tuple[OpenNote, ...]
    extension_pending: bool
    # The last day a unit may contest its assignment; None when the caller gave no
    # calendar (then ``contest`` cannot be checked: see ``check_state``).
    contest_last_day: date | None
    contest_workdays: int
    # The stages not yet reached: (number, responsible unit), in order.
    open_stages: tuple[tuple[int, int], ...] = ()
    # The last day a stage may fall on (the deadline; None for a draft counted in working
    # days, whose deadline is set when it is dispatched).
    stages_until: date | None = None

    def unit(self, department_id: int | None) -> UnitFacts | None:
        return next((u for u in self.units if u.department_id == department_id), None)


def contest_last_day(task: Task, calendar: WorkCalendar, window_workdays: int,
                     timezone: str) -> date:
    dispatched = clock.local(task.dispatched_at or task.created_at, timezone).date()
    return calendar.add_workdays(dispatched, window_workdays)


def read_state(session: Session, task: Task, *, calendar: WorkCalendar | None = None,
               contest_workdays: int = 0, timezone: str = "Asia/Shanghai") -> TaskState:
    units = session.exec(
        select(TaskUnit, Department.short_name)
        .join(Department, col(Department.id) == TaskUnit.department_id)
        .where(TaskUnit.task_id == task.id).order_by(col(TaskUnit.role), col(TaskUnit.id))).all()
    notes = session.exec(select(SupervisionNote.id, SupervisionNote.department_id).where(
        SupervisionNote.task_id == task.id, col(SupervisionNote.respond_by).is_not(None),
        col(SupervisionNote.responded_at).is_(None)).order_by(col(SupervisionNote.id))).all()
    pending = session.exec(select(ExtensionRequest.id).where(
        ExtensionRequest.task_id == task.id,
        ExtensionRequest.state == RequestState.PENDING)).first()
    stages = session.exec(select(TaskStage.seq, TaskStage.department_id).where(
        TaskStage.task_id == task.id, col(TaskStage.reached_at).is_(None))
        .order_by(col(TaskStage.seq))).all()
    return TaskState(
        code=task.code, status=task.status, deadline=task.deadline,
        units=tuple(UnitFacts(u.department_id, name, u.role, u.acknowledged_at is not None,
                              u.last_feedback_at is not None,
                              u.contest_state == ContestState.PENDING) for u, name in units),
        open_notes=tuple(OpenNote(note_id or 0, department_id) for note_id, department_id in notes),
        extension_pending=pending is not None,
        contest_last_day=contest_last_day(task, calendar, contest_workdays, timezone)
        if calendar is not None else None,
        contest_workdays=contest_workdays,
        open_stages=tuple((seq, department_id) for seq, department_id in stages),
        stages_until=None if task.status == TaskStatus.DRAFT
        and task.deadline_rule == DeadlineRule.WORKDAYS and task.deadline_workdays
        else task.deadline,
    )


# --- the rule of each action, beyond permission and lifecycle ---------------------------------
# ``unit``: the acting unit's facts (None for the office); ``today``: the office's day.

Rule = Callable[[TaskState, UnitFacts | None, date], None]


def _acknowledge(state: TaskState, unit: UnitFacts | None, today: date) -> None:
    if unit is not None and unit.acknowledged:
        # Once is the record; a repeat would add audit events that say nothing new.
        raise DomainError("error.already_acknowledged", code=state.code)


def _respond(state: TaskState, unit: UnitFacts | None, today: date) -> None:
    if not notes_for(state, unit.department_id if unit else None):
        raise DomainError("error.no_note_to_answer", code=state.code)


def _request_extension(state: TaskState, unit: UnitFacts | None, today: date) -> None:
    if state.extension_pending:
        raise DomainError("error.extension_pending", code=state.code)
    if today > state.deadline:
        raise DomainError("error.extension_too_late", code=state.code,
                          deadline=state.deadline.isoformat())


def _decide_extension(state: TaskState, unit: UnitFacts | None, today: date) -> None:
    if not state.extension_pending:
        raise DomainError("error.no_pending_extension", code=state.code)


def _contest(state: TaskState, unit: UnitFacts | None, today: date) -> None:
    if unit is not None and unit.contest_pending:
        raise DomainError("error.contest_pending", code=state.code)
    if state.contest_last_day is None:
        raise TypeError("checking a contest needs the state read with a calendar")
    if today > state.contest_last_day:
        raise DomainError("error.contest_too_late", code=state.code,
                          last=state.contest_last_day.isoformat(),
                          workdays=state.contest_workdays)


def _decide_contest(state: TaskState, unit: UnitFacts | None, today: date) -> None:
    if not any(u.contest_pending for u in state.units):
        raise DomainError("error.contest_none_on_task", code=state.code)


def _request_closure(state: TaskState, unit: UnitFacts | None, today: date) -> None:
    silent = [u.name for u in state.units if u.role == UnitRole.SUPPORT and not u.reported]
    if silent:
        raise DomainError("error.supporters_silent", code=state.code, units=listing(silent))


def _attach(state: TaskState, unit: UnitFacts | None, today: date) -> None:
    if unit is not None and state.status == TaskStatus.DRAFT:
        # A draft is the office's working copy: units add evidence once it is dispatched.
        raise DomainError("error.attach_draft", code=state.code)


def _reach_stage(state: TaskState, unit: UnitFacts | None, today: date) -> None:
    if not stages_for(state, unit.department_id if unit else None):
        raise DomainError("error.no_stage_to_reach", code=state.code)


def _edit_stages(state: TaskState, unit: UnitFacts | None, today: date) -> None:
    """A stage falls between today and the deadline: once the deadline has passed no day is
    left to plan for (the task is red; an extension moves the deadline first)."""
    if state.stages_until is not None and state.stages_until < today:
        raise DomainError("error.no_day_for_stage", code=state.code,
                          deadline=state.stages_until.isoformat())


RULES: dict[str, Rule] = {
    "edit_stages": _edit_stages,
    "reach_stage": _reach_stage,
    "attach": _attach,
    "acknowledge": _acknowledge,
    "respond": _respond,
    "request_extension": _request_extension,
    "decide_extension": _decide_extension,
    "contest": _contest,
    "decide_contest": _decide_contest,
    "request_closure": _request_closure,
}


def notes_for(state: TaskState, department_id: int | None) -> list[OpenNote]:
    """The open notes a unit may answer: its own and those to the whole task."""
    return [n for n in state.open_notes if n.department_id in (None, department_id)]


def stages_for(state: TaskState, department_id: int | None) -> list[int]:
    """The numbers of the unreached stages a unit may mark reached (its own; every one for
    the office, ``department_id`` None)."""
    return [seq for seq, unit in state.open_stages if department_id in (None, unit)]


def check_state(action: str, state: TaskState, *, department_id: int | None,
                today: date, may: Callable[[str], bool] | None = None) -> None:
    """The lifecycle and the action's own rule, for the unit ``department_id`` acting
    (None for the office); ``may``: the actions the user may take at all (the refusal names
    those of them the status allows). Raises the DomainError that says why not."""
    require(action, state.status, state.code, may)
    rule = RULES.get(action)
    if rule is not None:
        rule(state, state.unit(department_id), today)


def check(action: str, actor: Actor, state: TaskState, *, today: date) -> None:
    """Everything that decides whether ``actor`` may take ``action`` now: permission
    (with the actor's unit's role on the task), lifecycle, the action's own rule."""
    unit = state.unit(actor.department_id)
    role = unit.role if unit else None
    authorize(actor, action, role)
    check_state(action, state, department_id=acting_unit(action, actor), today=today,
                may=lambda name: allowed(actor, name, role))


def acting_unit(action: str, actor: Actor) -> int | None:
    """The unit whose rule applies: the office marks any unit's stage reached, even when
    its own department happens to be a unit of the task."""
    if action == "reach_stage" and actor.role == Role.OFFICE:
        return None
    return actor.department_id


def refusal(action: str, actor: Actor, state: TaskState, *, today: date) -> DomainError | None:
    """None when ``actor`` may take ``action`` now, else the error that says why not."""
    try:
        check(action, actor, state, today=today)
    except DomainError as exc:
        return exc
    return None
