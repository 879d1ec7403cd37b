"""The board screen, driven by Pilot on a real database: filters, sort, paging, saved filters,
live updates from another writer, and user text that never becomes markup."""

import threading
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from textual.widgets import Input, Select, Static
from tui_support import login, screen_text, settle, spy_notices, type_into

from coordboard import paths
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.migrate import ensure_schema
from coordboard.services import auth, directory, tasks
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar
from coordboard.tui.app import make_app
from coordboard.tui.screens.board import PAGE_SIZE, BoardScreen, BoardTable
from coordboard.tui.screens.saved_filters import LoadFilterScreen, SaveFilterScreen


async def open_board(pilot, username: str = "office") -> BoardScreen:
    await login(pilot, username)
    await pilot.press("b")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, BoardScreen)
    return screen


def codes(screen: BoardScreen) -> list[str]:
    table = screen.query_one(BoardTable)
    return [str(table.cell(row, 0)) for row in range(table.row_count)]


def status_line(screen: BoardScreen) -> str:
    return str(screen.query_one("#board-status", Static).render())


async def test_office_sees_every_task_with_counts(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot)
        assert len(codes(board)) == 45
        assert "共 45 项" in status_line(board) and "红灯" in status_line(board)


async def test_a_search_typed_as_the_unit_list_arrives_is_applied(demo_file: Database,
                                                                   frozen) -> None:
    """The first load fills the unit filter while the user may already be typing: setting
    the widgets ignored their changes, and the search typed meanwhile was shown but never
    applied (the tmux smoke test on a loaded machine)."""
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot)
        board.filters._syncing = True  # the widgets being set: their changes are not the user's
        board.query_one("#flt-text", Input).value = "普法"  # typed meanwhile
        await settle(pilot)
        assert board.flt.text == ""  # not taken while the widgets were being set...
        board.filters._end_sync()
        await settle(pilot)  # ...but once they are
        table = board.query_one(BoardTable)
        titles = [str(table.cell(row, 2)) for row in range(table.row_count)]
        assert titles and all("普法" in title for title in titles) and board.flt.text == "普法"


async def test_head_starts_on_own_unit_and_can_widen(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot, "sfs")
        own = codes(board)
        assert 0 < len(own) < 45
        assert board.query_one("#flt-unit", Select).value != ""
        board.query_one("#flt-unit", Select).value = ""
        await settle(pilot)
        assert len(codes(board)) == 45
        board.query_one("#flt-role", Select).value = "lead"
        await settle(pilot)
        assert len(codes(board)) == 45  # the role narrows only within a chosen unit


async def test_filters_by_text_light_status_and_deadline(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot)
        await type_into(pilot, "#flt-text", "普法")
        await settle(pilot)
        table = board.query_one(BoardTable)
        titles = [str(table.cell(row, 2)) for row in range(table.row_count)]
        assert titles and all("普法" in title for title in titles)
        await pilot.press("x")  # clear
        await settle(pilot)
        board.query_one("#flt-light", Select).value = "red"
        await settle(pilot)
        lights = {str(table.cell(row, 1)) for row in range(table.row_count)}
        assert lights == {"● 红灯"}
        red = table.row_count
        board.query_one("#flt-status", Select).value = "closed"
        await settle(pilot)
        assert table.row_count == 0 and red > 0  # a closed task has no light
        # Nothing matches: said so, not "no tasks yet, load the demo" (the trial's clerk).
        assert "没有符合搜索或筛选条件的事项" in status_line(board) and "demo" not in status_line(board)
        await pilot.press("x")
        await settle(pilot)
        await type_into(pilot, "#flt-from", "2026-12-01")
        await type_into(pilot, "#flt-to", "2026-12-31")
        await settle(pilot)
        deadlines = [str(table.cell(row, 5)) for row in range(table.row_count)]
        assert deadlines and all("2026-12-01" <= d <= "2026-12-31" for d in deadlines)
        before = table.row_count
        await type_into(pilot, "#flt-to", "2026-13-01")  # not a date: said, not applied
        await settle(pilot)
        # Which text, and that no filter applies until it is put right (a helper changed
        # the light meanwhile and read "the date range is not applied" as the whole story).
        assert "“2026-13-01”不是有效日期" in status_line(board)
        assert "筛选条件都不会应用" in status_line(board)
        assert table.row_count == before
        board.query_one("#flt-to").focus()
        await settle(pilot)
        await pilot.press("enter")  # Enter keeps the field to be corrected
        await settle(pilot)
        assert board.focused is board.query_one("#flt-to")
        # A range that ends before it starts: refused as the CLI refuses it, not an empty board.
        await type_into(pilot, "#flt-to", "2026-11-01")
        await settle(pilot)
        assert "结束日 2026-11-01 早于开始日 2026-12-01" in status_line(board)
        assert table.row_count == before and board.flt.deadline_to == date(2026, 12, 31)


