"""The responsible leader through the real ``coordboard`` command: leaders are discoverable,
named by username or name, refused with the close match, shown by name, filtered by, and a
leader lists their own tasks (issue 14 item 5)."""

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_cli_lifecycle import Cli, Y, code_in

from coordboard.db import Database
from coordboard.migrate import ensure_schema
from coordboard.services import directory


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    url = f"sqlite:///{tmp_path / 'office.db'}"
    db = Database.from_url(url)
    ensure_schema(db)
    with db.write() as session:
        directory.add_department(session, name="司法所")
        for username, name, role in (("office", "法治办", "office"), ("wangjg", "王建国", "leader"),
                                     ("lihua", "李华", "leader")):
            directory.add_user(session, username=username, display_name=name, role=role,
                               password="secret123")
    db.dispose()
    return Cli(url, tmp_path)


def _json(cli: Cli, *args: str) -> list[dict[str, object]]:
    return json.loads(cli(*args, "--format", "json").stdout)  # type: ignore[no-any-return]


def test_leaders_through_the_command(cli: Cli, tmp_path: Path) -> None:
    cli.login("office")
    assert [u["username"] for u in _json(cli, "user", "list", "--role", "leader")] == [
        "lihua", "wangjg"]

    def add(*leader: str) -> str:
        return code_in(cli("task", "add", "--title", "普法宣传", "--lead", "司法所",
                           "--deadline", f"{Y}-06-30", "--dispatch", *leader).stdout)

    first, second = add("--leader", "王建国"), add()
    refused = cli("task", "add", "--title", "x", "--lead", "司法所", "--deadline", f"{Y}-06-30",
                  "--leader", "王建", ok=False)
    assert refused.returncode == 1
    assert "没有名为“王建”的领导用户，是否指：王建国 (wangjg)？" in refused.stderr
    shown = json.loads(cli("task", "show", first, "--format", "json").stdout)
    assert (shown["leader"], shown["leader_is_user"]) == ("王建国", True)
    assert "责任领导：王建国" in cli("task", "show", first).stdout
    cli("task", "edit", second, "--leader", "lihua")
    assert json.loads(cli("task", "show", second, "--format", "json").stdout)["leader"] == "李华"
    assert [r["code"] for r in _json(cli, "task", "list", "--leader", "lihua")] == [second]
    # The ledger's 责任领导 column prints the leader user's name.
    cli("report", "ledger", "--leader", "王建国", "-o", str(tmp_path / "l.xlsx"))
    sheet = load_workbook(tmp_path / "l.xlsx").active
    assert sheet is not None
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if "责任领导" in r)
    data = [r for r in rows if first in r]
    assert len(data) == 1 and data[0][header.index("责任领导")] == "王建国"
    mine = cli("task", "list", "--mine", ok=False)  # the office has no tasks of its own
    assert mine.returncode == 1 and "只有领导用户" in mine.stderr
    cli.login("wangjg")
    assert [r["code"] for r in _json(cli, "task", "list", "--mine")] == [first]
