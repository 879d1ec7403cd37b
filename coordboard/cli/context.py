"""What every command shares: settings, and a database opened (and migrated) on first use."""

from dataclasses import dataclass, field

from coordboard.config import Settings
from coordboard.db import Database


@dataclass
class CliContext:
    settings: Settings
    _db: Database | None = field(default=None, repr=False)

    def database(self, *, migrate: bool = True) -> Database:
        if self._db is None:
            from coordboard.migrate import ensure_schema

            db = Database.from_url(self.settings.database_url)
            db.check_connection()
            if migrate:
                ensure_schema(db)
            self._db = db
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
