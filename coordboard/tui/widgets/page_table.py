"""A table for one page of rows, drawn with Textual's Line API.

DataTable renders every visible cell through Rich's console after a refill (~100 ms
for a screenful here). The board refills on every keystroke and page turn, so this
table lays out a row once, as one ``Text`` cut to the fixed column widths, and draws
each screen line as a single strip: a repaint costs well under a millisecond a row.
Cells are ``rich.text.Text``, so user text is never parsed as markup, and any control
character in them is shown as a visible symbol (``safe_cell``), never written raw.

Which columns show and how wide they are follows the table's width (``columns.fit``), at
every resize; space shows the highlighted row whole, hidden columns included (``RowPeek``).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from coordboard.tui.format import safe_cell
from coordboard.tui.widgets.columns import PADDING, ColumnSpec, Fitted, cut, fit, widest_cells


@dataclass(frozen=True)
class Column:
    """A column of fixed width (for a column that follows the width: ``ColumnSpec``)."""

    key: str
    label: str
    width: int

    def spec(self) -> ColumnSpec:
        return ColumnSpec(self.key, self.label, self.width)


class PageTable(ScrollView, can_focus=True):
    """Fixed header, a row cursor, zebra stripes; Enter or a second click opens a row."""

    DEFAULT_CSS = """
    PageTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        /* Always there: a scrollbar that comes and goes as a filter's rows outgrow the
           screen (a word with no match, then one with fifty) changes the table's width,
           and the whole screen is laid out again on that keystroke (5-10 ms of ~50). */
        overflow-y: scroll;
        &:focus {
            background-tint: $foreground 5%;
            & > .page-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        &:dark > .page-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .page-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .page-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .page-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .page-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """
    COMPONENT_CLASSES = {"page-table--header", "page-table--even-row", "page-table--odd-row",
                         "page-table--cursor"}
    BINDINGS = [
        Binding("up", "cursor_up", show=False),
        Binding("down", "cursor_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("home", "first", show=False),
        Binding("end", "last", show=False),
        Binding("enter", "select", show=False),
        Binding("space", "peek", "tui_layout.key.peek", show=False),  # in the help (F1)
    ]

    class RowSelected(Message):
        def __init__(self, table: "PageTable", key: str, row: int) -> None:
            super().__init__()
            self.table, self.key, self.row = table, key, row

        @property
        def control(self) -> "PageTable":
            return self.table

    class HeaderSelected(Message):
        def __init__(self, table: "PageTable", column_key: str) -> None:
            super().__init__()
            self.table, self.column_key = table, column_key

        @property
        def control(self) -> "PageTable":
            return self.table

    def __init__(self, columns: Sequence[Column | ColumnSpec] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._specs: list[ColumnSpec] = []
        self._columns: list[Fitted] = []  # the columns shown at this width
        self._shown: list[int] = []  # their positions among the specs (and the cells)
        self._keys: list[str] = []
        self._cells: list[Sequence[Text]] = []
        self._lines: list[list[Segment] | None] = []  # a row laid out once, on first draw
        self._sort: tuple[str, bool] | None = None
        self._after_paint: list[Callable[[], object]] = []
        self.cursor_row = 0
        self.set_columns(columns)

    # --- content --------------------------------------------------------------------

    def set_columns(self, columns: Sequence[Column | ColumnSpec]) -> None:
        self._specs = [c.spec() if isinstance(c, Column) else c for c in columns]
        self._columns = []
        self._refit()

    def _refit(self) -> bool:
        """Fit the columns to the width the table has now; True when they changed."""
        # The vertical scrollbar's room is always kept, so the columns do not change
        # when a page has more rows than the screen (and a scrollbar appears).
        available = self.content_region.width - self.styles.scrollbar_size_vertical
        if not self.is_mounted or self.content_region.width <= 0:
            available = sum(spec.floor + 2 * PADDING for spec in self._specs)  # not laid out: natural
        columns = fit(self._specs, available, widest=widest_cells(self._specs, self._cells))
        if columns == self._columns:
            return False
        self._columns = columns
        keys = [spec.key for spec in self._specs]
        self._shown = [keys.index(column.key) for column in columns]
        self._lines = [None] * len(self._cells)
        self._resize()
        return True

    @property
    def columns_shown(self) -> list[str]:
        return [column.key for column in self._columns]

    def show_sort(self, column_key: str, descending: bool) -> None:
        """Mark the sorted column's header with an arrow."""
        self._sort = (column_key, descending)
        self.refresh_line(0)

    def set_rows(self, rows: Iterable[tuple[str, Sequence[Text]]]) -> None:
        """Replace the rows, keeping the cursor on the same key (or row) and the scroll."""
        keep = self.selected_key
        self._keys, self._cells = [], []
        for key, cells in rows:
            self._keys.append(key)
            self._cells.append([safe_cell(cell) for cell in cells])
        self._lines = [None] * len(self._keys)
        row = self._keys.index(keep) if keep in self._keys else self.cursor_row
        self.cursor_row = min(max(row, 0), max(self.row_count - 1, 0))
        self._refit()  # a growing column takes no more than its widest cell on this page
        self._resize()
        self.refresh()

    def call_after_paint(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once this table's rows have been drawn. Textual's
        ``call_after_refresh`` can run before a widget's own repaint reaches the screen
        (the screen hears of it from the widget's queue): the board's filter lists, meant
        to come after its first page, were mounted before that page was drawn."""
        self._after_paint.append(callback)
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def selected_key(self) -> str | None:
        return self._keys[self.cursor_row] if 0 <= self.cursor_row < self.row_count else None

    def cell(self, row: int, column: int) -> Text:
        return self._cells[row][column]

    def move_cursor(self, row: int, scroll: bool = True) -> None:
        if not self.row_count:
            return
        old, self.cursor_row = self.cursor_row, min(max(row, 0), self.row_count - 1)
        self.refresh_line(old + 1 - round(self.scroll_y))
        self.refresh_line(self.cursor_row + 1 - round(self.scroll_y))
        if scroll:
            self._scroll_to_cursor()

    def _resize(self) -> None:
        width = sum(column.width + 2 * PADDING for column in self._columns)
        size = Size(width, self.row_count + 1)
        if size == self.virtual_size:
            return
        height, own_width = self.styles.height, self.styles.width
        if not self.is_mounted or height is None or height.is_auto or (
                own_width is not None and own_width.is_auto):
            self.virtual_size = size  # the table's own size follows its content: lay out again
            return
        # The screen's layout sets this table's size, never its rows: a new page (another
        # row count, columns refitted to its cells) needs the scrollbars updated and the
        # table drawn, not the whole screen laid out again (10-15 ms of a filter keystroke
        # at 120x40), which assigning ``virtual_size`` (a layout reactive) would ask for.
        # ``_scroll_update`` is Textual's own (private), as its ScrollView calls it when laid out.
        self.set_reactive(PageTable.virtual_size, size)
        self._scroll_update(size)
        self.refresh()

    @property
    def _visible_rows(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + self._visible_rows:
            self.scroll_to(y=self.cursor_row - self._visible_rows + 1, animate=False, immediate=True)

    # --- drawing --------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        if self._after_paint:  # run after this frame: the rest of it is drawn first
            waiting, self._after_paint = self._after_paint, []
            for callback in waiting:
                self.call_later(callback)
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        if y == 0:
            style = self.get_component_rich_style("page-table--header")
            segments = self._layout(self._header_cells(), style)
        else:
            row = y - 1 + scroll_y
            if row >= self.row_count:
                return Strip.blank(width, self.rich_style)
            if row == self.cursor_row:
                style = self.get_component_rich_style("page-table--cursor")
            else:
                style = self.get_component_rich_style(
                    "page-table--odd-row" if row % 2 else "page-table--even-row")
            segments = self._lines[row] or self._lay_out_row(row)
            segments = list(Segment.apply_style(segments, style))
        return Strip(segments).crop_extend(scroll_x, scroll_x + width, style)

    def _header_cells(self) -> list[Text]:
        cells = [Text()] * len(self._specs)
        for index, column in zip(self._shown, self._columns, strict=True):
            label = column.label
            if self._sort and self._sort[0] == column.key:
                label += " ↓" if self._sort[1] else " ↑"
            cells[index] = Text(label)
        return cells

    def _lay_out_row(self, row: int) -> list[Segment]:
        segments = self._layout(self._cells[row], None)
        self._lines[row] = segments
        return segments

    def _layout(self, cells: Sequence[Text], style: Style | None) -> list[Segment]:
        # Each cell rendered on its own and padded in its own style: half the time of
        # joining the cells into one Text and rendering that (~0.12 ms a row here), which
        # was most of drawing a new page of 35 rows.
        console = self.app.console
        pad = Segment(" " * PADDING)
        segments: list[Segment] = []
        for index, column in zip(self._shown, self._columns, strict=True):
            segments.append(pad)
            if index < len(cells):
                piece = cut(cells[index], column.width)
                own = console.get_style(piece.style) if piece.style else None
                if piece.spans:
                    segments.extend(piece.render(console))
                else:  # Text.render leaves a Text's own style to its caller when it has no spans
                    segments.append(Segment(piece.plain, own))
                gap = column.width - piece.cell_len
                gap_style = own  # the padding wears the cell's style, as the cell padded would
            else:
                gap, gap_style = column.width, None
            if gap > 0:
                segments.append(Segment(" " * gap, gap_style))
            segments.append(pad)
        joined = list(Segment.simplify(segments))  # runs of one style as one, as before
        return list(Segment.apply_style(joined, style)) if style else joined

    def on_resize(self) -> None:
        # ScrollView marks itself dirty at its old size when laid out: repaint at the new one.
        self._refit()
        self.refresh()

    # --- keys and mouse -------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - self._visible_rows)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + self._visible_rows)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.row_count - 1)

    def action_select(self) -> None:
        if self.selected_key is not None:
            self.post_message(self.RowSelected(self, self.selected_key, self.cursor_row))

    def action_peek(self) -> None:
        """The highlighted row whole: every column, those left out at this width too."""
        from coordboard.tui.screens.row_peek import RowPeek

        if self.selected_key is None:
            return
        cells = self._cells[self.cursor_row]
        self.app.push_screen(RowPeek([(spec.label, cell) for spec, cell
                                      in zip(self._specs, cells, strict=False)]))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        event.stop()
        if offset.y == 0:
            x = offset.x + round(self.scroll_x)
            for column in self._columns:
                x -= column.width + 2 * PADDING
                if x < 0:
                    self.post_message(self.HeaderSelected(self, column.key))
                    return
            return
        row = offset.y - 1 + round(self.scroll_y)
        if row >= self.row_count:
            return
        if row == self.cursor_row:
            self.action_select()
        else:
            self.move_cursor(row)
