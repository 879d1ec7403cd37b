"""The board screen, driven by Textual's Pilot on a real database."""

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.migrate import ensure_schema
from coordboard.paths import seeds_dir
from coordboard.services import directory, tasks
from coordboard.services.demo import load_demo
from coordboard.services.tasks import UnitAssignment
from coordboard.tui.app import make_app


@pytest.fixture
def demo_file(tmp_path: Path, frozen) -> Database:
    db = Database.from_url(f"sqlite:///{tmp_path / 'demo.db'}")
    ensure_schema(db)
    load_demo(db, Settings(), seeds_dir() / "demo.toml")
    return db


async def _settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_board_lists_demo_tasks_and_pages(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 45
        status = app.screen.query_one("#board-status", Static)
        assert "共 45 项" in str(status.render())
        await pilot.press("n")  # one page only: stays put
        await _settle(app, pilot)
        assert table.row_count == 45


async def test_hostile_titles_are_shown_literally(tmp_path: Path, frozen) -> None:
    db = Database.from_url(f"sqlite:///{tmp_path / 'h.db'}")
    ensure_schema(db)
    hostile = ["[/]", "[@click=app.quit]x[/]", "[red]red[/red] [link=http://x]y[/link]"]
    with db.write() as session:
        unit = directory.add_department(session, name="[b]司法所[/b]")
        directory.add_user(session, username="[i]x", display_name="[/]", role="admin",
                           password="secret1")
        for title in hostile:
            tasks.register(session, actor_id=None, title=title, lead=UnitAssignment(unit.id or 0),
                           deadline=frozen.date().add(days=9), today=frozen.date())
    app = make_app(Settings(), db)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)
        table = app.screen.query_one(DataTable)
        titles = [str(table.get_cell_at((row, 2))) for row in range(table.row_count)]
        assert sorted(titles) == sorted(hostile)
        # What is drawn: the brackets themselves, not a link, an action or red text.
        drawn = app.export_screenshot()
        assert "[@click=app.quit]x[/]" in drawn and "[b]司法所[/b]" in drawn
        await pilot.click(DataTable, offset=(30, 2))  # clicking a would-be action does nothing
        await pilot.pause()
        assert app.is_running
        assert str(table.get_cell_at((0, 3))) == "[b]司法所[/b]"


async def test_english_interface(demo_file: Database, frozen) -> None:
    from coordboard.i18n import set_language

    set_language("en")
    app = make_app(Settings(language="en"), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)
        status = app.screen.query_one("#board-status", Static)
        assert "45 tasks" in str(status.render())


def test_board_snapshot(demo_file: Database, frozen, snap_compare) -> None:
    app = make_app(Settings(), demo_file)

    async def run_before(pilot) -> None:
        # Wait for the rows *and* for DataTable to size its columns to them (it does so
        # on a later refresh; a loaded CI machine once captured header-width columns).
        await app.workers.wait_for_complete()
        table = app.screen.query_one(DataTable)
        for _ in range(100):
            await pilot.pause(0.02)
            if table.row_count == 45 and table.columns["code"].get_render_width(table) >= 13:
                break
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 30), run_before=run_before)


async def test_a_database_error_is_a_notice_not_a_crash(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)
        with demo_file.engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE task RENAME TO task_gone")
        await pilot.press("r")
        await _settle(app, pilot)
        assert app.is_running
        assert app.screen.query_one(DataTable).row_count == 45  # what was shown stays
