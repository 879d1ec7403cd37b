"""The board's pages read ahead, attacked as a user would: fast and slow paging, filters and
sorts while a page is being read ahead, other users' changes, screens left and reopened,
database errors. After each step the rows on screen must be exactly what the service
returns for the screen's filter, sort and offset at that moment, and the status line must
say which of them they are."""

import random
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest
from conftest import FROZEN_NOW
from sqlalchemy.exc import OperationalError
from textual.widgets import Select, Static
from tui_support import burst, login, settle, spy_notices, type_into

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.i18n import t
from coordboard.migrate import ensure_schema
from coordboard.services import board as board_service
from coordboard.services import directory, tasks
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar
from coordboard.tui.app import make_app
from coordboard.tui.screens.board import PAGE_SIZE, BoardScreen, BoardTable

REAL_PAGE = board_service.page  # the service as it is, whatever a test patches
COUNT = 2 * PAGE_SIZE + 13  # three pages, the last short


def _town(path: Path, frozen, count: int = COUNT) -> Database:
    """``count`` tasks of two units, titles and deadlines in different orders (so each
    sort pages differently), most dispatched (so they have lights), a few withdrawn."""
    db = Database.from_url(f"sqlite:///{path}")
    ensure_schema(db)
    today = frozen.date()
    with db.write() as session:
        units = [directory.add_department(session, name=name) for name in ("司法所", "城管科")]
        directory.add_user(session, username="office", display_name="王", role="office",
                           password="demo1234")
        for n in range(count):
            task = tasks.register(
                session, actor_id=None, title=f"事项 {(n * 37) % count:03d}",
                lead=UnitAssignment(units[n % 2].id or 0),
                deadline=today.add(days=(n * 11) % 60 + 1), today=today)
            if n % 7:
                tasks.dispatch(session, task=task, actor_id=None, calendar=WorkCalendar(), today=today)
            if n % 13 == 5:
                tasks.withdraw(session, task=task, actor_id=None, reason="撤回")
    return db


