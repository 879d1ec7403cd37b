"""The paperwork the CLI writes is one key away in the TUI too (issue 12: the notice "from
the task screen"; a helper found the 督办通知单, the 催办通知单/督办函 and the 月报 only in the
CLI): n and u on a task, m on the scoreboard; each file opened by python-docx."""

from pathlib import Path

from docx import Document
from tui_support import login, open_task, settle, spy_notices

from coordboard import paths
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.tui.app import make_app
from coordboard.tui.screens.scores import ScoresScreen


def _text(path: Path) -> str:
    doc = Document(str(path))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


async def _written(pilot, pattern: str) -> list[Path]:
    for _ in range(100):
        await settle(pilot, 1)
        found = sorted(paths.exports_dir().glob(pattern))
        if found:
            return found
    return []


async def test_a_task_writes_its_notice_and_its_latest_urge(demo_file: Database) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        await open_task(pilot, "DB-2026-005")  # urged (催办) in the demo town
        await pilot.press("n")
        [notice] = await _written(pilot, "督办通知单-DB-2026-005-*.docx")
        text = _text(notice)
        assert "督办通知单" in text and "DB-2026-005" in text and "签收" in text
        await pilot.press("u")
        [letter] = await _written(pilot, "催办督办函-DB-2026-005-*.docx")
        assert "请于" in _text(letter) and "DB-2026-005" in _text(letter)


async def test_a_task_never_urged_says_so_and_writes_nothing(demo_file: Database) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        await open_task(pilot, "DB-2026-038")  # a draft: nothing sent yet
        told = spy_notices(app)
        await pilot.press("u")
        for _ in range(50):
            await settle(pilot, 1)
            if told:
                break
        assert told and "没有催办" in told[0], told
        assert not list(paths.exports_dir().glob("*.docx"))


async def test_the_scoreboard_writes_the_months_report(demo_file: Database) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        await pilot.press("k")
        for _ in range(50):
            await settle(pilot, 1)
            if isinstance(app.screen, ScoresScreen) and app.screen.board is not None:
                break
        assert isinstance(app.screen, ScoresScreen)
        month = app.screen.board.start
        await pilot.press("m")
        [report] = await _written(pilot, f"督办月报-{month:%Y%m}-*.docx")
        assert f"{month.year}年{month.month}月" in _text(report)
