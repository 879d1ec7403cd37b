"""The supervision bulletin (督办通报) for one ISO week: data, then DOCX and Markdown.

Totals are as of the week's review (or the week's Sunday, or today if sooner),
from timestamps: a task counts as closed if it was closed by then, as overdue if
it was not and its deadline had passed. When the week had a closed review, its
issue number, attendees, decisions and next steps go into the bulletin too.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pendulum
from sqlalchemy import and_, case, func, not_
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from coordboard import clock
from coordboard.config import Settings
from coordboard.enums import NoteKind, ReviewState, TaskStatus
from coordboard.files import replacing, write_text
from coordboard.i18n import t
from coordboard.models import Department, Review, ReviewItem, SupervisionNote, Task
from coordboard.safe_text import for_xml
from coordboard.services import board
from coordboard.services.lights import LightContext
from coordboard.services.reports.cells import doc_text
from coordboard.services.review import iso_week, week_bounds
from coordboard.services.workdays import load_calendar

_NOT_COUNTED = (TaskStatus.DRAFT, TaskStatus.WITHDRAWN)


@dataclass(frozen=True)
class LaggingItem:
    code: str
    title: str
    lead: str
    supporters: list[str]
    deadline: date
    workdays_late: int


@dataclass(frozen=True)
class NoteLine:
    kind: str  # praise or criticism
    unit: str
    code: str
    body: str
    day: date


@dataclass(frozen=True)
class DecisionLine:
    code: str
    title: str
    decision: str


@dataclass
class Bulletin:
    week: str
    as_of: date
    office: str
    number: int | None
    total: int
    closed: int
    in_progress: int
    overdue: int
    lagging: list[LaggingItem]
    praise: list[NoteLine] = field(default_factory=list)
    criticism: list[NoteLine] = field(default_factory=list)
    decisions: list[DecisionLine] = field(default_factory=list)
    attendees: str = ""
    next_steps: str = ""

    def percent(self, part: int) -> str:
        return f"{part * 100 / self.total:.1f}%" if self.total else "—"


def _day_start(day: date, timezone: str) -> datetime:
    return pendulum.datetime(day.year, day.month, day.day, tz=timezone).in_timezone("UTC")


def build(session: Session, settings: Settings, week: str, *, lagging_limit: int = 50,
          review: Review | None = None) -> Bulletin:
    """The bulletin of ``week``: of its latest closed review, or of ``review`` if given
    (a week may have had more than one)."""
    monday, sunday = week_bounds(week)
    week = iso_week(monday)  # normalised, e.g. "2026-w48" → "2026-W48"
    if review is None:
        review = session.exec(select(Review).where(
            Review.week == week, Review.state == ReviewState.CLOSED)
            .order_by(col(Review.number).desc())).first()
    today = clock.today(settings.timezone)
    as_of = review.as_of if review else min(sunday, today)
    end = _day_start(as_of + timedelta(days=1), settings.timezone)  # the end of the as-of day

    closed = and_(col(Task.closed_at).is_not(None), col(Task.closed_at) < end)
    overdue = and_(not_(closed), col(Task.deadline) < as_of, col(Task.status) != TaskStatus.SUSPENDED)
    counted = and_(col(Task.status).not_in([str(s) for s in _NOT_COUNTED]),
                   col(Task.dispatched_at).is_not(None), col(Task.dispatched_at) < end)
    total, n_closed, n_overdue = session.exec(select(
        func.count(), func.coalesce(func.sum(case((closed, 1), else_=0)), 0),
        func.coalesce(func.sum(case((overdue, 1), else_=0)), 0),
    ).select_from(Task).where(counted)).one()

    calendar = load_calendar(session)
    late_tasks = list(session.exec(select(Task).where(counted, overdue)
                                   .order_by(col(Task.deadline), col(Task.id)).limit(lagging_limit)))
    ctx = LightContext.build(settings, calendar)
    lagging = [
        LaggingItem(code=row.task.code, title=row.task.title, lead=row.lead,
                    supporters=row.supporters, deadline=row.task.deadline,
                    workdays_late=max(1, calendar.workdays_between(row.task.deadline, as_of)))
        for row in board.rows_for(session, late_tasks, ctx)
    ]

    notes = session.execute(
        sql_select(col(SupervisionNote.kind), col(SupervisionNote.body),
                   col(SupervisionNote.created_at), col(Task.code),
               func.coalesce(Department.short_name, ""))
        .join(Task, col(Task.id) == SupervisionNote.task_id)
        .join(Department, col(Department.id) == func.coalesce(SupervisionNote.department_id,
                                                             Task.lead_department_id), isouter=True)
        .where(col(SupervisionNote.kind).in_([NoteKind.PRAISE, NoteKind.CRITICISM]),
               col(SupervisionNote.created_at) >= _day_start(monday, settings.timezone),
               col(SupervisionNote.created_at) < end)
        .order_by(col(SupervisionNote.created_at), col(SupervisionNote.id))
    ).all()
    lines = [NoteLine(kind=kind, unit=unit, code=code, body=body,
                      day=clock.local(created, settings.timezone).date())
             for kind, body, created, code, unit in notes]

    decisions: list[DecisionLine] = []
    if review is not None:
        decisions = [DecisionLine(code=code, title=title, decision=decision or "")
                     for code, title, decision in session.exec(
                         select(Task.code, Task.title, ReviewItem.decision)
                         .join(Task, col(Task.id) == ReviewItem.task_id)
                         .where(ReviewItem.review_id == review.id,
                                col(ReviewItem.decision).is_not(None))
                         .order_by(col(ReviewItem.position))).all()]
    return Bulletin(
        week=week, as_of=as_of, office=settings.office_name, number=review.number if review else None,
        total=int(total), closed=int(n_closed), overdue=int(n_overdue),
        in_progress=int(total) - int(n_closed) - int(n_overdue), lagging=lagging,
        praise=[n for n in lines if n.kind == NoteKind.PRAISE],
        criticism=[n for n in lines if n.kind == NoteKind.CRITICISM],
        decisions=decisions,
        attendees=review.attendees if review else "", next_steps=review.next_steps if review else "")


# --- writers --------------------------------------------------------------------------------


def _issue(b: Bulletin) -> str:
    return t("bulletin.issue", number=b.number) if b.number else t("bulletin.issue_unnumbered",
                                                                    week=b.week)


def _totals_sentence(b: Bulletin) -> str:
    return t("bulletin.totals", total=b.total, closed=b.closed, closed_pct=b.percent(b.closed),
             in_progress=b.in_progress, in_progress_pct=b.percent(b.in_progress),
             overdue=b.overdue, overdue_pct=b.percent(b.overdue))


def _lagging_row(index: int, item: LaggingItem) -> list[str]:
    return [str(index), item.code, item.title, item.lead, "、".join(item.supporters) or "—",
            item.deadline.isoformat(), t("bulletin.workdays_late", days=item.workdays_late)]


def _note_text(note: NoteLine) -> str:
    return t("bulletin.note_line", unit=note.unit, code=note.code, body=note.body,
             date=note.day.isoformat())


LAGGING_HEADER = ("bulletin.col.index", "bulletin.col.code", "bulletin.col.title",
                  "bulletin.col.lead", "bulletin.col.supporters", "bulletin.col.deadline",
                  "bulletin.col.late")


def _sections(b: Bulletin) -> list[tuple[str, list[str]]]:
    """The bulletin's numbered sections as (heading, paragraphs); the lagging table aside."""
    overdue_line = (t("bulletin.lagging_intro", count=b.overdue, shown=len(b.lagging))
                    if b.overdue else t("bulletin.none_lagging"))
    return [
        (t("bulletin.h.totals"), [_totals_sentence(b)]),
        (t("bulletin.h.lagging"), [overdue_line]),
        (t("bulletin.h.praise"), [_note_text(n) for n in b.praise] or [t("bulletin.none")]),
        (t("bulletin.h.criticism"), [_note_text(n) for n in b.criticism] or [t("bulletin.none")]),
        (t("bulletin.h.decisions"),
         [t("bulletin.decision_line", code=d.code, title=d.title, decision=d.decision)
          for d in b.decisions] or [t("bulletin.no_review")]),
        (t("bulletin.h.next_steps"), [line for line in b.next_steps.splitlines() if line.strip()]
         or [t("bulletin.next_steps_default")]),
    ]


