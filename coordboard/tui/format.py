"""How values look on screen. User text always becomes ``Text`` (never parsed as markup)."""

from datetime import date, datetime

import pendulum
from rich.text import Text

from coordboard import clock
from coordboard.i18n import get_language, pendulum_locale, t

LIGHT_STYLE = {"red": "bold red", "yellow": "bold yellow", "green": "bold green", "none": "dim"}


def light(value: str) -> Text:
    dot = "○" if value == "none" else "●"
    return Text(f"{dot} {t(f'light.{value}')}", style=LIGHT_STYLE[value])


def day(value: date | None, *, weekday: bool = True) -> str:
    """A calendar day in the UI language (pendulum's ``zh`` locale for Chinese)."""
    if value is None:
        return "—"
    shown = pendulum.Date(value.year, value.month, value.day)
    if get_language() == "zh":
        pattern = "YYYY年M月D日 dddd" if weekday else "YYYY年M月D日"
    else:
        pattern = "ddd, MMM D, YYYY" if weekday else "MMM D, YYYY"
    return shown.format(pattern, locale=pendulum_locale())


def short_day(value: date) -> str:
    shown = pendulum.Date(value.year, value.month, value.day)
    return shown.format("MM-DD ddd", locale=pendulum_locale())


def instant(value: datetime | None, timezone: str) -> str:
    if value is None:
        return "—"
    return clock.local(value, timezone).format("YYYY-MM-DD HH:mm")


def ago(value: datetime | None) -> str:
    """'3 天前' / '3 days ago', relative to the app clock (frozen in tests)."""
    if value is None:
        return t("tui.never")
    return pendulum.instance(value).diff_for_humans(locale=pendulum_locale())


def workdays_left(left: int, is_open: bool) -> Text:
    if not is_open:
        return Text("")
    if left < 0:
        return Text(t("tui.overdue_days", days=-left), style="red")
    return Text(t("tui.left_days", days=left))