async def test_sort_by_header_click_and_keys(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(160, 40)) as pilot:
        board = await open_board(pilot)
        await pilot.click("#board-table", offset=(3, 0))  # the "code" header
        await settle(pilot)
        assert codes(board) == sorted(codes(board))
        await pilot.click("#board-table", offset=(3, 0))  # again: reversed
        await settle(pilot)
        assert codes(board) == sorted(codes(board), reverse=True)
        await pilot.press("o")  # next sort column: light, worst first
        await settle(pilot)
        table = board.query_one(BoardTable)
        assert str(table.cell(0, 1)) == "● 红灯"
        assert "排序：灯" in status_line(board)


async def test_paging_in_sql(tmp_path: Path, frozen) -> None:
    db = _many_tasks(tmp_path / "many.db", PAGE_SIZE + 20, frozen)
    app = make_app(Settings(), db)
    async with app.run_test(size=(120, 30)) as pilot:
        board = await open_board(pilot)
        table = board.query_one(BoardTable)
        assert table.row_count == PAGE_SIZE
        await pilot.press("n")
        await settle(pilot)
        assert table.row_count == 20 and codes(board)[0] == f"DB-2026-{PAGE_SIZE + 1:03d}"
        assert f"共 {PAGE_SIZE + 20} 项，显示第 {PAGE_SIZE + 1}–{PAGE_SIZE + 20} 项" in status_line(board)
        await pilot.press("p")
        await settle(pilot)
        assert codes(board)[0] == "DB-2026-001"
        table.move_cursor(PAGE_SIZE - 1)
        await pilot.press("pagedown")  # on the last row: the next page
        await settle(pilot)
        assert codes(board)[0] == f"DB-2026-{PAGE_SIZE + 1:03d}"


def _many_tasks(path: Path, count: int, frozen) -> Database:
    db = Database.from_url(f"sqlite:///{path}")
    ensure_schema(db)
    with db.write() as session:
        unit = directory.add_department(session, name="司法所")
        directory.add_user(session, username="office", display_name="王", role="office",
                           password="demo1234")
        for n in range(count):
            tasks.register(session, actor_id=None, title=f"事项 {n}", lead=UnitAssignment(unit.id or 0),
                           deadline=frozen.date().add(days=n + 1), today=frozen.date())
    return db


def _spy_pages(monkeypatch, hold: "dict[int, threading.Event] | None" = None) -> list[int]:
    """The offsets the board reads pages at, in order. ``hold``: a read at one of these
    offsets is kept back (after reading) until its event is set, once."""
    from coordboard.services import board as board_service

    real_page, offsets = board_service.page, []

    def page(*args, **kwargs):
        found = real_page(*args, **kwargs)
        offsets.append(kwargs["offset"])
        gate = (hold or {}).pop(kwargs["offset"], None)
        if gate is not None:
            gate.wait(10)
        return found
    monkeypatch.setattr(board_service, "page", page)
    return offsets


