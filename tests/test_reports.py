"""The bulletin, ledger and scores from the known town, opened with python-docx and openpyxl."""

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import RGBColor
from openpyxl import load_workbook
from sqlalchemy import update

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.models import SupervisionNote, Task
from coordboard.services import agenda, board, review, scores, tasks
from coordboard.services.lights import LightContext
from coordboard.services.reports import bulletin, bulletin_text, ledger
from coordboard.services.workdays import load_calendar
from tests.town import Town, build_town


@pytest.fixture
def town(db: Database, frozen) -> Town:
    return build_town(db)


def _hold_review(db: Database, town: Town) -> None:
    settings = Settings()
    with db.write() as session:
        started = review.start(session, actor=town.office, settings=settings)
    with db.read() as session:
        items = {line.code: line.item.id for line in agenda.lines(
            session, started, board_ctx(session))}
    with db.write() as session:
        review.record_decision(session, actor=town.office, settings=settings,
                               item_id=items[town.codes["T1"]], text="限期整改")
        review.decide_request(session, actor=town.office, settings=settings,
                              item_id=items[town.codes["T3"]], action="accept")
        review.close(session, actor=town.office, review_id=started.id or 0, attendees="张三、李四",
                     next_steps="逾期事项逐项约谈\n配合单位按周反馈", force=True)


def board_ctx(session):
    from coordboard.services.lights import LightContext
    from coordboard.services.workdays import load_calendar

    return LightContext.build(Settings(), load_calendar(session))


def _east_asia(run) -> str:
    from docx.oxml.ns import qn

    return run._r.rPr.rFonts.get(qn("w:eastAsia"))


