"""Tables never crash on rows that name the same thing twice (rule: rows are keyed by
position, never by what they show; ``DuplicateKey`` would end the app)."""

from datetime import date

from sqlmodel import col, select
from textual.widgets import DataTable
from tui_support import login, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import TaskStatus
from coordboard.models import Task, TaskUnit
from coordboard.services import directory, progress
from coordboard.tui.app import make_app
from coordboard.tui.screens.home import HomeScreen
from coordboard.tui.screens.task import TaskScreen


def _two_open_notes_for_sfs(db: Database) -> str:
    """An urge and a supervision letter, both open, on one task for sfs's unit."""
    with db.write() as session:
        head = directory.user_by_name(session, "sfs")
        unit = head.department_id
        task = session.exec(
            select(Task).join(TaskUnit, col(TaskUnit.task_id) == Task.id)
            .where(TaskUnit.department_id == unit, Task.status == TaskStatus.IN_PROGRESS)
            .order_by(col(Task.id))).first()
        assert task is not None
        for kind in ("urge", "letter"):
            progress.add_note(session, task=task, kind=kind, body=f"请回复（{kind}）", actor_id=None,
                              department_id=unit, respond_by=date(2026, 12, 1),
                              today=date(2026, 11, 25))
        return task.code


async def test_head_home_with_two_open_notes_on_one_task(demo_file: Database, frozen) -> None:
    code = _two_open_notes_for_sfs(demo_file)
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "sfs")
        todo = app.screen.query_one("#home-todo", DataTable)
        urges = [r for r in range(todo.row_count)
                 if str(todo.get_cell_at((r, 1))) == code and str(todo.get_cell_at((r, 0))) == "回复督办"]
        assert len(urges) >= 2
        # The second of the two rows opens its task too.
        todo.focus()
        todo.move_cursor(row=urges[1])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen) and app.screen.code == code
        # A refresh (another user's change) refills the same rows without a crash.
        app.screen.action_back()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        app.data_changed()
        await settle(pilot)
        assert app.screen.query_one("#home-todo", DataTable).row_count == todo.row_count


async def test_an_empty_table_takes_no_focus_and_a_filled_one_takes_it_when_none_has_it() -> None:
    """A home with nothing to do focused its empty first table: the cursor was nowhere to be
    seen and Enter did nothing. An empty table is skipped; the first table given rows while
    nothing has the focus takes it."""
    from rich.text import Text
    from textual.app import App, ComposeResult

    from coordboard.tui.widgets.tables import RowTable, add_columns

    class Two(App[None]):
        def compose(self) -> ComposeResult:
            yield RowTable(id="first")
            yield RowTable(id="second")

    app = Two()
    async with app.run_test(size=(80, 24)) as pilot:
        first, second = app.query_one("#first", RowTable), app.query_one("#second", RowTable)
        for table in (first, second):
            add_columns(table, [("code", 11)])
        first.fill([])
        await pilot.pause()
        assert app.focused is None and not first.focusable and not second.focusable
        second.fill([("1", [Text("DB-2026-001")])])
        first.fill([("1", [Text("DB-2026-002")])])  # in the same turn: the first filled keeps it
        await pilot.pause()
        assert app.focused is second
        first.fill([])
        await pilot.pause()
        await pilot.press("tab")
        assert app.focused is second  # the empty one is skipped
        first.fill([("1", [Text("DB-2026-002")])])
        await pilot.pause()
        assert first.focusable and app.focused is second  # rows never take focus from a user
