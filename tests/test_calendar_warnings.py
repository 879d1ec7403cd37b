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


def test_deadlines_counted_on_the_estimate_are_recounted_on_the_official_schedule(
        town: Place, db_url: str, tmp_path: Path) -> None:
    """Dispatched on 18 January 2027 for 15 working days on the estimated calendar, a task was
    due 12 February; the Spring Festival schedule entered later moved nothing (the rules
    trial: counted on it the deadline is later). `calendar recount` previews, then moves
    each unextended deadline, audited; an extended one is listed and left as approved."""
    import pendulum

    from coordboard import clock
    from coordboard.services import detail, history, progress

    with clock.at(pendulum.datetime(2027, 1, 18, 10, tz="Asia/Shanghai")), \
            town.db.write() as session:
        made = []
        for title in ("春节前后", "已延期"):
            task = tasks.register(session, actor_id=town.office.user_id, title=title,
                                  lead=UnitAssignment(town.units["司法所"]), workdays=15,
                                  today=date(2027, 1, 18))
            tasks.dispatch(session, task=task, actor_id=town.office.user_id,
                           calendar=workdays.load_calendar(session), today=date(2027, 1, 18))
            made.append(task)
        plain, extended = made
        assert plain.deadline == date(2027, 2, 12)
        request = progress.request_extension(
            session, task=extended, department_id=town.units["司法所"], actor_id=None,
            new_deadline=date(2027, 2, 26), reason="等材料", today=date(2027, 1, 18))
        progress.decide_extension(session, task=extended, request=request,
                                  actor_id=town.office.user_id, approve=True)
        codes = (plain.code, extended.code)
    notice = tmp_path / "2027.csv"
    notice.write_text("day,kind,note\n" + "".join(
        f"2027-02-{day:02d},holiday,春节\n" for day in range(5, 12)) + "2027-02-20,workday,春节调休\n",
        encoding="utf-8")
    _login(db_url)
    assert _cli(db_url, "calendar", "import", str(notice)).exit_code == 0
    with town.db.read() as session:
        expected = workdays.load_calendar(session).add_workdays(date(2027, 1, 18), 15)
    assert expected > date(2027, 2, 12)
    preview = _cli(db_url, "calendar", "recount", "2027")
    assert preview.exit_code == 0, preview.output
    assert "2027-02-12" in preview.stdout and expected.isoformat() in preview.stdout
    assert "--apply" in preview.stdout and codes[1] in preview.stdout
    with town.db.read() as session:
        assert tasks.task_by_code(session, codes[0]).deadline == date(2027, 2, 12)  # a preview
    applied = _cli(db_url, "calendar", "recount", "2027", "--apply")
    assert "已重算 1 项" in applied.stdout and "1 项未改" in applied.stdout
    with town.db.read() as session:
        moved = tasks.task_by_code(session, codes[0])
        assert (moved.deadline, moved.original_deadline) == (expected, expected)
        assert tasks.task_by_code(session, codes[1]).deadline == date(2027, 2, 26)
        said = [detail.describe(entry, {}) for entry in history.timeline(session, moved)]
    assert f"按2027年正式放假安排重算期限：2027-02-12 → {expected.isoformat()}" in said
    again = _cli(db_url, "calendar", "recount", "2027")
    assert codes[0] not in again.stdout  # counted once: nothing left to move
