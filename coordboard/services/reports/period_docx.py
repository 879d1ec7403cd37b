"""The monthly / quarterly report as a DOCX in the bulletin's GB/T 9704 layout
(``bulletin_docx``: page, margins, fonts, page numbers), with the figures table and a chart.

The chart is a native Word chart (DrawingML ``c:barChart`` in ``word/charts/chart1.xml``),
not a picture: one horizontal bar per unit, stacked from closed on time, closed late and
overdue open. Chosen over a matplotlib PNG because it prints sharp at any size, the
clerk can restyle or correct it in Word or WPS (the figures are embedded as a small
workbook, "Edit Data" opens them), its labels use the document's own Chinese fonts on
the office PC instead of whatever CJK font the server has, it costs milliseconds and adds
no dependency (matplotlib brings numpy and Pillow, and a second of import time).
LibreOffice renders it too.
"""

from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from coordboard.files import replacing
from coordboard.services.reports import bulletin_docx as gb
from coordboard.services.reports.cells import doc_text
from coordboard.services.reports.cn import chinese_date, chinese_number
from coordboard.services.reports.period import PeriodReport, UnitLine, header, values
from coordboard.services.stored_text import doc_t

# 单位, 牵头, 配合, 按期办结, 逾期办结, 逾期未办结, 退回重办, 按期办结率, 考核得分 (mm; = 156)
COLUMNS_MM = (26, 13, 13, 15, 15, 17, 15, 24, 18)
CHART_SERIES = (("on_time", "70AD47"), ("late", "FFC000"), ("overdue", "C00000"))
CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
EMU_PER_MM = 36000


def _cell(value: Any, line: UnitLine, index: int) -> str:
    if index == 7:
        return line.rate_text()
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _row_xml(cells: list[str], header_row: bool) -> str:
    style = "BulletinTableHeader" if header_row else "BulletinTable"
    out = []
    for index, text in enumerate(cells):
        width = round(COLUMNS_MM[index] * 1440 / 25.4)
        jc = '<w:jc w:val="center"/>' if header_row or index else ""
        out.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>'
            f'{"" if header_row else "<w:noWrap/>" if index else ""}'
            f'<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/>{jc}'
            f'</w:pPr><w:r><w:t xml:space="preserve">{escape(doc_text(text))}</w:t></w:r>'
            f'</w:p></w:tc>')
    repeat = "<w:tblHeader/>" if header_row else ""
    return (f'<w:tr xmlns:w="{_W}"><w:trPr><w:cantSplit/>{repeat}</w:trPr>{"".join(out)}</w:tr>')


def _table(doc: Any, report: PeriodReport) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    table = doc.add_table(rows=0, cols=len(COLUMNS_MM))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table._tbl.tblPr.append(gb._element("w:tblLayout", type="fixed"))
    for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), COLUMNS_MM,
                               strict=True):
        grid_col.set(qn("w:w"), str(round(width * 1440 / 25.4)))
    tbl = table._tbl
    tbl.append(parse_xml(_row_xml(header(), header_row=True)))
    for line in [*report.units, report.total]:
        cells = [_cell(v, line, i) for i, v in enumerate(values(line))]
        tbl.append(parse_xml(_row_xml(cells, header_row=False)))


def _str_cache(ref: str, texts: list[str]) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{escape(doc_text(s))}</c:v></c:pt>'
                     for i, s in enumerate(texts))
    return (f"<c:strRef><c:f>{ref}</c:f><c:strCache><c:ptCount val=\"{len(texts)}\"/>{points}"
            f"</c:strCache></c:strRef>")


def chart_xml(report: PeriodReport) -> str:
    """A stacked horizontal bar chart, units top to bottom in the table's order."""
    names = [line.name for line in report.units]
    last = len(names) + 1
    series = []
    for order, (key, colour) in enumerate(CHART_SERIES):
        numbers = [getattr(line, key) for line in report.units]
        column = chr(ord("B") + order)
        points = "".join(f'<c:pt idx="{i}"><c:v>{n}</c:v></c:pt>' for i, n in enumerate(numbers))
        series.append(
            f'<c:ser><c:idx val="{order}"/><c:order val="{order}"/>'
            f'<c:tx>{_str_cache(f"Sheet1!${column}$1", [doc_t(f"period.col.{key}")])}</c:tx>'
            f'<c:spPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></c:spPr>'
            f'<c:invertIfNegative val="0"/>'
            f'<c:cat>{_str_cache(f"Sheet1!$A$2:$A${last}", names)}</c:cat>'
            f'<c:val><c:numRef><c:f>Sheet1!${column}$2:${column}${last}</c:f><c:numCache>'
            f'<c:formatCode>General</c:formatCode><c:ptCount val="{len(numbers)}"/>{points}'
            f'</c:numCache></c:numRef></c:val></c:ser>')
    fonts = (f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{gb.TABLE_PT * 100}">'
             f'<a:latin typeface="Times New Roman"/><a:ea typeface="{gb.BODY_FONT}"/></a:defRPr>'
             f'</a:pPr><a:endParaRPr lang="zh-CN"/></a:p></c:txPr>')
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<c:chartSpace xmlns:c="{_C}" xmlns:a="{_A}" xmlns:r="{_R}">'
        f'<c:date1904 val="0"/><c:lang val="zh-CN"/><c:roundedCorners val="0"/>'
        f'<c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/>'
        f'<c:barChart><c:barDir val="bar"/><c:grouping val="stacked"/><c:varyColors val="0"/>'
        f'{"".join(series)}<c:gapWidth val="60"/><c:overlap val="100"/>'
        f'<c:axId val="1001"/><c:axId val="1002"/></c:barChart>'
        f'<c:catAx><c:axId val="1001"/><c:scaling><c:orientation val="maxMin"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/>'
        f'<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f'<c:crossAx val="1002"/><c:crosses val="autoZero"/><c:auto val="1"/>'
        f'<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        f'<c:valAx><c:axId val="1002"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="t"/><c:majorGridlines/>'
        f'<c:numFmt formatCode="0" sourceLinked="0"/><c:majorTickMark val="out"/>'
        f'<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="1001"/>'
        f'<c:crosses val="max"/><c:crossBetween val="between"/></c:valAx></c:plotArea>'
        f'<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
        f'<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>{fonts}'
        f'<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData>'
        f'</c:chartSpace>')


