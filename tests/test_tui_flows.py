"""Whole flows through the TUI with Pilot: a unit head's day and the office's decisions,
registering and dispatching, conflicts, the palette, the language switch, 80×24."""

from datetime import timedelta

from sqlmodel import col, select
from textual.widgets import Button, DataTable, Input, OptionList, Select, SelectionList, Static
from tui_support import login, screen_text, settle, type_into

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import TaskStatus
from coordboard.models import Feedback, SupervisionNote, Task
from coordboard.services import auth, directory, tasks, workflow
from coordboard.tui.app import make_app
from coordboard.tui.screens.action_form import ActionForm
from coordboard.tui.screens.action_menu import ActionMenu
from coordboard.tui.screens.home import HomeScreen
from coordboard.tui.screens.login import LoginScreen
from coordboard.tui.screens.register import RegisterScreen
from coordboard.tui.screens.task import TaskScreen


async def open_task(pilot, code: str) -> TaskScreen:
    pilot.app.open_task(code)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TaskScreen) and screen.detail is not None
    return screen


async def run_action(pilot, action: str) -> ActionForm:
    for _ in range(50):  # after an action the screen reloads and may rebuild its buttons
        if pilot.app.screen.query(f"#act-{action}"):
            break
        await settle(pilot, 1)
    await pilot.click(f"#act-{action}")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, ActionForm), screen_text(pilot.app)
    return form


def task_row(db: Database, code: str) -> Task:
    with db.read() as session:
        return tasks.task_by_code(session, code)


async def test_wrong_password_then_login(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await type_into(pilot, "#login-username", "sfs")
        await type_into(pilot, "#login-password", "wrong")
        await pilot.click("#login-submit")
        await settle(pilot)
        assert "用户名或密码" in str(app.screen.query_one("#login-error", Static).render())
        await login(pilot, "sfs")


async def test_head_home_lists_what_needs_the_unit(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "sfs")
        todo = app.screen.query_one("#home-todo", DataTable)
        kinds = {str(todo.get_cell_at((row, 0))) for row in range(todo.row_count)}
        assert {"回复督办", "签收", "反馈进展"} <= kinds
        mine = app.screen.query_one("#home-mine", DataTable)
        roles = {str(mine.get_cell_at((row, 2))) for row in range(mine.row_count)}
        assert roles == {"牵头", "配合"}


async def test_head_acknowledges_reports_answers_and_asks_for_extension(demo_file: Database,
                                                                          frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "sfs")
        todo = app.screen.query_one("#home-todo", DataTable)
        row = next(r for r in range(todo.row_count) if str(todo.get_cell_at((r, 0))) == "签收")
        code = str(todo.get_cell_at((row, 1)))
        todo.focus()
        todo.move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TaskScreen) and screen.code == code
        await run_action(pilot, "acknowledge")
        await pilot.click("#form-submit")
        await settle(pilot)
        assert app.screen is screen
        assert not screen.query("#act-acknowledge")  # done: no longer offered
        assert "本单位已签收" in str(screen.query_one("#task-why-not", Static).render())

        form = await run_action(pilot, "feedback")
        await type_into(pilot, "#field-percent", "150")
        await pilot.click("#form-submit")
        await settle(pilot)
        assert "必填" in str(form.query_one("#error-body", Static).render())
        assert "0 到 100" in str(form.query_one("#error-percent", Static).render())
        await type_into(pilot, "#field-body", "已排定普法讲座 [b]3[/b] 场")
        await type_into(pilot, "#field-percent", "40")
        await pilot.click("#form-submit")
        await settle(pilot)
        assert app.screen is screen
        with demo_file.read() as session:
            bodies = session.exec(select(Feedback.body).join(Task).where(Task.code == code)).all()
        assert "已排定普法讲座 [b]3[/b] 场" in bodies

        form = await run_action(pilot, "request_extension")
        await type_into(pilot, "#field-new_deadline", "2026-02-30")
        await type_into(pilot, "#field-reason", "配合单位材料未齐")
        await pilot.click("#form-submit")
        await settle(pilot)
        assert "不是有效日期" in str(form.query_one("#error-new_deadline", Static).render())
        # A day off is pointed out under the date as it is typed (taken still, as the CLI does).
        await type_into(pilot, "#field-new_deadline", "2027-01-17")
        await settle(pilot)
        assert str(form.query_one("#day-off-new_deadline", Static).render()) == (
            "注意：申请的新期限 2027-01-17 不是工作日（周末），请确认。")
        await type_into(pilot, "#field-new_deadline", "2027-01-15")
        await settle(pilot)
        assert str(form.query_one("#day-off-new_deadline", Static).render()) == ""
        await pilot.click("#form-submit")
        await settle(pilot)
        assert app.screen is screen
        assert "已有待审批的延期申请" in str(screen.query_one("#task-why-not", Static).render())


