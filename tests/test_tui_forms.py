"""Form widgets: a select whose value is False, and option labels drawn whole."""

from textual.widgets import DataTable, Select, Static
from tui_support import login, screen_text, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import RequestState
from coordboard.models import ExtensionRequest
from coordboard.tui.app import make_app
from coordboard.tui.screens.action_form import ActionForm
from coordboard.tui.screens.task import TaskScreen


async def _extension_form(pilot) -> tuple[str, ActionForm]:
    app = pilot.app
    await login(pilot, "office")
    pending = app.screen.query_one("#home-pending", DataTable)
    row = next(r for r in range(pending.row_count) if str(pending.get_cell_at((r, 0))) == "延期")
    code = str(pending.get_cell_at((row, 1)))
    app.open_task(code)
    await settle(pilot)
    assert isinstance(app.screen, TaskScreen)
    for _ in range(50):
        if app.screen.query("#act-decide_extension"):
            break
        await settle(pilot, 1)
    await pilot.click("#act-decide_extension")
    await settle(pilot)
    assert isinstance(app.screen, ActionForm)
    return code, app.screen


async def test_an_extension_can_be_refused_from_the_task_screen(demo_file: Database, frozen) -> None:
    """Rule: 不同意 (False) is a choice, not a missing value."""
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        code, form = await _extension_form(pilot)
        select = form.query_one("#field-approve", Select)
        select.focus()
        await pilot.press("enter")  # open the list, move to the second choice, take it
        await settle(pilot, 1)
        await pilot.press("down", "enter")
        await settle(pilot, 1)
        assert select.value == "refuse"
        await pilot.click("#form-submit")
        await settle(pilot)
        assert not isinstance(app.screen, ActionForm), str(
            form.query_one("#form-error", Static).render())
    with demo_file.read() as session:
        from sqlmodel import select as sql

        states = session.exec(sql(ExtensionRequest.state)).all()
    assert RequestState.REFUSED in states or "refused" in states, (code, states)


async def test_dropdown_labels_are_drawn_whole(demo_file: Database, frozen) -> None:
    """Rule: an option's first character is never lost (不同意 is not drawn as 同意): the
    dropdown's line is not cut at edges of the widgets under it (tui/wide_cuts.py)."""
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        _code, form = await _extension_form(pilot)
        select = form.query_one("#field-approve", Select)
        select.focus()
        await pilot.press("enter")
        await settle(pilot, 1)
        shown = screen_text(app)
        assert "不同意" in shown and "同意" in shown, shown
        await pilot.press("down", "enter")
        await settle(pilot, 1)
        assert "不同意" in screen_text(app)
