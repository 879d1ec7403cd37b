"""Migrations: empty → head on both backends, schema equals the models, newer databases refused."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlmodel import SQLModel, select

import coordboard.models  # noqa: F401
from coordboard import clock
from coordboard.db import Database
from coordboard.errors import DatabaseError
from coordboard.migrate import current_revision, ensure_schema, head_revision
from coordboard.services import audit


def test_upgrade_from_empty_matches_models(empty_db_url: str) -> None:
    db = Database.from_url(empty_db_url)
    assert current_revision(db) is None
    assert ensure_schema(db) == head_revision()
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
        )
    db.dispose()
    assert diff == []


def test_ensure_schema_is_idempotent(db: Database) -> None:
    assert ensure_schema(db) == head_revision()
    assert ensure_schema(db) == head_revision()


def test_database_newer_than_code_is_refused(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'fffffffffff9'"))
    with pytest.raises(DatabaseError) as caught:
        ensure_schema(db)
    assert "fffffffffff9" in str(caught.value)
    assert "升级 coordboard" in str(caught.value)


@pytest.mark.parametrize("statement", [
    "UPDATE audit_event SET action = 'forged'",
    "DELETE FROM audit_event",
])
def test_audit_table_is_append_only_in_the_database(db: Database, statement: str) -> None:
    with db.write() as session, clock.at(clock.now()):
        audit.record(session, actor_id=None, entity="test", entity_id=1, action="create")
    with pytest.raises(SADatabaseError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement))
    with db.read() as session:
        assert session.execute(text("SELECT action FROM audit_event")).scalars().all() == ["create"]


def test_schema_head_constant_matches_alembic() -> None:
    from coordboard.migrate import SCHEMA_HEAD

    assert SCHEMA_HEAD == head_revision()


def _closed_and_open_review(db: Database) -> tuple[int, int]:
    """Review 1 closed, review 2 open; both with agenda items (ids returned in that order)."""
    from coordboard.config import Settings
    from coordboard.services import review
    from tests.town import build_town

    town = build_town(db)
    with db.write() as session:
        first = review.start(session, actor=town.office, settings=Settings(), attendees="张三")
    with db.write() as session:
        review.close(session, actor=town.office, review_id=first.id or 0, attendees="",
                     force=True)
    with db.write() as session:
        second = review.start(session, actor=town.office, settings=Settings(), attendees="李四",
                              again=True)
    return first.id or 0, second.id or 0


@pytest.mark.parametrize("move", ["into", "out of"])
def test_items_cannot_be_moved_into_or_out_of_a_closed_review(db: Database, frozen,
                                                              move: str) -> None:
    """Rule: a closed review is frozen, including which items belong to it (issue 10 item 4)."""
    closed, opened = _closed_and_open_review(db)
    source, target = (opened, closed) if move == "into" else (closed, opened)
    with db.read() as session:
        counts = dict(session.execute(text(
            "SELECT review_id, count(*) FROM review_item GROUP BY review_id")).all())
    assert counts[closed] > 0 and counts[opened] > 0
    with pytest.raises(SADatabaseError, match="closed review is immutable"), \
            db.engine.begin() as conn:
        conn.execute(text(f"UPDATE review_item SET review_id = {target} "
                          f"WHERE review_id = {source}"))
    with db.read() as session:
        assert dict(session.execute(text(
            "SELECT review_id, count(*) FROM review_item GROUP BY review_id")).all()) == counts


@pytest.mark.parametrize("statement", [
    "TRUNCATE review_item", "TRUNCATE review CASCADE", "TRUNCATE audit_event"])
def test_postgresql_refuses_truncating_the_record(db: Database, frozen, statement: str) -> None:
    """Rule: TRUNCATE fires no row trigger, so the record refuses it by statement trigger."""
    if db.backend != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    _closed_and_open_review(db)
    with pytest.raises(SADatabaseError, match="immutable|append-only"), db.engine.begin() as conn:
        conn.execute(text(statement))
    with db.read() as session:
        assert session.execute(text("SELECT count(*) FROM review_item")).scalar()


def test_one_pending_extension_request_per_task_is_a_database_rule(db: Database, frozen) -> None:
    """Rule: two pending extension requests on one task cannot exist (issue 10 item 1)."""
    from sqlalchemy.exc import IntegrityError

    from tests.town import build_town

    town = build_town(db)  # T4 has a pending request
    with db.read() as session:
        task_id, department_id = session.execute(text(
            "SELECT task_id, department_id FROM extension_request WHERE state = 'pending'")).one()
    row = ("INSERT INTO extension_request (task_id, department_id, old_deadline, new_deadline, "
           "reason, state, created_at) VALUES (:t, :d, '2026-12-04', '2026-12-25', 'x', :s, "
           "'2026-11-25 01:00:00')")
    with db.engine.begin() as conn:  # a decided one beside it is fine
        conn.execute(text(row), {"t": task_id, "d": department_id, "s": "refused"})
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(text(row), {"t": task_id, "d": department_id, "s": "pending"})
    assert town.codes


def test_revision_0005_downgrades_and_upgrades_again(db: Database) -> None:
    from alembic import command

    from coordboard.migrate import alembic_config, upgrade

    config = alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0004")
    assert current_revision(db) == "0004"
    upgrade(db)
    assert current_revision(db) == head_revision()


def test_revision_0009_downgrades_and_upgrades_again(db: Database, frozen) -> None:
    """The message columns go and come back, over the closed-review triggers; a typed
    decision survives both ways, and after upgrading again a message is stored."""
    from alembic import command
    from sqlalchemy import inspect

    from coordboard.config import Settings
    from coordboard.enums import Role
    from coordboard.migrate import alembic_config, upgrade
    from coordboard.models import ReviewItem
    from coordboard.services import agenda, review
    from coordboard.services.permissions import Actor
    from coordboard.services.tasks import UnitAssignment

    _, open_id = _closed_and_open_review(db)
    office = Actor(1, "office", Role.OFFICE, None)  # the town's office user
    with db.read() as session:
        first, second = session.exec(select(ReviewItem.id).where(ReviewItem.review_id == open_id)
                                     .order_by(ReviewItem.position).limit(2)).all()
    with db.write() as session:
        review.record_decision(session, actor=office, settings=Settings(), item_id=first or 0,
                               text="继续督办")
    config = alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0008")
    assert current_revision(db) == "0008"
    with db.engine.connect() as conn:
        for table, column in (("review_item", "decision_message"), ("task", "description_message"),
                              ("supervision_note", "body_message")):
            assert column not in {c["name"] for c in inspect(conn).get_columns(table)}
        assert conn.execute(text("SELECT decision FROM review_item WHERE id = :i"),
                            {"i": first}).scalar_one() == "继续督办"
    upgrade(db)
    assert current_revision(db) == head_revision()
    with db.write() as session:
        review.spawn_task(session, actor=office, settings=Settings(), item_id=second or 0,
                          title="新事项", lead=UnitAssignment(1), workdays=5)
    with db.read() as session:
        kept, spawned = session.get(ReviewItem, first), session.get(ReviewItem, second)
        assert kept is not None and agenda.decision_text(kept) == "继续督办"
        assert spawned is not None and spawned.decision_message is not None
