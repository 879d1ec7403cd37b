"""Ledger (台账) export benchmark: where the time goes, as ratios to floors measured in
the same run (this shared 2-core machine's speed varies several times within minutes).

    python bench/generate.py --tasks 10000 --db sqlite:///bench/out/10k.db   # once
    python bench/ledger.py bench/out/10k.db bench/out/100k.db
    python bench/ledger.py --openpyxl bench/out/10k.db   # also openpyxl write-only (slow)
    python bench/ledger.py --end-to-end bench/out/100k.db   # ledger.write, 3 rounds

For each database, CPU seconds (``time.process_time``), best of RUNS:
- floor "bare query": the ledger's three queries (tasks with their light; units; latest
  reports) executed and fetched, no Python per row;
- floor "XlsxWriter, no logic": XlsxWriter constant-memory ``write_row`` of the same cells
  with one format, nothing computed;
- build rows (``ledger.rows``), write XLSX (``ledger.write_xlsx``, the same rows), CSV;
- ``--end-to-end``: ``ledger.write`` as shipped (a large XLSX in two processes), the XLSX
  in one process and the CSV, alternating (wall seconds: the target is wall time).
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


def bare_query(session: Any, settings: Settings) -> int:
    """The ledger's queries, fetched as tuples with no work per row."""
    from sqlalchemy import func, select

    from coordboard.models import Department, Feedback, Task, TaskUnit
    from coordboard.services import board
    from coordboard.services.lights import LightContext, light_case
    from coordboard.services.workdays import load_calendar

    ctx = LightContext.build(settings, load_calendar(session))
    conn = session.connection()
    where = [*board.where_clauses(BoardFilter(), ctx), Task.status != "draft"]
    tasks = conn.execute(select(Task.id, Task.code, Task.source, Task.title, Task.leader,
                                Task.dispatched_at, Task.deadline, Task.original_deadline,
                                Task.status, Task.closed_at, light_case(ctx))
                         .where(*where).order_by(*board.ordering(BoardFilter(), ctx))).all()
    selected = select(Task.id).where(*where)
    units = conn.execute(select(TaskUnit.task_id, TaskUnit.role, Department.short_name,
                                TaskUnit.part).join(Department)
                         .where(TaskUnit.task_id.in_(selected))).all()
    latest = (select(func.max(Feedback.id)).where(Feedback.task_id.in_(selected))
              .group_by(Feedback.task_id, Feedback.department_id))
    reports = conn.execute(select(Feedback.task_id, Department.short_name, Feedback.body,
                                  Feedback.created_at).join(Department)
                           .where(Feedback.id.in_(latest))).all()
    return len(tasks) + len(units) + len(reports)


def xlsxwriter_bare(rows: list[ledger.LedgerRow], path: Path) -> None:
    """XlsxWriter writing the same cells with one format and no logic at all."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    fmt = book.add_format({"border": 1})
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, [datetime(v.year, v.month, v.day) if hasattr(v, "toordinal")
                               else v for v in row.values()], fmt)
    book.close()


def bench(path: str, with_openpyxl: bool) -> None:
    db = Database.from_url(f"sqlite:///{Path(path).resolve()}")
    ensure_schema(db)
    settings = Settings()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        with db.read() as session:
            query_s, _ = best(lambda s=session: bare_query(s, settings))
            build_s, rows = best(lambda s=session: list(ledger.rows(s, settings, BoardFilter())))
        bare_s, _ = best(lambda: xlsxwriter_bare(rows, out / "bare.xlsx"))
        xw_s, _ = best(lambda: ledger.write_xlsx(iter(rows), out / "ledger-rows.xlsx", "title", len(rows)))
        csv_s, _ = best(lambda: ledger.write_csv(iter(rows), out / "ledger.csv"))
        opx = ""
        if with_openpyxl:
            opx_s, _ = best(lambda: openpyxl_write_only(rows, out / "openpyxl.xlsx"))
            opx = f", openpyxl write-only {opx_s:.2f} s"
        with db.read() as session:
            end_s, count = best(lambda s=session: ledger.write(s, settings, BoardFilter(),
                                                               out / "ledger.xlsx"))
            wall = time.perf_counter()
            ledger.write(session, settings, BoardFilter(), out / "ledger2.xlsx")
            wall = time.perf_counter() - wall
        size = (out / "ledger.xlsx").stat().st_size / 1e6
    floor = query_s + bare_s
    print(f"{Path(path).name}: {count} rows | floors: bare query {query_s:.2f} s, XlsxWriter "
          f"no logic {bare_s:.2f} s | build rows {build_s:.2f} s ({build_s / query_s:.1f}x "
          f"the query) | write XLSX {xw_s:.2f} s ({xw_s / bare_s:.2f}x XlsxWriter){opx} | "
          f"CSV {csv_s:.2f} s | ledger.write end to end {end_s:.2f} s CPU "
          f"({end_s / floor:.2f}x the sum of floors), {wall:.2f} s wall, {size:.1f} MB")


def end_to_end(path: str, rounds: int = 3) -> None:
    """``ledger.write`` as a user runs it (XLSX in two processes when large), beside the
    same XLSX in one process and the CSV, alternating, ``rounds`` times; wall seconds."""
    from coordboard.services.reports import ledger_parts

    db = Database.from_url(f"sqlite:///{Path(path).resolve()}")
    ensure_schema(db)
    two_from = ledger_parts.FROM_ROWS
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(rounds):
            for name, label, from_rows in (("ledger.xlsx", "XLSX, one process", 10**12),
                                           ("ledger.xlsx", "XLSX (as shipped)", two_from),
                                           ("ledger.csv", "CSV", two_from)):
                ledger_parts.FROM_ROWS = from_rows
                wall, cpu = time.perf_counter(), time.process_time()
                with db.read() as session:
                    count = ledger.write(session, Settings(), BoardFilter(), Path(folder) / name)
                print(f"{Path(path).name}: ledger.write {label}: {count} rows, "
                      f"{time.perf_counter() - wall:.2f} s wall, "
                      f"{time.process_time() - cpu:.2f} s CPU in this process", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "--end-to-end":
        for database in sys.argv[2:]:
            end_to_end(database)
    else:
        names = [arg for arg in sys.argv[1:] if arg != "--openpyxl"]
        for database in names:
            bench(database, "--openpyxl" in sys.argv)
