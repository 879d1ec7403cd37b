"""Help: every screen's keys and what they do, and where to find the rest (the palette).

Each section is a two-column grid: a key never wraps and its meaning wraps in its own
column, so a key and its meaning are never split across lines at any width.
"""

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from coordboard.i18n import CATALOGUES, t
from coordboard.tui.base import AppModal

SECTIONS = ("global", "home", "board", "task", "review", "scores", "form", "register")


def pairs(section: str) -> list[tuple[str, str]]:
    """(key, meaning) of a section, in the current language."""
    return [(key, meaning) for key, _, meaning in
            (line.partition("\t") for line in t(f"tui.help.{section}").splitlines())]


def section_body(section: str) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(ratio=1)
    for key, meaning in pairs(section):
        grid.add_row(key, meaning)
    parts: list[RenderableType] = [Text(t(f"tui.help.{section}.title"), style="bold underline"), grid]
    if f"tui.help.{section}.note" in CATALOGUES["zh"]:
        parts.append(Text(t(f"tui.help.{section}.note"), style="italic"))
    return Group(*parts, Text(""))


class HelpScreen(AppModal[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "tui.key.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield Label(t("tui.help.title"), classes="dialog-title")
            for section in SECTIONS:
                yield Static(section_body(section), classes="help-section")
            yield Static(Text(t("tui.help.footer"), style="italic"))