async def test_urge_is_answered_from_the_task(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "sfs")
        todo = app.screen.query_one("#home-todo", DataTable)
        row = next(r for r in range(todo.row_count) if str(todo.get_cell_at((r, 0))) == "回复督办")
        code = str(todo.get_cell_at((row, 1)))
        screen = await open_task(pilot, code)
        assert "逾期未回复" in str(screen.query_one("#task-head", Static).render())
        form = await run_action(pilot, "respond")
        assert form.query_one("#field-note_id", Select).value is not Select.BLANK
        await type_into(pilot, "#field-response", "已于本周完成首批培训")
        await pilot.click("#form-submit")
        await settle(pilot)
        assert "逾期未回复" not in str(screen.query_one("#task-head", Static).render())


async def test_head_cannot_take_office_actions_and_sees_why(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "sfs")
        with demo_file.read() as session:
            code = session.exec(select(Task.code).where(
                Task.status == TaskStatus.CLOSURE_REQUESTED)).first()
        screen = await open_task(pilot, code)
        offered = {b.id for b in screen.query("#task-actions Button").results(Button)}
        assert "act-accept" not in offered and "act-return" not in offered  # never the head's
        await pilot.press("a")
        await settle(pilot)
        menu = app.screen
        assert isinstance(menu, ActionMenu)
        options = menu.query_one(OptionList)
        closure = options.get_option("request_closure")
        assert closure.disabled  # sfs does not lead this task: listed, greyed, with the reason
        assert "牵头单位" in str(closure.prompt)
        assert all(options.get_option_at_index(i).id != "accept" for i in range(options.option_count))


async def test_office_accepts_returns_and_urges(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        pending = app.screen.query_one("#home-pending", DataTable)
        kinds = [str(pending.get_cell_at((row, 0))) for row in range(pending.row_count)]
        assert {"办结", "延期"} <= set(kinds)
        closures = [str(pending.get_cell_at((row, 1))) for row, kind in enumerate(kinds) if kind == "办结"]
        chart = app.screen.query_one("#home-chart", DataTable)
        assert chart.row_count > 5
        screen = await open_task(pilot, closures[0])
        await run_action(pilot, "accept")
        await pilot.click("#form-submit")
        await settle(pilot)
        assert task_row(demo_file, closures[0]).status == TaskStatus.CLOSED
        await pilot.press("escape")
        screen = await open_task(pilot, closures[1])
        form = await run_action(pilot, "return")
        await pilot.click("#form-submit")  # no reason: refused inline, nothing written
        await settle(pilot)
        assert "必填" in str(form.query_one("#error-reason", Static).render())
        assert task_row(demo_file, closures[1]).status == TaskStatus.CLOSURE_REQUESTED
        await type_into(pilot, "#field-reason", "缺少配合单位佐证")
        await pilot.click("#form-submit")
        await settle(pilot)
        returned = task_row(demo_file, closures[1])
        assert returned.status == TaskStatus.IN_PROGRESS and returned.return_count >= 1
        form = await run_action(pilot, "note")
        form.query_one("#field-kind", Select).value = "urge"
        await type_into(pilot, "#field-respond_by", "2026-11-27")
        await type_into(pilot, "#field-body", "请于周五前补齐材料")
        await pilot.click("#form-submit")
        await settle(pilot)
        assert app.screen is screen
        assert task_row(demo_file, closures[1]).open_urge_respond_by is not None


async def test_office_decides_an_extension(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        pending = app.screen.query_one("#home-pending", DataTable)
        row = next(r for r in range(pending.row_count) if str(pending.get_cell_at((r, 0))) == "延期")
        code = str(pending.get_cell_at((row, 1)))
        before = task_row(demo_file, code).deadline
        await open_task(pilot, code)
        form = await run_action(pilot, "decide_extension")
        assert "申请将期限由" in screen_text(app)
        form.query_one("#field-approve", Select).value = "approve"
        await pilot.click("#form-submit")
        await settle(pilot)
        assert task_row(demo_file, code).deadline > before


async def test_a_conflicting_save_explains_and_reloads(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        with demo_file.read() as session:
            code = session.exec(select(Task.code).where(Task.status == TaskStatus.IN_PROGRESS)).first()
        screen = await open_task(pilot, code)
        form = await run_action(pilot, "suspend")
        with demo_file.write() as session:  # meanwhile, someone else changes the task
            other = auth.actor_of(directory.user_by_name(session, "admin"))
            tasks.edit(session, task=tasks.task_by_code(session, code), actor_id=other.user_id,
                       changes={"leader": "孙国庆"}, today=frozen.date())
        await type_into(pilot, "#field-reason", "等待上级意见")
        await pilot.click("#form-submit")
        await settle(pilot)
        message = str(form.query_one("#form-error", Static).render())
        assert "未保存" in message and code in message
        assert task_row(demo_file, code).status == TaskStatus.IN_PROGRESS
        await pilot.click("#form-reload")
        await settle(pilot)
        assert app.screen is screen and "孙国庆" in str(screen.query_one("#task-head", Static).render())


async def test_office_registers_and_dispatches_by_working_days(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 50)) as pilot:
        await login(pilot, "office")
        await pilot.press("g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RegisterScreen)
        await pilot.press("ctrl+r")  # register and dispatch, empty: every required field says so
        await settle(pilot)
        assert "必填" in str(screen.query_one("#reg-error-title", Static).render())
        await type_into(pilot, "#reg-title", "[/] 镇村两级法律顾问全覆盖")
        lead = screen.query_one("#reg-lead", Select)
        lead.value = next(uid for uid, name in screen.units if name == "司法所")
        await type_into(pilot, "#reg-unit-search", "村")
        await settle(pilot)
        supporters = screen.query_one("#reg-supporters", SelectionList)
        assert supporters.option_count and all(
            "村" in str(supporters.get_option_at_index(i).prompt) for i in range(supporters.option_count))
        supporters.focus()  # as a user does: into the list, Space ticks the first unit
        await pilot.press("space")
        await settle(pilot)
        assert supporters.selected == [supporters.get_option_at_index(0).value]
        parts = list(screen.query("#reg-parts Input").results(Input))
        assert len(parts) == 2
        parts[0].value = "统筹"
        screen.query_one("#mode-workdays").value = True
        await settle(pilot)
        await type_into(pilot, "#reg-workdays", "30")
        await settle(pilot)
        preview = str(screen.query_one("#reg-preview", Static).render())
        assert "2027-01-07" in preview and "元旦" in preview
        await pilot.press("ctrl+r")
        await settle(pilot, 6)
        assert isinstance(app.screen, TaskScreen)
        created = task_row(demo_file, app.screen.code)
        assert created.status == TaskStatus.ASSIGNED and created.title.startswith("[/]")
        assert created.deadline.isoformat() == "2027-01-07"


async def test_palette_jumps_to_a_task_and_switches_language(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"DB-2026-005")
        await pilot.pause(0.5)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen) and app.screen.code == "DB-2026-005"
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"English")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot, 5)
        assert isinstance(app.screen, TaskScreen) and app.screen.code == "DB-2026-005"
        drawn = screen_text(app)
        assert "Units" in drawn and "Back" in drawn  # the footer is relabelled too
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and "Waiting for the office" in screen_text(app)


