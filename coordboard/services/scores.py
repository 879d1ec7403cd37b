"""The department scoreboard (考核): points per unit for a period, with the evidence
behind every point, and how well each pair of units works together.

Rules and weights come from the settings (GLOSSARY's published default):

- closed on time, in the period: lead +2, each supporting unit +1 ("on time" is
  ``rules.is_on_time``: the accepted closure was *requested* on or before the deadline);
- overdue, when the scoring deadline falls in the period and passes unmet: lead −5,
  supporting −2.5 (counted once, in the period of the deadline);
- praise / criticism notes in the period: ±1 lead, ±0.5 supporting (a note aimed
  at one unit counts for that unit only);
- returned for rework (退回重办) in the period: −2 to the lead unit;
- a finding of passing the buck (推诿扯皮) in the period: −1 per unit named.

The scoring deadline is the original one, moved only by extensions approved on
or before the deadline they replaced; a refused or late-approved extension does
not move it.
"""

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import pendulum
from sqlalchemy import ColumnElement, and_, case, or_
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from coordboard import clock
from coordboard.config import Settings
from coordboard.enums import NoteKind, RequestState, UnitRole
from coordboard.errors import ValidationError
from coordboard.i18n import full_date, t
from coordboard.models import AuditEvent, Department, ExtensionRequest, SupervisionNote, Task, TaskUnit
from coordboard.services import rules
from coordboard.services.bulk import collector_paused, plain_rows
from coordboard.services.cooperation import PairReader, PairStats, cooperation, pairs_statement
from coordboard.services.permissions import Actor, authorize

# A scoring period is day arithmetic on local days: keep it clear of date.min/date.max.
PERIOD_FIRST, PERIOD_LAST = date(1900, 1, 1), date(9000, 12, 31)

RULES = ("on_time", "overdue", "praise", "criticism", "returned", "buck_passing")
_CHUNK = 5000


class Evidence(NamedTuple):
    """One line of why a unit got its points. A named tuple, not a frozen dataclass: a
    month at 100k tasks makes ~95,000 of them, and a tuple is built several times faster."""

    department_id: int
    department: str
    points: float
    rule: str
    code: str
    title: str
    day: date
    role: str  # lead or support
    # The text as typed (a note's body, a return's reason), or a catalogue key and its
    # parameters: a month at 100k tasks has ~95,000 lines and a screen shows a few of them,
    # so the words are made when a line is read.
    source: str | tuple[str, dict[str, str]]

    @property
    def detail(self) -> str:
        if isinstance(self.source, str):
            return self.source
        key, params = self.source
        return t(key, **params)


@dataclass
class DepartmentScore:
    department_id: int
    name: str
    points: float = 0.0
    by_rule: dict[str, float] = field(default_factory=lambda: {rule: 0.0 for rule in RULES})
    rank: int = 0


@dataclass
class Scoreboard:
    start: date
    end: date
    as_of: date
    ranking: list[DepartmentScore]
    evidence: list[Evidence]
    pairs: list[PairStats]
    weights: dict[str, float]


# A task whose deadline was never moved: its scoring deadline is its original deadline.
UNEXTENDED = col(Task.deadline) == col(Task.original_deadline)


def units_of_tasks(*where: ColumnElement[bool]) -> ColumnElement[bool]:
    """The units of the tasks ``where`` selects, as a condition on ``TaskUnit``. Added to a
    query grouping units joined to their tasks, it has SQLite list the tasks first and
    find their units by the task index; joined alone, SQLite walked every unit in
    department order and looked up its task (at 100k: 1.0 -> 0.5 s, and the cooperation
    pairs 1.5 -> 0.5 s). PostgreSQL plans both the same."""
    return col(TaskUnit.task_id).in_(sql_select(col(Task.id)).where(*where))


def _weights(settings: Settings) -> dict[str, float]:
    return {name.removeprefix("score_"): float(getattr(settings, name))
            for name in vars(settings) if name.startswith("score_")}


def _day_start(day: date, timezone: str) -> datetime:
    return pendulum.datetime(day.year, day.month, day.day, tz=timezone).in_timezone("UTC")


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _units(session: Session, task_ids: Any) -> dict[int, list[tuple[int, str]]]:
    """(department id, role) per task, lead first, for the tasks that ``task_ids`` (a select of
    task ids) picks: one query however many tasks, instead of a parameter per id."""
    units: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for task_id, department_id, role in plain_rows(session, (  # ~100,000 rows in a month at 100k
            sql_select(col(TaskUnit.task_id), col(TaskUnit.department_id), col(TaskUnit.role))
            .where(col(TaskUnit.task_id).in_(task_ids)))):
        members = units[task_id]
        if role == UnitRole.LEAD:
            members.insert(0, (department_id, role))
        else:
            members.append((department_id, role))
    return units


