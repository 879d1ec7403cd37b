"""Printing rows as an aligned table (CJK counts double), JSON or CSV, and plain lines.

What reaches a terminal as text (tables, CSV, plain lines) shows every control character
of user text as a visible symbol (``safe_text.visible``): a title cannot clear the
screen or retitle the window, a newline cannot break a table's rows. JSON stays exact,
so stored text round-trips (``json.dumps`` escapes control characters itself).
"""

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

import click

from coordboard.safe_text import visible
from coordboard.textwidth import display_width as width


def _pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


def _cell(value: Any) -> str:
    return "" if value is None else visible(str(value))


def render_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[_cell(c) for c in headers]] + [[_cell(c) for c in row] for row in rows]
    sizes = [max(width(row[i]) for row in cells) for i in range(len(headers))]
    return "\n".join("  ".join(_pad(c, s) for c, s in zip(row, sizes, strict=True)).rstrip()
                     for row in cells)


def say(text: str, *, err: bool = False) -> None:
    """Print one line that may quote user text (a title, a note, a name) to the terminal:
    control characters shown as visible symbols, line breaks of the line itself kept."""
    click.echo("\n".join(visible(line) for line in text.split("\n")), err=err)


def emit(fmt: str, headers: Sequence[str], keys: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    if fmt == "json":
        click.echo(json.dumps([dict(zip(keys, row, strict=True)) for row in rows],
                              ensure_ascii=False, indent=1, default=str))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(keys)
        writer.writerows([_cell(c) for c in row] for row in rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        click.echo(render_table(headers, rows))