async def test_help_and_80_by_24(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "sfs")
        assert "需要本单位处理" in screen_text(app)
        await pilot.press("b")
        await settle(pilot)
        drawn = screen_text(app)
        assert "DB-2026-" in drawn and "共 " in drawn
        await pilot.press("f1")
        await settle(pilot)
        assert "命令面板" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)


async def test_leader_reads_without_actions(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "leader")
        assert "只读" in screen_text(app)
        screen = await open_task(pilot, "DB-2026-005")
        assert not screen.query("#task-actions Button")
        assert "没有可执行的操作" in screen_text(app)


async def test_a_suspended_tasks_note_form_offers_only_notes_it_can_take(demo_file: Database,
                                                                         frozen) -> None:
    """A reminder, an urge or a letter asks a unit to act: nothing to ask of a suspended task.
    The form offered them all and the service then refused the one chosen first (提醒)."""
    code = _suspend_a_task(demo_file)
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        await open_task(pilot, code)
        form = await run_action(pilot, "note")
        kinds = [value for _label, value in form.query_one("#field-kind", Select)._options]
        assert kinds == ["praise", "criticism", "buck_passing"]
        await type_into(pilot, "#field-body", "暂缓期间仍主动对接，予以表扬")
        await pilot.click("#form-submit")
        await settle(pilot)
    with demo_file.read() as session:
        notes = session.exec(select(SupervisionNote.kind).join(Task).where(Task.code == code)
                             .order_by(col(SupervisionNote.id).desc())).first()
    assert notes == "praise"


async def test_the_office_resumes_a_task_with_a_new_deadline(demo_file: Database, frozen) -> None:
    """Resuming asks for a new deadline (optional): a suspension that ran past the old one
    left the task red the moment it resumed, with no way to move its deadline."""
    code = _suspend_a_task(demo_file)
    new = (frozen.date() + timedelta(days=21)).isoformat()
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        await open_task(pilot, code)
        await run_action(pilot, "resume")
        assert "新的办理期限" in screen_text(app)
        await type_into(pilot, "#field-set_deadline", new)
        await pilot.click("#form-submit")
        await settle(pilot)
    resumed = task_row(demo_file, code)
    assert resumed.status == TaskStatus.IN_PROGRESS
    assert (resumed.deadline.isoformat(), resumed.original_deadline.isoformat()) == (new, new)


def _suspend_a_task(db: Database) -> str:
    """An in-progress task of the demo, suspended by the office: its code."""
    with db.read() as session:
        code = session.exec(select(Task.code).where(Task.status == TaskStatus.IN_PROGRESS)).first()
    with db.write() as session:
        office = auth.actor_of(directory.user_by_name(session, "office"))
        workflow.suspend(session, actor=office, code=code, reason="等待上级意见",
                         settings=Settings())
    return code
