"""How values look on screen. User text always becomes ``Text`` (never parsed as markup)
through ``plain`` (one line) or ``lines`` (line breaks kept), which show every control
character as a visible symbol (``coordboard.safe_text.visible``): a title, a note or a
user name can never write an escape sequence to the terminal or push a row out of place."""

import functools
from datetime import UTC, date, datetime

import pendulum
from rich.console import JustifyMethod
from rich.text import Text

from coordboard import clock
from coordboard.i18n import CATALOGUES, get_language, pendulum_locale, t
from coordboard.safe_text import is_safe, visible

LIGHT_STYLE = {"red": "bold red", "yellow": "bold yellow", "green": "bold green", "none": "dim"}


def plain(text: str, style: str = "", justify: JustifyMethod | None = None) -> Text:
    """User (or user-quoting) text as one safe line of ``Text``."""
    return Text(visible(text), style=style, justify=justify)


def safe(text: str) -> str:
    """User text as one safe line, to append to a ``Text`` being built."""
    return visible(text)


def lines(text: str) -> str:
    """User text keeping its line breaks (a description, a message of several lines);
    every other control character made visible."""
    return "\n".join(visible(line) for line in text.replace("\r\n", "\n").split("\n"))


def safe_cell(cell: Text) -> Text:
    """A table cell that is already safe, or a safe copy of it (the tables' safety net:
    a cell built with a bare ``Text(user_text)`` still cannot reach the terminal raw)."""
    if is_safe(cell.plain):
        return cell
    return Text(visible(cell.plain), style=cell.style, justify=cell.justify)


def light(value: str) -> Text:
    dot = "○" if value == "none" else "●"
    return Text(f"{dot} {t(f'light.{value}')}", style=LIGHT_STYLE[value])


def action(name: str) -> str:
    """An action's name where it stands alone, on a button, a menu line or a form's heading:
    "Report progress" in English (the catalogue's "report progress" reads within sentences)."""
    words = t(f"action.{name}")
    return words[:1].upper() + words[1:]


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


def short_instant(value: datetime, timezone: str) -> str:
    """"11月25日 18:02" (zh) or "Nov 25 18:02" (en), in the configured time zone."""
    pattern = "M月D日 HH:mm" if get_language() == "zh" else "MMM D HH:mm"
    return clock.local(value, timezone).format(pattern, locale=pendulum_locale())


def ago(value: datetime | None) -> str:
    """'3 天前' / '3 days ago', relative to the app clock (frozen in tests): pendulum's
    ``diff_for_humans``, its words and its rounding.

    A board page shows one per row; pendulum builds a calendar-exact interval for each
    (~100 µs, a tenth of a keystroke's page). Under 28 days no month can have passed,
    so the interval is plain arithmetic: the difference is reduced to the few parts
    pendulum's wording depends on, and its text for those parts is kept."""
    if value is None:
        return t("tui.never")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # pendulum.instance reads a naive value as UTC
    seconds = int(pendulum.now("UTC").timestamp() - value.timestamp())
    if not 0 <= seconds < 28 * DAY_S:
        return pendulum.instance(value).diff_for_humans(locale=pendulum_locale())
    return _ago_phrase(*_ago_parts(seconds), pendulum_locale())


DAY_S = 86_400


def _ago_parts(seconds: int) -> tuple[int, int]:
    """(days, seconds) with only what pendulum's wording of a past difference reads:
    whole weeks and whether more than three days are left over; days and whether 22 hours
    or more are left; else hours, minutes or seconds."""
    days, rest = divmod(seconds, DAY_S)
    if days >= 7:
        return days // 7 * 7 + (4 if days % 7 > 3 else 0), 0
    if days:
        return days, (22 * 3600 if rest >= 22 * 3600 else 0)
    if rest >= 3600:
        return 0, rest // 3600 * 3600
    if rest >= 60:
        return 0, rest // 60 * 60
    return 0, rest


@functools.lru_cache(maxsize=512)
def _ago_phrase(days: int, seconds: int, locale: str) -> str:
    from pendulum.formatting.difference_formatter import DifferenceFormatter

    return DifferenceFormatter().format(pendulum.duration(days=days, seconds=seconds),
                                        is_now=True, locale=locale)


def deadline(day: date, estimated: bool) -> Text:
    """A deadline, marked when its year has no official holiday schedule yet (its working
    days are estimated); the screen shows the mark's legend."""
    cell = Text(day.isoformat())
    if estimated:
        cell.append(t("tui.board.estimated_mark"), style="bold yellow")
    return cell


def workdays_left(left: int | None) -> Text:
    """Blank where the clock does not run (``LightVerdict.workdays_left`` is None)."""
    if left is None:
        return Text("")
    if left < 0:
        return Text(t("tui.overdue_days", days=-left), style="red")
    return Text(t("tui.left_days", days=left))


def status(value: str) -> Text:
    """A task's status in a table cell: the catalogue's short form where the full name is
    too long for a column ("closure requested" is "closing" in English)."""
    return Text(t(f"tui_layout.status.{value}"))


def column_values(key: str) -> tuple[str, ...]:
    """Every label a column of fixed words can show, in the interface language: such a
    column is as wide as its widest label (never "yel…" nor "supp")."""
    from coordboard.enums import Light, TaskStatus

    if key == "light":
        return tuple(light(value.value).plain for value in Light)
    if key == "status":
        return tuple(status(value.value).plain for value in TaskStatus)
    prefix = WORD_COLUMNS.get(key)
    if prefix is None:
        return ()
    words = CATALOGUES[get_language()]
    return tuple(text for name, text in words.items() if name.startswith(prefix))


# Columns whose cells are one of a catalogue's fixed words, by the words' key prefix.
WORD_COLUMNS = {"role": "unit_role.", "rule": "scores.rule.", "todo": "tui.todo.",
                "pending": "tui.pending.", "contest": "tui.contest.", "section": "review.section."}
