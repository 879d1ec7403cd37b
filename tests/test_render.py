"""The paperwork as printed (issue 12, "Done when"): LibreOffice converts the bulletin, a
notice and the ledger of the demo town to PDF, and the pages are what an office sends.

The conversion needs LibreOffice (Debian libreoffice-writer-nogui, libreoffice-calc-nogui),
poppler-utils and fonts-noto-cjk; the same helpers write docs/samples/*.png
(``python bench/samples.py``)."""

import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update
from town import build_town

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.models import Task
from coordboard.services.board import BoardFilter
from coordboard.services.reports import ledger

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))

import samples  # noqa: E402

A4 = (210, 297)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_ledger_rows_are_as_high_as_their_wrapped_text(db: Database, frozen, tmp_path) -> None:
    """Neither Excel nor LibreOffice grows a row to its wrapped text when it prints a file:
    without a height a long title is cut off on paper."""
    town = build_town(db)
    long_title = "关于推进全镇法治政府建设重点任务落实情况的专项督查" * 3  # ~75 characters
    with db.write() as session:
        session.execute(update(Task).where(Task.code == town.codes["T7"])  # type: ignore[arg-type]
                        .values(title=long_title))
    path = tmp_path / "ledger.xlsx"
    with db.read() as session:
        ledger.write(session, Settings(), BoardFilter(), path)
    sheet = load_workbook(path).active
    heights = {row[1].value: sheet.row_dimensions[row[0].row].height
               for row in sheet.iter_rows(min_row=3)}
    # The title column is 30 characters wide: 150 half-width characters are 5+ lines.
    assert heights[town.codes["T7"]] >= 5 * 13.5
    # Two reports, two lines; one line rows are one line high.
    assert 2 * 13.5 <= heights[town.codes["T2"]] < 3 * 13.5
    assert all(height is not None and height >= 13.5 for height in heights.values())


@pytest.mark.skipif(bool(samples.tools_missing()),
                    reason=f"render check needs {', '.join(samples.tools_missing())} "
                           "(libreoffice-writer-nogui, libreoffice-calc-nogui, poppler-utils)")
def test_bulletin_notice_and_ledger_print_on_a4(demo_file: Database, tmp_path: Path) -> None:
    files = samples.write_documents(demo_file, Settings(), tmp_path)
    pdfs = samples.to_pdf(list(files.values()), tmp_path)
    info = {name: samples.pdf_info(pdfs[path]) for name, path in files.items()}
    texts = {name: samples.page_texts(pdfs[path]) for name, path in files.items()}

    for name in ("bulletin", "notice"):  # documents: A4 portrait
        assert (round(info[name].width_mm), round(info[name].height_mm)) == A4, name
    assert (round(info["ledger"].width_mm), round(info["ledger"].height_mm)) == A4[::-1]

    # A notice (一事一单) is one sheet, even with five units signing for it.
    assert info["notice"].pages == 1, texts["notice"]
    # The demo's bulletin: masthead, totals, a table of seven lagging items (each with the
    # urge already sent: five lines in its narrow column), decisions.
    assert 2 <= info["bulletin"].pages <= 6
    assert len(texts["bulletin"]) == info["bulletin"].pages
    assert "—1—" in texts["bulletin"][0].replace(" ", "")  # the page number, "— 1 —"
    # A heading is never left at the foot of a page, its table on the next one.
    [table_page] = [page for page in texts["bulletin"] if "滞后事项清单" in page]
    assert "序号" in table_page
    # Codes are never broken across lines in the table ("DB-2026-/003" was, with the
    # column 0.4 mm too tight for LibreOffice's substitute of Times New Roman).
    from docx import Document

    [table] = Document(str(files["bulletin"])).tables
    bulletin_codes = [row.cells[1].text for row in table.rows[1:]]
    printed_bulletin = "\n".join(texts["bulletin"])
    assert bulletin_codes and all(code in printed_bulletin for code in bulletin_codes), \
        printed_bulletin

    # The ledger: one page wide, title and header on every page, all its rows printed.
    assert info["ledger"].pages == len(texts["ledger"]) >= 1
    for page in texts["ledger"]:
        assert "督办事项台账" in page and "序号" in page and "备注" in page
    codes = {cell.value for cell in load_workbook(files["ledger"]).active["B"][2:]}
    printed = "".join(texts["ledger"])
    assert codes and all(code in printed for code in codes)
