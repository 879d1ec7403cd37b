"""A strip at the foot of a screen while a file is being written in a worker thread: what
is being written, a moving bar and, for the ledger, the rows written so far of how many
(the bar then fills as they are written). The screen
stays usable; when the file is done the app says so in a notification naming it."""

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
        self.query_one("#export-what", Label).update(what)
        self.query_one("#export-rows", Label).update("")
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.add_class("-running")

    def rows(self, written: int, total: int) -> None:
        """Called (through the app) from the worker every thousand rows."""
        self.query_one("#export-rows", Label).update(t("tui.export.rows", rows=written,
                                                       total=total))
        self.query_one(ProgressBar).update(total=max(total, 1), progress=written)

    def stop(self) -> None:
        self.remove_class("-running")
