"""A yes/no question before a step the office should not take by accident."""

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from coordboard.i18n import t
from coordboard.tui.base import AppModal


class ConfirmDialog(AppModal[bool]):
    """Dismisses with True only when the user chose yes; Escape or No is False."""

    AUTO_FOCUS = "#confirm-no"  # Enter on an opened dialog never confirms by accident
    BINDINGS = [Binding("escape", "no", "tui.key.cancel")]

    def __init__(self, title: str, question: str) -> None:
        super().__init__()
        self.title_text, self.question = title, question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield Static(Text(self.question), id="confirm-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("tui.confirm.yes"), variant="warning", id="confirm-yes")
                yield Button(t("tui.confirm.no"), id="confirm-no")

    @on(Button.Pressed, "#confirm-yes")
    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def action_no(self) -> None:
        self.dismiss(False)
