"""A form or dialog shows its own keys at the bottom, not the keys of the screen beneath it
(a helper read "a 操作  w 不可操作原因" under a supervision note's form, keys that do nothing
while the form is open)."""

import pytest
from tui_support import login, open_task, screen_text, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.tui.app import make_app
from coordboard.tui.screens.action_form import ActionForm
from coordboard.tui.screens.task import TaskScreen


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_an_action_form_shows_its_own_keys(demo_file: Database,
                                                 size: tuple[int, int]) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=size) as pilot:
        await login(pilot, "office")
        await open_task(pilot, "DB-2026-003")
        task = app.screen
        assert isinstance(task, TaskScreen)
        assert "不可操作原因" in screen_text(app).splitlines()[-1]
        task.start_action("note")
        await settle(pilot)
        assert isinstance(app.screen, ActionForm)
        bottom = screen_text(app).splitlines()[-1]
        assert "取消" in bottom and "确定" in bottom, bottom
        assert "不可操作原因" not in bottom and "保存材料" not in bottom, bottom
        # the form's buttons are still in view above its keys
        submit = app.screen.query_one("#form-submit")
        assert submit.region.bottom <= size[1] - 1, submit.region


async def test_a_confirmation_shows_its_own_keys(demo_file: Database) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        await pilot.press("g")
        await settle(pilot)
        await pilot.press(*"普法")
        await pilot.press("escape")
        await settle(pilot)
        bottom = screen_text(app).splitlines()[-1]
        assert "取消" in bottom and "存草稿" not in bottom, bottom


async def test_english_action_labels_start_with_a_capital(demo_file: Database) -> None:
    """On buttons, menu lines and form headings an action stands alone: "Report progress"
    beside "More…", not "report progress" (sentences keep the catalogue's lower case)."""
    from textual.widgets import Button, OptionList

    from coordboard.tui.screens.action_menu import ActionMenu
    from coordboard.tui.widgets.action_bar import ActionBar

    app = make_app(Settings(language="en"), demo_file)
    async with app.run_test(size=(160, 40)) as pilot:
        await login(pilot, "office")
        await open_task(pilot, "DB-2026-003")
        task = app.screen
        labels = [str(button.label) for button in task.query_one(ActionBar).query(Button)]
        assert "Add a supervision note" in labels, labels
        assert all(label[:1].isupper() for label in labels), labels
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ActionMenu)
        menu = app.screen.query_one(OptionList)
        lines = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
        assert lines and all(line[:1].isupper() for line in lines), lines
        await pilot.press("escape")
        await settle(pilot)
        task.start_action("note")
        await settle(pilot)
        assert str(app.screen.query_one(".dialog-title").render()).startswith("Add a supervision note")
