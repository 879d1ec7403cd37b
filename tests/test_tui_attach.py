"""Evidence in the TUI: attach a file from the feedback form, see it listed literally on the
task screen, save it to a folder under a safe name (Pilot)."""

from datetime import date
from pathlib import Path

import pytest
from test_tui_flows import open_task, run_action
from textual.widgets import DataTable, Input, Static
from tui_support import PASSWORD, login, screen_text, settle, spy_notices, type_into

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


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_in_a_browser_session_an_attachment_is_sent_as_a_download(
        office, tmp_path: Path) -> None:
    """Under ``coordboard serve`` a folder on the server means nothing to the user: `s` hands
    the file to Textual's ``deliver_binary``, which textual-serve turns into a browser
    download (proven end to end for the ledger in test_serve_browser.py). Outside a web
    driver Textual 8.2.8 cannot save a binary file (its base driver tests
    ``isinstance(f, typing.BinaryIO)``, false for a real file, and writes in text mode), so
    the hand-over is observed at that boundary."""
    from coordboard.services import workflow
    from coordboard.services.attachments import read_upload
    from coordboard.services.permissions import Actor

    db, code = office
    data = bytes(range(256)) * 10
    source = tmp_path / "photo.jpg"
    source.write_bytes(data)
    with db.write() as session:
        head = directory.user_by_name(session, "sfs")
        workflow.attach(session, actor=Actor(head.id or 0, "sfs", Role.HEAD, head.department_id),
                        code=code, settings=Settings(),
                        upload=read_upload(source, Settings(), name=NAME))
    app = make_app(Settings(), db, served=True)
    delivered: list[tuple[bytes, str | None]] = []
    app.deliver_binary = lambda path, save_filename=None, **_: (  # type: ignore[method-assign]
        delivered.append((Path(path).read_bytes(), save_filename)))
    notices = spy_notices(app)
    async with app.run_test(size=(120, 50)) as pilot:
        await login(pilot, "sfs")
        screen = await open_task(pilot, code)
        screen.query_one("#task-attachments", DataTable).focus()
        await pilot.press("s")
        for _ in range(50):
            await settle(pilot)
            if delivered:
                break
        assert app.screen is screen  # no server folder asked for
        assert delivered == [(data, NAME)]
        assert any("正在发送到浏览器下载" in told for told in notices)
