"""Issue 11 rule 5 on screen: the board marks a deadline in a year without official holiday
data and says what the mark means; the register form warns in date mode too."""

from datetime import date
from pathlib import Path

from textual.widgets import DataTable, Static
from tui_support import login, screen_text, settle, type_into

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.migrate import ensure_schema
from coordboard.services import directory, tasks
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar
from coordboard.tui.app import make_app
from coordboard.tui.screens.board import BoardTable
from coordboard.tui.screens.register import RegisterScreen
from tests.test_tui_board import open_board, status_line


def _town(tmp_path: Path, frozen, *deadlines: date) -> Database:  # type: ignore[no-untyped-def]
    db = Database.from_url(f"sqlite:///{tmp_path / 'c.db'}")
    ensure_schema(db)
    with db.write() as session:
        unit = directory.add_department(session, name="司法所")
        directory.add_user(session, username="office", display_name="法治办", role="office",
                           password="demo1234")
        directory.add_user(session, username="sfs", display_name="司法所负责人", role="head",
                           password="demo1234", department_id=unit.id)
        for deadline in deadlines:
            task = tasks.register(session, actor_id=None, title=f"期限{deadline}",
                                  lead=UnitAssignment(unit.id or 0), deadline=deadline,
                                  today=frozen.date())
            tasks.dispatch(session, task=task, actor_id=None, calendar=WorkCalendar(),
                           today=frozen.date())
    return db


async def test_the_board_marks_an_estimated_deadline_and_explains_the_mark(
        tmp_path: Path, frozen) -> None:  # type: ignore[no-untyped-def]
    db = _town(tmp_path, frozen, date(2026, 12, 10), date(2027, 3, 1))
    app = make_app(Settings(), db)
    async with app.run_test(size=(140, 40)) as pilot:
        board = await open_board(pilot)
        table = board.query_one(BoardTable)
        deadlines = sorted(str(table.cell(row, 5)) for row in range(table.row_count))
        assert deadlines == ["2026-12-10", "2027-03-01*"]
        assert "*期限所在年份尚无官方节假日安排，工作日为估算" in status_line(board)
        assert "2027-03-01*" in screen_text(app)


async def test_a_head_s_home_marks_an_estimated_deadline_and_explains_the_mark(
        tmp_path: Path, frozen) -> None:  # type: ignore[no-untyped-def]
    db = _town(tmp_path, frozen, date(2026, 12, 10), date(2027, 3, 1))
    app = make_app(Settings(), db)
    async with app.run_test(size=(140, 40)) as pilot:
        await login(pilot, "sfs")
        mine = app.screen.query_one("#home-mine", DataTable)
        deadlines = sorted(str(mine.get_cell_at((row, 4))) for row in range(mine.row_count))
        assert deadlines == ["2026-12-10", "2027-03-01*"]
        assert "尚无官方节假日安排" in str(mine.border_subtitle)


async def test_the_board_has_no_legend_without_an_estimated_deadline(
        tmp_path: Path, frozen) -> None:  # type: ignore[no-untyped-def]
    db = _town(tmp_path, frozen, date(2026, 12, 10))
    app = make_app(Settings(), db)
    async with app.run_test(size=(140, 40)) as pilot:
        board = await open_board(pilot)
        assert "尚无官方节假日安排" not in status_line(board)


async def test_the_register_form_warns_in_date_mode(tmp_path: Path, frozen) -> None:  # type: ignore[no-untyped-def]
    db = _town(tmp_path, frozen)
    app = make_app(Settings(), db)
    async with app.run_test(size=(120, 50)) as pilot:
        await open_board(pilot)
        app.action_register()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RegisterScreen)
        await type_into(pilot, "#reg-deadline", "2027-03-01")
        preview = str(screen.query_one("#reg-preview", Static).render())
        assert "所跨年份尚无官方节假日安排" in preview
        await type_into(pilot, "#reg-deadline", "2026-12-10")
        preview = str(screen.query_one("#reg-preview", Static).render())
        assert "距今" in preview and "尚无官方节假日安排" not in preview
        assert "不是工作日" not in preview  # a Thursday
        # A deadline on a day off is pointed out (not refused: an office may mean it).
        await type_into(pilot, "#reg-deadline", "2027-01-01")
        preview = str(screen.query_one("#reg-preview", Static).render())
        assert "注意：办理期限 2027-01-01 不是工作日（元旦），请确认。" in preview, preview
        await type_into(pilot, "#reg-deadline", "2026-12-13")
        preview = str(screen.query_one("#reg-preview", Static).render())
        assert "2026-12-13 不是工作日（周末）" in preview, preview
