"""Delete in the saved filters' list asks first, naming the filter (a helper lost one with
a stray key: it went at once and for good)."""

from textual.widgets import OptionList
from tui_support import login, screen_text, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.services import directory, saved_filters
from coordboard.services.auth import actor_of
from coordboard.services.board import BoardFilter
from coordboard.tui.app import make_app
from coordboard.tui.screens.confirm import ConfirmDialog
from coordboard.tui.screens.saved_filters import LoadFilterScreen

NAMES = ["本周逾期", "[b]司法所[/b]"]


def _saved(db: Database) -> list[str]:
    with db.read() as session:
        office = actor_of(directory.user_by_name(session, "office"))
        return [name for name, _ in saved_filters.list_for(session, office.user_id)]


async def test_delete_asks_first_and_no_keeps_the_filter(demo_file: Database) -> None:
    with demo_file.write() as session:
        office = actor_of(directory.user_by_name(session, "office"))
        for name in NAMES:
            saved_filters.save(session, user_id=office.user_id, name=name,
                               flt=BoardFilter(text=name))
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "office")
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot, 6)
        chooser = app.screen
        assert isinstance(chooser, LoadFilterScreen)
        menu = chooser.query_one(OptionList)
        menu.highlighted = chooser.names.index("[b]司法所[/b]")
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "[b]司法所[/b]" in screen_text(app)  # named literally, never as markup
        await pilot.press("escape")  # no
        await settle(pilot)
        assert app.screen is chooser
        assert sorted(_saved(demo_file)) == sorted(NAMES)
        await pilot.press("delete")
        await settle(pilot)
        await pilot.click("#confirm-yes")
        await settle(pilot, 6)
        assert app.screen is chooser
        assert _saved(demo_file) == ["本周逾期"]
        assert chooser.names == ["本周逾期"]
