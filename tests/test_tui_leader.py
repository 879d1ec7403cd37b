"""A leader's home lists the tasks they answer for (open first, reds first) above the
office's dashboard, at 80×24 too; Enter opens one. The board filters by leader, and a
saved filter keeps it (issue 14 item 5)."""

from textual.widgets import Select
from tui_support import login, screen_text, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.services import board, directory, leader_home
from coordboard.services.lights import LightContext
from coordboard.services.workdays import load_calendar
from coordboard.tui.app import make_app
from coordboard.tui.screens.board import BoardScreen, BoardTable
from coordboard.tui.screens.task import TaskScreen
from coordboard.tui.widgets.tables import RowTable


def _expected(db: Database, username: str) -> tuple[int, list[str], list[str]]:
    """The leader's id, and the codes and lights of their tasks in the home's order."""
    with db.read() as session:
        user_id = directory.user_by_name(session, username).id or 0
        ctx = LightContext.build(Settings(), load_calendar(session))
        rows = leader_home.my_tasks(session, user_id, ctx).rows
    return user_id, [r.task.code for r in rows], [r.verdict.light.value for r in rows]


async def test_a_leader_s_home_lists_their_tasks_and_opens_one(demo_copy: Database) -> None:
    _, expected, lights = _expected(demo_copy, "sungq")
    assert len(expected) >= 5  # the demo gives each leader tasks of their own
    assert lights[0] == "red" and lights[-1] == "none"  # reds first, closed and drafts last
    app = make_app(Settings(), demo_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "sungq")
        table = app.screen.query_one("#home-leader", RowTable)
        assert [table.identity_at(i) for i in range(table.row_count)] == expected
        text = screen_text(app)
        assert "我负责的事项" in text and expected[0] in text  # on screen at 80×24
        assert str(table.get_row_at(0)[1]).endswith("红灯")
        assert app.screen.query_one("#home-pending", RowTable).region.height > 0  # dashboard below
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("enter")
        for _ in range(50):
            await settle(pilot, 1)
            if isinstance(app.screen, TaskScreen) and app.screen.detail is not None:
                break
        assert isinstance(app.screen, TaskScreen) and app.screen.code == expected[1]
        assert "孙国庆" in screen_text(app)


async def test_the_board_filters_by_leader_and_a_saved_filter_keeps_it(
        demo_copy: Database) -> None:
    leader_id, _, _ = _expected(demo_copy, "zhoujj")
    with demo_copy.read() as session:
        ctx = LightContext.build(Settings(), load_calendar(session))
        wanted = board.page(session, board.BoardFilter(leader_id=leader_id), ctx)
    app = make_app(Settings(), demo_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "office")
        await pilot.press("b")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        select = screen.query_one("#flt-leader", Select)
        assert not select.loading and select.region.right <= 80  # loaded, and in view
        select.value = str(leader_id)
        await settle(pilot)
        table = screen.query_one(BoardTable)
        shown = [str(table.cell(row, 0)) for row in range(table.row_count)]
        assert shown == [r.task.code for r in wanted.rows] and 0 < len(shown) < 45
        assert screen.flt.leader_id == leader_id
        assert board.BoardFilter.from_dict(screen.flt.to_dict()).leader_id == leader_id
        screen.action_clear_filters()
        await settle(pilot)
        assert select.value == "" and table.row_count == 45
        screen.apply_filter(board.BoardFilter(leader_id=leader_id))  # as a saved filter does
        await settle(pilot)
        assert select.value == str(leader_id) and table.row_count == len(shown)
