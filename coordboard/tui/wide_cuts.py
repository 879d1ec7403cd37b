"""Keep wide (CJK) characters whole where one widget is drawn over another.

Textual's compositor cuts every screen line at the left and right edge of *every* visible
widget, and then divides each widget's line at those cuts, front widget first. A cut that
falls inside a wide character of the widget on top splits it, and a split wide character
becomes two spaces. So an edge of something *underneath* a dropdown, a toast or a modal
erased characters of the dropdown itself: 不同意 was drawn as " 同意", an answer that reads
as its opposite (Textualize/textual#6357, open upstream).

Here a line is cut only where the widget on top changes: the edges of each widget's visible
pieces. Every chop still belongs to exactly one widget, the compositor's other code
(partial updates use the same cuts as their chop ends) is unchanged, and a cut can split a
wide character only where another widget really covers half of it.

Installed once, when the app is made; ``pyproject.toml`` pins Textual below the next minor
version, and ``tests/test_wide_cuts.py`` fails if the compositor stops using the property.
"""

from __future__ import annotations

from textual._compositor import Compositor
from textual.geometry import Region

_UPSTREAM_CUTS: property = Compositor.__dict__["cuts"]


def _uncovered(covered: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The parts of [start, end) no interval of ``covered`` (sorted, disjoint) holds."""
    pieces = []
    position = start
    for low, high in covered:
        if high <= position:
            continue
        if low >= end:
            break
        if low > position:
            pieces.append((position, low))
        position = max(position, high)
        if position >= end:
            break
    if position < end:
        pieces.append((position, end))
    return pieces


def _cover(covered: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """``covered`` with [start, end) added, merged back to sorted, disjoint intervals."""
    merged: list[tuple[int, int]] = []
    placed = False
    for low, high in covered:
        if high < start:
            merged.append((low, high))
        elif low > end:
            if not placed:
                merged.append((start, end))
                placed = True
            merged.append((low, high))
        else:
            start, end = min(start, low), max(end, high)
    if not placed:
        merged.append((start, end))
    return merged


def visible_cuts(self: Compositor) -> list[list[int]]:
    """For each line, the columns where the widget on top changes (with 0 and the width)."""
    if self._cuts is not None:
        return self._cuts
    width, height = self.size
    cuts: list[set[int]] = [{0, width} for _ in range(height)]
    covered: list[list[tuple[int, int]]] = [[] for _ in range(height)]
    intersection = Region.intersection
    # visible_widgets is in render order: the widget on top first.
    for region, clip in self.visible_widgets.values():
        x, y, region_width, region_height = intersection(region, clip)
        if not (region_width and region_height):
            continue
        right = x + region_width
        for line in range(max(y, 0), min(y + region_height, height)):
            line_cuts = cuts[line]
            for start, end in _uncovered(covered[line], x, right):
                line_cuts.add(start)
                line_cuts.add(end)
            covered[line] = _cover(covered[line], x, right)
    self._cuts = [sorted(line_cuts) for line_cuts in cuts]
    return self._cuts


def install() -> None:
    """Make every compositor cut lines where the widget on top changes (idempotent)."""
    Compositor.cuts = property(visible_cuts)  # type: ignore[method-assign, assignment]


def upstream_cuts() -> property:
    """Textual's own property, for the test that compares the two on plain layouts."""
    return _UPSTREAM_CUTS
