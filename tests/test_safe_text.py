"""What reaches a terminal or a document is safe and visible; what is stored is untouched."""

import pytest

from coordboard.safe_text import for_xml, is_safe, visible

HOSTILE = [
    "\x1b[2J", "\x1b]0;pwned\x07", "a\nb", "tab\there", "\x00nul", "\x9b31m", "\u202eevil",
    "\ud800", "\x7f", "line\u2028sep", "\x1bc", "\x90dcs\x9c",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_visible_leaves_no_control_character(text: str) -> None:
    shown = visible(text)
    assert is_safe(shown)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in shown)
    assert "\u202e" not in shown and "\ud800" not in shown


def test_visible_shows_each_control_as_a_symbol() -> None:
    assert visible("\x1b[2J") == "␛[2J"
    assert visible("a\nb\tc") == "a⏎b⇥c"
    assert visible("\x00") == "␀"
    assert visible("\x9b") == "‹9B›"
    assert visible("普通文字 [b]markup[/b] 100%_") == "普通文字 [b]markup[/b] 100%_"


def test_visible_can_cut_long_text() -> None:
    assert visible("x" * 100_000, limit=10) == "x" * 9 + "…"


def test_for_xml_keeps_line_breaks_and_makes_the_rest_visible() -> None:
    from xml.etree import ElementTree

    text = for_xml("a\r\nb\rc\td\x00e\x1b[2J\ufffe\ud800")
    assert text == "a\nb\nc\td␀e␛[2J\ufffd\ufffd"
    ElementTree.fromstring(f"<x>{text}</x>")  # XML 1.0 accepts every character left
