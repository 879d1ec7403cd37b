"""The anchor line a bulletin prints is found again in a DOCX, a Markdown or a text file."""

from pathlib import Path

import pytest
from docx import Document

from coordboard.errors import DomainError
from coordboard.i18n import set_language
from coordboard.services.audit import anchor_line, parse_anchor, read_anchor

HEAD = "3f9a" + "0123456789abcdef" * 3 + "0123456789ab"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_anchor_line_round_trips_in_both_languages(language: str) -> None:
    set_language(language)
    line = anchor_line(1234, HEAD)
    assert HEAD in line and "1234" in line
    assert parse_anchor(f"督办通报\n第 12 期\n{line}\n签发：法治办") == (1234, HEAD)


def test_zh_line_reads_as_the_office_writes_it() -> None:
    assert anchor_line(1234, HEAD) == f"审计链：第 1234 条，末项 {HEAD}"
    assert parse_anchor(f"审计链：第1234条末项{HEAD.upper()}") == (1234, HEAD)
    assert parse_anchor("审计链：第 12 条") is None


def test_docx_markdown_and_text_bulletins(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("督办通报（第 3 期）")
    document.sections[0].footer.paragraphs[0].text = anchor_line(77, HEAD)
    document.save(str(tmp_path / "bulletin.docx"))
    (tmp_path / "bulletin.md").write_text(f"# 督办通报\n\n> {anchor_line(78, HEAD)}\n",
                                          encoding="utf-8")
    (tmp_path / "bulletin.txt").write_text(anchor_line(79, HEAD), encoding="utf-8")
    assert read_anchor(tmp_path / "bulletin.docx") == (77, HEAD)
    assert read_anchor(tmp_path / "bulletin.md") == (78, HEAD)
    assert read_anchor(tmp_path / "bulletin.txt") == (79, HEAD)


def test_a_file_without_an_anchor_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "x.md").write_text("没有锚点", encoding="utf-8")
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    for name, key in (("x.md", "error.audit_anchor_not_found"),
                      ("broken.docx", "error.audit_anchor_unreadable"),
                      ("missing.txt", "error.audit_anchor_unreadable")):
        with pytest.raises(DomainError) as error:
            read_anchor(tmp_path / name)
        assert error.value.key == key
