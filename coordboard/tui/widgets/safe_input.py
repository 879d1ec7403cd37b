"""An input field that never sends what it holds to the terminal raw.

Textual's ``Input`` draws its value as it is: an ESC in a value it was filled with (a
stored note, a unit's part, a path) or pasted into it would start an escape sequence on
the user's terminal, and a bidi override would reverse what follows it. ``SafeInput``
draws each such character as a visible symbol, one for one, so the cursor and the
selection stay where they are; the value, and so what is saved, is exactly what was typed.
Its placeholder (which may name a unit) is shown the same way.
"""

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Input

from coordboard.safe_text import visible, visible_in_place


class SafeInput(Input):
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
