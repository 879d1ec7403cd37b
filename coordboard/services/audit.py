"""Append-only, hash-chained and keyed audit trail, written in the same transaction as the change.

Three layers, each catching what the one before cannot (docs/security.md):

* the public SHA-256 chain (``prev_hash``/``hash``): an edited or removed event breaks it,
  and anyone can recompute it, so it only proves the shape;
* an HMAC of each hash (``mac``) with a key kept outside the database
  (``coordboard.audit_key``), and a keyed seal of the chain's length and head in
  ``app_meta``: someone who drops the triggers and re-hashes, deletes the newest events
  or appends forged ones cannot make the MACs and the seal agree without the key;
* anchors outside the database (``anchor_line`` on each bulletin): the chain's length
  and head hash at a moment, which anyone can check without the key.

Each event about a task also records the task's audited fields after the change
(``task_state``), so ``verify`` finds a task row edited behind the application's back.
"""

import hashlib
import hmac
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, Engine, func, insert, text, update
from sqlmodel import Session, col, select

from coordboard import audit_key, clock
from coordboard.errors import DomainError
from coordboard.i18n import t
from coordboard.models import AppMeta, AuditEvent, Task

GENESIS = "0" * 64
CHAIN_META = "audit_chain"  # app_meta row: this database's instance id and the keyed seal
KEYED_ACTION = "audit_keyed"


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot_value(value: Any) -> Any:
    """One field as an audit event records it (dates as ISO text)."""
    return _jsonable(value)


def snapshot(obj: Any, *names: str) -> dict[str, Any]:
    """A JSON-safe picture of some fields of a row, for before/after."""
    return {name: _jsonable(getattr(obj, name)) for name in names}


def event_hash(prev_hash: str, event: Any) -> str:
    """SHA-256 over the event's content and its predecessor's hash (an AuditEvent or a row)."""
    occurred = event.occurred_at
    fields: list[Any] = [
        prev_hash,
        occurred.isoformat() if occurred else None,
        event.actor_id,
        event.entity,
        event.entity_id,
        event.task_id,
        event.action,
        event.before,
        event.after,
    ]
    if event.task_state is not None:  # events written before 0007 hash as they always did
        fields.append(event.task_state)
    payload = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                         default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def seal_mac(key: bytes, instance: str, length: int, head: str) -> str:
    return audit_key.mac(key, f"seal:{instance}:{length}:{head}")


def task_fields() -> tuple[str, ...]:
    from coordboard.services.tasks import TASK_FIELDS  # tasks imports this module

    return TASK_FIELDS


def _chain_meta(session: Session) -> dict[str, Any] | None:
    meta = AppMeta.__table__  # type: ignore[attr-defined]  # Core: no ORM bookkeeping per write
    value = session.execute(
        select(meta.c.value).where(meta.c.key == CHAIN_META)).scalar_one_or_none()
    return dict(value) if value is not None else None


def instance_id(session: Session) -> str | None:
    """This database's identity in the key file, or None before its first audited write."""
    meta = _chain_meta(session)
    return str(meta["instance"]) if meta and "instance" in meta else None


def _database_name(session: Session) -> str:
    bind = session.get_bind()
    engine: Engine = bind.engine if isinstance(bind, Connection) else bind
    # The address without the role, so the owner and the application role agree.
    return str(engine.url.set(username=None, password=None).render_as_string())


def _last_event(session: Session) -> tuple[int, str]:
    row = session.execute(select(col(AuditEvent.id), col(AuditEvent.hash))
                          .order_by(col(AuditEvent.id).desc()).limit(1)).first()
    return (row[0], row[1]) if row else (0, GENESIS)


@dataclass
class _Head:
    instance: str
    key: bytes
    length: int
    prev: str


