"""The bulletin as a DOCX an office sends as is: GB/T 9704-2012 layout.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm); title
2号 (22 pt) 小标宋, body 3号 (16 pt) 仿宋_GB2312 with a two-character first-line indent
and a fixed line pitch giving 22 lines a page; level-1 headings "一、" in 黑体, level-2
"（一）" in 楷体; masthead, issue number, issuer and date above a red line; page numbers
"— 1 —" (a PAGE field) in 4号 宋体, right on odd pages and left on even ones; the table
in 五号 (10.5 pt, as the standard allows a table's type to be smaller), its columns fitted
to what they hold (codes and dates never break, the text columns share the rest by how much
text each has: ``column_widths``), its header repeated on every page; 版记.

East Asian fonts are named in ``w:eastAsia`` (Word ignores ``font.name`` for Chinese),
and the font table gives each an alternative that exists on Windows and in WPS.
All text passes ``cells.doc_text`` (XML-safe) in ``_run``, the one place text enters.
"""

from copy import deepcopy
from pathlib import Path
from typing import Any

from coordboard.files import replacing
from coordboard.services.reports.bulletin import Bulletin
from coordboard.services.reports.bulletin_text import (
    anchor_text,
    distribution,
    document_title,
    issue_line,
    lagging_header,
    lagging_row,
    numbered,
    sections,
)
from coordboard.services.reports.cells import doc_text
from coordboard.services.reports.cn import chinese_date
from coordboard.services.stored_text import doc_t
from coordboard.textwidth import display_width

TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, NUMBER_FONT = (
    "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体")
# Alternatives recorded in the font table: what Word/WPS use when the first is missing.
FONT_ALTERNATIVES = {"方正小标宋简体": "华文中宋", "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体",
                     "黑体": "SimHei", "宋体": "SimSun"}
