"""The keyed audit chain (issue 10 item 3): forgery is found with the key, and against an
anchor printed outside the database without it, on SQLite and PostgreSQL.

Each tamper case is what someone with write access to the database can do once the
append-only triggers are dropped (SQLite) or disabled (PostgreSQL, by a table owner).
"""

import os
import stat
from datetime import date

import pytest
from sqlalchemy import insert, text
from sqlmodel import Session, col, select

from coordboard import audit_key
from coordboard.db import Database
from coordboard.enums import Role
from coordboard.errors import DomainError
from coordboard.models import AuditEvent, Task
from coordboard.services import audit, directory, review, tasks
from coordboard.services.permissions import Actor

TODAY = date(2026, 11, 25)


def _build(db: Database) -> None:
    with db.write() as session:
        unit = directory.add_department(session, name="司法所").id or 0
        for n in range(3):
            tasks.register(session, actor_id=None, title=f"任务{n}", today=TODAY,
                           lead=tasks.UnitAssignment(unit), deadline=date(2027, 1, n + 1))
    with db.write() as session:
        task = session.exec(select(Task).order_by(col(Task.id))).first()
        assert task is not None
        tasks.edit(session, task=task, actor_id=None, changes={"title": "任务改名"}, today=TODAY)


def _unguard(db: Database) -> None:
    with db.engine.begin() as conn:
        if db.backend == "sqlite":
            conn.execute(text("DROP TRIGGER audit_event_no_update"))
            conn.execute(text("DROP TRIGGER audit_event_no_delete"))
        else:
            conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER ALL"))


def _rehash(session: Session) -> None:
    """What the attacker does next: recompute the public chain over the edited rows."""
    prev = audit.GENESIS
    for event in session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all():
        event.prev_hash, event.hash = prev, audit.event_hash(prev, event)
        prev = event.hash
        session.add(event)


def _ids(session: Session) -> list[int]:
    return [i or 0 for i in session.exec(select(AuditEvent.id).order_by(col(AuditEvent.id))).all()]


def _edit(db: Database) -> int:
    with db.write() as session:
        event = session.get(AuditEvent, _ids(session)[1])
        assert event is not None
        event.after = {**(event.after or {}), "title": "伪造"}
        session.add(event)
        session.flush()
        _rehash(session)
        return event.id or 0


def _delete_middle(db: Database) -> int:
    with db.write() as session:
        ids = _ids(session)
        session.execute(text("DELETE FROM audit_event WHERE id = :i"), {"i": ids[1]})
        _rehash(session)
        return ids[2]


def _delete_newest(db: Database) -> int:
    with db.write() as session:
        ids = _ids(session)
        session.execute(text("DELETE FROM audit_event WHERE id >= :i"), {"i": ids[-2]})
        return ids[-3]


def _append(db: Database) -> int:
    with db.write() as session:
        last = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
        assert last is not None
        forged = AuditEvent(occurred_at=last.occurred_at, actor_id=None, entity="task",
                            entity_id=1, task_id=None, action="accept", prev_hash=last.hash,
                            hash="", mac=last.mac)  # a MAC copied from a real event
        forged.hash = audit.event_hash(last.hash, forged)
        session.add(forged)
        session.flush()
        return forged.id or 0


def _edit_task(db: Database) -> int:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE task SET deadline = :d WHERE id = (SELECT max(id) FROM task)"),
                     {"d": date(2099, 12, 31)})
    return 0


