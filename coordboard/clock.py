"""The one place coordboard asks for the time.

Tests freeze it with ``pendulum.travel_to``; the demo loader replays history at
past instants with ``at()``, which only affects the current context.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import lru_cache

import pendulum

_override: ContextVar[pendulum.DateTime | None] = ContextVar("coordboard_clock", default=None)


def now() -> pendulum.DateTime:
    fixed = _override.get()
    return fixed if fixed is not None else pendulum.now("UTC")


def today(timezone: str) -> date:
    """The calendar day in the office's time zone (a deadline is a local day)."""
    return now().in_timezone(timezone).date()


def local(instant: datetime, timezone: str) -> pendulum.DateTime:
    """An instant from the database, in the office's time zone (``settings.timezone``).

    No default: a default zone silently ignored the configured one in three services."""
    return pendulum.instance(instant).in_timezone(_zone(timezone))


@lru_cache(maxsize=8)
def _zone(name: str) -> pendulum.Timezone:
    # pendulum reads the zone file on every lookup by name; a report formats thousands.
    return pendulum.timezone(name)


@contextmanager
def at(instant: pendulum.DateTime) -> Iterator[None]:
    token = _override.set(instant.in_timezone("UTC"))
    try:
        yield
    finally:
        _override.reset(token)
