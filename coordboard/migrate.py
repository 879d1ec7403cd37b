"""Bring a database to the code's schema, or refuse one that is newer than the code."""

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import OperationalError, ProgrammingError

from coordboard.db import Database, _first_line
from coordboard.errors import DatabaseError


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("coordboard") / "migrations"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


def current_revision(db: Database) -> str | None:
    try:
        with db.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except OperationalError as exc:
        raise DatabaseError(
            "error.db_unreachable", url=db.display_url, detail=_first_line(exc)
        ) from None


def ensure_schema(db: Database) -> str:
    """Upgrade to head if behind; raise if the database was made by a newer coordboard."""
    current = current_revision(db)
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    if current == head:
        return head or ""
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise DatabaseError("error.db_newer", revision=current, head=head)
    upgrade(db)
    return head or ""


def upgrade(db: Database, target: str = "head") -> None:
    config = alembic_config()
    try:
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, target)
    except (OperationalError, ProgrammingError) as exc:
        raise DatabaseError("error.db_migrate", detail=_first_line(exc)) from None
