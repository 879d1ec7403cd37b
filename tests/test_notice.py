"""The supervision notice (督办通知单), one per task (issue 12.2), opened with python-docx."""

from datetime import date

from docx import Document
from docx.oxml.ns import qn

from coordboard.config import Settings
from coordboard.services.reports import notice
from tests.town import build_town


def test_a_notice_names_every_unit_with_its_part_and_a_receipt_row_each(db, frozen, tmp_path
                                                                         ) -> None:
    town = build_town(db)
    with db.read() as session:
        data = notice.build(session, Settings(notice_contact="法治办 张三 0571-1234567"),
                            town.codes["T1"].lower())  # codes are found whatever their case
    path = tmp_path / "通知单.docx"
    notice.to_docx(data, path)

    doc = Document(str(path))
    section = doc.sections[0]
    assert [round(x.mm) for x in (section.page_width, section.page_height, section.top_margin,
                                  section.left_margin)] == [210, 297, 37, 28]
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "依法治镇领导小组办公室"
    assert doc.paragraphs[1]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(
        qn("w:color")) == "FF0000"
    assert texts[2:4] == ["督办通知单", f"编号：{town.codes['T1']}"]
    rows = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert rows["督办事项"] == "T1 事项"
    assert rows["牵头单位"] == "司法所：牵头" and rows["配合单位及分工"] == "派出所：配合"
    assert rows["办理期限"] == "2026年11月20日" and rows["交办日期"] == "2026年11月2日"
    assert rows["联系人及电话"] == "法治办 张三 0571-1234567"
    receipts = [row.cells[1].text for row in doc.tables[0].rows if row.cells[0].text == "签收"]
    assert [r.split("　")[0] for r in receipts] == ["司法所", "派出所"]
    assert texts[-1] == "2026年11月25日"


def test_an_urge_notice_and_a_supervision_letter_carry_their_respond_by_date(db, frozen, tmp_path
                                                                             ) -> None:
    import pytest

    from coordboard.enums import NoteKind
    from coordboard.errors import NotFoundError
    from coordboard.services import progress, tasks

    town = build_town(db)
    with pytest.raises(NotFoundError, match="没有催办"), db.read() as session:
        notice.build_urge(session, Settings(), town.codes["T1"])
    with db.write() as session:
        task = tasks.task_by_code(session, town.codes["T1"])
        progress.add_note(session, task=task, kind=NoteKind.URGE, body="请加快进度",
                          actor_id=town.office.user_id, department_id=town.units["司法所"],
                          respond_by=date(2026, 11, 27), today=date(2026, 11, 25))
        progress.add_note(session, task=task, kind=NoteKind.LETTER, body="逾期未办结，特发此函",
                          actor_id=town.office.user_id, respond_by=date(2026, 11, 30),
                          today=date(2026, 11, 25))
    with db.read() as session:
        letter = notice.build_urge(session, Settings(), town.codes["T1"])  # the latest
    notice.urge_to_docx(letter, tmp_path / "函.docx")
    texts = [p.text for p in Document(str(tmp_path / "函.docx")).paragraphs]
    assert texts[1] == "督办函〔2026〕1号" and "督办函" in texts[3]  # the year's first letter
    assert "司法所、派出所：" in texts  # to every unit of the task
    assert "逾期未办结，特发此函" in texts
    assert "请于2026年11月30日前书面反馈办理情况。" in texts
    with db.read() as session:
        urges = [n for n in _notes(session) if n.kind == NoteKind.URGE]
        urge = notice.build_urge(session, Settings(), town.codes["T1"], urges[0].id)
    notice.urge_to_docx(urge, tmp_path / "催办.docx")
    texts = [p.text for p in Document(str(tmp_path / "催办.docx")).paragraphs]
    assert "催办通知单" in texts and "司法所：" in texts  # to the unit urged
    assert "请于2026年11月27日前书面反馈办理情况。" in texts


def _notes(session):
    from sqlmodel import select

    from coordboard.models import SupervisionNote

    return list(session.exec(select(SupervisionNote)))


def test_letters_and_urges_are_numbered_per_kind_and_year(db, frozen) -> None:
    """A helper's first three letters of the year were 督办函〔2026〕17号, 18号, 19号 (the
    row's id, counting every note): each kind counts on its own, by the office's year."""
    import pendulum

    from coordboard import clock
    from coordboard.enums import NoteKind
    from coordboard.services import progress, tasks

    town = build_town(db)

    def note(code_key: str, kind: NoteKind, when: pendulum.DateTime) -> int:
        with clock.at(when), db.write() as session:
            task = tasks.task_by_code(session, town.codes[code_key])
            return progress.add_note(session, task=task, kind=kind, body="请反馈",
                                     actor_id=town.office.user_id,
                                     respond_by=date(2027, 1, 8), today=when.date()).id

    # 23:30 on New Year's Eve in Shanghai is 15:30 UTC: the office's 2025.
    old = note("T1", NoteKind.LETTER, pendulum.datetime(2025, 12, 31, 23, 30, tz="Asia/Shanghai"))
    first = note("T1", NoteKind.LETTER, pendulum.datetime(2026, 1, 1, 0, 30, tz="Asia/Shanghai"))
    note("T5", NoteKind.REMINDER, pendulum.datetime(2026, 11, 20, tz="Asia/Shanghai"))
    urge = note("T5", NoteKind.URGE, pendulum.datetime(2026, 11, 21, tz="Asia/Shanghai"))
    second = note("T7", NoteKind.LETTER, pendulum.datetime(2026, 11, 22, tz="Asia/Shanghai"))
    with db.read() as session:
        def number(key: str, note_id: int) -> str:
            return notice.build_urge(session, Settings(), town.codes[key], note_id).number

        assert number("T1", old) == "督办函〔2025〕1号"
        assert number("T1", first) == "督办函〔2026〕1号"
        assert number("T7", second) == "督办函〔2026〕2号"
        urges_before = len([n for n in _notes(session) if n.kind == NoteKind.URGE]) - 1
        assert number("T5", urge) == f"催办〔2026〕{urges_before + 1}号"