@pytest.fixture(scope="module")
def town_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The town built once for this file (about 3 s) and copied for each test."""
    from coordboard import audit_key

    path = tmp_path_factory.mktemp("paging-town") / "town.db"
    with pendulum.travel_to(FROZEN_NOW, freeze=True):
        db = _town(path, pendulum.now())
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.dispose()
    shutil.copy(audit_key.key_file_path(), path.with_suffix(".key"))
    return path


@pytest.fixture
def town(town_once: Path, tmp_path: Path, frozen) -> Iterator[Database]:
    from coordboard import audit_key

    target = tmp_path / "town.db"
    shutil.copy(town_once, target)
    key_file = audit_key.key_file_path()
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(town_once.with_suffix(".key"), key_file)
    db = Database.from_url(f"sqlite:///{target}")
    yield db
    db.dispose()


async def _open_board(pilot) -> BoardScreen:
    await login(pilot, "office")
    await pilot.press("b")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, BoardScreen)
    return screen


async def _idle(pilot) -> None:
    """Until no worker runs and what they sent has reached the screen (cheaper than
    ``settle``: a page turn's worker chain is one worker deep)."""
    from textual.worker import WorkerCancelled

    for _ in range(200):
        running = [w for w in pilot.app.workers if not w.is_finished]
        if not running:
            await pilot.pause()
            if all(w.is_finished for w in pilot.app.workers):
                return
            continue
        for worker in running:
            try:
                await worker.wait()
            except WorkerCancelled:
                pass
        await pilot.pause()


def _hold_pages(monkeypatch, hold: dict[int, threading.Event],
                fail: "dict[int, int] | None" = None) -> list[int]:
    """The offsets the board reads pages at. ``hold``: a read at that offset waits
    (after reading) for its event, once. ``fail``: so many reads at that offset raise."""
    offsets: list[int] = []

    def page(*args, **kwargs):
        offset = kwargs["offset"]
        offsets.append(offset)
        if (fail or {}).get(offset):
            fail[offset] -= 1  # type: ignore[index]
            raise OperationalError("SELECT", {}, Exception("database is locked"))
        found = REAL_PAGE(*args, **kwargs)
        gate = hold.pop(offset, None)
        if gate is not None:
            gate.wait(10)
        return found
    monkeypatch.setattr(board_service, "page", page)
    return offsets


async def _until(pilot, condition, what: str) -> None:
    for _ in range(300):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(what)


def _shown(board: BoardScreen) -> list[tuple[str, str]]:
    table = board.query_one(BoardTable)
    return [(str(table.cell(row, 0)), str(table.cell(row, 2))) for row in range(table.row_count)]


def _status(board: BoardScreen) -> str:
    return str(board.query_one("#board-status", Static).render())


def _check(app, board: BoardScreen, where: str = "") -> None:
    """The rows and status line are those of the board's filter, sort and offset now."""
    with app.db.read() as session:
        ctx = app.light_context(session)
        page = REAL_PAGE(session, board.flt, ctx, offset=board.page_offset, limit=PAGE_SIZE)
    wanted = [(row.task.code, row.task.title) for row in page.rows]
    shown = _shown(board)
    assert shown == wanted, (where, board.flt, board.page_offset, shown[:3], wanted[:3])
    line = _status(board)
    if wanted:
        said = t("tui.count", total=page.total, first=board.page_offset + 1,
                 last=board.page_offset + len(wanted))
    else:
        said = t("tui.empty") if not page.total else t("tui.board.page_empty")
    assert said in line, (where, line, said)
    assert board.loaded, where


def _change_titles(db: Database, frozen, codes: list[str], title: str) -> None:
    with db.write() as session:
        for code in codes:
            tasks.edit(session, task=tasks.task_by_code(session, code), actor_id=None,
                       changes={"title": title}, today=frozen.date())


def _add_tasks(db: Database, frozen, count: int) -> None:
    with db.write() as session:
        unit = directory.department_by_name(session, "司法所")
        for n in range(count):
            tasks.register(session, actor_id=None, title=f"新增 {n}", lead=UnitAssignment(unit.id or 0),
                           deadline=frozen.date().add(days=1), today=frozen.date())


async def test_fast_and_slow_paging_past_both_ends(town: Database, frozen) -> None:
    app = make_app(Settings(), town)
    async with app.run_test(size=(120, 30)) as pilot:
        board = await _open_board(pilot)
        _check(app, board, "opened")
        burst(pilot, *"nnnnnnnn")  # far past the last page, all queued at once
        await settle(pilot)
        assert board.page_offset == 2 * PAGE_SIZE
        _check(app, board, "n×8")
        burst(pilot, *"pnpnpppppnp")
        await _idle(pilot)
        _check(app, board, "p/n burst")
        for key in "npnn":  # one at a time, looking at each page as it comes
            await pilot.press(key)
            await _idle(pilot)
            _check(app, board, f"slow {key}")
        table = board.query_one(BoardTable)
        for _ in range(3):  # page down held on the last row, up held on the first
            table.move_cursor(table.row_count - 1)
            await pilot.press("pagedown")
            await pilot.pause()
            if board.loaded:
                _check(app, board, "pagedown at once")
        await _idle(pilot)
        _check(app, board, "pagedown")
        assert board.page_offset == 2 * PAGE_SIZE
        burst(pilot, *(["pageup"] * 40))  # from the last row up through every page, and past
        await _idle(pilot)
        _check(app, board, "pageup")
        assert board.page_offset == 0


async def test_filters_and_sorts_while_a_page_is_read_ahead(town: Database, frozen, monkeypatch) -> None:
    """Page 2 of one view is read ahead and held back while the user changes the view;
    it arrives last, after page 2 of the new view: the next n shows the new view's."""
    gates: dict[int, threading.Event] = {}
    offsets = _hold_pages(monkeypatch, gates)
    app = make_app(Settings(), town, refresh_seconds=3600)
    async with app.run_test(size=(160, 30)) as pilot:
        board = await _open_board(pilot)
        table = board.query_one(BoardTable)

        async def stale_ahead(change, what: str) -> None:
            gate = gates[PAGE_SIZE] = threading.Event()
            seen = offsets.count(PAGE_SIZE)
            await pilot.press("r")  # a load of this view, its page 2 read ahead and held
            await _until(pilot, lambda: offsets.count(PAGE_SIZE) > seen, f"{what}: held")
            await change()
            await _idle_but(pilot, 1)  # the new view's page 1 shown, its page 2 kept
            gate.set()  # the old view's page 2 arrives last
            await _idle(pilot)
            _check(app, board, what)
            table.focus()
            await pilot.press("n")
            if board.loaded:
                _check(app, board, f"{what}, n at once")
            await _idle(pilot)
            _check(app, board, f"{what}, n")
            await pilot.press("p")
            await _idle(pilot)

        async def search() -> None:
            await type_into(pilot, "#flt-text", "事项 0")

        async def sort() -> None:
            await pilot.press("o")

        async def header() -> None:
            await pilot.click("#board-table", offset=(3, 0))  # the code column

        async def status() -> None:
            board.query_one("#flt-status", Select).value = "open"
            await pilot.pause()

        await stale_ahead(search, "search")
        await stale_ahead(sort, "sort")
        await stale_ahead(header, "header click")
        await stale_ahead(status, "status filter")
        burst(pilot, "n", "O", "n", "n", "p")
        await _idle(pilot)
        _check(app, board, "n O n n p")


async def _idle_but(pilot, held: int) -> None:
    """Until all but ``held`` workers are done (those wait on a gate)."""
    await _until(pilot, lambda: sum(not w.is_finished for w in pilot.app.workers) <= held, "idle")
    await pilot.pause()


async def test_other_users_changes_then_paging(town: Database, frozen, monkeypatch) -> None:
    gates: dict[int, threading.Event] = {}
    offsets = _hold_pages(monkeypatch, gates)
    app = make_app(Settings(), town, refresh_seconds=3600)  # data_changed() below is the tick
    async with app.run_test(size=(120, 30)) as pilot:
        board = await _open_board(pilot)
        gate = gates[2 * PAGE_SIZE] = threading.Event()
        await pilot.press("n")  # page 2 as read ahead; page 3 read ahead now, and held
        await _until(pilot, lambda: 2 * PAGE_SIZE in offsets, "page 3 ahead")
        _check(app, board, "n")
        # Another user renames tasks of pages 1 and 3 and adds some that sort first.
        with app.db.read() as session:
            ctx = app.light_context(session)
            changed = [row.task.code for offset in (0, 2 * PAGE_SIZE) for row in REAL_PAGE(
                session, board.flt, ctx, offset=offset, limit=PAGE_SIZE).rows[:8]
                if row.task.status != "withdrawn"]
        _change_titles(town, frozen, changed, "改过的标题")
        _add_tasks(town, frozen, 7)
        app.data_changed()
        await _idle_but(pilot, 1)
        gate.set()  # page 3 as it was before the change arrives last
        await _idle(pilot)
        _check(app, board, "after the change")
        await pilot.press("n")
        if board.loaded:
            _check(app, board, "after the change, n at once")
        await _idle(pilot)
        _check(app, board, "after the change, n")
        # Changed again and paged at once, before the reload is back.
        _add_tasks(town, frozen, 3)
        app.data_changed()
        burst(pilot, "p", "p", "n", "n")
        await _idle(pilot)
        _check(app, board, "burst after a change")
        # Pages shrink under the user: withdrawn tasks fall out of the open filter.
        board.query_one("#flt-status", Select).value = "open"
        await _idle(pilot)
        burst(pilot, "n", "n")
        await _idle(pilot)
        with town.write() as session:
            for code in [code for code, _title in _shown(board)[:20]]:
                tasks.withdraw(session, task=tasks.task_by_code(session, code), actor_id=None,
                               reason="撤回")
        app.data_changed()
        burst(pilot, "p", "n", "n", "n")
        await _idle(pilot)
        _check(app, board, "after withdrawals")


async def test_leaving_and_coming_back_then_paging(town: Database, frozen) -> None:
    app = make_app(Settings(), town, refresh_seconds=3600)
    async with app.run_test(size=(120, 30)) as pilot:
        board = await _open_board(pilot)
        await pilot.press("n")
        await _idle(pilot)
        # Open a task of page 2, change page 3 meanwhile (the user's own edit, say), come back.
        await pilot.press("enter")
        await _idle(pilot)
        assert not isinstance(app.screen, BoardScreen)
        with app.db.read() as session:
            ctx = app.light_context(session)
            third = REAL_PAGE(session, board.flt, ctx, offset=2 * PAGE_SIZE, limit=PAGE_SIZE).rows[0]
        _change_titles(town, frozen, [third.task.code], "回来前改的")
        await pilot.press("escape")
        await _idle(pilot)
        assert app.screen is board
        await pilot.press("n")
        await _idle(pilot)
        _check(app, board, "back from a task, n")
        # A language switch rebuilds the board at its page; page on in English.
        app.action_language("en")
        await _idle(pilot)
        board = app.screen
        assert isinstance(board, BoardScreen) and board.page_offset == 2 * PAGE_SIZE
        _check(app, board, "english")
        burst(pilot, "p", "p", "n")
        await _idle(pilot)
        _check(app, board, "english p p n")


async def test_a_failed_read_ahead_is_quiet_and_never_shown(town: Database, frozen, monkeypatch) -> None:
    fail = {PAGE_SIZE: 1, 2 * PAGE_SIZE: 99}
    _hold_pages(monkeypatch, {}, fail)
    app = make_app(Settings(), town, refresh_seconds=3600)
    async with app.run_test(size=(120, 30)) as pilot:
        told = spy_notices(app)
        board = await _open_board(pilot)  # page 2 read ahead, and refused by the database
        _check(app, board, "opened")
        assert told == [], "a page read ahead that failed is met again when turned to"
        await pilot.press("n")  # read the usual way: the database answers now
        await _idle(pilot)
        _check(app, board, "n")
        assert told == []
        await pilot.press("n")  # page 3 failed ahead and fails again: said, page 2 stays
        await _idle(pilot)
        assert app.is_running and len(told) == 1 and "database is locked" in told[0]
        assert board.query_one(BoardTable).row_count == PAGE_SIZE
        # The board is where its rows say: page 2, so n (the database answering again)
        # turns to page 3, not past it.
        assert board.page_offset == PAGE_SIZE
        fail.clear()
        await pilot.press("n")
        await _idle(pilot)
        _check(app, board, "n after the failure")
        assert board.page_offset == 2 * PAGE_SIZE
        await pilot.press("r")
        await _idle(pilot)
        _check(app, board, "reloaded")


async def test_random_sequences_of_a_user(town: Database, frozen) -> None:
    """A seeded random user: keys in bursts and one at a time, filters, sorts and other
    users' changes, the screen checked whenever it says it is loaded."""
    app = make_app(Settings(), town, refresh_seconds=3600)
    rng = random.Random(13)
    async with app.run_test(size=(160, 30)) as pilot:
        board = await _open_board(pilot)
        steps = []
        for step in range(16):
            kind = rng.choice(["burst", "burst", "key", "key", "text", "light", "sort", "change"])
            steps.append(kind)
            if kind == "burst":
                burst(pilot, *rng.choices(["n", "p", "n", "pagedown", "pageup", "o", "O"],
                                          k=rng.randint(2, 9)))
            elif kind == "key":
                await pilot.press(rng.choice(["n", "p", "n"]))
                await pilot.pause()
                if board.loaded:
                    _check(app, board, f"{step} {steps} at once")
            elif kind == "text":
                await type_into(pilot, "#flt-text", rng.choice(["", "", "事项", "事项 0", "事项 1"]))
                board.query_one(BoardTable).focus()
            elif kind == "light":
                board.query_one("#flt-light", Select).value = rng.choice(["", "", "red", "green", "yellow"])
            elif kind == "sort":
                await pilot.click("#board-table", offset=(rng.choice([3, 20, 40]), 0))
            else:
                _add_tasks(town, frozen, rng.randint(1, 8))
                app.data_changed()
            if rng.random() < 0.6:
                await _idle(pilot)
                _check(app, board, f"{step} {steps}")
        await _idle(pilot)
        _check(app, board, "end")


async def test_n_before_a_new_filters_counts_turns_no_page(town: Database, frozen, monkeypatch) -> None:
    """The total that bounds n is the current filter's: n pressed after a search's rows
    are shown but before its counts arrive does not turn to a page past its end
    ("本页没有事项") by the previous filter's total."""
    gate = threading.Event()
    real_count = board_service.count_by_light

    def held_count(session, flt, ctx):
        if flt.text:
            gate.wait(10)
        return real_count(session, flt, ctx)
    monkeypatch.setattr(board_service, "count_by_light", held_count)
    app = make_app(Settings(), town, refresh_seconds=3600)
    async with app.run_test(size=(120, 30)) as pilot:
        board = await _open_board(pilot)
        assert board.row_total > PAGE_SIZE  # the unfiltered board has a page 2
        await type_into(pilot, "#flt-text", "事项 00")  # a few tasks: one page
        await _until(pilot, lambda: board._shown_generation == board._generation
                     and 0 < board.rows_shown < PAGE_SIZE, "the search's rows shown")
        board.query_one(BoardTable).focus()
        await pilot.press("n")
        gate.set()
        await _idle(pilot)
        assert board.page_offset == 0
        _check(app, board, "n before the counts")
        # A search whose first page is full: n before its counts turns to its page 2.
        gate.clear()
        await type_into(pilot, "#flt-text", "事项")
        await _until(pilot, lambda: board._shown_generation == board._generation
                     and board.rows_shown == PAGE_SIZE and board.flt.text == "事项",
                     "the second search's rows shown")
        board.query_one(BoardTable).focus()
        await pilot.press("n")
        gate.set()
        await _idle(pilot)
        assert board.page_offset == PAGE_SIZE
        _check(app, board, "n before the counts of a longer search")
