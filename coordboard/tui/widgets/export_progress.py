"""A strip at the foot of a screen while a file is being written in a worker thread: what
is being written, a moving bar and, for the ledger, the rows written so far of how many
(the bar then fills as they are written). The screen stays usable; when the file is done
the app says so in a notification naming it.

``start`` is called on the app's thread; the writer's thread then calls ``told`` (the
writer's ``progress``) and ``done``, which reach the strip through the app, and only while
it is on screen (the user may have left the screen meanwhile)."""

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from coordboard.i18n import t


class ExportProgress(Horizontal):
    DEFAULT_CSS = """
    ExportProgress { height: 1; display: none; }
    ExportProgress.-running { display: block; }
    ExportProgress Label { width: auto; padding: 0 1; }
    ExportProgress ProgressBar { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Label("", markup=False, id="export-what")
        yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="export-bar")
        yield Label("", markup=False, id="export-rows")

    def start(self, what: str) -> None:
        self._app: Any = self.app  # kept for the writer's thread, which cannot look it up
        self.query_one("#export-what", Label).update(what)
        self.query_one("#export-rows", Label).update("")
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.add_class("-running")

    def told(self, written: int, total: int) -> None:
        """From the writer's thread: ``written`` rows of ``total`` are written."""
        self._app.call_from_thread(self._rows, written, total)

    def done(self) -> None:
        """From the writer's thread: the file is written, or failed."""
        self._app.call_from_thread(self._stop)

    def _rows(self, written: int, total: int) -> None:
        if self.is_attached:
            self.query_one("#export-rows", Label).update(t("tui.export.rows", rows=written,
                                                           total=total))
            self.query_one(ProgressBar).update(total=max(total, 1), progress=written)

    def _stop(self) -> None:
        if self.is_attached:
            self.remove_class("-running")
