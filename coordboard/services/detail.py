"""Everything a task's detail view shows, and which actions this user may take on it, and why not.

The "why not" is the refusal of the action's own check (``preconditions.check``:
permission, lifecycle and the action's rule), the same check the action runs, so
the screen offers an action exactly when the service would take it.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from coordboard.config import Settings
from coordboard.enums import RequestState, UnitRole
from coordboard.i18n import t
from coordboard.models import Department, ExtensionRequest, SupervisionNote, Task, TaskUnit
from coordboard.services import attachments, history, leaders, preconditions
from coordboard.services.attachments import AttachmentInfo
from coordboard.services.board import verdict_of
from coordboard.services.history import TimelineEntry, UnitLine
from coordboard.services.lights import LightContext, LightVerdict, number
from coordboard.services.permissions import PERMISSIONS, Actor
from coordboard.services.preconditions import TASK_ACTIONS
from coordboard.services.progress import note_text
from coordboard.services.recurrence import recurrence_line
from coordboard.services.stages import StageLine, stages_of
from coordboard.services.stored_text import shown
from coordboard.services.tasks import description_text, task_by_code


@dataclass(frozen=True)
class ActionState:
    action: str
    enabled: bool
    reason: str = ""  # why not, when disabled
    by_status: bool = False  # refused by the lifecycle (the status), not the action's own rule


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
    description: str = ""  # machine-written words in the interface language, then as typed
    attachments: list[AttachmentInfo] = field(default_factory=list)  # evidence, oldest first
    recurrence: str | None = None  # "Recurring: monthly, rule #3 (2026年11月)" for an occurrence
    leader: str = ""  # the responsible leader's name (services/leaders.py)
    leader_is_user: bool = False  # False: a name kept as written, not a user
    # (label, user id) of the leaders the edit form offers, when this user may edit.
    leader_choices: list[tuple[str, int]] = field(default_factory=list)
    stages: list[StageLine] = field(default_factory=list)  # 阶段节点, in their numbered order
    stages_to_reach: list[NoteChoice] = field(default_factory=list)  # the actor may mark these
    today: date = date.min  # the office's day the detail was read on (late stages)


def task_detail(session: Session, *, actor: Actor, code: str, ctx: LightContext,
                settings: Settings) -> TaskDetail:
    task = task_by_code(session, code)
    units = history.units(session, task)
    choices = [UnitChoice(dept_id or 0, name, role, reason) for dept_id, name, role, reason in session.exec(
        select(Department.id, Department.short_name, TaskUnit.role,
               TaskUnit.contest_reason)
        .join(TaskUnit, col(TaskUnit.department_id) == Department.id)
        .where(TaskUnit.task_id == task.id)
        .order_by(col(TaskUnit.role), col(TaskUnit.id))).all()]
    names = _unit_names(session)
    pending = session.exec(select(ExtensionRequest).where(
        ExtensionRequest.task_id == task.id, ExtensionRequest.state == RequestState.PENDING)).first()
    # Which actions are offered, and why not, comes from the actions' own checks.
    state = preconditions.read_state(session, task, calendar=ctx.calendar,
                                     contest_workdays=settings.contest_workdays,
                                     timezone=settings.timezone)
    stage_lines = stages_of(session, task)
    actions = []
    for action in TASK_ACTIONS:
        if actor.role not in PERMISSIONS[action]:
            continue  # never this role's business: hidden, not greyed out
        if action == "reach_stage" and not stage_lines:
            continue  # a task planned without stages has none to mark: hidden, not a reason
        refusal = preconditions.refusal(action, actor, state, today=ctx.today)
        if refusal is None:
            actions.append(ActionState(action, True))
        elif refusal.key == "error.transition":  # the short form: the status, not every action
            actions.append(ActionState(action, False, t(
                "why.status", status=t(f"status.{task.status}"), action=t(f"action.{action}")),
                by_status=True))
        else:
            actions.append(ActionState(action, False, str(refusal)))
    lead = next((u.department for u in units if u.role == UnitRole.LEAD), "")
    leader, leader_is_user = leaders.describe(session, task)
    may_edit = any(a.action == "edit" and a.enabled for a in actions)
    return TaskDetail(
        task=task, lead=lead, verdict=verdict_of(session, task, ctx),
        calendar_days_left=(task.deadline - ctx.today).days,
        unofficial_calendar=bool(ctx.calendar.unofficial_years([task.deadline])),
        units=units, unit_choices=choices,
        timeline=described_timeline(session, task, names),
        actions=actions,
        notes_to_answer=_notes_to_answer(session, task, state, actor),
        pending_extension=pending,
        description=description_text(task),
        attachments=attachments.listing(session, task),
        recurrence=recurrence_line(session, task),
        leader=leader, leader_is_user=leader_is_user,
        leader_choices=[(c.label, c.id) for c in leaders.leader_users(session)] if may_edit else [],
        stages=stage_lines, today=ctx.today,
        stages_to_reach=[NoteChoice(line.seq, f"{number(line.seq)} {line.title}")
                         for line in stage_lines if line.seq in set(preconditions.stages_for(
                             state, preconditions.acting_unit("reach_stage", actor)))],
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
    task = task_by_code(session, code)
    return _notes_to_answer(session, task, preconditions.read_state(session, task), actor)


def _notes_to_answer(session: Session, task: Task, state: preconditions.TaskState,
                     actor: Actor) -> list[NoteChoice]:
    ids = [n.id for n in preconditions.notes_for(state, actor.department_id)]
    rows = session.exec(select(SupervisionNote).where(col(SupervisionNote.id).in_(ids))
                        .order_by(col(SupervisionNote.id))).all() if ids else []
    return [NoteChoice(note.id or 0, t("detail.note_choice", kind=t(f"note.{note.kind}"),
                                        date=_day(note.respond_by), body=note_text(note)[:40]))
            for note in rows]


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
                 body=shown(d.get("body", ""), d.get("body_message")), due=due,
                 note=entry.note_id or "?")
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
        # Whose contest (recorded since 2026-11-27; "a unit" for an older record), what
        # became of it, and the office's note as a clause of its own.
        note = t("timeline.decision_note", note=d["note"]) if d.get("note") else ""
        return t(f"timeline.{action}", unit=unit or t("timeline.the_unit"), note=note,
                 new_unit=names.get(d.get("new_department_id") or -1, ""))
    if action == "resume" and d.get("deadline_set"):
        return t("timeline.resume_deadline", old=_day(d.get("old_deadline")),
                 new=_day(d.get("deadline_set")))
    if action == "deadline_recounted":
        return t("timeline.deadline_recounted", old=_day(d.get("old_deadline")),
                 new=_day(d.get("deadline")), year=d.get("year", ""))
    if action == "acknowledge":
        return t("timeline.acknowledge", unit=unit)
    if action == "attach":
        from coordboard.services.attachments import size_text

        to = next((t(f"timeline.attach_to.{kind}", id=d[f"{kind}_id"])
                   for kind in ("feedback", "note", "event") if d.get(f"{kind}_id")), "")
        return t("timeline.attach", name=d.get("name", ""), size=size_text(int(d.get("size", 0))),
                 to=to)
    if action.startswith("stage_"):
        report = t("timeline.stage_report", report=d["report"]) if d.get("report") else ""
        return t(f"timeline.{action}", stage=number(int(d.get("seq") or 0)),
                 title=d.get("title", ""), due=_day(d.get("due")), unit=unit, report=report)
    if action == "review_decision":
        return t("timeline.review_decision",
                 body=shown(d.get("decision", ""), d.get("decision_message")))
    status = t(f"status.{d['status']}") if d.get("status") else ""
    reason = t("timeline.reason", reason=d["reason"]) if d.get("reason") else ""
    done = t(f"action.{action}")
    if status in ("", done):  # 暂缓, 申请办结: the step is named as the status it leads to
        return done + reason
    return t("timeline.transition", action=done, status=status, reason=reason)
