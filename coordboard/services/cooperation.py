"""How well each pair of units works together in a scoring period (the scoreboard's 协同情况).

For each pair of units sharing tasks active in the period: the shared tasks, those closed
on time in the period, returned in the period, overdue (the scoring deadline fell in the
period and passed unmet) and the distinct tasks that were either; worst linkage first.

The pairs, their shared tasks and the verdicts of the tasks whose deadline never moved are
one grouped query (at 100k tasks: ~92,000 active tasks and ~280,000 unit pairs in a month).
On a SQLite file it runs on a second connection while the scoreboard judges the rest: SQLite
works without holding Python's lock, so the two overlap on two cores. Its rows are used only
if both connections read one state of the file (``state_watch``); otherwise, or on
PostgreSQL, the query runs in the scoreboard's own session.
"""

import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, and_, func, or_
from sqlalchemy import select as sql_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from coordboard.db import sqlite_path
from coordboard.models import Task, TaskUnit
from coordboard.services import rules
from coordboard.services.state_watch import StateWatch

# (unit, other unit, shared, on time, overdue)
PairRows = Select[int, int, int, int, int]
READY_S = 10.0  # for the second connection's snapshot to begin; a read never waits on locks


@dataclass(frozen=True)
class PairStats:
    first: str
    second: str
    shared: int
    on_time: int
    returned: int
    overdue: int
    weak: int = 0  # distinct shared tasks returned or overdue (a task both counts once)

    @property
    def weak_share(self) -> float:
        """Rate of shared tasks returned or overdue in the period: where linkage is weak."""
        return self.weak / self.shared if self.shared else 0.0


def active_in(start_at: datetime, end_at: datetime) -> tuple[ColumnElement[bool], ...]:
    """Tasks active in the period: dispatched before it ended, not closed before it began."""
    return (col(Task.status).not_in(rules.NOT_SCORED), col(Task.dispatched_at).is_not(None),
            col(Task.dispatched_at) < end_at,
            or_(col(Task.closed_at).is_(None), col(Task.closed_at) >= start_at))


def _is_active(task: Any, start_at: datetime, end_at: datetime) -> bool:
    """``active_in`` for a task already read."""
    return not (task.status in rules.NOT_SCORED or task.dispatched_at is None
                or task.dispatched_at >= end_at
                or (task.closed_at is not None and task.closed_at < start_at))


def pairs_statement(start_at: datetime, end_at: datetime, on_time: ColumnElement[bool],
                    overdue: ColumnElement[bool]) -> PairRows:
    """The pairs' rows; ``on_time`` and ``overdue`` are the scoreboard's verdicts on a task
    whose deadline never moved, as SQL."""
    first, second = aliased(TaskUnit), aliased(TaskUnit)
    a_unit, b_unit = col(first.department_id), col(second.department_id)
    # The active tasks as a subquery as well as a join (scores.units_of_tasks says why).
    return (sql_select(a_unit, b_unit, func.count(), rules.count_if(on_time),
                       rules.count_if(overdue))
            .select_from(first)
            .join(Task, col(Task.id) == col(first.task_id))
            .join(second, and_(col(second.task_id) == col(first.task_id), b_unit > a_unit))
            .where(col(first.task_id).in_(sql_select(col(Task.id))
                                          .where(*active_in(start_at, end_at))))
            .group_by(a_unit, b_unit))


class PairReader:
    """Reads ``statement`` on a second connection from now on, where it can. Make it before
    the session's first read and call ``begun`` right after that read."""

    def __init__(self, session: Session, statement: PairRows) -> None:
        self._session, self._statement = session, statement
        self._rows: list[Any] | None = None
        self._same = False  # both connections read one state of the file
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._watch: StateWatch | None = None
        bind = session.get_bind()
        file = sqlite_path(bind.engine.url)
        # A session already reading may have begun its snapshot before watching starts.
        if file is None or session.in_transaction():
            return
        self._watch = StateWatch.open(file)
        if self._watch is not None:
            self._thread = threading.Thread(target=self._read_aside, args=(bind.engine,),
                                            name="coordboard-pairs", daemon=True)
            self._thread.start()

    def _read_aside(self, engine: Engine) -> None:
        try:
            with engine.connect() as connection:
                # A reader, even beside a writing session (whose engine begins IMMEDIATE).
                connection.execution_options(sqlite_begin="DEFERRED")
                connection.begin()
                connection.exec_driver_sql("SELECT 1 FROM task LIMIT 1")  # its snapshot begins
                self._ready.set()
                self._rows = list(connection.execute(self._statement).all())
        except Exception:  # noqa: BLE001 - the session reads them instead: it costs only time
            self._rows = None
        finally:
            self._ready.set()

    def begun(self) -> None:
        """The session's snapshot has begun: are the two the same?"""
        if self._watch is not None:
            try:
                self._same = self._ready.wait(READY_S) and self._watch.unchanged()
            finally:
                self._watch.close()
                self._watch = None

    def rows(self) -> list[Any]:
        if self._same and self._thread is not None:
            self._thread.join()  # else its rows are not wanted: it ends on its own
            if self._rows is not None:
                return self._rows
        return list(self._session.connection().execute(self._statement).all())


def cooperation(reader: PairReader, start_at: datetime, end_at: datetime,
                names: dict[int | None, str], flags: dict[int, list[bool]],
                units: dict[int, list[tuple[int, str]]], tasks: dict[int, Any]) -> list[PairStats]:
    """The pairs, worst linkage first. ``flags``: (closed on time, returned, overdue) per
    task the scoreboard judged, ``tasks`` those tasks as read and ``units`` their units.
    The query counted the on-time and overdue tasks whose deadline never moved; the others,
    and every return, are counted here."""
    stats = {(a, b): [int(n), int(on_time), 0, int(overdue), int(overdue)]
             for a, b, n, on_time, overdue in reader.rows()}
    # The pairs of each task judged here, listed per figure and counted at once.
    on_time_pairs: list[tuple[int, int]] = []
    returned_pairs: list[tuple[int, int]] = []
    overdue_pairs: list[tuple[int, int]] = []
    weak_pairs: list[tuple[int, int]] = []
    for task_id, (on_time, returned, overdue) in flags.items():
        task = tasks[task_id]
        plain = task.deadline == task.original_deadline  # judged by the query
        if (plain and not returned) or not _is_active(task, start_at, end_at):
            continue
        task_pairs = list(combinations(sorted({dept for dept, _ in units.get(task_id, [])}), 2))
        if returned:
            returned_pairs += task_pairs
        if not plain:
            if on_time:
                on_time_pairs += task_pairs
            if overdue:
                overdue_pairs += task_pairs
        if (returned or overdue) and not (plain and overdue):  # weak once, whoever counts it
            weak_pairs += task_pairs
    counted = [Counter(found) for found in (on_time_pairs, returned_pairs, overdue_pairs,
                                            weak_pairs)]
    for pair, entry in stats.items():  # a pair committed between two reads is not in stats
        for index, count in enumerate(counted, start=1):
            entry[index] += count[pair]
    pairs = [PairStats(names.get(a, "?"), names.get(b, "?"), *entry)
             for (a, b), entry in stats.items()]
    return sorted(pairs, key=lambda p: (-p.weak_share, -p.shared, p.first, p.second))
