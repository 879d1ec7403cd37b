"""The weekly review's agenda (议程): which open tasks a meeting must look at, built once
when the review starts in one windowed query (``build_agenda``), and its lines as a meeting
reads them (``lines``): the light now, the requests waiting, the decision so far.

Each task is listed once, under the first section that claims it; each section keeps its
worst few (``review_section_limit``) and remembers how many it matched.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, literal, or_
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from coordboard.enums import OPEN_STATUSES, ContestState, Light, RequestState, TaskStatus, UnitRole
from coordboard.i18n import t
from coordboard.models import Department, ExtensionRequest, Review, ReviewItem, Task, TaskUnit, User
from coordboard.services import board, rules, stored_text
from coordboard.services.lights import LightContext, LightVerdict, light_case, light_filter
from coordboard.services.permissions import Actor, authorize

SECTIONS = ("red", "newly_overdue", "yellow", "late_ack", "silent", "requests",
            "follow_up")  # agenda order
# A task is listed once, under the first of these that claims it: a pending request
# is what the meeting must decide, a newly overdue task is also red, a late or silent one
# yellow. Each claim is a rule of services/rules.py, never restated here.
CLAIM_ORDER = ("requests", "follow_up", "newly_overdue", "red", "late_ack", "silent", "yellow")
_OPEN = [str(s) for s in OPEN_STATUSES]


def decision_text(item: ReviewItem, language: str | None = None) -> str | None:
    """The item's decision in ``language`` (the interface language if None); None while
    undecided. Decisions recorded before 0009 are shown as they were stored."""
    if item.decision is None and item.decision_message is None:
        return None
    return stored_text.shown(item.decision, item.decision_message, language)


def typed_decision(item: ReviewItem) -> str:
    """The words the office typed as the decision itself (not a request decided, not a
    comment), to edit them: what ``record_decision`` replaces."""
    if item.decision_message is None:
        return item.decision or ""
    parts = item.decision_message if isinstance(item.decision_message, list) else []
    return t("tui.semicolon").join(p for p in parts if isinstance(p, str) and p)


@dataclass(frozen=True)
class PendingRequest:
    kind: str  # closure, extension, contest
    text: str
    reason: str = ""  # as the unit typed it (an extension's or a contest's)


@dataclass
class AgendaLine:
    item: ReviewItem
    code: str
    title: str
    status: str
    deadline: date
    lead: str
    supporters: list[str]
    verdict: LightVerdict  # the light now (``item.light`` is the light when the agenda was built)
    pending: list[PendingRequest]  # requests waiting for the office's decision
    new_task_code: str | None
    decided_by: str | None
    decision: str | None = None  # in the interface language; None while undecided
    typed_decision: str = ""  # the words typed as the decision, to edit them

    @property
    def light_now(self) -> str:
        return self.verdict.light.value

    @property
    def decision_shown(self) -> str:
        """The decision as a list shows it, with the task it created ("… → DB-2026-046")
        unless its words already name that task ("议定另立督办事项 DB-2026-046")."""
        words = self.decision or "—"
        if self.new_task_code and self.new_task_code not in words:
            return f"{words} → {self.new_task_code}"
        return words

    @property
    def light_changed(self) -> bool:
        """Whether the light differs from the one the agenda was built with (after a
        decision in the meeting, or anything else since)."""
        return self.light_now != self.item.light

    def light_text(self) -> str:
        """The light as of now (a task no longer lit shows its status instead); when it
        changed since the agenda was built: the light then, an arrow, the light now."""
        now = (t(f"light.{self.light_now}") if self.light_now != Light.NONE.value
               else t(f"status.{self.status}"))
        if not self.light_changed:
            return now
        return t("review.light_changed", was=t(f"light.{self.item.light}"), now=now)


def totals_line(review: Review, agenda: list[AgendaLine]) -> str:
    """Each section's count, then how many items of the whole agenda were red: a task is
    listed once, under the first section that claims it, so "红灯事项 0" beside red tasks
    listed under requests or follow-up read as "nothing is red" (the rules trial)."""
    totals = review.section_totals or {}
    line = "  ".join(t("review.section_total", section=t(f"review.section.{name}"),
                       total=totals.get(name, 0)) for name in SECTIONS)
    red = sum(1 for entry in agenda if entry.item.light == Light.RED.value)
    return t("review.red_on_agenda", count=red) + line if red else line  # first: never cut


def lines(session: Session, review: Review, ctx: LightContext,
          section: str | None = None, *, actor: Actor | None = None) -> list[AgendaLine]:
    """The review's items in agenda order, with what a meeting needs to see of each."""
    if actor is not None:
        authorize(actor, "view_review")
    query = select(ReviewItem).where(ReviewItem.review_id == review.id)
    if section:
        query = query.where(ReviewItem.section == section)
    items = list(session.exec(query.order_by(col(ReviewItem.position))).all())
    if not items:
        return []
    task_ids = [item.task_id for item in items]
    by_id = {task.id: task for task in session.exec(select(Task).where(col(Task.id).in_(task_ids)))}
    rows = {row.task.id: row for row in board.rows_for(session, list(by_id.values()), ctx)}
    pending = pending_requests(session, task_ids)
    spawned_ids = [item.new_task_id for item in items if item.new_task_id]
    spawned = dict(session.exec(select(Task.id, Task.code).where(col(Task.id).in_(spawned_ids))).all()
                   ) if spawned_ids else {}
    decider_ids = {item.decided_by for item in items if item.decided_by}
    deciders = dict(session.exec(select(User.id, User.display_name)
                                 .where(col(User.id).in_(decider_ids))).all()) if decider_ids else {}
    lines = []
    for item in items:
        task, row = by_id[item.task_id], rows[item.task_id]
        lines.append(AgendaLine(
            item=item, code=task.code, title=task.title, status=task.status, deadline=task.deadline,
            lead=row.lead, supporters=row.supporters, verdict=row.verdict,
            pending=pending.get(item.task_id, []),
            new_task_code=spawned.get(item.new_task_id) if item.new_task_id else None,
            decided_by=deciders.get(item.decided_by) if item.decided_by else None,
            decision=decision_text(item), typed_decision=typed_decision(item)))
    return lines


