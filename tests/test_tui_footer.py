"""The footer is rebuilt only when the keys it shows change (issue 13, item 9: Textual's
footer rebuilt itself on every focus move, a tenth of the board's start)."""

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Input

from coordboard.tui.widgets.footer import KeysFooter


class Field(Input):
    BINDINGS = [Binding("ctrl+y", "noop", "Only in the field")]


class Counted(KeysFooter):
    composed = 0

    def compose(self) -> ComposeResult:
        Counted.composed += 1
        yield from super().compose()


class Sample(App[None]):
    BINDINGS = [Binding("f2", "noop", "Everywhere")]

    def compose(self) -> ComposeResult:
        yield Button("one", id="one")
        yield Button("two", id="two")
        yield Field(id="field")
        yield Counted()

    def action_noop(self) -> None:
        pass


def footer_text(app: App[None]) -> str:
    return " ".join(str(key.render()) for key in app.query("FooterKey"))


async def until(pilot, condition) -> None:
    """Until ``condition`` holds (a loaded machine may take more than one pause to
    recompose), for at most about two seconds."""
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.01)


async def test_the_footer_is_rebuilt_only_when_its_keys_change() -> None:
    app = Sample()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.query_one("#one").focus()
        await pilot.pause()
        before = Counted.composed
        assert "Everywhere" in footer_text(app)
        for target in ("#two", "#one", "#two"):  # the same keys: nothing to rebuild
            app.query_one(target).focus()
            await pilot.pause()
        assert Counted.composed == before
        app.query_one("#field").focus()  # a key of its own: rebuilt, and shown
        await until(pilot, lambda: "Only in the field" in footer_text(app))
        assert Counted.composed == before + 1
        app.query_one("#two").focus()
        # The new footer drawn (mid-recompose the old keys are gone and none are shown yet).
        await until(pilot, lambda: "Only in the field" not in footer_text(app)
                    and "Everywhere" in footer_text(app))
        assert Counted.composed == before + 2
