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

import queue
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from itertools import compress
from operator import truth
from pathlib import Path
from typing import Any, NamedTuple

from coordboard.services.reports.cells import xlsx_row_as_is, xlsx_text
from coordboard.services.reports.sheet_setup import CHINESE_DATE, print_setup, title_and_header_formats
from coordboard.services.stored_text import doc_t

SHEET_PART = "xl/worksheets/sheet1.xml"
EXCEL_EPOCH = date(1899, 12, 30).toordinal()  # serial 1 is 1900-01-01 (1900 leap-year bug)
FIRST_DATA_ROW = 3  # 1-based: the title, then the header
LINE_PT = 15.0  # one line of 10 pt 宋体, or of a CJK fallback font (Noto CJK: 1.45 em)
MAX_ROW_PT = 409  # Excel's highest row
Write = Callable[[str | bytes], object]  # sheet XML as text, or as UTF-8


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
    whole = (len(text.encode("utf-8")) + len(text)) // 2
    if "\n" not in text:
        return whole // width + 1
    if whole < width:  # then every line fits on one
        return text.count("\n") + 1
    return sum((len(part.encode("utf-8")) + len(part)) // 2 // width + 1
               for part in text.split("\n"))


def _cell_templates(letters: list[str], kinds: list[tuple[str, int]]
                    ) -> tuple[list[str], list[str]]:
    """Per column: its cell holding a value (``{v}`` where the value goes) and its empty
    cell, with ``{0}`` for the row number."""
    filled, empty = [], []
    for letter, (kind, style) in zip(letters, kinds, strict=True):
        ref = f'<c r="{letter}{{0}}" s="{style}"'
        empty.append(ref + "/>")
        if kind in ("text", "wrap"):
            filled.append(ref + ' t="inlineStr"><is><t xml:space="preserve">{v}</t></is></c>')
        else:
            filled.append(ref + "><v>{v}</v></c>")
    return filled, empty


class RowStyles(NamedTuple):
    """What a body row's cells name: per column its key, kind and style number, the
    light fills' style numbers, and the column widths (plain data, for a second process)."""

    keys: list[str]
    styles: dict[str, tuple[str, int]]
    light_styles: dict[str, int]
    widths: list[int]


