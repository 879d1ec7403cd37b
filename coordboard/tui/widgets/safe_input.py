"""An input field that never sends what it holds to the terminal raw.

Textual's ``Input`` draws its value as it is: an ESC in a value it was filled with (a
stored note, a unit's part, a path) or pasted into it would start an escape sequence on
the user's terminal, and a bidi override would reverse what follows it. ``SafeInput``
draws each such character as a visible symbol, one for one, so the cursor and the
selection stay where they are; the value, and so what is saved, is exactly what was typed.
Its placeholder (which may name a unit) is shown the same way.
"""

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import Input

from coordboard.i18n import t
from coordboard.safe_text import visible, visible_in_place


class SafeInput(Input):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Our screens mark a field wrong themselves ("-invalid", where the rule lives).
        # Textual's own validation, with no validators, marked every field valid again on
        # each blur and Enter: the board's bad date lost its red mark as focus left it.
        kwargs.setdefault("validate_on", ())
        super().__init__(*args, **kwargs)

    def validate_placeholder(self, placeholder: str) -> str:
        return visible(placeholder)  # placeholders name units, whose names are user text

    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        text = Text(visible_in_place(self.value), no_wrap=True, overflow="ignore", end="")
        return text if self.highlighter is None else self.highlighter(text)

    def _position_to_cell(self, position: int) -> int:
        """Where the cursor is drawn: as the value is shown (a tab is one symbol here)."""
        return cell_len(visible_in_place(self.value[:position]))

    def _on_paste(self, event: events.Paste) -> None:
        """The whole paste. Textual's Input keeps its first line only, and Python's
        ``splitlines`` also splits at U+0085, U+2028 and other controls: the rest of such a
        paste was dropped without a word. Line breaks at its end (a copied line's own) are
        left out; any inside it are kept, shown as ⏎, and judged by the field's rules."""
        event.prevent_default()  # Input's own handler would insert the first line again
        text = event.text.rstrip("\r\n")
        start, end = sorted(self.selection)
        length = len(self.value) - (end - start) + len(text)
        if self.max_length and length > self.max_length:  # Input would refuse it silently
            self.notify(t("tui.form.paste_too_long", limit=self.max_length, length=length),
                        severity="warning", markup=False)
        elif text:
            if self.selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *self.selection)
        event.stop()
