"""The board: one page of tasks with lights, and counts, in a fixed number of queries.

Cost follows the page, not the ledger: filtering, counting, sorting and paging
happen in SQL; unit names for the page come from one batched query.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any

from sqlalchemy import case, exists, func
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from coordboard.enums import OPEN_STATUSES, Light, TaskStatus, UnitRole
from coordboard.models import Department, SupervisionNote, Task, TaskUnit
from coordboard.services import rules, search
from coordboard.services.lights import (
    LightContext,
    LightVerdict,
    OpenUrge,
    UnitFacts,
    explain,
    light_case,
    light_filter,
)
from coordboard.services.stages import late_stages

OPEN_FILTER = tuple(str(status) for status in OPEN_STATUSES)
# Sorting by status follows a task's life: registered, dispatched, acknowledged, in progress,
# closure asked, closed; then the two ways out of it.
LIFECYCLE_ORDER = (TaskStatus.DRAFT, TaskStatus.ASSIGNED, TaskStatus.ACKNOWLEDGED,
                   TaskStatus.IN_PROGRESS, TaskStatus.CLOSURE_REQUESTED, TaskStatus.CLOSED,
                   TaskStatus.SUSPENDED, TaskStatus.WITHDRAWN)
SORT_KEYS = ("code", "light", "title", "lead", "supporters", "deadline", "status",
             "last_feedback", "updated")


@dataclass(frozen=True)
class BoardFilter:
    statuses: tuple[str, ...] = ()
    light: Light | None = None
    department_id: int | None = None
    unit_role: str | None = None  # "lead", "support" or None for either
    leader_id: int | None = None  # the responsible leader (a user: services/leaders.py)
    text: str = ""
    deadline_from: date | None = None
    deadline_to: date | None = None
    overdue: bool = False
    category: str | None = None  # an entry of the office's list (services/categories.py)
    sort: str = "deadline"
    descending: bool = False

    def check(self) -> "BoardFilter":
        """Itself, or a refusal of what cannot be meant: a deadline range that ends before it
        starts selects nothing (`report ledger --from 2026-12-31 --to 2026-01-01` wrote an
        empty ledger without a word)."""
        if self.deadline_from and self.deadline_to and self.deadline_to < self.deadline_from:
            from coordboard.errors import ValidationError

            raise ValidationError("error.deadline_range_order", start=self.deadline_from.isoformat(),
                                  end=self.deadline_to.isoformat())
        return self

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["light"] = self.light.value if self.light else None
        data["statuses"] = list(self.statuses)
        for name in ("deadline_from", "deadline_to"):
            value = data[name]
            data[name] = value.isoformat() if value else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "BoardFilter":
        """Tolerant of filters saved by an older version: unknown keys are ignored."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["statuses"] = tuple(values.get("statuses") or ())
        values["light"] = Light(values["light"]) if values.get("light") else None
        for name in ("deadline_from", "deadline_to"):
            values[name] = date.fromisoformat(values[name]) if values.get(name) else None
        if values.get("sort") not in SORT_KEYS:
            values["sort"] = "deadline"
        return cls(**values)


@dataclass
class BoardRow:
    task: Task
    lead: str
    supporters: list[str]
    verdict: LightVerdict
    # The deadline falls in a year without the State Council's holiday schedule: the working
    # days around it are estimated (issue 11 rule 5); the board marks it.
    deadline_estimated: bool = False


@dataclass
class BoardPage:
    rows: list[BoardRow]
    total: int
    offset: int
    counts: dict[str, int] = field(default_factory=dict)


def where_clauses(flt: BoardFilter, ctx: LightContext) -> list[Any]:
    clauses: list[Any] = []
    if flt.statuses:
        clauses.append(col(Task.status).in_(flt.statuses))
    if flt.light is not None:
        clauses.append(light_filter(ctx, flt.light))
    if flt.department_id is not None:
        if flt.unit_role == UnitRole.LEAD:
            clauses.append(col(Task.lead_department_id) == flt.department_id)
        else:
            member = select(TaskUnit.id).where(
                TaskUnit.task_id == Task.id, TaskUnit.department_id == flt.department_id)
            if flt.unit_role == UnitRole.SUPPORT:
                member = member.where(TaskUnit.role == UnitRole.SUPPORT)
            clauses.append(exists(member))
    if flt.leader_id is not None:
        clauses.append(col(Task.leader_id) == flt.leader_id)
    text = search.lenient(flt.text)
    if text:
        clauses.append(search.title_or_code(text))
    if flt.overdue:
        clauses.append(rules.overdue_sql(ctx))
    if flt.category is not None:
        clauses.append(col(Task.category) == flt.category)
    if flt.deadline_from is not None:
        clauses.append(col(Task.deadline) >= flt.deadline_from)
    if flt.deadline_to is not None:
        clauses.append(col(Task.deadline) <= flt.deadline_to)
    return clauses


def count(session: Session, flt: BoardFilter, ctx: LightContext) -> int:
    return session.exec(select(func.count()).select_from(Task).where(*where_clauses(flt, ctx))).one()


def count_by_light(session: Session, flt: BoardFilter, ctx: LightContext) -> dict[str, int]:
    light = light_case(ctx).label("light")
    rows = session.exec(
        select(light, func.count()).select_from(Task).where(*where_clauses(flt, ctx)).group_by(light)
    ).all()
    return {str(name): int(n) for name, n in rows}


