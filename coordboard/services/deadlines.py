"""The one check of deadlines and working-day counts, for every front end and the review.

A deadline is a local day between today and ``max_deadline_years`` ahead; a count
of working days is 1..``max_workdays``. Without it, ``9999-12-31`` or 100,000
working days were stored and later broke every listing that does date arithmetic.
"""

from datetime import date, datetime

from coordboard.config import Settings
from coordboard.errors import ValidationError


def latest(today: date, settings: Settings) -> date:
    """The last day a deadline may fall on (same month and day, ``max_deadline_years`` on)."""
    years = max(settings.max_deadline_years, 0)
    year = min(today.year + years, date.max.year)
    try:
        return today.replace(year=year)
    except ValueError:  # 29 February into a common year
        return today.replace(year=year, day=28)


def earliest(today: date, settings: Settings) -> date:
    """The first day a past date the office records may fall on (an instruction's day):
    the same window as deadlines, ``max_deadline_years`` back."""
    years = max(settings.max_deadline_years, 0)
    year = max(today.year - years, date.min.year)
    try:
        return today.replace(year=year)
    except ValueError:  # 29 February into a common year
        return today.replace(year=year, day=28)


def check_past_date(value: date, *, today: date, settings: Settings, field: str) -> date:
    """A day something happened (批示日期): a real date, not after today, not absurdly long
    ago. ``field`` is the catalogue key of the field's name, for the message."""
    from coordboard.services.fields import label

    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError("error.date_type", field=label(field))
    if value > today:
        raise ValidationError("error.date_future", field=label(field), value=value.isoformat(),
                              today=today.isoformat())
    first = earliest(today, settings)
    if value < first:
        raise ValidationError("error.date_too_old", field=label(field), value=value.isoformat(),
                              first=first.isoformat(), years=settings.max_deadline_years)
    return value


def check_date(value: date, *, today: date, settings: Settings, field: str = "deadline",
               allow_past: bool = False) -> date:
    """A deadline, respond-by or extension date: not past (unless allowed), not absurdly far."""
    if not allow_past and value < today:
        raise ValidationError("error.deadline_past", deadline=value.isoformat())
    last = latest(today, settings)
    if value > last:
        raise ValidationError("error.deadline_too_far", deadline=value.isoformat(),
                              last=last.isoformat(), years=settings.max_deadline_years)
    return value


def check_workdays(value: int, *, settings: Settings) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("error.workdays_range", value=value, maximum=settings.max_workdays)
    if not 1 <= value <= settings.max_workdays:
        raise ValidationError("error.workdays_range", value=value, maximum=settings.max_workdays)
    return value
