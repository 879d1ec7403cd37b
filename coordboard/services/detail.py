"""Everything a task's detail view shows, and which actions this user may take on it, and why not.

The "why not" comes from the same rules that would refuse the action
(permissions, lifecycle, and each action's own precondition), so a front end
never second-guesses a rule.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from coordboard.enums import ContestState, RequestState, UnitRole
from coordboard.errors import DomainError
from coordboard.i18n import t
from coordboard.models import Department, ExtensionRequest, SupervisionNote, Task, TaskUnit
from coordboard.services import history
from coordboard.services.board import verdict_of
from coordboard.services.history import TimelineEntry, UnitLine
from coordboard.services.lifecycle import require
from coordboard.services.lights import LightContext, LightVerdict
from coordboard.services.permissions import PERMISSIONS, Actor, authorize
from coordboard.services.tasks import task_by_code
from coordboard.services.workflow import unit_role_of

# The order actions are offered in: a unit's own work first, then the office's decisions.
TASK_ACTIONS = (
    "acknowledge", "feedback", "respond", "request_extension", "request_closure", "contest",
    "dispatch", "note", "decide_extension", "decide_contest", "accept", "return",
    "suspend", "resume", "withdraw", "edit",
)


@dataclass(frozen=True)
class ActionState:
    action: str
    enabled: bool
    reason: str = ""  # why not, when disabled


@dataclass(frozen=True)
class NoteChoice:
    id: int
    label: str


@dataclass(frozen=True)
class UnitChoice:
    department_id: int
    name: str
    role: str
    contest_reason: str | None


@dataclass
class TaskDetail:
    task: Task
    lead: str
    verdict: LightVerdict
    calendar_days_left: int
    unofficial_calendar: bool
    units: list[UnitLine]
    unit_choices: list[UnitChoice]
    timeline: list[tuple[TimelineEntry, str]]  # entry and its description
    actions: list[ActionState]
    notes_to_answer: list[NoteChoice]
    pending_extension: ExtensionRequest | None


def _why_not(actor: Actor, action: str, task: Task, unit_role: str | None,
             precondition: str | None) -> str:
    try:
        authorize(actor, action, unit_role)
        require(action, task.status, task.code)
    except DomainError as exc:
        return str(exc)
    return precondition or ""


def task_detail(session: Session, *, actor: Actor, code: str, ctx: LightContext) -> TaskDetail:
    task = task_by_code(session, code)
    unit_role = unit_role_of(session, task, actor)
    units = history.units(session, task)
    choices = [UnitChoice(dept_id or 0, name, role, reason) for dept_id, name, role, reason in session.exec(
        select(Department.id, Department.short_name, TaskUnit.role,
               TaskUnit.contest_reason)
        .join(TaskUnit, col(TaskUnit.department_id) == Department.id)
        .where(TaskUnit.task_id == task.id)
        .order_by(col(TaskUnit.role), col(TaskUnit.id))).all()]
    names = _unit_names(session)
    notes = _notes_to_answer(session, task, actor)
    pending = session.exec(select(ExtensionRequest).where(
        ExtensionRequest.task_id == task.id, ExtensionRequest.state == RequestState.PENDING)).first()
    mine = next((u for u in units if u.department == names.get(actor.department_id or -1)), None)
    preconditions: dict[str, str | None] = {
        "acknowledge": t("detail.why.acknowledged") if mine and mine.acknowledged_at else None,
        "respond": None if notes else t("detail.why.no_notes"),
        "request_extension": t("detail.why.extension_pending") if pending else None,
        "decide_extension": None if pending else t("detail.why.no_extension"),
        "decide_contest": None if any(u.contest_state == ContestState.PENDING for u in units)
        else t("detail.why.no_contest"),
        "contest": t("error.contest_pending", code=task.code)
        if mine and mine.contest_state == ContestState.PENDING else None,
        "request_closure": _silent_supporters(task, units),
    }
    actions = []
    for action in TASK_ACTIONS:
        if actor.role not in PERMISSIONS[action]:
            continue  # never this role's business: hidden, not greyed out
        reason = _why_not(actor, action, task, unit_role, preconditions.get(action))
        actions.append(ActionState(action, not reason, reason))
    lead = next((u.department for u in units if u.role == UnitRole.LEAD), "")
    return TaskDetail(
        task=task, lead=lead, verdict=verdict_of(session, task, ctx),
        calendar_days_left=(task.deadline - ctx.today).days,
        unofficial_calendar=bool(ctx.calendar.unofficial_years([task.deadline])),
        units=units, unit_choices=choices,
        timeline=described_timeline(session, task, names),
        actions=actions, notes_to_answer=notes, pending_extension=pending,
    )


def _unit_names(session: Session) -> dict[int, str]:
    # Timeline entries may name units no longer on the task (reassigned after a contest).
    return {dept_id or 0: name for dept_id, name in session.exec(
        select(Department.id, Department.short_name)).all()}


def described_timeline(session: Session, task: Task, names: dict[int, str] | None = None
                       ) -> list[tuple[TimelineEntry, str]]:
    """The task's timeline, each entry with its sentence (``describe``), oldest first."""
    names = _unit_names(session) if names is None else names
    return [(entry, describe(entry, names)) for entry in history.timeline(session, task)]


