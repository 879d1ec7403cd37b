"""The supervision notice (督办通知单): one per task (一事一单), sent to its units.

The office's header (its name in red above a red line), the notice's title, then a form:
number, source, the task and its requirement, the lead and supporting units with each
unit's part, the responsible leader, dates, a 签收 (receipt) row per unit, and the
office's contact. Same page, fonts and helpers as the bulletin (GB/T 9704).
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select

from coordboard import clock
from coordboard.config import Settings
from coordboard.enums import UnitRole
from coordboard.files import replacing
from coordboard.models import Department, TaskUnit
from coordboard.services import leaders
from coordboard.services.permissions import Actor, authorize
from coordboard.services.progress import note_text
from coordboard.services.reports import bulletin_docx as gb
from coordboard.services.reports.cells import doc_text
from coordboard.services.reports.cn import chinese_date, inner_quotes
from coordboard.services.stored_text import DOCUMENT_LANGUAGE, doc_t
from coordboard.services.tasks import description_text, task_by_code


@dataclass(frozen=True)
class NoticeUnit:
    name: str
    lead: bool
    part: str


@dataclass(frozen=True)
class Notice:
    office: str
    code: str
    source: str
    title: str
    requirement: str
    leader: str
    assigned: date | None
    deadline: date
    units: list[NoticeUnit]
    contact: str
    issued: date
    # 领导批示: who and when ("王镇长（2026年11月20日）") and the words; "" for other sources.
    instruction_by: str = ""
    instruction_text: str = ""


def build(session: Session, settings: Settings, code: str, *,
          actor: Actor | None = None) -> Notice:
    """``actor``: the user asking (None only for the service's own calls)."""
    if actor is not None:
        authorize(actor, "view")
    task = task_by_code(session, code)
    units = [NoticeUnit(name=name, lead=role == UnitRole.LEAD, part=part or "")
             for name, role, part in session.exec(
                 select(Department.short_name, TaskUnit.role, TaskUnit.part)
                 .join(Department, col(Department.id) == TaskUnit.department_id)
                 .where(TaskUnit.task_id == task.id)
                 .order_by(col(TaskUnit.role).desc(), col(TaskUnit.id))).all()]
    units.sort(key=lambda u: not u.lead)  # the lead unit first
    assigned = (clock.local(task.dispatched_at, settings.timezone).date()
                if task.dispatched_at else None)
    return Notice(office=settings.office_name, code=task.code,
                  source=doc_t(f"source.{task.source}"), title=task.title,
                  requirement=description_text(task, DOCUMENT_LANGUAGE),
                  leader=leaders.describe(session, task)[0],
                  assigned=assigned,
                  deadline=task.deadline, units=units, contact=settings.notice_contact,
                  issued=clock.today(settings.timezone),
                  instruction_by=_instruction_by(task.instruction_by, task.instruction_date),
                  instruction_text=task.instruction_text)


def _instruction_by(by: str, on: date | None) -> str:
    if not on:
        return by
    return doc_t("notice.instruction_line", by=by, date=chinese_date(on)) if by else chinese_date(on)


# The label column holds 配合单位及分工 (7 characters at 14 pt) on one line; the notice
# fits one page with five units (a sample: docs/samples/notice.png).
LABEL_MM, VALUE_MM = 41, gb.TEXT_WIDTH_MM - 41


def _cell(cell: Any, text: str, *, label: bool, width_mm: float) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    cell.width = Mm(width_mm)
    lines = text.split("\n") or [""]
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.first_line_indent, fmt.space_before, fmt.space_after = Pt(0), Pt(1), Pt(1)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if label:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        gb._run(paragraph, line, gb.H1_FONT if label else gb.BODY_FONT, gb.NUMBER_PT)


def to_docx(n: Notice, path: Path) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml.ns import qn

    doc = gb.new_document(doc_text(f"{doc_t('report.notice')} {n.code}"), doc_text(n.office))
    gb._declare_fonts(doc)
    head = gb._paragraph(doc, indent=False, align="CENTER", exact=False)
    gb._run(head, n.office, gb.TITLE_FONT, gb.MASTHEAD_PT - 8, color=gb.RED)
    line = gb._paragraph(doc, indent=False)
    gb._border(line, "bottom", gb.RED, 12)
    gb._paragraph(doc, doc_t("notice.title"), indent=False, align="CENTER",
                  east_asia=gb.TITLE_FONT, size=gb.TITLE_PT)
    gb._paragraph(doc, doc_t("notice.number", code=n.code), indent=False, align="RIGHT")

    def date_text(day: date | None) -> str:
        return chinese_date(day) if day else "—"

    lead = [u for u in n.units if u.lead]
    supporters = [u for u in n.units if not u.lead]

    def unit_line(u: NoticeUnit) -> str:
        return doc_t("notice.unit_part", unit=u.name, part=u.part) if u.part.strip() else u.name

    rows = [
        (doc_t("notice.source"), n.source),
        *([(doc_t("notice.instruction_by"), n.instruction_by)] if n.instruction_by else []),
        *([(doc_t("notice.instruction_text"), n.instruction_text)] if n.instruction_text else []),
        (doc_t("notice.task"), n.title),
        (doc_t("notice.requirement"), n.requirement or doc_t("notice.requirement_default")),
        (doc_t("notice.lead"), "\n".join(unit_line(u) for u in lead) or "—"),
        (doc_t("notice.supporters"), "\n".join(unit_line(u) for u in supporters) or "—"),
        (doc_t("notice.leader"), n.leader or "—"),
        # Printed before dispatch, the day is filled in by hand when it is sent.
        (doc_t("notice.assigned"), date_text(n.assigned) if n.assigned
         else doc_t("notice.date_blank")),
        (doc_t("notice.deadline"), date_text(n.deadline)),
    ]
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table._tbl.tblPr.append(gb._element("w:tblLayout", type="fixed"))
    for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), (LABEL_MM, VALUE_MM),
                               strict=True):
        grid_col.set(qn("w:w"), str(round(width * 1440 / 25.4)))
    for label, value in rows:
        cells = table.add_row().cells
        _cell(cells[0], label, label=True, width_mm=LABEL_MM)
        _cell(cells[1], value, label=False, width_mm=VALUE_MM)
    for unit in n.units:  # one receipt row per unit: who signed, and when
        cells = table.add_row().cells
        _cell(cells[0], doc_t("notice.receipt"), label=True, width_mm=LABEL_MM)
        _cell(cells[1], doc_t("notice.receipt_line", unit=unit.name), label=False,
              width_mm=VALUE_MM)
    cells = table.add_row().cells
    _cell(cells[0], doc_t("notice.contact"), label=True, width_mm=LABEL_MM)
    _cell(cells[1], n.contact or "—", label=False, width_mm=VALUE_MM)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(gb._element("w:cantSplit"))

    from docx.shared import Pt

    gb._paragraph(doc, doc_t("notice.ask")).paragraph_format.space_before = Pt(10)
    gb._paragraph(doc, indent=False)
    gb._paragraph(doc, n.office, indent=False, align="RIGHT")
    gb._paragraph(doc, chinese_date(n.issued), indent=False, align="RIGHT")
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temporary:
        doc.save(str(temporary))


