"""`coordboard login` on a database without users, after `coordboard demo` made the demo
town elsewhere: the message names the demo database and the command that logs in to it,
instead of "wrong password" (found by a new user following the README)."""

import shutil
from pathlib import Path

from click.testing import CliRunner

from coordboard import paths
from coordboard.cli import main


def test_login_to_an_empty_database_points_at_the_demo(demo_once: Path, tmp_path: Path,
                                                       frozen) -> None:
    demo = paths.data_dir() / "demo.db"
    demo.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(demo_once, demo)
    empty = tmp_path / "coordboard.db"
    result = CliRunner().invoke(main, ["--db", str(empty), "login", "-u", "sfs",
                                       "--password-stdin"], input="demo1234\n")
    assert result.exit_code == 1
    assert f"演示库在 {demo}" in result.output
    assert f"coordboard --db {demo} login" in result.output
    assert "密码错误" not in result.output and "Traceback" not in result.output
    # The command it names works.
    again = CliRunner().invoke(main, ["--db", str(demo), "login", "-u", "sfs",
                                      "--password-stdin"], input="demo1234\n")
    assert again.exit_code == 0, again.output
