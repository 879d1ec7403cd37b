"""A long file written from the command line says how far it is (issue 13 item 5: anything
that takes more than a second shows progress): on a terminal, one line on standard error
that each thousand rows rewrite and that is erased at the end; in a pipe or a file,
nothing but the result line."""

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from coordboard.cli import main
from coordboard.i18n import t


def _ledger(db: Path, target: Path, *lang: str):
    result = CliRunner().invoke(main, ["--db", str(db), *lang, "report", "ledger", "-o",
                                       str(target)])
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def _demo(demo_once: Path, tmp_path: Path) -> Path:
    db = tmp_path / "demo.db"
    shutil.copy(demo_once, db)
    login = CliRunner().invoke(main, ["--db", str(db), "login", "-u", "office",
                                      "--password-stdin"], input="demo1234\n")
    assert login.exit_code == 0, login.output
    return db


def test_on_a_terminal_the_ledger_shows_its_rows_of_how_many(
        demo_once: Path, tmp_path: Path, frozen, monkeypatch) -> None:
    from coordboard.services.reports import ledger

    db = _demo(demo_once, tmp_path)
    monkeypatch.setattr("coordboard.cli.output._is_terminal", lambda stream: True)
    monkeypatch.setattr(ledger, "CHUNK", 10)  # a line every ten rows
    result = _ledger(db, tmp_path / "l.xlsx")
    rows = int(re.search(r"（(\d+) 项）", result.stdout).group(1))
    shown = [(int(done), int(total))
             for done, total in re.findall(r"\r正在写台账：已写 (\d+)/(\d+) 行", result.stderr)]
    assert rows > 20 and shown == [(done, rows) for done in range(10, rows + 1, 10)]
    assert result.stderr.startswith("\r正在写台账…")  # at once, before the rows are read
    assert result.stderr.endswith("\r")  # the line erased: the result line stands alone
    assert "正在写台账" not in result.stdout

    english = _ledger(db, tmp_path / "e.xlsx", "--lang", "en")
    assert "\rWriting the ledger: 10 of " in english.stderr


def test_in_a_pipe_only_the_result_line(demo_once: Path, tmp_path: Path, frozen) -> None:
    db = _demo(demo_once, tmp_path)
    result = _ledger(db, tmp_path / "l.xlsx")
    assert result.stderr == ""
    rows = int(re.search(r"（(\d+) 项）", result.stdout).group(1))
    assert result.stdout == t("report.written_rows", "zh", what=t("report.ledger", "zh"),
                              path=str(tmp_path / "l.xlsx"), rows=rows) + (
        "；另有草稿 1 项未列入台账。加 --include-drafts 可列入。\n")  # the demo's one draft
