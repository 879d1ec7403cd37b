"""Hostile user text never reaches the terminal raw (rule: every piece of user text shown
by the TUI goes through ``safe_text.visible``; stored text stays exactly as typed).

The headless driver writes nothing, so each check renders what the compositor would
send to a real terminal (the same ``render_segments`` the real driver writes) and looks
for the raw sequences a title, a note, a unit's or a user's name may carry."""

import re

from sqlmodel import col, select
from textual.command import CommandPalette
from textual.widgets import Input
from tui_support import login, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Role, TaskStatus
from coordboard.models import Department, Task, TaskUnit
from coordboard.services import directory, progress
from coordboard.tui.app import make_app
from coordboard.tui.screens.board import BoardScreen
from coordboard.tui.screens.task import TaskScreen

HOSTILE = "甲\x1b]0;pwned\x07乙\x1b[6n丙\x1bc丁\x9b31m戊\u202e己\n庚\t辛\x1b[2J"
RAW = ["\x1b]0;", "\x07", "\x1b[6n", "\x1bc", "\x9b", "\u202e", "\x1b[2J", "\t"]
HEAD = "h\x1b]0;pwned\x07"
# What a terminal legitimately receives from Textual: SGR styles, cursor moves, sync marks.
LEGIT = re.compile(r"\x1b\[[0-9;:]*m|\x1b\[[0-9]+;[0-9]+H|\x1b\[\?2026[hl]|\x1b\[[0-9]*[ABCDK]")


def seed(db: Database) -> str:
    """Hostile title, description, feedback, note, unit names and a head's user name."""
    with db.write() as session:
        unit = directory.user_by_name(session, "sfs").department_id
        task = session.exec(
            select(Task).join(TaskUnit, col(TaskUnit.task_id) == Task.id)
            .where(TaskUnit.department_id == unit, Task.lead_department_id == unit,
                   Task.status == TaskStatus.IN_PROGRESS).order_by(col(Task.id))).first()
        assert task is not None
        department = session.get(Department, unit)
        assert department is not None
        department.name, department.short_name = "所" + HOSTILE, "所" + HOSTILE
        head = directory.add_user(session, username=HEAD, display_name="名" + HOSTILE,
                                  role=Role.HEAD, password="demo1234", department_id=unit)
        progress.add_feedback(session, task=task, department_id=unit, actor_id=head.id,
                              body="反馈" + HOSTILE)
        progress.add_note(session, task=task, kind="urge", body="催" + HOSTILE, actor_id=None,
                          department_id=unit, today=task.deadline.replace(year=2026, month=11, day=25))
        task.title, task.description = "标题" + HOSTILE, "说明" + HOSTILE
        session.add_all([task, department])
        return task.code


def terminal_output(app) -> str:
    """What the real driver would write for the whole screen now."""
    update = app.screen._compositor.render_update(full=True)
    return update.render_segments(app.console)


def assert_safe(app, where: str) -> None:
    out = terminal_output(app)
    for raw in RAW:
        assert raw not in out, f"{where}: raw {raw!r} reached the terminal"
    rest = LEGIT.sub("", out)
    bad = sorted({f"U+{ord(c):04X}" for c in rest
                  if (ord(c) < 0x20 and c not in "\n\r") or 0x7F <= ord(c) < 0xA0
                  or 0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069})
    assert not bad, f"{where}: raw control characters {bad}"


async def test_hostile_text_is_visible_never_raw(demo_file: Database, frozen) -> None:
    code = seed(demo_file)
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(140, 45)) as pilot:
        await login(pilot, HEAD)
        assert "␛" in app.sub_title
        assert_safe(app, "home")
        app.action_board()
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert_safe(app, "board")
        app.open_task(code)
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen) and app.screen.detail is not None
        assert app.screen.detail.task.title == "标题" + HOSTILE  # stored as typed
        assert_safe(app, "task")
        await pilot.press("end")
        await settle(pilot)
        assert_safe(app, "task timeline")
        app.notify("提示" + HOSTILE, markup=True)
        await settle(pilot)
        assert_safe(app, "toast")
        app.action_command_palette()
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        app.screen.query_one(Input).value = "标题"
        await pilot.pause(0.5)
        await settle(pilot)
        assert "标题" in terminal_output(app)
        assert_safe(app, "palette")
