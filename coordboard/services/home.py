"""What each role's home screen shows: a head's to-do list, the office's dashboard.

Every list is capped and every figure is an aggregate in SQL, so a home screen
costs the same on a ledger of 45 tasks or of 100,000.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, col, select

from coordboard.enums import OPEN_STATUSES, ContestState, RequestState, TaskStatus
from coordboard.i18n import t
from coordboard.models import AuditEvent, Department, ExtensionRequest, SupervisionNote, Task, TaskUnit
from coordboard.services import rules
from coordboard.services.board import BoardFilter, count_by_light
from coordboard.services.lights import LightContext, short_date

LIST_LIMIT = 30
CONTEST_NEWS_DAYS = 14
_OPEN = [str(s) for s in OPEN_STATUSES]


@dataclass(frozen=True)
class TodoItem:
    kind: str  # late_ack, acknowledge, feedback_due, urge, returned, contest_decided
    code: str
    title: str
    detail: str


@dataclass
class HeadHome:
    todo: list[TodoItem]
    todo_counts: dict[str, int]


@dataclass(frozen=True)
class PendingItem:
    kind: str  # closure, extension, contest, late_ack
    code: str
    title: str
    unit: str
    detail: str


@dataclass(frozen=True)
class DepartmentLoad:
    name: str
    open: int
    overdue: int
    closed: int


@dataclass
class OfficeHome:
    by_light: dict[str, int]
    by_status: dict[str, int]
    pending: list[PendingItem]
    pending_counts: dict[str, int]
    departments: list[DepartmentLoad] = field(default_factory=list)
    last_backup: datetime | None = None  # when the last verified backup was made; None: never


def _count(session: Session, query: object) -> int:
    return session.exec(select(func.count()).select_from(query.subquery())).one()  # type: ignore[attr-defined]


def head_home(session: Session, department_id: int, ctx: LightContext) -> HeadHome:
    """What needs this department's action, most pressing kinds first."""
    todo: list[TodoItem] = []
    counts: dict[str, int] = {}
    mine = and_(col(TaskUnit.task_id) == Task.id, col(TaskUnit.department_id) == department_id)

    def collect(kind: str, query: object, detail: object) -> None:
        counts[kind] = _count(session, query)
        for row in session.exec(query.limit(LIST_LIMIT)).all():  # type: ignore[attr-defined]
            todo.append(TodoItem(kind, row[0], row[1], detail(row)))  # type: ignore[operator]

    urge_mine = or_(col(SupervisionNote.department_id) == department_id,
                    and_(col(SupervisionNote.department_id).is_(None),
                         select(TaskUnit.id).where(mine).exists()))
    collect("urge", select(col(Task.code), col(Task.title), col(SupervisionNote.kind),
                           col(SupervisionNote.respond_by))
            .join(Task, col(Task.id) == SupervisionNote.task_id)
            .where(col(SupervisionNote.respond_by).is_not(None),
                   col(SupervisionNote.responded_at).is_(None), urge_mine,
                   col(Task.status).notin_([TaskStatus.CLOSED, TaskStatus.WITHDRAWN]))
            .order_by(col(SupervisionNote.respond_by)),
            lambda r: t("home.todo.urge", kind=t(f"note.{r[2]}"), date=r[3].isoformat()))
    # Late acknowledgements first and on their own: the office sees them by name.
    collect("late_ack", select(col(Task.code), col(Task.title), col(Task.dispatched_at))
            .join(TaskUnit, mine).where(rules.unit_late_ack_sql(ctx))
            .order_by(col(Task.dispatched_at)),
            lambda r: t("home.todo.late_ack", due=short_date(_ack_due(ctx, r[2]))))
    collect("acknowledge", select(col(Task.code), col(Task.title), col(Task.deadline), col(TaskUnit.role))
            .join(TaskUnit, mine)
            .where(col(TaskUnit.acknowledged_at).is_(None), col(Task.status).in_(_OPEN),
                   ~rules.unit_late_ack_sql(ctx))
            .order_by(col(Task.deadline)),
            lambda r: t("home.todo.acknowledge", role=t(f"unit_role.{r[3]}"),
                        deadline=r[2].isoformat()))
    collect("returned", select(col(Task.code), col(Task.title), col(Task.return_count))
            .where(Task.lead_department_id == department_id, Task.status == TaskStatus.IN_PROGRESS,
                   col(Task.return_count) > 0)
            .order_by(col(Task.deadline)),
            lambda r: t("home.todo.returned", count=r[2]))
    heard = rules.unit_heard_sql()
    collect("feedback_due", select(col(Task.code), col(Task.title), col(TaskUnit.last_feedback_at),
                                   heard)
            .join(TaskUnit, mine)
            .where(rules.unit_silent_sql(ctx))
            .order_by(heard),
            lambda r: _silence_detail(ctx, r[2], r[3]))
    since = ctx.now - timedelta(days=CONTEST_NEWS_DAYS)
    decided = session.exec(
        select(col(Task.code), col(Task.title), col(AuditEvent.action), col(AuditEvent.before))
        .join(Task, col(Task.id) == AuditEvent.task_id)
        .where(col(AuditEvent.action).like("contest\\_%", escape="\\"),
               col(AuditEvent.occurred_at) >= since)
        .order_by(col(AuditEvent.id).desc()).limit(200)
    ).all()
    news = [(code, title, action) for code, title, action, before in decided
            if (before or {}).get("department_id") == department_id]
    counts["contest_decided"] = len(news)
    for code, title, action in news[:LIST_LIMIT]:
        todo.append(TodoItem("contest_decided", code, title, t(f"home.todo.{action}")))
    return HeadHome(todo, counts)


