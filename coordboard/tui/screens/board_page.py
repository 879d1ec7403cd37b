"""A page of the board as its table shows it, read in a worker (board.py: the page shown
and the one read ahead)."""

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text

from coordboard.i18n import listing
from coordboard.services import board
from coordboard.tui import format as fmt

if TYPE_CHECKING:
    from sqlmodel import Session

    from coordboard.services.lights import LightContext

PAGE_SIZE = 50  # a screenful or two: a page costs its rows, in SQL and in the table


def now() -> float:
    """The clock pages and counts are aged by (``time.monotonic``; tests move it)."""
    return time.monotonic()


@dataclass(frozen=True)
class ShownPage:
    """A page of the board as the table shows it: its cells are made where it is read
    (in a worker), so showing it costs the UI thread only the table's refill."""

    offset: int
    rows: list[tuple[str, list[Text]]]
    estimated: bool  # a deadline on it is marked as estimated
    read_at: float  # now()

    @classmethod
    def read(cls, session: "Session", flt: board.BoardFilter, ctx: "LightContext",
             offset: int) -> "ShownPage":
        read_at = now()
        page = board.page(session, flt, ctx, offset=offset, limit=PAGE_SIZE, with_total=False)
        return cls(offset, [(row.task.code, cells(row)) for row in page.rows],
                   any(row.deadline_estimated for row in page.rows), read_at)


def cells(row: board.BoardRow) -> list[Text]:
    task, verdict = row.task, row.verdict
    # User text goes in as plain Text: never markup, control characters shown as symbols.
    return [
        fmt.plain(task.code), fmt.light(verdict.light.value), fmt.plain(task.title),
        fmt.plain(row.lead), fmt.plain(listing(row.supporters)),
        fmt.deadline(task.deadline, row.deadline_estimated),
        fmt.workdays_left(verdict.workdays_left), fmt.status(task.status),
        Text(fmt.ago(task.last_feedback_at) if task.last_feedback_at else "—"),
    ]


