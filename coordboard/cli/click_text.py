"""click's own words ("Usage:", "Error: No such option …") in the interface language.

click marks its messages with the standard library's ``gettext``/``ngettext`` in the
default text domain, bound into each click module at import (``from gettext import
gettext as _``). A compiled ``.mo`` catalogue there would be chosen by the process locale
(``LANG``), not by coordboard's language setting, so each click module's ``_`` and
``ngettext`` are pointed at the catalogue instead: ``cli.click.*`` keys whose English text
is click's own message id, word for word. A test checks that every id still occurs in
click's source, so a click upgrade that rewords one is caught, not silently English.
"""

import sys

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


def install() -> None:
    """Point click's message functions at the catalogue (idempotent)."""
    import click  # noqa: F401  (its modules must be loaded to be patched)

    for name in _CLICK_MODULES:
        module = sys.modules.get(f"click.{name}")
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
