"""The ledger (台账): every task the board's filter selects, as an XLSX workbook.

Rows are streamed: one ordered query of plain task columns (the light computed
by the board's SQL rule) read in chunks, two more queries a chunk for the
supporting units and each unit's latest report, written with openpyxl's
write-only worksheet so memory stays flat.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from coordboard.config import Settings
from coordboard.enums import Light, UnitRole
from coordboard.files import replacing
from coordboard.i18n import t
from coordboard.models import Department, Feedback, Task, TaskUnit
from coordboard.services import board
from coordboard.services.lights import LightContext, light_case
from coordboard.services.reports.cells import xlsx_text
from coordboard.services.workdays import load_calendar
from coordboard.textwidth import display_width

CHUNK = 1000
COLUMNS = (  # (key, width cap in characters)
    ("code", 14), ("title", 44), ("lead", 14), ("supporters", 28), ("leader", 10),
    ("deadline", 12), ("workdays", 12), ("light", 8), ("status", 12), ("feedback", 60),
)
FILLS = {"red": "FFC7CE", "yellow": "FFEB9C", "green": "C6EFCE"}


@dataclass(frozen=True)
class LedgerRow:
    code: str
    title: str
    lead: str
    supporters: str
    leader: str
    deadline: str
    workdays: str
    light: str  # red / yellow / green / none
    status: str
    feedback: str

    def cells(self) -> list[str]:
        return [self.code, self.title, self.lead, self.supporters, self.leader, self.deadline,
                self.workdays, t(f"light.{self.light}") if self.light != "none" else "—",
                self.status, self.feedback]


def _supporters(session: Session, task_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    for task_id, name in session.exec(
            select(TaskUnit.task_id, Department.short_name)
            .join(Department, col(Department.id) == TaskUnit.department_id)
            .where(col(TaskUnit.task_id).in_(task_ids), TaskUnit.role == UnitRole.SUPPORT)
            .order_by(col(TaskUnit.task_id), col(TaskUnit.id))).all():
        names[task_id].append(name)
    return names


def _latest_feedback(session: Session, task_ids: list[int], zone: ZoneInfo) -> dict[int, str]:
    latest = (select(func.max(Feedback.id)).where(col(Feedback.task_id).in_(task_ids))
              .group_by(col(Feedback.task_id), col(Feedback.department_id)))
    lines: dict[int, list[str]] = defaultdict(list)
    for task_id, unit, body, created in session.exec(
            select(Feedback.task_id, Department.short_name, Feedback.body, Feedback.created_at)
            .join(Department, col(Department.id) == Feedback.department_id)
            .where(col(Feedback.id).in_(latest))
            .order_by(col(Feedback.task_id), col(Feedback.created_at).desc())).all():
        day = created.astimezone(zone).strftime("%m-%d")  # plain zoneinfo: one per row, fast
        lines[task_id].append(t("ledger.feedback_line", unit=unit, date=day, body=body))
    return {task_id: "\n".join(parts) for task_id, parts in lines.items()}


def rows(session: Session, settings: Settings, flt: board.BoardFilter) -> Iterator[LedgerRow]:
    """Plain columns, the light from the board's SQL rule, streamed in chunks: no ORM
    objects and no per-row light reasons, which the ledger does not print."""
    ctx = LightContext.build(settings, load_calendar(session))
    zone = ZoneInfo(settings.timezone)
    lead = select(Department.short_name).where(
        Department.id == Task.lead_department_id).scalar_subquery()
    columns = (col(Task.id), col(Task.code), col(Task.title), lead, col(Task.leader),
               col(Task.deadline), col(Task.status), light_case(ctx))
    result = session.execute(  # sqlmodel's select types at most four columns
        sql_select(*columns)
        .where(*board.where_clauses(flt, ctx)).order_by(*board.ordering(flt, ctx))
        .execution_options(yield_per=CHUNK))
    for chunk in result.partitions():
        ids = [row[0] for row in chunk]
        supporters = _supporters(session, ids)
        feedback = _latest_feedback(session, ids, zone)
        for task_id, code, title, lead_name, leader, deadline, status, light in chunk:
            if light == Light.NONE.value:
                workdays = "—"
            else:
                left = ctx.calendar.workdays_between(ctx.today, deadline)
                workdays = t("ledger.overdue", days=-left) if left < 0 else t("ledger.left", days=left)
            yield LedgerRow(
                code=code, title=title, lead=lead_name or "",
                supporters="、".join(supporters.get(task_id, ())), leader=leader,
                deadline=deadline.isoformat(), workdays=workdays, light=str(light),
                status=t(f"status.{status}"),
                feedback=feedback.get(task_id, t("ledger.no_feedback")))


def write(session: Session, settings: Settings, flt: board.BoardFilter, path: Path) -> int:
    """Write the ledger to ``path``; returns the number of task rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    stream = rows(session, settings, flt)
    # Widths that fit Chinese text: measured on the first rows, capped per column.
    head: list[LedgerRow] = []
    for row in stream:
        head.append(row)
        if len(head) >= 200:
            break
    headers = [t(f"ledger.col.{key}") for key, _ in COLUMNS]
    widths = [display_width(h) for h in headers]
    for row in head:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row.cells(), strict=True)]

    workbook = Workbook(write_only=True)
    sheet: Any = workbook.create_sheet(t("ledger.sheet"))
    for index, ((_, cap), width) in enumerate(zip(COLUMNS, widths, strict=True)):
        letter = chr(ord("A") + index)
        sheet.column_dimensions[letter].width = min(width, cap * 2) + 2
    sheet.freeze_panes = "A2"
    bold, fills = Font(bold=True), {name: PatternFill("solid", fgColor=rgb) for name, rgb in FILLS.items()}
    wrap = Alignment(wrap_text=True, vertical="top")

    def text_cell(text: str) -> Any:
        """The one way user text enters the sheet: XML-safe, and text even when it starts
        with "=" (openpyxl would write a formula)."""
        text = xlsx_text(text)
        if not text.startswith("="):
            return text
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell

    def header_cell(text: str) -> Any:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        return cell

    sheet.append([header_cell(h) for h in headers])
    count = 0
    light_index = [key for key, _ in COLUMNS].index("light")
    feedback_index = [key for key, _ in COLUMNS].index("feedback")

    def emit(row: LedgerRow) -> None:
        values: list[Any] = [text_cell(v) for v in row.cells()]
        light = WriteOnlyCell(sheet, value=xlsx_text(row.cells()[light_index]))
        if row.light in fills:
            light.fill = fills[row.light]
        values[light_index] = light
        if "\n" in row.feedback:
            feedback = WriteOnlyCell(sheet, value=xlsx_text(row.feedback))
            feedback.data_type = "s"
            feedback.alignment = wrap
            values[feedback_index] = feedback
        sheet.append(values)

    for row in head:
        emit(row)
        count += 1
    for row in stream:
        emit(row)
        count += 1
    last = chr(ord("A") + len(COLUMNS) - 1)
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temporary:
        workbook.save(str(temporary))
    return count
