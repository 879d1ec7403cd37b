"""Paths and safety on the command line (issue 13, item 8): ``--db`` takes a plain file path,
``demo`` never replaces a demo database unasked, ``--page`` past the end says so, and text
tables fit the terminal's width."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from coordboard import paths
from coordboard.cli import main
from coordboard.config import database_url
from coordboard.migrate import SCHEMA_HEAD
from coordboard.textwidth import display_width


def invoke(*args: str, stdin: str | None = None, code: int = 0,
           env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(main, list(args), input=stdin, env=env)
    assert result.exit_code == code, (args, result.output, result.exception)
    return result.output


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the demo (and its audit key), built once for the module."""
    folder = tmp_path_factory.mktemp("demo-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COORDBOARD_DATA_DIR", str(folder))
        invoke("demo", "--no-open")
    return folder


@pytest.fixture
def demo(demo_data: Path) -> Path:
    """The default demo database, as ``coordboard demo`` leaves it, in this test's data dir."""
    shutil.copytree(demo_data, paths.data_dir(), dirs_exist_ok=True)
    target = paths.data_dir() / "demo.db"
    assert target.is_file()
    return target


def test_db_takes_a_plain_path_like_demo_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    monkeypatch.chdir(tmp_path)
    assert "office/new.db" in invoke("--db", "office/new.db", "init")
    assert (tmp_path / "office" / "new.db").is_file()
    assert SCHEMA_HEAD in invoke("--db", f"sqlite:///{tmp_path / 'office' / 'new.db'}", "db", "current")
    assert database_url("~/x.db") == f"sqlite:///{Path.home().as_posix()}/x.db"
    assert database_url("postgresql://u@h/db") == "postgresql://u@h/db"
    assert database_url("C:\\data\\x.db").startswith("sqlite:///")


def test_the_readme_session_on_the_demo_by_its_path(demo: Path) -> None:
    invoke("--db", str(demo), "login", "-u", "office", "--password-stdin", stdin="demo1234\n")
    assert "DB-" in invoke("--db", str(demo), "task", "list", "--light", "red")
    # The same file by its URL is the same database, with the same login.
    assert "DB-" in invoke("--db", f"sqlite:///{demo.as_posix()}", "task", "list")


def test_demo_never_replaces_an_existing_demo_unasked(demo: Path) -> None:
    invoke("--db", str(demo), "login", "-u", "office", "--password-stdin", stdin="demo1234\n")
    invoke("--db", str(demo), "task", "add", "--title", "一周的工作", "--lead", "司法所",
           "--workdays", "5")
    refused = invoke("demo", "--no-open", code=1)
    assert str(demo) in refused and "--force" in refused
    assert "一周的工作" in invoke("--db", str(demo), "task", "list", "--text", "一周的工作",
                              "--format", "csv")
    invoke("demo", "--no-open", "--force")
    invoke("--db", str(demo), "login", "-u", "office", "--password-stdin", stdin="demo1234\n")
    assert "一周的工作" not in invoke("--db", str(demo), "task", "list", "--text", "一周的工作",
                                  "--format", "csv")


def test_a_page_past_the_end_says_so(demo: Path) -> None:
    invoke("--db", str(demo), "login", "-u", "office", "--password-stdin", stdin="demo1234\n")
    last_page = invoke("--db", str(demo), "task", "list", "--page-size", "20", "--page", "3")
    assert "DB-" in last_page
    past = invoke("--db", str(demo), "task", "list", "--page-size", "20", "--page", "9", code=1)
    assert "第 9 页超出范围" in past and "最后一页是第 3 页" in past, past
    english = invoke("--db", str(demo), "--lang", "en", "task", "list", "--page", "9", code=1)
    assert "Page 9 is past the end" in english


def test_tables_are_cut_to_the_terminal_width(demo: Path) -> None:
    invoke("--db", str(demo), "login", "-u", "office", "--password-stdin", stdin="demo1234\n")
    whole = invoke("--db", str(demo), "task", "list", env={"COLUMNS": ""})
    assert max(display_width(line) for line in whole.splitlines()) > 100
    cut = invoke("--db", str(demo), "task", "list", env={"COLUMNS": "100"})
    assert max(display_width(line) for line in cut.splitlines()) <= 100
    assert "…" in cut
    assert cut.count("\n") == whole.count("\n")  # one line per task still


def test_demo_follows_the_db_given_before_it(tmp_path: Path) -> None:
    """``coordboard --db FILE demo`` builds the demo in FILE (not in the default file, which it
    then said existed); a database URL that is not SQLite is refused, saying why."""
    target = tmp_path / "town" / "演示.db"
    said = invoke("--db", str(target), "demo", "--no-open")
    assert str(target) in said and target.is_file()
    assert not (paths.data_dir() / "demo.db").exists()
    refused = invoke("--db", str(target), "demo", "--no-open", code=1)  # it exists now
    assert str(target) in refused and "--force" in refused
    url = "postgresql+psycopg://trial:secret@localhost/office"
    refused = invoke("--db", url, "demo", "--no-open", code=1)
    assert refused.strip() == ("演示库只能建在SQLite文件上：请用 coordboard demo --db 文件路径；"
                               "在PostgreSQL上请用 init、dept、user 等命令建立。")
    assert "secret" not in refused and not (paths.data_dir() / "demo.db").exists()
    for memory in ("sqlite:///:memory:", "sqlite://"):  # nothing would be kept: refused, no file made
        assert "演示库只能建在SQLite文件上" in invoke("--db", memory, "demo", "--no-open", code=1)
    assert not Path(":memory:").exists()
