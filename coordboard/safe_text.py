"""User text made safe to show, without changing what is stored.

Whatever a user typed is stored exactly as typed (and ``--format json`` gives it back
unchanged). What reaches a terminal or an office document is a *view* of it:

- ``visible(text)`` for terminals (TUI cells, headers, toasts, CLI tables and plain
  output): every control character becomes a visible symbol, so ESC can never start
  an escape sequence and a newline can never push a row over the footer; bidi
  overrides and isolates, which can make text read differently from what it holds,
  become a visible replacement mark; lone surrogates (undecodable input) too.
- ``for_xml(text)`` for DOCX and XLSX: the same, except that tabs and line breaks are
  kept (documents can hold them), so a file is always written and nothing in it is
  silently dropped.

Both are a single ``str.translate`` after a fast check, cheap enough for every cell of a
100,000-row ledger.
"""

import re

ESC_SYMBOL = "\u241b"  # ␛
NEWLINE_SYMBOL = "\u23ce"  # ⏎
TAB_SYMBOL = "\u21e5"  # ⇥
REPLACEMENT = "\ufffd"  # �

# Bidi embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI) and the
# invisible direction marks (LRM RLM ALM).
BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]


def _control_picture(code: int) -> str:
    if code == 0x1B:
        return ESC_SYMBOL
    if code in (0x0A, 0x0D):
        return NEWLINE_SYMBOL
    if code == 0x09:
        return TAB_SYMBOL
    if code == 0x7F:
        return "\u2421"  # ␡
    return chr(0x2400 + code)  # ␀ … ␟, the Unicode control pictures


def _table(keep: str) -> dict[int, str]:
    table: dict[int, str] = {}
    for code in [*range(0x00, 0x20), 0x7F]:
        if chr(code) not in keep or code == 0x0D:
            table[code] = _control_picture(code)
    for code in range(0x80, 0xA0):  # C1 controls (CSI, OSC, … as single bytes)
        table[code] = f"\u2039{code:02X}\u203a"  # ‹9B›
    for code in (0x2028, 0x2029):  # line and paragraph separators
        table[code] = NEWLINE_SYMBOL if "\n" not in keep else "\n"
    for code in BIDI:
        table[code] = REPLACEMENT
    for code in range(0xD800, 0xE000):  # lone surrogates cannot be encoded anywhere
        table[code] = REPLACEMENT
    for code in (0xFFFE, 0xFFFF):  # not characters; XML refuses them
        table[code] = REPLACEMENT
    return table


def _needs(table: dict[int, str]) -> re.Pattern[str]:
    """A character class of the table's keys, consecutive ones as ranges (the surrogates
    alone are 2,048 characters: a class listing each one took ~10 ms to compile at every
    start of the command line)."""
    runs: list[list[int]] = []
    for code in sorted(table):
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return re.compile("[" + "".join(re.escape(chr(a)) if a == b else
                                    f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                                    for a, b in runs) + "]")


_TERMINAL = _table(keep="")
# One character for one: an input field's cursor and selection count characters.
_IN_PLACE = {code: shown if len(shown) == 1 else REPLACEMENT for code, shown in _TERMINAL.items()}
_XML = _table(keep="\t\n")
_TERMINAL_NEEDS = _needs(_TERMINAL)
_XML_NEEDS = _needs(_XML)


def visible(text: str, limit: int | None = None) -> str:
    """``text`` as a terminal may show it: one line, every control character visible.

    ``limit`` cuts it to that many characters with "…" (for messages that quote user text).
    """
    if _TERMINAL_NEEDS.search(text):
        text = text.translate(_TERMINAL)
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return text


def visible_in_place(text: str) -> str:
    """``visible``, each character shown as exactly one (C1 controls as the replacement
    mark): for text being edited, whose cursor positions are the text's own."""
    if _TERMINAL_NEEDS.search(text):
        text = text.translate(_IN_PLACE)
    return text


def for_xml(text: str) -> str:
    """``text`` as a DOCX or XLSX file can hold it (tabs and line breaks kept)."""
    if _XML_NEEDS.search(text):
        text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_XML)
    return text


def xml_as_is(text: str) -> bool:
    """True when ``for_xml`` would return ``text`` unchanged (one check for many cells)."""
    return _XML_NEEDS.search(text) is None


def is_safe(text: str) -> bool:
    """True when ``text`` holds nothing ``visible`` would change (for tests and checks)."""
    return _TERMINAL_NEEDS.search(text) is None
