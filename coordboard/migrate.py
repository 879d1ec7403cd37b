"""Bring a database to the code's schema, or refuse one that is newer than the code.

Alembic is imported only when a migration has to run: every command checks the
schema, and importing Alembic costs more than the rest of a ``task list``.
"""

from importlib.resources import files
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import OperationalError, ProgrammingError

from coordboard.db import Database, first_line
from coordboard.errors import DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

# The newest revision in migrations/versions; a test checks it equals Alembic's head.
SCHEMA_HEAD = "0008"


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


def current_revision(db: Database) -> str | None:
    try:
        with db.engine.connect() as conn:
            if not db.engine.dialect.has_table(conn, "alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError as exc:
        raise DatabaseError(
            "error.db_unreachable", url=db.display_url, detail=first_line(exc)
        ) from None


def ensure_schema(db: Database) -> str:
    """Upgrade to head if behind; raise if the database was made by a newer coordboard."""
    current = current_revision(db)
    if current == SCHEMA_HEAD:
        return current
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    if current == head:
        return head or ""
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise DatabaseError("error.db_newer", revision=current, head=head)
    upgrade(db)
    return head or ""


def upgrade(db: Database, target: str = "head") -> None:
    from alembic import command

    config = alembic_config()
    try:
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, target)
    except (OperationalError, ProgrammingError) as exc:
        raise DatabaseError("error.db_migrate", detail=first_line(exc)) from None