async def test_the_next_page_is_read_ahead_and_shown_without_a_query(
        tmp_path: Path, frozen, monkeypatch) -> None:
    db = _many_tasks(tmp_path / "many.db", 2 * PAGE_SIZE + 10, frozen)
    offsets = _spy_pages(monkeypatch)
    app = make_app(Settings(), db)
    async with app.run_test(size=(120, 30)) as pilot:
        board = await open_board(pilot)
        assert offsets == [0, PAGE_SIZE]  # the page shown, then the next one read ahead
        await pilot.press("n")
        await pilot.pause()  # no worker in between: the page was at hand
        assert codes(board)[0] == f"DB-2026-{PAGE_SIZE + 1:03d}" and len(codes(board)) == PAGE_SIZE
        assert (f"共 {2 * PAGE_SIZE + 10} 项，显示第 {PAGE_SIZE + 1}–{2 * PAGE_SIZE} 项"
                in status_line(board))
        await settle(pilot)
        assert offsets == [0, PAGE_SIZE, 2 * PAGE_SIZE]  # and the one after it
        await pilot.press("p")  # back: the page left is kept too
        await pilot.pause()
        assert codes(board)[0] == "DB-2026-001"
        await settle(pilot)
        # A page read ahead too long ago is read again: lights follow the clock.
        monkeypatch.setattr("coordboard.tui.screens.board.AHEAD_MAX_AGE_S", -1.0)
        del offsets[:]
        await pilot.press("n")
        await settle(pilot)
        assert offsets[0] == PAGE_SIZE and codes(board)[0] == f"DB-2026-{PAGE_SIZE + 1:03d}"


async def test_a_page_read_before_a_change_is_never_shown_after_it(
        tmp_path: Path, frozen, monkeypatch) -> None:
    db = _many_tasks(tmp_path / "many.db", 2 * PAGE_SIZE + 10, frozen)
    late = threading.Event()
    offsets = _spy_pages(monkeypatch, hold={2 * PAGE_SIZE: late})
    app = make_app(Settings(), db)
    async with app.run_test(size=(120, 30)) as pilot:
        board = await open_board(pilot)
        await pilot.press("n")  # page 2 at once; page 3 is read and held back
        for _ in range(100):
            await pilot.pause(0.02)
            if offsets.count(2 * PAGE_SIZE):
                break
        # Another user renames a task of page 3; the board hears of it and reloads.
        with db.write() as session:
            task = tasks.task_by_code(session, f"DB-2026-{2 * PAGE_SIZE + 1:03d}")
            tasks.edit(session, task=task, actor_id=None, changes={"title": "改过的标题"},
                       today=frozen.date())
        app.data_changed()
        for _ in range(200):
            await pilot.pause(0.02)
            if board.loaded and offsets.count(2 * PAGE_SIZE) == 2:
                break
        assert offsets.count(2 * PAGE_SIZE) == 2  # page 3 read again, after the change
        late.set()  # the read from before the change arrives last
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert codes(board)[0] == f"DB-2026-{2 * PAGE_SIZE + 1:03d}"
        assert str(board.query_one(BoardTable).cell(0, 2)) == "改过的标题"


async def test_counts_are_made_again_once_older_than_a_page_read_ahead(
        tmp_path: Path, frozen, monkeypatch) -> None:
    from coordboard.services import board as board_service
    from coordboard.tui.screens import board_page

    db = _many_tasks(tmp_path / "many.db", 3 * PAGE_SIZE + 10, frozen)
    counted: list[int] = []
    real_count = board_service.count_by_light

    def count_by_light(*args, **kwargs):
        counted.append(1)
        return real_count(*args, **kwargs)
    monkeypatch.setattr(board_service, "count_by_light", count_by_light)
    app = make_app(Settings(), db)
    async with app.run_test(size=(120, 30)) as pilot:
        board = await open_board(pilot)
        assert len(counted) == 1
        real_now, later = board_page.now, [0.0]
        monkeypatch.setattr(board_page, "now", lambda: real_now() + later[0])
        later[0] = 20.0  # page 2 read 20 s ago, the counts too: both still fresh
        await pilot.press("n")
        await settle(pilot)
        assert codes(board)[0] == f"DB-2026-{PAGE_SIZE + 1:03d}" and len(counted) == 1
        later[0] = 40.0  # page 3 read 20 s ago, the counts 40 s ago: counted again
        await pilot.press("n")
        await settle(pilot)
        assert codes(board)[0] == f"DB-2026-{2 * PAGE_SIZE + 1:03d}" and len(counted) == 2
        assert (f"共 {3 * PAGE_SIZE + 10} 项，显示第 {2 * PAGE_SIZE + 1}–{3 * PAGE_SIZE} 项"
                in status_line(board))


