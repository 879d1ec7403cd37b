"""The task screen shows what the user can do first; why not is one key (w) away (issue 13.2)."""

from textual.widgets import Button, Static
from tui_support import login, screen_text, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.tui.app import make_app
from coordboard.tui.screens.task import TaskScreen

CODE = "DB-2026-005"  # in progress, lead 司法所 (sfs), no extension or contest pending


async def _open(pilot, code: str) -> TaskScreen:
    pilot.app.open_task(code)
    for _ in range(50):
        await settle(pilot, 1)
        screen = pilot.app.screen
        if isinstance(screen, TaskScreen) and screen.detail is not None:
            break
    await settle(pilot)
    assert isinstance(pilot.app.screen, TaskScreen)
    return pilot.app.screen


async def test_office_sees_its_actions_first_and_why_not_on_w(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "office")
        screen = await _open(pilot, CODE)
        buttons = [b.id for b in screen.query("#task-actions Button").results(Button)]
        assert buttons[:1] == ["act-note"] and "act-suspend" in buttons
        panel = screen.query_one("#task-why-not", Static)
        assert not panel.display  # the reasons are out of the way until asked for
        drawn = screen_text(app)
        assert "另有" in drawn and "按 w 查看原因" in drawn
        # At 80×24 the units and the history are on the first screen.
        assert "承办单位" in drawn and "司法所" in drawn and "办理记录（最新在前）" in drawn
        assert "w 不可操作原因" in drawn  # the key is in the footer

        await pilot.press("w")
        await settle(pilot)
        assert panel.display
        reasons = str(panel.render())
        assert "没有待审批的延期申请" in reasons and "没有待决定的调整申请" in reasons
        assert "此时不能办结销号" in reasons  # the status, briefly, not every action's name
        for other_role in ("签收", "反馈进展", "申请办结", "申请延期"):
            assert f"✕ {other_role}：" not in reasons  # a head's actions are never the office's business
        assert "按 w 查看原因" not in screen_text(app)

        await pilot.press("w")
        await settle(pilot)
        assert not panel.display


async def test_head_panel_lists_only_a_units_actions(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "sfs")
        screen = await _open(pilot, CODE)
        buttons = {b.id for b in screen.query("#task-actions Button").results(Button)}
        assert {"act-feedback", "act-request_closure"} <= buttons
        await pilot.press("w")
        await settle(pilot)
        reasons = str(screen.query_one("#task-why-not", Static).render())
        assert "✕ 签收：本单位已签收" in reasons  # the rule's own words
        assert "✕ 申请调整：" in reasons and "3 个工作日内" in reasons  # the contest window
        for office_only in ("交办", "办结销号", "退回重办", "审批延期", "督办留痕"):
            assert f"✕ {office_only}：" not in reasons
