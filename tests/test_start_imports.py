"""What a start loads (issue 13, item 9), checked in a fresh interpreter, not timed:
``coordboard --version`` loads no database layer (tests/test_cli_language.py), and the
board's first screen loads nothing of the paperwork (openpyxl, python-docx) or of Alembic."""

import subprocess
import sys
from pathlib import Path

from coordboard.db import Database

TESTS = Path(__file__).parent

BOARD = """
import asyncio, sys
sys.path.insert(0, {tests!r})
from tui_support import login, settle
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.tui.app import make_app
from coordboard.tui.screens.board import BoardScreen

async def main():
    app = make_app(Settings(db_url={url!r}), Database.from_url({url!r}))
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen), app.screen
        assert app.screen.query_one("BoardTable").row_count > 0

asyncio.run(main())
print(" ".join(sorted({{m.split(".")[0] for m in sys.modules}})))
"""


def test_the_boards_first_screen_loads_no_paperwork_and_no_alembic(demo_file: Database) -> None:
    url = str(demo_file.engine.url)
    demo_file.dispose()
    result = subprocess.run([sys.executable, "-c", BOARD.format(tests=str(TESTS), url=url)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    loaded = set(result.stdout.split("\n")[-2].split())
    assert "textual" in loaded and "sqlalchemy" in loaded
    assert not loaded & {"openpyxl", "docx", "xlsxwriter", "alembic"}, loaded
