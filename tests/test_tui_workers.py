"""A slow shared server never stalls the screen (issue 13, item 5): every database call a
screen makes runs in a worker thread. Each service below is held on a threading.Event, as
a server that does not answer would hold it; the screen must still take keys meanwhile,
and finish its work once the service is released. A call made on the UI thread is
recorded (and not held, so a wrong screen fails the test instead of hanging it)."""

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList, Select
from tui_support import burst, login, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.migrate import ensure_schema
from coordboard.tui.app import make_app
from coordboard.tui.screens.board import BoardScreen
from coordboard.tui.screens.first_run import FirstRunScreen
from coordboard.tui.screens.help import HelpScreen
from coordboard.tui.screens.login import LoginScreen
from coordboard.tui.screens.register import RegisterScreen
from coordboard.tui.screens.saved_filters import LoadFilterScreen
from coordboard.tui.screens.starting import StartingScreen

HOLD_AT_MOST_S = 20.0


class Gate:
    """Holds the patched services while closed; records calls made on the UI thread."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.open.set()
        self.held: list[str] = []  # calls waiting at the gate now
        self.on_ui_thread: list[str] = []

    def close(self) -> None:
        self.open.clear()

    def release(self) -> None:
        self.open.set()

    def wrap(self, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def held(*args: Any, **kwargs: Any) -> Any:
            if threading.current_thread() is threading.main_thread():
                self.on_ui_thread.append(name)
            elif not self.open.is_set():
                self.held.append(name)
                # Bounded: a test that fails while the gate is closed tears its event loop
                # down before this fixture's release, and the loop waits for this thread.
                self.open.wait(timeout=HOLD_AT_MOST_S)
                self.held.remove(name)
            return real(*args, **kwargs)

        return held


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    from coordboard.services import auth, directory, saved_filters, setup

    found = Gate()
    for module, name in [(setup, "needs_setup"), (setup, "create_first_admin"),
                         (auth, "authenticate"), (auth, "logout"),
                         (directory, "list_departments"), (saved_filters, "list_for")]:
        monkeypatch.setattr(module, name, found.wrap(name, getattr(module, name)))
    yield found
    found.release()  # never leave a worker thread waiting after a failed assertion


async def held(pilot, gate: Gate, name: str) -> None:
    """Until a worker waits at the gate in ``name`` (the UI keeps running meanwhile)."""
    for _ in range(400):
        if name in gate.held:
            return
        await pilot.pause(0.01)
    raise AssertionError(f"no worker reached {name}; on the UI thread: {gate.on_ui_thread}")


async def test_a_first_run_on_a_server_that_does_not_answer(tmp_path: Path, gate: Gate) -> None:
    db = Database.from_url(f"sqlite:///{tmp_path / 'empty.db'}")
    ensure_schema(db)
    gate.close()
    app = make_app(Settings(), db)
    async with app.run_test(size=(100, 32)) as pilot:
        await held(pilot, gate, "needs_setup")
        assert isinstance(app.screen, StartingScreen)  # a loading screen, not a frozen one
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)  # keys still answer
        await pilot.press("escape")
        gate.release()
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)

        # Creating the admin (hashing, writing) is held too; the form keeps taking keys.
        gate.close()
        screen = app.screen
        for selector, value in (("#username", "admin"), ("#password", "secret1"),
                                ("#confirm", "secret1")):
            screen.query_one(selector, Input).value = value
        await pilot.click("#create-admin")
        await held(pilot, gate, "create_first_admin")
        screen.query_one("#display-name", Input).focus()
        await pilot.press("x", "y")
        assert screen.query_one("#display-name", Input).value == "xy"
        gate.release()
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
    assert gate.on_ui_thread == []


async def test_board_filters_and_logout_on_a_server_that_does_not_answer(
        demo_file: Database, gate: Gate) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")

        # The board's unit list: the rows show and the search takes keys meanwhile.
        gate.close()
        await pilot.press("b")
        await held(pilot, gate, "list_departments")
        board = app.screen
        assert isinstance(board, BoardScreen)
        units = board.query_one("#flt-unit", Select)
        assert units.loading
        burst(pilot, "slash", *"改革")
        await pilot.pause(0.2)
        assert board.query_one("#flt-text", Input).value == "改革"
        gate.release()
        await settle(pilot)
        assert not units.loading and len(units._options) > 2  # every active unit, and "all"
        assert board.query_one("#flt-text", Input).value == "改革"

        # Saved filters: the list loads in a worker; Esc closes the dialog meanwhile.
        await pilot.press("escape")  # from the search back to the rows
        gate.close()
        await pilot.press("l")
        await held(pilot, gate, "list_for")
        assert isinstance(app.screen, LoadFilterScreen)
        assert app.screen.query_one(OptionList).loading
        await pilot.press("escape")
        assert app.screen is board
        gate.release()
        await settle(pilot)
        assert app.screen is board  # the late answer went nowhere

        # The register form: units from a worker, the title typed meanwhile.
        gate.close()
        await pilot.press("escape")
        app.action_register()
        await held(pilot, gate, "list_departments")
        assert isinstance(app.screen, RegisterScreen)
        burst(pilot, *"新任务")
        await pilot.pause(0.2)
        assert app.screen.query_one("#reg-title", Input).value == "新任务"
        gate.release()
        await settle(pilot)
        assert len(app.screen.query_one("#reg-lead", Select)._options) > 1

        # Logging out: the login screen is there at once and takes the next user's name.
        gate.close()
        app.action_logout()
        await held(pilot, gate, "logout")
        assert isinstance(app.screen, LoginScreen)
        burst(pilot, *"sfs")
        await pilot.pause(0.2)
        assert app.screen.query_one("#login-username", Input).value == "sfs"
        gate.release()
        await settle(pilot)
    assert gate.on_ui_thread == []
