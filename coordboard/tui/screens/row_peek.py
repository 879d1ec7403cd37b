"""One table row whole: every column's label and full text, the ones left out at this
width too. Space on any table opens it; Esc, space or Enter closes it."""

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from coordboard.i18n import t
from coordboard.tui.base import AppModal


class RowPeek(AppModal[None]):
    BINDINGS = [
        Binding("escape", "close", "tui.key.back"),
        Binding("space", "close", show=False),
        Binding("enter", "close", show=False),
    ]

    def __init__(self, fields: Sequence[tuple[str, Text]]) -> None:
        super().__init__()
        self.fields = list(fields)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="row-peek"):
            yield Static(Text(t("tui_layout.peek.title"), style="bold"), classes="dialog-title")
            body = Text()
            for label, value in self.fields:
                body.append(label + t("tui.colon"), style="bold")
                body.append_text(value)
                body.append("\n")
            body.rstrip()
            yield Static(body, id="row-peek-body")

    def action_close(self) -> None:
        self.dismiss(None)
