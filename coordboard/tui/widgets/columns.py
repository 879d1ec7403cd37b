"""Which columns a table shows at a given width, and how wide each one is.

One rule for every table (the board's page table and the DataTables of the other
screens), written as a pure function so it is tested without a terminal:

* every column has a natural width that is never cut: at least its header and every
  label it can show in the interface language ("● yellow", "support"), so labels are
  never cut to "yel…";
* when the terminal is too narrow, the least important columns (highest ``priority``;
  0 = always shown) are left out, the rightmost first among equals;
* the width left over goes to the columns that ``grow`` (titles, explanations), in
  proportion to their weight, each up to its widest cell on screen, so a wide terminal
  shows whole titles, not 90 empty columns.

Text longer than its column is cut by display width (a CJK character is two cells and
is never split) and ends in "…" (``cut``); the full row is one key away (space, see
``RowPeek``).
"""

from collections.abc import Iterable, Mapping, Sequence
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
    # The width a growing column should have before an optional column is shown: a
    # title squeezed to 16 cells helps less than a whole title without the last report.
    ideal: int = 0
    # Never cut: as wide as its widest cell on screen (a task's code: "DB-2026-000123"
    # cut to "DB-2026-00…" told 100 rows apart by nothing).
    whole: bool = False

    @property
    def floor(self) -> int:
        return max(self.width, cell_len(self.label), *(cell_len(v) for v in self.values), 1)


@dataclass(frozen=True)
class Fitted:
    key: str
    label: str
    width: int


def fit(specs: Sequence[ColumnSpec], available: int, padding: int = PADDING,
        widest: Mapping[str, int] | None = None) -> list[Fitted]:
    """The columns to show in ``available`` cells, in their order, with their widths.

    ``widest``: the widest cell of each column on screen now; a growing column takes no
    more than that, and what it leaves goes to the other growing columns (a short lead
    unit's name leaves its share to the titles)."""
    shown = list(specs)
    need = {spec.key: max(spec.floor, (widest or {}).get(spec.key, 0)) if spec.whole
            else spec.floor for spec in specs}

    def cost(ideal: bool = False) -> int:
        return sum(max(need[spec.key], spec.ideal if ideal else 0) + 2 * padding
                   for spec in shown)

    while cost(ideal=True) > available:
        optional = [spec for spec in shown if spec.priority > 0]
        if not optional:
            break  # the essential columns alone are too wide: the table scrolls sideways
        drop = max(reversed(optional), key=lambda spec: spec.priority)
        shown.remove(drop)
    widths = {spec.key: need[spec.key] for spec in shown}
    caps = {spec.key: max(need[spec.key], (widest or {}).get(spec.key, 1 << 30))
            for spec in shown}
    spare = available - cost()
    growing = [spec for spec in shown if spec.grow > 0]
    while spare > 0:
        growing = [spec for spec in growing if widths[spec.key] < caps[spec.key]]
        weight = sum(spec.grow for spec in growing)
        if not weight:
            break  # every column shows its widest cell whole: the rest stays empty
        given = 0
        for spec in growing:
            extra = min(spare * spec.grow // weight, caps[spec.key] - widths[spec.key])
            widths[spec.key] += extra
            given += extra
        if not given:  # less spare than weight: a cell at a time, the first column first
            widths[growing[0].key] += 1
            given = 1
        spare -= given
    return [Fitted(spec.key, spec.label, widths[spec.key]) for spec in shown]


def cut(cell: Text, width: int) -> Text:
    """``cell`` in at most ``width`` terminal cells, ending in "…" when cut; a wide
    character that would be split is left out whole, and a Latin word is not split
    when a space before it leaves most of the width used ("none for 9 working …")."""
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
    text = cell.plain
    if 0 < end < len(text) and _letter(text[end - 1]) and _letter(text[end]):
        space = text.rfind(" ", 0, end)
        # Only a word is kept whole (its brackets, quotes and punctuation aside): a link, a
        # path or markup ("https://…", "[link=…", "red]") is cut where the width ends.
        after = text.find(" ", end)
        token = text[space + 1:after if after >= 0 else len(text)]
        if space > 0 and end - space <= WORD_BACKOFF and all(
                map(_letter, token.lstrip("([{'\"“‘").rstrip(")}'\"”’,.;:!?"))):
            end = space + 1
    piece = cell[:end]
    piece.append("…")
    return piece


WORD_BACKOFF = 12  # a longer word is split rather than leave a column mostly empty


def _letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def widest_cells(specs: Sequence[ColumnSpec], rows: Iterable[Sequence[Text]]) -> dict[str, int]:
    """The widest cell of each column among ``rows`` (one page: a pass over what is shown)."""
    widths = dict.fromkeys((spec.key for spec in specs), 0)
    keys = list(widths)
    for row in rows:
        for key, cell in zip(keys, row, strict=False):
            widths[key] = max(widths[key], cell.cell_len)
    return widths
