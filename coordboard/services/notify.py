"""The notification outbox: each notice sent once, a failed one retried, none blocking another.

``run`` goes in four steps, each its own short transaction:

1. **record** what is due (services/notify_events.py) as outbox rows, one per (event,
   unit, channel). The table's unique key makes the insert the claim: a second run, or
   two runs at once, insert nothing new (``ON CONFLICT DO NOTHING`` on both backends);
2. **digest**: a unit on the daily digest has its rows held (``queued``); after
   ``notify_digest_hour`` the first run gathers them into one notice per channel, keyed
   by the day, so the digest too is made once;
3. **claim** the rows due for sending: marked ``sending`` with a lease, committed, so a
   run at the same moment skips them (PostgreSQL: ``FOR UPDATE SKIP LOCKED``; SQLite:
   writers take turns, ``BEGIN IMMEDIATE``);
4. **send** each outside any transaction, then mark it ``sent``, or back to ``pending``
   with the error and a later time (doubling from ``notify_retry_minutes``, at most a day),
   or ``failed`` after ``notify_max_attempts``.

A run that dies between sending and marking leaves the row ``sending``; when its lease
has run out the next run sends it again. That one case may send twice (no outbox can
know whether a mail server kept a message it never acknowledged); nothing else can.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlmodel import Session, col

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.models import Department, Notification, Task
from coordboard.safe_text import visible
from coordboard.services import notify_channels, stored_text
from coordboard.services.notify_channels import Mailer, Outgoing, SendError
from coordboard.services.notify_events import DueEvent, doc_date, due_events
from coordboard.services.permissions import Actor, authorize

QUEUED, PENDING, SENDING, SENT, FAILED, DIGESTED = (
    "queued", "pending", "sending", "sent", "failed", "digested")
OPEN_STATES = (QUEUED, PENDING, SENDING, FAILED)
ERROR_LIMIT = 500


@dataclass(frozen=True)
class Planned:
    unit: str
    channel: str
    kind: str
    subject: str


@dataclass
class RunReport:
    recorded: int = 0
    digests: int = 0
    sent: int = 0
    failed: int = 0  # failed this run (retried later, or given up)
    planned: tuple[Planned, ...] = ()  # --dry-run: what a real run would record now
    due_retries: int = 0  # --dry-run: rows a real run would try to send


@dataclass(frozen=True)
class StatusRow:
    id: int
    unit: str
    channel: str
    kind: str
    task_code: str
    state: str
    attempts: int
    next_attempt_at: datetime
    last_error: str
    subject: str


def real_channels(department: Department) -> list[str]:
    """The channels a unit has an address for."""
    return [name for name, address in (("email", department.contact_email),
                                       ("webhook", department.webhook_url)) if address]


def channels_of(department: Department) -> list[str]:
    """Where a unit's notices go: held for its daily digest, or each channel it has."""
    real = real_channels(department)
    return ["digest"] if department.notify_digest and real else real


def words(msg: dict[str, Any]) -> tuple[str, str]:
    """A stored notice as its subject and body, in the document language (Chinese)."""
    subject = stored_text.document(msg.get("subject"))
    body = stored_text.document(msg.get("body"))
    items = msg.get("items") or []
    if items:
        parts = []
        for number, item in enumerate(items, 1):
            item_subject, item_body = words(item)
            parts.append(f"{number}. {item_subject}\n{item_body}")
        body = "\n\n".join(part for part in (body, *parts) if part)
    return subject, body


