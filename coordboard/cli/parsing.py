"""Turning command-line text into domain values, with translated messages."""

import re
from datetime import date
from typing import Any

import click

from coordboard.errors import CoordboardError, NotFoundError, ValidationError
from coordboard.services.fields import typed_date

# Bounded numbers: a database integer id, a page number. Past these a value is a mistake,
# and unbounded it reached the driver as an overflow and a traceback.
ID = click.IntRange(1, 2**31 - 1)
PAGE = click.IntRange(1, 1_000_000)


def decode_arguments(args: list[str]) -> list[str]:
    """Command-line arguments as text.

    Python hands over bytes that are not UTF-8 as lone surrogates (surrogateescape). A
    Chinese Windows console may send GBK, so such bytes are read as GB18030 (a superset)
    when they are valid there; otherwise the argument is refused in one sentence. The
    whole argument is tried first (a console sends one encoding, and some GBK pairs happen
    to be valid UTF-8); failing that, each run of undecodable bytes on its own."""
    return [_decode(arg) for arg in args]


def _decode(arg: str) -> str:
    if not _SURROGATES.search(arg):
        return arg
    try:
        return arg.encode("utf-8", "surrogateescape").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    try:
        return _SURROGATES.sub(
            lambda run: run.group().encode("utf-8", "surrogateescape").decode("gb18030"), arg)
    except (UnicodeEncodeError, UnicodeDecodeError):
        raise CoordboardError("error.bad_argument_bytes") from None


_SURROGATES = re.compile("[\ud800-\udfff]+")


def parse_date(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return typed_date(value)
    except ValueError:
        # Written right but not on the calendar (2026-02-30): not a format mistake.
        shaped = re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()) is not None
        raise ValidationError("error.no_such_date" if shaped else "error.bad_date", field=field,
                              value=value) from None


def department(session: Any, name: str) -> int:
    from coordboard.services.directory import department_ids_by_name

    found = department_ids_by_name(session).get(name.strip())
    if found is None:
        raise NotFoundError("error.unknown_unit", name=name)
    return found