async def test_saved_filters_round_trip(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot)
        board.query_one("#flt-light", Select).value = "yellow"
        await settle(pilot)
        yellow = codes(board)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SaveFilterScreen)
        await pilot.press("enter")  # no name: said, nothing saved
        await settle(pilot)
        assert "名字" in str(app.screen.query_one("#filter-error", Static).render())
        await type_into(pilot, "#filter-name", "[b]黄灯[/b]")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is board
        await pilot.press("x")
        await settle(pilot)
        assert len(codes(board)) == 45
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LoadFilterScreen)
        assert "[b]黄灯[/b]" in screen_text(app)  # the name is shown literally
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is board and codes(board) == yellow


async def test_changes_by_others_appear_and_keep_the_selection(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot)
        board.query_one("#flt-status", Select).value = "open"
        await settle(pilot)
        table = board.query_one(BoardTable)
        table.move_cursor(7)
        await pilot.pause()
        selected = codes(board)[7]
        target = codes(board)[3]
        # Another user, another connection: rename a task the board shows.
        with demo_file.write() as session:
            task = tasks.task_by_code(session, target)
            office = auth.actor_of(directory.user_by_name(session, "office"))
            tasks.edit(session, task=task, actor_id=office.user_id, changes={"title": "改过的标题"},
                       today=frozen.date())
        for _ in range(60):  # the issue allows 5 s; the app checks every 2 s
            await pilot.pause(0.1)
            if str(table.cell(3, 2)) == "改过的标题":
                break
        assert str(table.cell(3, 2)) == "改过的标题"
        assert codes(board)[table.cursor_row] == selected


async def test_a_change_before_the_first_refresh_tick_is_shown(demo_file: Database,
                                                               frozen) -> None:
    """The change check's baseline is taken before any screen reads, not at its first
    tick: a task renamed between the board's first page and that tick was otherwise the
    baseline, and the old title stayed until some other change."""
    app = make_app(Settings(), demo_file, refresh_seconds=3600)  # the test makes the tick
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot)
        table = board.query_one(BoardTable)
        with demo_file.write() as session:
            task = tasks.task_by_code(session, codes(board)[3])
            office = auth.actor_of(directory.user_by_name(session, "office"))
            tasks.edit(session, task=task, actor_id=office.user_id, changes={"title": "改过的标题"},
                       today=frozen.date())
        app.check_for_changes()  # the first tick
        for _ in range(50):
            await pilot.pause(0.1)
            if str(table.cell(3, 2)) == "改过的标题":
                break
        assert str(table.cell(3, 2)) == "改过的标题"


async def test_hostile_titles_are_shown_literally(tmp_path: Path, frozen) -> None:
    db = Database.from_url(f"sqlite:///{tmp_path / 'h.db'}")
    ensure_schema(db)
    hostile = ["[/]", "[@click=app.quit]x[/]", "[red]red[/red] [link=http://x]y[/link]"]
    with db.write() as session:
        unit = directory.add_department(session, name="[b]司法所[/b]")
        directory.add_user(session, username="office", display_name="[/]", role="office",
                           password="demo1234")
        for title in hostile:
            tasks.register(session, actor_id=None, title=title, lead=UnitAssignment(unit.id or 0),
                           deadline=frozen.date().add(days=9), today=frozen.date())
    app = make_app(Settings(), db)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot)
        table = board.query_one(BoardTable)
        titles = [str(table.cell(row, 2)) for row in range(table.row_count)]
        assert sorted(titles) == sorted(hostile)
        drawn = screen_text(app)
        assert "[@click=app.quit]x[/]" in drawn and "[b]司法所[/b]" in drawn  # whole: room at 120
        await pilot.click("#board-table", offset=(30, 2))  # clicking a would-be action does nothing
        await pilot.pause()
        assert app.is_running


