"""The ledger's per-row shortcuts give exactly what the per-cell rules give."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from coordboard.services.reports import ledger, ledger_xlsx
from coordboard.services.reports.cells import XLSX_CELL_LIMIT, xlsx_row_as_is, xlsx_text


@pytest.mark.parametrize(("stored", "zone", "day"), [
    ("2026-11-05 15:59:59.999999", "Asia/Shanghai", date(2026, 11, 5)),
    ("2026-11-05 16:00:00.000000", "Asia/Shanghai", date(2026, 11, 6)),  # local midnight
    ("2026-11-05 18:29:00.000000", "Asia/Kolkata", date(2026, 11, 5)),  # a half-hour zone
    ("2026-11-05 18:30:00.000000", "Asia/Kolkata", date(2026, 11, 6)),
    ("2026-03-08 06:59:00.000000", "America/New_York", date(2026, 3, 8)),  # DST begins
])
def test_a_report_date_is_the_local_day_of_its_instant(stored: str, zone: str, day: date) -> None:
    """Rule: 办理进展 dates are local days, read from SQLite's text or PostgreSQL's datetime,
    and a cached minute never lends its day to another minute."""
    local_day = ledger._local_days(ZoneInfo(zone))
    assert local_day(stored) == day
    assert local_day(stored[:17] + "00.000000") == day  # same minute, from the cache
    aware = datetime.fromisoformat(stored).replace(tzinfo=UTC)
    assert local_day(aware) == day
    # The same instant as text with its own offset (not SQLAlchemy's form, but readable).
    assert local_day(aware.astimezone(ZoneInfo("Asia/Tokyo")).isoformat(sep=" ")) == day


def test_text_with_an_offset_is_not_taken_for_utc() -> None:
    """Rule: a stored "…+08:00" is that instant, and never shares a cached day with the
    same wall-clock minute in UTC."""
    local_day = ledger._local_days(ZoneInfo("Asia/Shanghai"))
    assert local_day("2026-11-05 20:30:00.000000") == date(2026, 11, 6)  # UTC 20:30 = 04:30 next day
    assert local_day("2026-11-05 20:30:00+08:00") == date(2026, 11, 5)


@pytest.mark.parametrize("texts", [
    ["督办事项", "司法所"], ["A & B", "司法所"], ["<b>", "x"], ["a > b"], ["\x1b[2J", "ok"],
    ["\x00"], ["x" * (XLSX_CELL_LIMIT + 1), "ok"], ["line\nbreak\ttab"], [],
])
def test_a_row_goes_in_as_is_only_when_every_cell_would(texts: list[str]) -> None:
    """Rule: the one check per row agrees with cleaning and escaping each cell."""
    per_cell = all(ledger_xlsx._escape(xlsx_text(text)) == text for text in texts)
    assert xlsx_row_as_is(texts) == per_cell


@pytest.mark.parametrize(("text", "width", "lines"), [
    ("", 10, 1), ("abcd", 10, 1), ("a" * 9, 10, 1), ("督办" * 2, 10, 1), ("督办" * 3, 10, 2),
    ("一\n二\n三", 10, 3), ("督办" * 3 + "\n一", 10, 3),
])
def test_rows_are_as_high_as_their_longest_wrapped_text(text: str, width: int, lines: int) -> None:
    """Rule: a Chinese character takes two columns; each line break starts a line."""
    assert ledger_xlsx._lines(text, width) == lines
