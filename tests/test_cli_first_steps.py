"""What a new user following the README met first: `coordboard login` on a database without
users after `coordboard demo` made the demo town elsewhere (the message names the demo
database and the command that logs in to it, not "wrong password"), and a date written
right that is not on the calendar (not called a format mistake)."""

import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from coordboard import paths
from coordboard.cli import main
from coordboard.cli.parsing import parse_date
from coordboard.errors import ValidationError


@pytest.mark.parametrize(("typed", "key"), [("2026-02-30", "error.no_such_date"),
                                            ("2026-13-01", "error.no_such_date"),
                                            ("2026/02/28", "error.bad_date"),
                                            ("下周一", "error.bad_date")])
def test_a_date_not_on_the_calendar_is_not_a_format_mistake(typed: str, key: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_date(typed, "--to")
    assert refused.value.key == key and typed in str(refused.value)
    assert parse_date(" 2026-02-28 ", "--to") == date(2026, 2, 28)


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
