"""A date typed with a Chinese input method's full-width characters is the same date
(the trial typed ２０２６－１２－１９ into 申请延期至 and saw the field refused)."""

from datetime import date

import pytest

from coordboard.cli.parsing import parse_date
from coordboard.errors import ValidationError
from coordboard.services.fields import typed_date


@pytest.mark.parametrize("typed", ["2026-12-19", " 2026-12-19 ", "２０２６－１２－１９",
                                   "２０２６-１２-１９", "\u30002026-12-19\u3000"])
def test_full_width_and_spaced_dates_are_the_date(typed: str) -> None:
    assert typed_date(typed) == date(2026, 12, 19)
    assert parse_date(typed, "--deadline") == date(2026, 12, 19)


@pytest.mark.parametrize("typed", ["2026-02-30", "１２月１９日", "", "2026/12/19x"])
def test_anything_else_is_still_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        typed_date(typed)
    with pytest.raises(ValidationError):
        parse_date(typed, "--deadline")
