"""The office's ledger as the importer reads it: the file (XLSX, XLS, ODS or CSV), its header
row found among the first rows by the names offices give their columns, and each cell's
text, date, source and units understood as a clerk wrote them. ``importer`` plans and
writes the tasks.
"""

import csv
import difflib
import hashlib
import io
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from coordboard.enums import TaskSource
from coordboard.errors import DomainError
from coordboard.files import failure_reason
from coordboard.i18n import CATALOGUES
from coordboard.models import Department

# Column → the headers offices use for it (first rows of the sheet, a title row may come first).
HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号"),
    "title": ("督办事项", "工作任务", "事项名称"),
    "lead": ("牵头单位", "责任单位", "主办单位"),
    "support": ("配合单位", "协办单位"),
    "deadline": ("完成时限", "办结时限"),
    "leader": ("责任领导", "分管领导"),
    "progress": ("办理进展",),
    "source": ("事项来源", "来源"),
    # 领导批示 (services/sources.py): who, when and what
    "instruction_by": ("批示领导",),
    "instruction_date": ("批示日期", "批示时间"),
    "instruction_text": ("批示内容", "批示意见"),
}
REQUIRED = ("number", "title", "lead", "deadline")
HEADER_SCAN_ROWS = 10
UNIT_SPLIT = re.compile(r"[、,，;；/\n]+")
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
# What offices write in 事项来源 besides the names in the catalogues.
SOURCE_WORDS = {"会议": "meeting", "会议纪要": "meeting", "会议决定": "meeting",
                "信访": "complaint", "群众来信": "complaint", "群众反映": "complaint",
                "上级交办件": "superior", "上级部署": "superior", "领导交办": "instruction",
                "批示": "instruction", "人大建议": "deputies", "政协提案": "deputies",
                "人大代表建议": "deputies", "政协委员提案": "deputies", "年度报告": "annual_report",
                "工作要点": "annual_report", "专项检查": "inspection", "": "other"}




class LedgerError(DomainError):
    """The file as a whole cannot be read (not a row error)."""

    key = "error.import_unreadable"


# ---------------------------------------------------------------- reading


def read_rows(path: Path) -> list[tuple[int, list[Any]]]:
    """(spreadsheet row number, cell values) of the first sheet or the CSV file."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise LedgerError("error.import_missing", path=str(path))
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        return _read_workbook(path)
    raise LedgerError("error.import_kind", path=str(path))


def _read_csv(path: Path) -> list[tuple[int, list[Any]]]:
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        content = raw[3:].decode("utf-8", errors="strict")
    else:
        try:
            content = raw.decode("utf-8")
        except UnicodeDecodeError:
            try:  # what Excel on a Chinese Windows saves as "CSV"
                content = raw.decode("gb18030")
            except UnicodeDecodeError:
                raise LedgerError("error.import_encoding", path=str(path)) from None
    reader = csv.reader(io.StringIO(content, newline=""))
    rows = []
    try:  # numbered as Excel shows them: one record, one row
        for number, record in enumerate(reader, start=1):
            rows.append((number, list(record)))
    except csv.Error:  # its words ("line contains NUL") are English: the line is said instead
        raise LedgerError("error.import_csv_line", path=str(path), row=reader.line_num) from None
    return rows


def _read_workbook(path: Path) -> list[tuple[int, list[Any]]]:
    # python-calamine, not openpyxl: 0.15 s instead of 3.0 s of CPU for 10,000 rows. Read
    # by what the file holds, not by its name: clerks rename .xlsx to .xls and back.
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        with path.open("rb") as file:
            sheet = CalamineWorkbook.from_filelike(file).get_sheet_by_index(0)
            rows = sheet.to_python(skip_empty_area=False)
    except OSError as exc:
        raise LedgerError("error.import_unreadable", path=str(path),
                          detail=failure_reason(exc, reading=True)) from None
    except (CalamineError, ValueError):
        # The reader's own words ("invalid Zip archive: Could not find EOCD") tell a clerk
        # nothing: what can be done is said instead.
        raise LedgerError("error.import_not_workbook", path=str(path)) from None
    return [(number, list(values)) for number, values in enumerate(rows, start=1)]


# ---------------------------------------------------------------- cells


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value)


def _header_key(cell: Any) -> str:
    return re.sub(r"\s+", "", cell_text(cell))


def find_header(rows: list[tuple[int, list[Any]]]) -> tuple[int, dict[str, int], dict[str, str]]:
    """Index of the header row in ``rows``, column → cell index, column → header text."""
    for index, (_number, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        names: dict[str, str] = {}
        for position, cell in enumerate(cells):
            text = _header_key(cell)
            for column, synonyms in HEADERS.items():
                if column not in columns and any(text.startswith(s) for s in synonyms):
                    columns[column], names[column] = position, text
        if "title" in columns and len(columns) >= 2:
            return index, columns, names
    return -1, {}, {}


def parse_deadline(value: Any) -> date | None:
    """An Excel date, an Excel serial number, or 2026-12-31 / 2026/12/31 / 2026年12月31日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # 1954 … 2119 as Excel day numbers
            from openpyxl.utils.datetime import from_excel

            converted = from_excel(value)
            return converted.date() if isinstance(converted, datetime) else None
        return None
    match = DATE_TEXT.match(cell_text(value).strip())
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def ledger_ref(file_name: str, number: str) -> str:
    digest = hashlib.sha256(f"{file_name}\x00{number}".encode()).hexdigest()
    return f"ledger:{digest[:40]}"


def source_names() -> dict[str, str]:
    words = dict(SOURCE_WORDS)
    for source in TaskSource:
        words[source.value] = source.value
        for catalogue in CATALOGUES.values():
            words[catalogue[f"source.{source}"]] = source.value
    return words


class UnitNames:
    """Unit names → department ids, with near-miss suggestions (司法所 → 镇司法所)."""

    def __init__(self, session: Session) -> None:
        rows = session.exec(select(Department.name, Department.short_name, Department.id)
                            .where(col(Department.active))).all()
        self.ids: dict[str, int] = {}
        for name, short_name, department_id in rows:
            self.ids[name] = department_id or 0
            self.ids.setdefault(short_name, department_id or 0)
        self.names = [name for name, _short, _id in rows]
        self.by_id = {department_id or 0: name for name, _short, department_id in rows}

    def suggest(self, name: str) -> list[str]:
        near = [n for n in self.names if name in n or n in name]
        near += difflib.get_close_matches(name, self.names, n=3, cutoff=0.5)
        return list(dict.fromkeys(near))[:3]
