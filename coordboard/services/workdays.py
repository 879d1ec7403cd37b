"""China's working-day calendar: statutory holidays and makeup working days (调休).

The statutory schedule comes from the ``holidays`` package (country CN), which
knows both the days off and the weekend days that become working days. The
office corrects or completes it with ``CalendarOverride`` rows; a year for which
neither source has official data is reported, never silently guessed.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays
from holidays import HolidayBase
from sqlmodel import Session, select

from coordboard.errors import ValidationError
from coordboard.models import CalendarOverride


class DateOutOfRange(ValidationError):
    key = "error.date_out_of_range"


# Past this year the statutory source knows nothing (its lunar tables end); a working day
# there is a weekday unless the office says otherwise, counted arithmetically, so a stored
# deadline such as 9999-12-31 never builds per-year tables or runs past ``date.max``.
HORIZON_YEAR = 2099


def _weekdays_through(day: date) -> int:
    """Monday–Friday days from 0001-01-01 (a Monday) through ``day``."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


@lru_cache(maxsize=1)
def _china() -> type[HolidayBase]:
    """China's holiday class, loaded from its own module alone.

    ``holidays.country_holidays("CN")`` and even ``from holidays.countries.china import
    China`` run ``holidays/countries/__init__.py``, which imports all ~250 countries'
    modules (0.3 s of a cold start, 0.7–4 s on a loaded machine). China's module needs
    only holidays' core (calendars, groups, helpers), so it is executed by itself under its
    own name; a later import of ``holidays.countries`` finds it in ``sys.modules`` and
    reuses it. Should the library's layout ever change, the registry path still works.
    """
    import importlib.util
    import sys
    from pathlib import Path

    name = "holidays.countries.china"
    module = sys.modules.get(name)
    if module is None:
        path = Path(holidays.__file__).parent / "countries" / "china.py"
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None or not path.is_file():
            return type(holidays.country_holidays("CN"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except Exception:
            del sys.modules[name]
            raise
    china: type[HolidayBase] = module.China
    return china


@lru_cache(maxsize=128)  # every year up to HORIZON_YEAR
def _statutory(year: int) -> HolidayBase:
    return _china()(years=[year])


@lru_cache(maxsize=16)
def _holiday_names(year: int, language: str) -> HolidayBase:
    return _china()(years=[year], language="zh_CN" if language == "zh" else "en_US")


@lru_cache(maxsize=8192)
def _statutory_workday(day: date) -> bool:
    # holidays' own lookup is slow enough to show on a page of 50 deadlines.
    if day.year > HORIZON_YEAR:
        return day.weekday() < 5
    return bool(_statutory(day.year).is_working_day(day))


@lru_cache(maxsize=256)  # asked per row by the board and the ledger
def has_official_schedule(year: int) -> bool:
    """Whether the statutory source has the State Council's schedule for ``year``.

    Every year's schedule so far has moved at least one weekend to a working day;
    for years not yet published the library only estimates the days off.
    """
    return any(day.year == year for day in _statutory(year).weekend_workdays)


@dataclass(frozen=True)
class WorkCalendar:
    """Statutory calendar plus the office's overrides (date → is a working day)."""

    overrides: Mapping[date, bool] = field(default_factory=dict)
    # Years whose official schedule the office entered and confirmed (calendar confirm/import).
    confirmed_years: frozenset[int] = frozenset()
    _cumulative: dict[int, list[int]] = field(default_factory=dict, compare=False, repr=False)

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return _statutory_workday(day)

    def add_workdays(self, start: date, count: int) -> date:
        """The date ``count`` working days after ``start`` (``start`` itself not counted).

        Raises ``DateOutOfRange`` rather than running past the calendar's first or last day."""
        step = 1 if count >= 0 else -1
        day, remaining = start, abs(count)
        while remaining:
            try:
                day += timedelta(days=step)
            except OverflowError:
                raise DateOutOfRange("error.date_out_of_range", start=start.isoformat(),
                                     count=count) from None
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when ``end`` is before ``start``.

        A board page asks this for every row, so it is a lookup in per-year running
        counts rather than a walk over the days in between; past ``HORIZON_YEAR`` it
        counts weekdays arithmetically and applies the office's overrides there."""
        if end < start:
            return -self.workdays_between(end, start)
        last_exact = date(HORIZON_YEAR, 12, 31)
        total = 0
        if start < last_exact:
            stop = min(end, last_exact)
            whole_years = sum(self._year_counts(year)[-1] for year in range(start.year, stop.year))
            total += whole_years + self._through(stop) - self._through(start)
        if end > last_exact:
            low = max(start, last_exact)
            total += _weekdays_through(end) - _weekdays_through(low)
            for day, is_workday in self.overrides.items():
                if low < day <= end and is_workday != (day.weekday() < 5):
                    total += 1 if is_workday else -1
        return total

    def _through(self, day: date) -> int:
        return self._year_counts(day.year)[day.timetuple().tm_yday - 1]

    def _year_counts(self, year: int) -> list[int]:
        """Running count of working days through each day of ``year`` (``year`` ≤ HORIZON_YEAR)."""
        cached = self._cumulative.get(year)
        if cached is None:
            statutory = _statutory(year)
            days_off, makeup = set(statutory), set(statutory.weekend_workdays)
            first, running, cached = date(year, 1, 1), 0, []
            for offset in range((date(year + 1, 1, 1) - first).days):
                day = first + timedelta(days=offset)
                if day in self.overrides:
                    running += self.overrides[day]
                elif day.weekday() >= 5:
                    running += day in makeup
                else:
                    running += day not in days_off
                cached.append(running)
            self._cumulative[year] = cached
        return cached

    def skipped_days(self, start: date, end: date) -> list[date]:
        """Non-working days strictly after ``start`` up to ``end`` (to show what a span skips)."""
        return [
            start + timedelta(days=offset)
            for offset in range(1, (end - start).days + 1)
            if not self.is_workday(start + timedelta(days=offset))
        ]

    def unofficial_years(self, days: Iterable[date]) -> list[int]:
        """Years among ``days`` with neither official data nor an office confirmation.

        An override on one day does not make its year official: the office confirms a
        year explicitly once it has entered the State Council notice."""
        years = {d.year for d in days}
        return sorted(years - set(self.confirmed_years)
                      - {y for y in years if has_official_schedule(y)})


CONFIRMED_KEY = "calendar_confirmed_years"


def confirmed_years(session: Session) -> frozenset[int]:
    from coordboard.models import AppMeta

    row = session.get(AppMeta, CONFIRMED_KEY)
    return frozenset(int(y) for y in (row.value.get("years", []) if row else []))


def load_calendar(session: Session) -> WorkCalendar:
    rows = session.exec(select(CalendarOverride)).all()
    return WorkCalendar({row.day: row.is_workday for row in rows}, confirmed_years(session))


def set_override(session: Session, *, day: date, is_workday: bool, note: str,
                 actor_id: int | None) -> CalendarOverride:
    """The office corrects or completes the statutory calendar for one day."""
    from coordboard.services import audit, fields

    fields.check("calendar_note", note)
    row = session.get(CalendarOverride, day) or CalendarOverride(day=day, is_workday=is_workday)
    row.is_workday, row.note = is_workday, note
    session.add(row)
    session.flush()
    audit.record(session, actor_id=actor_id, entity="calendar_override",
                 entity_id=int(day.strftime("%Y%m%d")), action="calendar_set",
                 after={"day": day.isoformat(), "is_workday": is_workday, "note": note})
    return row


@dataclass(frozen=True)
class DayInfo:
    day: date
    is_workday: bool
    kind: str  # "workday", "weekend", "holiday", "makeup" (weekend worked), "override"
    name: str


def describe(calendar: WorkCalendar, first: date, last: date,
             notes: Mapping[date, str] | None = None, language: str = "zh") -> list[DayInfo]:
    """Every day in [first, last] with why it is or is not a working day."""
    days = []
    for offset in range((last - first).days + 1):  # never steps past ``last`` (or date.max)
        day = first + timedelta(days=offset)
        statutory = _statutory(day.year)
        if day in calendar.overrides:
            kind, name = "override", (notes or {}).get(day, "")
        elif day in statutory:
            kind, name = "holiday", str(_holiday_names(day.year, language).get(day))
        elif day.weekday() >= 5 and _statutory_workday(day):
            kind, name = "makeup", ""
        else:
            kind, name = ("weekend" if day.weekday() >= 5 else "workday"), ""
        days.append(DayInfo(day, calendar.is_workday(day), kind, name))
    return days


def day_off_reason(calendar: WorkCalendar, day: date, language: str = "zh") -> str | None:
    """Why ``day`` is not a working day (a holiday's name, a weekend, the office's own
    day off), for a deadline or reply date set on it; None for a working day."""
    from coordboard.i18n import t

    info = describe(calendar, day, day, language=language)[0]
    if info.is_workday:
        return None
    if info.kind == "holiday" and info.name:
        return info.name
    return t("notice.day_off.override" if info.kind == "override" else "notice.day_off.weekend",
             language)


@dataclass(frozen=True)
class CalendarView:
    days: list[DayInfo]
    unofficial: bool  # the period's year has neither an official schedule nor a confirmation


def calendar_view(session: Session, first: date, last: date, language: str = "zh",
                  *, unusual_only: bool = False) -> CalendarView:
    """Every day of [first, last] with why (``unusual_only``: holidays, makeup days and
    the office's corrections), as ``calendar show`` prints it."""
    rows = session.exec(select(CalendarOverride)).all()
    # With the years the office confirmed: a confirmed year is official, not estimated.
    calendar = WorkCalendar({row.day: row.is_workday for row in rows}, confirmed_years(session))
    days = describe(calendar, first, last, {row.day: row.note for row in rows}, language)
    if unusual_only:
        days = [d for d in days if d.kind not in ("workday", "weekend")]
    return CalendarView(days, bool(calendar.unofficial_years([first])))


@dataclass(frozen=True)
class DeadlinePreview:
    deadline: date
    days_off: list[DayInfo]  # weekends and holidays the span skips
    makeup_days: list[DayInfo]  # weekend days worked (调休) that the span counts
    unofficial: bool  # the span reaches a year without an official schedule


def preview_workdays(calendar: WorkCalendar, start: date, workdays: int,
                     language: str = "zh") -> DeadlinePreview:
    """What "N working days from ``start``" means: the date, and which days it skips or counts."""
    deadline = calendar.add_workdays(start, workdays)
    days = describe(calendar, start + timedelta(days=1), deadline, language=language)
    return DeadlinePreview(
        deadline=deadline,
        days_off=[d for d in days if not d.is_workday],
        makeup_days=[d for d in days if d.is_workday and d.day.weekday() >= 5],
        unofficial=bool(calendar.unofficial_years([start, deadline])),
    )


# --- the office maintains the calendar (issue 11 items 5 and 6) ---------------------------


def confirm_year(session: Session, *, year: int, actor_id: int | None) -> None:
    """The office has entered ``year``'s State Council notice: its deadlines are official."""
    from coordboard.services import audit, meta

    years = sorted(confirmed_years(session) | {year})
    meta.put(session, CONFIRMED_KEY, {"years": years})
    session.flush()
    audit.record(session, actor_id=actor_id, entity="calendar_year", entity_id=year,
                 action="calendar_confirm", after={"year": year})


def unset_override(session: Session, *, day: date, actor_id: int | None) -> bool:
    """Remove a mistaken override; the statutory calendar applies again. False if none."""
    from coordboard.services import audit

    row = session.get(CalendarOverride, day)
    if row is None:
        return False
    before = {"day": day.isoformat(), "is_workday": row.is_workday, "note": row.note}
    session.delete(row)
    session.flush()
    audit.record(session, actor_id=actor_id, entity="calendar_override",
                 entity_id=int(day.strftime("%Y%m%d")), action="calendar_unset", before=before)
    return True


def parse_schedule(text: str, suffix: str) -> list[tuple[date, bool, str]]:
    """A year's notice as (day, is working day, note): CSV lines ``day,workday|holiday,note``
    or TOML ``[[days]] day = 2027-02-06, kind = "workday", note = "..."``."""
    from coordboard.errors import ValidationError

    rows: list[tuple[date, bool, str]] = []
    try:
        if suffix.lower() == ".toml":
            import tomllib

            entries = [(str(e["day"]), str(e["kind"]), str(e.get("note", "")))
                       for e in tomllib.loads(text).get("days", [])]
        else:
            import csv
            import io

            entries = [(r[0].strip(), r[1].strip(), (r[2] if len(r) > 2 else "").strip())
                       for r in csv.reader(io.StringIO(text)) if r and not r[0].startswith("#")
                       and r[0].strip().lower() != "day"]
        for day, kind, note in entries:
            if kind not in ("workday", "holiday"):
                raise ValueError(f"{day}: {kind}")
            rows.append((date.fromisoformat(day), kind == "workday", note))
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise ValidationError("error.calendar_import", detail=str(exc)) from None
    years = {day.year for day, _, _ in rows}
    if len(years) != 1:
        raise ValidationError("error.calendar_import_year", years=", ".join(map(str, sorted(years)))
                              or "—")
    return rows


def import_schedule(session: Session, *, rows: list[tuple[date, bool, str]],
                    actor_id: int | None) -> int:
    """Enter a year's notice in one step: every day it names, then the year is confirmed."""
    for day, is_workday, note in rows:
        set_override(session, day=day, is_workday=is_workday, note=note, actor_id=actor_id)
    confirm_year(session, year=rows[0][0].year, actor_id=actor_id)
    return len(rows)


def affected_tasks(session: Session, year: int) -> list[tuple[str, str, date]]:
    """Dispatched, open tasks whose deadline was counted in working days across ``year``
    (code, title, deadline): to review once the year's notice is entered."""
    from sqlmodel import col

    from coordboard.enums import OPEN_STATUSES, DeadlineRule
    from coordboard.models import Task

    rows = session.exec(select(col(Task.code), col(Task.title), col(Task.deadline),
                               col(Task.dispatched_at)).where(
        Task.deadline_rule == DeadlineRule.WORKDAYS, col(Task.dispatched_at).is_not(None),
        col(Task.status).in_([str(s) for s in OPEN_STATUSES]),
        col(Task.deadline) >= date(year, 1, 1)).order_by(col(Task.deadline))).all()
    return [(code, title, deadline) for code, title, deadline, dispatched in rows
            if dispatched is not None and dispatched.year <= year]
