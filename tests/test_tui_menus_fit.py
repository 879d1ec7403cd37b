"""The action menu and the saved filters fit a short terminal: their list scrolls inside
the dialog, so the last item, highlighted, is in view (a helper at 60×20 ran a hidden
"mark stage reached" with End, Enter: the list ran past the dialog's bottom, cut)."""

import pytest
from textual.widgets import OptionList
from tui_support import login, screen_text, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.tui.app import make_app
from coordboard.tui.screens.action_menu import ActionMenu
from coordboard.tui.screens.task import TaskScreen


def assert_inside(menu: OptionList) -> None:
    dialog = menu.parent
    assert dialog is not None
    assert menu.region.bottom <= dialog.content_region.bottom, (menu.region, dialog.content_region)


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_the_action_menu_scrolls_inside_a_short_terminal(demo_file: Database,
                                                               language: str) -> None:
    app = make_app(Settings(language=language), demo_file)
    async with app.run_test(size=(60, 20)) as pilot:
        await login(pilot, "office")
        app.open_task("DB-2026-003")
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ActionMenu)
        menu = app.screen.query_one(OptionList)
        assert menu.virtual_size.height > menu.size.height  # more lines than rows: it scrolls
        assert_inside(menu)
        await pilot.press("end")  # the last enabled action
        await settle(pilot)
        assert menu.highlighted is not None
        label = str(menu.get_option_at_index(menu.highlighted).prompt).split("  ")[0]
        assert label in screen_text(app)  # the highlighted action is in view


async def test_the_saved_filters_list_fits_too(demo_file: Database) -> None:
    from coordboard.services import directory, saved_filters
    from coordboard.services.auth import actor_of
    from coordboard.services.board import BoardFilter
    from coordboard.tui.screens.saved_filters import LoadFilterScreen

    with demo_file.write() as session:
        office = actor_of(directory.user_by_name(session, "office"))
        for number in range(14):
            saved_filters.save(session, user_id=office.user_id, name=f"filter {number}",
                               flt=BoardFilter(text=str(number)))
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(60, 20)) as pilot:
        await login(pilot, "office")
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot, 6)
        assert isinstance(app.screen, LoadFilterScreen)
        menu = app.screen.query_one(OptionList)
        assert menu.option_count == 14 and menu.size.height < 14
        assert_inside(menu)
