"""Wide characters drawn whole over other widgets (coordboard/tui/wide_cuts.py).

Rule: a screen line is cut only where the widget on top changes, so a dropdown, a toast or
a modal never loses a CJK character to an edge of something underneath it."""

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st
from run_profile import trials
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.geometry import Region, Size
from textual.widgets import Static
from tui_support import screen_text

from coordboard.tui import wide_cuts

WIDTH, HEIGHT = 24, 4

regions = st.builds(
    lambda x, y, w, h: Region(x, y, w, h),
    st.integers(-3, WIDTH), st.integers(-2, HEIGHT), st.integers(0, WIDTH + 4), st.integers(0, HEIGHT + 2))
# A clip is the part of the screen a widget's container shows: never outside the screen.
clips = st.builds(
    lambda x, y, w, h: Region(x, y, w, h).intersection(Region(0, 0, WIDTH, HEIGHT)),
    st.integers(0, WIDTH), st.integers(0, HEIGHT), st.integers(0, WIDTH), st.integers(0, HEIGHT))


def _top_changes(layers: list[tuple[Region, Region]]) -> list[list[int]]:
    """Brute force: the widget on top of every cell, and where it changes along each line."""
    answer = []
    for y in range(HEIGHT):
        def top(x: int, y: int = y) -> int | None:
            return next((index for index, (region, clip) in enumerate(layers)
                         if region.intersection(clip).contains(x, y)), None)
        line = {0, WIDTH}
        line.update(x for x in range(1, WIDTH) if top(x) != top(x - 1))
        answer.append(sorted(line))
    return answer


@settings(max_examples=trials(200, 2000), deadline=None)
@given(st.lists(st.tuples(regions, clips), max_size=7))
def test_cuts_are_exactly_where_the_widget_on_top_changes(layers) -> None:
    compositor = SimpleNamespace(_cuts=None, size=Size(WIDTH, HEIGHT),
                                 visible_widgets={index: layer for index, layer in enumerate(layers)})
    cuts = wide_cuts.visible_cuts(compositor)  # type: ignore[arg-type]
    expected = _top_changes(layers)
    assert cuts == expected
    upstream = wide_cuts.upstream_cuts().fget(SimpleNamespace(  # a subset of Textual's own cuts
        _cuts=None, size=Size(WIDTH, HEIGHT),
        visible_widgets={index: layer for index, layer in enumerate(layers)}))
    assert all(set(mine) <= set(theirs) for mine, theirs in zip(cuts, upstream, strict=True))


class _Overlap(App):
    """Columns of narrow widgets under a toast: their edges fall inside the toast's words."""

    def compose(self) -> ComposeResult:
        with Horizontal():
            for index in range(20):
                yield Static("界" * 3, classes="strip", id=f"strip-{index}")

    CSS = ".strip { width: 3; height: 100%; }"


async def test_a_chinese_toast_is_drawn_whole_over_narrow_widgets() -> None:
    app = _Overlap()
    wide_cuts.install()
    message = "已反馈进展：村级培训已全部完成，请于十二月一日前报送材料"
    async with app.run_test(size=(60, 12), notifications=True) as pilot:
        app.notify(message, timeout=30)
        await pilot.pause(0.5)
        assert message in "".join(screen_text(app).replace("▌", "").split())


def test_installed_by_the_app_and_still_used_by_the_compositor(monkeypatch, tmp_path) -> None:
    """Textual's compositor reads ``cuts`` for full and partial updates; if a release renames
    it, this fails and the pin in pyproject.toml is what to look at."""
    import inspect

    from textual._compositor import Compositor

    from coordboard.config import Settings
    from coordboard.db import Database, make_engine
    from coordboard.tui.app import make_app

    source = inspect.getsource(Compositor.render_update) + inspect.getsource(Compositor._render_chops)
    assert "self.cuts" in source
    monkeypatch.setattr(Compositor, "cuts", wide_cuts.upstream_cuts())
    make_app(Settings(), Database(make_engine(f"sqlite:///{tmp_path / 'x.db'}")))
    assert Compositor.cuts.fget is wide_cuts.visible_cuts
