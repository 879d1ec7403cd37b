"""A unit contests its assignment (申请调整); the office decides."""

from datetime import date

from sqlmodel import Session, select

from coordboard import clock
from coordboard.config import Settings
from coordboard.enums import ContestState, UnitRole
from coordboard.errors import DomainError, ValidationError
from coordboard.models import Department, Task, TaskUnit
from coordboard.services import audit, fields, preconditions
from coordboard.services.lifecycle import require
from coordboard.services.tasks import refresh_report_times, unit_of
from coordboard.services.workdays import WorkCalendar

DECISIONS = ("reject", "reassign", "remove", "make_lead")


def contest(session: Session, *, task: Task, department_id: int, actor_id: int | None, reason: str,
            today: date, calendar: WorkCalendar, window_workdays: int,
            timezone: str | None = None) -> TaskUnit:
    state = preconditions.read_state(session, task, calendar=calendar,
                                     contest_workdays=window_workdays,
                                     timezone=timezone or Settings().timezone)
    preconditions.check_state("contest", state, department_id=department_id, today=today)
    if not fields.check("reason", reason).strip():
        raise ValidationError("error.reason_required")
    unit = unit_of(session, task, department_id)
    unit.contest_state, unit.contest_reason, unit.contest_decision = ContestState.PENDING, reason, None
    session.add(unit)
    session.flush()
    audit.record(session, actor_id=actor_id, entity="task_unit", entity_id=unit.id or 0,
                 task_id=task.id, action="contest",
                 after={"department_id": department_id, "reason": reason})
    return unit


def decide_contest(session: Session, *, task: Task, department_id: int, actor_id: int | None,
                   decision: str, note: str = "", new_department_id: int | None = None) -> TaskUnit:
    require("decide_contest", task.status, task.code)
    fields.check("note", note)
    if decision not in DECISIONS:
        raise ValidationError("error.choice", field="decision", value=decision,
                              allowed=", ".join(DECISIONS))
    unit = unit_of(session, task, department_id)
    if unit.contest_state != ContestState.PENDING:
        raise DomainError("error.contest_none", code=task.code)
    before = audit.snapshot(unit, "department_id", "role", "contest_state")
    unit.contest_decision = note
    if decision == "reject":
        unit.contest_state = ContestState.REJECTED
    elif decision == "remove":
        if unit.role == UnitRole.LEAD:
            raise DomainError("error.contest_remove_lead")
        session.delete(unit)
    elif decision == "reassign":
        if new_department_id is None or session.get(Department, new_department_id) is None:
            raise ValidationError("error.contest_needs_unit")
        if session.exec(select(TaskUnit.id).where(TaskUnit.task_id == task.id,
                                                  TaskUnit.department_id == new_department_id)).first():
            raise ValidationError("error.duplicate_unit")
        unit.department_id = new_department_id
        unit.acknowledged_at = unit.last_feedback_at = None
        unit.contest_state = ContestState.ACCEPTED
        if unit.role == UnitRole.LEAD:
            task.lead_department_id = new_department_id
    else:  # make_lead: the contesting lead hands over to a supporting unit
        if new_department_id is None:
            raise ValidationError("error.contest_needs_unit")
        new_lead = unit_of(session, task, new_department_id)
        if unit.role != UnitRole.LEAD or new_lead.role != UnitRole.SUPPORT:
            raise ValidationError("error.contest_make_lead")
        unit.role = UnitRole.SUPPORT
        session.add(unit)
        session.flush()  # the one-lead index must never see two leads
        new_lead.role = UnitRole.LEAD
        session.add(new_lead)
        task.lead_department_id = new_department_id
        unit.contest_state = ContestState.ACCEPTED
    if decision != "remove":
        session.add(unit)
    session.flush()
    # The unit that left (or was replaced) must not keep the task "silent" on the board.
    refresh_report_times(session, task)
    task.updated_at = clock.now()
    session.add(task)
    session.flush()
    audit.record(session, actor_id=actor_id, entity="task_unit", entity_id=unit.id or 0,
                 task_id=task.id, action=f"contest_{decision}", before=before,
                 after={"decision": decision, "note": note, "department_id": department_id,
                        "new_department_id": new_department_id})
    return unit