def stream_rows(stream: Iterator[Any], write: Callable[[str], object], row_styles: RowStyles,
                first_row: int = FIRST_DATA_ROW) -> int:
    """Write ``<row>`` elements for the ledger rows, numbered from ``first_row``; returns
    how many.

    Rows come in few shapes (which cells are empty, which light): each shape's row is one
    format string, made the first time it is seen, so a row is one ``str.format`` call
    rather than sixteen cells put together in Python (measured: 3.0 -> 1.0 s for the
    100,000 rows' XML)."""
    keys, styles, light_styles, widths = row_styles
    letters = _column_letters(len(keys))
    kinds = [styles[key] for key in keys]
    light_col = keys.index("light")
    date_cols = [c for c, (kind, _style) in enumerate(kinds) if kind == "date"]
    text_cols = [c for c, (kind, _style) in enumerate(kinds) if kind in ("text", "wrap")]
    # Rows are as high as their longest wrapped cell: neither Excel nor LibreOffice
    # grows a row to its wrapped text when printing a file, so without a height a
    # title or a report would be cut off on paper.
    wrapped = [(c, width - 1) for c, (key, width) in enumerate(zip(keys, widths, strict=True))
               if styles[key][0] == "wrap"]
    filled, empty = _cell_templates(letters, kinds)
    # The 预警 cell filled in its light's colour: the same cells with the light's style.
    light_kinds = {light: [*kinds[:light_col], ("text", style), *kinds[light_col + 1:]]
                   for light, style in light_styles.items()}
    lit = {light: _cell_templates(letters, k) for light, k in light_kinds.items()}
    shapes: dict[tuple[Any, ...], str] = {}
    heights: dict[int, str] = {}
    count, r = 0, first_row
    for row in stream:
        values = row.values()
        for c in date_cols:
            if values[c] is not None:
                values[c] = values[c].toordinal() - EXCEL_EPOCH
        # The height from the text as Excel shows it, before any escaping.
        lines = 1
        for c, width in wrapped:
            text = values[c]
            if text:
                if "\n" in text:
                    lines = max(lines, _lines(text, width))
                else:  # _lines' one-line case, inline: this runs 400,000 times
                    lines = max(lines, (len(text.encode("utf-8")) + len(text)) // 2 // width + 1)
        if not xlsx_row_as_is([values[c] for c in text_cols if values[c]]):
            for c in text_cols:  # the rare row with text to clean or escape
                if values[c]:
                    values[c] = _escape(xlsx_text(values[c]))
        # Empty cells are None and "" (no cell holds 0: 序号 starts at 1, dates are after 1900).
        present = tuple(map(truth, values))
        light = row.light if row.light in lit else None
        template = shapes.get((present, light))
        if template is None:
            template = shapes[(present, light)] = _row_template(
                present, *(lit[light] if light is not None else (filled, empty)))
        height = heights.get(lines)
        if height is None:
            height = heights[lines] = f"{min(lines * LINE_PT + 2, MAX_ROW_PT):g}"
        write(template.format(r, height, *compress(values, present)))
        r += 1
        count += 1
    return count


def _row_template(present: tuple[bool, ...], filled: list[str], empty: list[str]) -> str:
    """A row of this shape as one format string: ``{0}`` the row number, ``{1}`` its
    height, then the values of its non-empty cells in order."""
    cells, field = [], 2
    for c, here in enumerate(present):
        if here:
            cells.append(filled[c].replace("{v}", f"{{{field}}}"))
            field += 1
        else:
            cells.append(empty[c])
    return f'<row r="{{0}}" ht="{{1}}" customHeight="1">{"".join(cells)}</row>'


def write(stream: Iterator[Any], path: Path, heading: str, columns: tuple[tuple[str, int], ...],
          date_keys: tuple[str, ...], fills: dict[str, str], total: int) -> int:
    """The ledger workbook at ``path``; returns the number of data rows, which must be
    ``total`` (the sheet's dimension and filter range are written before the rows)."""
    with Workbook(path, heading, columns, date_keys, fills) as book:
        return book.finish(total, lambda write: stream_rows(stream, write, book.row_styles))


class Workbook:
    """The workbook being written: its skeleton (styles, title, header, print setup) made
    on entering, so that ``row_styles`` is known before any row is read, and the body
    rows spliced in by ``finish``."""

    def __init__(self, path: Path, heading: str, columns: tuple[tuple[str, int], ...],
                 date_keys: tuple[str, ...], fills: dict[str, str]) -> None:
        self._path, self._columns = path, columns
        self._skeleton_path = scratch(path, "skeleton")
        self._book, self._sheet, styles, light_styles = _skeleton(
            self._skeleton_path, heading, columns, date_keys, fills)
        self.row_styles = RowStyles([key for key, _ in columns], styles, light_styles,
                                    [width for _, width in columns])

    def __enter__(self) -> "Workbook":
        return self

    def __exit__(self, *_: object) -> None:
        self._skeleton_path.unlink(missing_ok=True)

    def finish(self, total: int, body: Callable[[Write], int]) -> int:
        """Write the package with the rows ``body`` writes (through the function it is
        given: text, or XML already encoded as UTF-8); they must be ``total`` rows."""
        last = len(self._columns) - 1
        self._sheet.autofilter(1, 0, max(1, total + 1), last)
        self._book.close()
        count = _assemble(self._skeleton_path, self._path,
                          f"A1:{_column_letters(last + 1)[last]}{total + 2}", body)
        if count != total:  # a caller's bug: the file would name the wrong range
            raise RuntimeError(f"ledger: {count} rows written, {total} announced")
        return count


def scratch(path: Path, part: str) -> Path:
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
    f_title, f_header, base = title_and_header_formats(book, font_size=10, valign="top")
    f_text = book.add_format({**base, "text_wrap": True})
    f_center = book.add_format({**base, "align": "center"})
    f_date = book.add_format({**base, "align": "center", "num_format": CHINESE_DATE})
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

    print_setup(sheet, header_rows=2, footer=doc_t("ledger.footer"), freeze=(2, 2),
                margins=(0.4, 0.6))

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


def _assemble(skeleton: Path, path: Path, dimension: str, body: Callable[[Write], int]) -> int:
    """Copy the skeleton's parts to ``path``, with the rows ``body`` writes inserted before
    the sheet's ``</sheetData>``; returns what ``body`` returns.

    The sheet XML of 100,000 rows is ~100 MB: ``body`` writes it to a ``_Deflating``
    stream's ``write``, so a second thread compresses it into the package while the rows are built
    (zlib runs without the GIL), instead of after them from a scratch file."""
    with zipfile.ZipFile(skeleton) as source, zipfile.ZipFile(
            path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        count = 0
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
            with target.open(item.filename, "w", force_zip64=True) as part:
                part.write(head.encode("utf-8"))
                with _Deflating(part.write) as out:
                    count = body(out.write)
                part.write(b"</sheetData>" + tail.encode("utf-8"))
    return count


class _Deflating:
    """A text stream whose writes reach ``sink`` as UTF-8 from a second thread, in chunks
    of about ``CHUNK`` characters, through a short queue; a write of bytes (UTF-8 already: a
    part read back from a file) goes as it is, after what was written before it. An error
    in ``sink`` is raised on the next write here or on leaving the block; leaving the block
    waits for everything written to reach ``sink``."""

    CHUNK = 1 << 18

    def __init__(self, sink: Callable[[bytes], object]) -> None:
        self._sink = sink
        self._parts: list[str] = []
        self._size = 0
        self._queue: queue.Queue[str | bytes | None] = queue.Queue(maxsize=8)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._drain, name="ledger-deflate", daemon=True)

    def __enter__(self) -> "_Deflating":
        self._thread.start()
        return self

    def write(self, text: str | bytes) -> None:
        if isinstance(text, bytes):
            self._send()  # what was written before it goes before it
            self._queue.put(text)
            return
        self._parts.append(text)
        self._size += len(text)
        if self._size >= self.CHUNK:
            self._send()

    def _send(self) -> None:
        if self._error is not None:
            raise self._error
        if self._parts:
            self._queue.put("".join(self._parts))
            self._parts.clear()
            self._size = 0

    def _drain(self) -> None:
        while (chunk := self._queue.get()) is not None:
            if self._error is None:  # after an error, chunks are only taken off the queue
                try:
                    self._sink(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
                except BaseException as error:  # noqa: BLE001 - raised in the writer's thread
                    self._error = error

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            if kind is None:
                self._send()
        finally:
            self._queue.put(None)
            self._thread.join()
        if kind is None and self._error is not None:
            raise self._error