def _closure_asked(lead: str | None, asked_on: date | None, deadline: date, returns: int) -> str:
    """Who asked to close, on which day, in time or not, and how often it came back before:
    what the office weighs in accepting (the bare "申请办结" told it none of this)."""
    if asked_on is None or lead is None:  # an older request (migration 0006 filled most)
        return t("review.pending.closure")
    timing = t("review.pending.in_time" if asked_on <= deadline else "review.pending.late")
    text = t("review.pending.closure_by", unit=lead, date=asked_on.isoformat(), timing=timing)
    return text + (t("review.pending.returned_before", count=returns) if returns else "")


def pending_requests(session: Session, task_ids: list[int]) -> dict[int, list[PendingRequest]]:
    """Closure, extension and contest requests waiting for the office, per task."""
    found: dict[int, list[PendingRequest]] = defaultdict(list)
    for task_id, asked_on, deadline, returns, lead in session.execute(
            sql_select(col(Task.id), col(Task.closure_requested_on), col(Task.deadline),
                       col(Task.return_count), col(Department.short_name))
            .join(TaskUnit, and_(col(TaskUnit.task_id) == Task.id,
                                 col(TaskUnit.role) == UnitRole.LEAD), isouter=True)
            .join(Department, col(Department.id) == TaskUnit.department_id, isouter=True)
            .where(col(Task.id).in_(task_ids), col(Task.status) == TaskStatus.CLOSURE_REQUESTED)).all():
        found[task_id].append(PendingRequest("closure", _closure_asked(lead, asked_on, deadline,
                                                                       returns)))
    for task_id, new_deadline, unit, reason in session.execute(
            sql_select(col(ExtensionRequest.task_id), col(ExtensionRequest.new_deadline),
                       col(Department.short_name), col(ExtensionRequest.reason))
            .join(Department, col(Department.id) == ExtensionRequest.department_id)
            .where(col(ExtensionRequest.task_id).in_(task_ids),
                   col(ExtensionRequest.state) == RequestState.PENDING)).all():
        found[task_id].append(PendingRequest("extension", t(
            "review.pending.extension", unit=unit, date=new_deadline.isoformat()), reason or ""))
    for task_id, unit, reason in session.exec(
            select(TaskUnit.task_id, Department.short_name, TaskUnit.contest_reason)
            .join(Department, col(Department.id) == TaskUnit.department_id)
            .where(col(TaskUnit.task_id).in_(task_ids),
                   TaskUnit.contest_state == ContestState.PENDING)).all():
        found[task_id].append(PendingRequest("contest", t("review.pending.contest", unit=unit),
                                             reason or ""))
    return found


