"""``task history`` reads as sentences with numbered notes, and ``task respond`` finds the
unit's open note by itself (issue 13, item 7). On SQLite and PostgreSQL, clock frozen."""

import json
import re

import pytest
from click.testing import CliRunner

from coordboard.cli import main
from coordboard.db import Database
from coordboard.services import directory


class Runner:
    def __init__(self, url: str) -> None:
        self.url = url

    def __call__(self, *args: str, stdin: str | None = None, code: int = 0) -> str:
        result = CliRunner().invoke(main, ["--db", self.url, *args], input=stdin)
        assert result.exit_code == code, (args, result.output, result.exception)
        return result.output

    def login(self, username: str) -> None:
        self("login", "-u", username, "--password-stdin", stdin="secret123\n")


@pytest.fixture
def cli(db_url: str, frozen) -> Runner:
    db = Database.from_url(db_url)
    with db.write() as session:
        office = directory.add_department(session, name="法治办").id
        station = directory.add_department(session, name="司法所").id
        directory.add_user(session, username="wang", display_name="王督查", role="office",
                           password="secret123", department_id=office)
        directory.add_user(session, username="sfs", display_name="李所长", role="head",
                           password="secret123", department_id=station)
    db.dispose()
    runner = Runner(db_url)
    runner.login("wang")
    return runner


def _code(cli: Runner) -> str:
    out = cli("task", "add", "--title", "普法宣传", "--lead", "司法所:组织", "--deadline",
              "2026-12-31", "--dispatch")
    return out.split()[1].rstrip("（")[:11]


def test_history_is_sentences_with_numbered_notes(cli: Runner) -> None:
    code = _code(cli)
    cli("task", "urge", code, "--unit", "司法所", "--text", "请报送进展", "--respond-by", "2026-11-27")
    data = json.loads(cli("task", "history", code, "--format", "json"))
    note = next(row["note"] for row in data if row["action"] == "note_urge")
    assert isinstance(note, int)
    lines = cli("task", "history", code).splitlines()
    assert f"11-25 09:30 法治办 王督查 向 司法所 发出催办 #{note}，限 2026-11-27 前回复：请报送进展" \
        in lines, lines
    assert not any("note_urge" in line or "{" in line for line in lines), lines
    english = cli("--lang", "en", "task", "history", code).splitlines()
    assert (f"11-25 09:30 法治办 王督查 sent urge #{note} to 司法所, answer by 2026-11-27: "
            "请报送进展") in english, english


def test_respond_without_a_number_answers_the_units_one_open_note(cli: Runner) -> None:
    code = _code(cli)
    cli("task", "urge", code, "--unit", "司法所", "--text", "请报送进展", "--respond-by", "2026-11-27")
    cli.login("sfs")
    cli("task", "respond", code, "--text", "已报送")
    data = json.loads(cli("task", "history", code, "--format", "json"))
    note = next(row["note"] for row in data if row["action"] == "note_urge")
    assert f"司法所 李所长 回复督办意见 #{note}：已报送" in cli("task", "history", code)
    refused = cli("task", "respond", code, "--text", "再次回复", code=1)
    assert f"事项 {code} 没有待本单位回复的督办意见" in refused


def test_respond_without_a_number_asks_which_when_several_are_open(cli: Runner) -> None:
    code = _code(cli)
    for text in ("第一次催办", "第二次催办"):
        cli("task", "urge", code, "--unit", "司法所", "--text", text, "--respond-by", "2026-11-27")
    cli.login("sfs")
    refused = cli("task", "respond", code, "--text", "已报送", code=1)
    assert "有多条待回复的督办意见" in refused and "#" in refused


FULL_WIDTH = re.compile(r"[：；（）、，]")


def test_task_show_uses_one_kind_of_punctuation_per_language(cli: Runner) -> None:
    code = _code(cli)
    chinese = cli("task", "show", code).splitlines()
    status = next(line for line in chinese if line.startswith("状态"))
    assert status.startswith("状态：已交办") and "灯号：" in status, status
    assert not re.search(r"[:;()]", "\n".join(chinese[1:3])), chinese
    english = cli("--lang", "en", "task", "show", code)
    assert "Status: assigned" in english
    assert not FULL_WIDTH.search(english.replace("普法宣传", "").replace("司法所", "")
                                 .replace("组织", "")), english


def test_the_actor_is_named_by_unit_and_name_once() -> None:
    from datetime import UTC, datetime

    from coordboard.cli.task_cmd import who
    from coordboard.services.history import TimelineEntry

    def entry(actor: str, unit: str, role: str) -> TimelineEntry:
        return TimelineEntry(datetime(2026, 11, 20, tzinfo=UTC), actor, "dispatch", {}, unit, role)

    assert who(entry("王督查", "法治办", "office")) == "法治办 王督查"
    assert who(entry("法治办 王督查", "法治办", "office")) == "法治办 王督查"  # the demo's names
    assert who(entry("管理员", "", "admin")) == "系统管理员 管理员"
    assert who(entry("", "", "")) == "系统"


def test_a_step_whose_status_is_its_own_name_is_said_once(cli: Runner) -> None:
    """"暂缓 → 暂缓" said nothing twice: a step named as the status it leads to (suspend,
    request closure) is one word; the others keep "action → status"."""
    code = _code(cli)
    cli("task", "suspend", code, "--reason", "等待县里统一部署")
    lines = cli("task", "history", code).splitlines()
    assert any(line.endswith("暂缓，理由：等待县里统一部署") for line in lines), lines
    assert not any("暂缓 → 暂缓" in line for line in lines), lines
    assert any("交办 → 已交办" in line for line in lines), lines
