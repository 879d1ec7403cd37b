"""Append-only, hash-chained audit trail, written in the same transaction as the change."""

import hashlib
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from coordboard import clock
from coordboard.models import AuditEvent

GENESIS = "0" * 64


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(obj: Any, *names: str) -> dict[str, Any]:
    """A JSON-safe picture of some fields of a row, for before/after."""
    return {name: _jsonable(getattr(obj, name)) for name in names}


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    occurred = event.occurred_at
    payload = json.dumps(
        [
            prev_hash,
            occurred.isoformat() if occurred else None,
            event.actor_id,
            event.entity,
            event.entity_id,
            event.task_id,
            event.action,
            event.before,
            event.after,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _last_hash(session: Session) -> str:
    if session.get_bind().dialect.name == "postgresql":
        # Two writers must not both chain onto the same predecessor.
        session.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
    last = session.exec(select(AuditEvent.hash).order_by(col(AuditEvent.id).desc()).limit(1)).first()
    return last or GENESIS


def record(
    session: Session,
    *,
    actor_id: int | None,
    entity: str,
    entity_id: int,
    action: str,
    task_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    prev = _last_hash(session)
    event = AuditEvent(
        occurred_at=clock.now(),
        actor_id=actor_id,
        entity=entity,
        entity_id=entity_id,
        task_id=task_id,
        action=action,
        before=before,
        after=after,
        prev_hash=prev,
        hash="",
    )
    # Hash the values as they will read back (UTC, microseconds kept).
    event.hash = event_hash(prev, event)
    session.add(event)
    session.flush()
    return event


def verify(session: Session, batch: int = 5000) -> tuple[int, int | None]:
    """Walk the chain in id order. Returns (events checked, id of the first bad event or None).

    An edited row no longer matches its own hash; a removed row leaves the next
    row's ``prev_hash`` pointing at nothing.
    """
    expected_prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        events = session.exec(
            select(AuditEvent).where(col(AuditEvent.id) > last_id)
            .order_by(col(AuditEvent.id)).limit(batch)
        ).all()
        if not events:
            return checked, None
        for event in events:
            if event.prev_hash != expected_prev or event_hash(event.prev_hash, event) != event.hash:
                return checked, event.id
            expected_prev = event.hash
            checked += 1
            last_id = event.id or 0
        session.expunge_all()
