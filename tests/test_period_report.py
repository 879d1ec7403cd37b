"""The monthly / quarterly report (月报/季报) from the known town, opened with python-docx
and openpyxl; the figures are worked out by hand in ``town`` below."""

from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.errors import ValidationError
from coordboard.services import progress, tasks
from coordboard.services.reports import period
from coordboard.services.reports.period_docx import write_docx
from coordboard.services.reports.period_xlsx import write_xlsx
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar
from tests.town import Town, at, build_town

# Per unit in November 2026 (as of the frozen today, 11-25): (led, supported, on time, late,
# overdue open, returns, rate, points). Tasks in tests/town.py, plus T11 below.
# 司法所: leads T1 T4 T6 T10, supports T3 T11; T6 on time, T11 late; T1 overdue.
#   Points: T6 +2, T1 −5, praise +1, T11 overdue as supporter −2.5 = −4.5.
# 派出所: leads T2 T5 T8, supports T1 T6 T7; T6, T8 on time; T1, T7 overdue. −3.5.
# 文化站: leads T3 T7 T9 T11, supports T2; T11 late; T7 overdue (T9's deadline moved to
#   11-30 by an extension asked in time, has not passed); T3 returned once.
#   Points −8 (the scoreboard's), T11 overdue as lead −5 = −13.
# Total: 11 tasks, 2 on time, 1 late (66.7%), 2 overdue, 1 return.
NOVEMBER = {
    "司法所": (4, 2, 1, 1, 1, 0, 0.5, -4.5),
    "派出所": (3, 3, 2, 0, 2, 0, 1.0, -3.5),
    "文化站": (4, 1, 0, 1, 1, 1, 0.0, -13.0),
}
NOVEMBER_TOTAL = (11, None, 2, 1, 2, 1, 2 / 3, None)


@pytest.fixture
def town(db: Database, frozen) -> Town:
    town = build_town(db)
    # T11: due 11-10, closure asked for on 11-18 and accepted on 11-19: closed late.
    S, W = town.units["司法所"], town.units["文化站"]
    with clock.at(at(11, 2)), db.write() as session:
        task = tasks.register(session, actor_id=town.office.user_id, title="T11 事项",
                              lead=UnitAssignment(W, "牵头"), supporters=[UnitAssignment(S, "配合")],
                              deadline=date(2026, 11, 10), today=date(2026, 11, 2))
        tasks.dispatch(session, task=task, actor_id=town.office.user_id,
                       calendar=WorkCalendar(), today=date(2026, 11, 2))
        town.codes["T11"] = task.code
    with clock.at(at(11, 17)), db.write() as session:
        for unit in (W, S):
            progress.add_feedback(session, task=tasks.task_by_code(session, task.code),
                                  department_id=unit, actor_id=None, body="进展")
    with clock.at(at(11, 18)), db.write() as session:
        tasks.request_closure(session, task=tasks.task_by_code(session, task.code), actor_id=None)
    with clock.at(at(11, 19)), db.write() as session:
        tasks.accept(session, task=tasks.task_by_code(session, task.code),
                     actor_id=town.office.user_id)
    return town


def _figures(line: period.UnitLine) -> tuple:
    return tuple(period.values(line)[1:])


def test_month_figures_per_unit_and_in_total(db, town) -> None:
    with db.read() as session:
        report = period.build(session, Settings(), period.parse_period(month="2026-11"))
    assert report.as_of == date(2026, 11, 25)
    assert {line.name: _figures(line) for line in report.units} == NOVEMBER
    assert [line.name for line in report.units] == ["派出所", "司法所", "文化站"]  # pinyin order
    assert _figures(report.total) == NOVEMBER_TOTAL
    assert report.total.rate_text() == "66.7%"
    assert report.period.label == "2026年11月"


