"""Choices for Select widgets. Textual parses a plain-string prompt as markup, so any
prompt that may hold user text (a unit's name, a note) goes in as Rich Text."""

from collections.abc import Iterable
from typing import Any

from rich.text import Text

from coordboard.db import Database
from coordboard.safe_text import visible

Choice = tuple[str | Text, Any]


def literal(pairs: Iterable[tuple[str, Any]]) -> list[Choice]:
    return [(Text(visible(label)), value) for label, value in pairs]


def active_units(db: Database) -> list[tuple[str, int]]:
    """(short name, id) of every active unit, in the directory's order."""
    from coordboard.services.directory import list_departments

    with db.read() as session:
        return [(d.short_name, d.id or 0) for d in list_departments(session) if d.active]
