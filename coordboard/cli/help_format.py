"""``--help`` wrapped by what a terminal shows, with Chinese line-breaking rules.

click wraps help at spaces and counts characters: a Chinese paragraph has no spaces and each
of its characters takes two columns, so a line of 76 characters ran to 150 columns and the
terminal broke it anywhere, a "。" alone on the next line. Here a line is filled by display
width; a Latin word or an option name (``--db``) is never split; a closing mark (。，）…)
never starts a line and an opening one (（“) never ends it. Text without wide characters
is click's own wrapping, unchanged.
"""

import re
import unicodedata
from collections.abc import Iterable

import click
from click.formatting import iter_rows, measure_table, term_len
from click.formatting import wrap_text as click_wrap_text

NO_LINE_START = set("。，、；：？！）」』】》〉”’…·%")
NO_LINE_END = set("（「『【《〈“‘")
# A Latin word (with its punctuation) or a run of spaces is one unit; any other character,
# a Chinese one, is a unit of its own.
_UNITS = re.compile(r"[\x21-\x7e]+|\s+|.")


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def has_wide(text: str) -> bool:
    return any(unicodedata.east_asian_width(char) in "WF" for char in text)


def wrap_text(text: str, limit: int, initial_indent: str = "", subsequent_indent: str = "",
              preserve_paragraphs: bool = False) -> str:
    """click's ``wrap_text``, by display width for text with wide characters."""
    if not has_wide(text):
        return click_wrap_text(text, limit, initial_indent, subsequent_indent,
                               preserve_paragraphs)
    paragraphs = re.split(r"\n\s*\n", text.strip()) if preserve_paragraphs else [text]
    out = []
    for paragraph in paragraphs:
        if paragraph.startswith("\b"):  # click's mark: kept as written
            out.append("\n".join(initial_indent + line for line in paragraph[1:].splitlines()
                                 if line.strip()))
            continue
        out.append(_fill(" ".join(paragraph.split()), limit, initial_indent, subsequent_indent))
    return "\n\n".join(out)


def _fill(text: str, limit: int, first_indent: str, next_indent: str) -> str:
    lines: list[list[str]] = [[]]
    used = width(first_indent)
    for unit in _UNITS.findall(text):
        line = lines[-1]
        if unit.isspace():
            if line:
                line.append(" ")
                used += 1
            continue
        size = width(unit)
        if line and used + size > limit:
            carried = _carry(line, unit)
            while line and line[-1] == " ":
                line.pop()
            lines.append(carried)
            used = width(next_indent) + sum(width(part) for part in carried)
            line = lines[-1]
        line.append(unit)
        used += size
    indents = [first_indent] + [next_indent] * (len(lines) - 1)
    return "\n".join(indent + "".join(line).rstrip() for indent, line
                     in zip(indents, lines, strict=True))


def _carry(line: list[str], unit: str) -> list[str]:
    """What moves from the end of the full ``line`` to the next one with ``unit``: the
    character before a closing mark, and before marks closing together ("用）。"), so that
    no mark starts the line; and an opening mark left at the end."""
    carried: list[str] = []
    if unit[0] in NO_LINE_START:
        while len(line) > 1 and line[-1] != " ":
            carried.insert(0, line.pop())
            if carried[0][0] not in NO_LINE_START:
                break
    while len(line) > 1 and line[-1] and line[-1][-1] in NO_LINE_END:
        carried.insert(0, line.pop())
    return carried


class HelpFormatter(click.HelpFormatter):
    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write(wrap_text(text, self.width, initial_indent=indent, subsequent_indent=indent,
                             preserve_paragraphs=True))
        self.write("\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30,
                 col_spacing: int = 2) -> None:
        rows = list(rows)
        if not any(has_wide(second) for _first, second in rows):
            super().write_dl(rows, col_max, col_spacing)
            return
        widths = measure_table(rows)
        first_col = min(widths[0], col_max) + col_spacing
        for first, second in iter_rows(rows, len(widths)):
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if term_len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - term_len(first)))
            else:
                self.write("\n")
                self.write(" " * (first_col + self.current_indent))
            text_width = max(self.width - first_col - 2, 10)
            lines = wrap_text(second, text_width, preserve_paragraphs=True).splitlines()
            self.write(f"{lines[0] if lines else ''}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")