def to_markdown(b: Bulletin) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    out = [f"# {t('bulletin.title')}", "", f"**{_issue(b)}**", "",
           f"{b.office}　{t('bulletin.as_of', date=b.as_of.isoformat())}", ""]
    if b.attendees:
        out += [t("bulletin.attendees", names=b.attendees), ""]
    for number, (heading, paragraphs) in enumerate(_sections(b), start=1):
        out += [f"## {t('bulletin.numbered', n=number, heading=heading)}", ""]
        out += [p + "\n" for p in paragraphs]
        if heading == t("bulletin.h.lagging") and b.lagging:
            out.append("| " + " | ".join(t(key) for key in LAGGING_HEADER) + " |")
            out.append("|" + "---|" * len(LAGGING_HEADER))
            out += ["| " + " | ".join(cell(c) for c in _lagging_row(i, item)) + " |"
                    for i, item in enumerate(b.lagging, start=1)]
            out.append("")
    return for_xml("\n".join(out).rstrip() + "\n")  # no raw controls in a text file either


def to_docx(b: Bulletin, path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "FangSong"
    normal.font.size = Pt(14)
    # Word picks the East Asian font from its own attribute, not from font.name.
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")

    def para(text: str) -> Any:
        return doc.add_paragraph(doc_text(text))

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(doc_text(t("bulletin.title")))
    run.bold, run.font.size, run.font.color.rgb = True, Pt(26), RGBColor(0xC0, 0x00, 0x00)
    issue = para(_issue(b))
    issue.alignment = WD_ALIGN_PARAGRAPH.CENTER
    masthead = para(f"{b.office}　　{t('bulletin.as_of', date=b.as_of.isoformat())}")
    masthead.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if b.attendees:
        para(t("bulletin.attendees", names=b.attendees))

    for number, (heading, paragraphs) in enumerate(_sections(b), start=1):
        doc.add_heading(doc_text(t("bulletin.numbered", n=number, heading=heading)), level=2)
        for text in paragraphs:
            para(text)
        if heading == t("bulletin.h.lagging") and b.lagging:
            table = doc.add_table(rows=1, cols=len(LAGGING_HEADER))
            table.style = "Table Grid"
            for cell, key in zip(table.rows[0].cells, LAGGING_HEADER, strict=True):
                cell.text = doc_text(t(key))
                cell.paragraphs[0].runs[0].bold = True
            for index, item in enumerate(b.lagging, start=1):
                for cell, text in zip(table.add_row().cells, _lagging_row(index, item), strict=True):
                    cell.text = doc_text(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temporary:
        doc.save(str(temporary))


def write_markdown(b: Bulletin, path: Path) -> None:
    write_text(path, to_markdown(b))
