"""Exports survive hostile text and never destroy the previous good file (issues 9.3, 10.5).

Rule: every string written to DOCX/XLSX passes one choke point per writer
(``services/reports/cells.py``): characters XML cannot hold are replaced visibly, Excel's
32,767-character cell limit is respected, and a title starting with "=" stays text. Rule:
every export goes through ``coordboard.files.replacing``: temp file, fsync, rename.
"""

import errno
import os
import time
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import update

from coordboard import files
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.models import Department, Feedback, Review, SupervisionNote, Task
from coordboard.services import agenda, board, review, scores
from coordboard.services.fields import LIMITS
from coordboard.services.reports import bulletin, bulletin_text, ledger, notice, review_files
from coordboard.services.reports.cells import XLSX_CELL_LIMIT
from tests.town import Town, build_town

# ESC/CSI/OSC, BEL, NUL, other C0, DEL, C1 (NEL, CSI), non-characters, bidi override and
# isolates, tab, CR/LF, line separator.
HOSTILE = ("甲\x1b[2J\x1b]0;pwned\x07\x00\x01\x08\x0b\x0c\x7f\x85\x9b\ufffe\uffff"
           "\u202e反转\u2066x\u2069\t制表\r\n换行\u2028乙")
BIG = "长" * 100_000 + "\x1b尾"


def storable(text: str, db: Database) -> str:
    """PostgreSQL text cannot hold NUL; everything else above it stores as entered."""
    return text.replace("\x00", "") if db.engine.dialect.name == "postgresql" else text


@pytest.fixture
def hostile_town(db: Database, frozen) -> Town:
    town = build_town(db)
    text = storable(HOSTILE, db)
    with db.write() as session:
        session.execute(update(Task).where(Task.code.in_([town.codes["T7"], town.codes["T1"]]))
                        .values(title=text, leader=text[:100]))
        session.execute(update(Task).where(Task.code == town.codes["T9"])
                        .values(title="=HYPERLINK(\"http://x\",\"点我\")"))
        session.execute(update(Department).where(Department.short_name == "文化站")
                        .values(short_name=text[:40]))
        session.execute(update(Feedback).values(body=storable(BIG, db)))
        session.execute(update(SupervisionNote).values(body=text))
    settings = Settings()
    # The review's services refuse NUL and over-long text as typed input, so the meeting's own
    # fields get the most hostile text a user can still enter.
    typed = HOSTILE.replace("\x00", "")
    with db.write() as session:
        started = review.start(session, actor=town.office, settings=settings, attendees=typed)
        item = agenda.lines(session, started, _ctx(session))[0].item.id or 0
        review.record_decision(session, actor=town.office, settings=settings, item_id=item,
                               text=typed)
        review.close(session, actor=town.office, review_id=started.id or 0, attendees=typed,
                     next_steps=BIG[-LIMITS["next_steps"]:], force=True)
    return town


def _ctx(session):
    from coordboard.services.lights import LightContext
    from coordboard.services.workdays import load_calendar

    return LightContext.build(Settings(), load_calendar(session))


def _raw_controls(text: str) -> bool:
    return any(ord(c) < 0x20 and c not in "\t\n" for c in text) or "\ufffe" in text


