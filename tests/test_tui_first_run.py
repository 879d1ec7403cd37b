"""First run on an empty database, driven by Pilot."""

from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select
from textual.widgets import Input, Static
from tui_support import login, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.migrate import ensure_schema
from coordboard.models import Task, User
from coordboard.tui.app import make_app
from coordboard.tui.screens.first_run import FirstRunScreen
from coordboard.tui.screens.home import HomeScreen
from coordboard.tui.screens.login import LoginScreen


@pytest.fixture
def empty(tmp_path: Path) -> Database:
    db = Database.from_url(f"sqlite:///{tmp_path / 'empty.db'}")
    ensure_schema(db)
    return db


async def _type(pilot, selector: str, text: str) -> None:
    pilot.app.screen.query_one(selector, Input).value = text
    await pilot.pause()


async def test_create_first_admin_with_a_mismatch_first(empty: Database) -> None:
    app = make_app(Settings(), empty)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)  # the first-run check is a worker's
        assert isinstance(app.screen, FirstRunScreen)
        await _type(pilot, "#username", "admin")
        await _type(pilot, "#password", "secret1")
        await _type(pilot, "#confirm", "secret2")
        await pilot.click("#create-admin")
        await settle(pilot)
        assert "不一致" in str(app.screen.query_one("#first-run-error", Static).render())
        await _type(pilot, "#confirm", "secret1")
        await pilot.pause(0.3)  # a Button ignores a second press during its active effect
        await pilot.click("#create-admin")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen), str(
            app.screen.query_one("#first-run-error", Static).render())
        await login(pilot, "admin", "secret1")  # the new admin can log in at once
    with empty.read() as session:
        users = session.exec(select(User)).all()
    assert [(u.username, u.role) for u in users] == [("admin", "admin")]


async def test_enter_goes_field_to_field_and_creates_the_admin_from_the_last(
        empty: Database) -> None:
    """At 80x24 the buttons are below the fold: Enter in a field goes to the next one, and in
    the confirmation it creates the admin, as Enter in the login's password logs in."""
    app = make_app(Settings(), empty)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        app.screen.query_one("#username", Input).focus()
        for field, text in (("username", "admin"), ("display-name", "管理员"),
                            ("password", "secret1"), ("confirm", "secret1")):
            assert app.focused is not None and app.focused.id == field
            await pilot.press(*text)
            await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
    with empty.read() as session:
        assert [u.display_name for u in session.exec(select(User)).all()] == ["管理员"]


async def test_load_demo_from_first_run(empty: Database, frozen) -> None:
    app = make_app(Settings(), empty)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.click("#load-demo")
        # Polled, not waited on: the first-run screen goes (and its worker with it, possibly
        # cancelled as it returns) once the demo is in, which made wait_for_complete raise.
        for _ in range(400):
            await pilot.pause(0.05)
            if isinstance(app.screen, LoginScreen):
                break
        await settle(pilot)
        # The login screen now tells which demo accounts exist.
        assert "demo1234" in str(app.screen.query_one("#login-demo", Static).render())
        await login(pilot, "office")
        assert isinstance(app.screen, HomeScreen)
    with empty.read() as session:
        assert session.exec(select(func.count()).select_from(Task)).one() == 45


async def test_quit_from_first_run_leaves_the_database_empty(empty: Database) -> None:
    app = make_app(Settings(), empty)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.click("#quit")
        await pilot.pause()
    assert not app.is_running
    with empty.read() as session:
        assert session.exec(select(func.count()).select_from(User)).one() == 0


async def test_markup_in_the_admin_name_is_shown_literally(empty: Database) -> None:
    app = make_app(Settings(), empty)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await _type(pilot, "#username", "[/]")
        await _type(pilot, "#password", "secret1")
        await _type(pilot, "#confirm", "secret1")
        await pilot.click("#create-admin")
        await settle(pilot)
        assert app.is_running and not isinstance(app.screen, FirstRunScreen)
    with empty.read() as session:
        assert session.exec(select(User.username)).all() == ["[/]"]
