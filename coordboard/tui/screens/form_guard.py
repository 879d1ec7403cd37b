"""A form that asks before Esc (or Cancel) throws away what the user typed.

Esc closed a form at once and its text was gone: a supervision note half written, a task
being registered (a helper). Typed means a text field no longer holding what it held when
the form opened (or when the form last set it, ``mark_untouched``); lists and ticks are
quick to choose again and never ask.
"""

from collections.abc import Callable
from typing import Any

from textual.widget import Widget
from textual.widgets import Input

from coordboard.i18n import t


class GuardsTyping(Widget):
    """Mixed into a form screen: ``leave_or_ask(leave)`` in its cancel action."""

    _untouched: dict[int, str] | None = None

    def on_mount(self) -> None:
        self.mark_untouched()

    def _texts(self) -> dict[int, str]:
        return {id(field): field.value for field in self.query(Input)}

    def mark_untouched(self) -> None:
        """What the fields hold now is the form's, not the user's (a stage loaded into them)."""
        self._untouched = self._texts()

    def typed(self) -> bool:
        before = self._untouched or {}
        return any(value != before.get(key, "") for key, value in self._texts().items())

    def leave_or_ask(self, leave: Callable[[], Any]) -> None:
        from coordboard.tui.screens.confirm import ConfirmDialog

        if not self.typed():
            leave()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                leave()

        self.app.push_screen(ConfirmDialog(t("tui.form.discard_title"),
                                           t("tui.form.discard_question")), answered)
