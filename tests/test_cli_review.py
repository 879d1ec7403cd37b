"""The weekly review and the reports through the real ``coordboard`` command, on the demo town."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from coordboard.services.review import iso_week


class Cli:
    def __init__(self, tmp_path: Path) -> None:
        self.db = tmp_path / "demo.db"
        self.env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                    "COORDBOARD_DATA_DIR": str(tmp_path), "COORDBOARD_CONFIG_DIR": str(tmp_path)}

    def __call__(self, *args: str, stdin: str | None = None, ok: bool = True
                 ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([sys.executable, "-m", "coordboard", "--db",
                                 f"sqlite:///{self.db}", *args], input=stdin, capture_output=True,
                                text=True, env=self.env, timeout=180)
        assert (result.returncode == 0) is ok, (args, result.stdout, result.stderr)
        return result


def demo_town_made_by_the_command(folder: Path) -> Cli:
    cli = Cli(folder)
    subprocess.run([sys.executable, "-m", "coordboard", "demo", "--db", str(cli.db), "--no-open"],
                   check=True, capture_output=True, env=cli.env, timeout=180)
    cli("login", "-u", "office", "--password-stdin", stdin="demo1234\n")
    return cli


def copy_of_demo_town(template: Path, tmp_path: Path) -> Cli:
    """The template's database, audit key and login session, as if made in ``tmp_path``
    (the session file names the database it belongs to)."""
    cli = Cli(tmp_path)
    for name in ("demo.db", "audit.key"):
        shutil.copyfile(template / name, tmp_path / name)
    session = (template / "session.json").read_text(encoding="utf-8")
    (tmp_path / "session.json").write_text(
        session.replace(json.dumps(f"sqlite:///{template / 'demo.db'}")[1:-1],
                        json.dumps(f"sqlite:///{cli.db}")[1:-1]), encoding="utf-8")
    (tmp_path / "session.json").chmod(0o600)
    return cli


@pytest.fixture
def cli(demo_town: Path, tmp_path: Path) -> Cli:
    return copy_of_demo_town(demo_town, tmp_path)


def _item_with(agenda: str, pattern: str) -> str:
    for line in agenda.splitlines():
        if re.search(pattern, line):
            return line.split()[0]
    raise AssertionError(agenda)


def test_a_review_from_the_command_line(cli: Cli, tmp_path: Path) -> None:
    # The demo's dates follow the day it is loaded, so the counts are read, not assumed.
    started = cli("review", "start", "--attendees", "王主任、李科长").stdout
    items = int(re.search(r"议程 (\d+) 项", started).group(1))
    agenda = cli("review", "agenda").stdout
    assert len([line for line in agenda.splitlines() if re.match(r"\d+\s", line)]) == items
    red = _item_with(agenda, r"^\d+\s+红灯事项")
    cli("review", "decide", red, "限期报送整改说明", "--note", "urge")
    extension = _item_with(agenda, "申请延期至")
    cli("review", "request", extension, "approve-extension", "--reason", "同意")
    again = cli("review", "request", extension, "approve-extension", ok=False)
    assert "没有待审批的延期申请" in again.stderr and "Traceback" not in again.stderr
    closure = _item_with(agenda, "申请办结")
    returned = cli("review", "request", closure, "return", ok=False)  # a return needs its reason
    assert "理由" in returned.stderr
    spawned = cli("review", "task", red, "--title", "专项整改", "--lead", "司法所", "--workdays", "5")
    assert re.search(r"DB-\d{4}-\d+", spawned.stdout)
    # Issue 11 item 8: an item that already made a task refuses a second one.
    twice_spawned = cli("review", "task", red, "--title", "专项整改", "--lead", "司法所",
                        "--workdays", "5", ok=False)
    assert "不再重复立项" in twice_spawned.stderr
    # Closing with undecided items lists them and needs --force.
    refused = cli("review", "close", "--next-steps", "逐项约谈", ok=False)
    assert f"还有 {items - 2} 项未作决定" in refused.stderr and "--force" in refused.stderr

    closed = cli("review", "close", "--next-steps", "逐项约谈", "--force",
                 "--bulletin", str(tmp_path / "通报.docx")).stdout
    assert "第1期" in closed and "通报.docx" in closed
    twice = cli("review", "close", ok=False)
    assert "没有进行中的督办例会" in twice.stderr
    late = cli("review", "decide", red, "改一下", ok=False)
    assert "第1期督办例会已于" in late.stderr and "不可再修改" in late.stderr
    shown = cli("review", "show", "1").stdout
    assert f"已议定 2/{items} 项" in shown and "王主任、李科长" in shown  # the red item, the extension
    # Every item, numbered 1…N as in the agenda, with its decision.
    assert f"{red}. [红灯事项]" in shown and "限期报送整改说明" in shown
    assert shown.count("（未作决定）") == items - 2

    doc = Document(str(tmp_path / "通报.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert text.startswith("督办通报\n第1期") and "限期报送整改说明" in text and "逐项约谈" in text


def test_reports_from_the_command_line(cli: Cli, tmp_path: Path) -> None:
    week = iso_week(__import__("datetime").date.today())
    cli("report", "bulletin", "--week", week, "-o", str(tmp_path / "b.md"))
    assert (tmp_path / "b.md").read_text(encoding="utf-8").startswith("# 督办通报")
    bad = cli("report", "bulletin", "--week", "2026-48", "-o", str(tmp_path / "b.md"), ok=False)
    assert "ISO 周" in bad.stderr
    wrong = cli("report", "bulletin", "-o", str(tmp_path / "b.pdf"), ok=False)
    assert ".docx" in wrong.stderr

    out = cli("report", "ledger", "--light", "red", "-o", str(tmp_path / "red.xlsx")).stdout
    rows = int(re.search(r"（(\d+) 项）", out).group(1))
    sheet = load_workbook(tmp_path / "red.xlsx").active
    assert sheet.max_row == rows + 2 and {c.value for c in sheet["K"][2:]} == {"红灯"}

    scores = cli("report", "scores", "--from", "2026-01-01", "--to", "2026-12-31",
                 "-o", str(tmp_path / "s.xlsx")).stdout
    assert "名次" in scores
    assert load_workbook(tmp_path / "s.xlsx").sheetnames == ["排名", "计分依据", "协同情况"]
    backwards = cli("report", "scores", "--from", "2026-12-31", "--to", "2026-01-01", ok=False)
    assert "早于开始日" in backwards.stderr


def test_a_criticism_from_the_review_names_the_unit_it_concerns(cli: Cli) -> None:
    """The rules trial could not name 文化站 in a criticism decided at the review: it went to
    the whole task (the lead and every supporter lost points, the bulletin named the lead)."""
    import sqlite3

    cli("review", "start")
    agenda = cli("review", "agenda").stdout
    red = _item_with(agenda, r"^\d+\s+红灯事项")
    code = re.search(r"DB-\d{4}-\d+", next(line for line in agenda.splitlines()
                                           if line.startswith(red + " "))).group(0)
    units = json.loads(cli("task", "show", code, "--format", "json").stdout)["units"]
    supporter = next(u["unit"] for u in units if u["role"] == "support")
    alone = cli("review", "decide", red, "批评", "--unit", supporter, ok=False)
    assert "选了单位，须同时选一类督办意见" in alone.stderr
    cli("review", "decide", red, f"请{supporter}立即签收", "--note", "criticism", "--unit", supporter)
    with sqlite3.connect(cli.db) as conn:
        named = conn.execute(
            "SELECT d.short_name FROM supervision_note n JOIN task t ON t.id = n.task_id "
            "JOIN department d ON d.id = n.department_id WHERE t.code = ? AND n.kind = "
            "'criticism'", (code,)).fetchall()
    assert named == [(supporter,)]


def test_task_show_says_what_waits_for_the_office(cli: Cli) -> None:
    """A pending extension was only in the history and the agenda (rules trial)."""
    import sqlite3

    with sqlite3.connect(cli.db) as conn:
        code, new_deadline, reason = conn.execute(
            "SELECT t.code, e.new_deadline, e.reason FROM extension_request e JOIN task t "
            "ON t.id = e.task_id WHERE e.state = 'pending' ORDER BY t.id").fetchone()
    shown = cli("task", "show", code).stdout
    assert "待法治办决定：" in shown and f"申请延期至 {new_deadline}（理由：{reason}）" in shown
    data = json.loads(cli("task", "show", code, "--format", "json").stdout)
    assert [p["kind"] for p in data["pending"]] == ["extension"]