def _lock_head(session: Session) -> _Head:
    """Serialise writers on the chain; key the database on its first audited write."""
    if session.get_bind().dialect.name == "postgresql":
        # Two writers must not both chain onto the same predecessor.
        session.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
    _, prev = _last_event(session)
    meta = _chain_meta(session)
    if meta is not None:
        instance = str(meta.get("instance", ""))
        key = audit_key.lookup(instance)
        if key is None:
            raise DomainError("error.audit_key_missing", instance=instance,
                              path=str(audit_key.key_file_path()))
        if "length" not in meta:
            raise DomainError("error.audit_seal_missing")
        return _Head(instance, key, int(meta["length"]), prev)
    signed = session.execute(select(col(AuditEvent.id))
                             .where(col(AuditEvent.mac).is_not(None)).limit(1)).first()
    if signed is not None:
        raise DomainError("error.audit_identity_lost")
    # First keying (trust on first use): the events so far are taken as they are; the
    # keyed event below signs their head, and through the hash links all of them.
    instance = uuid.uuid4().hex
    key = audit_key.create(instance, _database_name(session))
    covered = int(session.execute(select(func.count()).select_from(AuditEvent)).scalar_one())
    session.execute(insert(AppMeta).values(key=CHAIN_META, value=_seal(instance, key, covered, prev)))
    head = _Head(instance, key, covered, prev)
    if covered:
        _append(session, head, AuditEvent(
            occurred_at=clock.now(), actor_id=None, entity="audit", entity_id=0,
            action=KEYED_ACTION, after={"covered": covered, "head": prev},
            prev_hash=prev, hash=""))
    return head


def _seal(instance: str, key: bytes, length: int, head: str) -> dict[str, Any]:
    return {"instance": instance, "length": length, "head": head,
            "mac": seal_mac(key, instance, length, head)}


def _append(session: Session, head: _Head, event: AuditEvent) -> AuditEvent:
    event.prev_hash = head.prev
    # Hash the values as they will read back (UTC, microseconds kept).
    event.hash = event_hash(head.prev, event)
    event.mac = audit_key.mac(head.key, event.hash)
    session.add(event)
    session.flush()
    head.length, head.prev = head.length + 1, event.hash
    meta = AppMeta.__table__  # type: ignore[attr-defined]
    session.execute(update(meta).where(meta.c.key == CHAIN_META)
                    .values(value=_seal(head.instance, head.key, head.length, head.prev)))
    return event


def task_state(session: Session, task_id: int) -> dict[str, Any] | None:
    """The task's audited fields as the database holds them now (pending changes flushed)."""
    session.flush()
    names = task_fields()
    table = Task.__table__  # type: ignore[attr-defined]
    row = session.execute(select(*[table.c[n] for n in names]).where(table.c.id == task_id)).first()
    return None if row is None else {n: _jsonable(v) for n, v in zip(names, row, strict=True)}


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
    head = _lock_head(session)
    event = AuditEvent(
        occurred_at=clock.now(), actor_id=actor_id, entity=entity, entity_id=entity_id,
        task_id=task_id, action=action, before=before, after=after, prev_hash=head.prev, hash="",
        task_state=task_state(session, task_id) if task_id is not None else None,
    )
    return _append(session, head, event)


def record_many(session: Session, events: list[AuditEvent]) -> None:
    """Append many events at once (a bulk import): one chain lock, one INSERT, one seal.

    Each event is chained, hashed and signed exactly as ``record`` would; the caller sets
    ``task_state`` (the task's audited fields as written)."""
    if not events:
        return
    head = _lock_head(session)
    rows = []
    for event in events:
        event.prev_hash = head.prev
        event.hash = event_hash(head.prev, event)
        event.mac = audit_key.mac(head.key, event.hash)
        head.length, head.prev = head.length + 1, event.hash
        rows.append({name: getattr(event, name) for name in _EVENT_COLUMNS})
    session.execute(insert(AuditEvent), rows)
    meta = AppMeta.__table__  # type: ignore[attr-defined]
    session.execute(update(meta).where(meta.c.key == CHAIN_META)
                    .values(value=_seal(head.instance, head.key, head.length, head.prev)))


_EVENT_COLUMNS = ("occurred_at", "actor_id", "entity", "entity_id", "task_id", "action", "before",
                  "after", "prev_hash", "hash", "mac", "task_state")


