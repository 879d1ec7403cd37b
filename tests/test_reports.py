"""The bulletin, ledger and scores from the known town, opened with python-docx and openpyxl."""

from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.services import board, review, scores
from coordboard.services.lights import LightContext
from coordboard.services.reports import bulletin, ledger
from coordboard.services.workdays import load_calendar
from coordboard.textwidth import display_width
from tests.town import Town, build_town


@pytest.fixture
def town(db: Database, frozen) -> Town:
    return build_town(db)


def _hold_review(db: Database, town: Town) -> None:
    settings = Settings()
    with db.write() as session:
        started = review.start(session, actor=town.office, settings=settings)
    with db.read() as session:
        items = {line.code: line.item.id for line in review.agenda(
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


def test_bulletin_docx_has_the_notice_shape_totals_and_named_late_units(db, town, tmp_path) -> None:
    _hold_review(db, town)
    with db.read() as session:
        data = bulletin.build(session, Settings(), "2026-W48")
    # Ten dispatched tasks; closed by 11-25: T6, T8 and T3 (accepted at the review);
    # overdue: T7 (since 11-06) and T1 (since 11-20).
    assert (data.number, data.total, data.closed, data.in_progress, data.overdue) == (1, 10, 3, 5, 2)
    path = tmp_path / "通报.docx"
    bulletin.to_docx(data, path)

    doc = Document(str(path))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[:3] == ["督办通报", "第1期", "依法治镇领导小组办公室　　截至 2026-11-25"]
    body = "\n".join(paragraphs)
    assert ("督办事项共 10 项，其中已办结 3 项（30.0%），正在办理 5 项（50.0%），"
            "逾期未办结 2 项（20.0%）。") in body
    assert "参会人员：张三、李四" in body
    assert f"司法所（{town.codes['T6']}，2026-11-24）：按期高质量完成" in body  # praise
    assert f"文化站（{town.codes['T7']}，2026-11-24）：长期无进展" in body  # criticism
    assert f"{town.codes['T1']} T1 事项：限期整改" in body
    assert "逾期事项逐项约谈" in body and "配合单位按周反馈" in body
    [table] = doc.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["序号", "编号", "事项", "牵头单位", "配合单位", "期限", "逾期"]
    assert rows[1] == ["1", town.codes["T7"], "T7 事项", "文化站", "派出所", "2026-11-06",
                       "13 个工作日"]
    assert rows[2] == ["2", town.codes["T1"], "T1 事项", "司法所", "派出所", "2026-11-20",
                       "3 个工作日"]


def test_bulletin_markdown_and_a_week_without_a_review(db, town) -> None:
    with db.read() as session:
        data = bulletin.build(session, Settings(), "2026-W47")
    text = bulletin.to_markdown(data)
    # Week 47 ends on Sunday 11-22: nothing closed yet (T6, T8 closed on 11-24); T7 and
    # T1 (due Friday 11-20) overdue.
    assert data.number is None and data.as_of == date(2026, 11, 22)
    assert "2026-W47（未召开督办例会，不编期号）" in text
    assert "| 1 | " + town.codes["T7"] + " | T7 事项 | 文化站 | 派出所 | 2026-11-06 | 10 个工作日 |" \
        in text
    assert "其中已办结 0 项（0.0%），正在办理 8 项（80.0%），逾期未办结 2 项（20.0%）" in text


def test_ledger_xlsx_every_task_with_fills_frozen_header_filter_and_widths(db, town, tmp_path) -> None:
    path = tmp_path / "台账.xlsx"
    with db.read() as session:
        count = ledger.write(session, Settings(), board.BoardFilter(), path)
    assert count == 10
    sheet = load_workbook(path).active
    assert sheet.title == "督办台账"
    header = [cell.value for cell in sheet[1]]
    assert header == ["编号", "督办事项", "牵头单位", "配合单位", "责任领导", "办理期限", "剩余/逾期",
                      "预警", "状态", "各单位最新反馈"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:J11"
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    t7, t2, t6 = rows[town.codes["T7"]], rows[town.codes["T2"]], rows[town.codes["T6"]]
    assert (t7[6].value, t7[7].value, t7[7].fill.fgColor.rgb) == ("逾期 13 个工作日", "红灯", "00FFC7CE")
    assert (t2[7].value, t2[7].fill.fgColor.rgb) == ("黄灯", "00FFEB9C")
    assert t7[9].value == "尚无反馈"
    assert t2[9].value == "派出所（11-24）：进展\n文化站（11-24）：进展"
    assert t6[7].value == "—" and t6[8].value == "已办结"
    # Units, deadline and days left come from their own queries: each checked on a row.
    assert [c.value for c in t2[1:4]] == ["T2 事项", "派出所", "文化站"]
    assert (t2[5].value, t2[6].value) == ("2026-11-27", "剩 2 个工作日")
    # Rows in the board's order (deadline, then id), the order the office reads them in.
    with db.read() as session:
        ctx = LightContext.build(Settings(), load_calendar(session))
        page = board.page(session, board.BoardFilter(), ctx, limit=100)
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == [r.task.code for r in page.rows]
    # Chinese characters count double, digits single: the longest line fits.
    assert display_width("派出所（11-24）：进展") == 21
    assert sheet.column_dimensions["J"].width >= 21
    assert sheet.column_dimensions["B"].width >= display_width("督办事项")


def test_ledger_takes_the_boards_filters(db, town, tmp_path) -> None:
    with db.read() as session:
        count = ledger.write(session, Settings(), board.BoardFilter(light=board.Light.RED),
                             tmp_path / "red.xlsx")
    assert count == 2


def test_scores_follow_the_published_rules_with_evidence(db, town, tmp_path) -> None:
    with db.read() as session:
        sb = scores.scoreboard(session, Settings(), date(2026, 11, 1), date(2026, 11, 30))
    points = {s.name: s.points for s in sb.ranking}
    # S: T6 on time +2, T1 overdue −5, praise +1.  P: T6 +1, T8 on time (extension
    # approved in time) +2, T1 −2.5, T7 −2.5, criticism −0.5, buck passing −1.
    # W: T7 overdue −5, T9 overdue (extension approved late) −5, criticism −1, T3 returned −2.
    assert points == {"司法所": -2.0, "派出所": -3.5, "文化站": -13.0}
    assert [(s.rank, s.name) for s in sb.ranking] == [(1, "司法所"), (2, "派出所"), (3, "文化站")]
    evidence = {(e.department, e.rule, e.code): e.points for e in sb.evidence}
    assert evidence[("派出所", "on_time", town.codes["T8"])] == 2.0
    assert evidence[("文化站", "overdue", town.codes["T9"])] == -5.0
    assert evidence[("文化站", "returned", town.codes["T3"])] == -2.0
    assert evidence[("派出所", "buck_passing", town.codes["T7"])] == -1.0
    assert sum(e.points for e in sb.evidence) == sum(points.values())
    pairs = {(p.first, p.second): (p.shared, p.on_time, p.returned, p.overdue) for p in sb.pairs}
    assert pairs == {("司法所", "派出所"): (2, 1, 0, 1), ("派出所", "文化站"): (2, 0, 0, 1),
                     ("司法所", "文化站"): (1, 0, 1, 0)}
    assert (sb.pairs[0].first, sb.pairs[0].second) == ("司法所", "文化站")  # weakest linkage first

    path = tmp_path / "考核.xlsx"
    scores.write_xlsx(sb, path)
    book = load_workbook(path)
    assert book.sheetnames == ["排名", "计分依据", "协同情况"]
    ranking = [[c.value for c in row] for row in book["排名"].iter_rows(min_row=3)]
    assert ranking[0][:3] == [1, "司法所", -2]
    evidence_rows = [[c.value for c in row] for row in book["计分依据"].iter_rows(min_row=2)]
    assert ["文化站", -5, "逾期", "牵头", town.codes["T9"], "T9 事项", "2026-11-12"] in [
        row[:7] for row in evidence_rows]
    assert len(evidence_rows) == len(sb.evidence)


def test_scoring_weights_come_from_the_settings(db, town) -> None:
    with db.read() as session:
        sb = scores.scoreboard(session, Settings(score_overdue_lead=-10.0), date(2026, 11, 1),
                               date(2026, 11, 30))
    assert {s.name: s.points for s in sb.ranking}["文化站"] == -23.0


def test_a_period_that_ends_before_it_starts_is_refused(db, town) -> None:
    with pytest.raises(scores.ValidationError, match="早于开始日"), db.read() as session:
        scores.scoreboard(session, Settings(), date(2026, 11, 30), date(2026, 11, 1))


def test_bulletin_path_suffix_is_checked(tmp_path: Path) -> None:
    from coordboard.cli.report_cmd import _target
    from coordboard.errors import ValidationError

    with pytest.raises(ValidationError, match=r"\.docx"):
        _target(str(tmp_path / "x.pdf"), (".docx", ".md"))
