"""The office imports its ledger from the interface (dry run table, row errors by number,
confirm, all or nothing), and its home says when the last backup was made."""

import shutil
from pathlib import Path

import pendulum
import pytest
from sqlmodel import col, func, select
from textual.widgets import Button, Input
from tui_support import PASSWORD, login, screen_text, settle

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Role
from coordboard.models import Task
from coordboard.services import backup, directory
from coordboard.services.permissions import Actor
from coordboard.tui.app import make_app
from coordboard.tui.screens.confirm import ConfirmDialog
from coordboard.tui.screens.import_ledger import ImportScreen

HEADER = "序号,督办事项,牵头单位,配合单位,完成时限\n"


@pytest.fixture
def office_db(tmp_path: Path, sqlite_template: Path) -> Database:
    """Two units and the office's account: all a ledger import needs."""
    shutil.copy(sqlite_template, tmp_path / "office.db")
    db = Database.from_url(f"sqlite:///{tmp_path / 'office.db'}")
    with db.write() as session:
        for name in ("司法所", "派出所"):
            directory.add_department(session, name=name)
        directory.add_user(session, username="office", display_name="法治办", role=Role.OFFICE,
                           password=PASSWORD)
    return db


def _tasks(db: Database) -> int:
    with db.read() as session:
        return session.exec(select(func.count()).select_from(Task)
                            .where(col(Task.external_ref).is_not(None))).one()


async def _check(pilot, path: Path) -> str:
    pilot.app.screen.query_one("#import-path", Input).value = str(path)
    await pilot.click("#import-check")
    await settle(pilot)
    return screen_text(pilot.app)


async def test_office_dry_runs_then_imports_a_ledger(office_db: Database, frozen,
                                                     tmp_path: Path) -> None:
    ledger = tmp_path / "督办台账.csv"
    ledger.write_text(HEADER + "1,普法宣传进村居,司法所,派出所,2026-12-31\n"
                      "2,矛盾纠纷排查,镇司法所x,,2026-12-20\n"
                      "3,法律顾问全覆盖,派出所,,2026年13月1日\n", encoding="utf-8")
    app = make_app(Settings(), office_db)
    async with app.run_test(size=(140, 45)) as pilot:
        await login(pilot, "office")
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        text = await _check(pilot, ledger)
        # The plan, and every row error with its row number; nothing can be imported.
        assert "普法宣传进村居" in text and "新建" in text
        assert "将新建1项" in text and "错误2处" in text
        problems = [line for line in text.splitlines() if "错误" in line and "镇司法所x" in line]
        assert problems and problems[0].split()[0] == "3", text
        assert any(line.split()[:2] == ["4", "错误"] and "2026年13月1日" in line
                   for line in text.splitlines() if line.strip()), text
        assert app.screen.query_one("#import-run", Button).disabled
        assert _tasks(office_db) == 0

        ledger.write_text(HEADER + "1,普法宣传进村居,司法所,派出所,2026-12-31\n"
                          "2,矛盾纠纷排查,司法所,,2026-12-20\n", encoding="utf-8")
        text = await _check(pilot, ledger)
        assert "将新建2项" in text and "错误0处" in text and "矛盾纠纷排查" in text
        assert _tasks(office_db) == 0  # a dry run writes nothing
        await pilot.click("#import-run")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm-yes")
        await settle(pilot)
        assert _tasks(office_db) == 2
        assert "已导入" in screen_text(app) or "新建2" in screen_text(app), screen_text(app)


async def test_a_ledger_broken_after_its_dry_run_imports_nothing(office_db: Database, frozen,
                                                                tmp_path: Path) -> None:
    ledger = tmp_path / "台账.csv"
    ledger.write_text(HEADER + "1,普法宣传进村居,司法所,,2026-12-31\n", encoding="utf-8")
    app = make_app(Settings(), office_db)
    async with app.run_test(size=(140, 45)) as pilot:
        await login(pilot, "office")
        await pilot.press("i")
        await settle(pilot)
        await _check(pilot, ledger)
        # Someone edits the file between the dry run and the import: a bad row in the middle.
        ledger.write_text(HEADER + "1,普法宣传进村居,司法所,,2026-12-31\n"
                          "2,坏行,无此单位,,2026-12-31\n3,第三项,派出所,,2026-12-31\n",
                          encoding="utf-8")
        await pilot.click("#import-run")
        await settle(pilot)
        await pilot.click("#confirm-yes")
        await settle(pilot)
        assert _tasks(office_db) == 0
        assert "无此单位" in screen_text(app)


async def test_office_home_shows_when_the_last_backup_was_made(office_db: Database, frozen,
                                                               tmp_path: Path) -> None:
    app = make_app(Settings(), office_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        assert "上次备份：从未备份" in screen_text(app)
        office = app.actor
        assert isinstance(office, Actor)
        with clock.at(pendulum.datetime(2026, 11, 25, 18, 2, tz="Asia/Shanghai")):
            backup.backup(office_db, actor=office, target=tmp_path / "copy.db")
        await pilot.press("r")
        await settle(pilot)
        assert "上次备份：11月25日 18:02" in screen_text(app)


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_the_import_path_and_its_buttons_fit_80_columns(office_db: Database,
                                                              language: str) -> None:
    """The path's placeholder was cut beside the buttons at 80 columns ("Ledger file path
    (.xlsx, .xls o"); the field has a line of its own and both buttons are whole."""
    from coordboard.i18n import t

    app = make_app(Settings(language=language), office_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "office")
        await pilot.press("i")
        await settle(pilot)
        assert t("tui.import.path") in screen_text(app)
        width = app.screen.size.width
        for button in app.screen.query(Button):
            assert button.region.right <= width and str(button.label) in screen_text(app)
