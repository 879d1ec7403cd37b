"""How many of a row's items fit its width: all of them, or as many as leave room for a
mark saying that more exist (the footer's keys, the task's action buttons); and items laid
out in lines broken only between them (the task's fields)."""

from collections.abc import Sequence

from coordboard.textwidth import display_width


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


def flowed(items: Sequence[str], room: int, gap: int = 4) -> str:
    """``items`` side by side, ``gap`` spaces apart, in lines of ``room`` cells broken only
    between two items: a value such as "交办时间：2026-09-29 08:30" is never split at its
    space. An item wider than ``room`` has a line of its own (where it wraps). With no
    room known yet (0), one line."""
    lines: list[str] = []
    used = 0
    for item in items:
        width = display_width(item)
        if lines and room and used + gap + width > room:
            lines.append("\n")
            used = 0
        elif lines:
            lines.append(" " * gap)
            used += gap
        lines.append(item)
        used += width
    return "".join(lines)
