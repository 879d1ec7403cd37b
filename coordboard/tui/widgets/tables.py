"""DataTable helpers: fixed, translated columns and refills that keep the user's place."""

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from coordboard.i18n import t


def add_columns(table: DataTable[Text], columns: Sequence[tuple[str, int]]) -> None:
    """Fixed widths: the layout never depends on when DataTable measures its rows."""
    for key, width in columns:
        table.add_column(t(f"tui.col.{key}"), key=key, width=width)


def selected_key(table: DataTable[Text]) -> str | None:
    if table.row_count == 0:
        return None
    try:
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
    except CellDoesNotExist:
        return None
    return row_key.value


def refill(table: DataTable[Text], rows: Iterable[tuple[str, Sequence[Text]]]) -> None:
    """Replace the rows, keeping the cursor on the same key and the scroll position."""
    keep_key, keep_row = selected_key(table), table.cursor_row
    scroll_x, scroll_y = table.scroll_x, table.scroll_y
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    if table.row_count == 0:
        return
    try:
        row = table.get_row_index(keep_key) if keep_key is not None else keep_row
    except RowDoesNotExist:
        row = keep_row
    table.move_cursor(row=min(max(row, 0), table.row_count - 1), animate=False, scroll=False)
    table.scroll_to(scroll_x, scroll_y, animate=False, immediate=True)