def test_bulletin_docx_is_a_gbt_9704_document(db, town, tmp_path) -> None:
    """Issue 12.1: A4, the standard's margins, fonts and sizes, red line, "— PAGE —"
    footer, a fitted table whose header repeats, Chinese dates and no ISO week anywhere."""
    _hold_review(db, town)
    with db.read() as session:
        data = bulletin.build(session, Settings(bulletin_copy_to="县委依法治县办"), "2026-W48")
    # Ten dispatched tasks; closed by 11-25: T6, T8 and T3 (accepted at the review), all
    # on or before their scoring deadline (T8's moved by an extension approved in time);
    # overdue: T7 (since 11-06) and T1 (since 11-20).
    assert (data.number, data.total, data.closed, data.in_progress, data.overdue) == (1, 10, 3, 5, 2)
    assert (data.closed_on_time, data.on_time_rate()) == (3, "100.0%")
    assert data.unit_tally == [("司法所", 1), ("文化站", 1)]
    path = tmp_path / "通报.docx"
    bulletin.to_docx(data, path)

    doc = Document(str(path))
    section = doc.sections[0]
    assert [round(x.mm) for x in (section.page_width, section.page_height, section.top_margin,
                                  section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [210, 297, 37, 35, 28, 26]
    paragraphs = doc.paragraphs
    texts = [p.text for p in paragraphs]
    assert texts[:3] == ["督办通报", "第1期", "依法治镇领导小组办公室\t2026年11月25日"]
    assert paragraphs[0].runs[0].font.color.rgb == RGBColor(0xFF, 0x00, 0x00)
    red_line = paragraphs[2]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert red_line.get(qn("w:color")) == "FF0000"  # the red separator under issuer and date
    title = next(p for p in paragraphs if p.text.startswith("关于"))
    assert title.text == "关于第48周（11月23日—11月29日）督办事项办理情况的通报"
    assert (title.runs[0].font.size.pt, _east_asia(title.runs[0])) == (22, "方正小标宋简体")
    h1 = next(p for p in paragraphs if p.text == "一、总体情况")
    h2 = next(p for p in paragraphs if p.text == "（一）各单位滞后事项统计")
    assert (_east_asia(h1.runs[0]), _east_asia(h2.runs[0])) == ("黑体", "楷体_GB2312")
    body = next(p for p in paragraphs if p.text.startswith("截至2026年11月25日，纳入督办"))
    fmt = body.paragraph_format
    assert (body.runs[0].font.size.pt, _east_asia(body.runs[0])) == (16, "仿宋_GB2312")
    assert fmt.first_line_indent.pt == 32  # two characters
    assert (fmt.line_spacing_rule, fmt.line_spacing.pt) == (WD_LINE_SPACING.EXACTLY, 28.95)
    assert 225 / 25.4 * 72 / 28.95 >= 22 > 225 / 25.4 * 72 / 28.95 - 1  # 22 lines a page
    assert ("其中已办结3项，正在办理5项，逾期未办结2项。本周新交办0项，办结3项。"
            "已办结事项中按期办结3项，按期办结率100.0%。") in body.text
    text = "\n".join(texts)
    assert "本周督办例会参会人员：张三、李四。" in text
    assert "按牵头单位统计：司法所1项，文化站1项。" in text
    assert f"司法所（{town.codes['T6']}，11月24日）：按期高质量完成" in text  # praise
    # Each line a sentence of the document: criticism, and the meeting's decision.
    assert f"文化站（{town.codes['T7']}，11月24日）：长期无进展。" in texts
    assert any(line.endswith(f"T1 事项（{town.codes['T1']}）：限期整改。") for line in texts)
    assert f"T2 事项（{town.codes['T2']}，派出所牵头，11月27日到期）。" in text  # yellow
    assert "逾期事项逐项约谈" in text and "配合单位按周反馈" in text
    assert texts[-2:] == ["抄送：县委依法治县办", "依法治镇领导小组办公室\t2026年11月25日印发"]
    assert not re.search(r"\d{4}-\d{2}-\d{2}|W\d\d", text)  # no ISO dates or weeks
    # The audit chain's anchor, in small type above the 版记 (its hash is hex digits).
    anchor = bulletin_text.anchor_text(data)
    assert anchor.startswith("审计链：第 ") and texts[-4] == anchor
    # Otherwise no Latin letters but codes and the town's titles.
    assert set(re.findall(r"[A-Za-z]+", text.replace(anchor, ""))) <= {"DB", "T"}

    [table] = doc.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    # A header narrower than its column's words takes two lines, split in half ("牵头\n单位").
    assert [text.replace("\n", "") for text in rows[0]] == [
        "序号", "编号", "督办事项", "牵头单位", "配合单位", "办理期限", "滞后情况"]
    assert all(len(part) >= len(text.replace("\n", "")) // 2
               for text in rows[0] for part in text.split("\n"))
    assert rows[1] == ["1", town.codes["T7"], "T7 事项", "文化站", "派出所", "11月6日",
                       "逾期13个工作日"]
    assert rows[2] == ["2", town.codes["T1"], "T1 事项", "司法所", "派出所", "11月20日",
                       "逾期3个工作日"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    widths = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(widths) / 1440 * 25.4 - 156) < 1  # the table fills the text block exactly
    # Fitted to its content: the code and date columns as wide as their cells need (Times
    # New Roman's widths and 10 % for a substituted font, plus the cell margins), the title
    # never under 30 mm.
    mm = [w / 1440 * 25.4 for w in widths]
    code_need = (2 * 0.72 + 2 * 0.333 + 7 * 0.5) * 10.5 * 25.4 / 72 * 1.1 + 2 * 2.03
    assert mm[1] >= code_need and mm[2] >= 30
    code_cell = table.rows[1].cells[1]._tc
    assert code_cell.tcPr.find(qn("w:noWrap")) is not None  # "DB-2026-007" never breaks

    for footer in (section.footer, section.even_page_footer):
        xml = footer.paragraphs[0]._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert footer.paragraphs[0].text == "— 1 —"
    assert doc.settings.odd_and_even_pages_header_footer
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    fonts = doc.part.part_related_by(RT.FONT_TABLE).blob.decode()
    assert "华文中宋" in fonts and "仿宋" in fonts  # fallbacks for offices without the fonts


def test_bulletin_markdown_and_a_week_without_a_review(db, town) -> None:
    with db.read() as session:
        data = bulletin.build(session, Settings(), "2026-W47")
    text = bulletin_text.to_markdown(data)
    # Week 47 ends on Sunday 11-22: nothing closed yet (T6, T8 closed on 11-24); T7 and
    # T1 (due Friday 11-20) overdue.
    assert data.number is None and data.as_of == date(2026, 11, 22)
    assert "（本周未召开督办例会，不编期号）" in text
    assert "## 关于第47周（11月16日—11月22日）督办事项办理情况的通报" in text
    assert ("| 1 | " + town.codes["T7"] + " | T7 事项 | 文化站 | 派出所 | 11月6日 | 逾期10个工作日 |"
            in text)
    assert "其中已办结0项，正在办理8项，逾期未办结2项" in text and "按期办结率—" in text
    assert "本周未召开督办例会。" in text


def test_the_markdown_bulletin_shows_user_text_as_typed(db, town) -> None:
    """A Markdown viewer must not make a title bold, HTML or a link (the trial's finding)."""
    title = "A|B **粗** <b>x</b> [链接](http://x) _斜_ #1 &amp;"
    with db.write() as session:
        session.execute(update(Task).where(Task.code == town.codes["T7"]).values(title=title))
    with db.read() as session:
        text = bulletin_text.to_markdown(bulletin.build(session, Settings(), "2026-W48"))
    escaped = r"A\|B \*\*粗\*\* \<b\>x\</b\> \[链接\](http://x) \_斜\_ \#1 \&amp;"
    assert f"| {town.codes['T7']} | {escaped} |" in text
    assert "**粗**" not in text and "<b>" not in text


def test_an_unanswered_urge_makes_an_item_lagging_before_its_deadline(db, town) -> None:
    with db.write() as session:
        session.execute(update(Task).where(Task.code == town.codes["T5"])
                        .values(open_urge_respond_by=date(2026, 11, 23)))
    with db.read() as session:
        data = bulletin.build(session, Settings(), "2026-W48")
    assert data.lagging_total == 3 and data.overdue == 2
    [urged] = [item for item in data.lagging if item.urge_unanswered]
    assert urged.code == town.codes["T5"]
    assert ["派出所", "催办逾期未回复"] == bulletin_text.lagging_row(data, 3, urged)[3:7:3]
    assert "其中逾期未办结2项，催办逾期未回复1项。" in bulletin_text.to_markdown(data)


def test_a_lagging_item_says_the_urge_or_letter_already_sent(db, town) -> None:
    """What the office has done about a lagging item, as of the bulletin's day: its latest
    urge or supervision letter, the reply date and whether it was answered."""
    from coordboard.services import progress

    with db.write() as session:
        t1, t7 = (tasks.task_by_code(session, town.codes[k]) for k in ("T1", "T7"))
        urge = progress.add_note(session, task=t1, kind="urge", body="请尽快办理",
                                 actor_id=town.office.user_id, respond_by=date(2026, 11, 27),
                                 today=date(2026, 11, 25))
        progress.add_note(session, task=t7, kind="letter", body="督办函", today=date(2026, 11, 25),
                          actor_id=town.office.user_id)
        urge_id = urge.id

    def late(week: str) -> dict[str, str]:
        with db.read() as session:
            data = bulletin.build(session, Settings(), week)
        return {item.code: bulletin_text.lagging_row(data, 1, item)[6] for item in data.lagging}

    now = late("2026-W48")
    assert now[town.codes["T1"]] == "逾期3个工作日；11月25日已催办，限11月27日前回复（未回复）"
    assert now[town.codes["T7"]] == "逾期13个工作日；11月25日已发督办函"
    assert late("2026-W47")[town.codes["T1"]] == "逾期1个工作日"  # sent after that bulletin
    with db.write() as session:  # answered by a user of a supporting unit: named
        from coordboard.enums import Role
        from coordboard.services import directory

        helper = directory.add_user(session, username="pcs", display_name="派出所所长",
                                    role=Role.HEAD, password="x" * 8,
                                    department_id=town.units["派出所"])
        t1 = tasks.task_by_code(session, town.codes["T1"])
        note = session.get(SupervisionNote, urge_id)
        progress.respond_note(session, task=t1, note=note, actor_id=helper.id, response="已整改")
    assert late("2026-W48")[town.codes["T1"]].endswith("限11月27日前回复（派出所已回复）")


def test_ledger_is_the_printable_taizhang_of_every_dispatched_task(db, town, tmp_path) -> None:
    """Issue 12.3: title row, 序号, the listed columns, real dates, coloured 预警, styled
    header, A4 landscape one page wide, title and header repeated, page numbers."""
    path = tmp_path / "台账.xlsx"
    with db.read() as session:
        count = ledger.write(session, Settings(town_name="城关镇"), board.BoardFilter(), path)
    assert count == 10
    sheet = load_workbook(path).active
    assert sheet.title == "督办台账"
    assert sheet["A1"].value == "城关镇督办事项台账（截至2026年11月25日）"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:P1"]
    header = [cell.value for cell in sheet[2]]
    assert header == ["序号", "编号", "事项来源", "督办事项", "牵头单位", "配合单位", "责任领导",
                      "交办日期", "办理期限", "剩余/逾期", "预警", "状态", "办理进展", "办结日期",
                      "是否按期", "备注"]
    assert all(c.font.b and c.alignment.wrap_text and c.border.bottom.style == "thin"
               for c in sheet[2])
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("C3", "A2:P12")
    setup = sheet.page_setup
    assert (setup.orientation, str(setup.paperSize), setup.fitToWidth in (None, 1),
            setup.fitToHeight) == ("landscape", "9", True, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$2"
    assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text

    rows = {row[1].value: row for row in sheet.iter_rows(min_row=3)}
    assert [row[0].value for row in sheet.iter_rows(min_row=3)] == list(range(1, 11))
    t7, t2, t6, t8 = (rows[town.codes[k]] for k in ("T7", "T2", "T6", "T8"))
    assert t7[8].is_date and t7[8].value == datetime(2026, 11, 6)  # a real date, not text
    assert t7[7].value == datetime(2026, 10, 20)  # 交办日期: dispatched
    assert (t7[9].value, t7[10].value, t7[10].fill.fgColor.rgb) == ("逾期 13 个工作日", "红灯",
                                                                    "FFFFC7CE")
    assert (t2[10].value, t2[10].fill.fgColor.rgb) == ("黄灯", "FFFFEB9C")
    assert t7[12].value == "尚无反馈"
    assert t2[12].value == "派出所（11月24日）：进展\n文化站（11月24日）：进展"
    assert [c.value for c in t2[3:6]] == ["T2 事项", "派出所：牵头", "文化站：配合"]
    assert (t6[10].value, t6[11].value, t6[13].value, t6[14].value) == (
        "—", "已办结", datetime(2026, 11, 24), "是")
    # T8 closed 11-24 after an extension approved in time (11-16 → 11-30): on time.
    assert (t8[14].value, t8[15].value) == ("是", "原定期限2026年11月16日，已批准延期")
    assert t7[13].value is None and t7[14].value is None
    # Rows in the board's order (deadline, then id), the order the office reads them in.
    with db.read() as session:
        ctx = LightContext.build(Settings(), load_calendar(session))
        page = board.page(session, board.BoardFilter(), ctx, limit=100)
    assert [row[1].value for row in sheet.iter_rows(min_row=3)] == [r.task.code for r in page.rows]


def test_ledger_leaves_drafts_out_unless_asked(db, town, tmp_path) -> None:
    with db.write() as session:
        tasks.register(session, actor_id=town.office.user_id, title="草稿事项",
                       lead=tasks.UnitAssignment(town.units["司法所"], ""), supporters=[],
                       deadline=date(2026, 12, 31), today=date(2026, 11, 25))
    with db.read() as session:
        without = ledger.write(session, Settings(), board.BoardFilter(), tmp_path / "a.xlsx")
        with_drafts = ledger.write(session, Settings(), board.BoardFilter(), tmp_path / "b.xlsx",
                                   include_drafts=True)
    assert (without, with_drafts) == (10, 11)
    titles = [c.value for c in load_workbook(tmp_path / "b.xlsx").active["D"]]
    assert "草稿事项" in titles


def test_ledger_csv_opens_in_excel_on_a_chinese_pc(db, town, tmp_path) -> None:
    with db.write() as session:
        session.execute(update(Task).where(Task.code == town.codes["T5"])
                        .values(title="=cmd|' /C calc'!A0"))
    path = tmp_path / "台账.csv"
    with db.read() as session:
        assert ledger.write(session, Settings(), board.BoardFilter(), path) == 10
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8, not GBK
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["序号", "编号", "事项来源", "督办事项"] and len(rows) == 11
    t7 = next(r for r in rows if r[1] == town.codes["T7"])
    assert (t7[0], t7[8], t7[10]) == ("1", "2026-11-06", "红灯")
    assert any(r[3] == "'=cmd|' /C calc'!A0" for r in rows)  # never a live formula


def test_ledger_takes_the_boards_filters(db, town, tmp_path) -> None:
    with db.read() as session:
        count = ledger.write(session, Settings(), board.BoardFilter(light=board.Light.RED),
                             tmp_path / "red.xlsx")
    assert count == 2


@pytest.mark.parametrize(("flt", "rows"), [
    (board.BoardFilter(), 10), (board.BoardFilter(light=board.Light.RED), 2),
    (board.BoardFilter(text="没有这样的事项"), 0)])
def test_the_ledgers_range_names_exactly_its_rows(db, town, tmp_path, flt, rows) -> None:
    """Rule: the sheet's dimension and its filter range, written before the rows, name the
    rows written (readers such as openpyxl's read-only mode size the sheet by them)."""
    path = tmp_path / "ledger.xlsx"
    with db.read() as session:
        total, stream = ledger.counted_rows(session, Settings(), flt)
        assert (total, len(list(stream))) == (rows, rows)
        assert ledger.write(session, Settings(), flt, path) == rows
    sheet = load_workbook(path, read_only=True).active
    assert (sheet.calculate_dimension(), sheet.max_row) == (f"A1:P{rows + 2}", rows + 2)
    assert len(list(sheet.iter_rows(min_row=3))) == rows
    assert load_workbook(path).active.auto_filter.ref == f"A2:P{rows + 2}"


def test_scores_follow_the_published_rules_with_evidence(db, town, tmp_path) -> None:
    with db.read() as session:
        sb = scores.scoreboard(session, Settings(), date(2026, 11, 1), date(2026, 11, 30))
    points = {s.name: s.points for s in sb.ranking}
    # S: T6 on time +2, T1 overdue −5, praise +1.  P: T6 +1, T8 on time (extension
    # approved in time) +2, T1 −2.5, T7 −2.5, criticism −0.5, buck passing −1.
    # W: T7 overdue −5, criticism −1, T3 returned −2; T9 not overdue: its extension, asked
    # before its deadline and approved after it, moved its deadline for the scores too.
    assert points == {"司法所": -2.0, "派出所": -3.5, "文化站": -8.0}
    assert [(s.rank, s.name) for s in sb.ranking] == [(1, "司法所"), (2, "派出所"), (3, "文化站")]
    evidence = {(e.department, e.rule, e.code): e.points for e in sb.evidence}
    assert evidence[("派出所", "on_time", town.codes["T8"])] == 2.0
    assert ("文化站", "overdue", town.codes["T9"]) not in evidence
    assert evidence[("文化站", "returned", town.codes["T3"])] == -2.0
    assert evidence[("派出所", "buck_passing", town.codes["T7"])] == -1.0
    assert sum(e.points for e in sb.evidence) == sum(points.values())
    pairs = {(p.first, p.second): (p.shared, p.on_time, p.returned, p.overdue) for p in sb.pairs}
    assert pairs == {("司法所", "派出所"): (2, 1, 0, 1), ("派出所", "文化站"): (2, 0, 0, 1),
                     ("司法所", "文化站"): (1, 0, 1, 0)}
    assert (sb.pairs[0].first, sb.pairs[0].second) == ("司法所", "文化站")  # weakest linkage first

    path = tmp_path / "考核.xlsx"
    told: list[tuple[int, int]] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scores, "PROGRESS_EVERY", 2)  # every second evidence line, for the test
        scores.write_xlsx(sb, path, progress=lambda n, total: told.append((n, total)))
    assert told and told == sorted(told) and all(total == len(sb.evidence) for _, total in told)
    book = load_workbook(path)
    assert book.sheetnames == ["排名", "计分依据", "协同情况"]
    ranking = [[c.value for c in row] for row in book["排名"].iter_rows(min_row=3)]
    assert ranking[0][:3] == [1, "司法所", -2]
    # A column of points says so (按期办结 beside the period report's count read as a count).
    assert [c.value for c in book["排名"][2]][3:5] == ["按期办结得分", "逾期得分"]
    evidence_rows = [[c.value for c in row] for row in book["计分依据"].iter_rows(min_row=3)]
    # Days are real dates, shown as a letter writes them; the weak share a percentage.
    assert ["文化站", -5, "逾期", "牵头", town.codes["T7"], "T7 事项",
            datetime(2026, 11, 6)] in [row[:7] for row in evidence_rows]
    assert len(evidence_rows) == len(sb.evidence)
    assert not any(re.search(r"\d{4}-\d\d-\d\d", str(row[7])) for row in evidence_rows)
    assert "期限2026年11月6日，至今未办结" in [row[7] for row in evidence_rows]
    assert book["计分依据"]["G3"].number_format == 'yyyy"年"m"月"d"日"'
    weak = [row[6] for row in book["协同情况"].iter_rows(min_row=3)]
    assert [cell.value for cell in weak] == [round(p.weak_share, 3) for p in sb.pairs]
    assert {cell.number_format for cell in weak} == {"0%"}
    for sheet in book.worksheets:  # printed as the ledger: titled, A4 landscape, one page wide
        assert sheet["A1"].value == f"督办考核·{sheet.title}（2026年11月1日至2026年11月30日）"
        assert sheet["A2"].fill.fgColor.rgb.endswith("D9D9D9") and sheet["A2"].font.b
        assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$2" and "&P" in sheet.oddFooter.center.text


def test_scoring_weights_come_from_the_settings(db, town) -> None:
    with db.read() as session:
        sb = scores.scoreboard(session, Settings(score_overdue_lead=-10.0), date(2026, 11, 1),
                               date(2026, 11, 30))
    assert {s.name: s.points for s in sb.ranking}["文化站"] == -13.0  # T7 −10, criticism, return


def test_a_period_that_ends_before_it_starts_is_refused(db, town) -> None:
    with pytest.raises(scores.ValidationError, match="早于开始日"), db.read() as session:
        scores.scoreboard(session, Settings(), date(2026, 11, 30), date(2026, 11, 1))


def test_bulletin_path_suffix_is_checked(tmp_path: Path) -> None:
    from coordboard.cli.report_cmd import _target
    from coordboard.errors import ValidationError

    with pytest.raises(ValidationError, match=r"\.docx"):
        _target(str(tmp_path / "x.pdf"), (".docx", ".md"))


def test_bulletin_decisions_say_what_was_decided(db, town) -> None:
    """An approved extension names its new deadline; a decision that made a task names it."""
    settings = Settings()
    with db.write() as session:
        started = review.start(session, actor=town.office, settings=settings)
    with db.read() as session:
        items = {line.code: line.item.id for line in agenda.lines(
            session, started, board_ctx(session))}
    with db.write() as session:
        review.decide_request(session, actor=town.office, settings=settings,
                              item_id=items[town.codes["T4"]], action="decide_extension",
                              approve=True, note="")
        review.record_decision(session, actor=town.office, settings=settings,
                               item_id=items[town.codes["T1"]], text="另行立项整改")
        new = review.spawn_task(session, actor=town.office, settings=settings,
                                item_id=items[town.codes["T1"]], title="专项整改",
                                lead=tasks.UnitAssignment(town.units["司法所"], ""), workdays=5)
        new_code = new.code
        review.close(session, actor=town.office, review_id=started.id or 0, attendees="张三",
                     force=True)
    with db.read() as session:
        data = bulletin.build(session, settings, "2026-W48")
    text = bulletin_text.to_markdown(data)
    t4 = next(d for d in data.decisions if d.code == town.codes["T4"])
    assert t4.new_deadline == date(2026, 12, 18) and "（办理期限延至12月18日）" in text
    assert f"（已据此交办新事项{new_code}）" in text


def test_a_unit_the_ledger_has_not_read_yet_is_read_by_its_id(db, town) -> None:
    """Rule: unit names are read once for the ledger; a unit added after that read (on
    PostgreSQL each statement sees what is committed) is read when first needed, never a
    KeyError in the middle of an export."""
    with db.read() as session:
        names = ledger._UnitNames(session)
        unit_id = town.units["司法所"]
        assert names[unit_id] == "司法所"
        del names[unit_id]  # as if created after the read
        assert names[unit_id] == "司法所" and unit_id in names


@pytest.mark.parametrize(("written", "printed"), [
    ("长期无进展", "长期无进展。"), ("已完成！", "已完成！"), ("是否按期？", "是否按期？"),
    ("见附件。", "见附件。"), ("ok.", "ok."), ("尾随空格  ", "尾随空格。"), ("", ""),
])
def test_a_line_of_the_bulletin_ends_as_a_sentence(written: str, printed: str) -> None:
    from coordboard.services.reports.cn import sentence

    assert sentence(written) == printed


def test_a_silent_item_names_the_units_that_have_not_reported(db, town) -> None:
    """The bulletin named the lead under "未按期反馈进展事项" although the lead had reported
    and a supporting unit had not (a helper's director would have criticised the wrong
    unit). Each silent item names its silent units, stalest first, with how long."""
    import pendulum

    from coordboard import clock
    from coordboard.services import progress
    from coordboard.services.tasks import UnitAssignment
    from coordboard.services.workdays import WorkCalendar

    S, P, W = (town.units[name] for name in ("司法所", "派出所", "文化站"))
    when = pendulum.datetime(2026, 11, 2, 10, tz="Asia/Shanghai")
    with clock.at(when), db.write() as session:
        task = tasks.register(session, actor_id=town.office.user_id, title="T11 事项",
                              lead=UnitAssignment(P, "牵头"),
                              supporters=[UnitAssignment(W, "配合"), UnitAssignment(S, "配合")],
                              deadline=date(2026, 12, 31), today=when.date())
        tasks.dispatch(session, task=task, actor_id=town.office.user_id, calendar=WorkCalendar(),
                       today=when.date())
        code = task.code
    for unit, day in ((P, 24), (S, 12)):  # the lead reported yesterday; 司法所 on 11-12
        with clock.at(pendulum.datetime(2026, 11, day, 10, tz="Asia/Shanghai")), \
                db.write() as session:
            progress.add_feedback(session, task=tasks.task_by_code(session, code),
                                  department_id=unit, actor_id=None, body="进展")
    with db.read() as session:
        data = bulletin.build(session, Settings(), "2026-W48")
    item = next(item for item in data.silent if item.code == code)
    # 文化站 never reported (dispatched Mon 11-02: 17 working days to Wed 11-25), 司法所 last
    # on Thu 11-12 (9 working days); 派出所, the lead, reported and is not named.
    assert [(u.name, u.workdays, u.never) for u in item.silent_units] == [
        ("文化站", 17, True), ("司法所", 9, False)]
    text = bulletin_text.to_markdown(data)
    line = next(line for line in text.splitlines() if code in line)
    assert line.endswith("（" + code + "，派出所牵头，12月31日到期）：文化站自交办以来未反馈进展"
                         "（17个工作日）；司法所已9个工作日未反馈进展。"), line
    t10 = next(item for item in data.silent if item.code == town.codes["T10"])
    assert [u.name for u in t10.silent_units] == ["司法所"]


def test_a_suspended_task_is_counted_as_suspended_not_in_progress(db, town) -> None:
    """正在办理 counted a suspended (暂缓) task (a helper's director saw 34 in progress with one
    of them suspended); the overview's counts now add up to the total with it apart."""
    with db.write() as session:
        tasks.suspend(session, task=tasks.task_by_code(session, town.codes["T5"]),
                      actor_id=town.office.user_id, reason="等待上级政策")
    with db.read() as session:
        data = bulletin.build(session, Settings(), "2026-W48")
    assert (data.total, data.closed, data.in_progress, data.overdue, data.suspended) == (
        10, 2, 5, 2, 1)  # in progress 6 before T5 was suspended
    assert data.closed + data.in_progress + data.overdue + data.suspended == data.total
    assert "其中已办结2项，正在办理5项，逾期未办结2项，暂缓办理1项。" in bulletin_text.to_markdown(data)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_lagging_tables_columns_follow_their_text(db) -> None:
    """The columns share the text width by what they hold: a long lag text gets the room a
    short one leaves; codes, numbers and dates fit whole; the widths always add up."""
    from coordboard.services.reports.bulletin_docx import _cell_mm, column_widths
    from coordboard.services.reports.bulletin_text import lagging_header

    header = lagging_header()
    short = [header, ["1", "DB-2026-003", "制作普法短视频系列（10期），在抖音等平台发布", "宣传办",
                      "文化站", "11月23日", "逾期4个工作日"]]
    long = [header, short[1][:6] + ["逾期4个工作日；11月20日已发催办，限11月26日前回复（未回复）"]]
    many = [header, short[1][:4] + ["、".join(["东关村"] * 30)] + short[1][5:]]
    for rows in (short, long, many, [header]):
        widths = column_widths(rows)
        assert abs(sum(widths) - 156) < 0.01 and min(widths) > 0
        assert widths[1] >= max(_cell_mm(row[1]) for row in rows)
        assert widths[5] >= max(_cell_mm(row[5]) for row in rows) and widths[2] >= 30
    assert column_widths(long)[6] > column_widths(short)[6]
    assert column_widths(many)[4] > column_widths(short)[4]
    bigger_code = [header, ["300", "DB-2026-100000"] + short[1][2:]]
    assert column_widths(bigger_code)[1] > column_widths(short)[1]


def test_a_week_or_month_not_begun_has_no_bulletin_or_report(db, town) -> None:
    """--week 2027-W01 gave a bulletin "第1周（1月4日—1月10日）" dated today, and --month
    2027-01 a report with 41 items: a period not begun is refused in a sentence."""
    from coordboard.errors import ValidationError
    from coordboard.services.reports import period

    with db.read() as session, pytest.raises(ValidationError, match="2027年1月4日开始，尚未开始"):
        bulletin.build(session, Settings(), "2027-W01")
    with db.read() as session, pytest.raises(ValidationError, match="2027年1月1日开始，尚未开始"):
        period.build(session, Settings(), period.parse_period(month="2027-01"))
    with db.read() as session:  # the week and the month under way are reported as of today
        assert bulletin.build(session, Settings(), "2026-W48").as_of == date(2026, 11, 25)
        assert period.build(session, Settings(), period.parse_period(month="2026-11")).as_of == \
            date(2026, 11, 25)
