"""Whether two connections to one SQLite file read the same state of it.

SQLite cannot hand a snapshot to another connection, so it is checked: ``PRAGMA
data_version`` on a connection of its own changes when anyone else commits. Read before the
first of two snapshots begins and again once the second has begun, an unchanged value means
nobody committed in between, so both read the same state. Used where work on one file is
shared between connections (the ledger's second process, the scoreboard's second reader).
"""

import sqlite3
from pathlib import Path


class StateWatch:
    def __init__(self, probe: sqlite3.Connection, before: int) -> None:
        self._probe, self._before = probe, before

    @classmethod
    def open(cls, file: Path) -> "StateWatch | None":
        """Watching starts now; None when the file cannot be watched (then one connection
        does the work, as ever)."""
        try:
            probe = sqlite3.connect(f"{file.as_uri()}?mode=ro", uri=True)
        except sqlite3.Error:
            return None
        try:
            return cls(probe, _data_version(probe))
        except sqlite3.Error:
            probe.close()
            return None

    def unchanged(self) -> bool:
        """Nobody committed since watching started (an error counts as a change)."""
        try:
            return _data_version(self._probe) == self._before
        except sqlite3.Error:
            return False

    def close(self) -> None:
        self._probe.close()


def _data_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA data_version").fetchone()[0])
