"""When a closed task counts as closed on time (按期办结), for the ledger and the bulletin.

For now: closed (local date) on or before its scoring deadline, which is the original
deadline moved only by extensions approved in time (``scores.scoring_deadlines``). The
definition is being revised elsewhere; it lives here alone so it can be swapped in one place.
"""

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from coordboard.services.scores import scoring_deadlines


def due_dates(session: Session, tasks: dict[int, Any], zone: ZoneInfo) -> dict[int, date]:
    """Per task id: the date it had to be closed by. ``tasks`` rows need ``deadline`` and
    ``original_deadline``."""
    return scoring_deadlines(session, tasks, zone)


def closed_on_time(closed_on: date, due: date) -> bool:
    return closed_on <= due
