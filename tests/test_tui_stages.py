"""Stages (阶段节点) on the task screen: listed between the units and the history, and the
responsible unit's head marks one reached from the action form (Pilot)."""

from datetime import date

import pytest
from test_tui_flows import open_task, run_action
from textual.widgets import Input, Select, Static
from tui_support import PASSWORD, login, screen_text, settle, type_into

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Role
from coordboard.services import directory, stages, tasks
from coordboard.services.directory import hash_password
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar
from coordboard.tui.app import make_app


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_task_screen_lists_stages_and_the_head_marks_one_reached(db: Database,
                                                                        frozen) -> None:
    shared = hash_password(PASSWORD)
    with db.write() as session:
        unit = directory.add_department(session, name="司法所").id or 0
        office = directory.add_user(session, username="office", display_name="法治办",
                                    role=Role.OFFICE, password=PASSWORD, password_hash=shared)
        directory.add_user(session, username="sfs", display_name="司法所 李所长", role=Role.HEAD,
                           password=PASSWORD, password_hash=shared, department_id=unit)
        task = tasks.register(session, actor_id=office.id, title="普法宣传",
                              lead=UnitAssignment(unit), deadline=date(2026, 12, 31),
                              today=frozen.date())
        tasks.dispatch(session, task=task, actor_id=office.id, calendar=WorkCalendar(),
                       today=frozen.date())
        stages.add(session, task=task, actor_id=office.id, title="[red]调研", due=date(2026, 12, 10),
                   department_id=unit, today=frozen.date())
        code = task.code
    app = make_app(Settings(), db)
    async with app.run_test(size=(120, 50)) as pilot:
        await login(pilot, "sfs")
        screen = await open_task(pilot, code)
        assert "① 12-10 [red]调研（司法所）未完成" in screen_text(app)  # literal, not markup
        await run_action(pilot, "reach_stage")
        await type_into(pilot, "#field-report", "调研报告已报")
        await pilot.click("#form-submit")
        await settle(pilot, 5)
        assert app.screen is screen
        shown = str(screen.query_one("#task-stages", Static).render())
        assert "已完成" in shown
        assert "调研报告已报" in screen_text(app)  # the history says what was reported


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_the_office_adds_edits_and_removes_stages_at_80_by_24(db: Database, frozen) -> None:
    """A task yellow only for a stage past its day: the office adds a stage (the section
    lists it), moves the late one's day on (the light turns green) and removes the new one,
    all from the stage form, whose buttons are on screen at 80×24."""
    from test_tui_forms_fit import _in_view

    from coordboard.tui.screens.confirm import ConfirmDialog
    from coordboard.tui.screens.stage_form import StageForm

    shared = hash_password(PASSWORD)
    week_ago = date(2026, 11, 18)
    with db.write() as session:
        unit = directory.add_department(session, name="司法所").id or 0
        office = directory.add_user(session, username="office", display_name="法治办",
                                    role=Role.OFFICE, password=PASSWORD, password_hash=shared)
        task = tasks.register(session, actor_id=office.id, title="普法宣传",
                              lead=UnitAssignment(unit), deadline=date(2026, 12, 31),
                              today=week_ago)
        stages.add(session, task=task, actor_id=office.id, title="调研", due=date(2026, 11, 23),
                   department_id=unit, today=week_ago)
        tasks.dispatch(session, task=task, actor_id=office.id, calendar=WorkCalendar(),
                       today=frozen.date())
        code = task.code
    app = make_app(Settings(), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "office")
        screen = await open_task(pilot, code)
        head = screen.query_one("#task-head", Static)
        assert "黄灯" in str(head.render()) and "进度滞后" in str(head.render())

        async def stage_form(seq: str = "new") -> StageForm:
            screen.start_action("edit_stages")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, StageForm)
            form.query_one("#field-seq", Select).value = seq
            await pilot.pause()
            return form

        async def save() -> None:
            button = _in_view(app, "#form-submit")
            _in_view(app, ".dialog-title")
            button.focus()
            await pilot.press("enter")
            await settle(pilot, 5)

        await stage_form()
        await type_into(pilot, "#field-title", "起草[b]方案")
        await type_into(pilot, "#field-due", "2026-12-10")
        await save()
        assert app.screen is screen
        section = str(screen.query_one("#task-stages", Static).render())
        assert "② 12-10 起草[b]方案（司法所）未完成" in section  # literal, not markup

        form = await stage_form("1")
        assert form.query_one("#field-title", Input).value == "调研"  # the stage fills the form
        await type_into(pilot, "#field-due", "2026-12-01")
        await save()
        assert app.screen is screen and "① 12-01 调研" in str(screen.query_one("#task-stages",
                                                                            Static).render())
        assert "绿灯" in str(head.render()) and "进度滞后" not in str(head.render())

        await stage_form("2")
        _in_view(app, "#form-remove")
        await pilot.click("#form-remove")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm-yes")
        await settle(pilot, 5)
        assert app.screen is screen
        assert "起草" not in str(screen.query_one("#task-stages", Static).render())
