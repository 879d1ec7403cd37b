"""The ledger (督办台账): every task the board's filter selects, as a printable XLSX
(or a CSV Excel opens on a Chinese Windows PC).

Rows are streamed: one ordered query of plain task columns (the light computed by the
board's SQL rule) read in chunks, and per chunk one query for the units (lead, supporters,
each unit's part), one for each unit's latest report and one for extended deadlines.

The XLSX is written with XlsxWriter in constant-memory mode: measured on the real
ledger it is faster than openpyxl's write-only mode (docs/performance.md); openpyxl
stays for reading. The sheet is what an office prints: a title row, 序号, real Excel
dates, a styled header, A4 landscape one page wide, header rows repeated, page numbers.
Like every official document it is written in the document language (Chinese), whatever
the interface language of whoever exports it.
"""

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from coordboard import clock
from coordboard.config import Settings
from coordboard.enums import Light, TaskStatus, UnitRole
from coordboard.files import replacing
from coordboard.models import Department, Feedback, Task, TaskUnit
from coordboard.safe_text import for_xml
from coordboard.services import board
from coordboard.services.lights import LightContext, light_case
from coordboard.services.permissions import Actor, authorize
from coordboard.services.reports import on_time
from coordboard.services.reports.cells import xlsx_text
from coordboard.services.reports.cn import chinese_date
from coordboard.services.stored_text import doc_t
from coordboard.services.workdays import load_calendar

CHUNK = 1000
# (key, column width in Excel characters; a Chinese character takes about two)
COLUMNS = (
    ("index", 5), ("code", 13), ("source", 9), ("title", 30), ("lead", 14), ("supporters", 22),
    ("leader", 9), ("assigned", 12), ("deadline", 12), ("workdays", 11), ("light", 6),
    ("status", 9), ("progress", 40), ("closed", 12), ("on_time", 7), ("remark", 16),
)
KEYS = [key for key, _ in COLUMNS]
DATE_KEYS = ("assigned", "deadline", "closed")
FILLS = {"red": "#FFC7CE", "yellow": "#FFEB9C", "green": "#C6EFCE"}


@dataclass(frozen=True)
class LedgerRow:
    index: int
    code: str
    source: str
    title: str
    lead: str
    supporters: str
    leader: str
    assigned: date | None
    deadline: date
    workdays: str
    light: str  # red / yellow / green / none
    status: str
    feedback: str
    closed: date | None
    on_time: str  # 是 / 否 / "" while open
    remark: str

    def light_text(self) -> str:
        return doc_t(f"light.{self.light}") if self.light != Light.NONE.value else "—"

    def values(self) -> list[Any]:
        """In column order: dates as dates, everything else as text."""
        return [self.index, self.code, self.source, self.title, self.lead, self.supporters,
                self.leader, self.assigned, self.deadline, self.workdays, self.light_text(),
                self.status, self.feedback, self.closed, self.on_time, self.remark]


def _unit_line(name: str, part: str) -> str:
    return doc_t("ledger.unit_part", unit=name, part=part) if part.strip() else name


def _units(session: Session, task_ids: list[int]) -> tuple[dict[int, str], dict[int, list[str]]]:
    """Per task: the lead unit with its part, and each supporting unit with its part."""
    leads: dict[int, str] = {}
    supporters: dict[int, list[str]] = defaultdict(list)
    for task_id, role, name, part in session.exec(
            select(TaskUnit.task_id, TaskUnit.role, Department.short_name, TaskUnit.part)
            .join(Department, col(Department.id) == TaskUnit.department_id)
            .where(col(TaskUnit.task_id).in_(task_ids))
            .order_by(col(TaskUnit.task_id), col(TaskUnit.id))).all():
        if role == UnitRole.LEAD:
            leads[task_id] = _unit_line(name, part or "")
        elif role == UnitRole.SUPPORT:
            supporters[task_id].append(_unit_line(name, part or ""))
    return leads, supporters


def _latest_feedback(session: Session, task_ids: list[int], zone: ZoneInfo) -> dict[int, str]:
    latest = (select(func.max(Feedback.id)).where(col(Feedback.task_id).in_(task_ids))
              .group_by(col(Feedback.task_id), col(Feedback.department_id)))
    lines: dict[int, list[str]] = defaultdict(list)
    for task_id, unit, body, created in session.exec(
            select(Feedback.task_id, Department.short_name, Feedback.body, Feedback.created_at)
            .join(Department, col(Department.id) == Feedback.department_id)
            .where(col(Feedback.id).in_(latest))
            .order_by(col(Feedback.task_id), col(Feedback.created_at).desc())).all():
        day = created.astimezone(zone)  # plain zoneinfo: one per row, fast
        lines[task_id].append(doc_t("ledger.feedback_line", unit=unit, date=f"{day.month}月{day.day}日",
                                body=body))
    return {task_id: "\n".join(parts) for task_id, parts in lines.items()}


