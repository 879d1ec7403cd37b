"""Evidence in the TUI: attach a file from the feedback form, see it listed literally on the
task screen, save it to a folder under a safe name (Pilot)."""

from datetime import date
from pathlib import Path

import pytest
from test_tui_flows import open_task, run_action
from textual.widgets import DataTable, Input, Static
from tui_support import PASSWORD, login, screen_text, settle, type_into

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Role
from coordboard.services import directory, tasks
from coordboard.services.directory import hash_password
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar
from coordboard.tui.app import make_app
from coordboard.tui.screens.save_attachment import SaveAttachmentForm

# As markup it would turn red and become a live action (a name cannot hold "/", which
# would crash it).
NAME = "[bold red]照片[@click=app.quit]x.jpg"


@pytest.fixture
def office(db: Database, frozen) -> tuple[Database, str]:
    """One unit, its head and one dispatched task (a shared hash: one argon2 hashing)."""
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
        return db, task.code


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_attach_from_feedback_then_save_it_from_the_task_screen(office, tmp_path: Path
                                                                      ) -> None:
    db, code = office
    data = b"\xff\xd8\xff" + bytes(range(256)) * 40
    source = tmp_path / "in" / NAME
    source.parent.mkdir()
    source.write_bytes(data)
    app = make_app(Settings(), db)
    async with app.run_test(size=(120, 50)) as pilot:
        await login(pilot, "sfs")
        screen = await open_task(pilot, code)
        assert "还没有佐证材料" in screen_text(app)

        form = await run_action(pilot, "feedback")
        await type_into(pilot, "#field-body", "附现场照片")
        await type_into(pilot, "#field-attachment", str(tmp_path / "nope.jpg"))
        await pilot.click("#form-submit")
        await settle(pilot)
        assert "找不到文件" in str(form.query_one("#error-attachment", Static).render())
        await type_into(pilot, "#field-attachment", str(source))
        await pilot.click("#form-submit")
        await settle(pilot, 5)
        assert app.screen is screen
        table = screen.query_one("#task-attachments", DataTable)
        assert table.row_count == 1 and str(table.get_cell_at((0, 0))) == NAME
        assert NAME in screen_text(app) and "进展反馈" in str(table.get_cell_at((0, 2)))

        table.focus()
        await pilot.press("s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SaveAttachmentForm)
        out = tmp_path / "out"
        out.mkdir()
        await type_into(pilot, "#save-folder", str(out))
        dialog.query_one("#save-folder", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        [saved] = list(out.iterdir())
        assert saved.name == NAME and saved.read_bytes() == data
        # Again: the file is kept, and the form says why.
        await pilot.press("s")
        await settle(pilot)
        await type_into(pilot, "#save-folder", str(out))
        app.screen.query_one("#save-folder", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "已存在" in str(app.screen.query_one("#form-error", Static).render())
