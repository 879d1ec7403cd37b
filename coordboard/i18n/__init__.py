"""The one way user-visible text is produced: ``t(key, **params)``.

Simplified Chinese is the default catalogue, English the second; both must
hold the same keys (a test enforces it).
"""

from collections.abc import Mapping
from typing import Any

from coordboard.i18n.en import MESSAGES as EN
from coordboard.i18n.zh import MESSAGES as ZH

CATALOGUES: Mapping[str, Mapping[str, str]] = {"zh": ZH, "en": EN}
LANGUAGES = tuple(CATALOGUES)
DEFAULT_LANGUAGE = "zh"

_current = DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    global _current
    if language not in CATALOGUES:
        raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    _current = language


def get_language() -> str:
    return _current


def pendulum_locale(language: str | None = None) -> str:
    """pendulum knows ``zh`` but rejects ``zh_CN``; map the UI language onto it."""
    return "zh" if (language or _current) == "zh" else "en"


def t(key: str, language: str | None = None, **params: Any) -> str:
    catalogue = CATALOGUES[language or _current]
    template = catalogue.get(key) or EN.get(key) or key
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        # A catalogue typo must not hide the message the user needs to see.
        return f"{template} {params}"
