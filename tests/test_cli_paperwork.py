"""A sealed review never stays without its paperwork (issue 9.3), through the real command."""

from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from tests.test_cli_review import Cli, cli  # noqa: F401  (the fixture)


def test_close_writes_the_files_and_a_failure_names_the_command(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    cli("review", "start", "--attendees", "王主任")
    exports = tmp_path / "exports"
    exports.write_text("a file where the exports folder should be")  # writing must fail
    closed = cli("review", "close", "--force", ok=False)
    assert "第1期" in closed.stdout  # sealed first, and said so
    assert "已结束并封存（第1期）" in closed.stderr
    assert "coordboard report review 1" in closed.stderr and "Traceback" not in closed.stderr
    assert "状态：已结束" in cli("review", "show", "1").stdout

    exports.unlink()
    rewritten = cli("report", "review", "1").stdout
    assert "第1期督办例会的通报和台账已保存到" in rewritten
    assert [p.name for p in sorted(exports.iterdir())] == ["bulletin-1.docx", "bulletin-1.md",
                                                          "ledger-1.xlsx"]
    assert [p.text for p in Document(str(exports / "bulletin-1.docx")).paragraphs][1] == "第1期"
    assert load_workbook(exports / "ledger-1.xlsx").active.max_row > 2
    # The next review, still open (this week's is closed, so it is confirmed).
    cli("review", "start", "--attendees", "王主任", "--again")
    elsewhere = cli("report", "review", "-d", str(tmp_path / "copy")).stdout  # the latest closed
    assert str(tmp_path / "copy") in elsewhere and (tmp_path / "copy" / "bulletin-1.md").exists()


def test_a_wrong_bulletin_name_is_refused_before_sealing(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    cli("review", "start", "--attendees", "王主任")
    wrong = cli("review", "close", "--bulletin", str(tmp_path / "x.pdf"), ok=False)
    assert ".docx" in wrong.stderr
    assert "第1期" not in cli("review", "show").stdout  # still open
    done = cli("review", "close", "--bulletin", str(tmp_path / "通报.md"), "--force").stdout
    assert "第1期" in done and (tmp_path / "通报.md").exists()
    assert (tmp_path / "exports" / "bulletin-1.docx").exists()


def test_a_notice_per_task_from_the_command_line(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    import re

    code = re.search(r"DB-\d{4}-\d+", cli("task", "list").stdout).group(0)
    out = cli("report", "notice", code, "-o", str(tmp_path / "n.docx")).stdout
    assert "已生成督办通知单" in out
    assert [p.text for p in Document(str(tmp_path / "n.docx")).paragraphs][2] == "督办通知单"
    missing = cli("report", "notice", "DB-1999-999", "-o", str(tmp_path / "m.docx"), ok=False)
    assert "DB-1999-999" in missing.stderr and not (tmp_path / "m.docx").exists()


def test_the_ledger_as_csv_and_with_drafts(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    import re

    plain = cli("report", "ledger", "-o", str(tmp_path / "l.csv")).stdout
    drafts = cli("report", "ledger", "--include-drafts", "-o", str(tmp_path / "d.xlsx")).stdout
    rows, with_drafts = (int(re.search(r"（(\d+) 项）", out).group(1)) for out in (plain, drafts))
    assert with_drafts > rows > 0  # the demo town has a draft
    # What is left out is said, with how to list it; asking for drafts lists them.
    assert f"另有草稿 {with_drafts - rows} 项未列入台账。加 --include-drafts 可列入。" in plain
    assert "草稿" not in drafts
    only = cli("report", "ledger", "--status", "draft", "-o", str(tmp_path / "o.xlsx")).stdout
    assert f"（{with_drafts - rows} 项）" in only and "未列入" not in only
    raw = (tmp_path / "l.csv").read_bytes()
    assert raw.startswith("\ufeff序号,编号".encode()) and raw.count(b"\r\n") == rows + 1
    wrong = cli("report", "ledger", "-o", str(tmp_path / "l.txt"), ok=False)
    assert ".csv" in wrong.stderr


def test_a_file_that_cannot_be_written_is_one_sentence(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    """Rule: a report or backup the file system refuses is said in one sentence naming the
    file the user asked for (never the temporary file), exit code 1, no traceback."""
    a_file = tmp_path / "a-file.txt"
    a_file.write_text("not a folder")
    (tmp_path / "b.db.partial").mkdir()  # where the backup copies to first
    for args, said in [
        (("report", "ledger", "-o", str(a_file / "l.xlsx")), f"{a_file} 是一个文件，不是目录"),
        (("report", "review", "-d", str(a_file / "rv")), "路径中有一个同名文件挡住了目录"),
        (("backup", str(tmp_path / "b.db")), f"无法写入 {tmp_path / 'b.db.partial'}：已有同名的目录。"),
    ]:
        if args[:2] == ("report", "review"):
            cli("review", "start", "--attendees", "王主任")
            cli("review", "close", "--force")
        result = cli(*args, ok=False)
        assert result.returncode == 1, (args, result.stderr)
        assert said in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr and ".tmp" not in result.stderr, result.stderr


def test_every_bulletin_carries_the_audit_chains_anchor(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    """Rule (docs/security.md): each bulletin prints the chain's anchor, so that
    ``audit verify --anchor`` checks the chain against the paper without the key: the
    review's own (the one it kept when sealed) and a week's bulletin written later."""
    cli("review", "start", "--attendees", "王主任")
    cli("review", "close", "--force")
    exports = tmp_path / "exports"
    for name in ("bulletin-1.docx", "bulletin-1.md"):
        checked = cli("audit", "verify", "--anchor", str(exports / name))
        assert "与锚点相符" in checked.stdout, checked.stdout
    kept = cli("audit", "verify", "--anchor", "1").stdout
    assert kept.splitlines()[-1] == checked.stdout.splitlines()[-1]  # the same anchor
    cli("report", "bulletin", "-o", str(tmp_path / "later.docx"))
    assert "与锚点相符" in cli("audit", "verify", "--anchor", str(tmp_path / "later.docx")).stdout


def test_a_reversed_deadline_range_is_refused(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    """It wrote an empty ledger without a word, where `report scores` refuses the same."""
    target = tmp_path / "台账.xlsx"
    refused = cli("report", "ledger", "--from", "2026-12-31", "--to", "2026-01-01",
                  "-o", str(target), ok=False)
    message = refused.stderr.strip()
    assert "结束日 2026-01-01 早于开始日 2026-12-31" in message and "Traceback" not in message
    assert not target.exists()
    assert "早于开始日" in cli("task", "list", "--from", "2026-12-31", "--to", "2026-01-01",
                               ok=False).stderr


def test_asking_for_the_latest_review_before_any_says_how_to_start(cli: Cli) -> None:  # noqa: F811
    """It said "找不到督办例会：—"."""
    for args in (("report", "review"), ("review", "show")):
        message = cli(*args, ok=False).stderr.strip()
        assert "还没有督办例会" in message and "coordboard review start" in message, message
        assert "—" not in message