def test_a_quoted_title_nests_its_own_quotes_as_single_ones(db, frozen, tmp_path) -> None:
    """“你单位承办的“农村“法律明白人”培养工程”” read as two quotations: the inner pair is ‘’."""
    from sqlalchemy import update

    from coordboard.enums import NoteKind
    from coordboard.models import Task
    from coordboard.services import progress, tasks

    town = build_town(db)
    with db.write() as session:
        session.execute(update(Task).where(Task.code == town.codes["T1"])
                        .values(title="农村“法律明白人”培养工程"))
        task = tasks.task_by_code(session, town.codes["T1"])
        progress.add_note(session, task=task, kind=NoteKind.URGE, body="请加快进度",
                          actor_id=town.office.user_id, department_id=town.units["司法所"],
                          respond_by=date(2026, 11, 27), today=date(2026, 11, 25))
    with db.read() as session:
        urge = notice.build_urge(session, Settings(), town.codes["T1"])
    assert urge.title == "农村“法律明白人”培养工程"  # stored and shown as typed
    notice.urge_to_docx(urge, tmp_path / "催办.docx")
    texts = [p.text for p in Document(str(tmp_path / "催办.docx")).paragraphs]
    assert any("你单位承办的“农村‘法律明白人’培养工程”" in text for text in texts), texts


def test_every_document_carries_the_offices_properties(db, frozen, tmp_path) -> None:
    """python-docx's template gave every document author "python-docx", comment "generated
    by python-docx" and a 2013 creation date, which Word's 属性 shows to whoever gets it."""
    from coordboard.enums import NoteKind
    from coordboard.services import progress, tasks
    from coordboard.services.reports import bulletin, period
    from coordboard.services.reports.period_docx import write_docx

    town = build_town(db)
    with db.write() as session:
        progress.add_note(session, task=tasks.task_by_code(session, town.codes["T1"]),
                          kind=NoteKind.URGE, body="请加快进度", actor_id=town.office.user_id,
                          department_id=town.units["司法所"], respond_by=date(2026, 11, 27),
                          today=date(2026, 11, 25))
    settings = Settings(office_name="商家镇依法治镇办")
    with db.read() as session:
        bulletin.to_docx(bulletin.build(session, settings, "2026-W48"), tmp_path / "b.docx")
        notice.to_docx(notice.build(session, settings, town.codes["T1"]), tmp_path / "n.docx")
        notice.urge_to_docx(notice.build_urge(session, settings, town.codes["T1"]),
                            tmp_path / "u.docx")
        write_docx(period.build(session, settings, period.parse_period(month="2026-11")),
                   tmp_path / "p.docx")
    for name in ("b", "n", "u", "p"):
        properties = Document(str(tmp_path / f"{name}.docx")).core_properties
        assert properties.author == properties.last_modified_by == "商家镇依法治镇办", name
        assert properties.comments == "" and properties.created.year == 2026, name
        assert properties.title and "python-docx" not in properties.title, name


def test_asking_for_a_note_that_is_not_an_urge_says_what_it_is(db, frozen) -> None:
    """`report urge CODE --note 2` on a reminder said the task had no urge, though it had."""
    import pytest

    from coordboard.enums import NoteKind
    from coordboard.errors import NotFoundError, ValidationError
    from coordboard.services import progress, tasks

    town = build_town(db)
    with db.write() as session:
        task = tasks.task_by_code(session, town.codes["T1"])
        reminder = progress.add_note(session, task=task, kind=NoteKind.REMINDER, body="请反馈",
                                     actor_id=town.office.user_id, respond_by=date(2026, 11, 27),
                                     today=date(2026, 11, 25)).id
    with db.read() as session:
        with pytest.raises(ValidationError, match=f"第 {reminder} 号督办意见是提醒"):
            notice.build_urge(session, Settings(), town.codes["T1"], reminder)
        with pytest.raises(NotFoundError, match="没有编号为 99999 的督办意见"):
            notice.build_urge(session, Settings(), town.codes["T1"], 99999)


def test_a_drafts_notice_leaves_the_assignment_date_to_be_filled_in(db, frozen, tmp_path
                                                                     ) -> None:
    """A notice printed before dispatch (to be signed and sent with it) has a blank date to
    fill in by hand, as its receipt rows do; "—" read as "never assigned"."""
    from sqlalchemy import update

    from coordboard.models import Task

    town = build_town(db)
    with db.write() as session:
        session.execute(update(Task).where(Task.code == town.codes["T1"])
                        .values(status="draft", dispatched_at=None))
    with db.read() as session:
        data = notice.build(session, Settings(), town.codes["T1"])
    notice.to_docx(data, tmp_path / "通知单.docx")
    rows = {row.cells[0].text: row.cells[1].text
            for row in Document(str(tmp_path / "通知单.docx")).tables[0].rows}
    assert rows["交办日期"] == "　　　　年　　月　　日"
    assert rows["办理期限"] == "2026年11月20日"