def _ack_due(ctx: LightContext, dispatched_at: Any) -> Any:
    return ctx.calendar.add_workdays(ctx.local_day(dispatched_at), ctx.ack_workdays)


def _silence_detail(ctx: LightContext, last_feedback_at: Any, heard: Any) -> str:
    workdays = ctx.calendar.workdays_between(ctx.local_day(heard), ctx.today)
    if last_feedback_at is None:
        return t("home.todo.never_reported", workdays=workdays,
                 period=ctx.feedback_period_workdays)
    return t("home.todo.silent_workdays", date=short_date(ctx.local_day(heard)),
             workdays=workdays, period=ctx.feedback_period_workdays)


def office_home(session: Session, ctx: LightContext) -> OfficeHome:
    by_light = count_by_light(session, BoardFilter(statuses=tuple(_OPEN)), ctx)
    by_status = {str(status): int(n) for status, n in session.exec(
        select(Task.status, func.count()).group_by(col(Task.status))).all()}
    pending: list[PendingItem] = []
    lead_name = select(Department.short_name).where(
        Department.id == Task.lead_department_id).scalar_subquery()
    closures = (select(col(Task.code), col(Task.title), lead_name, col(Task.updated_at))
                .where(Task.status == TaskStatus.CLOSURE_REQUESTED).order_by(col(Task.updated_at)))
    extensions = (select(col(Task.code), col(Task.title), col(Department.short_name),
                         col(ExtensionRequest.new_deadline))
                  .join(Task, col(Task.id) == ExtensionRequest.task_id)
                  .join(Department, col(Department.id) == ExtensionRequest.department_id)
                  .where(ExtensionRequest.state == RequestState.PENDING)
                  .order_by(col(ExtensionRequest.created_at)))
    contests = (select(col(Task.code), col(Task.title), col(Department.short_name),
                       col(TaskUnit.contest_reason))
                .join(Task, col(Task.id) == TaskUnit.task_id)
                .join(Department, col(Department.id) == TaskUnit.department_id)
                .where(TaskUnit.contest_state == ContestState.PENDING).order_by(col(TaskUnit.id)))
    late_acks = (select(col(Task.code), col(Task.title), col(Department.short_name),
                        col(Task.dispatched_at))
                 .join(TaskUnit, col(TaskUnit.task_id) == Task.id)
                 .join(Department, col(Department.id) == TaskUnit.department_id)
                 .where(rules.unit_late_ack_sql(ctx))
                 .order_by(col(Task.dispatched_at), col(TaskUnit.id)))
    counts: dict[str, int] = {}
    for kind, query in (("closure", closures), ("extension", extensions), ("contest", contests),
                        ("late_ack", late_acks)):
        counts[kind] = _count(session, query)
        for code, title, unit, extra in session.exec(query.limit(LIST_LIMIT)).all():
            if kind == "closure":
                detail = t("home.pending.closure")
            elif kind == "extension":
                detail = t("home.pending.extension", date=str(extra))
            elif kind == "late_ack":
                detail = t("home.pending.late_ack", due=short_date(_ack_due(ctx, extra)))
            else:
                detail = t("home.pending.contest", reason=extra or "")
            pending.append(PendingItem(kind, code, title, unit or "", detail))
    from coordboard.services.backup import last_backup

    backup = last_backup(session)
    return OfficeHome(by_light, by_status, pending, counts, department_loads(session, ctx),
                      backup.at if backup is not None else None)


def department_loads(session: Session, ctx: LightContext) -> list[DepartmentLoad]:
    """Open / overdue / closed tasks per lead unit, one grouped query."""
    is_open = col(Task.status).in_(_OPEN)

    def tally(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    rows = session.exec(
        select(col(Department.short_name), tally(is_open),
               tally(rules.overdue_sql(ctx)),
               tally(Task.status == TaskStatus.CLOSED))
        .join(Task, col(Task.lead_department_id) == Department.id)
        .group_by(col(Department.id), col(Department.short_name))
    ).all()
    loads = [DepartmentLoad(name, int(o or 0), int(d or 0), int(c or 0)) for name, o, d, c in rows]
    loads.sort(key=lambda load: (-load.overdue, -load.open, load.name))
    return loads
