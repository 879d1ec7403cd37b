"""A form that fits the terminal: its heading, message line and buttons always in view,
the fields between them (``.form-body``) scrolling when the terminal is short (80×24).

CSS cannot say "the screen's height less the heading and the buttons" (a ``1fr`` body
stretches every form to the full height, a short confirmation included), so the body's
largest height is set from the rows the rest of the dialog takes, at every resize."""

from textual import events
from textual.widget import Widget

from coordboard.tui.widgets.footer import KeysFooter


class FitsTheScreen(Widget):
    """Mixed into a modal whose dialog (``.form-dialog``) holds a ``.form-body``: a form's
    fields, or a menu's list (the action menu, the saved filters), which scrolls."""

    def on_mount(self) -> None:
        self.call_after_refresh(self.fit_form)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.fit_form)

    def fit_form(self) -> None:
        dialogs = self.query(".form-dialog")
        if not dialogs:
            return
        dialog = dialogs.first()
        body = dialog.query_one(".form-body")  # the fields, or a menu's list
        chrome = dialog.outer_size.height - dialog.size.height  # border and padding
        others = sum(child.outer_size.height + child.styles.margin.top + child.styles.margin.bottom
                     for child in dialog.children if child is not body and child.display)
        keys = sum(1 for footer in self.query_children(KeysFooter) if footer.display)
        room = max(self.size.height - keys - chrome - others - body.styles.margin.top
                   - body.styles.margin.bottom, 3)
        if body.styles.max_height is None or body.styles.max_height.value != room:
            body.styles.max_height = room
