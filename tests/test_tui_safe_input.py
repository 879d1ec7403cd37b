"""Input fields draw hostile text visibly and keep it exactly (tui/widgets/safe_input.py)."""

import re
from pathlib import Path

from textual.app import App, ComposeResult

import coordboard
from coordboard.tui.widgets.safe_input import SafeInput

HOSTILE = "ab\x1b]0;pwned\x1b\\c\u202eXYZ\x00d\x9b2J\te"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class Host(App[None]):
    def __init__(self, value: str = "", placeholder: str = "", max_length: int = 0) -> None:
        super().__init__()
        self.value, self.placeholder, self.max_length = value, placeholder, max_length

    def compose(self) -> ComposeResult:
        yield SafeInput(self.value, placeholder=self.placeholder, id="field",
                        max_length=self.max_length)


def _drawn(field: SafeInput) -> str:
    return "".join(segment.text for segment in field.render_line(0))


async def test_a_hostile_value_is_drawn_visibly_and_kept_exactly() -> None:
    app = Host(HOSTILE)
    async with app.run_test(size=(80, 5)) as pilot:
        field = app.query_one(SafeInput)
        field.focus()
        await pilot.pause()
        drawn = _drawn(field)
        assert not RAW.search(drawn), repr(drawn)
        assert "␛]0;pwned␛\\c�XYZ␀d�2J⇥e" in drawn
        # Typed at the end, after the hostile text: it lands there, and nothing is lost.
        await pilot.press("end", "x", "y")
        assert field.value == HOSTILE + "xy"
        # The cursor (the terminal's, and the one drawn) is on the character it is at:
        # each hostile character is drawn one cell wide, and counted so.
        await pilot.press("left")
        shown = "ab␛]0;pwned␛\\c�XYZ␀d�2J⇥ex"
        assert field.cursor_screen_offset.x == field.content_region.x + len(shown)
        before, cursor = field.render_line(0)._segments[:2]
        assert before.text == shown and cursor.text == "y" and cursor.style != before.style


async def test_a_hostile_placeholder_is_drawn_visibly() -> None:
    app = Host(placeholder="填写 \x1b[31m司法所\u202e 的分工")
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        drawn = _drawn(app.query_one(SafeInput))
        assert not RAW.search(drawn) and "␛[31m司法所�" in drawn


def test_no_screen_builds_a_raw_input_field() -> None:
    """Every input field of the TUI is a SafeInput (a new screen with textual's Input
    would draw a stored value raw again)."""
    tui = Path(coordboard.__file__).parent / "tui"
    offenders = [f"{path.relative_to(tui)}:{number}"
                 for path in tui.rglob("*.py")
                 for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                 if re.search(r"(?<![\w.])Input\(", line)]
    assert offenders == []


async def test_a_paste_is_kept_whole_not_cut_at_its_first_line_break() -> None:
    """Textual's Input kept a paste's first line (split also at U+0085 and U+2028), and
    dropped the rest silently; only the copied line's own break at its end is left out."""
    from textual import events

    app = Host("ab")
    async with app.run_test(size=(80, 5)) as pilot:
        field = app.query_one(SafeInput)
        field.focus()
        await pilot.press("end")
        field.post_message(events.Paste("P1\x85Z\u2028W\nV\r\n"))
        await pilot.pause()
        assert field.value == "abP1\x85Z\u2028W\nV"
        assert "abP1�Z⏎W⏎V" in _drawn(field)
        field.post_message(events.Paste("\n"))  # nothing but a line break: nothing
        await pilot.pause()
        assert field.value == "abP1\x85Z\u2028W\nV"


async def test_a_paste_that_does_not_fit_is_refused_with_a_word() -> None:
    """Textual's Input refuses a paste past the field's limit without a word."""
    from textual import events

    from coordboard.i18n import set_language

    set_language("zh")
    app = Host("事项", max_length=10)
    told: list[str] = []
    async with app.run_test(size=(80, 5)) as pilot:
        app.notify = lambda message, **_: told.append(str(message))  # type: ignore[method-assign]
        field = app.query_one(SafeInput)
        field.focus()
        await pilot.press("end")
        field.post_message(events.Paste("一二三四五六七八九"))  # 2 + 9 = 11 > 10
        await pilot.pause()
        assert field.value == "事项"
        assert told == ["粘贴的内容放不下：本栏最多 10 个字，粘贴后将有 11 个字。未粘贴。"]
        field.post_message(events.Paste("一二三四五六七八"))  # 10: fits
        await pilot.pause()
        assert field.value == "事项一二三四五六七八" and len(told) == 1
