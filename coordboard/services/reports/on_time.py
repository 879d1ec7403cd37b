"""When a closed task counts as closed on time (按期办结), for the ledger, the bulletin and
the period reports: the scoreboard's rule (``rules.is_on_time``: the accepted closure was
*requested* on or before the scoring deadline), with the scoring deadline of
``scores.scoring_deadlines`` (the original deadline, moved only by extensions approved in
time). A task asked for on time and accepted late is on time everywhere (GLOSSARY: "judged
by the request's date").

Counting reports judge the tasks whose deadline never moved in SQL (their scoring deadline
is their original deadline: ``UNEXTENDED`` and ``plain_on_time_sql``) and read only the few
extended ones, with their extension history, into Python (``extended_verdicts``).
"""

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select as sql_select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from coordboard.models import Task
from coordboard.services.rules import is_on_time, on_time_sql
from coordboard.services.scores import UNEXTENDED, scoring_deadlines


def due_dates(session: Session, tasks: dict[int, Any], zone: ZoneInfo) -> dict[int, date]:
    """Per task id: the date its closure had to be asked for by. ``tasks`` rows need
    ``deadline`` and ``original_deadline``."""
    return scoring_deadlines(session, tasks, zone)


def closed_on_time(row: Any, due: date) -> bool:
    """``row`` needs ``status`` and ``closure_requested_on``."""
    return is_on_time(row, due)


def plain_on_time_sql() -> ColumnElement[bool]:
    """``closed_on_time`` in SQL for an ``UNEXTENDED`` task: closed, its closure asked for
    by its original deadline. Never NULL, so its negation is "closed late"."""
    return on_time_sql(col(Task.original_deadline))


def extended_verdicts(session: Session, where: Any, zone: ZoneInfo) -> dict[int, bool]:
    """Per task selected by ``where`` whose deadline was moved: closed on time or not,
    judged with its extension history."""
    rows = {row.id: row for row in session.execute(
        sql_select(col(Task.id), col(Task.deadline), col(Task.original_deadline),
                   col(Task.status), col(Task.closure_requested_on))
        .where(where, ~UNEXTENDED)).all()}
    due = due_dates(session, rows, zone)
    return {task_id: closed_on_time(row, due[task_id]) for task_id, row in rows.items()}
