"""Files the interface writes (bulletins, ledgers, score sheets): their names, and what
the user is told when writing one fails."""

from pathlib import Path

from coordboard import clock, paths
from coordboard.db import SQLAlchemyError, first_line
from coordboard.errors import CoordboardError
from coordboard.i18n import t


def stamped(stem: str, timezone: str, suffix: str) -> Path:
    """``exports/<stem>-YYYYMMDD-HHMMSS<suffix>`` in local time: earlier exports are kept."""
    moment = clock.local(clock.now(), timezone).format("YYYYMMDD-HHmmss")
    return paths.exports_dir() / f"{stem}-{moment}{suffix}"


def failure_message(exc: Exception) -> str:
    if isinstance(exc, CoordboardError):
        return str(exc)
    if isinstance(exc, SQLAlchemyError):
        return t("error.db_refused", detail=first_line(exc))
    return t("tui.export.failed", detail=first_line(exc))  # e.g. a full disk, a locked file
