"""The ledger's per-row shortcuts give exactly what the per-cell rules give."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

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
    local_day = ledger._local_days(ZoneInfo(zone), lambda day: day)
    assert local_day(stored) == day
    assert local_day(stored[:17] + "00.000000") == day  # same minute, from the cache
    aware = datetime.fromisoformat(stored).replace(tzinfo=UTC)
    assert local_day(aware) == day
    # The same instant as text with its own offset (not SQLAlchemy's form, but readable).
    assert local_day(aware.astimezone(ZoneInfo("Asia/Tokyo")).isoformat(sep=" ")) == day


def test_text_with_an_offset_is_not_taken_for_utc() -> None:
    """Rule: a stored "…+08:00" is that instant, and never shares a cached day with the
    same wall-clock minute in UTC."""
    local_day = ledger._local_days(ZoneInfo("Asia/Shanghai"), lambda day: day)
    assert local_day("2026-11-05 20:30:00.000000") == date(2026, 11, 6)  # UTC 20:30 = 04:30 next day
    assert local_day("2026-11-05 20:30:00+08:00") == date(2026, 11, 5)


@pytest.mark.parametrize("texts", [
    ["督办事项", "司法所"], ["A & B", "司法所"], ["<b>", "x"], ["a > b"], ["\x1b[2J", "ok"],
    ["\x00"], ["x" * (XLSX_CELL_LIMIT + 1), "ok"], ["line\nbreak\ttab"], [],
    ["x" * XLSX_CELL_LIMIT, "y" * XLSX_CELL_LIMIT],  # together over the limit, each within
])
def test_a_row_goes_in_as_is_only_when_every_cell_would(texts: list[str]) -> None:
    """Rule: the one check per row agrees with cleaning and escaping each cell."""
    per_cell = all(ledger_xlsx._escape(xlsx_text(text)) == text for text in texts)
    assert xlsx_row_as_is(texts) == per_cell


@pytest.mark.parametrize(("text", "width", "lines"), [
    ("", 10, 1), ("abcd", 10, 1), ("a" * 9, 10, 1), ("督办" * 2, 10, 1), ("督办" * 3, 10, 2),
    ("一\n二\n三", 10, 3), ("督办" * 3 + "\n一", 10, 3), ("ab\ncd", 10, 2),
    ("a" * 9 + "\n" + "b" * 9, 10, 2), ("a" * 10 + "\n" + "b", 10, 3),
])
def test_rows_are_as_high_as_their_longest_wrapped_text(text: str, width: int, lines: int) -> None:
    """Rule: a Chinese character takes two columns; each line break starts a line."""
    assert ledger_xlsx._lines(text, width) == lines


def _row(serial: int, **changes: object) -> ledger.LedgerRow:
    row = ledger.LedgerRow(
        serial, f"DB-2026-{serial:03d}", "会议议定", "督办事项" * 9, "司法所（牵头）", "派出所\n城管中队",
        "王镇长", date(2026, 11, 2), date(2026, 11, 30), "剩余 3 个工作日", "green", "办理中",
        "司法所 11月20日：已完成调研", date(2026, 11, 25), "是", "延期至11月30日", "绿灯")
    return row._replace(**changes)


def test_every_cell_lands_where_its_rows_shape_puts_it(tmp_path) -> None:
    """Rule: rows written from per-shape templates read back cell for cell as the per-cell
    rules write them: empty cells empty, dates as dates, the light's fill on 预警 only,
    text (braces, markup, controls, over-long) cleaned and kept, each row as high as its
    longest wrapped text."""
    from openpyxl import load_workbook

    rows = [
        _row(1),
        _row(2, leader="", assigned=None, closed=None, on_time="", remark="", supporters=""),
        _row(3, light="red", light_label="红灯", title="{0}{}{1} {x} %s", remark="A & <b>"),
        _row(8, title="R&D <x> " * 8),  # as high as the text shows, not its escaped XML
        _row(4, light="none", light_label="—", feedback="\x1b[2J\x00 " + "进展" * 200),
        _row(5, light="yellow", light_label="黄灯", title="x" * (XLSX_CELL_LIMIT + 5)),
        _row(6, light="red", light_label="红灯", leader="", closed=None, on_time=""),
        _row(7),  # the first shape again
    ]
    path = tmp_path / "ledger.xlsx"
    assert ledger.write_xlsx(iter(rows), path, "台账", len(rows)) == len(rows)
    sheet = load_workbook(path).active
    widths = dict(ledger.COLUMNS)
    fills = {"red": "FFFFC7CE", "yellow": "FFFFEB9C", "green": "FFC6EFCE"}
    for r, row in enumerate(rows, start=ledger_xlsx.FIRST_DATA_ROW):
        cells = sheet[r]
        assert len(cells) == len(ledger.KEYS)
        for key, cell, value in zip(ledger.KEYS, cells, row.values(), strict=True):
            if value in (None, ""):
                assert cell.value is None, (r, key)
            elif key in ledger.DATE_KEYS:
                assert cell.value == datetime(value.year, value.month, value.day), (r, key)
            elif key == "index":
                assert cell.value == value
            else:
                assert cell.value == xlsx_text(value), (r, key)
        light_fill = cells[ledger.KEYS.index("light")].fill.fgColor.rgb
        assert light_fill == fills.get(row.light, "00000000"), r
        assert cells[ledger.KEYS.index("title")].fill.fgColor.rgb == "00000000"
        lines = max(ledger_xlsx._lines(value, widths[key] - 1)
                    for key, value in zip(ledger.KEYS, row.values(), strict=True)
                    if key in ("title", "lead", "supporters", "leader", "progress", "remark")
                    and value)
        expected = min(lines * ledger_xlsx.LINE_PT + 2, ledger_xlsx.MAX_ROW_PT)
        assert sheet.row_dimensions[r].height == expected, r


ZONES = ["Asia/Shanghai", "Asia/Kolkata", "America/New_York", "America/St_Johns", "UTC",
         "Australia/Lord_Howe", "Pacific/Chatham", "Pacific/Kiritimati", "Pacific/Apia",
         "Europe/London"]


@settings(deadline=None)
@example(instant=datetime(2026, 11, 5, 15, 59, tzinfo=UTC), zone="Asia/Shanghai")
@example(instant=datetime(2026, 11, 5, 16, 0, tzinfo=UTC), zone="Asia/Shanghai")
@example(instant=datetime(2026, 3, 8, 6, 59, tzinfo=UTC), zone="America/New_York")
@example(instant=datetime(2026, 11, 5, 3, 29, tzinfo=UTC), zone="America/St_Johns")
@example(instant=datetime(2026, 11, 5, 11, 14, tzinfo=UTC), zone="Pacific/Chatham")
@example(instant=datetime(2011, 12, 30, 10, 0, tzinfo=UTC), zone="Pacific/Apia")
@example(instant=datetime(1900, 6, 1, 15, 54, 30, tzinfo=UTC), zone="Asia/Shanghai")  # LMT +8:05:43
@given(instant=st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2099, 12, 30),
                            timezones=st.just(UTC)),
       zone=st.sampled_from(ZONES))
def test_the_local_day_by_the_turning_minute_is_the_converted_day(instant: datetime,
                                                                 zone: str) -> None:
    """Rule: read from SQLAlchemy's UTC text (any minute, any zone: half-hour and 45-minute
    offsets, DST switches, a skipped day, historical local mean time), the local day is
    the one a full conversion gives — and the cached turn of one instant never lends a
    wrong day to another instant of the same UTC day."""
    local_day = ledger._local_days(ZoneInfo(zone), lambda day: day)
    text = instant.strftime("%Y-%m-%d %H:%M:%S.%f")
    expected = instant.astimezone(ZoneInfo(zone)).date()
    assert local_day(text) == expected
    for other in (instant.replace(hour=0, minute=0), instant.replace(hour=23, minute=59)):
        assert (local_day(other.strftime("%Y-%m-%d %H:%M:%S.%f"))
                == other.astimezone(ZoneInfo(zone)).date())
    assert local_day(text) == expected


@pytest.mark.parametrize(("stored", "zone"), [
    ("9999-12-31 20:00:00.000000", "Asia/Shanghai"), ("0001-01-01 02:00:00.000000", "America/New_York"),
    ("9999-12-31 00:00:00.000000", "Asia/Shanghai"),
])
def test_the_first_and_last_days_a_date_holds_are_converted_in_full(stored: str, zone: str) -> None:
    """Rule: where the day after or before cannot be a date, the instant is converted in full
    (or refused exactly as a full conversion refuses it), never a crash of the shortcut."""
    local_day = ledger._local_days(ZoneInfo(zone), lambda day: day)
    instant = datetime.fromisoformat(stored).replace(tzinfo=UTC)
    try:
        expected: object = instant.astimezone(ZoneInfo(zone)).date()
    except OverflowError:
        with pytest.raises(OverflowError):
            local_day(stored)
        return
    assert local_day(stored) == expected


def test_a_failing_sink_stops_the_rows_and_leaves_no_thread() -> None:
    """Rule: when the compressing thread cannot write (a full disk), the error reaches
    the writer of the rows, which stops; no thread is left behind."""
    written: list[bytes] = []

    def sink(data: bytes) -> None:
        if written:
            raise OSError(28, "No space left on device")
        written.append(data)

    deflating = ledger_xlsx._Deflating(sink)
    with pytest.raises(OSError, match="No space"), deflating:
        for _ in range(1000):
            deflating.write("x" * (ledger_xlsx._Deflating.CHUNK // 4))
    assert len(written) == 1 and not deflating._thread.is_alive()


def test_an_error_in_the_rows_ends_the_compressing_thread() -> None:
    """Rule: an error while rows are built is the one raised (not hidden by the thread),
    and the thread ends."""
    received: list[bytes] = []
    deflating = ledger_xlsx._Deflating(received.append)
    with pytest.raises(ZeroDivisionError), deflating:
        deflating.write("甲" * ledger_xlsx._Deflating.CHUNK)
        deflating.write("乙")
        raise ZeroDivisionError
    assert b"".join(received).decode() == "甲" * ledger_xlsx._Deflating.CHUNK
    assert not deflating._thread.is_alive()


def test_everything_written_reaches_the_sink_in_order() -> None:
    received: list[bytes] = []
    parts = [f"<row r=\"{n}\">{'办' * (n % 977)}</row>" for n in range(5000)]
    with ledger_xlsx._Deflating(received.append) as deflating:
        for part in parts:
            deflating.write(part)
    assert b"".join(received).decode("utf-8") == "".join(parts)
    assert len(received) > 1  # sent in chunks while written, not once at the end


def test_text_and_encoded_parts_reach_the_sink_in_the_order_written() -> None:
    """Rule: a part written already encoded (the second process's rows read back) goes
    after the text written before it, not ahead of it nor into it."""
    received: list[bytes] = []
    written: list[str | bytes] = []
    for n in range(300):
        written.append(f"<row r=\"{n}\">{'办' * (n % 97)}</row>")
        if n % 7 == 0:
            written.append(f"<row r=\"{n}b\">{'核' * n}</row>".encode())
    with ledger_xlsx._Deflating(received.append) as deflating:
        for part in written:
            deflating.write(part)
    assert b"".join(received) == b"".join(
        part if isinstance(part, bytes) else part.encode() for part in written)


def test_a_stream_that_does_not_hold_the_announced_rows_is_refused(tmp_path) -> None:
    """Rule: the range written before the rows must be theirs; a mismatch is an error,
    never a file naming the wrong rows."""
    rows = [_row(1), _row(2)]
    with pytest.raises(RuntimeError, match="2 rows written, 3 announced"):
        ledger.write_xlsx(iter(rows), tmp_path / "l.xlsx", "台账", 3)
