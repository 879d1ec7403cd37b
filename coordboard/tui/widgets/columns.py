"""Which columns a table shows at a given width, and how wide each one is.

One rule for every table (the board's page table and the DataTables of the other
screens), written as a pure function so it is tested without a terminal:

* every column has a natural width that is never cut: at least its header and every
  label it can show in the interface language ("● yellow", "support"), so labels are
  never cut to "yel…";
* when the terminal is too narrow, the least important columns (highest ``priority``;
  0 = always shown) are left out, the rightmost first among equals;
* the width left over goes to the columns that ``grow`` (titles, explanations), in
  proportion to their weight, so a wide terminal shows whole titles, not 90 empty columns.

Text longer than its column is cut by display width (a CJK character is two cells and
is never split) and ends in "…" (``cut``); the full row is one key away (space, see
``RowPeek``).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.text import Text

PADDING = 1  # cells each side of a column, as PageTable and DataTable draw them


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    width: int  # the natural width (a growing column's smallest)
    priority: int = 0  # 0: always shown; the highest number is left out first
    grow: int = 0  # share of the spare width
    values: tuple[str, ...] = field(default=(), compare=False)  # labels shown whole

    @property
    def floor(self) -> int:
        return max(self.width, cell_len(self.label), *(cell_len(v) for v in self.values), 1)


@dataclass(frozen=True)
class Fitted:
    key: str
    label: str
    width: int


def fit(specs: Sequence[ColumnSpec], available: int, padding: int = PADDING) -> list[Fitted]:
    """The columns to show in ``available`` cells, in their order, with their widths."""
    shown = list(specs)

    def cost() -> int:
        return sum(spec.floor + 2 * padding for spec in shown)

    while cost() > available:
        optional = [spec for spec in shown if spec.priority > 0]
        if not optional:
            break  # the essential columns alone are too wide: the table scrolls sideways
        drop = max(reversed(optional), key=lambda spec: spec.priority)
        shown.remove(drop)
    widths = {spec.key: spec.floor for spec in shown}
    spare = available - cost()
    growing = [spec for spec in shown if spec.grow > 0]
    weight = sum(spec.grow for spec in growing)
    if spare > 0 and weight:
        given = 0
        for spec in growing:
            extra = spare * spec.grow // weight
            widths[spec.key] += extra
            given += extra
        widths[growing[0].key] += spare - given  # the rounding remainder to the first
    return [Fitted(spec.key, spec.label, widths[spec.key]) for spec in shown]


def cut(cell: Text, width: int) -> Text:
    """``cell`` in at most ``width`` terminal cells, ending in "…" when cut; a wide
    character that would be split is left out whole."""
    if cell.cell_len <= width:
        return cell
    if width <= 0:
        return Text("", style=cell.style)
    used, end = 0, 0
    for end, char in enumerate(cell.plain):  # noqa: B007 (end is read after the loop)
        size = cell_len(char)
        if used + size > width - 1:
            break
        used += size
    piece = cell[:end]
    piece.append("…")
    return piece


def widest(values: Iterable[str]) -> int:
    return max((cell_len(value) for value in values), default=0)
