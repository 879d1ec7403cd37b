"""Stages (阶段节点) on the task screen: listed between the units and the history, and the
responsible unit's head marks one reached from the action form (Pilot)."""

from datetime import date

import pytest
from test_tui_flows import open_task, run_action
from textual.widgets import Static
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
