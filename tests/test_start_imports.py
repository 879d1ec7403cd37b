"""What a start loads (issue 13, item 9), checked in a fresh interpreter, not timed:
``coordboard --version`` loads no database layer (tests/test_cli_language.py), and the
board's first screen loads nothing of the paperwork (openpyxl, python-docx) or of Alembic,
nor, on SQLite, SQLAlchemy's PostgreSQL dialect or any country's holidays but China's."""

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
print(" ".join(sorted(sys.modules)))
"""


def test_the_boards_first_screen_loads_no_paperwork_no_alembic_no_other_dialect_or_country(
        demo_file: Database) -> None:
    url = str(demo_file.engine.url)
    demo_file.dispose()
    result = subprocess.run([sys.executable, "-c", BOARD.format(tests=str(TESTS), url=url)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    modules = set(result.stdout.split("\n")[-2].split())
    loaded = {name.split(".")[0] for name in modules}
    assert "textual" in loaded and "sqlalchemy" in loaded
    assert not loaded & {"openpyxl", "docx", "xlsxwriter", "alembic"}, loaded
    # The lights on the first page need China's working days: its module, no other country's.
    assert {m for m in modules if m.startswith("holidays.countries")} == {"holidays.countries.china"}
    assert not {m for m in modules if m.startswith("sqlalchemy.dialects.postgresql")}


def test_postgresql_engines_give_the_partial_indexes_their_predicate() -> None:
    """The PostgreSQL predicates are added when a PostgreSQL engine is made (declaring
    them in the tables loaded that dialect on every start); no server is needed to check
    the DDL the models would emit."""
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex
    from sqlmodel import SQLModel

    from coordboard.db import make_engine

    make_engine("postgresql://nobody@/nowhere").dispose()
    partial = {index.name: str(CreateIndex(index).compile(dialect=postgresql.dialect()))
               for table in SQLModel.metadata.tables.values() for index in table.indexes
               if index.dialect_options["sqlite"]["where"] is not None}
    assert set(partial) == {"uq_task_unit_one_lead", "ix_task_unit_contest_pending",
                            "uq_extension_request_one_pending", "uq_review_one_open",
                            "ix_task_extended"}
    assert all(" WHERE " in ddl for ddl in partial.values()), partial
