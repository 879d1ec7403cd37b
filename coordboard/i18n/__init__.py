"""The one way user-visible text is produced: ``t(key, **params)``.

Simplified Chinese is the default catalogue, English the second; both must
hold the same keys (a test enforces it). The core catalogues are ``zh.py`` and
``en.py``; each module in ``areas/`` adds the keys of one part of the product.
"""

import importlib
import pkgutil
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from coordboard.i18n import areas
from coordboard.i18n.en import MESSAGES as EN_CORE
from coordboard.i18n.zh import MESSAGES as ZH_CORE


def _merged() -> tuple[dict[str, str], dict[str, str], list[str]]:
    zh, en = dict(ZH_CORE), dict(EN_CORE)
    duplicates: list[str] = []
    for info in sorted(pkgutil.iter_modules(areas.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{areas.__name__}.{info.name}")
        for target, extra in ((zh, getattr(module, "ZH", {})), (en, getattr(module, "EN", {}))):
            duplicates += [f"{info.name}:{key}" for key in extra if key in target]
            target.update(extra)
    return zh, en, duplicates


ZH, EN, DUPLICATE_KEYS = _merged()
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


# "{days|day|days}": the word for the number ``days`` (one form for 1, the other for the
# rest), so English says "1 day" and "3 days"; Chinese needs none.
_PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


def _plural(template: str, params: Mapping[str, Any]) -> str:
    def word(match: re.Match[str]) -> str:
        value = params.get(match.group(1))
        return match.group(2) if value in (1, -1, "1") else match.group(3)

    return _PLURAL.sub(word, template) if "|" in template else template


# Month names from here, not the C library's locale (which ``%b`` would follow).
ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                  "Dec")


def full_date(day: date, language: str | None = None) -> str:
    """"2026年11月20日" / "Nov 20, 2026": a day with its year, as a letter writes it."""
    if (language or _current) == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{ENGLISH_MONTHS[day.month - 1]} {day.day}, {day.year}"


def clause(sentence: str) -> str:
    """A whole sentence put inside another ("…未能写入：{detail}。"): without its own full
    stop, so the two never read "。。"."""
    return sentence.rstrip().rstrip("。.")


def listing(items: Iterable[str], language: str | None = None) -> str:
    """Names joined as a list in the language: "司法所、派出所" / "Justice office, Police"."""
    return t("list.separator", language).join(items)


def t(key: str, language: str | None = None, **params: Any) -> str:
    catalogue = CATALOGUES[language or _current]
    template = _plural(catalogue.get(key) or EN.get(key) or key, params)
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        # A catalogue typo must not hide the message the user needs to see.
        return f"{template} {params}"
