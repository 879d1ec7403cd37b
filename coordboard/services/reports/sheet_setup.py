"""What every workbook the office prints shares (ledger, period report, scores): a title
row and a grey header in its styles, and the print setup: A4 landscape, one page wide, the
title and header on every page, page numbers in the footer."""

from typing import Any

CHINESE_DATE = 'yyyy"年"m"月"d"日"'  # a real date cell, shown as a letter writes it


def title_and_header_formats(book: Any, *, font_size: int, valign: str = "vcenter"
                             ) -> tuple[Any, Any, dict[str, Any]]:
    """The title's format, the header's, and the body's base properties (font, border)."""
    base = {"font_name": "宋体", "font_size": font_size, "border": 1, "valign": valign}
    title = book.add_format({"font_name": "黑体", "font_size": 16, "align": "center",
                             "valign": "vcenter"})
    header = book.add_format({**base, "bold": True, "text_wrap": True, "align": "center",
                              "valign": "vcenter", "bg_color": "#D9D9D9"})
    return title, header, base


def print_setup(sheet: Any, *, header_rows: int, footer: str, freeze: tuple[int, int],
                margins: tuple[float, float] = (0.5, 0.7)) -> None:
    """A4 landscape, one page wide, rows 0 to ``header_rows - 1`` on every page, ``footer``
    (Excel's codes, "&P"), panes frozen at ``freeze``; ``margins``: sides, top and bottom."""
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, header_rows - 1)
    sheet.set_margins(left=margins[0], right=margins[0], top=margins[1], bottom=margins[1])
    sheet.set_footer(footer)
    sheet.freeze_panes(*freeze)
    sheet.center_horizontally()
