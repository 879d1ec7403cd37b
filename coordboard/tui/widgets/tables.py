"""DataTable helpers: fixed, translated columns and refills that keep the user's place.

Rows are keyed by their position, never by what they show: two rows may well name
the same thing (two open notes on one task for one unit: an urge and a letter), and
``DataTable.add_row`` with a key already present raises ``DuplicateKey`` and ends the
app. What a row stands for (a task code, an id) is kept beside it in ``RowTable.identities``.
"""

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from coordboard.i18n import t
from coordboard.tui.format import safe_cell


class RowTable(DataTable[Text]):
    """A DataTable whose rows are keyed by index, each with the identity it stands for."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.identities: list[str] = []

    def identity_at(self, row: int) -> str | None:
        return self.identities[row] if 0 <= row < len(self.identities) else None


def add_columns(table: DataTable[Text], columns: Sequence[tuple[str, int]]) -> None:
    """Fixed widths: the layout never depends on when DataTable measures its rows. A column
    is never narrower than its header in the interface language ("Last report", not "Last repor")."""
    for key, width in columns:
        label = t(f"tui.col.{key}")
        table.add_column(label, key=key, width=max(width, cell_len(label)))


def selected_key(table: RowTable) -> str | None:
    """The identity of the row under the cursor."""
    if table.row_count == 0:
        return None
    return table.identity_at(table.cursor_row)


def refill(table: RowTable, rows: Iterable[tuple[str, Sequence[Text]]]) -> None:
    """Replace the rows, keeping the cursor on the same identity (or row) and the scroll."""
    keep_key, keep_row = selected_key(table), table.cursor_row
    scroll_x, scroll_y = table.scroll_x, table.scroll_y
    table.clear()
    table.identities = []
    for index, (identity, cells) in enumerate(rows):
        table.add_row(*map(safe_cell, cells), key=str(index))
        table.identities.append(identity)
    if table.row_count == 0:
        return
    row = table.identities.index(keep_key) if keep_key in table.identities else keep_row
    table.move_cursor(row=min(max(row, 0), table.row_count - 1), animate=False, scroll=False)
    table.scroll_to(scroll_x, scroll_y, animate=False, immediate=True)