def test_every_export_is_written_and_opens_with_hostile_text(db, hostile_town, tmp_path) -> None:
    town, settings = hostile_town, Settings()
    with db.read() as session:
        sealed = review.last_closed(session)
        assert sealed is not None
        written = review_files.write(session, settings, sealed, tmp_path / "out")
        sb = scores.scoreboard(session, settings, date(2026, 11, 1), date(2026, 11, 30))
        one = notice.build(session, Settings(notice_contact=HOSTILE), town.codes["T7"])
        ledger.write(session, settings, board.BoardFilter(), tmp_path / "ledger.csv")
    scores.write_xlsx(sb, tmp_path / "scores.xlsx")
    notice.to_docx(one, tmp_path / "notice.docx")
    notice_text = "\n".join(c.text for t in Document(str(tmp_path / "notice.docx")).tables
                             for row in t.rows for c in row.cells)
    assert "甲␛[2J" in notice_text and not _raw_controls(notice_text)
    csv_text = (tmp_path / "ledger.csv").read_text(encoding="utf-8-sig")
    assert "甲␛[2J" in csv_text and "\x1b" not in csv_text and "\x00" not in csv_text

    doc = Document(str(written.bulletin_docx))
    body = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for table in doc.tables for row in table.rows for c in row.cells)
    assert "甲␛[2J␛]0;pwned␇" in body + cells  # visible, not dropped
    assert not _raw_controls(body + cells)
    assert "长" * 1000 in body  # the 100 KB next steps are all there (DOCX has no cell limit)
    markdown = written.bulletin_md.read_text(encoding="utf-8")
    # Visible, and shown as typed by a viewer (Markdown's "[" escaped).
    assert "␛\\[2J" in markdown and "\x1b" not in markdown

    sheet = load_workbook(written.ledger_xlsx).active
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("␛[2J" in v for v in values) and not any(_raw_controls(v) for v in values)
    assert max(len(v) for v in values) <= XLSX_CELL_LIMIT  # 100 KB feedback cut, not refused
    formula = [c for row in sheet.iter_rows() for c in row
               if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert formula and all(c.data_type == "s" for c in formula)  # text, never a live formula

    book = load_workbook(tmp_path / "scores.xlsx")
    texts = [c.value for ws in book for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)]
    assert any("␛[2J" in v for v in texts) and not any(_raw_controls(v) for v in texts)
    assert all(c.data_type == "s" for ws in book for row in ws.iter_rows() for c in row
               if isinstance(c.value, str) and c.value.startswith("="))
    # What is stored stays exactly as entered.
    with db.read() as session:
        stored = session.get(Task, _task_id(session, town.codes["T7"]))
        assert stored is not None and stored.title == storable(HOSTILE, db)


def _task_id(session, code: str) -> int:
    from sqlmodel import select

    return session.exec(select(Task.id).where(Task.code == code)).one()


def test_writers_take_text_no_database_can_hold(tmp_path: Path) -> None:
    """Lone surrogates (undecodable input) and 100 KB strings straight into the writers."""
    odd = HOSTILE + "\ud800孤\udfff" + BIG
    data = bulletin.Bulletin(
        week="2026-W48", as_of=date(2026, 11, 25), office=odd, number=3, total=1, closed=0,
        in_progress=0, overdue=1, attendees=odd, next_steps=odd,
        lagging=[bulletin.LaggingItem(code="DB-2026-001", title=odd, lead=odd, supporters=[odd],
                                      deadline=date(2026, 11, 20), workdays_late=3)],
        praise=[bulletin.NoteLine(kind="praise", unit=odd, code="DB-2026-001", body=odd,
                                  day=date(2026, 11, 24))],
        decisions=[bulletin.DecisionLine(code="DB-2026-001", title=odd, decision=odd)])
    bulletin.to_docx(data, tmp_path / "b.docx")
    bulletin_text.write_markdown(data, tmp_path / "b.md")
    text = "\n".join(p.text for p in Document(str(tmp_path / "b.docx")).paragraphs)
    assert "孤" in text and "\ud800" not in text
    assert "\ufffd孤\ufffd" in (tmp_path / "b.md").read_text(encoding="utf-8")


def test_a_failed_write_keeps_the_previous_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "ledger.xlsx"
    files.write_bytes(target, b"the good one")
    with pytest.raises(RuntimeError), files.replacing(target) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"the good one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.xlsx"]
    files.write_text(target, "新\n")
    assert target.read_bytes() == "新\n".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.xlsx"]


def test_a_ledger_that_fails_at_the_last_moment_keeps_the_previous_ledger(
        db, hostile_town, tmp_path, monkeypatch) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "台账.xlsx"
    with db.read() as session:
        ledger.write(session, Settings(), board.BoardFilter(), target)
    before = target.read_bytes()

    def disk_full(path: Path) -> None:  # the whole new file written, then fsync fails
        assert path.stat().st_size > 0 and path.parent == folder
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "_sync_file", disk_full)
    with pytest.raises(OSError, match="No space"), db.read() as session:
        ledger.write(session, Settings(), board.BoardFilter(), target)
    assert target.read_bytes() == before and load_workbook(target).active.max_row > 1
    assert [p.name for p in folder.iterdir()] == ["台账.xlsx"]


def test_a_review_s_files_are_written_again_from_the_sealed_record(db, hostile_town, tmp_path
                                                                    ) -> None:
    with db.read() as session:
        sealed = session.exec(__import__("sqlmodel").select(Review)).one()
        first = review_files.write(session, Settings(), sealed, tmp_path)
        again = review_files.write_by_id(session, Settings(), sealed.id or 0, tmp_path / "again")
    assert [p.name for p in first.paths] == ["bulletin-1.docx", "bulletin-1.md", "ledger-1.xlsx"]
    assert all(p.stat().st_size > 0 for p in first.paths + again.paths)
    one = [p.text for p in Document(str(first.bulletin_docx)).paragraphs]
    two = [p.text for p in Document(str(again.bulletin_docx)).paragraphs]
    assert one == two  # the bulletin comes from the sealed record, not from the clock


