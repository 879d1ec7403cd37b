"""Chinese sort keys: titles and unit names in pinyin order, the same on SQLite and PostgreSQL.

Code-point order puts 东关村 before 司法所 before 法治办 for no reason a reader knows; offices
sort by pinyin (dōng, fǎ, sī). Sorting happens in SQL over 100,000 tasks and pages with
OFFSET, so the key is stored beside the text (``task.title_key``, ``department.name_key``),
written with it and indexed; no query runs Python per row. The alternatives were weighed:
PostgreSQL's ICU collation ``zh-x-icu`` has no SQLite counterpart except a Python collation
function, which is called for every comparison and would order differently from ICU.

A key is each character's pinyin with its tone number (1–5), in the character's most common
reading as pypinyin's character table lists it (per character, as ICU's Chinese collation
does: no word context, so writing a title costs microseconds, not a dictionary search);
letters and digits as themselves in lower case (after NFKC, so "Ａ１" is "a1"); punctuation
and spaces ignored. The tone digit ends each syllable, so "xi1an1" (西安) sorts before
"xian1" (先) as in a dictionary. Keys are compared byte-wise (column collation "C" on
PostgreSQL, BINARY on SQLite), so both backends give one order.
"""

import re
import unicodedata
from functools import cache

KEY_LENGTH = 160  # enough to order any two real titles; the index stays small


@cache
def _syllable(char: str) -> str:
    from pypinyin.contrib.tone_convert import to_tone3  # imported on first write only
    from pypinyin.pinyin_dict import pinyin_dict

    readings = pinyin_dict.get(ord(char))
    if not readings:
        return char.lower() if char.isalnum() else ""
    return str(to_tone3(readings.split(",")[0], neutral_tone_with_five=True))


def sort_key(text: str) -> str:
    parts = []
    for char in unicodedata.normalize("NFKC", text):
        if char.isascii():
            if char.isalnum():
                parts.append(char.lower())
        else:
            parts.append(_syllable(char))
    return "".join(parts)[:KEY_LENGTH]


def natural_key(text: str) -> tuple[tuple[int, str | int], ...]:
    """``sort_key`` with its numbers compared as numbers, for short lists sorted in Python
    (a user's saved filters: "第2组" before "第10组", not after it)."""
    parts = re.split(r"(\d+)", unicodedata.normalize("NFKC", text))
    return tuple((1, int(part)) if part.isdigit() else (0, sort_key(part))
                 for part in parts if part and (part.isdigit() or sort_key(part)))
