"""Ledger (台账) export benchmark: where the time goes, and which XLSX writer to use.

    python bench/generate.py --tasks 10000 --db sqlite:///bench/out/10k.db   # once
    python bench/ledger.py bench/out/10k.db [bench/out/100k.db]
    python bench/ledger.py --end-to-end bench/out/100k.db   # ledger.write only, one run

For each database: building the rows (queries + Python, rows kept in a list), then
writing the *same* rows with the same styling (borders, wrap, date format, light fills)
with openpyxl's write-only mode and with XlsxWriter's constant-memory mode (the one
``ledger.write`` uses), the CSV writer, and ``ledger.write`` end to end. CPU seconds
(``time.process_time``) so a loaded machine inflates the figures less; best of RUNS.
"""

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.migrate import ensure_schema
from coordboard.services.board import BoardFilter
from coordboard.services.reports import ledger
from coordboard.services.reports.cells import xlsx_text

RUNS = 2


def best(fn: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(RUNS):
        started = time.process_time()
        result = fn()
        times.append(time.process_time() - started)
    return min(times), result


def openpyxl_write_only(rows: list[ledger.LedgerRow], path: Path) -> None:
    """The same sheet as ``ledger.write_xlsx`` (cells, styles), with openpyxl write-only."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    book = Workbook(write_only=True)
    sheet: Any = book.create_sheet("ledger")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name="宋体", size=10)
    wrap = Alignment(wrap_text=True, vertical="top")
    center = Alignment(horizontal="center", vertical="top")
    fills = {k: PatternFill("solid", fgColor=v[1:]) for k, v in ledger.FILLS.items()}
    light_col = ledger.KEYS.index("light")
    date_cols = {ledger.KEYS.index(k) for k in ledger.DATE_KEYS}

    def cell(value: Any, c: int, row: ledger.LedgerRow) -> Any:
        out = WriteOnlyCell(sheet, value=value)
        out.border, out.font = border, font
        if c in date_cols:
            out.number_format = 'yyyy"年"m"月"d"日"'
            out.alignment = center
        elif c == light_col:
            out.alignment = center
            if row.light in fills:
                out.fill = fills[row.light]
        else:
            out.alignment = wrap
        return out

    sheet.append(["title"])
    sheet.append([t for t in ledger.KEYS])
    for row in rows:
        values = row.values()
        sheet.append([cell(datetime(v.year, v.month, v.day) if c in date_cols and v else
                           (xlsx_text(v) if isinstance(v, str) else v), c, row)
                      for c, v in enumerate(values)])
    book.save(str(path))


def bench(path: str) -> None:
    db = Database.from_url(f"sqlite:///{Path(path).resolve()}")
    ensure_schema(db)
    settings = Settings()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        with db.read() as session:
            build_s, rows = best(lambda s=session: list(ledger.rows(s, settings, BoardFilter())))
        opx_s, _ = best(lambda: openpyxl_write_only(rows, out / "openpyxl.xlsx"))
        xw_s, _ = best(lambda: ledger.write_xlsx(iter(rows), out / "xlsxwriter.xlsx", "title"))
        csv_s, _ = best(lambda: ledger.write_csv(iter(rows), out / "ledger.csv"))
        with db.read() as session:
            end_s, count = best(lambda s=session: ledger.write(s, settings, BoardFilter(),
                                                               out / "ledger.xlsx"))
            wall = time.perf_counter()
            ledger.write(session, settings, BoardFilter(), out / "ledger2.xlsx")
            wall = time.perf_counter() - wall
        size = (out / "ledger.xlsx").stat().st_size / 1e6
    print(f"{Path(path).name}: {count} rows | build rows {build_s:.2f} s | write: openpyxl "
          f"write-only {opx_s:.2f} s, XlsxWriter constant-memory {xw_s:.2f} s "
          f"({xw_s / opx_s:.2f}x), CSV {csv_s:.2f} s | ledger.write end to end {end_s:.2f} s CPU, "
          f"{wall:.2f} s wall, {size:.1f} MB")


def end_to_end(path: str) -> None:
    db = Database.from_url(f"sqlite:///{Path(path).resolve()}")
    ensure_schema(db)
    with tempfile.TemporaryDirectory() as folder, db.read() as session:
        for name in ("ledger.xlsx", "ledger.csv"):
            wall, cpu = time.perf_counter(), time.process_time()
            count = ledger.write(session, Settings(), BoardFilter(), Path(folder) / name)
            print(f"{Path(path).name}: ledger.write {name}: {count} rows, "
                  f"{time.process_time() - cpu:.2f} s CPU, {time.perf_counter() - wall:.2f} s wall")


if __name__ == "__main__":
    if sys.argv[1] == "--end-to-end":
        for database in sys.argv[2:]:
            end_to_end(database)
    else:
        for database in sys.argv[1:]:
            bench(database)
