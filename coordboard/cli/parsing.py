"""Turning command-line text into domain values, with translated messages."""

from datetime import date
from typing import Any

from coordboard.errors import NotFoundError, ValidationError


def parse_date(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError("error.bad_date", field=field, value=value) from None


def department(session: Any, name: str) -> int:
    from coordboard.services.directory import department_ids_by_name

    found = department_ids_by_name(session).get(name.strip())
    if found is None:
        raise NotFoundError("error.unknown_unit", name=name)
    return found
