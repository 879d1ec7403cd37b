"""Help: what each screen's keys do, and where to find the rest (the command palette)."""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from coordboard.i18n import t
from coordboard.tui.base import AppModal

SECTIONS = ("global", "home", "board", "task", "form", "register")


class HelpScreen(AppModal[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "tui.key.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield Label(t("tui.help.title"), classes="dialog-title")
            body = Text()
            for section in SECTIONS:
                body.append(t(f"tui.help.{section}.title") + "\n", style="bold")
                body.append(t(f"tui.help.{section}.keys") + "\n\n")
            body.append(t("tui.help.footer"), style="italic")
            yield Static(body)
