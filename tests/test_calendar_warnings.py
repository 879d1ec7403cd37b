"""Issue 11 rule 5, every path: a deadline in a year without the State Council's holiday
schedule (2027 as of the frozen 2026-11-25) is flagged where it is computed or shown, and the
office's calendar commands (import, confirm, unset, affected) work from the command line."""

import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from coordboard.cli import main
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.services import board, tasks, workdays
from coordboard.services.lights import LightContext
from coordboard.services.reports import ledger
from coordboard.services.tasks import UnitAssignment
from tests.test_rules import Place, place

WARNING = "2027年尚无国务院公布的放假安排"


@pytest.fixture
def town(db: Database, frozen) -> Place:  # type: ignore[no-untyped-def]
    return place(db)


def _register(p: Place, deadline: date) -> str:
    with p.db.write() as session:
        task = tasks.register(session, actor_id=p.office.user_id, title=f"期限{deadline}",
                              lead=UnitAssignment(p.units["司法所"]), deadline=deadline,
                              today=date(2026, 11, 25))
        tasks.dispatch(session, task=task, actor_id=p.office.user_id,
                       calendar=workdays.load_calendar(session), today=date(2026, 11, 25))
        return task.code


def _board(p: Place) -> dict[str, board.BoardRow]:
    with p.db.read() as session:
        ctx = LightContext.build(Settings(), workdays.load_calendar(session))
        return {row.task.code: row for row in board.page(session, board.BoardFilter(), ctx).rows}


def test_the_board_marks_a_deadline_in_a_year_without_official_data(town: Place) -> None:
    late, soon = _register(town, date(2027, 3, 1)), _register(town, date(2026, 12, 30))
    rows = _board(town)
    assert rows[late].deadline_estimated and not rows[soon].deadline_estimated
    with town.db.write() as session:
        workdays.confirm_year(session, year=2027, actor_id=None)
    assert not _board(town)[late].deadline_estimated  # confirmed: official from now on


def test_the_ledger_notes_an_estimated_deadline(town: Place, tmp_path: Path) -> None:
    late, soon = _register(town, date(2027, 3, 1)), _register(town, date(2026, 12, 30))
    target = tmp_path / "ledger.xlsx"
    with town.db.read() as session:
        ledger.write(session, Settings(), board.BoardFilter(), target)
    sheet = load_workbook(target).active
    header = [cell.value for cell in sheet[2]]
    remarks = {row[header.index("编号")]: row[header.index("备注")]
               for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert remarks[late] == "2027年尚无官方节假日安排，期限前后的工作日为估算"
    assert not remarks[soon]


def _cli(db_url: str, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, ["--db", db_url, *args], input=stdin)


def _login(db_url: str) -> None:
    assert _cli(db_url, "login", "-u", "office", "--password-stdin",
                stdin="x" * 8 + "\n").exit_code == 0


def test_task_add_and_dispatch_by_working_days_warn(town: Place, db_url: str) -> None:
    _login(db_url)
    # 30 working days from 2026-11-25 reach into January 2027.
    added = _cli(db_url, "task", "add", "--title", "跨年事项", "--lead", "司法所", "--workdays", "30")
    assert added.exit_code == 0, added.output
    assert WARNING in added.stderr and "calendar import" in added.stderr
    code = re.search(r"DB-\d{4}-\d+", added.stdout).group(0)  # type: ignore[union-attr]
    dispatched = _cli(db_url, "task", "dispatch", code)
    assert dispatched.exit_code == 0, dispatched.output
    assert WARNING in dispatched.stderr
    near = _cli(db_url, "task", "add", "--title", "年内事项", "--lead", "司法所", "--workdays", "5",
                "--dispatch")
    assert near.exit_code == 0 and "放假安排" not in near.stderr


def test_the_calendar_commands_enter_confirm_and_list(town: Place, db_url: str,
                                                      tmp_path: Path) -> None:
    with town.db.write() as session:  # counted in working days across the new year
        task = tasks.register(session, actor_id=town.office.user_id, title="跨年",
                              lead=UnitAssignment(town.units["司法所"]), workdays=40,
                              today=date(2026, 11, 25))
        tasks.dispatch(session, task=task, actor_id=town.office.user_id,
                       calendar=workdays.load_calendar(session), today=date(2026, 11, 25))
        code = task.code
    _login(db_url)
    assert code in _cli(db_url, "calendar", "affected", "2027").stdout
    assert WARNING in _cli(db_url, "calendar", "show", "2027").stderr
    notice = tmp_path / "2027.csv"
    notice.write_text("day,kind,note\n2027-02-06,holiday,春节\n2027-02-07,workday,春节调休\n",
                      encoding="utf-8")
    imported = _cli(db_url, "calendar", "import", str(notice))
    assert imported.exit_code == 0, imported.output
    shown = _cli(db_url, "calendar", "show", "2027")
    assert "春节调休" in shown.stdout and WARNING not in shown.stderr  # confirmed by the import
    unset = _cli(db_url, "calendar", "unset", "2027-02-07")
    assert unset.exit_code == 0 and "春节调休" not in _cli(db_url, "calendar", "show", "2027").stdout
    confirmed = _cli(db_url, "calendar", "confirm", "2028")
    assert confirmed.exit_code == 0, confirmed.output
    with town.db.read() as session:
        assert workdays.load_calendar(session).confirmed_years == frozenset({2027, 2028})
