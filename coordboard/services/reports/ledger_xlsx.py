"""The ledger's XLSX: XlsxWriter builds the workbook, the data rows are streamed as XML.

Measured on the ledger of 100,000 tasks (docs/performance.md): XlsxWriter's per-cell Python
work (~11 µs a styled cell, 1.6 million cells) alone took longer than the 6 s the whole
export may take, even in constant-memory mode with preset formats. So XlsxWriter writes
everything that needs a library's care (the styles, the merged title, the header, the
print setup, print titles, freeze panes, the filter's defined name), and the body rows,
where a cell is only a value and one of six preset styles, are written here as the sheet
XML they are (ECMA-376 §18.3.1.73 ``<row>``/``<c>``), then spliced into the
``<sheetData>`` XlsxWriter wrote, copying every other part of the package unchanged.

Each cell still goes through ``cells.xlsx_text`` (XML-safe, within Excel's cell limit), and
text is escaped here as XML; dates are Excel serial numbers with the date style, as
XlsxWriter writes them.
"""

import re
import shutil
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from coordboard.services.reports.cells import xlsx_row_as_is, xlsx_text
from coordboard.services.stored_text import doc_t

SHEET_PART = "xl/worksheets/sheet1.xml"
EXCEL_EPOCH = date(1899, 12, 30).toordinal()  # serial 1 is 1900-01-01 (1900 leap-year bug)
FIRST_DATA_ROW = 3  # 1-based: the title, then the header
LINE_PT = 15.0  # one line of 10 pt 宋体, or of a CJK fallback font (Noto CJK: 1.45 em)
MAX_ROW_PT = 409  # Excel's highest row


def _column_letters(count: int) -> list[str]:
    from xlsxwriter.utility import xl_col_to_name

    return [xl_col_to_name(c) for c in range(count)]


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _lines(text: str, width: int) -> int:
    """Lines ``text`` wraps to in a column ``width`` characters wide. A Chinese character
    is about two characters wide; its UTF-8 form is three bytes to an ASCII letter's one,
    so (bytes + characters) / 2 is its width, computed in C."""
    if "\n" not in text:
        return (len(text.encode("utf-8")) + len(text)) // 2 // width + 1
    return sum((len(part.encode("utf-8")) + len(part)) // 2 // width + 1
               for part in text.split("\n"))


def _stream_rows(stream: Iterator[Any], out: IO[str], keys: list[str],
                 styles: dict[str, tuple[str, int]], light_styles: dict[str, int],
                 widths: list[int]) -> int:
    """Write ``<row>`` elements for the ledger rows; returns how many. Per cell: one
    branch on the column's kind and one f-string (measured: ~1 µs a cell)."""
    spec = [(letter, *styles[key]) for letter, key in zip(_column_letters(len(keys)), keys,
                                                          strict=True)]
    light_col = keys.index("light")
    # Rows are as high as their longest wrapped cell: neither Excel nor LibreOffice
    # grows a row to its wrapped text when printing a file, so without a height a
    # title or a report would be cut off on paper.
    wrapped = [(c, width - 1) for c, (key, width) in enumerate(zip(keys, widths, strict=True))
               if styles[key][0] == "wrap"]
    text_cols = [c for c, (_letter, kind, _style) in enumerate(spec) if kind in ("text", "wrap")]
    count, r = 0, FIRST_DATA_ROW
    write = out.write
    for row in stream:
        cells = []
        values = row.values()
        texts = [values[c] for c in text_cols if values[c]]
        as_is = xlsx_row_as_is(texts)  # nearly every row: no per-cell cleaning
        for (letter, kind, style), value in zip(spec, values, strict=True):
            if kind == "text" or kind == "wrap":
                if value:
                    cells.append(f'<c r="{letter}{r}" s="{style}" t="inlineStr"><is>'
                                 '<t xml:space="preserve">'
                                 f'{value if as_is else _escape(xlsx_text(value))}</t></is></c>')
                else:
                    cells.append(f'<c r="{letter}{r}" s="{style}"/>')
            elif value is None:
                cells.append(f'<c r="{letter}{r}" s="{style}"/>')
            elif kind == "date":
                cells.append(f'<c r="{letter}{r}" s="{style}"><v>{value.toordinal() - EXCEL_EPOCH}'
                             "</v></c>")
            else:
                cells.append(f'<c r="{letter}{r}" s="{style}"><v>{value}</v></c>')
        light_style = light_styles.get(row.light)
        if light_style is not None:  # the 预警 cell filled in its light's colour
            cells[light_col] = cells[light_col].replace(
                f's="{spec[light_col][2]}"', f's="{light_style}"', 1)
        lines = 1
        for c, width in wrapped:
            if values[c]:
                lines = max(lines, _lines(values[c], width))
        height = min(lines * LINE_PT + 2, MAX_ROW_PT)
        write(f'<row r="{r}" ht="{height:g}" customHeight="1">{"".join(cells)}</row>')
        r += 1
        count += 1
    return count


