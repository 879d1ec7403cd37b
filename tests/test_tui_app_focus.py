"""A login screen that opened while the app had no focus (a browser tab over ``serve`` in
the background, a terminal window behind another) takes keys as soon as the app has focus
again: Textual skips AUTO_FOCUS while blurred and, on return, restores only what was
focused before, which would leave the username unfocused and the first keys lost."""

from textual import events

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.tui.app import make_app
from coordboard.tui.screens.login import LoginScreen


async def test_login_opened_while_blurred_has_its_username_focused_on_return(
        demo_file: Database) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(100, 30)) as pilot:
        app.post_message(events.AppBlur())
        for _ in range(200):
            await pilot.pause(0.02)
            if isinstance(app.screen, LoginScreen):
                break
        assert isinstance(app.screen, LoginScreen)
        await pilot.pause()
        assert app.screen.focused is None  # Textual's rule while blurred
        app.post_message(events.AppFocus())
        await pilot.pause()
        await pilot.press(*"sfs")
        assert app.screen.query_one("#login-username").value == "sfs"
