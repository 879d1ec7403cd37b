"""A row that does not fit its width is cut whole, never mid-word at the edge (issue 13:
"cut text always ends in '…' and the full text is one key away"): the footer's keys give
way to "…" with F1 kept, the task's action buttons to "更多…" opening the action menu."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Button
from textual.widgets._footer import FooterKey
from tui_support import login, open_task, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.tui.app import make_app
from coordboard.tui.screens.action_menu import ActionMenu
from coordboard.tui.screens.help import HelpScreen
from coordboard.tui.screens.home import HomeScreen
from coordboard.tui.screens.task import TaskScreen
from coordboard.tui.widgets.action_bar import MORE_ID
from coordboard.tui.widgets.footer import KeysFooter, MoreKeys
from coordboard.tui.widgets.row_fit import fitting, flowed


def test_fitting_keeps_room_for_the_mark_only_when_something_is_left_out() -> None:
    assert fitting([3, 3, 3], 9, 2) == 3  # all fit: no mark
    assert fitting([3, 3, 3], 8, 2) == 2  # 3 + 3 + mark 2
    assert fitting([3, 3, 3], 7, 2) == 1  # 3 + 3 + 2 would be 8
    assert fitting([5], 4, 1) == 0
    assert fitting([], 0, 1) == 0


def test_flowed_breaks_lines_only_between_items() -> None:
    items = ["牵头单位：宣传办", "交办时间：2026-09-29 08:30"]
    assert flowed(items, 80) == "牵头单位：宣传办    交办时间：2026-09-29 08:30"
    assert flowed(items, 30) == "牵头单位：宣传办\n交办时间：2026-09-29 08:30"
    assert flowed(items, 0) == "牵头单位：宣传办    交办时间：2026-09-29 08:30"  # width not known
    assert flowed(["a" * 50, "b"], 20) == "a" * 50 + "\nb"  # too wide: a line of its own


@given(st.lists(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
                        min_size=1, max_size=30), max_size=8),
       st.integers(min_value=1, max_value=100))
def test_flowed_keeps_items_whole_in_order_and_within_the_room(items: list[str], room: int) -> None:
    from coordboard.textwidth import display_width

    lines = flowed(items, room).split("\n")
    placed = [line.split(" " * 4) for line in lines]
    if not any("    " in item for item in items):  # the gap tells the items apart
        assert [item for line in placed for item in line] == (items or [""])
        for line in lines:
            assert display_width(line) <= room or " " * 4 not in line  # over only when alone


def shown_keys(app) -> list[FooterKey]:
    footer = app.screen.query_one(KeysFooter)
    return [key for key in footer.query_children(FooterKey) if key.display]


def assert_row_whole(app) -> None:
    footer = app.screen.query_one(KeysFooter)
    palette = next(key for key in footer.query_children(FooterKey)
                   if key.has_class("-command-palette"))
    for key in shown_keys(app):
        if key is not palette:
            assert key.region.right <= palette.region.x, key.description


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_footer_hides_whole_keys_keeps_help_and_says_more(demo_file: Database,
                                                                language: str) -> None:
    app = make_app(Settings(language=language), demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "office")
        assert isinstance(app.screen, HomeScreen)
        await settle(pilot)
        more = app.screen.query_one(MoreKeys)
        assert more.display and more.region.width  # "…" is shown
        every = list(app.screen.query_one(KeysFooter).query_children(FooterKey))
        actions = [key.action for key in shown_keys(app)]
        assert "help" in actions and len(actions) < len(every)
        assert_row_whole(app)
        await pilot.click(MoreKeys)
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)  # the rest is one key (or click) away
        await pilot.press("escape")
        await settle(pilot)

        await pilot.resize_terminal(200, 24)
        await settle(pilot)
        assert not app.screen.query_one(MoreKeys).display
        assert len(shown_keys(app)) == len(every)
        assert_row_whole(app)


async def test_action_buttons_that_do_not_fit_give_way_to_more(demo_file: Database) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(60, 30)) as pilot:
        await login(pilot, "office")
        app.open_task("DB-2026-003")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TaskScreen)
        bar = screen.query_one("#task-actions")
        buttons = [button for button in bar.query_children(Button) if button.display]
        more = screen.query_one(f"#{MORE_ID}", Button)
        assert more in buttons and len(buttons) < len(bar.query_children(Button))
        for button in buttons:  # every shown button whole inside the bar
            assert bar.region.x <= button.region.x and button.region.right <= bar.region.right
        more.press()
        await settle(pilot)
        assert isinstance(app.screen, ActionMenu)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.resize_terminal(160, 30)
        await settle(pilot)
        assert not more.display
        assert all(button.display for button in bar.query_children(Button)
                   if button.id != MORE_ID)



async def test_the_task_heads_fields_are_never_split_across_lines(demo_file: Database) -> None:
    """At 80 columns "交办时间：2026-09-29 08:30" wrapped at its space, the time alone on the
    next line; a field now moves to the next line whole, and again after a resize."""
    from tui_support import screen_text

    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "office")
        await open_task(pilot, "DB-2026-003")
        for size in [(80, 24), (100, 30), (70, 24)]:
            await pilot.resize_terminal(*size)
            await settle(pilot)
            text = screen_text(app)
            line = next(line for line in text.splitlines() if "交办时间" in line)
            assert re.search(r"交办时间：\d{4}-\d\d-\d\d \d\d:\d\d", line), (size, text)