def write(stream: Iterator[Any], path: Path, heading: str, columns: tuple[tuple[str, int], ...],
          date_keys: tuple[str, ...], fills: dict[str, str]) -> int:
    """The ledger workbook at ``path``; returns the number of data rows."""
    skeleton, body = _scratch(path, "skeleton"), _scratch(path, "rows")
    try:
        book, sheet, styles, light_styles = _skeleton(skeleton, heading, columns, date_keys, fills)
        with open(body, "w", encoding="utf-8", newline="") as out:
            count = _stream_rows(stream, out, [key for key, _ in columns], styles, light_styles,
                                 [width for _, width in columns])
        last = len(columns) - 1
        sheet.autofilter(1, 0, max(1, count + 1), last)
        book.close()
        _splice(skeleton, body, path, f"A1:{_column_letters(last + 1)[last]}{count + 2}")
    finally:
        skeleton.unlink(missing_ok=True)
        body.unlink(missing_ok=True)
    return count


def _scratch(path: Path, part: str) -> Path:
    """A working file beside ``path``, named like ``files.replacing``'s temporary file
    (``.<target>.<random>.<part>.tmp<suffix>``): a writer killed mid-way leaves it where
    the next write of the same target removes it once stale."""
    head, found, tail = path.name.rpartition(".tmp")
    name = f"{head}.{part}.tmp{tail}" if found else f".{path.name}.{part}.tmp{path.suffix}"
    return path.with_name(name)


def _skeleton(path: Path, heading: str, columns: tuple[tuple[str, int], ...],
              date_keys: tuple[str, ...], fills: dict[str, str]) -> tuple[Any, Any, Any, Any]:
    """The workbook without its body rows: styles, title, header, print setup."""
    import xlsxwriter

    keys = [key for key, _ in columns]
    book = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
        "strings_to_urls": False})
    sheet = book.add_worksheet(doc_t("ledger.sheet"))
    base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "top"}
    f_title = book.add_format({"font_name": "黑体", "font_size": 16, "align": "center",
                               "valign": "vcenter"})
    f_header = book.add_format({**base, "bold": True, "text_wrap": True, "align": "center",
                                "valign": "vcenter", "bg_color": "#D9D9D9"})
    f_text = book.add_format({**base, "text_wrap": True})
    f_center = book.add_format({**base, "align": "center"})
    f_date = book.add_format({**base, "align": "center", "num_format": 'yyyy"年"m"月"d"日"'})
    f_light = {name: book.add_format({**base, "align": "center", "bg_color": rgb})
               for name, rgb in fills.items()}

    last = len(columns) - 1
    for index, (_, width) in enumerate(columns):
        sheet.set_column(index, index, width)
    sheet.set_row(0, 30)
    sheet.merge_range(0, 0, 0, last, xlsx_text(heading), f_title)
    sheet.set_row(1, 30)
    for index, key in enumerate(keys):
        sheet.write_string(1, index, doc_t(f"ledger.col.{key}"), f_header)
    # The body's styles get their numbers now, as XlsxWriter numbers formats on first use,
    # so the rows streamed below can name them; the workbook's styles.xml has the same.
    for fmt in (f_text, f_center, f_date, *f_light.values()):
        fmt._get_xf_index()

    # Print setup: A4 landscape, one page wide, title and header on every page, page numbers.
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, 1)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer(doc_t("ledger.footer"))
    sheet.freeze_panes(2, 2)
    sheet.center_horizontally()

    centered = {"code", "source", "status", "on_time", "workdays", "light"}
    styles: dict[str, tuple[str, int]] = {}
    for key in keys:
        if key == "index":
            styles[key] = ("number", f_center.xf_index)
        elif key in date_keys:
            styles[key] = ("date", f_date.xf_index)
        else:
            styles[key] = ("text", f_center.xf_index) if key in centered else (
                "wrap", f_text.xf_index)
    return book, sheet, styles, {name: fmt.xf_index for name, fmt in f_light.items()}


def _splice(skeleton: Path, body: Path, path: Path, dimension: str) -> None:
    """Copy the skeleton's parts to ``path``, the body rows inserted before the sheet's
    ``</sheetData>``. Fast deflate: the sheet XML of 100,000 rows is ~100 MB."""
    with zipfile.ZipFile(skeleton) as source, zipfile.ZipFile(
            path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != SHEET_PART:
                target.writestr(item, data)
                continue
            text = data.decode("utf-8")
            text = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', text,
                          count=1)
            head, tail = text.split("</sheetData>", 1)
            # Opened by name, the part takes the archive's compression and level.
            with target.open(item.filename, "w", force_zip64=True) as part, \
                    open(body, "rb") as rows:
                part.write(head.encode("utf-8"))
                shutil.copyfileobj(rows, part, 1 << 20)
                part.write(b"</sheetData>" + tail.encode("utf-8"))