# --- urges (催办通知单) and supervision letters (督办函) ---------------------------------------


@dataclass(frozen=True)
class UrgeLetter:
    office: str
    kind: str  # urge or letter
    number: str
    addressees: list[str]
    code: str
    title: str
    deadline: date
    body: str
    respond_by: date | None
    issued: date


def build_urge(session: Session, settings: Settings, code: str,
               note_id: int | None = None, *, actor: Actor | None = None) -> UrgeLetter:
    """The latest urge or supervision letter of task ``code`` (or note ``note_id`` of it)."""
    if actor is not None:
        authorize(actor, "view")
    from coordboard.enums import NoteKind
    from coordboard.errors import NotFoundError, ValidationError
    from coordboard.i18n import t
    from coordboard.models import SupervisionNote

    task = task_by_code(session, code)
    query = select(SupervisionNote).where(SupervisionNote.task_id == task.id)
    if note_id is None:
        query = query.where(col(SupervisionNote.kind).in_([NoteKind.URGE, NoteKind.LETTER]))
    else:
        query = query.where(SupervisionNote.id == note_id)
    note = session.exec(query.order_by(col(SupervisionNote.created_at).desc(),
                                       col(SupervisionNote.id).desc())).first()
    if note is None and note_id is not None:
        raise NotFoundError("notice.error.no_note", code=task.code, note=note_id)
    if note is None:
        raise NotFoundError("notice.error.no_urge", code=task.code)
    if note.kind not in (NoteKind.URGE, NoteKind.LETTER):  # asked by its number
        raise ValidationError("notice.error.not_urge", code=task.code, note=note_id,
                              kind=t(f"note.{note.kind}"))
    if note.department_id is not None:
        units = [session.get(Department, note.department_id)]
        addressees = [u.short_name for u in units if u is not None]
    else:
        rows = session.exec(
            select(Department.short_name, TaskUnit.role)
            .join(Department, col(Department.id) == TaskUnit.department_id)
            .where(TaskUnit.task_id == task.id).order_by(col(TaskUnit.id))).all()
        addressees = [name for name, role in sorted(rows, key=lambda r: r[1] != UnitRole.LEAD)]
    issued = clock.local(note.created_at, settings.timezone).date()
    return UrgeLetter(office=settings.office_name, kind=note.kind,
                      number=doc_t(f"notice.{note.kind}.number", year=issued.year,
                                   n=_place_in_year(session, note, issued.year,
                                                    settings.timezone)),
                      addressees=addressees, code=task.code, title=task.title,
                      deadline=task.deadline, body=note_text(note, DOCUMENT_LANGUAGE),
                      respond_by=note.respond_by,
                      issued=issued)


