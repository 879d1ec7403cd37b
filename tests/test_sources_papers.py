"""Leaders' instructions (领导批示) in the ledger, the notice and the importer (the backend
does not matter here: SQLite only)."""

import csv
from datetime import date
from pathlib import Path

import pytest

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Role
from coordboard.migrate import ensure_schema
from coordboard.services import board, directory, importer, tasks
from coordboard.services.permissions import Actor
from coordboard.services.reports import ledger, notice
from coordboard.services.sources import Instruction
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar

TODAY = date(2026, 11, 25)
HOSTILE = "[/] \x1b[2J\x07 请财政所\n牵头检查"


@pytest.fixture
def office_db(tmp_path: Path, frozen) -> tuple[Database, Actor, int]:
    db = Database.from_url(f"sqlite:///{tmp_path / 'o.db'}")
    ensure_schema(db)
    with db.write() as session:
        unit = directory.add_department(session, name="镇财政所", short_name="财政所").id or 0
        user = directory.add_user(session, username="office", display_name="法治办",
                                  role=Role.OFFICE, password="x" * 8)
    yield db, Actor(user.id or 0, "office", Role.OFFICE, None), unit
    db.dispose()


def test_the_ledger_and_the_notice_print_the_instruction(office_db) -> None:
    db, office, unit = office_db
    with db.write() as session:
        task = tasks.register(session, actor_id=office.user_id, title="专项资金检查",
                              lead=UnitAssignment(unit), deadline=date(2026, 12, 31),
                              source="instruction", today=TODAY,
                              instruction=Instruction("王镇长", date(2026, 11, 20), HOSTILE))
        tasks.dispatch(session, task=task, actor_id=office.user_id, calendar=WorkCalendar(),
                       today=TODAY)
        code = task.code
    with db.read() as session:
        (row,) = list(ledger.rows(session, Settings(), board.BoardFilter()))
        paper = notice.build(session, Settings(), code)
    assert row.source == "领导批示（王镇长 11月20日）"
    assert f"批示内容：{HOSTILE}" in row.remark
    assert (paper.source, paper.instruction_by, paper.instruction_text) == (
        "领导批示", "王镇长（2026年11月20日）", HOSTILE)


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_the_importer_reads_sources_by_name_and_the_instruction_columns(office_db,
                                                                       tmp_path: Path) -> None:
    db, office, _ = office_db
    header = ["序号", "督办事项", "牵头单位", "完成时限", "事项来源", "批示领导", "批示日期",
              "批示内容"]
    path = _csv(tmp_path / "l.csv", header, [
        ["1", "专项资金检查", "财政所", "2026-12-31", "领导批示", "王镇长", "2026年11月20日",
         "月底前报告"],
        ["2", "代表建议办理", "财政所", "2026-12-31", "人大建议/政协提案", "", "", ""],
        ["3", "批示未写内容", "财政所", "2026-12-31", "领导批示", "王镇长", "", ""],
        ["4", "会议事项带批示", "财政所", "2026-12-31", "会议议定", "王镇长", "", "x"],
        ["5", "批示日期不对", "财政所", "2026-12-31", "", "王镇长", "2026年13月1日", "x"],
        ["6", "来源空但有批示", "财政所", "2026-12-31", "", "李书记", "", "抓紧办"],
    ])
    with db.read() as session:
        plan = importer.check(session, path, actor=office, today=TODAY)
    by_row = {row.row: row for row in plan.rows}
    assert (by_row[2].source, by_row[2].instruction) == (
        "instruction", Instruction("王镇长", date(2026, 11, 20), "月底前报告"))
    assert by_row[3].source == "deputies"
    assert (by_row[7].source, by_row[7].instruction.by) == ("instruction", "李书记")
    assert {(e.row, e.key) for e in plan.errors} == {
        (4, "error.instruction_required"), (5, "error.instruction_other_source"),
        (6, "error.import_row_date")}
    plan.errors.clear()
    with db.write() as session:
        importer.apply(session, plan, actor=office, today=TODAY)
    with db.read() as session:
        stored = tasks.task_by_code(session, "DB-2026-001")
        assert (stored.source, stored.instruction_by, stored.instruction_date,
                stored.instruction_text) == ("instruction", "王镇长", date(2026, 11, 20),
                                             "月底前报告")


def test_the_command_line_takes_sources_by_name_and_keeps_the_category_list(tmp_path: Path
                                                                            ) -> None:
    """Through the real ``python -m coordboard``."""
    import json
    import re
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    db = Database.from_url(url)
    ensure_schema(db)
    with db.write() as session:
        directory.add_department(session, name="镇财政所", short_name="财政所")
        directory.add_user(session, username="office", display_name="法治办", role="office",
                           password="secret123")
    db.dispose()

    def cli(*args: str, code: int = 0, stdin: str | None = None) -> str:
        done = subprocess.run([sys.executable, "-m", "coordboard", "--db", url, *args],
                              input=stdin, capture_output=True, text=True, timeout=120)
        assert done.returncode == code, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        return done.stdout + done.stderr

    cli("login", "-u", "office", "--password-stdin", stdin="secret123\n")
    cli("category", "add", "专项资金")
    today = date.today()
    added = cli("task", "add", "--title", "专项资金检查", "--lead", "财政所", "--deadline",
                f"{today.year + 1}-01-31", "--source", "领导批示", "--instruction-by", "王镇长",
                "--instruction-date", today.isoformat(), "--instruction-text", HOSTILE,
                "--category", "专项资金")
    code = re.search(r"DB-\d{4}-\d{3}", added).group(0)  # type: ignore[union-attr]
    shown = json.loads(cli("task", "show", code, "--format", "json"))
    assert (shown["source"], shown["instruction_by"], shown["instruction_date"],
            shown["instruction_text"], shown["category"]) == (
        "instruction", "王镇长", today.isoformat(), HOSTILE, "专项资金")
    text = cli("task", "show", code)
    assert f"领导批示（王镇长 {today.month}月{today.day}日）" in text
    assert "\x1b" not in text and "\x07" not in text  # shown, not obeyed
    assert "会议议定" in cli("task", "edit", code, "--source", "meeting", code=1)
    cli("task", "edit", code, "--source", "会议议定", "--instruction-by", "",
        "--instruction-text", "", "--instruction-date", "")
    cli("category", "retire", "专项资金")
    listed = json.loads(cli("task", "list", "--category", "专项资金", "--format", "json"))
    assert [row["code"] for row in listed] == [code]
    entries = json.loads(cli("category", "list", "--all", "--format", "json"))
    assert {"name": "专项资金", "sort_order": entries[-1]["sort_order"], "retired": True,
            "tasks": 1} == entries[-1]


def test_the_command_line_s_sources_are_the_enum_s() -> None:
    from coordboard.cli.task_cmd import SOURCES
    from coordboard.enums import TaskSource

    assert SOURCES == tuple(TaskSource)
