"""Pasted text arrives whole and in order, even when it holds an ESC character.

Textual's ``XTermParser`` (8.2) starts reading an escape sequence at an ESC inside a
bracketed paste; the characters it reads then are neither part of the paste nor a known
key, so they are sent as key presses *before* the paste, which is sent at its end:
pasting "AAA␛[31mBBB" into a field typed "^[31mBBB" first and "AAA" after it. Terminals
that care (xterm, Alacritty, xterm.js) drop ESC from what they paste; tmux's
``paste-buffer -p`` and others do not. This parser drops ESC between the paste's start and
end markers before Textual's parser sees it, so such a paste is one ``Paste`` of the text
without its ESC characters, as those terminals would deliver it. An end marker the pasted
text itself holds (followed, in the same read, by the terminal's own) is pasted text too.
"""

import sys
from collections.abc import Iterable

from textual._xterm_parser import XTermParser
from textual.message import Message

START, END = "\x1b[200~", "\x1b[201~"
ESC = "\x1b"


class PasteSafeParser(XTermParser):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._pasting = False
        self._held = ""  # the end of a paste's text that may be the start of its end marker
        self._seen = ""  # the last characters passed on, to find a start marker split in two

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # the end of input, after any text held back
            held, self._held = self._held, ""
            return [*super().feed(held.replace(ESC, "")), *super().feed("")] if held \
                else super().feed("")
        cleaned = self._clean(data)
        return super().feed(cleaned) if cleaned else ()

    def _clean(self, data: str) -> str:
        out: list[str] = []
        text = self._held + data
        self._held = ""
        while text:
            if not self._pasting:
                seen = self._seen + text
                at = seen.find(START)
                if at < 0:
                    out.append(text)
                    self._seen = seen[-(len(START) - 1):]
                    break
                through = at + len(START) - len(self._seen)  # into ``text``
                out.append(text[:through])
                text, self._seen, self._pasting = text[through:], "", True
                continue
            at = text.find(END)
            if at >= 0 and _pasted_on(text, at + len(END)):
                # An end marker inside the pasted text (the clipboard held one): the paste
                # goes on to the next; sent as the end, the rest would be typed as keys
                # (a pasted "\r" pressed Enter and submitted a form).
                out.append(text[:at + len(END)].replace(ESC, ""))
                text = text[at + len(END):]
                continue
            if at >= 0:
                out.append(text[:at].replace(ESC, "") + END)
                text, self._pasting = text[at + len(END):], False
                continue
            keep = _marker_prefix_at_end(text)
            out.append(text[:len(text) - keep].replace(ESC, ""))
            self._held = text[len(text) - keep:]
            break
        return "".join(out)


def _pasted_on(text: str, after: int) -> bool:
    """Whether another end marker follows ``after`` with no paste starting between: the
    terminal's own end is the last one."""
    end = text.find(END, after)
    return end >= 0 and text.find(START, after, end) < 0


def _marker_prefix_at_end(text: str) -> int:
    """How many of ``text``'s last characters could begin the paste's end marker."""
    for size in range(min(len(END) - 1, len(text)), 0, -1):
        if END.startswith(text[-size:]):
            return size
    return 0


def install() -> None:
    """Make Textual's drivers read input with ``PasteSafeParser`` (each driver names
    ``XTermParser`` in its own module)."""
    from textual.drivers import linux_driver

    linux_driver.XTermParser = PasteSafeParser  # type: ignore[misc]
    if sys.platform == "win32":
        from textual.drivers import win32

        win32.XTermParser = PasteSafeParser  # type: ignore[misc]