TITLE_PT, BODY_PT, TABLE_PT, NUMBER_PT, MASTHEAD_PT = 22, 16, 10.5, 14, 36
ANCHOR_PT = 9  # the audit chain's line: 64 hex digits on one line of the text block
PAGE_MM, MARGINS_MM = (210, 297), {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156
TEXT_HEIGHT_MM = PAGE_MM[1] - MARGINS_MM["top"] - MARGINS_MM["bottom"]  # 225
LINES_PER_PAGE = 22
RED = "FF0000"
# 序号, 编号, 督办事项, 牵头单位, 配合单位, 办理期限, 滞后情况 (mm; sums to the text width):
# the widths of a template's table, and where the built-in layout starts before it fits
# the columns to what they hold (column_widths).
# A four-character header at 12 pt needs 16.9 mm plus the cell margins (2 × 2.03 mm):
# narrower, LibreOffice and Word break "牵头单位" as "牵头单/位" (seen in docs/samples).
TABLE_COLUMNS_MM = (13, 28, 27, 22, 22, 22, 22)
NO_WRAP_COLUMNS = (0, 1, 5)  # number, code, date: never broken across lines
TITLE_COLUMN, LEAD_COLUMN, SUPPORT_COLUMN = 2, 3, 4
TEXT_COLUMNS = (2, 3, 4, 6)  # title, lead, supporters, lag text: they wrap
CELL_MARGINS_MM = 2 * 2.03
# Widths of narrow characters in em, as Times New Roman's (which the table's Latin text is
# set in), and 10 % more for a substituted font: the demo's "DB-2026-003" broke as
# "DB-2026-/003" in LibreOffice in a column 0.4 mm too tight.
NARROW_EM = {**dict.fromkeys("0123456789", 0.5), **dict.fromkeys("-()/.,:;' ", 0.333)}
UPPER_EM, OTHER_EM, SUBSTITUTE = 0.72, 0.55, 1.1


AUTOSPACE_EM = 0.25  # Word and LibreOffice space Chinese from Latin text ("11 月 19 日")


def _text_mm(text: str, size_pt: float = TABLE_PT) -> float:
    wide = [display_width(ch) == 2 for ch in text]
    ems = sum(1.0 if is_wide else NARROW_EM.get(ch, UPPER_EM if ch.isupper() else OTHER_EM)
              for ch, is_wide in zip(text, wide, strict=True))
    ems += AUTOSPACE_EM * sum(1 for a, b in zip(wide, wide[1:], strict=False) if a != b)
    return ems * size_pt * 25.4 / 72 * SUBSTITUTE


def _cell_mm(text: str) -> float:
    """The width a cell needs to hold ``text`` on one line."""
    return _text_mm(text) + CELL_MARGINS_MM + 0.5


def _header_lines(text: str, width_mm: float) -> list[str]:
    """A header on one line, or on two halves ("牵头" / "单位") when its column is narrower:
    never broken three-and-one ("牵头单" / "位")."""
    if _cell_mm(text) <= width_mm or len(text) < 2:
        return [text]
    half = (len(text) + 1) // 2
    return [text[:half], text[half:]]


def column_widths(rows: list[list[str]]) -> tuple[float, ...]:
    """The lagging table's column widths (mm, summing to the text width), fitted to what it
    holds (``rows``: the header, then the items). A number, a code and a date are as wide as
    their widest cell, never broken. The title, the lead unit, the supporters and the lag
    text share the rest in proportion to how much text each holds, so a row's wrapping cells
    come out about as high as each other; the title never under 30 mm, the lead's name
    whole, a header on at most two lines."""
    header, body = rows[0], rows[1:]
    widths = [0.0] * len(header)
    for c in NO_WRAP_COLUMNS:  # an absurd code (imported) may wrap rather than crowd the title
        widths[c] = min(max(_cell_mm(row[c]) for row in rows), 40.0)
    floors = {c: _cell_mm(header[c][:(len(header[c]) + 1) // 2]) for c in TEXT_COLUMNS}
    floors[TITLE_COLUMN] = max(floors[TITLE_COLUMN], 30.0)  # a title is read, not squeezed
    # The lead's name is not broken (up to six characters); a supporter's name of up to
    # three (a village, 东关村) neither: the list wraps between names, where it can.
    floors[LEAD_COLUMN] = max([floors[LEAD_COLUMN]] + [
        min(_cell_mm(row[LEAD_COLUMN]), _cell_mm("六个汉字宽度")) for row in body])
    floors[SUPPORT_COLUMN] = max([floors[SUPPORT_COLUMN]] + [
        min(_cell_mm(name), _cell_mm("三个字")) for row in body
        for name in row[SUPPORT_COLUMN].split("、")])
    load = {c: sum(_text_mm(row[c]) for row in body) or 1.0 for c in TEXT_COLUMNS}
    room = TEXT_WIDTH_MM - sum(widths)
    held: dict[int, float] = {}  # columns at their floor
    while True:  # shares in proportion to the text, no column below its floor
        free = {c: share for c, share in load.items() if c not in held}
        budget = room - sum(held.values())
        shares = {c: budget * share / sum(free.values()) for c, share in free.items()}
        short = [c for c, width in shares.items() if width < floors[c]]
        if not short or len(short) == len(free):
            break
        held.update({c: floors[c] for c in short})
    for c in TEXT_COLUMNS:
        widths[c] = held.get(c, shares.get(c, floors[c]))
    widths[TITLE_COLUMN] += TEXT_WIDTH_MM - sum(widths)  # what the floors left over, if any
    return tuple(widths)


def line_pitch_pt() -> float:
    """Fixed line spacing giving 22 lines in the 225 mm text block, rounded down to 0.05 pt
    (28.95 pt, the value Chinese office templates use)."""
    pitch = TEXT_HEIGHT_MM / 25.4 * 72 / LINES_PER_PAGE
    return int(pitch * 20) / 20


def _element(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _fonts(target: Any, east_asia: str, size: float, bold: bool = False, color: str = "") -> None:
    """Font of a run or a style: the Chinese font in w:eastAsia, Times New Roman for digits
    and Latin letters (the standard's 阿拉伯数字 in 宋体/Times)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    target.font.name = "Times New Roman"
    target.font.size = Pt(size)
    target.font.bold = bold
    if color:
        target.font.color.rgb = RGBColor.from_string(color)
    element = target._r if hasattr(target, "_r") else target.element  # a run, or a style
    element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)


# Formatting of each kind of run and paragraph, made once through python-docx and copied
# after: its property setters cost ~1 ms a paragraph (0.16 s of a bulletin's 0.25 s).
# Templates are never changed once stored; callers change their own copies.
_RUN_FORMATS: dict[tuple[str, float, bool, str], Any] = {}
_PARAGRAPH_FORMATS: dict[tuple[bool, str, bool], Any] = {}


def _run(paragraph: Any, text: str, east_asia: str = BODY_FONT, size: float = BODY_PT,
         bold: bool = False, color: str = "") -> Any:
    run = paragraph.add_run(doc_text(text))
    key = (east_asia, size, bold, color)
    template = _RUN_FORMATS.get(key)
    if template is None:
        _fonts(run, east_asia, size, bold, color)
        _RUN_FORMATS[key] = deepcopy(run._r.rPr)
    else:
        run._r.insert(0, deepcopy(template))  # w:rPr comes first in a run
    return run


def _paragraph(doc: Any, text: str = "", *, indent: bool = True, align: str = "",
               east_asia: str = BODY_FONT, size: float = BODY_PT, exact: bool = True) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    paragraph = doc.add_paragraph()
    key = (indent, align, exact)
    template = _PARAGRAPH_FORMATS.get(key)
    if template is not None:
        paragraph._p.insert(0, deepcopy(template))  # w:pPr comes first in a paragraph
    else:
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Pt(2 * BODY_PT) if indent else Pt(0)
        fmt.space_before = fmt.space_after = Pt(0)
        if exact:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(line_pitch_pt())
        else:
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if align:
            paragraph.alignment = getattr(WD_ALIGN_PARAGRAPH, align)
        _PARAGRAPH_FORMATS[key] = deepcopy(paragraph._p.pPr)
    if text:
        _run(paragraph, text, east_asia, size)
    return paragraph


def _border(paragraph: Any, side: str, color: str, eighths: int) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(_element("w:pBdr").tag)
    if borders is None:
        borders = _element("w:pBdr")
        p_pr.append(borders)
    borders.append(_element(f"w:{side}", val="single", sz=str(eighths), space="1", color=color))


def new_document(title: str, author: str) -> Any:
    """An empty document on the standard's page, its properties the office's: python-docx's
    template says author "python-docx", comment "generated by python-docx", created
    2013-12-23, which Word's 属性 shows to whoever receives the file."""
    from docx import Document

    from coordboard import clock

    doc = Document()
    _page_setup(doc)
    now = clock.now().naive()  # python-docx writes W3CDTF as UTC
    properties = doc.core_properties
    # a property holds at most 255 characters (an office's name, a title: cut, not refused)
    title, author = (text if len(text) <= 255 else text[:254] + "…" for text in (title, author))
    properties.title, properties.author, properties.last_modified_by = title, author, author
    properties.comments = properties.subject = properties.keywords = properties.category = ""
    properties.created = properties.modified = now
    properties.revision = 1
    return doc


def _page_setup(doc: Any) -> None:
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(15), Mm(28)  # numbers 7 mm under the block
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, BODY_PT)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], "RIGHT")
    _page_number(section.even_page_footer.paragraphs[0], "LEFT")


def _page_number(paragraph: Any, align: str) -> None:
    """— PAGE — in 4号 宋体, one character in from the side (GB/T 9704 7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph.alignment = getattr(WD_ALIGN_PARAGRAPH, align)
    fmt = paragraph.paragraph_format
    fmt.right_indent = Pt(NUMBER_PT) if align == "RIGHT" else None
    fmt.left_indent = Pt(NUMBER_PT) if align == "LEFT" else None
    _run(paragraph, "— ", NUMBER_FONT, NUMBER_PT)
    for part in ("begin", "instr", "separate", "1", "end"):
        run = _run(paragraph, "", NUMBER_FONT, NUMBER_PT)
        if part == "instr":
            instr = _element("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        elif part == "1":
            run.text = "1"
        else:
            run._r.append(_element("w:fldChar", fldCharType=part))
    _run(paragraph, " —", NUMBER_FONT, NUMBER_PT)


def _declare_fonts(doc: Any) -> None:
    """Give each Chinese font an alternative in the font table (w:altName) and the GB2312
    character set, so Word and WPS substitute a similar face when one is missing."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    part = doc.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    ns = root.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    w = f"{{{ns}}}"
    for name, alternative in FONT_ALTERNATIVES.items():
        font = etree.SubElement(root, f"{w}font", {f"{w}name": name})
        etree.SubElement(font, f"{w}altName", {f"{w}val": alternative})
        etree.SubElement(font, f"{w}charset", {f"{w}val": "86"})
        etree.SubElement(font, f"{w}family", {f"{w}val": "modern" if "黑" in name else "roman"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _masthead(doc: Any, b: Bulletin) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Mm

    head = _paragraph(doc, indent=False, align="CENTER", exact=False)
    _run(head, doc_t("bulletin.gb.masthead"), TITLE_FONT, MASTHEAD_PT, color=RED)
    _paragraph(doc, issue_line(b), indent=False, align="CENTER")
    line = _paragraph(doc, indent=False)
    line.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    _run(line, f"{b.office}\t{chinese_date(b.as_of)}")
    _border(line, "bottom", RED, 12)  # the red separator line (1.5 pt)
    _paragraph(doc, indent=False)
    _paragraph(doc, document_title(b), indent=False, align="CENTER", east_asia=TITLE_FONT,
               size=TITLE_PT)
    _paragraph(doc, indent=False)


def _table_styles(doc: Any) -> None:
    """Paragraph styles for table cells: fonts set once, not on each of thousands of runs."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    for name, east_asia, bold in (("Bulletin Table", BODY_FONT, False),
                                  ("Bulletin Table Header", H1_FONT, False)):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        _fonts(style, east_asia, TABLE_PT, bold)
        fmt = style.paragraph_format
        fmt.first_line_indent, fmt.space_before, fmt.space_after = Pt(0), Pt(0), Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _row_xml(values: list[str], header: bool, widths: tuple[float, ...]) -> str:
    """One table row as WordprocessingML: built as text and parsed once, because building
    it through python-docx's objects costs ~5 ms a row (a 300-row table took 1.7 s)."""
    from xml.sax.saxutils import escape

    style = "BulletinTableHeader" if header else "BulletinTable"
    cells = []
    for index, text in enumerate(values):
        width = round(widths[index] * 1440 / 25.4)
        no_wrap = "<w:noWrap/>" if index in NO_WRAP_COLUMNS else ""
        centered = '<w:jc w:val="center"/>' if header or index in NO_WRAP_COLUMNS else ""
        lines = (_header_lines(text, widths[index]) if header
                 else [doc_text(text).replace("\n", " ")])
        runs = '<w:br/>'.join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{no_wrap}'
            f'<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/>'
            f'{centered}</w:pPr><w:r>{runs}</w:r></w:p></w:tc>')
    repeat = "<w:tblHeader/>" if header else ""
    return (f'<w:tr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:trPr><w:cantSplit/>{repeat}</w:trPr>{"".join(cells)}</w:tr>')


def _table(doc: Any, b: Bulletin) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    rows = [lagging_header()] + [lagging_row(b, index, item)
                                 for index, item in enumerate(b.lagging, start=1)]
    widths = column_widths(rows)
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table._tbl.tblPr.append(_element("w:tblLayout", type="fixed"))
    for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths,
                               strict=True):
        grid_col.set(qn("w:w"), str(round(width * 1440 / 25.4)))  # twentieths of a point
    tbl = table._tbl
    for index, row in enumerate(rows):  # the header (first) repeated on every page
        tbl.append(parse_xml(_row_xml(row, header=index == 0, widths=widths)))


def _distribution(doc: Any, b: Bulletin) -> None:
    """版记: between a thick line above and below, thin lines between its lines."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt

    _paragraph(doc, indent=False)
    lines = distribution(b)
    for index, text in enumerate(lines):
        paragraph = _paragraph(doc, indent=False, size=NUMBER_PT)
        fmt = paragraph.paragraph_format
        fmt.left_indent = fmt.right_indent = Pt(NUMBER_PT)
        fmt.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM) - 2 * Pt(NUMBER_PT), WD_TAB_ALIGNMENT.RIGHT)
        _run(paragraph, text, BODY_FONT, NUMBER_PT)
        if index == 0:
            _border(paragraph, "top", "000000", 8)
        _border(paragraph, "bottom", "000000", 8 if index == len(lines) - 1 else 4)


def write_docx(b: Bulletin, path: Path) -> None:
    doc = new_document(doc_text(document_title(b)), doc_text(b.office))
    _declare_fonts(doc)
    _table_styles(doc)
    _masthead(doc, b)
    for number, (heading, blocks) in enumerate(sections(b), start=1):
        # Headings keep with what follows: never the last line of a page, above a table
        # that starts on the next one.
        _paragraph(doc, numbered(1, number, heading), east_asia=H1_FONT
                   ).paragraph_format.keep_with_next = True
        sub = 0
        for kind, text in blocks:
            if kind == "h2":
                sub += 1
                _paragraph(doc, numbered(2, sub, text), east_asia=H2_FONT
                           ).paragraph_format.keep_with_next = True
            elif kind == "table":
                _table(doc, b)
            else:
                _paragraph(doc, text)
    if b.anchor:  # in small type above the 版记: a witness for `audit verify --anchor`
        _paragraph(doc, anchor_text(b), indent=False, east_asia=NUMBER_FONT, size=ANCHOR_PT)
    _distribution(doc, b)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temporary:
        doc.save(str(temporary))
