"""The board's filter bar: the search, six lists and two dates, and the filter they show.

The six lists come after the board's first page is drawn (``show_lists``): 36 widgets, a
quarter of a second of the start at 100k, that the first page does not need. The search and
the dates are there from the start (typing at once goes into the search), each list's place
is kept by a slot as wide as it, and until the lists come their values are the filter's own.
The unit, category and leader choices come with the board's first load, never read on the
UI thread (a slow server would hold the screen).
"""

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from functools import partial

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalGroup
from textual.message import Message
from textual.widgets import Input, Select, Static

from coordboard.enums import Light, TaskStatus
from coordboard.i18n import t
from coordboard.services import board
from coordboard.services.fields import typed_date
from coordboard.tui.widgets.choices import Choice, literal
from coordboard.tui.widgets.safe_input import SafeInput

ALL = ""
LISTS = ("flt-light", "flt-status", "flt-category", "flt-unit", "flt-role", "flt-leader")


class FilterBar(VerticalGroup):
    class Changed(Message):
        """The user changed a filter widget (not a widget being set to a filter)."""

    def __init__(self, flt: board.BoardFilter, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.flt = flt  # the filter the widgets were built from or last set to
        self.units_loaded = False  # the unit, category and leader choices have come
        self.lists_shown = False  # the six lists are mounted
        self._syncing = False  # the widgets are being set: their changes are not the user's
        self._unit_values: set[str] = {ALL}
        self._category_values: set[str] = {ALL}
        self._leader_values: set[str] = {ALL}
        self._early_choices: list[Callable[[], None]] = []  # choices that came before the lists

    def compose(self) -> ComposeResult:
        # Every widget starts with its value (never written after mount, when the user may
        # already be typing into it).
        shown = self._widget_values(self.flt)
        slots = {key: _slot(key, width) for key, width in self._list_widths().items()}
        with Horizontal(classes="filter-row", id="filter-row-1"):
            yield SafeInput(shown["#flt-text"], placeholder=t("tui.board.search"), id="flt-text",
                            compact=True)
            yield from (slots[key] for key in ("flt-light", "flt-status", "flt-category"))
        with Horizontal(classes="filter-row", id="filter-row-2"):
            yield from (slots[key] for key in ("flt-unit", "flt-role", "flt-leader"))
            yield SafeInput(shown["#flt-from"], placeholder=t("tui.board.from"), id="flt-from",
                            compact=True)
            yield SafeInput(shown["#flt-to"], placeholder=t("tui.board.to"), id="flt-to",
                            compact=True)

    # --- the lists' choices ----------------------------------------------------------

    @staticmethod
    def _light_options() -> list[tuple[str, str]]:
        return [(t("tui.board.all_lights"), ALL)] + [(t(f"light.{light}"), light.value)
                                                      for light in Light]

    @staticmethod
    def _status_options() -> list[tuple[str, str]]:
        return ([(t("tui.board.all_statuses"), ALL), (t("tui.board.open"), "open")]
                + [(t(f"status.{status}"), status.value) for status in TaskStatus])

    @staticmethod
    def _role_options() -> list[tuple[str, str]]:
        return [(t(f"tui.board.role_{role}"), role) for role in ("either", "lead", "support")]

    def _unit_options(self) -> list[Choice]:
        """Until the first load brings the unit list, the filter's own unit stands as "…"."""
        units = ([] if self.flt.department_id is None
                 else [("…", str(self.flt.department_id))])
        self._unit_values = {ALL} | {uid for _name, uid in units}
        return literal([(t("tui.board.all_units"), ALL), *units])

    def _leader_options(self) -> list[Choice]:
        """Like the units: the filter's own leader stands as "…" until the first load."""
        leaders = [] if self.flt.leader_id is None else [("…", str(self.flt.leader_id))]
        self._leader_values = {ALL} | {uid for _name, uid in leaders}
        return literal([(t("tui.board.all_leaders"), ALL), *leaders])

    def _category_options(self) -> list[Choice]:
        """Until the first load brings the list, the filter's own category alone."""
        own = [(self.flt.category, self.flt.category)] if self.flt.category else []
        self._category_values = {ALL} | {name for name, _value in own}
        return literal([(t("tui.board.any_category"), ALL), *own])

    def _list_widths(self) -> dict[str, int | None]:
        """Each list's width: as wide as its longest choice in the language ("lead or
        support", "closure requested", never cut to "lead or▼"); None: the stylesheet's."""
        return {"flt-light": _fitted(self._light_options()),
                "flt-status": _fitted(self._status_options()),
                "flt-category": _fitted([(t("tui.board.any_category"), ALL)]),
                "flt-unit": None, "flt-role": _fitted(self._role_options()), "flt-leader": None}

    # --- the lists, after the first page ----------------------------------------------

    def _filter_lists(self) -> tuple[list["Select[str]"], list["Select[str]"]]:
        """The lists of the first row (after the search) and of the second (before the
        dates), each showing the current filter. The category is in the first row, where
        the search gives way: in the second it squeezed the dates to a character or two at
        80 columns."""
        options: dict[str, Sequence[Choice]] = {
            "flt-light": self._light_options(), "flt-status": self._status_options(),
            "flt-category": self._category_options(), "flt-unit": self._unit_options(),
            "flt-role": self._role_options(), "flt-leader": self._leader_options()}
        shown = self._widget_values(self.flt)  # after the options: their values are known
        widths = self._list_widths()
        lists = []
        for key, choices in options.items():
            select: Select[str] = Select(choices, id=key, compact=True, allow_blank=False,
                                         value=shown[f"#{key}"])
            if widths[key] is not None:
                select.styles.width = widths[key]
            lists.append(select)
        return lists[:3], lists[3:]

    def lists_due(self) -> None:
        # In a task of its own: run in the table's queue (where the paint hook calls), the
        # mount held the row the user opened meanwhile until it was done, and an Esc pressed
        # after Enter closed the board, the task then opening over the home screen.
        self.run_worker(self.show_lists(), group="filter-lists", exclusive=True)

    async def show_lists(self) -> None:
        """The lists, once the first page is on screen; the choices that the first load
        brought meanwhile go into them at once."""
        if not self.is_attached:
            return
        first, second = self._filter_lists()
        with self.app.batch_update():  # each list in its slot, all in one frame
            await self.query_one("#filter-row-1", Horizontal).mount_all(
                first, before="#flt-light-soon")
            await self.query_one("#filter-row-2", Horizontal).mount_all(
                second, before="#flt-unit-soon")
            await self.query(".list-soon").remove()
        self.lists_shown = True
        early, self._early_choices = self._early_choices, []
        for show in early:
            show()
        if not self.units_loaded:
            for selector in ("#flt-unit", "#flt-category", "#flt-leader"):
                self.query_one(selector, Select).loading = True

    def show_units(self, units: list[tuple[str, int]]) -> None:
        """The active units, from the first load, into the unit list; its value stays (a
        unit since closed: all, as at compose)."""
        if not self.lists_shown:
            self._early_choices.append(partial(self.show_units, units))
            return
        self.units_loaded = True
        choices = [(name, str(uid)) for name, uid in units]
        self._unit_values = {ALL} | {uid for _name, uid in choices}
        self._refill("#flt-unit", [(t("tui.board.all_units"), ALL), *choices], self._unit_values)

    def show_leaders(self, leaders: list[tuple[str, int]]) -> None:
        """The active leader users, from the first load, into the leader list."""
        if not self.lists_shown:
            self._early_choices.append(partial(self.show_leaders, leaders))
            return
        choices = [(name, str(uid)) for name, uid in leaders]
        self._leader_values = {ALL} | {uid for _name, uid in choices}
        self._refill("#flt-leader", [(t("tui.board.all_leaders"), ALL), *choices],
                     self._leader_values)

    def show_categories(self, entries: list[tuple[str, bool]]) -> None:
        """The office's categories, retired ones last and marked (tasks still have them)."""
        if not self.lists_shown:
            self._early_choices.append(partial(self.show_categories, entries))
            return
        choices = [(t("tui.board.category_retired", name=name) if retired else name, name)
                   for name, retired in entries]
        self._category_values = {ALL} | {name for name, _retired in entries}
        self._refill("#flt-category", [(t("tui.board.any_category"), ALL), *choices],
                     self._category_values)

    def _refill(self, selector: str, options: list[tuple[str, str]], values: set[str]) -> None:
        """New options for a list from the first load; its value stays if still offered
        (else all), and the change is not taken as the user's."""
        select = self.query_one(selector, Select)
        keep = select.value
        self._syncing = True
        select.set_options(literal(options))
        select.value = keep if keep in values else ALL
        select.loading = False
        self.call_after_refresh(self._end_sync)

    # --- the filter shown and read ------------------------------------------------------

    def _widget_values(self, flt: board.BoardFilter, *, offered: bool = True) -> dict[str, str]:
        """What each widget shows for ``flt``; ``offered``: a unit, category or leader no
        longer offered shows as all (``False``: as the filter holds it)."""
        status = ALL if not flt.statuses else ("open" if set(flt.statuses) == set(board.OPEN_FILTER)
                                               else flt.statuses[0])
        unit = str(flt.department_id) if flt.department_id else ALL
        leader = str(flt.leader_id) if flt.leader_id else ALL
        category = flt.category or ALL
        return {
            "#flt-text": flt.text, "#flt-light": flt.light.value if flt.light else ALL,
            "#flt-status": status,
            "#flt-unit": unit if not offered or unit in self._unit_values else ALL,  # closed since
            "#flt-role": flt.unit_role or "either",
            "#flt-category": category if not offered or category in self._category_values else ALL,
            "#flt-leader": leader if not offered or leader in self._leader_values else ALL,
            "#flt-from": flt.deadline_from.isoformat() if flt.deadline_from else "",
            "#flt-to": flt.deadline_to.isoformat() if flt.deadline_to else "",
        }

    def show(self, flt: board.BoardFilter) -> None:
        """Show ``flt`` (a saved filter chosen, the filters cleared) without a reload per
        widget; a widget already showing it is left alone."""
        self.flt = flt
        self._syncing = True
        for selector, value in self._widget_values(flt).items():
            for widget in self.query(selector):  # a list not yet shown is built from self.flt
                if isinstance(widget, (Input, Select)) and widget.value != value:
                    widget.value = value
        self.call_after_refresh(self._end_sync)

    def _end_sync(self) -> None:
        self._syncing = False
        # What the user typed or chose while the widgets were being set (the first load's
        # unit list arriving as they type a search, on a busy PC) was not taken then: take
        # it now. Nothing changed, nothing reloads.
        self.post_message(self.Changed())

    @on(Input.Changed, ".filter-row Input")
    @on(Select.Changed, ".filter-row Select")
    def _changed(self, event: Message) -> None:
        event.stop()
        if not self._syncing:
            self.post_message(self.Changed())

    def read(self, base: board.BoardFilter) -> board.BoardFilter | None:
        """``base`` (its sort kept) with what the widgets show; None while a date cannot be
        read (the field is marked)."""
        start, start_ok = self._read_date("#flt-from")
        end, end_ok = self._read_date("#flt-to")
        if not (start_ok and end_ok):
            return None
        light, status, unit, role, category, leader = map(self._chosen, (
            "#flt-light", "#flt-status", "#flt-unit", "#flt-role", "#flt-category", "#flt-leader"))
        statuses: tuple[str, ...] = ()
        if status == "open":
            statuses = board.OPEN_FILTER
        elif status != ALL:
            statuses = (str(status),)
        return replace(
            base, text=self.query_one("#flt-text", Input).value, statuses=statuses,
            light=Light(str(light)) if light != ALL else None,
            department_id=int(str(unit)) if unit != ALL else None,
            unit_role=None if role == "either" else str(role),
            leader_id=int(str(leader)) if leader != ALL else None,
            deadline_from=start, deadline_to=end,
            category=str(category) if category != ALL else None)

    def bad_date(self) -> Input | None:
        """The first date field whose text is not a date (marked by ``read``)."""
        return next((field for field in self.query(".filter-row Input")
                     if isinstance(field, Input) and field.has_class("-invalid")), None)

    def _read_date(self, widget_id: str) -> tuple[date | None, bool]:
        widget = self.query_one(widget_id, Input)
        raw = widget.value.strip()
        if not raw:
            widget.remove_class("-invalid")
            return None, True
        try:
            value = typed_date(raw)
        except ValueError:
            widget.add_class("-invalid")
            return None, False
        widget.remove_class("-invalid")
        return value, True

    def _chosen(self, selector: str) -> str:
        """A list's value; before the lists are shown, the filter's own."""
        if not self.lists_shown:
            return self._widget_values(self.flt, offered=False)[selector]
        return str(self.query_one(selector, Select).value)


def _fitted(options: list[tuple[str, str]]) -> int:
    """The width that shows the longest of ``options`` whole, with the list's arrow."""
    return max(16, *(cell_len(label) + 4 for label, _value in options))


def _slot(key: str, width: int | None) -> Static:
    """Where a list will be, as wide as it, until it comes: the search and the dates stay
    where they are when the lists arrive."""
    slot = Static("", id=f"{key}-soon", classes="list-soon")
    if width is not None:
        slot.styles.width = width
    return slot