def _sort_key(name: str, ctx: LightContext) -> Any:
    if name == "light":
        light = light_case(ctx)
        # Worst first when ascending: red, yellow, green, then tasks without a light.
        return case((light == Light.RED.value, 0), (light == Light.YELLOW.value, 1),
                    (light == Light.GREEN.value, 2), else_=3)
    if name == "lead":  # unit names in pinyin order (coordboard/collation.py)
        return select(Department.name_key).where(
            Department.id == Task.lead_department_id).scalar_subquery()
    if name == "supporters":  # by the first supporting unit in pinyin order, as the cell lists them
        return (select(func.min(col(Department.name_key)))
                .join(TaskUnit, col(TaskUnit.department_id) == Department.id)
                .where(TaskUnit.task_id == Task.id, TaskUnit.role == UnitRole.SUPPORT)
                .scalar_subquery())
    if name == "status":  # the lifecycle's order, not the codes' alphabet
        return case(*((col(Task.status) == status.value, rank)
                      for rank, status in enumerate(LIFECYCLE_ORDER)), else_=len(LIFECYCLE_ORDER))
    return {
        "code": col(Task.year), "title": col(Task.title_key),
        "last_feedback": col(Task.last_feedback_at), "updated": col(Task.updated_at),
    }.get(name, col(Task.deadline))


def ordering(flt: BoardFilter, ctx: LightContext) -> list[Any]:
    keys = [_sort_key(flt.sort, ctx)]
    keys.append(col(Task.seq) if flt.sort == "code" else col(Task.id))
    ordered = [key.desc() for key in keys] if flt.descending else [key.asc() for key in keys]
    if flt.sort == "last_feedback":
        # Never-reported tasks last on both backends (SQLite and PostgreSQL differ by default).
        ordered[0] = ordered[0].nulls_last()
    return ordered


def page(session: Session, flt: BoardFilter, ctx: LightContext, *, offset: int = 0,
         limit: int = 50, with_total: bool = True) -> BoardPage:
    tasks = list(session.exec(
        select(Task).where(*where_clauses(flt, ctx)).order_by(*ordering(flt, ctx))
        .offset(offset).limit(limit)
    ).all())
    total = count(session, flt, ctx) if with_total else len(tasks)
    return BoardPage(rows=rows_for(session, tasks, ctx), total=total, offset=offset)


def verdict_of(session: Session, task: Task, ctx: LightContext) -> LightVerdict:
    """One task's light with named silent units (for a detail view)."""
    return rows_for(session, [task], ctx)[0].verdict


def rows_for(session: Session, tasks: list[Task], ctx: LightContext) -> list[BoardRow]:
    """Board rows with their verdicts: the units and open urges of the page in two queries."""
    if not tasks:
        return []
    lead: dict[int, str] = {}
    supporters: dict[int, list[str]] = defaultdict(list)
    facts: dict[int, list[UnitFacts]] = defaultdict(list)
    for task_id, role, name, last_feedback_at, acknowledged_at in _units_of(
            session, [task.id or 0 for task in tasks],
            col(TaskUnit.last_feedback_at), col(TaskUnit.acknowledged_at)):
        if role == UnitRole.LEAD:
            lead[task_id] = name
        else:
            supporters[task_id].append(name)
        facts[task_id].append(UnitFacts(name, role, last_feedback_at, acknowledged_at))
    urges = open_urges(session, [task.id or 0 for task in tasks if task.open_urge_respond_by],
                       ctx)
    late = late_stages(session, [task.id or 0 for task in tasks
                                 if rules.is_behind_pace(task, ctx)], ctx.today)
    return [
        BoardRow(task=task, lead=lead.get(task.id or 0, ""),
                 supporters=supporters.get(task.id or 0, []),
                 verdict=explain(task, ctx, facts.get(task.id or 0, []), urges.get(task.id or 0),
                                 late.get(task.id or 0)),
                 deadline_estimated=bool(ctx.calendar.unofficial_years([task.deadline])))
        for task in tasks
    ]


def _units_of(session: Session, task_ids: list[int], *more: Any) -> Sequence[Any]:
    """(task id, role, unit name, *more) of the tasks' units, in the order a row lists
    them: the lead first, then the supporters by name."""
    return session.execute(
        sql_select(col(TaskUnit.task_id), col(TaskUnit.role), col(Department.short_name), *more)
        .join(Department, col(Department.id) == TaskUnit.department_id)
        .where(col(TaskUnit.task_id).in_(task_ids))
        .order_by(col(TaskUnit.task_id), col(TaskUnit.role), col(Department.name_key),
                  col(TaskUnit.id))).all()


def unit_names(session: Session, task_ids: list[int]
               ) -> tuple[dict[int, str], dict[int, list[str]]]:
    """Per task: its lead unit's name and its supporters' names, as a board row has them
    (for lists that print names without a light)."""
    lead: dict[int, str] = {}
    supporters: dict[int, list[str]] = defaultdict(list)
    for task_id, role, name in _units_of(session, task_ids):
        if role == UnitRole.LEAD:
            lead[task_id] = name
        else:
            supporters[task_id].append(name)
    return lead, supporters


def open_urges(session: Session, task_ids: list[int], ctx: LightContext
               ) -> dict[int, list[OpenUrge]]:
    """Notes past their reply date without an answer, per task, oldest deadline first."""
    found: dict[int, list[OpenUrge]] = defaultdict(list)
    if not task_ids:
        return found
    for task_id, kind, created_at, respond_by, unit in session.execute(
            sql_select(col(SupervisionNote.task_id), col(SupervisionNote.kind),
                   col(SupervisionNote.created_at), col(SupervisionNote.respond_by),
                   col(Department.short_name))
            .join(Department, col(Department.id) == SupervisionNote.department_id, isouter=True)
            .where(col(SupervisionNote.task_id).in_(task_ids),
                   rules.note_unanswered_sql(ctx.today))
            .order_by(col(SupervisionNote.respond_by), col(SupervisionNote.id))).all():
        assert respond_by is not None
        found[task_id].append(OpenUrge(kind, ctx.local_day(created_at), respond_by, unit))
    return found