def scoring_deadlines(session: Session, tasks: dict[int, Any], tz: ZoneInfo) -> dict[int, date]:
    """Per task: the original deadline, moved by each approved extension that was asked
    for by the deadline it replaced, whenever the office decided it: a unit that asked in
    time is not marked overdue for the days the office took to answer (the light has
    shown the new deadline since the approval)."""
    result = {task_id: row.original_deadline for task_id, row in tasks.items()}
    extended = [task_id for task_id, row in tasks.items() if row.deadline != row.original_deadline]
    for chunk in _chunks(extended):
        for task_id, old, new, asked_at in session.execute(
                sql_select(col(ExtensionRequest.task_id), col(ExtensionRequest.old_deadline),
                       col(ExtensionRequest.new_deadline), col(ExtensionRequest.created_at))
                .where(col(ExtensionRequest.task_id).in_(chunk),
                       col(ExtensionRequest.state) == RequestState.APPROVED)
                .order_by(col(ExtensionRequest.decided_at))).all():
            if asked_at.astimezone(tz).date() <= old:
                result[task_id] = new
    return result


def scoreboard(session: Session, settings: Settings, start: date, end: date, *,
               actor: Actor | None = None, points_only: bool = False) -> Scoreboard:
    """``actor``: the user asking (front ends pass it; None only for the service's own calls).

    ``points_only``: the same points by the same rules, without the evidence lines and the
    cooperation between units (for reports that print the points alone, e.g. the 月报: at
    100k tasks the evidence and pairs cost most of the time)."""
    with collector_paused():  # bulk.py says why
        return _scoreboard(session, settings, start, end, actor=actor, points_only=points_only)