CASES = {
    # tamper: (with the key: problem, without the key against an earlier anchor: problem)
    "edit_and_rehash": (_edit, "error.audit_mac_bad", "error.audit_anchor_mismatch"),
    "delete_and_rehash": (_delete_middle, "error.audit_mac_bad", "error.audit_anchor_short"),
    "delete_newest": (_delete_newest, "error.audit_truncated", "error.audit_anchor_short"),
    # An event appended after a bulletin is printed is outside that bulletin's witness:
    # only the key (or the next bulletin) finds it.
    "append_forged": (_append, "error.audit_mac_bad", None),
    "edit_task_row": (_edit_task, "error.audit_task_mismatch", "error.audit_task_mismatch"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_tampering_is_found_with_the_key_and_against_an_anchor(db: Database, case: str) -> None:
    tamper, with_key, with_anchor = CASES[case]
    _build(db)
    with db.read() as session:
        intact = audit.verify(session)
        assert intact.problem is None and intact.keyed and intact.tasks == 3
        witness = audit.anchor(session)
        assert audit.verify(session, anchor_at=witness).problem is None
    _unguard(db)
    bad_event = tamper(db)
    with db.read() as session:
        found = audit.verify(session)
    assert found.problem == with_key, found
    if bad_event:
        assert found.bad_event == bad_event
    # Someone without the key, holding only the printed bulletin:
    audit_key.clear_cache()
    audit_key.key_file_path().unlink()
    with db.read() as session:
        against = audit.verify(session, anchor_at=witness)
    assert against.problem == with_anchor, against


def test_a_writer_without_the_key_refuses_and_writes_nothing(db: Database) -> None:
    _build(db)
    with db.read() as session:
        before = len(_ids(session))
        exported = audit_key.export_entry(audit.instance_id(session) or "")
    audit_key.clear_cache()
    audit_key.key_file_path().unlink()
    with pytest.raises(DomainError) as refused, db.write() as session:
        directory.add_department(session, name="派出所")
    assert refused.value.key == "error.audit_key_missing"
    assert "coordboard audit key import" in str(refused.value)
    with db.read() as session:
        assert len(_ids(session)) == before
        with pytest.raises(DomainError):
            audit.verify(session)
    audit_key.import_entry(exported)  # carried over from the PC that holds it
    with db.write() as session:
        directory.add_department(session, name="派出所")
    with db.read() as session:
        assert audit.verify(session).problem is None


def test_key_file_is_private_and_outside_the_database(db: Database) -> None:
    _build(db)
    path = audit_key.key_file_path()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with db.read() as session:
        instance = audit.instance_id(session)
        key = audit_key.lookup(instance or "")
        assert key is not None
        dump = " ".join(str(v) for v in session.execute(text("SELECT * FROM app_meta")).all())
    assert key.hex() not in dump


def test_an_existing_chain_is_keyed_on_first_use(db: Database) -> None:
    """Events written before the key existed are covered by the keying event's MAC."""
    rows, prev = [], audit.GENESIS
    for n in range(3):
        event = AuditEvent(occurred_at=audit.clock.now(), actor_id=None, entity="test",
                           entity_id=n, action="create", prev_hash=prev, hash="")
        event.hash = prev = audit.event_hash(prev, event)
        rows.append(event.model_dump(exclude={"id", "mac", "task_state"}))
    with db.write() as session:
        session.execute(insert(AuditEvent), rows)
    with db.write() as session:
        directory.add_department(session, name="司法所")
    with db.read() as session:
        events = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
        keyed = events[3]
        assert keyed.action == audit.KEYED_ACTION and keyed.after == {"covered": 3, "head": prev}
        assert [e.mac is None for e in events] == [True, True, True, False, False]
        assert audit.verify(session).problem is None
        first_legacy = events[0].id
    _unguard(db)
    with db.write() as session:
        event = session.get(AuditEvent, first_legacy)
        assert event is not None
        event.action = "forged"
        session.add(event)
        session.flush()
        _rehash(session)
    with db.read() as session:
        found = audit.verify(session)
    assert found.problem == "error.audit_mac_bad" and found.bad_event == keyed.id


def test_a_task_written_around_the_application_is_found(db: Database) -> None:
    _build(db)
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO task (code, year, seq, title, description, source, category, priority,"
            " leader, deadline, original_deadline, deadline_rule, status, return_count,"
            " created_at, updated_at, version) SELECT 'DB-2026-999', year, 999, title,"
            " description, source, category, priority, leader, deadline, original_deadline,"
            " deadline_rule, status, return_count, created_at, updated_at, 1 FROM task"
            " WHERE id = (SELECT min(id) FROM task)"))
    with db.read() as session:
        found = audit.verify(session)
    assert found.problem == "error.audit_task_unrecorded" and found.params["code"] == "DB-2026-999"


def test_a_closed_review_keeps_the_anchor_of_its_closing(db: Database, settings) -> None:
    _build(db)
    with db.write() as session:
        office = directory.add_user(session, username="office", display_name="法治办",
                                    role="office", password="secret123")
    actor = Actor(user_id=office.id or 0, username="office", role=Role.OFFICE, department_id=None)
    with db.write() as session:
        started = review.start(session, actor=actor, settings=settings, attendees="张三")
    with db.write() as session:
        closed = review.close(session, actor=actor, review_id=started.id or 0, attendees="张三",
                              force=True)
    with db.read() as session:
        assert (closed.anchor_length, closed.anchor_head) == audit.anchor(session)
        assert audit.review_anchor(session, closed.number or 0) == audit.anchor(session)
        last = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
        assert last is not None and last.action == "review_close"
        assert closed.anchor_head == last.hash


def test_stripping_the_keys_identity_does_not_pass_the_chain_off_as_never_keyed(
        db: Database) -> None:
    _build(db)
    _unguard(db)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM app_meta WHERE key = :k"), {"k": audit.CHAIN_META})
        conn.execute(text("UPDATE audit_event SET mac = NULL"))
    with db.read() as session:
        assert audit.verify(session).problem == "error.audit_identity_lost"


def test_an_action_refused_for_want_of_the_key_says_so_not_that_someone_else_changed_it(
        db: Database) -> None:
    """The action's own writes bump the task's version before the audit record refuses:
    that is not another writer (the trial saw "已被…修改，请刷新后再操作" on every task)."""
    from coordboard.config import Settings
    from coordboard.services import workflow
    from coordboard.services.workflow import ConflictError

    _build(db)
    with db.read() as session:
        code = session.exec(select(Task.code).order_by(col(Task.id))).first() or ""
    audit_key.clear_cache()
    audit_key.key_file_path().unlink()
    office = Actor(0, "office", Role.OFFICE, None)
    with pytest.raises(DomainError) as refused, db.write() as session:
        workflow.dispatch(session, actor=office, code=code, settings=Settings())
    assert not isinstance(refused.value, ConflictError)
    assert refused.value.key == "error.audit_key_missing"
