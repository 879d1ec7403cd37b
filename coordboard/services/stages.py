"""Dated stages (阶段节点) of a task, each with the unit that answers for it.

The office plans stages while the task is a draft or open (``edit_stages``); the
responsible unit's head or the office marks one reached, with a short report
(``reach_stage``). A stage's day must fit the deadline window (services/deadlines.py)
and fall no later than the task's deadline; its unit must be one of the task's units.

Every change keeps ``task.next_stage_due`` (the earliest day of the stages not yet
reached) in step, so the light's "behind planned pace" (services/rules.py) is one
indexed column of the task, and every change is an audit event on the task.

A stage keeps its number (``seq``) for life: a command or a screen that names "stage 2"
always means the same one; a removed number is not given again.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from coordboard import clock
from coordboard.config import Settings
from coordboard.enums import DeadlineRule, TaskStatus
from coordboard.errors import DomainError, NotFoundError, ValidationError
from coordboard.models import Department, Task, TaskStage, User
from coordboard.services import audit, deadlines, fields
from coordboard.services.lifecycle import require
from coordboard.services.lights import LateStage, number
from coordboard.services.rules import is_stage_late, stage_late_sql
from coordboard.services.tasks import unit_of
from coordboard.services.workdays import load_calendar

AUDITED = ("seq", "title", "due", "department_id")
__all__ = ["LateStage", "StageLine", "add", "edit", "late_stages", "number", "reach", "remove",
           "stages_by_task", "stages_of"]


@dataclass(frozen=True)
class StageLine:
    """One stage as the front ends and reports show it."""

    seq: int
    title: str
    due: date
    department_id: int
    unit: str  # the responsible unit's short name
    reached_at: datetime | None
    reached_by: str  # the name of whoever marked it reached ("" when not reached)
    report: str

    def is_late(self, today: date) -> bool:
        """Past its day and not reached: the rule the light uses (``rules.is_stage_late``)."""
        return is_stage_late(self, today)


def stages_of(session: Session, task: Task) -> list[StageLine]:
    """The task's stages in their numbered order."""
    rows = session.exec(
        select(TaskStage, Department.short_name, User.display_name)
        .join(Department, col(Department.id) == TaskStage.department_id)
        .join(User, col(User.id) == TaskStage.reached_by, isouter=True)
        .where(TaskStage.task_id == task.id).order_by(col(TaskStage.seq))).all()
    return [StageLine(s.seq, s.title, s.due, s.department_id, unit, s.reached_at, by or "",
                      s.report) for s, unit, by in rows]


def stages_by_task(session: Session, task_ids: Sequence[int]) -> dict[int, list[StageLine]]:
    """Every stage of many tasks in one query (the ledger)."""
    found: dict[int, list[StageLine]] = {}
    if not task_ids:
        return found
    for stage, unit in session.exec(
            select(TaskStage, Department.short_name)
            .join(Department, col(Department.id) == TaskStage.department_id)
            .where(col(TaskStage.task_id).in_(list(task_ids)))
            .order_by(col(TaskStage.task_id), col(TaskStage.seq))).all():
        found.setdefault(stage.task_id, []).append(StageLine(
            stage.seq, stage.title, stage.due, stage.department_id, unit, stage.reached_at, "",
            stage.report))
    return found


def late_stages(session: Session, task_ids: Sequence[int], today: date,
                reached_before: datetime | None = None) -> dict[int, list[LateStage]]:
    """The stages past their day and not reached, per task, earliest first (one query for a
    page of the board, or the bulletin's yellow list as of its day: ``reached_before``)."""
    found: dict[int, list[LateStage]] = {}
    if not task_ids:
        return found
    for task_id, seq, title, due, unit in session.execute(
            sql_select(col(TaskStage.task_id), col(TaskStage.seq), col(TaskStage.title),
                       col(TaskStage.due), col(Department.short_name))
            .join(Department, col(Department.id) == TaskStage.department_id)
            .where(col(TaskStage.task_id).in_(list(task_ids)), stage_late_sql(today, reached_before))
            .order_by(col(TaskStage.task_id), col(TaskStage.due), col(TaskStage.seq))).all():
        found.setdefault(task_id, []).append(LateStage(seq, title, due, unit))
    return found


def refresh_next_stage_due(session: Session, task: Task) -> None:
    """Keep the task's denormalised ``next_stage_due`` in step with its stages."""
    session.flush()
    task.next_stage_due = session.exec(
        select(func.min(TaskStage.due)).where(TaskStage.task_id == task.id,
                                              col(TaskStage.reached_at).is_(None))).one()
    session.add(task)


