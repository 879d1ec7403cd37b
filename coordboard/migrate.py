"""Bring a database to the code's schema, or refuse one that is newer than the code.

Alembic is imported only when a migration has to run: every command checks the
schema, and importing Alembic costs more than the rest of a ``task list``.
"""

from importlib.resources import files
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError, ProgrammingError

from coordboard.db import Database, first_line, opening_error
from coordboard.errors import DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

# The newest revision in migrations/versions; a test checks it equals Alembic's head.
SCHEMA_HEAD = "0020"


def alembic_config() -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("coordboard") / "migrations"))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


# pg_advisory_xact_lock key for "a coordboard migration is running" (any constant would do).
MIGRATION_LOCK = 0x636F6F7264  # "coord"


def _revision_on(conn: Connection) -> str | None:
    if not conn.dialect.has_table(conn, "alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def current_revision(db: Database) -> str | None:
    try:
        with db.engine.connect() as conn:
            return _revision_on(conn)
    except SADatabaseError as exc:
        raise opening_error(db, exc) from None


def _refuse_foreign(db: Database, ours: set[str]) -> None:
    """A database without coordboard's revision table but with tables of its own is someone
    else's: refuse it rather than add our tables beside theirs."""
    with db.engine.connect() as conn:
        tables = sorted(inspect(conn).get_table_names())
        # Another coordboard may have created the schema since we looked for its revision
        # (several processes opening a new database at once): then it is ours after all.
        if tables and _revision_on(conn) in ours:
            return
    if tables:
        raise DatabaseError("error.db_foreign", url=db.display_url, tables=", ".join(tables[:5]))


def refuse_empty_file(db: Database, *, initialise_empty: bool = False) -> None:
    """Refuse a SQLite file that was 0 bytes when opened. Call it before the first
    connection: connecting writes a header, and the file would no longer look empty."""
    if db.file_was_empty and not initialise_empty:
        raise DatabaseError("error.db_empty_file", path=str(db.sqlite_file))


def ensure_schema(db: Database, *, initialise_empty: bool = False) -> str:
    """Upgrade to head if behind; raise if the database was made by a newer coordboard.

    A database is only created where there was none: a 0-byte SQLite file is refused
    unless ``initialise_empty`` (``coordboard init``), a file that is not SQLite and a
    database holding other tables are refused always.
    """
    refuse_empty_file(db, initialise_empty=initialise_empty)
    current = current_revision(db)
    if current == SCHEMA_HEAD:
        return current
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    if current == head:
        return head or ""
    ours = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in ours:
        raise DatabaseError("error.db_newer", revision=current, head=head)
    if current is None:
        _refuse_foreign(db, ours)
    upgrade(db)
    return head or ""


def upgrade(db: Database, target: str = "head") -> None:
    """Run the migrations, one process at a time.

    Several processes opening a new database at once must not all create its
    tables: the first takes a lock (PostgreSQL: a transaction-level advisory lock;
    SQLite: the write lock of a ``BEGIN IMMEDIATE`` transaction), the others wait
    for it and then find the schema already at head.
    """
    from alembic import command

    config = alembic_config()
    try:
        with db.write_engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SET LOCAL statement_timeout = 0"))
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            if target == "head" and _revision_on(conn) == head_revision():
                return
            config.attributes["connection"] = conn
            command.upgrade(config, target)
    except (OperationalError, ProgrammingError) as exc:
        raise DatabaseError("error.db_migrate", detail=first_line(exc)) from None
