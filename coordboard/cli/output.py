"""Printing rows as an aligned table (CJK counts double), JSON or CSV, and plain lines.

What reaches a terminal as text (tables, CSV, plain lines) shows every control character
of user text as a visible symbol (``safe_text.visible``): a title cannot clear the
screen or retitle the window, a newline cannot break a table's rows. JSON stays exact,
so stored text round-trips (``json.dumps`` escapes control characters itself).
"""

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

import click

from coordboard.textwidth import display_width as width


def _pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


def _cell(value: Any) -> str:
    """A value as a table or CSV shows it: in the reader's language (是/否, never True/False),
    every control character visible."""
    from coordboard.safe_text import visible  # its tables: built by commands that print

    if isinstance(value, bool):
        from coordboard.i18n import t

        return t("cli.yes" if value else "cli.no")
    return "" if value is None else visible(str(value))


def terminal_width() -> int | None:
    """The terminal's width (``COLUMNS`` first, as a shell sets it), or None when the output
    is not a terminal: a file or a pipe gets whole rows."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if not sys.stdout.isatty():
        return None
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        return None


def _is_terminal(stream: TextIO) -> bool:
    return stream.isatty()


@contextmanager
def ledger_progress() -> Iterator[Callable[[int, int], None] | None]:
    """A progress line on standard error for a ledger being written (100,000 tasks take
    seconds), rewritten in place and erased at the end, while standard error is a terminal;
    None otherwise: scripts and pipes get only the result line."""
    from coordboard.i18n import t

    stream = sys.stderr
    if not _is_terminal(stream):
        yield None
        return
    shown = 0  # columns of the line on screen

    def show(line: str) -> None:
        nonlocal shown
        stream.write("\r" + _pad(line, shown))
        stream.flush()
        shown = max(shown, width(line))

    try:
        show(t("cli.ledger_started"))  # the reads before the first row take seconds at 100k
        yield lambda written, total: show(t("cli.ledger_progress", rows=written, total=total))
    finally:
        if shown:
            stream.write("\r" + " " * shown + "\r")
            stream.flush()


# No column is cut narrower than this (or its own widest cell, if narrower).
MIN_COLUMN = 6


def _fit(sizes: list[int], limit: int) -> list[int]:
    """Column widths that fit ``limit``: the widest column gives a column at a time."""
    sizes = list(sizes)
    floor = [min(size, MIN_COLUMN) for size in sizes]
    excess = sum(sizes) + 2 * (len(sizes) - 1) - limit
    while excess > 0:
        widest = max(range(len(sizes)), key=lambda i: sizes[i] - floor[i])
        if sizes[widest] <= floor[widest]:
            break  # as narrow as it goes: the row wraps rather than lose every column
        second = max((s for i, s in enumerate(sizes) if i != widest), default=0)
        step = min(excess, sizes[widest] - max(second, floor[widest]) or 1)
        sizes[widest] -= step
        excess -= step
    return sizes


def _cut(text: str, size: int) -> str:
    """``text`` in at most ``size`` columns, ending in "…" when cut."""
    if width(text) <= size:
        return text
    kept, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > size - 1:
            break
        kept.append(ch)
        used += w
    return "".join(kept) + "…"


def render_table(headers: Sequence[str], rows: Sequence[Sequence[Any]],
                 max_width: int | None = None) -> str:
    """An aligned table; long text is cut (with "…") so rows fit ``max_width`` columns,
    by default the terminal's (``terminal_width``)."""
    cells = [[_cell(c) for c in headers]] + [[_cell(c) for c in row] for row in rows]
    sizes = [max(width(row[i]) for row in cells) for i in range(len(headers))]
    limit = terminal_width() if max_width is None else max_width
    if limit is not None:
        sizes = _fit(sizes, limit)
        cells = [[_cut(c, s) for c, s in zip(row, sizes, strict=True)] for row in cells]
    return "\n".join("  ".join(_pad(c, s) for c, s in zip(row, sizes, strict=True)).rstrip()
                     for row in cells)


def say(text: str, *, err: bool = False) -> None:
    """Print one line that may quote user text (a title, a note, a name) to the terminal:
    control characters shown as visible symbols, line breaks of the line itself kept."""
    from coordboard.safe_text import visible

    click.echo("\n".join(visible(line) for line in text.split("\n")), err=err)


def emit(fmt: str, headers: Sequence[str], keys: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    if fmt == "json":
        import json

        click.echo(json.dumps([dict(zip(keys, row, strict=True)) for row in rows],
                              ensure_ascii=False, indent=1, default=str))
    elif fmt == "csv":  # for people (Excel): headers and words in their language, like the table
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows([_cell(c) for c in row] for row in rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        click.echo(render_table(headers, rows))
