"""The board's "last report" column says what pendulum's ``diff_for_humans`` says, in both
languages, though under 28 days it is worked out without pendulum's calendar interval
(a tenth of a keystroke's page)."""

from datetime import UTC, datetime, timedelta

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coordboard.i18n import pendulum_locale, set_language
from coordboard.tui import format as fmt

NOW = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31))
# Every part pendulum's wording turns on: seconds, minutes, hours, 22 hours, days, weeks
# with 0-6 days over, and past 28 days (months, pendulum's own path) and the future.
AGE = st.one_of(st.integers(0, 120), st.integers(0, 8 * 86_400),
                st.integers(0, 29 * 86_400), st.integers(-2 * 86_400, 400 * 86_400))


@settings(max_examples=1000)  # ~0.2 ms each
@given(now=NOW, age=AGE, language=st.sampled_from(["zh", "en"]), naive=st.booleans())
def test_ago_says_what_pendulum_says(now: datetime, age: int, language: str,
                                     naive: bool) -> None:
    now = now.replace(tzinfo=UTC, microsecond=0)
    value = now - timedelta(seconds=age)
    if naive:
        value = value.replace(tzinfo=None)
    set_language(language)
    try:
        with pendulum.travel_to(pendulum.instance(now), freeze=True):
            expected = pendulum.instance(value).diff_for_humans(locale=pendulum_locale())
            assert fmt.ago(value) == expected
    finally:
        set_language("zh")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_ago_at_every_edge_of_pendulums_wording(language: str) -> None:
    """Each day under 28 with the seconds where the wording turns (a minute, an hour,
    22 hours, the day's end); pendulum's rounding of weeks turns on the days left over."""
    now = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    edges = (0, 1, 10, 11, 44, 45, 59, 60, 3599, 3600, 22 * 3600 - 1, 22 * 3600, 86_399)
    set_language(language)
    try:
        with pendulum.travel_to(pendulum.instance(now), freeze=True):
            for days in range(28):
                for seconds in edges:
                    value = now - timedelta(days=days, seconds=seconds)
                    expected = pendulum.instance(value).diff_for_humans(
                        locale=pendulum_locale())
                    assert fmt.ago(value) == expected, (days, seconds)
    finally:
        set_language("zh")


def test_a_month_of_28_days_is_a_month() -> None:
    """February 1st seen on March 1st (2026): four weeks of days, and one month."""
    set_language("en")
    try:
        with pendulum.travel_to(pendulum.datetime(2026, 3, 1, 9, 30), freeze=True):
            assert fmt.ago(datetime(2026, 2, 1, 9, 30, tzinfo=UTC)) == "1 month ago"
    finally:
        set_language("zh")


def test_ago_of_nothing_is_never() -> None:
    set_language("en")
    try:
        assert fmt.ago(None) == "never"
    finally:
        set_language("zh")
