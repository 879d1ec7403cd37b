"""When a closed task counts as closed on time (按期办结), for the ledger, the bulletin and
the period reports: the scoreboard's rule (``rules.is_on_time``: the accepted closure was
*requested* on or before the scoring deadline), with the scoring deadline of
``scores.scoring_deadlines`` (the original deadline, moved only by extensions approved in
time). A task asked for on time and accepted late is on time everywhere (GLOSSARY: "judged
by the request's date").
"""

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from coordboard.services.rules import is_on_time
from coordboard.services.scores import scoring_deadlines


def due_dates(session: Session, tasks: dict[int, Any], zone: ZoneInfo) -> dict[int, date]:
    """Per task id: the date its closure had to be asked for by. ``tasks`` rows need
    ``deadline`` and ``original_deadline``."""
    return scoring_deadlines(session, tasks, zone)


def closed_on_time(row: Any, due: date) -> bool:
    """``row`` needs ``status`` and ``closure_requested_on``."""
    return is_on_time(row, due)
