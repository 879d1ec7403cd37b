"""click's own words ("Usage:", "Error: No such option …") in the interface language.

click marks its messages with the standard library's ``gettext``/``ngettext`` in the
default text domain, bound into each click module at import (``from gettext import
gettext as _``). A compiled ``.mo`` catalogue there would be chosen by the process locale
(``LANG``), not by coordboard's language setting, so each click module's ``_`` and
``ngettext`` are pointed at the catalogue instead: ``cli.click.*`` keys whose English text
is click's own message id, word for word. A test checks that every id still occurs in
click's source, so a click upgrade that rewords one is caught, not silently English.
"""

import re
import sys
from collections.abc import Callable
from typing import Any

from coordboard.i18n import CATALOGUES, EN, get_language

_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")


def _ids() -> dict[str, str]:
    return {text: key for key, text in EN.items() if key.startswith("cli.click.")}


_BY_ID = _ids()


def gettext(message: str) -> str:
    key = _BY_ID.get(message)
    if key is None:
        return message
    return CATALOGUES[get_language()].get(key, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


# click ends "Missing option '--title'" with its own ".", then a space before any more words.
_CLICK_FULL_STOP = re.compile(r"\.(?: |$)")


def _with_full_stop(format_message: Callable[[Any], str]) -> Callable[[Any], str]:
    """click's "missing option" message with the full stop of the interface language: click
    writes the stop itself, after the translated words, so no catalogue entry reaches it."""
    def missing_message(self: Any) -> str:
        text = format_message(self)
        stop = CATALOGUES[get_language()].get("cli.full_stop", ".")
        return text if stop == "." else _CLICK_FULL_STOP.sub(stop, text, count=1)
    missing_message.coordboard = True  # type: ignore[attr-defined]
    return missing_message


def install() -> None:
    """Point click's message functions at the catalogue (idempotent), and wrap help by
    display width (``help_format``)."""
    import click  # its modules must be loaded to be patched

    from coordboard.cli.help_format import HelpFormatter

    click.Context.formatter_class = HelpFormatter

    missing = click.exceptions.MissingParameter
    if not hasattr(missing.format_message, "coordboard"):
        missing.format_message = _with_full_stop(missing.format_message)  # type: ignore[method-assign,assignment]

    for name in _CLICK_MODULES:
        module = sys.modules.get(f"click.{name}")
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
