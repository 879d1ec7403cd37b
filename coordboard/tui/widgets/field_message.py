"""A field's error or note, under the field: no row while it says nothing.

An empty ``Static`` still takes a row, so every field of a form carried a blank line under
it, and at 80×24 a form showed two fields where it has room for three."""

from textual.visual import VisualType
from textual.widgets import Static


class FieldMessage(Static):
    def __init__(self, *, id: str, classes: str = "field-error") -> None:
        # never markup: a message may quote what the user typed
        super().__init__("", id=id, classes=classes, markup=False)
        self.display = False

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        self.display = bool(content)
        super().update(content, layout=layout)