def ensure_keyed(session: Session) -> str:
    """Key the database now if it is not yet (``init``); returns its instance id."""
    return _lock_head(session).instance


def review_anchor(session: Session, number: int) -> tuple[int, str]:
    """The anchor a closed review kept (the same one its bulletin printed)."""
    from coordboard.models import Review

    review = session.exec(select(Review).where(Review.number == number)).first()
    if review is None:
        raise DomainError("error.review_not_found", ref=number)
    if review.anchor_length is None or review.anchor_head is None:
        raise DomainError("error.audit_review_no_anchor", number=number)
    return review.anchor_length, review.anchor_head


def anchor(session: Session) -> tuple[int, str]:
    """The chain's (length, head hash) now: what a bulletin prints and a closed review keeps."""
    meta = _chain_meta(session)
    if meta is not None and "length" in meta:
        return int(meta["length"]), str(meta["head"])
    length = int(session.execute(select(func.count()).select_from(AuditEvent)).scalar_one())
    return length, _last_event(session)[1]


ANCHOR_RE = re.compile(
    r"(?:审计链|audit chain)\s*[:：]?\D*?(\d+)[^\n]*?(?<![0-9a-f])([0-9a-f]{64})(?![0-9a-f])",
    re.IGNORECASE)


def anchor_line(length: int, head: str) -> str:
    """The printable witness a bulletin carries, e.g. ``审计链：第 1234 条 末项 3f9a…`` (64 hex)."""
    return t("cli.audit_anchor_line", length=length, head=head)


def parse_anchor(text_: str) -> tuple[int, str] | None:
    """The last anchor line in a text (either language), or None."""
    found = ANCHOR_RE.findall(text_)
    if not found:
        return None
    length, head = found[-1]
    return int(length), head.lower()


def document_text(document: Any) -> str:
    """A python-docx document's text where an anchor may be printed: paragraphs, tables,
    headers and footers."""
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def read_anchor(path: Path) -> tuple[int, str]:
    """The anchor printed in a bulletin: a DOCX, a Markdown or a plain text file."""
    from docx.opc.exceptions import OpcError

    try:
        if path.suffix.lower() == ".docx":
            from docx import Document

            content = document_text(Document(str(path)))
        else:
            content = path.read_text(encoding="utf-8", errors="replace")
    except (OSError, ValueError, KeyError, OpcError) as exc:  # unreadable, or not a DOCX package
        raise DomainError("error.audit_anchor_unreadable", source=str(path), detail=str(exc)) from None
    found = parse_anchor(content)
    if found is None:
        raise DomainError("error.audit_anchor_not_found", source=str(path))
    return found


@dataclass
class Report:
    """What ``verify`` found. ``problem`` is a message key (None: intact) with ``params``."""

    checked: int = 0
    tasks: int = 0
    keyed: bool = False
    problem: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def bad_event(self) -> int | None:
        return self.params.get("event")

    def fail(self, problem: str, **params: Any) -> "Report":
        self.problem, self.params = problem, {"checked": self.checked, **params}
        return self