def _candidates(session: Session, settings: Settings
                ) -> tuple[list[dict[str, Any]], dict[int, Department]]:
    """Rows for everything due, less those the outbox already holds."""
    departments = {d.id or 0: d for d in session.execute(select(Department)).scalars().all()}
    now = clock.now()
    rows: list[dict[str, Any]] = []
    events: list[DueEvent] = due_events(session, settings)
    for event in events:
        for target in event.targets:
            department = departments.get(target.department_id)
            if department is None:
                continue
            for channel in channels_of(department):
                rows.append({"event_key": event.key, "department_id": target.department_id,
                             "channel": channel, "kind": event.kind, "task_id": event.task_id,
                             "message": target.message,
                             "state": QUEUED if channel == "digest" else PENDING,
                             "attempts": 0, "next_attempt_at": now, "created_at": now})
    held: set[tuple[str, int, str]] = set()
    keys = sorted({row["event_key"] for row in rows})
    for start in range(0, len(keys), 500):
        held.update(session.execute(
            select(col(Notification.event_key), col(Notification.department_id),
                   col(Notification.channel))
            .where(col(Notification.event_key).in_(keys[start:start + 500]))).all())
    new = [row for row in rows if (row["event_key"], row["department_id"], row["channel"]) not in held]
    return new, departments


def _insert_new(session: Session, row: dict[str, Any]) -> bool:
    """Insert one outbox row unless its (event, unit, channel) is there; True if inserted."""
    table = Notification.__table__  # type: ignore[attr-defined]
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement: Any = pg_insert(table).values(**row).on_conflict_do_nothing(
            constraint="uq_notification_event_unit_channel")
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(table).values(**row).on_conflict_do_nothing(
            index_elements=["event_key", "department_id", "channel"])
    # RETURNING, not rowcount: psycopg reports a row for an insert the conflict turned away.
    return session.execute(statement.returning(table.c.id)).scalar_one_or_none() is not None


def record(db: Database, settings: Settings) -> int:
    with db.write() as session:
        rows, _ = _candidates(session, settings)
        return sum(_insert_new(session, row) for row in rows)


def make_digests(db: Database, settings: Settings) -> int:
    now = clock.now()
    local = clock.local(now, settings.timezone)
    if local.hour < settings.notify_digest_hour:
        return 0
    made = 0
    with db.write() as session:
        held = session.execute(
            select(Notification).where(col(Notification.state) == QUEUED)
            .order_by(col(Notification.department_id), col(Notification.id))
            .with_for_update()).scalars().all()
        by_unit: dict[int, list[Notification]] = defaultdict(list)
        for row in held:
            by_unit[row.department_id].append(row)
        for department_id, rows in by_unit.items():
            department = session.get(Department, department_id)
            if department is None:
                continue
            real = real_channels(department)
            today = local.date()
            digest = {"subject": stored_text.message("notify.subject.digest", date=doc_date(today),
                                                     count=len(rows)),
                      "body": "", "items": [row.message for row in rows]}
            inserted = [_insert_new(session, {
                "event_key": f"digest:{today.isoformat()}", "department_id": department_id,
                "channel": channel, "kind": "digest", "task_id": None, "message": digest,
                "state": PENDING, "attempts": 0, "next_attempt_at": now, "created_at": now})
                for channel in real]
            if any(inserted):  # else today's digest went out already: these wait for tomorrow
                made += sum(inserted)
                session.execute(update(Notification)
                                .where(col(Notification.id).in_([row.id for row in rows]))
                                .values(state=DIGESTED, sent_at=now))
    return made


def _lease(settings: Settings) -> timedelta:
    return timedelta(seconds=max(300, 6 * settings.notify_timeout_seconds))


def _due_sql(now: datetime) -> Any:
    return or_(and_(col(Notification.state) == PENDING, col(Notification.next_attempt_at) <= now),
               and_(col(Notification.state) == SENDING, col(Notification.claimed_until) < now))


def claim(db: Database, settings: Settings, limit: int = 200) -> list[int]:
    now = clock.now()
    with db.write() as session:
        ids = list(session.execute(
            select(col(Notification.id)).where(_due_sql(now))
            .order_by(col(Notification.next_attempt_at), col(Notification.id)).limit(limit)
            .with_for_update(skip_locked=True)).scalars().all())
        if ids:
            session.execute(update(Notification).where(col(Notification.id).in_(ids))
                            .values(state=SENDING, claimed_until=now + _lease(settings),
                                    attempts=col(Notification.attempts) + 1))
    return ids


