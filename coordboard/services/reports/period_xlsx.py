"""The monthly / quarterly report's table as an XLSX: real numbers (the rate a fraction with
a percentage format, so it sums and sorts), a title row, and the ledger's print setup
(A4 landscape, one page wide, title and header repeated, page numbers)."""

from pathlib import Path

from coordboard.files import replacing
from coordboard.services.reports.cells import xlsx_text
from coordboard.services.reports.cn import chinese_date
from coordboard.services.reports.period import PeriodReport, header, values
from coordboard.services.reports.sheet_setup import print_setup, title_and_header_formats
from coordboard.services.stored_text import doc_t

WIDTHS = (18, 10, 10, 10, 10, 11, 10, 11, 10)
RATE_COLUMN = 7


def write_xlsx(report: PeriodReport, path: Path) -> None:
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temporary:
        book = xlsxwriter.Workbook(str(temporary), {
            "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
        sheet = book.add_worksheet(doc_t("period.sheet"))
        f_title, f_header, base = title_and_header_formats(book, font_size=11)
        f_sub = book.add_format({"font_name": "宋体", "font_size": 11, "align": "center"})
        f_text = book.add_format({**base, "text_wrap": True})
        f_number = book.add_format({**base, "align": "center", "num_format": "0"})
        f_points = book.add_format({**base, "align": "center", "num_format": "0.0#"})
        f_rate = book.add_format({**base, "align": "center", "num_format": "0.0%"})
        f_none = book.add_format({**base, "align": "center"})
        bold = {"bold": True, "bg_color": "#F2F2F2"}
        f_total = {fmt: book.add_format({**props, **bold}) for fmt, props in (
            ("text", {**base, "text_wrap": True}),
            ("number", {**base, "align": "center", "num_format": "0"}),
            ("rate", {**base, "align": "center", "num_format": "0.0%"}),
            ("none", {**base, "align": "center"}))}

        last = len(WIDTHS) - 1
        for index, width in enumerate(WIDTHS):
            sheet.set_column(index, index, width)
        sheet.set_row(0, 30)
        sheet.merge_range(0, 0, 0, last, xlsx_text(report.title), f_title)
        sheet.merge_range(1, 0, 1, last, doc_t("period.as_of", date=chinese_date(report.as_of)),
                          f_sub)
        sheet.set_row(2, 30)
        sheet.write_row(2, 0, header(), f_header)
        row = 3
        for line in [*report.units, report.total]:
            total = line.is_total
            for c, value in enumerate(values(line)):
                if c == 0:
                    sheet.write_string(row, c, xlsx_text(str(value)),
                                       f_total["text"] if total else f_text)
                elif value is None:
                    sheet.write_string(row, c, "—", f_total["none"] if total else f_none)
                elif c == RATE_COLUMN:
                    sheet.write_number(row, c, value, f_total["rate"] if total else f_rate)
                else:
                    fmt = f_total["number"] if total else (f_points if c == last else f_number)
                    sheet.write_number(row, c, value, fmt)
            row += 1
        sheet.merge_range(row + 1, 0, row + 1, last, doc_t("period.table_note"),
                          book.add_format({"font_name": "宋体", "font_size": 10,
                                           "text_wrap": True, "valign": "top"}))
        sheet.set_row(row + 1, 45)

        print_setup(sheet, header_rows=3, footer=doc_t("period.footer"), freeze=(3, 1))
        book.close()
