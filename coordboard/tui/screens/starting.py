"""What shows while the start asks the database whether this is a first run and whether
a remembered login is still valid: a loading indicator, and the app's keys (help, quit,
the palette) still answer."""

from textual.app import ComposeResult
from textual.widgets import LoadingIndicator, Static

from coordboard.i18n import t
from coordboard.tui.base import AppScreen


class StartingScreen(AppScreen[None]):
    # No Header or Footer: this screen may close before they finish mounting (a fast
    # database), and Header's mount task then fails looking for its title.
    def compose(self) -> ComposeResult:
        yield Static(t("tui.perf.starting"), id="starting-text", markup=False)
        yield LoadingIndicator(id="starting")
