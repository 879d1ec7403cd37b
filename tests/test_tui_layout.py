"""Every screen's tables at 80×24 and wider: which columns show, which words are never cut,
that cut text ends in "…" and that the whole row is one key (space) away (issue 13 item 1)."""

import pytest
from tui_support import login, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.i18n import t
from coordboard.tui.app import make_app
from coordboard.tui.screens.board import BoardScreen, BoardTable
from coordboard.tui.screens.row_peek import RowPeek
from coordboard.tui.widgets.tables import RowTable


async def _loaded(pilot, attribute: str = "loaded") -> None:
    for _ in range(100):
        await settle(pilot, 1)
        if getattr(pilot.app.screen, attribute, True):
            break
    await settle(pilot)


def _drawn(table: RowTable, column: str) -> list[str]:
    index = table.columns_shown.index(column)
    return [table.get_row_at(row)[index].plain for row in range(table.row_count)]


def _full(table: RowTable, column: str) -> list[str]:
    index = [spec.key for spec in table.specs].index(column)
    return [cells[index].plain for cells in table.full_rows]


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_board_at_80_columns_then_wider(demo_copy: Database, language: str) -> None:
    app = make_app(Settings(language=language), demo_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "office")
        await pilot.press("b")
        await _loaded(pilot)
        assert isinstance(app.screen, BoardScreen)
        table = app.screen.query_one(BoardTable)
        assert table.columns_shown == ["code", "light", "title", "lead", "left", "status"]
        lines = [table.render_line(y).text for y in range(1, 20)]
        assert any("…" in line for line in lines)  # long titles are cut, and say so
        for y in range(table.row_count):  # words are never cut: "● yellow", "in progress"
            line = table.render_line(y + 1).text if y < 19 else ""
            assert "yel…" not in line and "prog…" not in line
        for status in ("in_progress", "closure_requested", "acknowledged"):
            assert table._columns[-1].width >= len(t(f"tui_layout.status.{status}"))
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        assert table.columns_shown == ["code", "light", "title", "lead", "supporters", "deadline",
                                       "left", "status", "last_feedback"]
        titles = [table.cell(row, 2).plain for row in range(table.row_count)]
        drawn = [table.render_line(y + 1).text for y in range(min(table.row_count, 45))]
        assert all(title in line for title, line in zip(titles, drawn, strict=False))  # whole
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert "deadline" not in table.columns_shown  # narrower again: follows the resize


async def test_space_shows_the_whole_row_hidden_columns_too(demo_copy: Database) -> None:
    app = make_app(Settings(language="zh"), demo_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "office")
        await pilot.press("b")
        await _loaded(pilot)
        table = app.screen.query_one(BoardTable)
        row = next(r for r in range(table.row_count) if "…" in table.render_line(r + 1).text)
        table.move_cursor(row)
        title, deadline = table.cell(row, 2).plain, table.cell(row, 5).plain
        await pilot.press("space")
        await settle(pilot)
        assert isinstance(app.screen, RowPeek)
        shown = str(app.screen.query_one("#row-peek-body").render())
        assert title in shown and deadline in shown and t("tui.col.deadline") in shown
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)


async def test_review_at_80_columns_shows_requests_and_decisions(demo_copy: Database) -> None:
    app = make_app(Settings(language="en"), demo_copy)  # English: the wider section names
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "office")
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("s")
        await _loaded(pilot)
        table = app.screen.query_one("#review-items", RowTable)
        await _loaded(pilot)
        assert {"code", "title", "requests", "decision"} <= set(table.columns_shown)
        assert table.row_count and all(column.width >= 8 for column in table.fitted
                                       if column.key in ("requests", "decision"))
        pending = [text for text in _full(table, "requests") if text != "—"]
        assert pending, "the demo review has requests waiting"
        assert all(drawn == full or drawn.endswith("…") for drawn, full
                   in zip(_drawn(table, "requests"), _full(table, "requests"), strict=True))


async def test_scoreboard_explanations_are_whole_at_200_columns(demo_copy: Database) -> None:
    app = make_app(Settings(language="zh"), demo_copy)
    async with app.run_test(size=(200, 50)) as pilot:
        await login(pilot, "office")
        await pilot.press("k")
        await _loaded(pilot)
        evidence = app.screen.query_one("#score-evidence", RowTable)
        assert evidence.row_count
        assert _drawn(evidence, "detail") == _full(evidence, "detail")
        assert _drawn(evidence, "title") == _full(evidence, "title")


async def test_english_words_fit_their_columns(demo_copy: Database) -> None:
    app = make_app(Settings(language="en"), demo_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "sfs")
        app.open_task("DB-2026-005")
        await _loaded(pilot)
        units = app.screen.query_one("#task-units", RowTable)
        assert set(_drawn(units, "role")) == {"lead", "support"}
        await pilot.press("escape")
        await _loaded(pilot)
        mine = app.screen.query_one("#home-mine", RowTable)
        for column in ("light", "role", "status"):
            assert not any(cell.endswith("…") for cell in _drawn(mine, column)), column
