"""A bracketed paste holding ESC characters is one paste, in order (coordboard/tui/paste.py):
Textual's own parser sent part of it as key presses before the rest."""

from textual import events
from textual._xterm_parser import XTermParser

from coordboard.tui.paste import END, START, PasteSafeParser

PASTED = "AAA\x1b[31mBBB\x1b]52;c;ZXZpbA==\x07 中文\x1b\x1b[201"  # a colour, an OSC, a lone ESC


def _events(parser: XTermParser, chunks: list[str]) -> list[events.Event]:
    found = []
    for chunk in filter(None, chunks):  # an empty read is the end of input
        found += list(parser.feed(chunk))
    return [e for e in found if isinstance(e, (events.Key, events.Paste))]


def _said(found: list[events.Event]) -> list[tuple[str, str]]:
    return [("paste", e.text) if isinstance(e, events.Paste) else ("key", e.key) for e in found]


def test_textual_alone_reorders_such_a_paste() -> None:
    """Why the parser exists: if this starts failing, Textual fixed it upstream."""
    said = _said(_events(XTermParser(), ["x" + START + PASTED + END + "y"]))
    assert said[-2:] != [("paste", "AAA[31mBBB]52;c;ZXZpbA==\x07 中文[201"), ("key", "y")]


def test_a_paste_with_escapes_is_one_paste_in_order_however_the_input_is_cut() -> None:
    stream = "x" + START + PASTED + END + "y"
    expected = [("key", "x"), ("paste", "AAA[31mBBB]52;c;ZXZpbA==\x07 中文[201"), ("key", "y")]
    for cut in range(1, len(stream)):
        for second in (cut, min(cut + 3, len(stream))):
            chunks = [stream[:cut], stream[cut:second], stream[second:]]
            assert _said(_events(PasteSafeParser(), chunks)) == expected, chunks


def test_outside_a_paste_escape_sequences_are_keys_as_before() -> None:
    stream = "\x1b[A" + "q" + START + "plain" + END + "\x1b[B"
    for cut in range(1, len(stream)):
        chunks = [stream[:cut], stream[cut:]]
        assert _said(_events(PasteSafeParser(), chunks)) == [
            ("key", "up"), ("key", "q"), ("paste", "plain"), ("key", "down")], chunks


def test_an_end_marker_inside_the_pasted_text_does_not_end_the_paste() -> None:
    """A clipboard holding ESC[201~ then "\\r": as keys, the Enter submitted a form."""
    stream = START + "复核整改" + END + "\r" + END + "z"
    assert _said(_events(PasteSafeParser(), [stream])) == [
        ("paste", "复核整改[201~\r"), ("key", "z")]
    two = START + "a" + END + "typed" + START + "b" + END  # two pastes, typing between
    assert _said(_events(PasteSafeParser(), [two])) == [
        ("paste", "a"), *[("key", c) for c in "typed"], ("paste", "b")]
