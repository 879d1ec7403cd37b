"""A task's whole life through the real ``coordboard`` command, then the audit check and tampering."""

import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from coordboard.db import Database
from coordboard.migrate import ensure_schema
from coordboard.services import directory

# A year inside the deadline window (services/deadlines.py: at most five years ahead).
Y = date.today().year + 2


def code_in(output: str) -> str:
    found = re.search(r"DB-\d{4}-\d{3,}", output)
    assert found, output
    return found.group(0)


class Cli:
    def __init__(self, url: str, home: Path) -> None:
        self.url = url
        # The data directory is the test's own (conftest), so the commands find the audit
        # key that the setup below created in this process.
        self.env = {**os.environ, "COORDBOARD_CONFIG_DIR": str(home)}

    def __call__(self, *args: str, stdin: str | None = None, ok: bool = True
                 ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([sys.executable, "-m", "coordboard", "--db", self.url, *args],
                                input=stdin, capture_output=True, text=True, env=self.env,
                                timeout=120)
        if ok:
            assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result

    def login(self, username: str) -> None:
        self("login", "-u", username, "--password-stdin", stdin="secret123\n")

    def in_process(self) -> "InProcessCli":
        """The same commands, database and environment through click's runner."""
        twin = InProcessCli.__new__(InProcessCli)
        twin.url, twin.env = self.url, self.env
        return twin


class InProcessCli(Cli):
    """The same commands through click's runner, in this process and with this Cli's own
    environment. The PostgreSQL cases run this way: the real process's start (argv, exit
    status, environment) is the same on both backends and is proven by the SQLite cases, and
    some 60 process starts a case cost the suite a minute each."""

    def __call__(self, *args: str, stdin: str | None = None, ok: bool = True
                 ) -> subprocess.CompletedProcess[str]:
        from click.testing import CliRunner

        from coordboard import audit_key
        from coordboard.cli import main

        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(self.env)
        audit_key.clear_cache()
        try:
            result = CliRunner().invoke(main, ["--db", self.url, *args], input=stdin)
        finally:
            os.environ.clear()
            os.environ.update(saved)
            audit_key.clear_cache()
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            (args, result.exception)
        if ok:
            assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def runner_for(db_url: str) -> type[Cli]:
    return InProcessCli if db_url.startswith("postgresql") else Cli


@pytest.fixture
def cli(db_url: str, tmp_path: Path) -> Cli:
    db = Database.from_url(db_url)
    ensure_schema(db)
    with db.write() as session:
        units = {}
        for name in ("司法所", "派出所", "文化站"):
            units[name] = directory.add_department(session, name=name).id
        directory.add_user(session, username="office", display_name="法治办", role="office",
                           password="secret123")
        for code, name in (("sfs", "司法所"), ("pcs", "派出所"), ("whz", "文化站")):
            directory.add_user(session, username=code, display_name=name, role="head",
                               password="secret123", department_id=units[name])
    db.dispose()
    return runner_for(db_url)(db_url, tmp_path)


def test_whole_life_then_audit_verify_and_tamper(cli: Cli, db_url: str) -> None:
    """The life runs through click's runner on both backends (~40 commands: as real
    processes they cost SQLite's case a minute of CI); the audit check after it, and after
    the tampering, runs through the real ``coordboard`` process on SQLite: its exit status,
    its message and the key it finds in the data folder are the real command's."""
    life = cli.in_process()
    life.login("office")
    added = life("task", "add", "--title", "农村法律明白人培养", "--lead", "司法所:方案和培训",
                "--support", "派出所:反诈案例", "--support", "文化站:场地", "--deadline", f"{Y}-06-30",
                "--dispatch")
    code = code_in(added.stdout)
    assert code.startswith("DB-")
    for head in ("sfs", "pcs", "whz"):
        life.login(head)
        life("task", "ack", code)
        life("task", "feedback", code, "--text", f"{head} 已推进", "--percent", "60")
    life.login("office")
    life("task", "urge", code, "--unit", "派出所", "--text", "请补充案例", "--respond-by", f"{Y}-01-10")
    shown = json.loads(life("task", "show", code, "--format", "json").stdout)
    assert shown["status"] == "in_progress" and len(shown["units"]) == 3
    history = json.loads(life("task", "history", code, "--format", "json").stdout)
    note_id = next(h for h in history if h["action"] == "note_urge")
    assert note_id
    db = Database.from_url(db_url)
    with db.read() as session:
        urge_id = session.execute(text("SELECT id FROM supervision_note")).scalar_one()
    life.login("pcs")
    life("task", "respond", code, str(urge_id), "--text", "已补充")
    life.login("sfs")
    life("task", "extend", code, "--to", f"{Y}-07-31", "--reason", "培训排期")
    life.login("office")
    said = life("task", "decide", code, "approve", "--note", "同意").stdout
    assert f"已同意延期：{code}" in said  # which decision, not only that one was made
    life.login("sfs")
    life("task", "request-close", code)
    life.login("office")
    life("task", "return", code, "--reason", "缺少培训签到表")
    life.login("sfs")
    life("task", "feedback", code, "--text", "补充签到表")
    life("task", "request-close", code)
    life.login("office")
    life("task", "accept", code)
    final = json.loads(life("task", "show", code, "--format", "json").stdout)
    assert final["status"] == "closed" and final["returns"] == 1
    assert final["deadline"] == f"{Y}-07-31" and final["original_deadline"] == f"{Y}-06-30"
    actions = [h["action"] for h in json.loads(life("task", "history", code, "--format", "json").stdout)]
    for expected in ("register", "dispatch", "acknowledge", "feedback", "note_urge", "respond",
                     "request_extension", "decide_extension", "request_closure", "return", "accept"):
        assert expected in actions
    assert "哈希链无断点" in cli("audit", "verify").stdout

    # Tamper: someone with database access drops the guard and edits one event.
    with db.engine.begin() as conn:
        if db.backend == "sqlite":
            conn.execute(text("DROP TRIGGER audit_event_no_update"))
        else:
            conn.execute(text("DROP TRIGGER audit_event_append_only ON audit_event"))
        conn.execute(text("UPDATE audit_event SET after = '{\"body\": \"forged\"}' "
                          "WHERE action = 'feedback' AND id = (SELECT min(id) FROM audit_event "
                          "WHERE action = 'feedback')"))
    db.dispose()
    broken = cli("audit", "verify", ok=False)
    assert broken.returncode == 1 and "校验失败" in broken.stderr


def test_bad_input_is_one_sentence_exit_1(cli: Cli) -> None:
    cli.login("office")
    cases = [
        (["task", "add", "--title", "x", "--lead", "不存在单位", "--deadline", f"{Y}-01-01"], "没有名为"),
        (["task", "add", "--title", "x", "--lead", "司法所", "--deadline", "2020-01-01"], "已过"),
        (["task", "add", "--title", "x", "--lead", "司法所", "--deadline", "12/31/2099"], "YYYY-MM-DD"),
        (["task", "ack", "DB-1999-001"], "未找到"),
    ]
    for args, fragment in cases:
        result = cli(*args, ok=False)
        assert result.returncode == 1, args
        assert fragment in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
    code = code_in(cli("task", "add", "--title", "y", "--lead", "司法所", "--deadline",
                       f"{Y}-01-01").stdout)
    cli.login("pcs")
    wrong_role = cli("task", "dispatch", code, ok=False)
    assert wrong_role.returncode == 1 and "无权" in wrong_role.stderr
    cli("logout")
    anonymous = cli("task", "ack", code, ok=False)
    assert anonymous.returncode == 1 and "尚未登录" in anonymous.stderr


def test_hostile_text_round_trips_exactly(cli: Cli) -> None:
    cli.login("office")
    hostile = "[/] [@click=app.quit]x[/] \x1b[31mred\x1b[0m \t tab \u202e rtl " + "长" * 100
    code = code_in(cli("task", "add", "--title", hostile, "--lead", "司法所:[b]part[/b]",
                       "--deadline", f"{Y}-01-01").stdout)
    shown = json.loads(cli("task", "show", code, "--format", "json").stdout)
    assert shown["title"] == hostile
    assert shown["units"][0]["part"] == "[b]part[/b]"
    listed = json.loads(cli("task", "list", "--text", "click=app", "--format", "json").stdout)
    assert [row["title"] for row in listed] == [hostile]


def test_deadline_in_a_year_without_official_schedule_is_flagged(cli: Cli) -> None:
    cli.login("office")
    added = cli("task", "add", "--title", "跨年", "--lead", "司法所", "--deadline", "2027-03-01")
    assert "2027年尚无国务院公布的放假安排" in added.stderr
    shown = json.loads(cli("task", "show", code_in(added.stdout), "--format", "json").stdout)
    assert shown["calendar_unofficial"] is True and shown["deadline"] == "2027-03-01"
    assert shown["days_left"] is None  # a draft: its clock starts at dispatch


def test_a_date_set_on_a_day_off_is_pointed_out(cli: Cli) -> None:
    """Rule: a deadline, a requested deadline or a reply date on a holiday or a weekend is
    taken (an office may mean it) and said on standard error, with the day's name."""
    cli.login("office")
    march = date(Y, 3, 1)
    sunday = march + timedelta(days=6 - march.weekday())
    added = cli("task", "add", "--title", "周日到期", "--lead", "司法所", "--deadline",
                sunday.isoformat(), "--dispatch")
    assert f"注意：办理期限 {sunday} 不是工作日（周末），请确认。" in added.stderr
    code = code_in(added.stdout)
    urged = cli("task", "urge", code, "--unit", "司法所", "--text", "请反馈",
                "--respond-by", f"{Y}-01-01")
    assert f"回复期限 {Y}-01-01 不是工作日（元旦）" in urged.stderr
    monday = (sunday + timedelta(days=1)).isoformat()
    working = cli("task", "add", "--title", "周一到期", "--lead", "司法所", "--deadline", monday)
    assert "不是工作日" not in working.stderr
    edited = cli("task", "edit", code_in(working.stdout), "--deadline", f"{Y}-01-01")
    assert f"办理期限 {Y}-01-01 不是工作日（元旦）" in edited.stderr  # a draft's deadline changed


def test_audit_key_travels_and_a_bulletin_checks_the_chain_without_it(
        cli: Cli, db_url: str, tmp_path: Path) -> None:
    cli.login("office")
    code = code_in(cli("task", "add", "--title", "调解组织规范化", "--lead", "司法所",
                       "--deadline", "2027-06-30", "--dispatch").stdout)
    bulletin = tmp_path / "bulletin.md"
    anchor = cli("audit", "anchor").stdout.strip()
    assert anchor.startswith("审计链：第 ")
    bulletin.write_text(f"# 督办通报\n\n{anchor}\n", encoding="utf-8")
    assert "密钥签名与封记相符" in cli("audit", "verify").stdout

    # Another PC: same database, no key. Reading the chain against the bulletin works ...
    other = runner_for(db_url)(db_url, tmp_path / "other-pc")
    other.env["COORDBOARD_DATA_DIR"] = str(tmp_path / "other-pc")
    other.login("office")  # every command but the public ones needs a login (issue 9.8)
    assert "与锚点相符" in other("audit", "verify", "--anchor", str(bulletin)).stdout
    # ... writing does not, until the key is carried over.
    refused = other("task", "add", "--title", "x", "--lead", "司法所", "--deadline", "2027-01-01",
                    ok=False)
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
    assert "coordboard audit key import" in refused.stderr
    key_file = tmp_path / "key.json"
    key_file.write_text(cli("audit", "key", "export").stdout, encoding="utf-8")
    assert "已将数据库" in other("audit", "key", "import", str(key_file)).stdout
    other("task", "add", "--title", "x", "--lead", "司法所", "--deadline", "2027-01-01")

    # Someone edits the task table behind the application's back.
    db = Database.from_url(db_url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE task SET deadline = '2099-12-31' WHERE code = :c"), {"c": code})
    db.dispose()
    broken = cli("audit", "verify", ok=False)
    assert broken.returncode == 1 and code in broken.stderr and "任务表" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_the_deadline_line_counts_only_while_the_clock_runs(cli: Cli) -> None:
    """A closed task showed "剩余 -48 个工作日…负数为逾期"; an overdue one a negative "剩余"."""
    cli.login("office")
    added = cli("task", "add", "--title", "撤销事项", "--lead", "司法所", "--deadline",
                (date.today() + timedelta(days=30)).isoformat(), "--dispatch")
    code = code_in(added.stdout)
    shown = cli("task", "show", code).stdout
    assert "（剩余 " in shown and "负数" not in shown
    cli("task", "withdraw", code, "--reason", "不再需要")
    shown = cli("task", "show", code).stdout
    assert "期限：" in shown and "剩余" not in shown and "逾期" not in shown
    listed = json.loads(cli("task", "list", "--status", "withdrawn", "--format", "json").stdout)
    assert [row["workdays_left"] for row in listed if row["code"] == code] == [None]


def test_a_field_that_cannot_be_edited_is_named_in_the_users_words(cli: Cli) -> None:
    cli.login("office")
    added = cli("task", "add", "--title", "改期限", "--lead", "司法所", "--deadline",
                (date.today() + timedelta(days=30)).isoformat(), "--dispatch")
    refused = cli("task", "edit", code_in(added.stdout), "--deadline",
                  (date.today() + timedelta(days=40)).isoformat(), ok=False)
    assert "当前不能修改：办理期限（期限请走延期申请）" in refused.stderr
    assert "deadline" not in refused.stderr