def test_an_open_review_has_no_files_yet(db, frozen, tmp_path) -> None:
    town = build_town(db)
    with db.write() as session:
        started = review.start(session, actor=town.office, settings=Settings())
    with pytest.raises(review_files.ValidationError, match="尚未结束"), db.read() as session:
        review_files.write_by_id(session, Settings(), started.id or 0, tmp_path)


def test_a_killed_writer_s_leftover_is_removed_by_the_next_write_once_stale(tmp_path) -> None:
    target = tmp_path / "台账.xlsx"
    old = tmp_path / ".台账.xlsx.deadbeef.tmp.xlsx"
    fresh = tmp_path / ".台账.xlsx.cafebabe.tmp.xlsx"  # perhaps another writer, still at work
    for leftover in (old, fresh):
        leftover.write_bytes(b"half")
    os.utime(old, (time.time() - 2 * files.STALE_SECONDS,) * 2)
    files.write_bytes(target, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == [fresh.name, "台账.xlsx"]


def test_the_exports_folder_loses_every_stale_leftover_whatever_its_target(tmp_path,
                                                                          monkeypatch) -> None:
    """TUI exports get a new name each time, so the clean-up by target name never met what a
    killed export left (the trial found 56 MB part files kept for good)."""
    from coordboard.tui.exports import stamped

    monkeypatch.setenv("COORDBOARD_DATA_DIR", str(tmp_path))
    folder = stamped("ledger", "Asia/Shanghai", ".xlsx").parent
    folder.mkdir(parents=True, exist_ok=True)
    stale = [".ledger-20261127-100646.xlsx.a040f14e.part2.tmp.xlsx",
             ".ledger-20261127-100646.xlsx.a040f14e.tmp.xlsx",
             ".scores-20261101-090000.xlsx.0badf00d.skeleton.tmp.xlsx"]
    kept = [".ledger-20261127-110000.xlsx.12345678.tmp.xlsx",  # an export at work now
            ".notes.tmp.txt", "ledger-20261127-100000.xlsx", ".hidden"]  # not ours to remove
    for name in stale + kept:
        (folder / name).write_bytes(b"x")
    for name in stale + kept[1:]:
        os.utime(folder / name, (time.time() - 2 * files.STALE_SECONDS,) * 2)
    stamped("ledger", "Asia/Shanghai", ".xlsx")
    assert sorted(p.name for p in folder.iterdir()) == sorted(kept)


class _WindowsError(OSError):
    """An OSError as Windows raises it, with its own code (not settable on Linux)."""

    winerror = 32  # ERROR_SHARING_VIOLATION: the file is open in another program


@pytest.mark.parametrize(("error", "said"), [
    (PermissionError(errno.EACCES, "Permission denied", "/d/.台账.xlsx.0123abcd.tmp.xlsx"),
     "无法写入 /d/台账.xlsx：没有写入权限"),
    (_WindowsError(errno.EACCES, "The process cannot access the file", "/d/台账.xlsx"),
     "无法写入 /d/台账.xlsx：文件正被其他程序打开"),
    (FileExistsError(errno.EEXIST, "File exists", "/d/exports"),
     "无法写入 /d/exports：路径中有一个同名文件挡住了目录。"),
    (OSError(errno.ENOSPC, "No space left on device", "/d/.a.docx.89abcdef.tmp.docx"),
     "无法写入 /d/a.docx：磁盘已满。"),
    (IsADirectoryError(errno.EISDIR, "Is a directory", "/d/通报.docx"),
     "无法写入 /d/通报.docx：已有同名的目录。"),
    (OSError(errno.EIO, "Input/output error"), "无法写入文件：系统提示“Input/output error”。"),
])
def test_a_refused_write_is_said_in_the_users_words(error: OSError, said: str) -> None:
    """Rule: which file (the one asked for, not ``replacing``'s temporary file) and why, in
    words; the TUI's export message is the same sentence."""
    from coordboard.files import write_failure
    from coordboard.tui.exports import failure_message

    assert said in write_failure(error)
    assert failure_message(error) == write_failure(error)
