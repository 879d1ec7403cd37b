"""The weekly supervision review (每周督办例会): an agenda built from the data,
a decision or note per item, requests decided inline, decisions turned into
tasks, and a closing that numbers the review and freezes it.

The agenda is built once, when the review starts, in one windowed query: each
task is listed once, under the first section that claims it, and each section
keeps its worst few (``review_section_limit``) while remembering how many it
matched. A closed review is immutable: the service refuses, and database
triggers (migration 0003) refuse anything that slips past it.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, func, insert, literal, or_
from sqlalchemy import select as sql_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from coordboard import clock
from coordboard.config import Settings
from coordboard.enums import (
    OPEN_STATUSES,
    ContestState,
    Light,
    RequestState,
    ReviewState,
    TaskSource,
    TaskStatus,
    UnitRole,
)
from coordboard.errors import DomainError, NotFoundError, ValidationError
from coordboard.i18n import ENGLISH_MONTHS, get_language, listing, t
from coordboard.models import Department, ExtensionRequest, Review, ReviewItem, Task, TaskUnit, User
from coordboard.services import audit, board, fields, rules, stored_text, tasks, workflow
from coordboard.services.lights import LightContext, LightVerdict, light_case, light_filter
from coordboard.services.permissions import Actor, authorize
from coordboard.services.workdays import load_calendar

SECTIONS = ("red", "newly_overdue", "yellow", "late_ack", "silent", "requests",
            "follow_up")  # agenda order
# A task is listed once, under the first of these that claims it: a pending request
# is what the meeting must decide, a newly overdue task is also red, a late or silent one
# yellow. Each claim is a rule of services/rules.py, never restated here.
CLAIM_ORDER = ("requests", "follow_up", "newly_overdue", "red", "late_ack", "silent", "yellow")
REQUEST_ACTIONS = ("accept", "return", "decide_extension", "decide_contest")
_OPEN = [str(s) for s in OPEN_STATUSES]


class ReviewError(DomainError):
    key = "error.review"


class WeekReviewClosed(ReviewError):
    """This week's review is already closed: a second one is held only when the office
    confirms it (the TUI asks, the CLI needs ``--again``)."""

    key = "error.review_week_closed"


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(week: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week written like ``2026-W48``."""
    try:
        year, number = week.strip().upper().split("-W")
        monday = date.fromisocalendar(int(year), int(number), 1)
        return monday, monday + timedelta(days=6)
    except (ValueError, OverflowError):  # OverflowError: the last week of year 9999
        raise ValidationError("error.week_format", value=week) from None


def day_words(day: date, language: str | None = None) -> str:
    """"11月25日" / "Nov 25": a day of this year's reviews as people say it."""
    from coordboard.services.reports.cn import chinese_month_day

    if (language or get_language()) == "zh":
        return chinese_month_day(day)
    return f"{ENGLISH_MONTHS[day.month - 1]} {day.day}"


def week_words(week: str, language: str | None = None) -> str:
    """"第48周 11月23日—11月29日" / "week 48, Nov 23 – Nov 29": a week as people say it
    ("2026-W48" is the ``--week`` option's form, for machines)."""
    monday, sunday = week_bounds(week)
    return t("review.week", language, n=monday.isocalendar()[1],
             start=day_words(monday, language), end=day_words(sunday, language))


def summary(found: Review) -> str:
    """The review's one-line name: its number (or "open"), its week and the agenda's day."""
    number = t("review.number", number=found.number) if found.number else t("review.state.open")
    return t("review.summary", number=number, week=week_words(found.week),
             day=day_words(found.as_of))


# --- reading ------------------------------------------------------------------------


def open_review(session: Session) -> Review | None:
    return session.exec(select(Review).where(Review.state == ReviewState.OPEN)
                        .order_by(col(Review.id).desc())).first()


def last_closed(session: Session) -> Review | None:
    return session.exec(select(Review).where(Review.state == ReviewState.CLOSED)
                        .order_by(col(Review.number).desc())).first()


