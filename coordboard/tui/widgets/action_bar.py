"""The buttons for what the user can do on a task now, on one line.

Those that do not fit the line's width give way to "更多…", which opens the action menu
(key a) listing every action; nothing is cut mid-word at the edge.
"""

from rich.cells import cell_len
from textual.containers import Horizontal
from textual.widgets import Button, Static

from coordboard.i18n import t
from coordboard.tui.widgets.row_fit import fitting

MORE_ID = "act-more"


def button_width(button: Button) -> int:
    styles = button.styles
    natural = cell_len(str(button.label)) + styles.gutter.width
    minimum = styles.min_width
    if minimum is not None and minimum.is_cells:
        natural = max(natural, int(minimum.value))
    return natural + styles.margin.width


class ActionBar(Horizontal):
    async def show(self, actions: list[tuple[str, str]]) -> None:
        """``actions``: each action's code and label, the first the main one."""
        await self.remove_children()  # finish removing before mounting buttons with the same ids
        if not actions:
            await self.mount(Static(t("tui.task.no_actions"), classes="hint"))
            return
        await self.mount_all(
            [Button(label, id=f"act-{action}", compact=True,
                    variant="primary" if i == 0 else "default")
             for i, (action, label) in enumerate(actions)]
            + [Button(t("tui.task.more_actions"), id=MORE_ID, compact=True, classes="hidden")])
        self.fit_buttons()

    def focus_first(self) -> None:
        first = next((button for button in self.query_children(Button) if button.display), None)
        if first is not None:
            first.focus()

    def on_resize(self) -> None:
        self.fit_buttons()

    def fit_buttons(self) -> None:
        buttons = [button for button in self.query_children(Button) if button.id != MORE_ID]
        if not buttons or not self.size.width:
            return
        more = self.query_one(f"#{MORE_ID}", Button)
        shown = fitting([button_width(button) for button in buttons], self.size.width,
                        button_width(more))
        for index, button in enumerate(buttons):
            button.display = index < shown
        more.set_class(shown == len(buttons), "hidden")
