"""What every form on a task does around its fields: cancel, save off the UI thread with
its buttons held, show the service's refusal in the form, offer a reload after a conflict
(someone else changed the task first), and say what was done."""

from rich.text import Text
from textual import on
from textual.widgets import Button, Static

from coordboard.i18n import t
from coordboard.services.detail import TaskDetail
from coordboard.tui import format as fmt
from coordboard.tui.base import AppModal
from coordboard.tui.screens.form_fit import FitsTheScreen
from coordboard.tui.screens.form_guard import GuardsTyping


class TaskForm(GuardsTyping, FitsTheScreen, AppModal[str | None]):
    """Dismisses with the action done, "reload" after a conflict, else None. The dialog
    has ``#form-error`` and ``.dialog-buttons`` with ``#form-submit``, ``#form-cancel``
    and a hidden ``#form-reload``."""

    detail: TaskDetail

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        self.leave_or_ask(lambda: self.dismiss(None))

    @on(Button.Pressed, "#form-reload")
    def _reload(self) -> None:
        self.dismiss("reload")

    def _error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(Text(fmt.lines(message)))
        self.call_after_refresh(self.fit_form)  # a longer message: less room for the fields

    def _saving(self) -> None:
        for button in self.query(".dialog-buttons Button"):
            button.disabled = True
        self._error(t("tui.form.saving"))

    def _refused(self, message: str) -> None:
        self._error(message)
        for button in self.query(".dialog-buttons Button"):
            button.disabled = False

    def _conflict(self, message: str) -> None:
        self._refused(message + "\n" + t("tui.form.conflict_hint"))
        reload = self.query_one("#form-reload", Button)
        reload.remove_class("hidden")
        reload.focus()

    def _done_with(self, action: str) -> None:
        self.app.notify(t("tui.form.done", action=t(f"action.{action}"),
                          code=self.detail.task.code), markup=False)
        self.dismiss(action)
