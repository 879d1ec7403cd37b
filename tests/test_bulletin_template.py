"""The office's own bulletin template (setting ``bulletin_template``), filled with docxtpl.

The backend does not matter here (the bulletin's figures are tested in test_reports.py):
SQLite only."""

from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import update

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.errors import ValidationError
from coordboard.models import Task
from coordboard.services.reports import bulletin, bulletin_text, review_files
from coordboard.services.review import last_closed
from coordboard.templates.build_example import EXAMPLE
from tests.test_reports import _hold_review
from tests.town import Town, build_town

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def town(db: Database, frozen) -> Town:
    town = build_town(db)
    with db.write() as session:  # text a template must show literally, not as XML or Jinja2
        session.execute(update(Task).where(Task.code == town.codes["T1"])
                        .values(title="<w:p> & {{ x }} 整治"))
    _hold_review(db, town)
    return town


def _text(path: Path) -> str:
    doc = Document(str(path))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_example_template_is_filled_with_the_bulletin(db, town, tmp_path) -> None:
    with db.read() as session:
        data = bulletin.build(session, Settings(bulletin_copy_to="县委依法治县办"), "2026-W48")
    path = tmp_path / "通报.docx"
    bulletin.to_docx(data, path, template=str(EXAMPLE))
    text = _text(path)
    assert "XX镇依法治镇领导小组办公室" in text  # the template's own 红头
    assert "督办通报　第1期" in text
    assert "依法治镇领导小组办公室　　2026年11月25日" in text
    assert "关于第48周（11月23日—11月29日）督办事项办理情况的通报" in text
    assert "{{" not in text.replace("{{ x }}", "") and "{%" not in text
    rows = [[c.text for c in row.cells] for row in Document(str(path)).tables[0].rows]
    assert rows[0][:2] == ["序号", "编号"]
    assert rows[1][:4] == ["1", town.codes["T7"], "T7 事项", "文化站"]  # one row per lagging item
    assert [town.codes["T1"], "<w:p> & {{ x }} 整治"] in [r[1:3] for r in rows]
    assert len(rows) == 1 + len(data.lagging)
    assert f"2. {town.codes['T1']} <w:p> & {{{{ x }}}} 整治：限期整改" in text  # agenda item 2
    assert "表扬：司法所" in text and "批评：文化站" in text
    assert "1. 逾期事项逐项约谈" in text and "2. 配合单位按周反馈" in text
    assert "抄送：县委依法治县办" in text


def test_a_review_writes_its_bulletin_in_the_configured_template(db, town, tmp_path) -> None:
    with db.read() as session:
        files = review_files.write(session, Settings(bulletin_template=str(EXAMPLE)),
                                   last_closed(session), tmp_path)
    assert "XX镇依法治镇领导小组办公室" in _text(files.bulletin_docx)


def _template(tmp_path: Path, text: str) -> Path:
    doc = Document()
    doc.add_paragraph(text)
    path = tmp_path / "office.docx"
    doc.save(str(path))
    return path


@pytest.mark.parametrize(("make", "says"), [
    (lambda folder: folder / "nowhere.docx", "不存在"),
    (lambda folder: _write(folder / "plain.docx", b"not a zip file"), "不是 Word 文档"),
    (lambda folder: _zip_without_word(folder), "不是 Word 文档"),
    (lambda folder: _template(folder, "第{{ isue_no }}期"), "没有的名称“isue_no”"),
    (lambda folder: _template(folder, "{% for x in lagging %}"), "写法有误"),
    (lambda folder: _template(folder, "{{ title }"), "写法有误"),
    # A template is a Word file anyone with the shared folder can edit: it can only show
    # the bulletin's values, never reach Python (a helper ran `id` through one).
    (lambda folder: _template(folder, "{{ cycler.__init__.__globals__.os.popen('id').read() }}"),
     "不允许"),
    (lambda folder: _template(folder, "{{ ''.__class__.__mro__[1].__subclasses__()|length }}"),
     "不允许"),
    (lambda folder: _template(folder, "{{ lagging.append(1) }}{{ title }}"), "不允许"),
])
def test_a_missing_or_broken_template_is_one_sentence_and_no_file(db, town, tmp_path, make,
                                                                   says) -> None:
    template = make(tmp_path)
    with db.read() as session:
        data = bulletin.build(session, Settings(), "2026-W48")
    target = tmp_path / "通报.docx"
    target.write_bytes(b"the previous bulletin")
    with pytest.raises(ValidationError) as error:
        bulletin.to_docx(data, target, template=str(template))
    message = str(error.value)
    assert says in message and str(template) in message and message.count("。") == 1
    assert "uid=" not in message and not any(word in message for word in (
        "undefined", "Package", "unsafe", "archive", "unexpected"))  # no English
    assert target.read_bytes() == b"the previous bulletin"  # kept whole, nothing half-written
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _zip_without_word(folder: Path) -> Path:
    import zipfile

    path = folder / "zipped.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "no Word parts here")
    return path


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_template_without_the_anchor_still_prints_it(db, town, tmp_path) -> None:
    """Rule: a bulletin always carries the audit chain's anchor; ``{{ anchor }}`` places it,
    and a template that does not use it gets it as a last line."""
    from coordboard.services.audit import anchor as chain_anchor
    from coordboard.services.audit import read_anchor

    with db.read() as session:
        data = bulletin.build(session, Settings(), "2026-W48")
        now = chain_anchor(session)
    assert data.anchor == now
    path = tmp_path / "通报.docx"
    bulletin.to_docx(data, path, template=str(EXAMPLE))  # the example has no {{ anchor }}
    assert read_anchor(path) == now
    built_in = tmp_path / "内置.docx"
    bulletin.to_docx(data, built_in)
    assert read_anchor(built_in) == now
    markdown = tmp_path / "通报.md"
    markdown.write_text(bulletin_text.to_markdown(data), encoding="utf-8")
    assert read_anchor(markdown) == now
