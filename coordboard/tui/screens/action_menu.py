"""A keyboard menu of a task's actions; unavailable ones are listed with the reason."""

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from coordboard.i18n import t
from coordboard.safe_text import visible
from coordboard.services.detail import ActionState
from coordboard.tui import format as fmt
from coordboard.tui.base import AppModal
from coordboard.tui.screens.form_fit import FitsTheScreen


class ActionMenu(FitsTheScreen, AppModal[str | None]):
    AUTO_FOCUS = "#action-menu"
    BINDINGS = [Binding("escape", "dismiss", "tui.key.cancel")]

    def __init__(self, actions: list[ActionState]) -> None:
        super().__init__()
        self.actions = actions

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form-dialog"):
            yield Label(t("tui.task.choose_action"), classes="dialog-title")
            options = []
            for state in self.actions:
                label = Text(fmt.action(state.action), style="bold" if state.enabled else "dim")
                if not state.enabled:
                    label.append(f"  {visible(state.reason)}", style="dim")
                options.append(Option(label, id=state.action, disabled=not state.enabled))
            yield OptionList(*options, id="action-menu", classes="form-body")

    def on_mount(self) -> None:
        menu = self.query_one(OptionList)
        first = next((i for i, state in enumerate(self.actions) if state.enabled), None)
        if first is not None:
            menu.highlighted = first

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
