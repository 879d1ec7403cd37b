"""On PostgreSQL the application role does not own the tables (docs/postgresql-roles.sql):
it reads and writes rows, and cannot disable the audit trail's triggers."""

import re
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from coordboard.db import Database
from coordboard.migrate import ensure_schema
from coordboard.services import audit, directory

SCRIPT = Path(__file__).parent.parent / "docs" / "postgresql-roles.sql"
_n = count()


def _as(url: str, role: str) -> str:
    return url.replace("postgres@", f"{role}@", 1)


def _run_script(url: str, app_role: str) -> None:
    """What ``psql -v app=ROLE -f docs/postgresql-roles.sql`` does."""
    body = "\n".join(line for line in SCRIPT.read_text(encoding="utf-8").splitlines()
                     if not line.startswith("--"))
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        for statement in filter(str.strip, body.replace(':"app"', f'"{app_role}"').split(";")):
            conn.execute(text(statement))
    engine.dispose()


@pytest.mark.parametrize("statement", [
    "ALTER TABLE audit_event DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_event_append_only ON audit_event",
    "TRUNCATE audit_event",
    "DELETE FROM audit_event",
    "UPDATE audit_event SET action = 'forged'",
    "ALTER TABLE task ADD COLUMN x integer",
    "UPDATE alembic_version SET version_num = '0001'",
])
def test_app_role_works_but_cannot_touch_the_guards(pg_server, statement: str) -> None:
    if pg_server is None:
        pytest.skip("PostgreSQL binaries not found (set COORDBOARD_PG_BIN)")
    n = next(_n)
    owner, app, name = f"cb_owner_{n}", f"cb_app_{n}", f"roles_{n}"
    with pg_server.admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{owner}" LOGIN'))
        conn.execute(text(f'CREATE ROLE "{app}" LOGIN'))
        conn.execute(text(f'CREATE DATABASE "{name}" OWNER "{owner}"'))
    owner_url = _as(pg_server.url(name), owner)
    owner_db = Database.from_url(owner_url)
    ensure_schema(owner_db)
    with owner_db.write() as session:
        audit.ensure_keyed(session)  # what `coordboard init` does
    owner_db.dispose()
    _run_script(owner_url, app)

    app_db = Database.from_url(_as(pg_server.url(name), app))
    try:
        ensure_schema(app_db)  # already at head: only reads the version
        with app_db.write() as session:
            directory.add_department(session, name="司法所")
        with app_db.read() as session:
            assert audit.verify(session).problem is None
        with pytest.raises(DBAPIError) as refused, app_db.engine.begin() as conn:
            conn.execute(text(statement))
        assert re.search(r"permission denied|must be owner|append-only", str(refused.value))
    finally:
        app_db.dispose()