def _scoreboard(session: Session, settings: Settings, start: date, end: date, *,
                actor: Actor | None, points_only: bool) -> Scoreboard:
    if actor is not None:
        authorize(actor, "view_review")
    if end < start:
        raise ValidationError("error.period_order", start=start.isoformat(), end=end.isoformat())
    if start < PERIOD_FIRST or end > PERIOD_LAST:
        raise ValidationError("error.period_range", first=PERIOD_FIRST.isoformat(),
                              last=PERIOD_LAST.isoformat())
    tz = ZoneInfo(settings.timezone)
    weights = _weights(settings)
    as_of = min(end, clock.today(settings.timezone))
    start_at, end_at = _day_start(start, settings.timezone), _day_start(end + timedelta(days=1),
                                                                         settings.timezone)
    # A task whose deadline never moved has its original deadline as scoring deadline: such
    # tasks are judged in SQL (the rules below, as SQL); extended ones are judged in Python
    # with their extension history.
    original = col(Task.original_deadline)
    closed_on_time = and_(col(Task.closed_at) >= start_at, col(Task.closed_at) < end_at,
                          rules.on_time_sql(original))
    missed = and_(original >= start, original <= end, rules.scored_overdue_sql(original, as_of))
    if points_only:
        reader = None
    else:  # the cooperation's grouped query, read beside this work where it can be
        reader = PairReader(session, pairs_statement(start_at, end_at,
                                                     and_(UNEXTENDED, closed_on_time),
                                                     and_(UNEXTENDED, missed)))
    try:
        names = dict(session.exec(select(Department.id, Department.short_name)).all())
    finally:
        if reader is not None:
            reader.begun()
    scores = {dept_id: DepartmentScore(dept_id or 0, name) for dept_id, name in session.exec(
        select(Department.id, Department.short_name).where(col(Department.active))).all()}
    evidence: list[Evidence] = []

    points_for: dict[tuple[str, str], float] = {}  # (rule, role) -> points, made once each

    def points_of(rule: str, role: str) -> float:
        points = points_for.get((rule, role))
        if points is None:
            side = "lead" if role == UnitRole.LEAD else "support"
            points = points_for[(rule, role)] = weights.get(f"{rule}_{side}",
                                                            weights.get(rule, 0.0))
        return points

    def credit(department_id: int, role: str, rule: str, times: int = 1) -> float:
        """Add a rule's points for ``times`` tasks to a unit; returns the points of one."""
        points = points_of(rule, role)
        if not points or not times:
            return 0.0
        score = scores.get(department_id)
        if score is None:
            score = scores[department_id] = DepartmentScore(department_id,
                                                            names.get(department_id, "?"))
        score.points += points * times
        score.by_rule[rule] += points * times
        return points

    def award(department_id: int, role: str, rule: str, task: Any, day: date,
              detail: str | tuple[str, dict[str, str]]) -> None:
        """``detail``: the evidence's text, or a catalogue key and its parameters (put into
        words only when evidence is kept)."""
        points = credit(department_id, role, rule)
        if points and not points_only:
            evidence.append(Evidence(department_id, names.get(department_id, "?"), points, rule,
                                     task.code, task.title, day, role, detail))

    # Closures and deadlines that fall in the period.
    scored_columns = (col(Task.id), col(Task.code), col(Task.title), col(Task.status),
                      col(Task.deadline), col(Task.original_deadline), col(Task.closed_at),
                      col(Task.closure_requested_on), col(Task.dispatched_at))
    # Per task of the period: (closed on time, returned, overdue), for the cooperation.
    flags: dict[int, list[bool]] = {}
    in_period: tuple[ColumnElement[bool], ...] = (
        col(Task.status).not_in(rules.NOT_SCORED),
        or_(col(Task.closed_at).between(start_at, end_at),
            (col(Task.original_deadline) <= end) & (col(Task.deadline) >= start)))
    if points_only:  # counted per unit and role; only the extended tasks are read
        for dept, role, n_on_time, n_overdue in session.execute(
                sql_select(col(TaskUnit.department_id), col(TaskUnit.role),
                           rules.count_if(closed_on_time), rules.count_if(missed))
                .join(Task, col(Task.id) == TaskUnit.task_id)
                .where(*in_period, UNEXTENDED, units_of_tasks(*in_period, UNEXTENDED))
                .group_by(col(TaskUnit.department_id), col(TaskUnit.role))).all():
            credit(dept, role, "on_time", int(n_on_time))
            credit(dept, role, "overdue", int(n_overdue))
        in_period = (*in_period, ~UNEXTENDED)
    else:  # read with their verdicts; a plain task that scores nothing is not read
        in_period = (*in_period, or_(~UNEXTENDED, closed_on_time, missed))
    candidates = {row.id: row for row in session.connection().execute(
        sql_select(*scored_columns, case((closed_on_time, True), else_=False).label("on_time"),
                   case((missed, True), else_=False).label("missed"))
        .where(*in_period)).all()}
    deadlines = scoring_deadlines(session, candidates, tz)
    units = _units(session, sql_select(col(Task.id)).where(*in_period))
    # Words made once each, not once per overdue task.
    still_open, closed_late = t("scores.detail.still_open"), dict[date, str]()
    day_words = functools.lru_cache(maxsize=None)(full_date)  # "2026年11月23日", never ISO
    # (unit, role, rule) -> tasks: a month at 100k scores ~95,000 task units, so their points
    # are added once per key after the loop rather than once per unit.
    tally: dict[tuple[int, str, str], int] = {}
    for task_id, task in candidates.items():
        due = deadlines[task_id]
        closed_on = task.closed_at.astimezone(tz).date() if task.closed_at else None
        if task.deadline == task.original_deadline:  # judged in SQL as it was read
            on_time, overdue = bool(task.on_time), bool(task.missed)
        else:
            on_time = closed_on is not None and start <= closed_on <= end and \
                rules.is_on_time(task, due, settings.timezone)
            overdue = start <= due <= end and \
                rules.is_scored_overdue(task, due, as_of, settings.timezone)
        # One detail per task, shared by its units' evidence.
        detail: str | tuple[str, dict[str, str]] = ""
        if on_time and closed_on is not None:
            # Accepted in the period; on time by the day the closure was asked for.
            rule, day = "on_time", closed_on
            if not points_only:
                finished = rules.finished_on(task, settings.timezone) or closed_on
                detail = ("scores.detail.on_time", {"closed": day_words(finished),
                                                    "due": day_words(due)})
        elif overdue:
            rule, day = "overdue", due
            if not points_only:
                if closed_on is None:
                    late = still_open
                else:  # late by the day its closure was asked for, as on time is judged
                    asked = rules.finished_on(task, settings.timezone) or closed_on
                    late = closed_late.get(asked, "")
                    if not late:
                        late = closed_late[asked] = t("scores.detail.closed_late",
                                                      closed=day_words(asked))
                detail = ("scores.detail.overdue", {"due": day_words(due), "late": late})
        else:
            continue
        flags[task_id] = [on_time, False, overdue]
        members = units[task_id]
        for dept, role in members:
            key = (dept, role, rule)
            tally[key] = tally.get(key, 0) + 1
        if not points_only:
            code, title = task.code, task.title
            for dept, role in members:
                points = points_of(rule, role)
                if points:
                    evidence.append(Evidence(dept, names.get(dept, "?"), points, rule, code,
                                             title, day, role, detail))
    for (dept, role, rule), times in tally.items():
        credit(dept, role, rule, times)

    # Notes: praise, criticism, buck passing.
    scored_notes = (col(SupervisionNote.kind).in_([NoteKind.PRAISE, NoteKind.CRITICISM,
                                                   NoteKind.BUCK_PASSING]),
                    col(SupervisionNote.created_at) >= start_at,
                    col(SupervisionNote.created_at) < end_at)
    notes = session.connection().execute(
        sql_select(col(SupervisionNote.kind), col(SupervisionNote.department_id), col(SupervisionNote.body),
               col(SupervisionNote.created_at), *scored_columns)
        .join(Task, col(Task.id) == SupervisionNote.task_id)
        .where(*scored_notes).order_by(col(SupervisionNote.created_at))).all()
    note_units = _units(session, sql_select(col(SupervisionNote.task_id)).where(*scored_notes))
    for row in notes:
        day = row.created_at.astimezone(tz).date()
        for dept, role in note_units[row.id]:
            if row.department_id is None or row.department_id == dept:
                award(dept, role, row.kind, row, day, row.body)

    # Returns for rework.
    returned = (col(AuditEvent.action) == "return", col(AuditEvent.occurred_at) >= start_at,
                col(AuditEvent.occurred_at) < end_at)
    returns = session.connection().execute(
        sql_select(col(AuditEvent.occurred_at), col(AuditEvent.after), *scored_columns)
        .join(Task, col(Task.id) == AuditEvent.task_id).where(*returned)).all()
    return_units = _units(session, sql_select(col(AuditEvent.task_id)).where(*returned))
    for row in returns:
        flags.setdefault(row.id, [False, False, False])[1] = True
        units.setdefault(row.id, return_units[row.id])
        reason = (row.after or {}).get("reason", "")
        for dept, role in return_units[row.id]:
            if role == UnitRole.LEAD:
                award(dept, role, "returned", row, row.occurred_at.astimezone(tz).date(), reason)

    ranking = sorted(scores.values(), key=lambda s: (-s.points, s.name))
    for index, score in enumerate(ranking):
        # Equal points share a rank (1, 2, 2, 4).
        score.rank = ranking[index - 1].rank if index and score.points == ranking[index - 1].points \
            else index + 1
    evidence.sort(key=attrgetter("department", "day", "code"))
    return Scoreboard(start=start, end=end, as_of=as_of, ranking=ranking, evidence=evidence,
                      pairs=[] if reader is None else cooperation(
                          reader, start_at, end_at, names, flags, units,
                          candidates | {row.id: row for row in returns}),
                      weights=weights)


