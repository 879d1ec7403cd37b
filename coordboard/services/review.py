"""The weekly supervision review (每周督办例会): started with an agenda built from the
data (``services/agenda.py``), a decision or note per item, requests decided inline,
decisions turned into tasks, and a closing that numbers the review and freezes it.

A closed review is immutable: the service refuses, and database triggers (migration 0003)
refuse anything that slips past it.
"""

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert
from sqlalchemy import select as sql_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from coordboard import clock
from coordboard.config import Settings
from coordboard.enums import (
    ReviewState,
    TaskSource,
)
from coordboard.errors import DomainError, NotFoundError, ValidationError
from coordboard.i18n import ENGLISH_MONTHS, get_language, listing, t
from coordboard.models import Review, ReviewItem, Task
from coordboard.services import audit, fields, stored_text, tasks, workflow
from coordboard.services.agenda import build_agenda
from coordboard.services.lights import LightContext
from coordboard.services.permissions import Actor, authorize
from coordboard.services.workdays import load_calendar

REQUEST_ACTIONS = ("accept", "return", "decide_extension", "decide_contest")


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
    if department_ids and not note_kind:  # a unit names whom a note concerns: no note, no unit
        raise ValidationError("review.unit_needs_note_form")
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
