"""The task screen as a unit head and the office meet it: the focus where Enter acts, and
the deadline's counts read at a glance."""

from textual.widgets import Button
from tui_support import login, screen_text, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.tui.app import make_app
from coordboard.tui.screens.task import TaskScreen


async def test_the_main_action_has_the_focus_on_opening_and_after_each_action(
        demo_file: Database) -> None:
    """The task screen opened with nothing focused (Enter did nothing, no button showed
    focus) and lost the focus again after each action (a helper, as a unit head)."""
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "sfs")
        app.open_task("DB-2026-041")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TaskScreen)
        assert isinstance(screen.focused, Button) and screen.focused.id == "act-acknowledge"
        await pilot.press("enter")  # acknowledge: its form, then submitted
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot, 6)
        assert app.screen is screen
        assert isinstance(screen.focused, Button) and screen.focused.parent is \
            screen.query_one("#task-actions")
        assert screen.focused.id != "act-acknowledge"  # the next thing to do


async def test_a_late_task_counts_its_calendar_days_without_a_minus(demo_file: Database) -> None:
    """"逾期4（-4 个自然日）" read as a sum to work out (a helper): the late side is said by
    the working days, the calendar days are a count."""
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        app.open_task("DB-2026-003")  # red: past its deadline
        await settle(pilot)
        text = screen_text(app)
        assert "逾期" in text and "个自然日）" in text
        assert "（-" not in text
