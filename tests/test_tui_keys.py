"""Focus and keys: Esc and Enter in the board's filter fields, visible focus, the sort keys in
the footer, the palette's short task numbers, and help that covers every screen's keys."""

import re

import pytest
from textual.command import CommandList
from textual.widgets import Input, Select
from textual.widgets._select import SelectCurrent
from tui_support import login, screen_text, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.i18n import set_language, t
from coordboard.services.permissions import Actor
from coordboard.services.search import tasks_matching
from coordboard.tui.app import make_app
from coordboard.tui.screens.action_form import ActionForm
from coordboard.tui.screens.board import BoardScreen, BoardTable
from coordboard.tui.screens.help import SECTIONS, HelpScreen, pairs
from coordboard.tui.screens.home import HomeScreen
from coordboard.tui.screens.register import RegisterScreen
from coordboard.tui.screens.review import ReviewScreen
from coordboard.tui.screens.scores import ScoresScreen
from coordboard.tui.screens.task import TaskScreen


async def _board(pilot) -> BoardScreen:
    await login(pilot, "office")
    await pilot.press("b")
    await settle(pilot)
    assert isinstance(pilot.app.screen, BoardScreen)
    return pilot.app.screen


def _codes(board: BoardScreen) -> list[str]:
    table = board.query_one(BoardTable)
    return [str(table.cell(row, 0)) for row in range(table.row_count)]


@pytest.mark.parametrize(("field", "typed", "attribute"), [
    ("#flt-text", "普法", "text"), ("#flt-from", "2026-12-01", "deadline_from")])
async def test_esc_in_a_filter_field_leaves_it_and_keeps_the_filter(
        demo_file: Database, frozen, field: str, typed: str, attribute: str) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await _board(pilot)
        everything = _codes(board)
        board.query_one(field, Input).focus()
        await pilot.press(*typed)
        await settle(pilot)
        filtered = _codes(board)
        assert 0 < len(filtered) < len(everything)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is board and isinstance(board.focused, BoardTable)
        assert board.query_one(field, Input).value == typed and getattr(board.flt, attribute)
        assert _codes(board) == filtered
        await pilot.press("escape")  # from the rows, Esc goes back
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.parametrize("key", ["enter", "down"])
async def test_enter_or_down_from_the_search_goes_to_the_rows(demo_file: Database, frozen,
                                                              key: str) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await _board(pilot)
        await pilot.press("slash", *"普法")
        await settle(pilot)
        assert isinstance(board.focused, Input)
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(board.focused, BoardTable) and board.flt.text == "普法"
        assert board.query_one(BoardTable).cursor_row == 0
        await pilot.press("down")  # and ↓ there moves the cursor, as before
        assert board.query_one(BoardTable).cursor_row == 1


async def test_focus_is_visible_on_every_filter_field(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await _board(pilot)
        for widget in board.query(".filter-row > *"):
            painted = widget.query_one(SelectCurrent) if isinstance(widget, Select) else widget
            before = painted.styles.background
            widget.focus()
            await pilot.pause()
            assert painted.styles.background != before, widget.id
            board.query_one(BoardTable).focus()
            await pilot.pause()


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_sort_and_reverse_are_in_the_footer(demo_file: Database, frozen, language: str) -> None:
    app = make_app(Settings(language=language), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await _board(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "o/O" in footer and t("tui.key.sort_reverse") in footer


def test_short_number_finds_the_task(demo_file: Database, frozen) -> None:
    office = Actor(0, "office", "office", None)
    with demo_file.read() as session:
        assert [code for code, _ in tasks_matching(session, actor=office, query="005")] == ["DB-2026-005"]
        assert [code for code, _ in tasks_matching(session, actor=office, query="5")] == ["DB-2026-005"]
        assert "DB-2026-005" in [code for code, _ in tasks_matching(session, actor=office,
                                                                    query="2026-005")]


async def test_palette_finds_a_task_by_short_number(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        app.action_command_palette()
        await settle(pilot)
        await pilot.press(*"005")
        for _ in range(100):
            await pilot.pause(0.05)
            if "DB-2026-005" in screen_text(app):
                break
        assert app.screen.query_one(CommandList).option_count >= 1
        assert "DB-2026-005" in screen_text(app)


SCREENS = {"home": HomeScreen, "board": BoardScreen, "task": TaskScreen, "review": ReviewScreen,
           "scores": ScoresScreen, "register": RegisterScreen, "form": ActionForm}
KEY_NAMES = {"escape": "Esc", "slash": "/", "enter": "Enter", "down": "↓"}


def _shown(key: str) -> str:
    if key.startswith("ctrl+"):
        return "Ctrl+" + key[5:].upper()
    return KEY_NAMES.get(key, key)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_help_covers_every_screen_and_key(language: str) -> None:
    set_language(language)
    assert set(SCREENS) <= set(SECTIONS)
    for section, screen in SCREENS.items():
        documented = {name for cell, _ in pairs(section) for name in cell.split(" / ")}
        for binding in screen.BINDINGS:
            if binding.description or binding.action == "leave_filter":
                for key in binding.key.split(","):
                    assert _shown(key) in documented, (section, key)
        assert all(meaning for _, meaning in pairs(section)), section


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_help_never_splits_a_key_from_its_meaning(demo_file: Database, frozen,
                                                        language: str) -> None:
    app = make_app(Settings(language=language), demo_file)
    async with app.run_test(size=(80, 150)) as pilot:
        await login(pilot, "office")
        app.action_help()
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        lines = screen_text(app).splitlines()
        # How to close it is said on it (its footer is the screen's beneath).
        assert any(("按 Esc 关闭" if language == "zh" else "Esc to close") in line for line in lines)
        for section in SECTIONS:
            for key, meaning in pairs(section):
                start = re.escape(meaning[:3])  # (the SVG drops the unstyled gap)
                assert any(re.search(rf"{re.escape(key)}\s*{start}", line) for line in lines), (key, meaning)
