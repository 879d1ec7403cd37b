"""What every command shares: settings, and a database opened (and migrated) on first use.

Nothing of the database layer is imported until a command needs it: ``coordboard --version``
and ``--help`` load no SQLAlchemy."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from coordboard.config import Settings
    from coordboard.db import Database
    from coordboard.services.permissions import Actor


@dataclass
class CliContext:
    settings: "Settings"
    _db: "Database | None" = field(default=None, repr=False)
    _actor: "Actor | None" = field(default=None, repr=False)

    def database(self, *, migrate: bool = True, initialise_empty: bool = False) -> "Database":
        """``initialise_empty``: a 0-byte SQLite file may become a database (``init`` only)."""
        if self._db is None:
            from coordboard.db import Database
            from coordboard.migrate import ensure_schema, refuse_empty_file

            db = Database.from_url(self.settings.database_url,
                                   connect_timeout=self.settings.db_connect_timeout,
                                   statement_timeout=self.settings.db_statement_timeout)
            refuse_empty_file(db, initialise_empty=initialise_empty)  # before connecting
            db.check_connection()
            if migrate:
                ensure_schema(db, initialise_empty=initialise_empty)
            self._db = db
        return self._db

    def actor(self) -> "Actor":
        """The logged-in user for this database (every command but a few public ones needs one)."""
        from coordboard import token_store
        from coordboard.services.auth import authenticate

        if self._actor is None:
            db = self.database()
            with db.read() as session:
                self._actor = authenticate(session, token_store.load(self.settings.database_url))
        return self._actor

    def today(self) -> "date":
        """Today in the office's time zone."""
        from coordboard import clock  # pendulum: loaded by the commands that need today only

        return clock.today(self.settings.timezone)

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