async def test_hostile_unit_names_are_literal_in_every_unit_choice(tmp_path: Path, frozen) -> None:
    """Textual reads a plain-string Select prompt as markup: "[/]" as a unit name would
    crash any list of units the moment it is drawn."""
    from coordboard.tui.screens.register import RegisterScreen
    from coordboard.tui.screens.review import ReviewScreen
    from coordboard.tui.screens.review_forms import SpawnTaskForm

    db = Database.from_url(f"sqlite:///{tmp_path / 'h.db'}")
    ensure_schema(db)
    with db.write() as session:
        unit = directory.add_department(session, name="[/]")
        directory.add_user(session, username="office", display_name="法治办", role="office",
                           password="demo1234")
        task = tasks.register(session, actor_id=None, title="t", lead=UnitAssignment(unit.id or 0),
                              deadline=frozen.date().add(days=1), today=frozen.date())
        tasks.dispatch(session, task=task, actor_id=None, calendar=WorkCalendar(),
                       today=frozen.date())

    async def expand(pilot, selector: str) -> None:
        select = pilot.app.screen.query_one(selector, Select)
        select.expanded = True
        await settle(pilot)
        assert "[/]" in screen_text(pilot.app)
        select.expanded = False
        await settle(pilot)

    app = make_app(Settings(), db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(pilot)
        await expand(pilot, "#flt-unit")
        app.action_register()
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        await expand(pilot, "#reg-lead")
        app.pop_screen()
        app.action_review()
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        review.load()
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, SpawnTaskForm)
        await expand(pilot, "#field-lead")
        assert app.is_running


async def test_a_database_error_is_a_notice_not_a_crash(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot)
        with demo_file.engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE task RENAME TO task_gone")
        await pilot.press("r")
        await settle(pilot)
        assert app.is_running
        assert board.query_one(BoardTable).row_count == 45  # what was shown stays


async def test_english_board(demo_file: Database, frozen) -> None:
    app = make_app(Settings(language="en"), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot)
        assert "45 tasks" in status_line(board)
        assert board.query_one("#flt-text", Input).placeholder.startswith("Search")


async def test_e_exports_the_ledger_of_every_task_the_filter_selects(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot, "sfs")  # a unit head: his own unit's tasks
        board.query_one("#flt-light", Select).value = "red"
        await settle(pilot)
        shown = set(codes(board))
        assert shown and board.row_total == len(shown)
        told = spy_notices(app)
        board.query_one(BoardTable).focus()
        await pilot.press("e")
        await settle(pilot)
        written = list(paths.exports_dir().glob("督办台账-*.xlsx"))
        assert len(written) == 1
        assert told[-1] == f"已生成督办台账：{written[0]}（{len(shown)} 项）"
        sheet = load_workbook(written[0]).active
        rows = list(sheet.iter_rows(values_only=True))
        # Title row, header row (序号, 编号, …), then the tasks (ledger layout of issue 12).
        assert rows[1][:2] == ("序号", "编号") and {row[1] for row in rows[2:]} == shown
        assert {row[10] for row in rows[2:]} == {"红灯"}


async def test_the_export_says_how_many_drafts_it_left_out(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot, "office")  # every task, the draft too
        told = spy_notices(app)
        board.query_one(BoardTable).focus()
        await pilot.press("e")
        await settle(pilot)
        written = next(paths.exports_dir().glob("督办台账-*.xlsx"))
        rows = load_workbook(written).active.max_row - 2
        assert board.row_total == rows + 1
        assert told[-1] == f"已生成督办台账：{written}（{rows} 项）；另有草稿 1 项未列入台账。"


async def test_a_second_export_waits_for_the_first(demo_file: Database, frozen, monkeypatch) -> None:
    from coordboard.services.reports import ledger

    release, calls = threading.Event(), []

    def slow_export(*args, **kwargs) -> ledger.Exported:
        calls.append(args)
        release.wait(10)
        return ledger.Exported(0, 0)

    monkeypatch.setattr(ledger, "export", slow_export)
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(pilot)
        told = spy_notices(app)
        await pilot.press("e")
        await pilot.pause(0.2)
        await pilot.press("e")  # while the first is still writing
        await pilot.pause(0.2)
        release.set()
        await settle(pilot)
        assert len(calls) == 1
        assert told[:2] == ["正在导出当前筛选的全部事项台账……", "台账正在导出，完成后会提示"]
        assert told[-1].startswith("已生成督办台账：")