def notes_to_answer(session: Session, *, actor: Actor, code: str) -> list[NoteChoice]:
    """The open notes (reminders, urges, letters) the actor's unit may answer on the task."""
    return _notes_to_answer(session, task_by_code(session, code), actor)


def _silent_supporters(task: Task, units: list[UnitLine]) -> str | None:
    silent = [u.department for u in units if u.role == UnitRole.SUPPORT and u.last_feedback_at is None]
    return t("error.supporters_silent", code=task.code, units="、".join(silent)) if silent else None


def _notes_to_answer(session: Session, task: Task, actor: Actor) -> list[NoteChoice]:
    rows = session.exec(select(SupervisionNote).where(
        SupervisionNote.task_id == task.id, col(SupervisionNote.respond_by).is_not(None),
        col(SupervisionNote.responded_at).is_(None)).order_by(col(SupervisionNote.id))).all()
    return [NoteChoice(note.id or 0, t("detail.note_choice", kind=t(f"note.{note.kind}"),
                                        date=_day(note.respond_by), body=note.body[:40]))
            for note in rows if note.department_id in (None, actor.department_id)]


def _day(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value or "")


def describe(entry: TimelineEntry, names: dict[int, str]) -> str:
    """One line for a timeline entry, in the UI language, from what the audit event recorded."""
    d = entry.detail
    unit = names.get(d.get("department_id") or -1, "")
    action = entry.action
    if action == "feedback":
        percent = f" ({d['percent']}%)" if d.get("percent") is not None else ""
        return t("timeline.feedback", unit=unit, body=d.get("body", ""), percent=percent)
    if action.startswith("note_"):
        # Numbered, so ``task respond CODE NOTE`` can name the note it answers.
        due = t("timeline.note_due", date=_day(d.get("respond_by"))) if d.get("respond_by") else ""
        target = t("timeline.note_to", unit=unit) if unit else ""
        return t("timeline.note_sent", kind=t(f"note.{d.get('kind', '')}"), target=target,
                 body=d.get("body", ""), due=due, note=entry.note_id or "?")
    if action == "respond":
        return t("timeline.respond_to", body=d.get("response", ""), note=entry.note_id or "?")
    if action == "request_extension":
        return t("timeline.request_extension", old=_day(d.get("old_deadline")),
                 new=_day(d.get("new_deadline")), reason=d.get("reason", ""))
    if action == "decide_extension":
        return t(f"timeline.extension_{d.get('state', 'refused')}", note=d.get("note") or "")
    if action == "contest":
        return t("timeline.contest", unit=unit, reason=d.get("reason", ""))
    if action.startswith("contest_"):
        return t("timeline.contest_decided", decision=t(f"home.todo.{action}"),
                 note=d.get("note") or "")
    if action == "acknowledge":
        return t("timeline.acknowledge", unit=unit)
    if action == "review_decision":
        return t("timeline.review_decision", body=d.get("decision", ""))
    status = t(f"status.{d['status']}") if d.get("status") else ""
    reason = t("timeline.reason", reason=d["reason"]) if d.get("reason") else ""
    return t("timeline.transition", action=t(f"action.{action}"), status=status, reason=reason)
