"""Files the interface writes (bulletins, ledgers, score sheets): their names, what the
user is told when one is written or writing it fails, and how a browser user gets it."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from coordboard import clock, paths
from coordboard.db import SQLAlchemyError, first_line
from coordboard.errors import CoordboardError
from coordboard.files import remove_stale_temporaries, write_failure
from coordboard.i18n import listing, t


def stamped(stem: str, timezone: str, suffix: str) -> Path:
    """``exports/<stem>-YYYYMMDD-HHMMSS<suffix>`` in local time: earlier exports are kept
    (and what exports killed more than an hour ago left behind is removed)."""
    remove_stale_temporaries(paths.exports_dir())
    moment = clock.local(clock.now(), timezone).format("YYYYMMDD-HHmmss")
    return paths.exports_dir() / f"{stem}-{moment}{suffix}"


def failure_message(exc: Exception) -> str:
    if isinstance(exc, CoordboardError):
        return str(exc)
    if isinstance(exc, SQLAlchemyError):
        return t("error.db_refused", detail=first_line(exc))
    if isinstance(exc, OSError):  # a full disk, a file open in Excel, exports/ not a folder
        return write_failure(exc)
    return t("tui.export.failed", detail=first_line(exc))


def hand_over(app: Any, message: str, *paths: Path) -> None:
    """Tell the user the files are written (on the UI thread). In a browser session
    (``coordboard serve``) they were written on the server's disk, which the user cannot
    open: each is sent to the browser as a download, and the message says so."""
    if getattr(app, "served", False):
        for path in paths:
            app.deliver_binary(path, save_filename=path.name)
        message = t("tui.export.downloading", names=listing(path.name for path in paths))
    app.notify(message, markup=False, timeout=10)


def write_in_worker(screen: Any, what: str, target: Path,
                    write: Callable[[Any, Path], None]) -> None:
    """One document written off the UI thread: ``write(session, path)`` reads what it needs
    in a read session and writes ``target``; the user is told where it is, or why not."""
    app = screen.board_app

    def work() -> None:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with app.db.read() as session:
                write(session, target)
        except (CoordboardError, SQLAlchemyError, OSError, ValueError) as exc:
            app.call_from_thread(app.notify, failure_message(exc), severity="error",
                                 markup=False, timeout=10)
            return
        app.call_from_thread(hand_over, app, t("report.written", what=what, path=str(target)),
                             target)

    screen.run_worker(work, thread=True, group="paperwork")
