"""How wide text is on a terminal or in a spreadsheet: CJK characters take two columns."""

import unicodedata


def display_width(text: str) -> int:
    """Columns of the longest line of ``text``."""
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in text.split("\n")), default=0)