def _stage(session: Session, task: Task, seq: int) -> TaskStage:
    stage = session.exec(select(TaskStage).where(TaskStage.task_id == task.id,
                                                 TaskStage.seq == seq)).first()
    if stage is None:
        raise NotFoundError("error.stage_not_found", code=task.code, seq=seq)
    return stage


def planned_deadline(session: Session, task: Task, today: date) -> date:
    """The deadline a stage must not pass: for a draft counted in working days, the one
    that dispatching it today would give (its stored deadline is provisional)."""
    if (task.status == TaskStatus.DRAFT and task.deadline_rule == DeadlineRule.WORKDAYS
            and task.deadline_workdays):
        return load_calendar(session).add_workdays(today, task.deadline_workdays)
    return task.deadline


def _check_due(session: Session, task: Task, due: date, today: date,
               settings: Settings) -> date:
    deadlines.check_date(due, today=today, settings=settings, field="due")
    last = planned_deadline(session, task, today)
    if due > last:
        raise ValidationError("error.stage_after_deadline", due=due.isoformat(),
                              deadline=last.isoformat(), code=task.code)
    return due


def _record(session: Session, task: Task, stage: TaskStage, action: str, actor_id: int | None,
            before: dict[str, Any] | None = None, **extra: Any) -> None:
    audit.record(session, actor_id=actor_id, entity="task_stage", entity_id=stage.id or 0,
                 task_id=task.id, action=action, before=before,
                 after={**audit.snapshot(stage, *AUDITED), **extra})


def add(session: Session, *, task: Task, actor_id: int | None, title: str, due: date,
        department_id: int, today: date, settings: Settings | None = None) -> TaskStage:
    """A new stage, numbered after the task's last one."""
    settings = settings or Settings()
    require("edit_stages", task.status, task.code)
    title = fields.check("stage_title", title, required=True).strip()
    _check_due(session, task, due, today, settings)
    unit_of(session, task, department_id)
    last = session.exec(select(func.max(TaskStage.seq))
                        .where(TaskStage.task_id == task.id)).one() or 0
    stage = TaskStage(task_id=task.id or 0, seq=last + 1, title=title, due=due,
                      department_id=department_id)
    session.add(stage)
    refresh_next_stage_due(session, task)
    _record(session, task, stage, "stage_add", actor_id)
    return stage


def edit(session: Session, *, task: Task, actor_id: int | None, seq: int,
         title: str | None = None, due: date | None = None, department_id: int | None = None,
         today: date, settings: Settings | None = None) -> TaskStage:
    """Change a stage's title, day or unit (only what is given)."""
    settings = settings or Settings()
    require("edit_stages", task.status, task.code)
    stage = _stage(session, task, seq)
    before = audit.snapshot(stage, *AUDITED)
    if title is not None:
        stage.title = fields.check("stage_title", title, required=True).strip()
    if due is not None and due != stage.due:
        stage.due = _check_due(session, task, due, today, settings)
    if department_id is not None:
        unit_of(session, task, department_id)
        stage.department_id = department_id
    if audit.snapshot(stage, *AUDITED) == before:
        raise ValidationError("error.stage_unchanged", seq=seq, code=task.code)
    session.add(stage)
    refresh_next_stage_due(session, task)
    _record(session, task, stage, "stage_edit", actor_id, before=before)
    return stage


def remove(session: Session, *, task: Task, actor_id: int | None, seq: int) -> None:
    require("edit_stages", task.status, task.code)
    stage = _stage(session, task, seq)
    before = audit.snapshot(stage, *AUDITED)
    session.delete(stage)
    refresh_next_stage_due(session, task)
    audit.record(session, actor_id=actor_id, entity="task_stage", entity_id=stage.id or 0,
                 task_id=task.id, action="stage_remove", before=before, after=before)


def reach(session: Session, *, task: Task, actor_id: int | None, seq: int,
          department_id: int | None, report: str = "") -> TaskStage:
    """Mark a stage reached. ``department_id``: the acting unit, which must be the stage's
    (None for the office, which may mark any)."""
    require("reach_stage", task.status, task.code)
    report = fields.check("report", report)
    stage = _stage(session, task, seq)
    if stage.reached_at is not None:
        raise DomainError("error.stage_already_reached", seq=seq, code=task.code)
    if department_id is not None and department_id != stage.department_id:
        raise ValidationError("error.stage_not_yours", seq=seq, code=task.code)
    stage.reached_at, stage.reached_by, stage.report = clock.now(), actor_id, report
    session.add(stage)
    refresh_next_stage_due(session, task)
    _record(session, task, stage, "stage_reached", actor_id, report=report)
    return stage
