"""The ledger (督办台账): every task the board's filter selects, as a printable XLSX
(or a CSV Excel opens on a Chinese Windows PC).

Rows are streamed: one ordered query of plain task columns (the light computed by the
board's SQL rule) read in chunks; one query each for the units (lead, supporters, each
unit's part) and each unit's latest report of all selected tasks, held as text by task id;
per chunk one query for extended deadlines.

The XLSX skeleton is written with XlsxWriter and its body rows streamed as sheet XML
(ledger_xlsx.py says why); measured on the real
ledger it is faster than openpyxl's write-only mode (docs/performance.md); openpyxl
stays for reading. The sheet is what an office prints: a title row, 序号, real Excel
dates, a styled header, A4 landscape one page wide, header rows repeated, page numbers.
Like every official document it is written in the document language (Chinese), whatever
the interface language of whoever exports it.
"""

import csv
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import chain, groupby
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Column, Integer, MetaData, Table, func, literal, type_coerce
from sqlalchemy import select as sql_select
from sqlalchemy.types import NullType
from sqlmodel import Session, col, select

from coordboard import clock
from coordboard.config import Settings
from coordboard.enums import Light, TaskStatus, UnitRole
from coordboard.files import replacing
from coordboard.models import Department, Feedback, Task, TaskStage, TaskUnit
from coordboard.safe_text import for_xml
from coordboard.services import board, leaders
from coordboard.services.bulk import collector_paused, plain_rows
from coordboard.services.lights import LightContext, light_case
from coordboard.services.permissions import Actor, authorize
from coordboard.services.reports import on_time
from coordboard.services.reports.cn import chinese_date
from coordboard.services.rules import is_clock_stopped
from coordboard.services.sources import described
from coordboard.services.stored_text import DOCUMENT_LANGUAGE, doc_t
from coordboard.services.workdays import load_calendar

CHUNK = 1000
T = TypeVar("T")
# (key, column width in Excel characters; a Chinese character takes about two)
COLUMNS = (
    ("index", 5), ("code", 13), ("source", 9), ("title", 30), ("lead", 14), ("supporters", 22),
    ("leader", 9), ("assigned", 12), ("deadline", 12), ("workdays", 11), ("light", 6),
    ("status", 9), ("progress", 40), ("closed", 12), ("on_time", 7), ("remark", 16),
)
KEYS = [key for key, _ in COLUMNS]
DATE_KEYS = ("assigned", "deadline", "closed")
FILLS = {"red": "#FFC7CE", "yellow": "#FFEB9C", "green": "#C6EFCE"}


class LedgerRow(NamedTuple):
    """One printed row. A named tuple, not a dataclass: 100,000 of them are built per
    ledger, and a tuple is built several times faster."""

    serial: int  # 序号 (a tuple's own ``index`` is a method)
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
    light_label: str = "—"  # 红灯 / 黄灯 / 绿灯, "—" for none

    def light_text(self) -> str:
        return self.light_label

    def values(self) -> list[Any]:
        """In column order: dates as dates, everything else as text."""
        return [self.serial, self.code, self.source, self.title, self.lead, self.supporters,
                self.leader, self.assigned, self.deadline, self.workdays, self.light_label,
                self.status, self.feedback, self.closed, self.on_time, self.remark]


