"""How many of a row's items fit its width: all of them, or as many as leave room for a
mark saying that more exist (the footer's keys, the task's action buttons)."""

from collections.abc import Sequence


def fitting(widths: Sequence[int], room: int, mark: int) -> int:
    """The number of leading items shown in ``room`` cells; when not all fit, ``mark``
    cells are kept for the mark that stands for the rest."""
    if sum(widths) <= room:
        return len(widths)
    used = mark
    for shown, width in enumerate(widths):
        if used + width > room:
            return shown
        used += width
    return len(widths)  # unreachable: the sum did not fit
