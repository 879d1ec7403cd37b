"""Printing rows as an aligned table (CJK counts double), JSON or CSV."""

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

import click

from coordboard.textwidth import display_width as width


def _pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


def render_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(c) for c in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    sizes = [max(width(row[i]) for row in cells) for i in range(len(headers))]
    return "\n".join("  ".join(_pad(c, s) for c, s in zip(row, sizes, strict=True)).rstrip()
                     for row in cells)


def emit(fmt: str, headers: Sequence[str], keys: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    if fmt == "json":
        click.echo(json.dumps([dict(zip(keys, row, strict=True)) for row in rows],
                              ensure_ascii=False, indent=1, default=str))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(keys)
        writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        click.echo(render_table(headers, rows))
