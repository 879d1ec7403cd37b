"""The board's page table: cursor keys, mouse, refills that keep the user's place, and
cells drawn literally at their column's width in terminal cells."""

from rich.text import Text
from textual.app import App, ComposeResult

from coordboard.tui.widgets.page_table import Column, PageTable

COLUMNS = [Column("code", "编号", 6), Column("title", "Title", 8)]


def rows(n: int, prefix: str = "K") -> list[tuple[str, list[Text]]]:
    return [(f"{prefix}{i}", [Text(f"{prefix}{i}"), Text(f"title {i}")]) for i in range(n)]


class TableApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.selected: list[str] = []
        self.headers: list[str] = []

    def compose(self) -> ComposeResult:
        yield PageTable(COLUMNS, id="table")

    def on_page_table_row_selected(self, event: PageTable.RowSelected) -> None:
        self.selected.append(event.key)

    def on_page_table_header_selected(self, event: PageTable.HeaderSelected) -> None:
        self.headers.append(event.column_key)


def line(table: PageTable, y: int) -> str:
    return table.render_line(y).text


async def test_keys_move_the_cursor_and_keep_it_in_view() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(PageTable)
        table.set_rows(rows(30))
        table.focus()
        await pilot.press("down", "down")
        assert table.cursor_row == 2 and table.selected_key == "K2"
        await pilot.press("end")
        assert table.cursor_row == 29
        await pilot.pause()
        assert table.scroll_y == 30 - 9 and "K29" in line(table, 9)  # 10 lines: header + 9 rows
        await pilot.press("home")
        assert table.cursor_row == 0 and table.scroll_y == 0
        await pilot.press("pagedown")
        assert table.cursor_row == 9  # a screenful of rows
        await pilot.press("up")
        assert table.cursor_row == 8
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == ["K8"]


async def test_clicks_move_then_open_and_headers_report_their_column() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(PageTable)
        table.set_rows(rows(5))
        await pilot.pause()
        await pilot.click("#table", offset=(2, 3))  # the row under the header, third one
        assert table.cursor_row == 2 and app.selected == []
        await pilot.click("#table", offset=(2, 3))  # the highlighted row again: open it
        await pilot.pause()
        assert app.selected == ["K2"]
        await pilot.click("#table", offset=(10, 0))  # second column's header (8 + 2 padding)
        await pilot.click("#table", offset=(1, 0))
        await pilot.click("#table", offset=(2, 8))  # below the last row: nothing
        await pilot.pause()
        assert app.headers == ["title", "code"] and app.selected == ["K2"]


async def test_refill_keeps_the_cursor_on_the_same_key_or_row() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 10)):
        table = app.query_one(PageTable)
        table.set_rows(rows(5))
        table.move_cursor(3)
        table.set_rows(list(reversed(rows(5))))
        assert table.selected_key == "K3" and table.cursor_row == 1
        table.set_rows(rows(2, prefix="N"))  # K3 is gone: the nearest row that exists
        assert table.cursor_row == 1 and table.selected_key == "N1"
        table.set_rows([])
        assert table.row_count == 0 and table.selected_key is None


async def test_cells_are_literal_and_cut_to_their_width_in_terminal_cells() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(PageTable)
        table.set_rows([("a", [Text("[/]"), Text("[@click=app.quit]x[/]")]),
                        ("b", [Text("事项标题很长"), Text("短")])])
        table.show_sort("title", descending=True)
        await pilot.pause()
        assert line(table, 0).startswith(" 编号    Title ↓ ")
        assert line(table, 1).startswith(" [/]     [@click… ")
        assert line(table, 2).startswith(" 事项…   短       ")  # wide characters cut whole: 6 cells
        await pilot.click("#table", offset=(12, 1))  # a click on the would-be link: a plain row click
        assert app.is_running and table.cursor_row == 0


async def test_header_clicks_follow_the_horizontal_scroll() -> None:
    app = TableApp()
    async with app.run_test(size=(10, 8)) as pilot:  # 18 columns wide: scrolls to 8
        table = app.query_one(PageTable)
        table.set_rows(rows(3))
        await pilot.pause()
        table.scroll_to(x=8, animate=False, immediate=True)  # the second column starts at 8
        await pilot.pause()
        assert line(table, 0).startswith(" Title")
        await pilot.click("#table", offset=(1, 0))
        await pilot.pause()
        assert app.headers == ["title"]


async def test_a_new_page_is_drawn_without_laying_out_the_screen_again() -> None:
    """The table's size comes from the screen, never from its rows: a page of another
    length or width asks for its own repaint, not a layout of every widget (10-15 ms of
    each filter keystroke on the board). Its scrollbar is always there: one that came and
    went with the rows would change the table's width, and that is laid out."""
    app = TableApp()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(PageTable)
        table.set_rows(rows(15))
        await pilot.pause()
        assert table.show_vertical_scrollbar
        asked: list[bool] = []
        real = table.refresh

        def refresh(*regions: object, **flags: bool) -> PageTable:
            asked.append(bool(flags.get("layout")))
            return real(*regions, **flags)  # type: ignore[arg-type]

        table.refresh = refresh  # type: ignore[method-assign]
        wide = [(f"W{i}", [Text(f"W{i}"), Text("a much longer title " * 2)]) for i in range(30)]
        table.set_rows(wide)  # longer, and its title column refitted wider
        assert asked and not any(asked)
        await pilot.pause()
        assert table.virtual_size.height == 31 and table.show_vertical_scrollbar
        assert "W0" in line(table, 1) and line(table, 1).rstrip().endswith("…")
        table.set_rows(rows(2))  # fewer rows than the screen: the scrollbar stays
        await pilot.pause()
        assert not any(asked)
        assert table.show_vertical_scrollbar and "K1" in line(table, 2)


async def test_a_cells_own_style_and_its_spans_reach_the_screen_padding_included() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 10)):
        table = app.query_one(PageTable)
        spanned = Text("ab")
        spanned.stylize("blue", 0, 1)
        table.set_rows([("K", [Text("red", style="red"), spanned])])
        strip = table.render_line(1)
        styled = [(seg.text, seg.style) for seg in strip if seg.text.strip()]
        red = next(style for text, style in styled if "red" in text)
        assert red is not None and red.color is not None and red.color.name == "red"
        def color(char: str) -> str | None:
            style = next(style for text, style in styled if char in text)
            return style.color.name if style is not None and style.color else None

        assert color("a") == "blue" and color("b") != "blue"
        cells = "".join(seg.text for seg in strip)
        assert cells.startswith(" red    ") and cells[len(" red    "):].startswith(" ab")


async def test_a_callback_after_paint_runs_once_the_new_rows_are_drawn(monkeypatch) -> None:
    """The board's filter lists wait for its first page to be drawn; Textual's
    call_after_refresh could run before the table's repaint reached the screen."""
    events: list[str] = []
    drawing = PageTable.render_line

    def render_line(self: PageTable, y: int):  # type: ignore[no-untyped-def]
        if self.row_count:
            events.append(f"draw {self.cell(0, 0)}")
        return drawing(self, y)

    monkeypatch.setattr(PageTable, "render_line", render_line)
    app = TableApp()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(PageTable)
        table.set_rows(rows(5, "N"))
        table.call_after_paint(lambda: events.append("after paint"))
        table.call_after_refresh(lambda: events.append("after refresh"))
        await pilot.pause(0.2)
    first_paint = events.index("after paint")
    assert "draw N0" in events[:first_paint] and events.count("after paint") == 1
