"""The board's six filter lists arrive after its first page (a quarter of a second of the
start at 100,000 tasks is theirs): the rows first, and nothing the user does meanwhile is
lost or undone when the lists come."""

import pytest
from test_tui_board import open_board
from textual.widgets import Input, Select
from tui_support import login, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Light
from coordboard.services import directory
from coordboard.services.board import OPEN_FILTER, BoardFilter
from coordboard.tui.app import make_app
from coordboard.tui.screens.board import BoardScreen, BoardTable
from coordboard.tui.screens.board_filters import ALL, FilterBar

LISTS = ("#flt-light", "#flt-status", "#flt-category", "#flt-unit", "#flt-role", "#flt-leader")


@pytest.fixture
def lists_held(monkeypatch: pytest.MonkeyPatch) -> list[FilterBar]:
    """Filter bars whose lists were due, not yet shown (the user is quicker than the mount)."""
    due: list[FilterBar] = []

    async def held(self: FilterBar) -> None:
        due.append(self)

    monkeypatch.setattr(FilterBar, "show_lists", held)
    return due


_original_show_lists = FilterBar.show_lists  # before the fixture holds it


async def show_lists(pilot, board: BoardScreen) -> None:
    board.call_later(_original_show_lists, board.filters)
    await settle(pilot)


async def test_the_rows_come_first_and_the_lists_after(demo_file: Database, frozen,
                                                        lists_held: list[FilterBar]) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot, "office")
        assert lists_held == [board.filters]  # asked for once the first page was drawn
        assert board.query_one(BoardTable).row_count == 45 and not board.query(Select)
        assert board.query_one("#flt-text", Input)  # the search is there from the start
        fields = ("#flt-text", "#flt-from", "#flt-to")
        before = [board.query_one(field).region for field in fields]
        await show_lists(pilot, board)
        # Each list came into the place kept for it: the fields did not move or change size.
        assert [board.query_one(field).region for field in fields] == before
        assert not board.query(".list-soon")
        assert [select.id for select in board.query(Select)] == [s[1:] for s in LISTS]
        unit = board.query_one("#flt-unit", Select)
        assert not unit.loading and len(unit._options) > 20  # the units that came meanwhile
        assert not board.query_one("#flt-leader", Select).loading


async def test_a_search_typed_before_the_lists_keeps_the_units_filter(
        demo_file: Database, frozen, lists_held: list[FilterBar]) -> None:
    """A head's board starts on his own unit: a search typed before the unit list is shown
    read the list's value from the filter, not as "all units"."""
    with demo_file.read() as session:
        own = directory.department_by_name(session, "司法所").id
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot, "sfs")
        assert board.flt.department_id == own and not board.query(Select)
        board.query_one("#flt-text", Input).value = "法"
        await settle(pilot)
        assert (board.flt.text, board.flt.department_id) == ("法", own)
        shown = board.row_total
        await show_lists(pilot, board)
        assert board.query_one("#flt-unit", Select).value == str(own)
        assert (board.flt.text, board.flt.department_id, board.row_total) == ("法", own, shown)


async def test_a_saved_filter_chosen_before_the_lists_is_what_they_show(
        demo_file: Database, frozen, lists_held: list[FilterBar]) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot, "office")
        chosen = BoardFilter(light=Light.RED, statuses=OPEN_FILTER, unit_role="lead")
        board.apply_filter(chosen)  # as from the saved filters (l), before the lists came
        await settle(pilot)
        await show_lists(pilot, board)
        assert [board.query_one(s, Select).value for s in LISTS] == [
            "red", "open", ALL, ALL, "lead", ALL]
        assert board.flt == chosen


async def test_a_row_opens_and_closes_while_the_lists_are_coming(demo_file: Database, frozen,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Enter on a row, then Esc, while the lists were being mounted: the mount ran in the
    table's own queue, so the row's opening waited behind it, Esc closed the board, and the
    task then opened over the home screen (a helper, 3 runs in 8 on a loaded machine)."""
    import asyncio

    from textual.worker import WorkerCancelled

    from coordboard.tui.screens.task import TaskScreen

    gate = asyncio.Event()

    async def slow(self: FilterBar) -> None:  # a busy PC: the lists take their time
        await gate.wait()
        await _original_show_lists(self)

    monkeypatch.setattr(FilterBar, "show_lists", slow)
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        asyncio.get_running_loop().call_later(3.0, gate.set)  # the lists come in 3 s at most
        await pilot.press("b")
        for _ in range(200):
            await pilot.pause(0.02)
            board = app.screen
            if isinstance(board, BoardScreen) and board._shown_generation and board._lists_asked:
                break
        assert isinstance(board, BoardScreen) and not board.filters.lists_shown
        board.query_one(BoardTable).focus()
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause(0.02)
            if isinstance(app.screen, TaskScreen):
                break
        assert isinstance(app.screen, TaskScreen)
        assert not gate.is_set()  # the task opened at once, not once the lists had come
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert app.screen is board
        gate.set()
        for worker in list(app.workers):
            try:
                await worker.wait()
            except WorkerCancelled:
                pass
        await pilot.pause(0.1)
        assert board.filters.lists_shown and len(board.query(Select)) == 6
