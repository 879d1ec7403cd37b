"""What is due to be told, and to whom: the events behind ``coordboard notify run``.

Nothing here restates a rule. Things that *happened* come from the audit trail (a
dispatch, a reminder / urge / supervision letter, a closure accepted or returned), each
event once by its id. Things that *are so* come from the rules (services/rules.py) with
today's ``LightContext``: a unit late to acknowledge, a deadline within the yellow
window, a deadline passed; each once per dispatch or per deadline (an approved
extension gives a new deadline, and so a new reminder when that one nears).

Every event names its units and carries, per unit, its subject and body as messages
(codes and parameters, services/stored_text.py), worded in Chinese when sent.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from coordboard import clock
from coordboard.config import Settings
from coordboard.enums import UnitRole
from coordboard.models import AuditEvent, Task, TaskUnit
from coordboard.services import rules, stored_text
from coordboard.services.rules import LightContext
from coordboard.services.stored_text import message
from coordboard.services.workdays import load_calendar

# Audited actions that are news to the units, and the kind of notice each makes.
AUDIT_KINDS = {"dispatch": "dispatch", "note_reminder": "reminder", "note_urge": "urge",
               "note_letter": "letter", "accept": "accepted", "return": "returned"}


@dataclass(frozen=True)
class Target:
    department_id: int
    message: dict[str, Any]  # {"subject": message, "body": message}


@dataclass(frozen=True)
class DueEvent:
    key: str  # unique per event: with the unit and channel, the outbox's unique key
    kind: str
    task_id: int | None
    targets: tuple[Target, ...]


def doc_date(day: date) -> str:
    """"2026年11月30日", as official documents write a date."""
    return stored_text.doc_t("notify.date", year=day.year, month=day.month, day=day.day)


@dataclass(frozen=True)
class _Unit:
    department_id: int
    role: str
    part: str


def _units(session: Session, task_ids: list[int]) -> dict[int, list[_Unit]]:
    found: dict[int, list[_Unit]] = defaultdict(list)
    for start in range(0, len(task_ids), 500):
        for task_id, department_id, role, part in session.execute(
                select(col(TaskUnit.task_id), col(TaskUnit.department_id), col(TaskUnit.role),
                       col(TaskUnit.part))
                .where(col(TaskUnit.task_id).in_(task_ids[start:start + 500]))
                .order_by(col(TaskUnit.task_id), col(TaskUnit.role), col(TaskUnit.id))).all():
            found[task_id].append(_Unit(department_id, role, part))
    return found


def _task_params(task: Task) -> dict[str, Any]:
    return {"code": task.code, "title": task.title, "deadline": doc_date(task.deadline)}


def _notice(kind: str, **params: Any) -> dict[str, Any]:
    return {"subject": message(f"notify.subject.{kind}", **params),
            "body": message(f"notify.body.{kind}", **params)}


def _role(unit: _Unit) -> dict[str, Any]:
    role = message("notify.role.lead" if unit.role == UnitRole.LEAD else "notify.role.support")
    return {"role": role, "part": message("notify.part", part=unit.part) if unit.part.strip() else ""}


def _from_audit(session: Session, settings: Settings, ctx: LightContext) -> list[DueEvent]:
    since = clock.now() - timedelta(days=max(0, settings.notify_lookback_days))
    events = session.execute(
        select(AuditEvent).where(col(AuditEvent.action).in_(list(AUDIT_KINDS)),
                                 col(AuditEvent.occurred_at) >= since,
                                 col(AuditEvent.task_id).is_not(None))
        .order_by(col(AuditEvent.id))).scalars().all()
    if not events:
        return []
    task_ids = sorted({e.task_id for e in events if e.task_id is not None})
    tasks = {t.id: t for t in session.execute(select(Task).where(col(Task.id).in_(task_ids)))
             .scalars().all()}
    units = _units(session, task_ids)
    due: list[DueEvent] = []
    for event in events:
        task = tasks.get(event.task_id)
        if task is None:
            continue
        kind = AUDIT_KINDS[event.action]
        after = event.after or {}
        params = _task_params(task)
        targets = units.get(task.id or 0, [])
        if kind == "dispatch":
            dispatched = ctx.local_day(event.occurred_at)
            ack_by = ctx.calendar.add_workdays(dispatched, ctx.ack_workdays)
            params["deadline"] = doc_date(date.fromisoformat(after["deadline"])) \
                if isinstance(after.get("deadline"), str) else params["deadline"]
            params["ack_by"] = doc_date(ack_by)
            due.append(DueEvent(f"audit:{event.id}", kind, task.id, tuple(
                Target(u.department_id, _notice(kind, **params, **_role(u))) for u in targets)))
            continue
        if kind in ("reminder", "urge", "letter"):
            text = stored_text.as_message(str(after.get("body") or ""), after.get("body_message"))
            respond_by = after.get("respond_by")
            params["note"] = text
            params["reply"] = message("notify.reply_by", day=doc_date(date.fromisoformat(respond_by))) \
                if isinstance(respond_by, str) else ""
            addressed = after.get("department_id")
            if addressed is not None:
                targets = [u for u in targets if u.department_id == addressed]
        elif kind == "returned":
            params["reason"] = str(after.get("reason") or "")
        due.append(DueEvent(f"audit:{event.id}", kind, task.id, tuple(
            Target(u.department_id, _notice(kind, **params)) for u in targets)))
    return due


def _late_acks(session: Session, ctx: LightContext) -> list[DueEvent]:
    rows = session.execute(
        select(Task, col(TaskUnit.department_id))
        .join(TaskUnit, col(TaskUnit.task_id) == Task.id)
        .where(rules.unit_late_ack_sql(ctx))
        .order_by(col(Task.id), col(TaskUnit.id))).all()
    due = []
    for task, department_id in rows:
        assert task.dispatched_at is not None
        dispatched = ctx.local_day(task.dispatched_at)
        ack_by = rules.ack_due(task, ctx)
        params = {**_task_params(task), "dispatched": doc_date(dispatched),
                  "ack_by": doc_date(ack_by) if ack_by else ""}
        # Once per dispatch and unit: the key names both.
        due.append(DueEvent(f"ack:{task.id}:{task.dispatched_at.isoformat()}", "ack", task.id,
                            (Target(department_id, _notice("ack", **params)),)))
    return due


def _deadlines(session: Session, ctx: LightContext) -> list[DueEvent]:
    due = []
    for kind, where in (("due_soon", rules.due_soon_sql(ctx)), ("overdue", rules.overdue_sql(ctx))):
        tasks = list(session.execute(select(Task).where(where).order_by(col(Task.id)))
                     .scalars().all())
        units = _units(session, [task.id or 0 for task in tasks])
        for task in tasks:
            left = ctx.calendar.workdays_between(ctx.today, task.deadline)
            params = {**_task_params(task),
                      "workdays": left if kind == "due_soon" else max(1, -left)}
            key = "notify.body.due_today" if kind == "due_soon" and task.deadline == ctx.today else None
            notice = _notice(kind, **params)
            if key:
                notice["body"] = message(key, **params)
            due.append(DueEvent(f"{kind}:{task.id}:{task.deadline.isoformat()}", kind, task.id,
                                tuple(Target(u.department_id, notice)
                                      for u in units.get(task.id or 0, []))))
    return due


def due_events(session: Session, settings: Settings) -> list[DueEvent]:
    """Every event that is news today, oldest first; the outbox drops those already sent."""
    ctx = LightContext.build(settings, load_calendar(session))
    return [*_from_audit(session, settings, ctx), *_late_acks(session, ctx),
            *_deadlines(session, ctx)]