def find(session: Session, ref: str | int | None = None, *, actor: Actor | None = None) -> Review:
    """A review by issue number, by ISO week (the latest of that week), or the open one.

    ``actor``: the user asking (front ends pass it; None only for the service's own calls)."""
    if actor is not None:
        authorize(actor, "view_review")
    if ref is None or ref == "":
        review = open_review(session) or last_closed(session)
    elif isinstance(ref, int) or str(ref).isdigit():
        review = session.exec(select(Review).where(Review.number == int(ref))).first()
    else:
        week_bounds(str(ref))  # a clear message for a malformed week
        review = session.exec(select(Review).where(Review.week == str(ref).strip().upper())
                              .order_by(col(Review.id).desc())).first()
    if review is None and ref in (None, ""):
        raise NotFoundError("error.no_review_yet")
    if review is None:
        raise NotFoundError("error.review_not_found", ref=ref)
    return review


def items_with_tasks(session: Session, review: Review) -> list[tuple[ReviewItem, str, str]]:
    """Every item of ``review`` in agenda order, with its task's code and title."""
    return [(item, code, title) for item, code, title in session.execute(
        sql_select(ReviewItem, col(Task.code), col(Task.title))
        .join(Task, col(Task.id) == ReviewItem.task_id)
        .where(col(ReviewItem.review_id) == review.id)
        .order_by(col(ReviewItem.position))).all()]


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


def _decision_parts(item: ReviewItem) -> list[Any]:
    """The decision so far as a list of messages (a decision stored as text before 0009
    becomes one literal part, kept as it was)."""
    if isinstance(item.decision_message, list):
        parts = list(item.decision_message)
    elif item.decision_message is not None:
        parts = [item.decision_message]
    else:
        parts = []
    return parts + ([item.decision] if item.decision else [])


def recent(session: Session, limit: int = 20, *, actor: Actor | None = None) -> list[Review]:
    if actor is not None:
        authorize(actor, "view_review")
    return list(session.exec(select(Review).order_by(col(Review.id).desc()).limit(limit)).all())


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