def rows(session: Session, settings: Settings, flt: board.BoardFilter, *,
         include_drafts: bool = False) -> Iterator[LedgerRow]:
    """Plain columns, the light from the board's SQL rule, streamed in chunks: no ORM
    objects and no per-row light reasons, which the ledger does not print. Drafts (not
    yet dispatched, so not yet anyone's work) are left out unless asked for."""
    ctx = LightContext.build(settings, load_calendar(session))
    zone = ZoneInfo(settings.timezone)
    lead = select(Department.short_name).where(
        Department.id == Task.lead_department_id).scalar_subquery()
    columns = (col(Task.id), col(Task.code), col(Task.source), col(Task.title),
               lead.label("lead"), col(Task.leader), col(Task.dispatched_at), col(Task.deadline),
               col(Task.original_deadline), col(Task.status), col(Task.closed_at),
               col(Task.closure_requested_on), light_case(ctx).label("light"))
    where = list(board.where_clauses(flt, ctx))
    if not include_drafts:
        where.append(col(Task.status) != TaskStatus.DRAFT)
    result = session.execute(  # sqlmodel's select types at most four columns
        sql_select(*columns).where(*where).order_by(*board.ordering(flt, ctx))
        .execution_options(yield_per=CHUNK))
    yes, no, index = doc_t("ledger.yes"), doc_t("ledger.no"), 0
    for chunk in result.partitions():
        ids = [row.id for row in chunk]
        leads, supporters = _units(session, ids)
        feedback = _latest_feedback(session, ids, zone)
        due = on_time.due_dates(session, {row.id: row for row in chunk if row.closed_at}, zone)
        for row in chunk:
            index += 1
            if row.light == Light.NONE.value:
                workdays = "—"
            else:
                left = ctx.calendar.workdays_between(ctx.today, row.deadline)
                workdays = (doc_t("ledger.overdue", days=-left) if left < 0
                            else doc_t("ledger.left", days=left))
            closed = row.closed_at.astimezone(zone).date() if row.closed_at else None
            verdict = ""
            if closed is not None:
                verdict = yes if on_time.closed_on_time(row, due[row.id]) else no
            remarks = [doc_t("ledger.remark_extended", date=chinese_date(row.original_deadline))
                       ] if row.deadline != row.original_deadline else []
            # A deadline in a year without the State Council's schedule: its working days
            # are estimated, and the printed ledger says so (issue 11 rule 5).
            remarks += [doc_t("ledger.remark_estimated", year=year)
                        for year in ctx.calendar.unofficial_years([row.deadline])]
            remark = doc_t("tui.semicolon").join(remarks)
            yield LedgerRow(
                index=index, code=row.code, source=doc_t(f"source.{row.source}"), title=row.title,
                lead=leads.get(row.id, row.lead or ""),
                supporters="\n".join(supporters.get(row.id, ())), leader=row.leader,
                assigned=row.dispatched_at.astimezone(zone).date() if row.dispatched_at else None,
                deadline=row.deadline, workdays=workdays, light=str(row.light),
                status=doc_t(f"status.{row.status}"),
                feedback=feedback.get(row.id, doc_t("ledger.no_feedback")), closed=closed,
                on_time=verdict, remark=remark)


def title(settings: Settings, as_of: date) -> str:
    return doc_t("ledger.title", town=settings.town_name, date=chinese_date(as_of)).strip()


def write(session: Session, settings: Settings, flt: board.BoardFilter, path: Path, *,
          include_drafts: bool = False, actor: Actor | None = None) -> int:
    """Write the ledger to ``path`` (``.xlsx``, or ``.csv``); returns the number of task
    rows. The file is replaced atomically: a failure keeps the previous one.

    ``actor``: the user asking (front ends pass it; None only for the service's own calls)."""
    if actor is not None:
        authorize(actor, "view")
    stream = rows(session, settings, flt, include_drafts=include_drafts)
    heading = title(settings, clock.today(settings.timezone))
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temporary:
        if path.suffix.lower() == ".csv":
            return write_csv(stream, temporary)
        return write_xlsx(stream, temporary, heading)


# --- writers ----------------------------------------------------------------------------


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()  # Excel reads YYYY-MM-DD as a date
    text = for_xml(str(value))
    # A cell starting like a formula is quoted, so opening the CSV never runs one.
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(stream: Iterator[LedgerRow], path: Path) -> int:
    """UTF-8 with a BOM, so Excel on a Chinese Windows PC reads it as UTF-8, not GBK."""
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow([doc_t(f"ledger.col.{key}") for key in KEYS])
        for row in stream:
            out.writerow([_csv_text(v) for v in row.values()])
            count += 1
    return count


def write_xlsx(stream: Iterator[LedgerRow], path: Path, heading: str) -> int:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
        "strings_to_urls": False, "default_date_format": "yyyy-mm-dd"})
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
               for name, rgb in FILLS.items()}

    last = len(COLUMNS) - 1
    for index, (_, width) in enumerate(COLUMNS):
        sheet.set_column(index, index, width)
    sheet.set_row(0, 30)
    sheet.merge_range(0, 0, 0, last, xlsx_text(heading), f_title)
    sheet.set_row(1, 30)
    for index, key in enumerate(KEYS):
        sheet.write_string(1, index, doc_t(f"ledger.col.{key}"), f_header)

    # Print setup: A4 landscape, one page wide, title and header on every page, page numbers.
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, 1)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer(doc_t("ledger.footer"))
    sheet.freeze_panes(2, 2)
    sheet.center_horizontally()

    light_col, index_col, date_cols = KEYS.index("light"), KEYS.index("index"), {
        KEYS.index(key) for key in DATE_KEYS}
    centered = {KEYS.index(k) for k in ("code", "source", "status", "on_time", "workdays")}
    count, r = 0, 2
    for row in stream:
        for c, value in enumerate(row.values()):
            if c == index_col:
                sheet.write_number(r, c, value, f_center)
            elif c in date_cols:
                if value is None:
                    sheet.write_blank(r, c, None, f_date)
                else:
                    sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), f_date)
            elif c == light_col:
                sheet.write_string(r, c, value, f_light.get(row.light, f_center))
            elif value:
                sheet.write_string(r, c, xlsx_text(value), f_center if c in centered else f_text)
            else:  # an empty cell, still bordered
                sheet.write_blank(r, c, None, f_center if c in centered else f_text)
        r += 1
        count += 1
    sheet.autofilter(1, 0, max(1, r - 1), last)
    book.close()
    return count