PROGRESS_EVERY = 1000  # evidence lines between two calls of ``write_xlsx``'s ``progress``


def write_xlsx(sb: Scoreboard, path: Any,
               progress: Callable[[int, int], None] | None = None) -> None:
    """Ranking, evidence and cooperation on three sheets; ``progress(written, total)`` is
    told the evidence lines written every thousand (a screen's progress bar).

    Written with XlsxWriter row by row, as the period report: a month at 100k tasks has
    ~95,000 evidence lines, for which openpyxl took 22 s in its write-only mode (and, asked
    for the last row after each line in its normal mode, more than ten minutes)."""
    from pathlib import Path

    import xlsxwriter

    from coordboard.files import replacing
    from coordboard.i18n import get_language
    from coordboard.services.reports.cells import xlsx_text
    from coordboard.services.reports.sheet_setup import (
        CHINESE_DATE,
        print_setup,
        title_and_header_formats,
    )

    language = get_language()

    target = Path(path)
    with replacing(target) as temporary:
        # Text is written as text: never a formula, a number or a link (a title "=1+1").
        book = xlsxwriter.Workbook(str(temporary), {
            "constant_memory": True, "strings_to_numbers": False,
            "strings_to_formulas": False, "strings_to_urls": False})
        f_title, f_header, base = title_and_header_formats(book, font_size=10)
        f_text = book.add_format({**base, "text_wrap": True})
        f_number = book.add_format({**base, "align": "center"})
        day_format = book.add_format({**base, "align": "center",  # a real date
                                      "num_format": CHINESE_DATE if language == "zh"
                                      else "d mmm yyyy"})
        share_format = book.add_format({**base, "align": "center",  # as the screen: 50%
                                        "num_format": "0%"})
        period = {"start": full_date(sb.start), "end": full_date(sb.end)}

        def sheet(name: str, header: list[str], widths: list[int], rows: int,
                  frozen_columns: int) -> Any:
            """A sheet with its title (row 0), its header (row 1), ``rows`` rows below, and
            the print setup every printed workbook of the office has."""
            made = book.add_worksheet(name)
            for index, width in enumerate(widths):
                made.set_column(index, index, width)
            last = len(widths) - 1
            made.set_row(0, 30)
            made.merge_range(0, 0, 0, last, xlsx_text(t("scores.title", sheet=name, **period)),
                             f_title)
            made.set_row(1, 30)
            made.write_row(1, 0, [xlsx_text(text) for text in header], f_header)
            made.autofilter(1, 0, 1 + rows, last)
            print_setup(made, header_rows=2, footer=t("scores.footer"),
                        freeze=(2, frozen_columns))
            return made

        ranking = sheet(t("scores.sheet.ranking"),
                        [t("scores.col.rank"), t("scores.col.unit"), t("scores.col.points")]
                        + [t("scores.col.rule_points", rule=t(f"scores.rule.{rule}"))
                           for rule in RULES],
                        [8, 14, 10] + [12] * len(RULES), len(sb.ranking), 2)
        for row, score in enumerate(sb.ranking, start=2):
            ranking.write_number(row, 0, score.rank, f_number)
            ranking.write_string(row, 1, xlsx_text(score.name), f_text)
            ranking.write_row(row, 2, [round(score.points, 2)]
                              + [round(score.by_rule[rule], 2) for rule in RULES], f_number)

        evidence = sheet(t("scores.sheet.evidence"), [
            t("scores.col.unit"), t("scores.col.points"), t("scores.col.rule"),
            t("scores.col.role"), t("scores.col.code"), t("scores.col.title"),
            t("scores.col.day"), t("scores.col.detail")],
            [14, 10, 14, 10, 14, 44, 16, 50], len(sb.evidence), 1)
        rule_names = {rule: t(f"scores.rule.{rule}") for rule in RULES}
        role_names = {role: t(f"unit_role.{role}") for role in ("lead", "support")}
        for row, e in enumerate(sb.evidence, start=2):
            evidence.write_string(row, 0, xlsx_text(e.department), f_text)
            evidence.write_number(row, 1, e.points, f_number)
            evidence.write_string(row, 2, rule_names[e.rule], f_number)
            evidence.write_string(row, 3, role_names.get(e.role) or t(f"unit_role.{e.role}"),
                                  f_number)
            evidence.write_string(row, 4, xlsx_text(e.code), f_number)
            evidence.write_string(row, 5, xlsx_text(e.title), f_text)
            evidence.write_datetime(row, 6, e.day, day_format)
            evidence.write_string(row, 7, xlsx_text(e.detail), f_text)
            if progress is not None and (row - 1) % PROGRESS_EVERY == 0:
                progress(row - 1, len(sb.evidence))

        pairs = sheet(t("scores.sheet.pairs"), [
            t("scores.col.first"), t("scores.col.second"), t("scores.col.shared"),
            t("scores.col.on_time"), t("scores.col.returned"), t("scores.col.overdue"),
            t("scores.col.weak")], [14, 14, 10, 10, 10, 10, 12], len(sb.pairs), 2)
        for row, p in enumerate(sb.pairs, start=2):
            pairs.write_string(row, 0, xlsx_text(p.first), f_text)
            pairs.write_string(row, 1, xlsx_text(p.second), f_text)
            pairs.write_row(row, 2, [p.shared, p.on_time, p.returned, p.overdue], f_number)
            pairs.write_number(row, 6, round(p.weak_share, 3), share_format)
        book.close()