def test_a_quarter_and_a_month_before_anything_happened(db, town) -> None:
    with db.read() as session:
        quarter = period.build(session, Settings(), period.parse_period(quarter="2026q4"))
        october = period.build(session, Settings(), period.parse_period(month="2026-10"))
        september = period.build(session, Settings(), period.parse_period(month="2026-9"))
    assert quarter.period.label == "2026年第四季度"
    assert (quarter.period.start, quarter.period.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert {line.name: _figures(line) for line in quarter.units} == NOVEMBER
    # October: only T7 (dispatched 10-20, due 11-06) had been dispatched; nothing closed or due.
    assert october.as_of == date(2026, 10, 31)
    assert {line.name: _figures(line)[:6] for line in october.units} == {
        "司法所": (0, 0, 0, 0, 0, 0), "派出所": (0, 1, 0, 0, 0, 0), "文化站": (1, 0, 0, 0, 0, 0)}
    assert [line.rate_text() for line in september.units] == ["—"] * 3  # nothing closed
    assert _figures(september.total) == (0, None, 0, 0, 0, 0, None, None)


@pytest.mark.parametrize(("month", "quarter", "says"), [
    ("2026-13", None, "月份“2026-13”无效"), ("26-11", None, "月份“26-11”无效"),
    ("2026-00", None, "月份“2026-00”无效"), (None, "2026Q5", "季度“2026Q5”无效"),
    (None, "Q4", "季度“Q4”无效"), (None, None, "二者之一"), ("2026-11", "2026Q4", "二者之一"),
    ("9999-01", None, "该期间从9999年1月1日开始，尚未开始"),
    (None, "9999Q4", "该期间从9999年10月1日开始，尚未开始"),
    ("1899-12", None, "只能查1900年至8999年之间的月份或季度"),
])
def test_a_bad_period_is_one_clear_sentence(month, quarter, says) -> None:
    with pytest.raises(ValidationError) as error:
        period.parse_period(month, quarter)
    assert says in str(error.value) and str(error.value).count("。") == 1


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the writers: one backend
def test_docx_in_the_bulletin_layout_with_the_table_and_a_chart(db, town, tmp_path) -> None:
    with db.read() as session:
        report = period.build(session, Settings(town_name="青山镇"),
                              period.parse_period(month="2026-11"))
    path = tmp_path / "月报.docx"
    write_docx(report, path)
    doc = Document(str(path))
    section = doc.sections[0]
    assert [round(x.mm) for x in (section.page_width, section.page_height, section.top_margin,
                                  section.left_margin)] == [210, 297, 37, 28]
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "督办工作月报"
    assert texts[1].endswith("2026年11月25日")
    assert "青山镇2026年11月督办事项办理情况" in texts
    assert "一、总体情况" in texts and "三、各单位办结和逾期情况图" in texts
    assert any("按期办结2项、逾期办结1项，按期办结率66.7%" in t for t in texts)
    assert not any("2026-11" in t for t in texts)  # no ISO dates in an official document

    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[0] == ["单位", "牵头事项", "配合事项", "按期办结", "逾期办结", "逾期未办结",
                       "退回重办", "按期办结率", "考核得分"]
    assert rows[2] == ["司法所", "4", "2", "1", "1", "1", "0", "50.0%", "-4.5"]
    assert rows[3] == ["文化站", "4", "1", "0", "1", "1", "1", "0.0%", "-13"]
    assert rows[4] == ["合计", "11", "—", "2", "1", "2", "1", "66.7%", "—"]
    assert doc.tables[0].rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None

    # The chart: a native bar chart with the units and their figures.
    charts = [rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/chart")]
    assert len(charts) == 1
    xml = charts[0].blob.decode("utf-8")
    assert '<c:barDir val="bar"/>' in xml and '<c:grouping val="stacked"/>' in xml
    for name in ("司法所", "派出所", "文化站", "按期办结", "逾期办结", "逾期未办结"):
        assert f"<c:v>{name}</c:v>" in xml
    embedded = next(iter(charts[0].rels.values())).target_part
    sheet = load_workbook(_bytes_file(tmp_path, embedded.blob)).active
    assert [c.value for c in sheet[3]] == ["司法所", 1, 1, 1]
    assert doc.element.body.find(".//" + qn("w:drawing")) is not None


def _bytes_file(folder: Path, blob: bytes) -> Path:
    path = folder / "embedded.xlsx"
    path.write_bytes(blob)
    return path


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the writers: one backend
def test_xlsx_has_real_numbers_percentages_and_print_setup(db, town, tmp_path) -> None:
    with db.read() as session:
        report = period.build(session, Settings(), period.parse_period(quarter="2026Q4"))
    path = tmp_path / "季报.xlsx"
    write_xlsx(report, path)
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "2026年第四季度督办事项办理情况"
    assert sheet["A2"].value == "（统计截至2026年11月25日）"
    assert [c.value for c in sheet[5]] == ["司法所", 4, 2, 1, 1, 1, 0, 0.5, -4.5]
    assert [c.value for c in sheet[7]] == ["合计", 11, "—", 2, 1, 2, 1, pytest.approx(2 / 3),
                                           "—"]
    assert sheet["H4"].number_format == "0.0%" and sheet["B4"].data_type == "n"
    assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$3"


def test_period_report_from_the_command_line(tmp_path: Path, monkeypatch) -> None:
    from tests.test_cli_inputs import _invoke, _town

    monkeypatch.setenv("COLUMNS", "200")  # a wide terminal: the headers are printed whole

    url = f"sqlite:///{tmp_path / 'office.db'}"
    _town(url)
    assert _invoke(url, ["login", "-u", "office", "--password-stdin"])[0] == 0
    code, out = _invoke(url, ["report", "period", "--month", "2026-11", "-o",
                              str(tmp_path / "m.docx")])
    assert code == 0 and "按期办结率" in out and "已生成督办月报/季报" in out, out
    assert Document(str(tmp_path / "m.docx")).paragraphs[0].text == "督办工作月报"
    code, out = _invoke(url, ["report", "period", "--quarter", "2026Q4", "-o",
                              str(tmp_path / "q.xlsx")])
    assert load_workbook(tmp_path / "q.xlsx").active["A1"].value.endswith("第四季度督办事项办理情况")
    code, out = _invoke(url, ["report", "period", "--month", "2026-13"])
    assert code == 1 and "月份“2026-13”无效" in out and "Traceback" not in out
    code, out = _invoke(url, ["report", "period", "--month", "2026-11", "-o",
                              str(tmp_path / "m.pdf")])
    assert code == 1 and ".docx" in out and not (tmp_path / "m.pdf").exists()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_points_only_scores_the_same_without_evidence_or_pairs(db, town) -> None:
    from coordboard.services import scores

    with db.read() as session:
        full = scores.scoreboard(session, Settings(), date(2026, 11, 1), date(2026, 11, 30))
        points = scores.scoreboard(session, Settings(), date(2026, 11, 1), date(2026, 11, 30),
                                   points_only=True)
    assert [(s.name, s.points, s.by_rule, s.rank) for s in points.ranking] == [
        (s.name, s.points, s.by_rule, s.rank) for s in full.ranking]
    assert full.evidence and full.pairs and points.evidence == [] and points.pairs == []
