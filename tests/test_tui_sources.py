"""The register form's instruction fields and category list, and the board's category filter
(issue 14 item 5), at 80×24."""

from sqlmodel import select
from textual.widgets import Button, Select, Static
from tui_support import login, screen_text, settle, type_into

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.models import Task
from coordboard.services import tasks
from coordboard.tui.app import make_app
from coordboard.tui.screens.board import BoardScreen
from coordboard.tui.screens.register import RegisterScreen
from coordboard.tui.screens.task import TaskScreen


async def test_registering_an_instruction_and_filtering_the_board_by_category(
        demo_copy: Database) -> None:
    app = make_app(Settings(), demo_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "office")
        app.action_register()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RegisterScreen)
        for _ in range(60):  # the unit, leader and category lists arrive from a worker
            if screen.units and not screen.query_one("#reg-category", Select).loading:
                break
            await settle(pilot)
        assert screen.query_one("#reg-instruction").has_class("hidden")
        await type_into(pilot, "#reg-title", "专项资金检查")
        screen.query_one("#reg-lead", Select).value = next(
            uid for uid, name in screen.units if name == "司法所")
        await type_into(pilot, "#reg-deadline", "2026-12-31")
        screen.query_one("#reg-source", Select).value = "instruction"
        await settle(pilot)
        assert not screen.query_one("#reg-instruction").has_class("hidden")
        category = screen.query_one("#reg-category", Select)
        assert "普法宣传" in [str(prompt) for prompt, _value in category._options]
        category.value = "普法宣传"
        await pilot.press("ctrl+s")  # the leader and words are still missing
        await settle(pilot)
        assert "批示领导" in str(screen.query_one("#reg-error-instruction", Static).render())
        await type_into(pilot, "#reg-instruction-by", "王镇长")
        await type_into(pilot, "#reg-instruction-date", "2026-11-20")
        await type_into(pilot, "#reg-instruction-text", "[/] 月底前报告")
        screen.query_one("#reg-draft", Button).press()
        for _ in range(60):  # the save runs in a worker; a loaded machine may take seconds
            await settle(pilot)
            if isinstance(app.screen, TaskScreen):
                break
        assert isinstance(app.screen, TaskScreen), screen_text(app)
        code = app.screen.code
        with demo_copy.read() as session:
            task = tasks.task_by_code(session, code)
            assert (task.source, task.instruction_by, task.instruction_text, task.category) == (
                "instruction", "王镇长", "[/] 月底前报告", "普法宣传")

        app.action_board()
        await settle(pilot, 6)
        board = app.screen
        assert isinstance(board, BoardScreen)
        board.query_one("#flt-category", Select).value = "依法行政"
        await settle(pilot, 6)
        assert board.flt.category == "依法行政"
        with demo_copy.read() as session:
            wanted = set(session.exec(select(Task.code).where(Task.category == "依法行政")).all())
        table = board.query_one("#board-table")
        shown = {table.cell(row, 0).plain for row in range(table.row_count)}
        assert shown and shown <= wanted
