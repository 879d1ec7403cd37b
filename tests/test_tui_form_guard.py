"""Esc (or Cancel) asks before a form throws away what was typed; with nothing typed it
closes at once (a helper lost a half-written supervision note and a registration)."""

from textual.widgets import Input
from tui_support import login, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.tui.app import make_app
from coordboard.tui.screens.action_form import ActionForm
from coordboard.tui.screens.confirm import ConfirmDialog
from coordboard.tui.screens.register import RegisterScreen
from coordboard.tui.screens.task import TaskScreen


async def test_a_task_form_asks_before_its_text_is_lost(demo_file: Database) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        app.open_task("DB-2026-003")
        await settle(pilot)
        task = app.screen
        assert isinstance(task, TaskScreen)
        task.start_action("suspend")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ActionForm)
        await pilot.press("escape")  # nothing typed: closes at once
        await settle(pilot)
        assert app.screen is task
        task.start_action("suspend")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ActionForm)
        field = form.query(Input).first()
        field.value = "等待上级批复"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # no: back to the form, the text kept
        await settle(pilot)
        assert app.screen is form and field.value == "等待上级批复"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.click("#confirm-yes")  # yes: the form closes
        await settle(pilot)
        assert app.screen is task


async def test_registering_asks_too(demo_file: Database) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        home = app.screen
        await pilot.press("g")
        await settle(pilot)
        register = app.screen
        assert isinstance(register, RegisterScreen)
        await pilot.press(*"普法")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm-no")
        await settle(pilot)
        assert app.screen is register
        assert register.query_one("#reg-title", Input).value == "普法"
        register.query_one("#reg-title", Input).value = ""  # nothing typed any more
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is home