class _Words:
    """Catalogue words the ledger prints on every row, looked up once per distinct value
    instead of once per row (a catalogue lookup with its plural rule costs ~15 µs; the
    ledger of 100,000 tasks asked for about a million of them)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, object], str] = {}

    def __call__(self, key: str, value: object = None, **params: object) -> str:
        found = self._cache.get((key, value))
        if found is None:
            found = self._cache[(key, value)] = doc_t(key, **params)
        return found


class _UnitNames(dict[int, str]):
    """Unit names by id, read once rather than joined to each of ~270,000 units. A unit
    created after this read (PostgreSQL reads each statement's committed state) is read
    when first asked for."""

    def __init__(self, session: Session) -> None:
        query = sql_select(col(Department.id), col(Department.short_name))
        super().__init__(plain_rows(session, query))
        self._query, self._session = query, session

    def __missing__(self, unit_id: int) -> str:
        name = self[unit_id] = self._session.connection().execute(
            self._query.where(col(Department.id) == unit_id)).one()[1]
        return name


def _units(session: Session, task_ids: Any, names: _UnitNames
           ) -> tuple[dict[int, str], dict[int, str]]:
    """Per task: the lead unit with its part, and the supporting units with theirs, one a
    line. ``task_ids``: a subquery selecting the ledger's task ids."""
    leads: dict[int, str] = {}
    supporting: dict[int, list[str]] = {}
    with_part = doc_t("ledger.unit_part", unit="{unit}", part="{part}").format
    lead, support = UnitRole.LEAD.value, UnitRole.SUPPORT.value
    for task_id, role, unit_id, part in plain_rows(session, (
            sql_select(col(TaskUnit.task_id), col(TaskUnit.role), col(TaskUnit.department_id),
                       col(TaskUnit.part))
            .where(col(TaskUnit.task_id).in_(task_ids))
            .order_by(col(TaskUnit.task_id), col(TaskUnit.id)))):
        name = names[unit_id]
        line = with_part(unit=name, part=part) if part and part.strip() else name
        if role == lead:
            leads[task_id] = line
        elif role == support:
            lines = supporting.get(task_id)
            if lines is None:
                supporting[task_id] = [line]
            else:
                lines.append(line)
    return leads, {task_id: "\n".join(lines) for task_id, lines in supporting.items()}


def _local_days(zone: ZoneInfo, form: Callable[[date], T]) -> Callable[[Any], T]:
    """The local day of a stored instant, as ``form`` puts it, read raw from the driver:
    SQLite gives the stored text ("2026-11-05 08:47:00.000000", UTC), PostgreSQL an aware
    datetime.

    The ledger reads ~300,000 instants (reports, dispatch and closing). Text is not parsed:
    per UTC day the zone's offset gives the minute at which the local day turns, so an
    instant's local day is one comparison of its "HH:MM" with that minute. A UTC day
    during which the offset changes (a DST switch), and text in any other form, are
    converted in full."""
    turns: dict[str, tuple[str, T, T] | None] = {}

    def converted(value: str) -> T:
        instant = datetime.fromisoformat(value)
        if instant.tzinfo is None:  # SQLAlchemy's SQLite form: UTC without an offset
            instant = instant.replace(tzinfo=UTC)
        return form(instant.astimezone(zone).date())

    def day(value: Any) -> T:
        if not isinstance(value, str):
            return form(value.astimezone(zone).date())
        if len(value) != 26 or value[10] != " ":  # not SQLAlchemy's UTC text
            return converted(value)
        utc_day = value[:10]
        try:
            turn = turns[utc_day]
        except KeyError:
            turn = turns[utc_day] = _day_turn(utc_day, zone, form)
        if turn is None:
            return converted(value)
        minute, before, after = turn
        return after if value[11:16] >= minute else before
    return day


def _day_turn(utc_day: str, zone: ZoneInfo, form: Callable[[date], T]
              ) -> tuple[str, T, T] | None:
    """For instants on ``utc_day``: the UTC "HH:MM" from which their local day is the
    later one, with the local days before and from it; None when the zone's offset
    changes during that day or is not whole minutes (then each instant is converted)."""
    day = date.fromisoformat(utc_day)
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    try:
        offset = start.astimezone(zone).utcoffset()
        last = (start + timedelta(days=1, microseconds=-1)).astimezone(zone).utcoffset()
        if offset is None or offset != last or offset.seconds % 60 or offset.microseconds:
            return None
        minutes = offset.days * 1440 + offset.seconds // 60  # east of UTC > 0
        one = timedelta(days=1)
        if minutes > 0:  # the next local day starts at 24:00 minus the offset, UTC
            turn, before, after = 1440 - minutes, day, day + one
        else:  # west of UTC (or UTC): the local day is the previous one until -offset
            turn, before, after = -minutes, day - one, day
    except OverflowError:  # the first or last day a date can hold
        return None
    return f"{turn // 60:02d}:{turn % 60:02d}", form(before), form(after)


def _latest_feedback(session: Session, task_ids: Any, zone: ZoneInfo, names: _UnitNames
                     ) -> dict[int, str]:
    """Per task: each unit's latest report, one line each, the newest first."""
    latest = (sql_select(func.max(Feedback.id)).where(col(Feedback.task_id).in_(task_ids))
              .group_by(col(Feedback.task_id), col(Feedback.department_id)))
    line = doc_t("ledger.feedback_line", unit="{unit}", date="{date}", body="{body}").format
    local_day = _local_days(zone, lambda day: f"{day.month}月{day.day}日")
    reports = plain_rows(session, (
        sql_select(col(Feedback.task_id), col(Feedback.department_id), col(Feedback.body),
                   type_coerce(col(Feedback.created_at), NullType()))  # raw, see _local_days
        .where(col(Feedback.id).in_(latest))
        .order_by(col(Feedback.task_id), col(Feedback.created_at).desc())))
    return {task_id: "\n".join([line(unit=names[unit_id], date=local_day(created), body=body)
                                for _, unit_id, body, created in group])
            for task_id, group in groupby(reports, key=itemgetter(0))}


def _stages(session: Session, task_ids: Any) -> dict[int, str]:
    """Per task with stages (阶段节点): "阶段节点：① 11-20 调研 ✓  ② 12-10 起草", printed
    first in 办理进展 (one query over the selected tasks)."""
    from coordboard.services.lights import number

    parts: dict[int, list[str]] = defaultdict(list)
    for task_id, seq, title_, due, reached_at in session.connection().execute(
            sql_select(col(TaskStage.task_id), col(TaskStage.seq), col(TaskStage.title),
                       col(TaskStage.due), col(TaskStage.reached_at))
            .where(col(TaskStage.task_id).in_(task_ids))
            .order_by(col(TaskStage.task_id), col(TaskStage.seq))).all():
        parts[task_id].append(f"{number(seq)} {due.month:02d}-{due.day:02d} {title_}"
                              + (" ✓" if reached_at is not None else ""))
    return {task_id: doc_t("ledger.stages", stages="  ".join(p)) for task_id, p in parts.items()}


_PART = Table("ledger_part", MetaData(), Column("serial", Integer, primary_key=True),
              Column("id", Integer, nullable=False), prefixes=["TEMPORARY"])


def _held_part(session: Session, ids: Any) -> Table:
    """The ids ``ids`` selects, in its order, held in a temporary table of this
    connection (in this transaction: its snapshot) for the part's queries to read.

    A part is a range of the board's order: selecting it sorts every task the filter
    selects, and the part's rows, units, reports and stages were four such sorts
    (~0.3 s each at 100k) — now one. Only on SQLite (``ledger_parts``): a temporary
    table is private to its connection and written without the database's write lock."""
    connection = session.connection()
    connection.exec_driver_sql("DROP TABLE IF EXISTS temp.ledger_part")
    _PART.create(connection)
    connection.execute(_PART.insert().from_select(["id"], ids))  # serial: in ``ids``' order
    return _PART


def _where(flt: board.BoardFilter, ctx: LightContext, include_drafts: bool) -> list[Any]:
    where = list(board.where_clauses(flt, ctx))
    if not include_drafts and TaskStatus.DRAFT.value not in flt.statuses:
        where.append(col(Task.status) != TaskStatus.DRAFT)
    return where


def count(session: Session, settings: Settings, flt: board.BoardFilter, *,
          include_drafts: bool = False) -> int:
    """How many rows the ledger has."""
    ctx = LightContext.build(settings, load_calendar(session))
    return session.connection().execute(
        sql_select(func.count()).select_from(Task).where(*_where(flt, ctx, include_drafts))
    ).scalar_one()


def drafts_left_out(session: Session, settings: Settings, flt: board.BoardFilter) -> int:
    """Drafts the filter selects that the ledger leaves out (not asked for)."""
    if TaskStatus.DRAFT.value in flt.statuses:
        return 0
    ctx = LightContext.build(settings, load_calendar(session))
    return session.connection().execute(
        sql_select(func.count()).select_from(Task).where(
            *board.where_clauses(flt, ctx), col(Task.status) == TaskStatus.DRAFT)
    ).scalar_one()


def rows(session: Session, settings: Settings, flt: board.BoardFilter, *,
         include_drafts: bool = False) -> Iterator[LedgerRow]:
    """The ledger's rows (see ``counted_rows``)."""
    return counted_rows(session, settings, flt, include_drafts=include_drafts)[1]


def counted_rows(session: Session, settings: Settings, flt: board.BoardFilter, *,
                 include_drafts: bool = False, part: tuple[int, int] | None = None
                 ) -> tuple[int, Iterator[LedgerRow]]:
    """How many rows the ledger has, and the rows. Plain columns, the light from the
    board's SQL rule, streamed in chunks: no ORM objects and no per-row light reasons,
    which the ledger does not print. Drafts (not yet dispatched, so not yet anyone's
    work) are left out unless asked for.

    The count comes with the rows, from the same statement (a window count), so it is
    the number of rows that follow on any backend and isolation level; the XLSX writer
    needs it before the first row (the sheet's dimension comes first).

    Per row only dictionary look-ups: words, working days left and remarks are computed
    once per distinct value (deadlines repeat: a year has ~250 working days).

    ``part``: (offset, limit), only those rows of the ledger, numbered from offset + 1;
    the count is then ``limit`` (what the rows must be, unless the data changed). Only on
    a SQLite file (``_held_part``)."""
    ctx = LightContext.build(settings, load_calendar(session))
    zone = ZoneInfo(settings.timezone)
    lead = select(Department.short_name).where(
        Department.id == Task.lead_department_id).scalar_subquery()
    columns = (col(Task.id), col(Task.code), col(Task.source), col(Task.instruction_by),
               col(Task.instruction_date), col(Task.instruction_text), col(Task.title),
               # 责任领导: the leader user's name (a name kept as text for the others).
               lead.label("lead"), leaders.name_sql().label("leader"),
               type_coerce(col(Task.dispatched_at), NullType()).label("dispatched_at"),  # raw
               col(Task.deadline),
               col(Task.original_deadline), col(Task.status),
               type_coerce(col(Task.closed_at), NullType()).label("closed_at"),  # raw
               col(Task.closure_requested_on), light_case(ctx).label("light"),
               # A part's rows carry no count: a window over the whole ledger would
               # compute every row's columns, not only the part's.
               (func.count().over() if part is None else literal(0)).label("total"))
    where = _where(flt, ctx, include_drafts)
    # Units and latest reports of every selected task, by one query each: per-chunk
    # queries with a list of 1,000 ids cost three times as much (measured at 10k).
    selected = sql_select(col(Task.id)).where(*where)
    ordered = sql_select(*columns).where(*where).order_by(*board.ordering(flt, ctx))
    offset = 0
    if part is not None:
        offset, limit = part
        held = _held_part(session, selected.order_by(*board.ordering(flt, ctx))
                          .offset(offset).limit(limit))
        selected = sql_select(held.c.id)
        ordered = (sql_select(*columns).select_from(held.join(Task, col(Task.id) == held.c.id))
                   .order_by(held.c.serial))
    names = _UnitNames(session)
    leads, supporters = _units(session, selected, names)
    feedback = _latest_feedback(session, selected, zone, names)
    stage_lines = _stages(session, selected)
    chunks = session.connection().execute(  # plain tuples, no ORM rows
        ordered.execution_options(yield_per=CHUNK)).partitions()
    first = next(chunks, [])
    words = _Words()
    yes, no, none_light = doc_t("ledger.yes"), doc_t("ledger.no"), Light.NONE.value
    waiting = TaskStatus.CLOSURE_REQUESTED.value
    no_feedback, separator = doc_t("ledger.no_feedback"), doc_t("tui.semicolon")
    workdays_left: dict[date, str] = {}
    estimated: dict[date, list[str]] = {}
    today, calendar = ctx.today, ctx.calendar
    local_day = _local_days(zone, lambda day: day)  # 交办日期, 办结日期 from raw instants

    def built(chunks: Iterator[Any]) -> Iterator[LedgerRow]:
        index = offset
        for chunk in chunks:
            due = on_time.due_dates(session, {row.id: row for row in chunk if row.closed_at},
                                    zone)
            for row in chunk:
                (task_id, code, source, instruction_by, instruction_date, instruction_text,
                 title_, lead_name, leader, dispatched_at, deadline, original_deadline, status,
                 closed_at, _requested_on, light, _total) = row
                index += 1
                if light == none_light or (status == waiting and is_clock_stopped(row)):
                    workdays = "—"  # the clock does not run (lights.LightVerdict.workdays_left)
                else:
                    workdays = workdays_left.get(deadline, "")
                    if not workdays:
                        left = calendar.workdays_between(today, deadline)
                        if deadline < today:  # overdue by one at least, as the light says
                            left = min(left, -1)
                        workdays = workdays_left[deadline] = (
                            doc_t("ledger.overdue", days=-left) if left < 0
                            else doc_t("ledger.left", days=left))
                closed = local_day(closed_at) if closed_at else None
                verdict = ""
                if closed is not None:
                    verdict = yes if on_time.closed_on_time(row, due[task_id]) else no
                remarks = [words("ledger.remark_extended", original_deadline,
                                 date=chinese_date(original_deadline))
                           ] if deadline != original_deadline else []
                # A deadline in a year without the State Council's schedule: its working
                # days are estimated, and the printed ledger says so (issue 11 rule 5).
                unofficial = estimated.get(deadline)
                if unofficial is None:
                    unofficial = estimated[deadline] = [
                        doc_t("ledger.remark_estimated", year=year)
                        for year in calendar.unofficial_years([deadline])]
                remarks += unofficial
                source_cell = words(f"source.{source}", source)
                if instruction_by or instruction_date:  # 领导批示（王镇长 11月20日）
                    source_cell = described(source, instruction_by, instruction_date,
                                            DOCUMENT_LANGUAGE)
                if instruction_text:
                    remarks.append(doc_t("ledger.remark_instruction", text=instruction_text))
                yield LedgerRow(
                    index, code, source_cell, title_,
                    leads.get(task_id, lead_name or ""), supporters.get(task_id, ""),
                    leader, local_day(dispatched_at) if dispatched_at else None,
                    deadline, workdays, str(light), words(f"status.{status}", status),
                    "\n".join(part for part in (stage_lines.get(task_id),
                                                 feedback.get(task_id, no_feedback)) if part),
                    closed, verdict, separator.join(remarks),
                    words(f"light.{light}", light) if light != none_light else "—")

    if part is not None:
        return part[1], built(chain([first], chunks))
    return (first[0].total if first else 0), built(chain([first], chunks))


def title(settings: Settings, as_of: date) -> str:
    return doc_t("ledger.title", town=settings.town_name, date=chinese_date(as_of)).strip()


def _counted(stream: Iterator[LedgerRow], progress: Callable[[int, int], None], total: int
             ) -> Iterator[LedgerRow]:
    written = 0
    for row in stream:
        yield row
        written += 1
        if written % CHUNK == 0:
            progress(written, total)


class Exported(NamedTuple):
    rows: int
    drafts_left_out: int  # drafts the filter selects, left out (read with the rows)


def write(session: Session, settings: Settings, flt: board.BoardFilter, path: Path, *,
          include_drafts: bool = False, actor: Actor | None = None,
          progress: Callable[[int, int], None] | None = None) -> int:
    """Write the ledger to ``path`` (``.xlsx``, or ``.csv``); returns the number of task
    rows (``export`` says more)."""
    return export(session, settings, flt, path, include_drafts=include_drafts, actor=actor,
                  progress=progress).rows


def export(session: Session, settings: Settings, flt: board.BoardFilter, path: Path, *,
           include_drafts: bool = False, actor: Actor | None = None,
           progress: Callable[[int, int], None] | None = None) -> Exported:
    """Write the ledger to ``path`` (``.xlsx``, or ``.csv``): its rows, and the drafts it
    left out counted in the same snapshot. The file is replaced atomically: a failure
    keeps the previous one.

    ``actor``: the user asking (front ends pass it; None only for the service's own calls).
    ``progress``: called with the rows written so far and the rows there are, every
    thousand rows (front ends show it; it runs in the writer's thread)."""
    if actor is not None:
        authorize(actor, "view")
    heading = title(settings, clock.today(settings.timezone))
    path.parent.mkdir(parents=True, exist_ok=True)
    # The collector paused: ~2 million rows, tuples and strings are made and none is in a
    # cycle; its full passes over them were 0.5-1.0 s of the 100k ledger's 8-9 s.
    with replacing(path) as temporary, collector_paused():
        if path.suffix.lower() != ".csv":
            from coordboard.services.reports import ledger_parts

            done = ledger_parts.write_xlsx(session, settings, flt, temporary, heading,
                                           include_drafts=include_drafts, progress=progress)
            if done is not None:
                return done
        drafts = 0 if include_drafts else drafts_left_out(session, settings, flt)
        total, stream = counted_rows(session, settings, flt, include_drafts=include_drafts)
        if progress is not None:
            stream = _counted(stream, progress, total)
        if path.suffix.lower() == ".csv":
            return Exported(write_csv(stream, temporary), drafts)
        return Exported(write_xlsx(stream, temporary, heading, total), drafts)


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


def write_xlsx(stream: Iterator[LedgerRow], path: Path, heading: str, total: int) -> int:
    """``total``: the number of rows ``stream`` holds (``counted_rows``)."""
    from coordboard.services.reports import ledger_xlsx

    return ledger_xlsx.write(stream, path, heading, COLUMNS, DATE_KEYS, FILLS, total)
