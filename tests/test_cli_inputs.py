"""The command line against hostile input and missing logins (issue 9 items 4, 8, 11).

Through the real ``python -m coordboard`` where the bytes matter (arguments arrive with
surrogateescape); in-process with click's runner for the per-command login sweep.
"""

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import text

from coordboard import token_store
from coordboard.cli import PUBLIC, main
from coordboard.db import Database
from coordboard.migrate import ensure_schema
from coordboard.services import directory

Y = date.today().year + 1
DEADLINE = f"{Y}-03-31"


def code_in(output: str) -> str:
    found = re.search(r"DB-\d{4}-\d{3,}", output)
    assert found, output
    return found.group(0)


class Cli:
    def __init__(self, url: str) -> None:
        self.url = url

    def __call__(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        # Arguments are str; lone surrogates among them reach the child as raw bytes.
        result = subprocess.run([sys.executable, "-m", "coordboard", "--db", self.url, *args],
                                input=stdin, capture_output=True, text=True, timeout=180,
                                errors="replace")
        assert "Traceback" not in result.stderr, (args[:3], result.stderr[-2000:])
        assert result.returncode in (0, 1, 2), (args[:3], result.returncode, result.stderr)
        return result

    def ok(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        result = self(*args, stdin=stdin)
        assert result.returncode == 0, (args[:3], result.stderr[-2000:])
        return result

    def login(self, username: str) -> None:
        self.ok("login", "-u", username, "--password-stdin", stdin="secret123\n")


def _town(url: str) -> None:
    db = Database.from_url(url)
    ensure_schema(db)
    with db.write() as session:
        units = {name: directory.add_department(session, name=name).id
                 for name in ("司法所", "派出所", "文化站")}
        directory.add_user(session, username="office", display_name="法治办", role="office",
                           password="secret123")
        directory.add_user(session, username="sfs", display_name="司法所", role="head",
                           password="secret123", department_id=units["司法所"])
        directory.add_user(session, username="admin", display_name="管理员", role="admin",
                           password="secret123")
        directory.add_user(session, username="boss", display_name="领导", role="leader",
                           password="secret123")
    db.dispose()


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    url = f"sqlite:///{tmp_path / 'office.db'}"
    _town(url)
    return Cli(url)


CONTROLS = ("[/] [@click=app.quit]x[/] [link=https://x]y[/link] \x1b[2J\x1b]0;pwned\x07 "
            "\x01\x08\x7f\x85\x9b \u202e\u2066rtl\u2069 tab\there\nnewline\r")
GBK = "中文督办"  # sent as GBK bytes, as a Chinese Windows console does (see ``as_sent``)
NOT_TEXT = "bad\udcff\udcfe"  # bytes that are neither UTF-8 nor GB18030
HUGE = "x" * 100_000
WILD = "%_%"
TEXTS = {"controls": CONTROLS, "gbk": GBK, "bytes": NOT_TEXT, "huge": HUGE, "wild": WILD}
STORED: dict[str, str] = {}  # what an accepted value is stored as, when not itself


def as_sent(name: str, args: list[str]) -> list[str]:
    """The arguments as the console sends them: a GBK console encodes every argument."""
    if name != "gbk":
        return args
    return [arg.encode("gbk").decode("utf-8", "surrogateescape") for arg in args]


class InProcessCli(Cli):
    """The same commands through click's runner in this process: ~60 commands at a process
    start each cost the suite a minute and a half. ``main`` decodes its arguments exactly as
    it does ``sys.argv`` (cli/parsing.py), so GBK and undecodable bytes arrive as the real
    process sees them; the real process's own decoding is checked once per kind below."""

    def __call__(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        result = CliRunner().invoke(main, ["--db", self.url, *args], input=stdin)
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            (args[:3], result.exception)
        assert result.exit_code in (0, 1, 2), (args[:3], result.exit_code, result.stderr)
        return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def test_hostile_bytes_from_a_real_console(cli: Cli) -> None:
    """What a Chinese Windows console (GBK) and a broken one (neither UTF-8 nor GB18030) send
    reaches ``main`` through the interpreter's own argv decoding."""
    cli.login("office")
    gbk = cli.ok(*as_sent("gbk", ["task", "add", "--title", GBK, "--lead", "司法所",
                                  "--deadline", DEADLINE]))
    shown = json.loads(cli.ok("task", "show", code_in(gbk.stdout), "--format", "json").stdout)
    assert shown["title"] == GBK
    broken = cli("task", "add", "--title", NOT_TEXT, "--lead", "司法所", "--deadline", DEADLINE)
    assert broken.returncode == 1 and len(broken.stderr.strip().splitlines()) == 1


def test_hostile_text_in_every_text_option(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'office.db'}"
    _town(url)
    cli = InProcessCli(url)
    cli.login("office")
    target = code_in(cli.ok("task", "add", "--title", "靶子", "--lead", "司法所:方案",
                            "--support", "派出所:案例", "--deadline", DEADLINE, "--dispatch").stdout)
    accepted = 0
    for name, value in TEXTS.items():
        # A category is an entry of the office's list (services/categories.py): added first.
        cli(*as_sent(name, ["category", "add", value[:40]]))
        added = cli(*as_sent(name, [
            "task", "add", "--title", value, "--description", value,
            "--category", value[:40], "--lead", f"司法所:{value}", "--support", f"派出所:{value}",
            "--deadline", DEADLINE]))
        if name in ("bytes", "huge"):
            assert added.returncode == 1 and len(added.stderr.strip().splitlines()) == 1, name
        if added.returncode == 0:
            accepted += 1
            stored = STORED.get(name, value)
            shown = json.loads(cli.ok("task", "show", code_in(added.stdout), "--format",
                                      "json").stdout)
            assert shown["title"] == stored.strip()
            assert shown["description"] == stored
            assert shown["category"] == stored[:40]
            assert [u["part"] for u in shown["units"]] == [stored.strip(), stored.strip()]
        # A leader is a user, looked up by name: hostile text names none, and is refused.
        if name in ("controls", "huge"):
            leader = cli(*as_sent(name, ["task", "edit", target, "--leader", value]))
            assert leader.returncode == 1 and len(leader.stderr.strip().splitlines()) == 1, name
        for args in (["task", "list", "--text", value, "--format", "json"],
                     ["task", "urge", target, "--text", value, "--respond-by", DEADLINE],
                     ["task", "note", target, "--kind", "praise", "--text", value],
                     ["task", "edit", target, "--description", value],
                     ["review", "start", "--attendees", value]):
            result = cli(*as_sent(name, args), stdin="secret123\n")
            if result.returncode == 0 and args[1] in ("urge", "note", "edit"):
                history = json.loads(cli.ok("task", "history", target, "--format", "json").stdout)
                assert STORED.get(name, value) in history[-1]["detail"] or \
                    json.dumps(STORED.get(name, value), ensure_ascii=False)[1:-1] in \
                    history[-1]["detail"], name
    assert accepted == 3  # controls, gbk and wildcards are text an office may keep
    wild = json.loads(cli.ok("task", "list", "--text", "%", "--format", "json").stdout)
    assert [row["title"] for row in wild] == [WILD]  # literal, not "everything"
    cli.login("admin")
    for name, value in TEXTS.items():
        added = cli(*as_sent(name, ["dept", "add", value, "--short", f"简称{name}"]))
        user = cli(*as_sent(name, ["user", "add", value, "--name", value, "--role", "office",
                                   "--password-stdin"]), stdin="secret123\n")
        if name in ("bytes", "huge"):
            assert added.returncode == user.returncode == 1, name
    units = json.loads(cli.ok("dept", "list", "--format", "json").stdout)
    assert {STORED.get(n, v).strip() for n, v in TEXTS.items() if n in ("controls", "gbk", "wild")
            } <= {row["name"] for row in units}
    cli.login("sfs")
    for name, value in TEXTS.items():
        for args in (["task", "feedback", target, "--text", value],
                     ["task", "extend", target, "--to", f"{Y}-04-30", "--reason", value],
                     ["task", "contest", target, "--reason", value]):
            cli(*as_sent(name, args))


def test_hostile_dates_and_numbers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'office.db'}"
    _town(url)
    cli = InProcessCli(url)
    cli.login("office")
    target = code_in(cli.ok("task", "add", "--title", "靶子", "--lead", "司法所:方案",
                            "--deadline", DEADLINE, "--dispatch").stdout)
    huge = "99999999999999999999"
    refused = [
        ["task", "add", "--title", "t", "--lead", "司法所", "--deadline", "9999-12-31"],
        ["task", "add", "--title", "t", "--lead", "司法所", "--workdays", "100000"],
        ["task", "add", "--title", "t", "--lead", "司法所", "--workdays", huge],
        ["task", "add", "--title", "t", "--lead", "司法所", "--workdays", "0"],
        ["task", "add", "--title", "t", "--lead", "司法所", "--workdays", "-1"],
        ["task", "add", "--title", "t", "--lead", "司法所", "--deadline", "0000-01-01"],
        ["task", "urge", target, "--text", "x", "--respond-by", "9999-12-31"],
        ["task", "list", "--page", huge], ["task", "list", "--page", "0"],
        ["task", "list", "--page", "-1"],
        ["task", "respond", target, huge, "--text", "x"],
        ["review", "decide", huge, "x"],
        ["report", "scores", "--from", "0001-01-01", "--to", "9999-12-31"],
        ["report", "bulletin", "--week", "9999-W52", "-o", str(tmp_path / "b.md")],
        ["report", "bulletin", "--week", f"{huge}-W01", "-o", str(tmp_path / "b.md")],
        ["calendar", "show", huge], ["calendar", "show", "-1"], ["calendar", "show", "0"],
        ["calendar", "show", f"{huge}-01"],
    ]
    for args in refused:
        result = cli(*args)
        assert result.returncode in (1, 2), args
        assert result.stderr.strip(), args
        if args[:2] == ["task", "add"] and args[-1] in ("9999-12-31", "100000", huge):
            assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    for args in (["calendar", "show", "9999"], ["calendar", "show", "9999-12"],
                 ["report", "bulletin", "--week", "2026-W48", "-o", str(tmp_path / "b.md")]):
        cli.ok(*args)
    cli.login("sfs")
    extension = cli("task", "extend", target, "--to", "9999-12-31", "--reason", "x")
    assert extension.returncode == 1 and "9999-12-31" in extension.stderr


def test_a_stored_far_future_deadline_lists_everywhere(cli: Cli, tmp_path: Path) -> None:
    cli.login("office")
    code = code_in(cli.ok("task", "add", "--title", "远期", "--lead", "司法所",
                          "--deadline", DEADLINE, "--dispatch").stdout)
    db = Database.from_url(cli.url)
    with db.engine.begin() as conn:  # as an older version let through
        conn.execute(text("UPDATE task SET deadline = '9999-12-31' WHERE code = :c"), {"c": code})
    db.dispose()
    listed = json.loads(cli.ok("task", "list", "--format", "json").stdout)
    assert [row["deadline"] for row in listed] == ["9999-12-31"]
    cli.ok("task", "list")
    assert json.loads(cli.ok("task", "show", code, "--format", "json").stdout)["deadline"] == \
        "9999-12-31"
    cli.ok("task", "show", code)
    cli.ok("report", "ledger", "-o", str(tmp_path / "ledger.xlsx"))


def test_add_with_dispatch_is_one_transaction(cli: Cli) -> None:
    cli.login("office")
    db = Database.from_url(cli.url)
    with db.engine.begin() as conn:  # a dispatch that fails after the draft was written
        conn.execute(text(
            "CREATE TRIGGER no_dispatch BEFORE UPDATE OF status ON task "
            "WHEN NEW.status = 'assigned' BEGIN SELECT RAISE(ABORT, 'dispatch refused'); END"))
    result = cli("task", "add", "--title", "一次办", "--lead", "司法所", "--deadline", DEADLINE,
                 "--dispatch")
    assert result.returncode == 1
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM task")).scalar_one() == 0
    db.dispose()


@pytest.mark.parametrize("token", ["令牌", 12345, ["a", "b"], {"x": 1}, None, ""])
def test_a_broken_session_token_is_no_login(cli: Cli, token: object) -> None:
    path = token_store.token_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({cli.url: token}, ensure_ascii=False), encoding="utf-8")
    listed = cli("task", "list")
    assert listed.returncode == 1 and "尚未登录" in listed.stderr
    assert cli("logout").returncode == 0


def test_a_database_url_with_a_port_that_is_not_a_number() -> None:
    result = subprocess.run([sys.executable, "-m", "coordboard", "--db",
                             "postgresql://u@localhost:notaport/x", "init"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_search_text_is_capped(cli: Cli) -> None:
    cli.login("office")
    result = cli("task", "list", "--text", "%_" * 5000)
    assert result.returncode == 1 and "200" in result.stderr


# --- issue 9.8: every command but a few public ones needs a logged-in user ---------------------

ARGS: dict[str, list[str]] = {
    "task add": ["--title", "t", "--lead", "司法所"], "task list": [], "task show": ["X"],
    "task history": ["X"], "task dispatch": ["X"], "task ack": ["X"], "task request-close": ["X"],
    "task accept": ["X"], "task return": ["X", "--reason", "r"], "task suspend": ["X", "--reason", "r"],
    "task resume": ["X"], "task withdraw": ["X", "--reason", "r"],
    "task feedback": ["X", "--text", "t"], "task urge": ["X", "--text", "t"],
    "task note": ["X", "--kind", "praise", "--text", "t"], "task respond": ["X", "1", "--text", "t"],
    "task extend": ["X", "--to", "2027-01-01", "--reason", "r"], "task decide": ["X", "approve"],
    "task contest": ["X", "--reason", "r"], "task decide-contest": ["X", "司法所", "reject"],
    "task escalate": [], "task edit": ["X"], "review start": [], "review agenda": [],
    "review show": ["all"], "review decide": ["1", "t"], "review request": ["1", "accept"],
    "review task": ["1", "--title", "t", "--lead", "司法所"], "review close": [],
    "report bulletin": ["-o", "b.md"], "report ledger": ["-o", "l.xlsx"],
    "report scores": ["--from", "2026-11-01", "--to", "2026-11-30"], "audit verify": [],
    "report period": ["--month", "2026-11"],
    "dept add": ["新单位"], "dept list": [], "dept rename": ["司法所", "新名"],
    "dept deactivate": ["司法所"], "user add": ["u", "--name", "n", "--role", "office"],
    "user passwd": ["u"], "user disable": ["u"], "user list": [], "calendar show": ["2026-11"],
    "calendar set": ["2026-12-01", "workday"],
    "calendar affected": ["2027"], "calendar recount": ["2027"], "calendar confirm": ["2027"],
    "calendar import": [__file__], "calendar unset": ["2026-12-01"],
    "audit anchor": [], "audit key export": [], "audit key import": [__file__],
    "backup": [], "restore": [__file__], "import ledger": [__file__],
    "report notice": ["X", "-o", "n.docx"], "report review": [],
    "report urge": ["X", "-o", "u.docx"],
    "dept contact": ["司法所", "--email", "sfs@town.gov.cn"], "dept contacts": [],
    "notify status": [], "task attach": ["X", __file__], "task attachments": ["X"],
    "task attachment get": ["X", "1"],
    "recur add": ["--title", "{period}t", "--lead", "司法所", "--monthly", "5", "--workdays", "5"],
    "recur list": [], "recur pause": ["1"], "recur resume": ["1"], "recur end": ["1"],
    "category list": [], "category add": ["新类别"], "category rename": ["普法宣传", "新名"],
    "category retire": ["普法宣传"],
    "task stage add": ["X", "--title", "t", "--due", "2027-01-01", "--unit", "司法所"],
    "task stage edit": ["X", "1"], "task stage remove": ["X", "1"],
    "task stage reached": ["X", "1"], "task stage list": ["X"],
}


def _commands(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if isinstance(command, click.Group):
        return [p for name, sub in command.commands.items() for p in _commands(sub, (*path, name))]
    return [path]


def _invoke(url: str, args: list[str], stdin: str = "secret123\n") -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", url, *args], input=stdin)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        (args, result.exception)
    return result.exit_code, result.output


def test_every_command_but_the_public_ones_needs_a_login(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'office.db'}"
    _town(url)
    private = [" ".join(p) for p in _commands(main)
               if not any(p[:len(public)] == public for public in PUBLIC)]
    assert sorted(private) == sorted(ARGS)  # a new command must be listed here
    for name in private:
        code, output = _invoke(url, [*name.split(), *ARGS[name]])
        assert code == 1 and "尚未登录" in output, (name, output)
    for args in (["--help"], ["task", "list", "--help"], ["config", "show"], ["db", "current"]):
        assert _invoke(url, args)[0] == 0, args


@pytest.mark.parametrize("args", [["report", "scores", "--from", "2026-11-01", "--to", "2026-11-30"],
                                  ["report", "period", "--month", "2026-11"],
                                  ["report", "bulletin", "-o", "BULLETIN"],
                                  ["review", "show", "all"], ["review", "show"],
                                  ["review", "agenda"]])
def test_a_unit_head_may_not_read_the_review_or_the_scores(tmp_path: Path, args: list[str]) -> None:
    url = f"sqlite:///{tmp_path / 'office.db'}"
    _town(url)
    args = [str(tmp_path / "b.md") if a == "BULLETIN" else a for a in args]
    assert _invoke(url, ["login", "-u", "sfs", "--password-stdin"])[0] == 0
    code, output = _invoke(url, args)
    assert code == 1 and "无权" in output, output
    assert _invoke(url, ["login", "-u", "boss", "--password-stdin"])[0] == 0
    code, output = _invoke(url, args)
    assert "无权" not in output, output