def _backoff(settings: Settings, attempts: int) -> timedelta:
    minutes = max(1, settings.notify_retry_minutes) * 2 ** min(max(attempts - 1, 0), 16)
    return timedelta(minutes=min(minutes, 24 * 60))


def deliver(db: Database, settings: Settings, notification_id: int, mailer: Mailer) -> bool:
    """Send one claimed row and record the outcome; True when sent."""
    with db.read() as session:
        row = session.get(Notification, notification_id)
        assert row is not None
        department = session.get(Department, row.department_id)
        assert department is not None
        task = session.get(Task, row.task_id) if row.task_id is not None else None
    subject, body = words(row.message or {})
    outgoing = Outgoing(subject, body, row.kind, department.short_name, task.code if task else "")
    error: str | None = None
    try:
        if row.channel == "email":
            mailer.send(department.contact_email, outgoing)
        else:
            notify_channels.send_webhook(settings, department.webhook_url,
                                         department.webhook_preset, outgoing)
    except (SendError, OSError, ValueError, notify_channels.smtplib.SMTPException) as exc:
        # OSError covers refused connections, timeouts, TLS and HTTP errors (urllib's
        # URLError and HTTPError); ValueError a header the e-mail library refused.
        error = visible(f"{type(exc).__name__}: {exc}")[:ERROR_LIMIT]
    now = clock.now()
    with db.write() as session:
        mine = and_(col(Notification.id) == notification_id, col(Notification.state) == SENDING)
        if error is None:
            session.execute(update(Notification).where(mine).values(
                state=SENT, sent_at=now, claimed_until=None, last_error=None))
            return True
        given_up = row.attempts >= settings.notify_max_attempts
        session.execute(update(Notification).where(mine).values(
            state=FAILED if given_up else PENDING, claimed_until=None, last_error=error,
            next_attempt_at=now + _backoff(settings, row.attempts)))
    return False


def plan(db: Database, settings: Settings) -> RunReport:
    """What ``run`` would record now, and how many rows it would try to send; writes nothing."""
    with db.read() as session:
        rows, departments = _candidates(session, settings)
        planned = []
        for row in rows:
            subject, _ = words(row["message"])
            planned.append(Planned(departments[row["department_id"]].short_name, row["channel"],
                                   row["kind"], subject))
        due = session.execute(select(func.count()).select_from(Notification)
                              .where(_due_sql(clock.now()))).scalar_one()
    return RunReport(planned=tuple(planned), due_retries=int(due))


def run(db: Database, settings: Settings, *, dry_run: bool = False, limit: int = 200) -> RunReport:
    if dry_run:
        return plan(db, settings)
    report = RunReport(recorded=record(db, settings), digests=make_digests(db, settings))
    with Mailer(settings) as mailer:
        for notification_id in claim(db, settings, limit):
            if deliver(db, settings, notification_id, mailer):
                report.sent += 1
            else:
                report.failed += 1
    return report


def status(session: Session, *, actor: Actor, include_sent: bool = False,
           limit: int = 200) -> list[StatusRow]:
    """Rows not yet sent (held for a digest, waiting, being sent, failed), newest last."""
    authorize(actor, "view_notifications")
    states = OPEN_STATES + ((SENT,) if include_sent else ())
    found = session.execute(
        select(Notification, col(Department.short_name), col(Task.code))
        .join(Department, col(Department.id) == Notification.department_id)
        .join(Task, col(Task.id) == Notification.task_id, isouter=True)
        .where(col(Notification.state).in_(states))
        .order_by(col(Notification.id).desc()).limit(limit)).all()
    return [StatusRow(row.id or 0, unit, row.channel, row.kind, code or "", row.state, row.attempts,
                      row.next_attempt_at, row.last_error or "", words(row.message or {})[0])
            for row, unit, code in reversed(found)]


def counts(session: Session) -> dict[str, int]:
    return {state: int(n) for state, n in session.execute(
        select(col(Notification.state), func.count()).group_by(col(Notification.state))).all()}
