"""Choices for Select widgets. Textual parses a plain-string prompt as markup, so any
prompt that may hold user text (a unit's name, a note) goes in as Rich Text."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.text import Text

from coordboard.safe_text import visible

if TYPE_CHECKING:
    from sqlmodel import Session

Choice = tuple[str | Text, Any]


def literal(pairs: Iterable[tuple[str, Any]]) -> list[Choice]:
    return [(Text(visible(label)), value) for label, value in pairs]


def active_units(session: "Session") -> list[tuple[str, int]]:
    """(short name, id) of every active unit, in the directory's order; called from a
    worker thread with its session (never on the UI thread)."""
    from coordboard.services.directory import list_departments

    return [(d.short_name, d.id or 0) for d in list_departments(session) if d.active]


def leader_choices(session: "Session") -> list[tuple[str, int]]:
    """(name, user id) of every active leader user (who can answer for a task); from a
    worker thread, like ``active_units``."""
    from coordboard.services.leaders import leader_users

    return [(choice.label, choice.id) for choice in leader_users(session)]
