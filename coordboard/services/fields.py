"""One set of limits for every text a user types, checked in services the same on every backend.

SQLite stores a 2 MB title that PostgreSQL refuses, and PostgreSQL cannot store NUL
or a lone surrogate at all; so the rule lives here, not in the database. Limits are
what an office needs (a title fits a bulletin line; a feedback or a letter fits a
page or several), each below its column's size in ``models.py``.
"""

from datetime import date

from coordboard.errors import ValidationError

LIMITS: dict[str, int] = {
    "title": 200,
    "description": 10_000,
    "part": 1_000,
    "category": 50,
    "leader": 100,
    "instruction_by": 100,  # 批示领导
    "instruction_text": 10_000,  # 批示内容
    "body": 10_000,  # feedback and supervision notes
    "response": 10_000,
    "reason": 10_000,
    "note": 10_000,  # decision notes
    "decision": 10_000,  # the review's decision text
    "attendees": 2_000,
    "next_steps": 10_000,
    "name": 100,  # department
    "short_name": 40,
    "username": 64,
    "display_name": 100,
    "calendar_note": 200,
    "filter_name": 60,
    "search": 200,
    "stage_title": 200,  # a stage (阶段节点) of a task
    "report": 10_000,  # what was said when a stage was marked reached
}


def _bad_character(value: str) -> str | None:
    if "\x00" in value:
        return "error.text_nul"
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        return "error.text_surrogate"
    return None


def check(field: str, value: str, *, required: bool = False) -> str:
    """``value`` unchanged if it fits ``field``'s rules; else a ValidationError naming the field.

    ``required`` refuses an empty or all-blank value.
    """
    label = f"field.{field}"
    if not isinstance(value, str):
        raise ValidationError("error.text_type", field=_label(label))
    bad = _bad_character(value)
    if bad is not None:
        raise ValidationError(bad, field=_label(label))
    limit = LIMITS[field]
    if len(value) > limit:
        raise ValidationError("error.text_too_long", field=_label(label), limit=limit,
                              length=len(value))
    if required and not value.strip():
        raise ValidationError("error.field_required", field=_label(label))
    return value


def check_optional(field: str, value: str | None) -> str | None:
    return None if value is None else check(field, value)


def label(key: str) -> str:
    """A field's name in the interface language, from its catalogue key."""
    return _label(key)


def _label(key: str) -> str:
    from coordboard.i18n import t

    return t(key)


def typed_date(text: str) -> date:
    """A date as a user types it: ISO (2026-12-05), also in full-width characters as a
    Chinese input method gives them (２０２６－１２－０５); ValueError otherwise."""
    import unicodedata

    return date.fromisoformat(unicodedata.normalize("NFKC", text).strip())
