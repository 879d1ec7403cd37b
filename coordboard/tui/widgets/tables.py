"""DataTable helpers: translated columns that follow the table's width, and refills that
keep the user's place.

Rows are keyed by their position, never by what they show: two rows may well name
the same thing (two open notes on one task for one unit: an urge and a letter), and
``DataTable.add_row`` with a key already present raises ``DuplicateKey`` and ends the
app. What a row stands for (a task code, an id) is kept beside it in ``RowTable.identities``.

Which columns show and how wide they are is ``columns.fit``'s rule, applied again at
every resize; a cell too long for its column ends in "…", and space shows the
highlighted row whole (``RowPeek``).
"""

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from coordboard.i18n import t
from coordboard.tui.format import column_values, safe_cell
from coordboard.tui.widgets.columns import PADDING, ColumnSpec, Fitted, cut, fit, widest_cells


class RowTable(DataTable[Text]):
    """A DataTable whose rows are keyed by index, each with the identity it stands for."""

    BINDINGS = [Binding("space", "peek", "tui_layout.key.peek", show=False)]  # in the help (F1)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.identities: list[str] = []
        self.specs: list[ColumnSpec] = []
        self.fitted: list[Fitted] = []
        self.full_rows: list[Sequence[Text]] = []  # every column, uncut

    def identity_at(self, row: int) -> str | None:
        return self.identities[row] if 0 <= row < len(self.identities) else None

    @property
    def columns_shown(self) -> list[str]:
        return [column.key for column in self.fitted]

    def _available(self) -> int:
        # The vertical scrollbar's room is always kept: the columns do not change when the
        # rows outgrow the screen.
        if not self.is_mounted or self.content_region.width <= 0:
            return sum(spec.floor + 2 * PADDING for spec in self.specs)
        return self.content_region.width - self.styles.scrollbar_size_vertical

    def set_specs(self, specs: Sequence[ColumnSpec]) -> None:
        self.specs = list(specs)
        self.fitted = []
        self._draw(self.full_rows, self.identities)

    def fill(self, rows: Iterable[tuple[str, Sequence[Text]]]) -> None:
        identities: list[str] = []
        cells: list[Sequence[Text]] = []
        for identity, row in rows:
            identities.append(identity)
            cells.append([safe_cell(cell) for cell in row])
        self._draw(cells, identities)

    def _draw(self, cells: list[Sequence[Text]], identities: list[str]) -> None:
        """Draw ``cells`` at the width the table has now, keeping the cursor on the same
        identity (or row) and the scroll."""
        keep_key, keep_row = selected_key(self), self.cursor_row
        scroll_x, scroll_y = self.scroll_x, self.scroll_y
        fitted = self._fit(cells)
        self.clear(columns=fitted != self.fitted)
        if fitted != self.fitted or not self.columns:
            self.fitted = fitted
            for column in fitted:
                self.add_column(column.label, key=column.key, width=column.width)
        keys = [spec.key for spec in self.specs]
        shown = [(keys.index(column.key), column.width) for column in fitted]
        self.full_rows, self.identities = cells, identities
        for index, line in enumerate(cells):
            self.add_row(*(cut(line[i], width) if i < len(line) else Text() for i, width in shown),
                         key=str(index))
        self._take_focus_if_filled()
        if self.row_count == 0:
            return
        row = identities.index(keep_key) if keep_key in identities else keep_row
        self.move_cursor(row=min(max(row, 0), self.row_count - 1), animate=False, scroll=False)
        self.scroll_to(scroll_x, scroll_y, animate=False, immediate=True)

    def _take_focus_if_filled(self) -> None:
        """An empty table is no place for the focus (its cursor is nowhere to be seen, Enter
        does nothing): it is skipped, and gives the focus up. The first table given rows
        while nothing has the focus takes it; rows never take it from where the user put it."""
        self.can_focus = self.row_count > 0
        if not self.is_attached:
            return
        if not self.can_focus and self.has_focus:
            self.screen.set_focus(None)
        elif self.can_focus and self.screen.focused is None:
            # at once, not Widget.focus's deferred call: a second table filled in the same
            # turn would otherwise find the focus still free and take it from the first
            self.screen.set_focus(self)

    def _fit(self, cells: Sequence[Sequence[Text]]) -> list[Fitted]:
        return fit(self.specs, self._available(), widest=widest_cells(self.specs, cells))

    def on_resize(self) -> None:
        if self.specs and self._fit(self.full_rows) != self.fitted:
            self._draw(self.full_rows, self.identities)

    def action_peek(self) -> None:
        """The highlighted row whole: every column, those left out at this width too."""
        from coordboard.tui.screens.row_peek import RowPeek

        if not 0 <= self.cursor_row < len(self.full_rows):
            return
        cells = self.full_rows[self.cursor_row]
        self.app.push_screen(RowPeek([(spec.label, cell) for spec, cell
                                      in zip(self.specs, cells, strict=False)]))


Columns = Sequence[tuple[str, int] | tuple[str, int, int, int] | ColumnSpec]


def specs_of(columns: Columns) -> list[ColumnSpec]:
    """``(key, width)`` or ``(key, width, priority, grow)`` as specs with the translated
    header; a column of fixed words is never narrower than its widest word."""
    specs = []
    for column in columns:
        if isinstance(column, ColumnSpec):
            specs.append(column)
            continue
        key, width, *rest = column
        priority, grow = (rest[0], rest[1]) if rest else (0, 0)
        specs.append(ColumnSpec(key, t(f"tui.col.{key}"), width, priority, grow, column_values(key),
                                whole=key == "code"))
    return specs


def add_columns(table: RowTable, columns: Columns) -> None:
    """The table's columns; a column is never narrower than its header in the interface
    language ("Last report", not "Last repor") nor than the words it shows."""
    table.set_specs(specs_of(columns))


def selected_key(table: RowTable) -> str | None:
    """The identity of the row under the cursor."""
    if table.row_count == 0:
        return None
    return table.identity_at(table.cursor_row)


def refill(table: RowTable, rows: Iterable[tuple[str, Sequence[Text]]]) -> None:
    """Replace the rows, keeping the cursor on the same identity (or row) and the scroll."""
    table.fill(rows)
