"""Migrations: empty → head on both backends, schema equals the models, newer databases refused."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlmodel import SQLModel

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
