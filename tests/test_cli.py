"""The real ``coordboard`` command, run as a subprocess."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from coordboard import __version__
from coordboard.db import Database
from coordboard.migrate import SCHEMA_HEAD


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "coordboard", *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120)


def test_version_and_help() -> None:
    assert run("--version").stdout.strip() == f"coordboard，版本 {__version__}"
    assert run("--lang", "en", "-V").stdout.strip() == f"coordboard, version {__version__}"
    for args in (["--help"], ["db", "--help"], ["demo", "--help"], ["config", "show", "--help"]):
        result = run(*args)
        assert result.returncode == 0 and "用法：" in result.stdout
        result = run("--lang", "en", *args)
        assert result.returncode == 0 and "Usage:" in result.stdout


def test_usage_error_exits_2() -> None:
    assert run("db", "sideways").returncode == 2


def test_config_show_names_sources() -> None:
    result = run("--lang", "en", "config", "show", env={"COORDBOARD_TIMEZONE": "Asia/Urumqi"})
    assert result.returncode == 0
    assert "timezone = Asia/Urumqi    # COORDBOARD_TIMEZONE" in result.stdout
    assert "language = en    # --lang" in result.stdout


def test_init_then_current(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'office.db'}"
    assert run("--db", url, "init").returncode == 0
    result = run("--db", url, "db", "current")
    assert result.returncode == 0 and SCHEMA_HEAD in result.stdout


def test_demo_creates_the_database_without_opening(tmp_path: Path, demo_town: Path) -> None:
    target = tmp_path / "demo.db"
    shutil.copyfile(demo_town / "demo.db", target)  # a demo town the same command made
    again = run("demo", "--db", str(target), "--no-open")
    assert again.returncode == 1 and "--force" in again.stderr
    result = run("demo", "--db", str(target), "--no-open", "--force")
    assert result.returncode == 0, result.stderr
    assert "45 项督办事项" in result.stdout and "demo1234" in result.stdout


def test_tui_refuses_a_non_terminal_cleanly(tmp_path: Path) -> None:
    result = run("--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 1
    assert "交互式终端" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(("args", "fragment"), [
    (["--db", "oracle://x/y", "init"], "不支持的数据库类型"),
    (["--db", "postgresql://nobody@127.0.0.1:1/none", "init"], "无法连接数据库"),
    (["--db", "sqlite:////dev/null/sub/x.db", "init"], "无法写入"),
    (["--lang", "en", "--db", "::", "init"], "malformed"),
])
def test_bad_input_is_one_sentence_and_exit_1(args: list[str], fragment: str) -> None:
    result = run(*args)
    assert result.returncode == 1
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_database_newer_than_code(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert run("--db", url, "init").returncode == 0
    db = Database.from_url(url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.dispose()
    result = run("--db", url, "db", "current")
    assert result.returncode == 0  # reading the revision is allowed
    result = run("--db", url, "init")
    assert result.returncode == 1 and "比本程序新" in result.stderr


def test_headless_commands_do_not_import_textual(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from coordboard.cli import main\n"
        f"try:\n    main(['--db', 'sqlite:///{tmp_path / 'h.db'}', 'init'])\n"
        "except SystemExit:\n    pass\n"
        "import coordboard.services.board, coordboard.services.demo\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("[]")


@pytest.mark.skipif(not hasattr(os, "kill") or sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP"])
def test_a_command_killed_or_hung_up_stops_as_ctrl_c_does(tmp_path: Path, signal_name: str) -> None:
    """Ended by the default action of these signals, a command left its half-written file
    and its helper process behind (the trial killed a ledger export); it now unwinds as
    for Ctrl+C: "已取消。", exit 1."""
    import signal
    import threading
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "coordboard", "--db", f"sqlite:///{tmp_path / 'x.db'}", "login",
         "-u", "office"], stdin=subprocess.PIPE, stderr=subprocess.PIPE, stdout=subprocess.PIPE,
        env=os.environ.copy())
    said = bytearray()

    def read() -> None:
        while chunk := process.stderr.read1(1024):
            said.extend(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    deadline = time.monotonic() + 120
    while "密码".encode() not in said and time.monotonic() < deadline:  # waiting for its input
        time.sleep(0.05)
    process.send_signal(getattr(signal, signal_name))
    assert process.wait(timeout=60) == 1
    reader.join(timeout=10)
    assert "已取消。" in said.decode() and "Traceback" not in said.decode()
    process.stdin.close()
