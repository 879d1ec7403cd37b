"""``coordboard recur``: the office's steps in process (click's runner) and the scheduler's
``recur run`` as the real command, twice, without a login. Real time: periods are worked
out from today."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coordboard import clock
from coordboard.cli import main
from coordboard.db import Database
from coordboard.migrate import ensure_schema
from coordboard.services import directory
from coordboard.services.recurrence import MONTHLY, QUARTERLY, period_of


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'recur.db'}"
    db = Database.from_url(url)
    ensure_schema(db)
    with db.write() as session:
        for name in ("司法所", "派出所"):
            directory.add_department(session, name=name)
        directory.add_user(session, username="office", display_name="法治办", role="office",
                           password="secret123")
    db.dispose()
    return url


def test_recur_add_list_run_twice_pause_end(url: str) -> None:
    def cli(*args: str, stdin: str | None = None, code: int = 0) -> str:
        result = CliRunner().invoke(main, ["--db", url, *args], input=stdin)
        assert result.exit_code == code, (args, result.output, result.exception)
        return result.output

    def scheduled(*args: str) -> str:
        result = subprocess.run([sys.executable, "-m", "coordboard", "--db", url, *args],
                                capture_output=True, text=True, env=dict(os.environ), timeout=120)
        assert result.returncode == 0, (result.stdout, result.stderr)
        return result.stdout

    today = clock.today("Asia/Shanghai")
    month, quarter = period_of(MONTHLY, today), period_of(QUARTERLY, today)
    cli("login", "-u", "office", "--password-stdin", stdin="secret123\n")
    hostile = "[red]{0}{}{period}[/]\x1b[2J{__class__}法治建设工作月报"
    added = cli("recur", "add", "--title", hostile, "--lead", "司法所:汇总", "--support",
                "派出所:案例", "--monthly", "1", "--workdays", "5", "--start", month.key)
    assert "已建立周期性事项规则 #1（每月1日，自 " + month.key in added
    now = cli("recur", "add", "--title", "{period}普法宣传季报", "--lead", "派出所",
              "--quarterly", "3:31", "--workdays", "10", "--now")
    assert f"{quarter.label}普法宣传季报" in now and "已生成并交办 DB-" in now
    assert "格式不对" in cli("recur", "add", "--title", "{period}x", "--lead", "司法所",
                              "--monthly", "5", "--workdays", "5", "--start", "2026Q1", code=1)
    assert "--monthly" in cli("recur", "add", "--title", "{period}x", "--lead", "司法所",
                              "--workdays", "5", code=1)
    assert "须包含 {period}" in cli("recur", "add", "--title", "月报", "--lead", "司法所",
                                   "--monthly", "5", "--workdays", "5", code=1)
    cli("logout")  # a scheduler has no login
    first = scheduled("recur", "run")
    title = "[red]{0}{}" + month.label + "[/]"
    assert f"已生成并交办 DB-{today.year}-" in first and title in first
    assert "\x1b" not in first  # the control character is shown, not sent to the terminal
    assert "生成 1 件" in first
    again = scheduled("recur", "run")
    assert "生成 0 件，另一次运行已生成 0 件，失败 0 件" in again
    assert cli("recur", "list", code=1)  # the office's: needs its login
    cli("login", "-u", "office", "--password-stdin", stdin="secret123\n")
    rules = {r["id"]: r for r in json.loads(cli("recur", "list", "--format", "json"))}
    assert rules[1]["title_pattern"] == hostile and rules[1]["made"] == 1
    assert rules[1]["last_period"] == month.key and rules[2]["last_period"] == quarter.key
    tasks = json.loads(cli("task", "list", "--format", "json"))
    assert sorted(t["title"] for t in tasks) == sorted([
        f"[red]{{0}}{{}}{month.label}[/]\x1b[2J{{__class__}}法治建设工作月报",
        f"{quarter.label}普法宣传季报"])
    cli("recur", "pause", "1")
    assert "已暂停" in cli("recur", "list")
    cli("recur", "end", "1")
    assert "不能恢复" in cli("recur", "resume", "1", code=1)
    assert "没有编号为 #9" in cli("recur", "pause", "9", code=1)
    assert "将来" in cli("recur", "run", "--as-of", "2999-01-01", code=1)
