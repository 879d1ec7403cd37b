"""CSV (for people, opened in Excel) speaks the reader's language like the table does:
translated headers, 是/否 rather than True/False, light, status and role in words; JSON keeps
the codes (issue 13 item 4)."""

import csv
import io
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from coordboard.cli import main
from coordboard.i18n import CATALOGUES, t


def invoke(*args: str, stdin: str | None = None) -> str:
    result = CliRunner().invoke(main, list(args), input=stdin)
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.output


def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_headers_and_values_in_chinese_json_keeps_codes(demo_once: Path, tmp_path: Path,
                                                            frozen) -> None:
    db = tmp_path / "demo.db"
    shutil.copy(demo_once, db)
    invoke("--db", str(db), "login", "-u", "office", "--password-stdin", stdin="demo1234\n")

    tasks = table(invoke("--db", str(db), "task", "list", "--format", "csv"))
    assert tasks[0][:3] == [t("cli.col.code", "zh"), t("cli.col.light", "zh"), t("cli.col.title", "zh")]
    lights = {t(f"light.{code}", "zh") for code in ("red", "yellow", "green", "none")}
    statuses = {text for key, text in CATALOGUES["zh"].items() if key.startswith("status.")}
    assert {row[1] for row in tasks[1:]} <= lights and {row[7] for row in tasks[1:]} <= statuses
    listed = json.loads(invoke("--db", str(db), "task", "list", "--format", "json"))
    assert {row["light"] for row in listed} <= {"red", "yellow", "green", "none"}

    units = table(invoke("--db", str(db), "dept", "list", "--format", "csv"))
    assert units[0] == [t("cli.col.unit", "zh"), t("cli.col.short", "zh"), t("cli.col.kind", "zh"),
                        t("cli.col.active", "zh")]
    assert {row[3] for row in units[1:]} <= {"是", "否"}
    kinds = {text for key, text in CATALOGUES["zh"].items() if key.startswith("dept_kind.")}
    assert {row[2] for row in units[1:]} <= kinds and "站所" in {row[2] for row in units[1:]}
    assert "True" not in invoke("--db", str(db), "dept", "list")

    users = table(invoke("--db", str(db), "user", "list", "--format", "csv"))
    assert users[0][2] == "角色" and "法治办" in {row[2] for row in users[1:]}

    history = table(invoke("--db", str(db), "task", "history", "DB-2026-005", "--format", "csv"))
    assert history[0] == [t(f"cli.col.{k}", "zh") for k in ("time", "actor", "unit", "action", "note",
                                                             "text", "detail")]
    assert all(not any(ch.isascii() and ch.isalpha() for ch in header) for header in history[0])


def test_every_board_sort_is_offered_by_name_or_code(demo_once: Path, tmp_path: Path,
                                                    frozen) -> None:
    """``--sort`` takes the board's sorts, by code or by the board's own word (灯, 牵头单位)."""
    db = tmp_path / "demo.db"
    shutil.copy(demo_once, db)
    invoke("--db", str(db), "login", "-u", "office", "--password-stdin", stdin="demo1234\n")
    order = ["red", "yellow", "green", "none"]
    for choice in ("light", "灯"):
        listed = json.loads(invoke("--db", str(db), "task", "list", "--sort", choice,
                                   "--format", "json"))
        ranks = [order.index(row["light"]) for row in listed]
        assert len(ranks) > 3 and ranks == sorted(ranks)
    by_lead = json.loads(invoke("--db", str(db), "task", "list", "--sort", "牵头单位",
                                "--format", "json"))
    assert len(by_lead) > 3
    for choice in ("supporters", "last_feedback", "最近反馈"):
        invoke("--db", str(db), "task", "list", "--sort", choice)
    refused = CliRunner().invoke(main, ["--db", str(db), "task", "list", "--sort", "颜色"])
    assert refused.exit_code != 0 and "灯（light）" in refused.output


def test_a_refused_choice_names_each_choice_once(demo_once: Path, tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    shutil.copy(demo_once, db)
    refused = CliRunner().invoke(main, ["--lang", "en", "--db", str(db), "task", "list",
                                        "--sort", "colour"])
    assert refused.exit_code != 0
    assert "choose from: deadline, code, light, title, lead unit (lead)," in refused.output