# --- building the agenda ---------------------------------------------------------------


def _claims(ctx: LightContext, since: date, previous: Review | None) -> dict[str, Any]:
    is_open = col(Task.status).in_(_OPEN)
    # IN over a small set, evaluated once, rather than a correlated EXISTS per open task.
    pending_extension = col(Task.id).in_(select(ExtensionRequest.task_id).where(
        ExtensionRequest.state == RequestState.PENDING))
    pending_contest = col(Task.id).in_(select(TaskUnit.task_id).where(
        TaskUnit.contest_state == ContestState.PENDING))
    follow_up: Any = literal(False)
    if previous is not None:
        follow_up = col(Task.id).in_(select(ReviewItem.task_id).where(
            ReviewItem.review_id == previous.id, col(ReviewItem.decision).is_not(None)))
    return {
        "requests": and_(is_open, or_(col(Task.status) == TaskStatus.CLOSURE_REQUESTED,
                                      pending_extension, pending_contest)),
        "follow_up": follow_up,
        "newly_overdue": and_(rules.overdue_sql(ctx), col(Task.deadline) >= since),
        "red": light_filter(ctx, Light.RED),
        "late_ack": rules.late_ack_sql(ctx),
        "silent": rules.silent_sql(ctx),
        "yellow": light_filter(ctx, Light.YELLOW),
    }


def build_agenda(session: Session, ctx: LightContext, *, since: date, previous: Review | None,
                 limit: int) -> tuple[list[tuple[str, int, str]], dict[str, int]]:
    """(section, task id, light) in agenda order, and how many tasks each section matched."""
    claims = _claims(ctx, since, previous)
    section = case(*[(claims[name], literal(name)) for name in CLAIM_ORDER], else_=None)
    # The section is computed once per task in an inner query; the window functions
    # then partition by its value instead of re-evaluating the whole CASE twice more.
    claimed = sql_select(col(Task.id).label("task_id"), col(Task.deadline).label("deadline"),
                         section.label("section")).where(
        or_(col(Task.status).in_(_OPEN), claims["follow_up"])).subquery()
    ranked = sql_select(
        claimed.c.task_id, claimed.c.section,
        func.row_number().over(partition_by=claimed.c.section,
                               order_by=(claimed.c.deadline, claimed.c.task_id)).label("rank"),
        func.count().over(partition_by=claimed.c.section).label("total"),
    ).where(claimed.c.section.is_not(None)).subquery()
    # The light only for the rows kept, not for every open task.
    rows = session.execute(
        sql_select(ranked.c.task_id, ranked.c.section, light_case(ctx), ranked.c.total)
        .join(Task, col(Task.id) == ranked.c.task_id)
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.rank)
    ).all()
    by_section: dict[str, list[tuple[int, str]]] = defaultdict(list)
    totals: dict[str, int] = {name: 0 for name in SECTIONS}
    for task_id, name, light, total in rows:
        by_section[name].append((task_id, light))
        totals[name] = int(total)
    ordered = [(name, task_id, light) for name in SECTIONS for task_id, light in by_section[name]]
    return ordered, totals