def verify(session: Session, *, anchor_at: tuple[int, str] | None = None,
           batch: int = 5000) -> Report:
    """Walk the chain in id order, then compare every task with its last event.

    Without ``anchor_at``: the database's key is required and every MAC and the seal
    are checked. With it: no key is used; the public chain must hold that head hash
    at that length (a bulletin's witness).
    """
    report = Report()
    key: bytes | None = None
    meta = _chain_meta(session)
    if anchor_at is None and meta is not None:
        instance = str(meta.get("instance", ""))
        key = audit_key.lookup(instance)
        if key is None:
            raise DomainError("error.audit_key_missing", instance=instance,
                              path=str(audit_key.key_file_path()))
        report.keyed = True
    if not _walk(session, report, key, anchor_at, batch):
        return report
    last_id, head = _last_event(session)
    if key is not None and meta is not None:
        instance = str(meta["instance"])
        length = meta.get("length")
        good = isinstance(length, int) and hmac.compare_digest(
            str(meta.get("mac", "")), seal_mac(key, instance, length, str(meta.get("head"))))
        if not good or not isinstance(length, int):
            return report.fail("error.audit_seal_bad")
        if length > report.checked:
            return report.fail("error.audit_truncated", event=last_id, sealed=length)
        if length != report.checked or meta.get("head") != head:
            return report.fail("error.audit_seal_bad")
    elif anchor_at is None and (session.execute(
            select(col(AuditEvent.id)).where(col(AuditEvent.mac).is_not(None)).limit(1)).first()
            or audit_key.instances_for(_database_name(session))):
        # Signed events, or a key made for this very database, but no identity: someone
        # removed it to pass the chain off as never keyed.
        return report.fail("error.audit_identity_lost")
    if anchor_at is not None and report.checked < anchor_at[0]:
        return report.fail("error.audit_anchor_short", length=anchor_at[0])
    _check_tasks(session, report)
    return report


def _walk(session: Session, report: Report, key: bytes | None,
          anchor_at: tuple[int, str] | None, batch: int) -> bool:
    """The chain pass; False when it found a problem (recorded in ``report``)."""
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    expected_prev = GENESIS
    signed_seen = False
    last_id = 0
    while True:
        # Plain rows, not ORM objects: a third of the time at 100k events.
        events = session.execute(
            select(table).where(table.c.id > last_id).order_by(table.c.id).limit(batch)
        ).all()
        if not events:
            return True
        for event in events:
            if event.prev_hash != expected_prev or event_hash(event.prev_hash, event) != event.hash:
                report.fail("error.audit_broken", event=event.id)
                return False
            if key is not None:
                if event.mac is None:
                    if signed_seen:  # an unkeyed event after keying: written without the key
                        report.fail("error.audit_mac_missing", event=event.id)
                        return False
                elif not hmac.compare_digest(event.mac, audit_key.mac(key, event.hash)):
                    report.fail("error.audit_mac_bad", event=event.id)
                    return False
                else:
                    signed_seen = True
            report.checked += 1
            if anchor_at is not None and report.checked == anchor_at[0] \
                    and event.hash != anchor_at[1]:
                report.checked -= 1
                report.fail("error.audit_anchor_mismatch", event=event.id, length=anchor_at[0],
                            actual=event.hash, expected=anchor_at[1])
                return False
            expected_prev = event.hash
            last_id = event.id or 0


def _check_tasks(session: Session, report: Report) -> None:
    """One streaming pass: each task joined to its latest event; the audited fields must agree.

    The latest event is found per task through the ``task_id`` index (a correlated
    ``max(id)``), which both backends run as an index lookup per task.
    """
    names = task_fields()
    table = Task.__table__  # type: ignore[attr-defined]
    events = AuditEvent.__table__  # type: ignore[attr-defined]
    newer = events.alias("newer")
    last_id = (select(func.max(newer.c.id)).where(newer.c.task_id == table.c.id)
               .correlate(table).scalar_subquery())
    query = (select(table.c.code, events.c.id, events.c.task_state, *[table.c[n] for n in names])
             .select_from(table.outerjoin(events, events.c.id == last_id))
             .order_by(table.c.id))
    dates = [i for i, n in enumerate(names) if isinstance(table.c[n].type, Date)]
    result = session.connection().execution_options(yield_per=2000).execute(query)
    for code, event_id, state, *values in result:
        if event_id is None:
            result.close()
            report.fail("error.audit_task_unrecorded", code=code)
            return
        if state is None:  # the task's last event predates task snapshots (before 0007)
            continue
        for i in dates:
            values[i] = values[i].isoformat() if values[i] is not None else None
        if [state.get(n) for n in names] != values:
            result.close()
            differs = [n for n, v in zip(names, values, strict=True) if state.get(n) != v]
            report.fail("error.audit_task_mismatch", code=code, event=event_id,
                        fields=", ".join(differs))
            return
        report.tasks += 1
