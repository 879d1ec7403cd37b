"""Keystrokes land where they were typed (rule: nothing moves focus or rewrites an Input
under the user's fingers: no focus call after an asynchronous load, no value written
into a field the user has touched)."""

from textual.widgets import Input
from tui_support import burst, login, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.tui.app import make_app
from coordboard.tui.screens.board import BoardScreen
from coordboard.tui.screens.login import LoginScreen


def keys(text: str) -> list[str]:
    return ["minus" if c == "-" else c for c in text]


async def test_dates_typed_at_full_speed_on_the_board(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        # The board is on screen and still loading its rows when the user types.
        await pilot.press("b")
        # search, light, status, category, unit, role, leader, then the first date
        burst(pilot, "slash", *keys("改革"), *["tab"] * 7,
              *keys("2026-12-01"), "tab", *keys("2026-12-09"))
        await settle(pilot)
        board = app.screen
        assert isinstance(board, BoardScreen)
        assert board.query_one("#flt-text", Input).value == "改革"
        assert board.query_one("#flt-from", Input).value == "2026-12-01"
        assert board.query_one("#flt-to", Input).value == "2026-12-09"
        # Again right after a refresh (another user's change) is on its way.
        board.query_one("#flt-from", Input).value = ""
        board.query_one("#flt-to", Input).value = ""
        await settle(pilot)
        board.query_one("#flt-from", Input).focus()
        app.data_changed()
        burst(pilot, *keys("2026-12-02"), "tab", *keys("2026-12-08"))
        await settle(pilot)
        assert board.query_one("#flt-from", Input).value == "2026-12-02"
        assert board.query_one("#flt-to", Input).value == "2026-12-08"


async def test_login_typed_at_full_speed_right_after_logout(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        await pilot.press("L")  # the login screen shows; its hint is still loading
        burst(pilot, *keys("sfs"), "tab", *keys("demo1234"))
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#login-username", Input).value == "sfs"
        assert app.screen.query_one("#login-password", Input).value == "demo1234"


async def test_login_form_and_board_typed_at_full_speed_after_logout_and_refresh(
        demo_file: Database, frozen) -> None:
    """One user's burst after another: the login typed blind (name, Tab, password, Enter)
    right after a logout, then the register form opened and filled while its unit list
    loads and a refresh arrives, then the board's filters. Every character where typed."""
    from coordboard.tui.screens.home import HomeScreen
    from coordboard.tui.screens.register import RegisterScreen

    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        await pilot.press("L")
        burst(pilot, *keys("office"), "tab", *keys("demo1234"), "enter")
        for _ in range(100):
            await settle(pilot, 1)
            if isinstance(app.screen, HomeScreen):
                break
        assert isinstance(app.screen, HomeScreen)

        # The form: typed into while its unit list loads, a refresh arriving in the middle.
        # (Keys typed before the key that opens a screen has opened it go to the screen
        # underneath: Textual routes each key to the screen on top when it arrives.)
        await pilot.press("g")
        burst(pilot, *keys("整治占道经营"), "tab", *keys("早晚高峰"))
        app.data_changed()
        # Source, priority, category and leader are lists.
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RegisterScreen)
        assert [form.query_one(f"#reg-{name}", Input).value
                for name in ("title", "description")] == ["整治占道经营", "早晚高峰"]

        # The board's filters, typed the moment it opens, a refresh on its way. (Leaving
        # the form with its text asks first: yes.)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.click("#confirm-yes")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("b")
        # search, light, status, category, unit, role, leader, then the first date
        burst(pilot, "slash", *keys("法治"), *["tab"] * 7, *keys("2026-12-01"))
        app.data_changed()
        burst(pilot, "tab", *keys("2026-12-31"))
        await settle(pilot)
        board = app.screen
        assert isinstance(board, BoardScreen)
        assert board.query_one("#flt-text", Input).value == "法治"
        assert board.query_one("#flt-from", Input).value == "2026-12-01"
        assert board.query_one("#flt-to", Input).value == "2026-12-31"
