"""The CLI prints hostile user text visibly, never raw (rule: tables, CSV and plain lines
go through ``safe_text.visible``; ``--format json`` gives back exactly what is stored)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_tui_hostile import HOSTILE, seed

from coordboard.db import Database

RAW = ["\x1b", "\x07", "\x9b", "\u202e", "\t"]


def run(db: Database, home: Path, *args: str, stdin: str | None = None) -> str:
    # Wide enough that a table row is not cut to the terminal: the row itself is under test.
    env = {**os.environ, "COORDBOARD_DATA_DIR": str(home), "COORDBOARD_CONFIG_DIR": str(home),
           "COLUMNS": "400"}
    result = subprocess.run([sys.executable, "-m", "coordboard", "--db", str(db.engine.url), *args],
                            input=stdin, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


def assert_visible(output: str, what: str) -> None:
    for raw in RAW:
        assert raw not in output, f"{what}: raw {raw!r} printed"
    assert "␛" in output, f"{what}: the hostile text is not shown at all"


@pytest.fixture
def hostile(demo_file: Database, tmp_path: Path) -> tuple[Database, Path, str]:
    code = seed(demo_file)
    home = tmp_path / "home"
    run(demo_file, home, "login", "-u", "sfs", "--password-stdin", stdin="demo1234\n")
    return demo_file, home, code


def test_task_list_and_history_show_hostile_text_visibly(hostile) -> None:
    db, home, code = hostile
    listing = run(db, home, "task", "list", "--text", "标题")
    assert_visible(listing, "task list")
    assert len([line for line in listing.splitlines() if code in line]) == 1  # one row, one line
    assert_visible(run(db, home, "task", "list", "--text", "标题", "--format", "csv"), "csv")
    assert_visible(run(db, home, "task", "history", code), "task history")


def test_task_show_json_returns_the_stored_title(hostile) -> None:
    db, home, code = hostile
    data = json.loads(run(db, home, "task", "show", code, "--format", "json"))
    assert data["title"] == "标题" + HOSTILE
    assert data["description"] == "说明" + HOSTILE


def test_task_show_text_shows_hostile_text_visibly(hostile) -> None:
    db, home, code = hostile
    assert_visible(run(db, home, "task", "show", code), "task show")