def agenda(session: Session, review: Review, ctx: LightContext,
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


# --- acting -----------------------------------------------------------------------------


def _require_open(review: Review, timezone: str) -> None:
    if review.state == ReviewState.CLOSED:
        raise ReviewError("error.review_closed", number=review.number,
                          day=clock.local(review.closed_at or review.started_at,
                                              timezone).format("YYYY-MM-DD"))


def closed_this_week(session: Session, today: date) -> Review | None:
    """The latest closed review of ``today``'s week, if there is one."""
    return session.exec(select(Review).where(Review.week == iso_week(today),
                                             Review.state == ReviewState.CLOSED)
                        .order_by(col(Review.number).desc())).first()


def start(session: Session, *, actor: Actor, settings: Settings, attendees: str = "",
          again: bool = False) -> Review:
    """Start this week's review. If this week's review is already closed, a second one is
    started only when the office confirmed it (``again``); its record and files are its
    own (a new issue number), the first one's stay as they were."""
    authorize(actor, "review")
    fields.check("attendees", attendees)
    current = open_review(session)
    if current is not None:
        raise ReviewError("error.review_already_open", week=current.week,
                          day=current.as_of.isoformat())
    ctx = LightContext.build(settings, load_calendar(session))
    held = closed_this_week(session, ctx.today)
    if held is not None and not again:
        raise WeekReviewClosed(number=held.number, week=week_words(held.week),
                               day=day_words(clock.local(held.closed_at or held.started_at,
                                                         settings.timezone).date()))
    previous = last_closed(session)
    since = previous.as_of if previous else ctx.today - timedelta(days=7)
    ordered, totals = build_agenda(session, ctx, since=since, previous=previous,
                                   limit=settings.review_section_limit)
    review = Review(week=iso_week(ctx.today), as_of=ctx.today, state=ReviewState.OPEN,
                    attendees=attendees.strip(), started_by=actor.user_id, started_at=clock.now(),
                    section_totals=totals)
    session.add(review)
    try:
        session.flush()
    except IntegrityError:  # another office user started one a moment ago
        raise ReviewError("error.review_started_elsewhere") from None
    assert review.id is not None
    if ordered:
        session.execute(insert(ReviewItem), [
            {"review_id": review.id, "task_id": task_id, "section": name, "position": position,
             "light": light}
            for position, (name, task_id, light) in enumerate(ordered, start=1)])
    audit.record(session, actor_id=actor.user_id, entity="review", entity_id=review.id,
                 action="review_start",
                 after={"week": review.week, "as_of": review.as_of.isoformat(),
                        "items": len(ordered), "section_totals": totals})
    return review


def _item(session: Session, item_id: int) -> tuple[ReviewItem, Review, Task, int]:
    """The item, its review and its task, read under the task's and the review's row
    locks (task first, as ``workflow``'s actions do), and the task's version before locking."""
    item = session.get(ReviewItem, item_id)
    if item is None:
        raise NotFoundError("error.review_item_not_found", item=item_id)
    task = session.get(Task, item.task_id)
    assert task is not None
    seen = task.version
    task = workflow.lock_task(session, task)
    fresh = {"populate_existing": True}
    item = session.exec(select(ReviewItem).where(ReviewItem.id == item_id)
                        .execution_options(**fresh)).one()
    review = session.exec(select(Review).where(Review.id == item.review_id).with_for_update()
                          .execution_options(**fresh)).one()
    return item, review, task, seen


def _set_decision(session: Session, item: ReviewItem, task: Task, actor: Actor, text: str,
                  message: Any = None, **detail: Any) -> ReviewItem:
    """Store the decision: ``text`` as typed, or ``message`` (codes, parameters and typed
    words, see stored_text.py) with ``text`` "". The audit event records the same."""
    before: dict[str, Any] = {"decision": item.decision}
    if item.decision_message is not None:
        before["decision_message"] = item.decision_message
    item.decision, item.decision_message = text, message
    item.decided_by, item.decided_at = actor.user_id, clock.now()
    session.add(item)
    session.flush()
    after: dict[str, Any] = {"review_id": item.review_id, "decision": text}
    if message is not None:
        after["decision_message"] = message
    audit.record(session, actor_id=actor.user_id, entity="review_item", entity_id=item.id or 0,
                 task_id=task.id, action="review_decision", before=before,
                 after={**after, **detail})
    return item


def record_decision(session: Session, *, actor: Actor, settings: Settings, item_id: int,
                    text: str, note_kind: str | None = None,
                    respond_by: date | None = None,
                    department_ids: list[int] | None = None) -> ReviewItem:
    """The meeting's decision on an item; with ``note_kind`` it is also sent to the task
    as a supervision note (reminder, urge, letter, praise, criticism, buck passing).
    ``department_ids`` names the units the note concerns (one note each, so a finding of
    passing the buck is scored against those units only); none means the whole task."""
    authorize(actor, "review")
    item, review, task, seen = _item(session, item_id)
    _require_open(review, settings.timezone)
    text = fields.check("decision", text).strip()
    if not text:
        raise ValidationError("error.field_required", field=t("review.field.decision"))
    if note_kind:
        targets: list[int | None] = list(department_ids or []) or [None]
        for department_id in targets:
            workflow.note(session, actor=actor, code=task.code, settings=settings,
                          seen_version=seen, kind=note_kind, body=text, respond_by=respond_by,
                          department_id=department_id)
    message = None
    if item.decision_message is not None:  # keep the requests decided; replace the typed words
        parts = _decision_parts(item)
        typed_at = [i for i, part in enumerate(parts) if isinstance(part, str)]
        parts = [part for part in parts if not isinstance(part, str)]
        parts.insert(typed_at[0] if typed_at else len(parts), text)
        text, message = "", parts
    return _set_decision(session, item, task, actor, text, message, note_kind=note_kind,
                         **({"department_ids": list(department_ids)} if department_ids else {}))


def decide_request(session: Session, *, actor: Actor, settings: Settings, item_id: int,
                   action: str, comment: str = "", reason: str = "", approve: bool = False,
                   note: str = "", department_id: int | None = None, decision: str = "reject",
                   new_department_id: int | None = None) -> ReviewItem:
    """Decide a pending closure, extension or contest from the agenda. The workflow's own
    rule refuses a request that is no longer pending, so deciding twice changes nothing.

    ``action``: accept, return (with ``reason``), decide_extension (``approve``, ``note``)
    or decide_contest (``department_id``, ``decision``, ``note``, ``new_department_id``).
    ``comment`` is what the meeting said with the decision (kept in the record, e.g. with
    an accepted closure, whose action takes no text of its own)."""
    authorize(actor, "review")
    if action not in REQUEST_ACTIONS:
        raise ValidationError("error.choice", field="action", value=action,
                              allowed=", ".join(REQUEST_ACTIONS))
    item, review, task, seen = _item(session, item_id)
    _require_open(review, settings.timezone)
    code = task.code
    params: dict[str, Any] = {}
    if action == "accept":
        workflow.accept(session, actor=actor, code=code, settings=settings, seen_version=seen)
    elif action == "return":
        workflow.return_for_rework(session, actor=actor, code=code, settings=settings,
                                   seen_version=seen, reason=reason)
        params = {"reason": reason}
    elif action == "decide_extension":
        workflow.decide_extension(session, actor=actor, code=code, settings=settings,
                                  seen_version=seen, approve=approve, note=note)
        params = {"approve": approve, "note": note}
    else:
        if department_id is None:
            raise ValidationError("error.contest_needs_unit")
        workflow.decide_contest(session, actor=actor, code=code, settings=settings,
                                seen_version=seen, department_id=department_id,
                                decision=decision, note=note, new_department_id=new_department_id)
        params = {"decision": decision, "note": note}
    entry = _request_entry(action, comment, params)
    return _set_decision(session, item, task, actor, "", _decision_parts(item) + [entry],
                         request_action=action)


def _request_entry(action: str, comment: str, params: dict[str, Any]) -> dict[str, Any]:
    """A request decided at the meeting, as a message: what was decided (codes), the
    reason or note given with it and the meeting's comment (as typed)."""
    message = stored_text.message
    if action == "decide_extension":
        summary = message("review.extension_approved" if params.get("approve")
                          else "review.extension_refused")
    else:
        summary = message("review.decided_request", action=message(f"action.{action}"))
    typed = params.get("reason") or params.get("note") or ""
    detail: Any = typed if isinstance(typed, str) else ""
    if action == "decide_contest" and params.get("decision"):
        outcome = message(f"tui.decision.{params['decision']}")
        detail = [outcome, detail] if detail else outcome
    entry = message("review.decided_with_detail", summary=summary, detail=detail) if detail \
        else summary
    comment = comment.strip()
    if comment and comment != typed:
        entry = message("review.decided_with_comment", decision=entry, comment=comment)
    return entry


def spawn_task(session: Session, *, actor: Actor, settings: Settings, item_id: int, title: str,
               lead: tasks.UnitAssignment, supporters: list[tasks.UnitAssignment] | None = None,
               deadline: date | None = None, workdays: int | None = None) -> Task:
    """Turn a decision (议定事项) into a new task, registered and dispatched at once."""
    authorize(actor, "review")
    authorize(actor, "register")
    item, review, origin, _ = _item(session, item_id)
    _require_open(review, settings.timezone)
    if item.new_task_id is not None:
        made = session.get(Task, item.new_task_id)
        raise ReviewError("error.review_item_has_task", item=item.position,
                          code=made.code if made else item.new_task_id)
    today = clock.today(settings.timezone)
    task = tasks.register(
        session, actor_id=actor.user_id, title=title, lead=lead, supporters=supporters,
        deadline=deadline, workdays=workdays, source=TaskSource.MEETING, parent_id=origin.id,
        description_message=stored_text.message(
            "review.spawned_description", week=stored_text.week(review.week), code=origin.code,
            decision=stored_text.as_message(item.decision, item.decision_message)),
        today=today, settings=settings)
    tasks.dispatch(session, task=task, actor_id=actor.user_id, calendar=load_calendar(session),
                   today=today)
    item.new_task_id = task.id
    if item.decision is None and item.decision_message is None:
        _set_decision(session, item, origin, actor, "",
                      [stored_text.message("review.spawned", code=task.code)], new_task=task.code)
    else:
        _set_decision(session, item, origin, actor, item.decision or "", item.decision_message,
                      new_task=task.code)
    return task


def item_id_for(session: Session, number: int) -> int:
    """The open review's item numbered ``number`` (1…N, the number every front end shows);
    after closing, the last closed review's (so acting on it says it is closed)."""
    current = open_review(session) or last_closed(session)
    if current is None:
        raise NotFoundError("error.no_open_review")
    found = session.exec(select(ReviewItem.id).where(ReviewItem.review_id == current.id,
                                                     ReviewItem.position == number)).first()
    if found is None:
        raise NotFoundError("error.review_item_not_found", item=number)
    return int(found)


def undecided_items(session: Session, review: Review) -> list[int]:
    """Item numbers (1…N, as shown everywhere) that have no decision yet."""
    return [int(n) for n in session.exec(
        select(ReviewItem.position).where(ReviewItem.review_id == review.id,
                                          col(ReviewItem.decision).is_(None))
        .order_by(col(ReviewItem.position))).all()]


def close(session: Session, *, actor: Actor, review_id: int, attendees: str,
          next_steps: str = "", settings: Settings | None = None, force: bool = False) -> Review:
    """Number, date and freeze the review. Attendees are part of the record. Items left
    without a decision are refused, listed, unless the meeting confirmed (``force``)."""
    authorize(actor, "review")
    fields.check("attendees", attendees)
    fields.check("next_steps", next_steps)
    # Locked, so that a decision being saved at this moment lands before the closing
    # or is refused after it, never written into a review already closed.
    review = session.exec(select(Review).where(Review.id == review_id).with_for_update()
                          .execution_options(populate_existing=True)).first()
    if review is None:
        raise NotFoundError("error.review_not_found", ref=review_id)
    _require_open(review, (settings or Settings()).timezone)
    attendees = attendees.strip() or review.attendees
    if not attendees:
        raise ValidationError("error.field_required", field=t("review.field.attendees"))
    undecided_list = undecided_items(session, review)
    if undecided_list and not force:
        raise ReviewError("error.review_undecided", count=len(undecided_list),
                          items=listing(str(n) for n in undecided_list[:20])
                          + ("…" if len(undecided_list) > 20 else ""))
    number = (session.exec(select(func.max(Review.number))).one() or 0) + 1
    next_steps = next_steps.strip()
    undecided = session.exec(select(func.count()).select_from(ReviewItem).where(
        ReviewItem.review_id == review.id, col(ReviewItem.decision).is_(None))).one()
    audit.record(session, actor_id=actor.user_id, entity="review", entity_id=review_id,
                 action="review_close",
                 after={"number": number, "week": review.week, "attendees": attendees,
                        "next_steps": next_steps, "undecided_items": int(undecided)})
    # The chain as it stands with the closing itself: the anchor its bulletin prints.
    # Stored in the same UPDATE that closes the review (a closed review is immutable).
    anchor_length, anchor_head = audit.anchor(session)
    review.number, review.state = number, ReviewState.CLOSED
    review.attendees, review.next_steps = attendees, next_steps
    review.closed_at, review.closed_by = clock.now(), actor.user_id
    review.anchor_length, review.anchor_head = anchor_length, anchor_head
    session.add(review)
    session.flush()
    return review


def progress_counts(session: Session, review: Review) -> tuple[int, int]:
    """(decided items, all items)."""
    decided, total = session.exec(select(
        func.count(col(ReviewItem.decision)), func.count()).where(
        ReviewItem.review_id == review.id)).one()
    return int(decided), int(total)