def _place_in_year(session: Session, note: Any, year: int, timezone: str) -> int:
    """The note's number as the office counts: 督办函〔2026〕1号 is the year's first
    supervision letter (by the office's calendar), whatever other notes were written
    between them. Notes are never deleted, so a letter keeps its number."""
    from coordboard.models import SupervisionNote
    from coordboard.services.rules import day_start

    return session.exec(select(func.count()).select_from(SupervisionNote).where(
        SupervisionNote.kind == note.kind,
        col(SupervisionNote.created_at) >= day_start(date(year, 1, 1), timezone),
        col(SupervisionNote.created_at) < day_start(date(year + 1, 1, 1), timezone),
        col(SupervisionNote.id) <= note.id)).one()


def urge_to_docx(u: UrgeLetter, path: Path) -> None:
    doc = gb.new_document(doc_text(f"{u.number} {u.code}"), doc_text(u.office))
    gb._declare_fonts(doc)
    head = gb._paragraph(doc, indent=False, align="CENTER", exact=False)
    gb._run(head, u.office, gb.TITLE_FONT, gb.MASTHEAD_PT - 8, color=gb.RED)
    line = gb._paragraph(doc, u.number, indent=False, align="CENTER")
    gb._border(line, "bottom", gb.RED, 12)
    gb._paragraph(doc, indent=False)
    gb._paragraph(doc, doc_t(f"notice.{u.kind}.title"), indent=False, align="CENTER",
                  east_asia=gb.TITLE_FONT, size=gb.TITLE_PT)
    gb._paragraph(doc, indent=False)
    gb._paragraph(doc, "、".join(u.addressees) + "：", indent=False)
    gb._paragraph(doc, doc_t("notice.urge.intro", title=inner_quotes(u.title), code=u.code,
                             deadline=chinese_date(u.deadline)))
    for text in u.body.splitlines() or [""]:
        if text.strip():
            gb._paragraph(doc, text.strip())
    if u.respond_by is not None:
        gb._paragraph(doc, doc_t("notice.urge.respond_by", date=chinese_date(u.respond_by)))
    gb._paragraph(doc, indent=False)
    gb._paragraph(doc, u.office, indent=False, align="RIGHT")
    gb._paragraph(doc, chinese_date(u.issued), indent=False, align="RIGHT")
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temporary:
        doc.save(str(temporary))