def chart_workbook(report: PeriodReport) -> bytes:
    """The chart's figures as the workbook Word opens on "Edit Data"."""
    import xlsxwriter

    buffer = BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Sheet1")
    sheet.write_row(0, 1, [doc_t(f"period.col.{key}") for key, _ in CHART_SERIES])
    for r, line in enumerate(report.units, start=1):
        sheet.write_string(r, 0, doc_text(line.name))
        sheet.write_row(r, 1, [getattr(line, key) for key, _ in CHART_SERIES])
    book.close()
    return buffer.getvalue()


def _chart(doc: Any, report: PeriodReport) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    package = doc.part.package
    chart = Part(PackURI("/word/charts/chart1.xml"), CHART_CT, chart_xml(report).encode("utf-8"),
                 package)
    data = Part(PackURI("/word/embeddings/Microsoft_Excel_Worksheet1.xlsx"), XLSX_CT,
                chart_workbook(report), package)
    assert chart.relate_to(data, RT.PACKAGE) == "rId1"  # the id chart_xml names
    r_id = doc.part.relate_to(chart, RT.CHART)
    # One bar per unit: about 9 mm each, within the text block's height.
    height_mm = min(gb.TEXT_HEIGHT_MM - 20, 30 + 9 * len(report.units))
    cx, cy = gb.TEXT_WIDTH_MM * EMU_PER_MM, height_mm * EMU_PER_MM
    paragraph = gb._paragraph(doc, indent=False, align="CENTER", exact=False)
    paragraph._p.append(parse_xml(
        f'<w:r xmlns:w="{_W}" xmlns:wp="{_WP}" xmlns:a="{_A}" xmlns:c="{_C}" xmlns:r="{_R}">'
        f'<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="1" name="{escape(doc_t("period.h1.chart"))}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="{_C}"><c:chart r:id="{r_id}"/></a:graphicData>'
        f'</a:graphic></wp:inline></w:drawing></w:r>'))


def write_docx(report: PeriodReport, path: Path) -> None:
    doc = gb.new_document(doc_text(report.title), doc_text(report.office))
    gb._declare_fonts(doc)
    gb._table_styles(doc)
    head = gb._paragraph(doc, indent=False, align="CENTER", exact=False)
    gb._run(head, doc_t(f"period.masthead.{report.period.kind}"), gb.TITLE_FONT, gb.MASTHEAD_PT,
            color=gb.RED)
    line = gb._paragraph(doc, indent=False)
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Mm

    line.paragraph_format.tab_stops.add_tab_stop(Mm(gb.TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    gb._run(line, f"{report.office}\t{chinese_date(report.as_of)}")
    gb._border(line, "bottom", gb.RED, 12)  # the red separator line
    gb._paragraph(doc, indent=False)
    gb._paragraph(doc, report.title, indent=False, align="CENTER", east_asia=gb.TITLE_FONT,
                  size=gb.TITLE_PT)
    gb._paragraph(doc, doc_t("period.as_of", date=chinese_date(report.as_of)), indent=False,
                  align="CENTER")
    gb._paragraph(doc, indent=False)

    total = report.total
    headings = iter(range(1, 4))
    gb._paragraph(doc, f"{chinese_number(next(headings))}、{doc_t('period.h1.overview')}",
                  east_asia=gb.H1_FONT)
    gb._paragraph(doc, doc_t("period.overview", period=report.period.label, tasks=total.led,
                             closed=total.closed, on_time=total.on_time, late=total.late,
                             rate=total.rate_text(), date=chinese_date(report.as_of),
                             overdue=total.overdue, returns=total.returns))
    gb._paragraph(doc, f"{chinese_number(next(headings))}、{doc_t('period.h1.units')}",
                  east_asia=gb.H1_FONT)
    _table(doc, report)
    gb._paragraph(doc, doc_t("period.table_note"), size=gb.TABLE_PT, exact=False)
    chart_heading = gb._paragraph(
        doc, f"{chinese_number(next(headings))}、{doc_t('period.h1.chart')}", east_asia=gb.H1_FONT)
    chart_heading.paragraph_format.keep_with_next = True  # never a heading alone at a page foot
    if any(line.closed or line.overdue for line in report.units):
        _chart(doc, report)
    else:
        gb._paragraph(doc, doc_t("period.chart.none"))
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temporary:
        doc.save(str(temporary))
