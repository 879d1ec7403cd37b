"""The board: every task the user may see, filtered, sorted and paged in SQL.

Only one page of rows ever exists as widgets. A filter change fetches that page
first and shows it, then counts the matches (lights included) in one aggregate.

While the user reads a page, the next one (in the direction they are paging) is fetched
ahead, so turning to it draws at once instead of waiting for its query (issue 13: ~20 ms
of SQL and lights of a 69 ms page-down at 100k). A page fetched ahead is only a page of the
same filter and sort, of data unchanged since (any change, here or by another user, drops
it), and younger than ``AHEAD_MAX_AGE_S``: lights and working days follow the clock. For the
same reason the counts are made again, after such a turn, once they are older than that.
"""

import threading
from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Input, Static

from coordboard.db import SQLAlchemyError
from coordboard.enums import Role
from coordboard.errors import CoordboardError
from coordboard.i18n import t
from coordboard.safe_text import visible
from coordboard.services import board, categories
from coordboard.tui import format as fmt
from coordboard.tui.base import AppScreen
from coordboard.tui.exports import failure_message, hand_over, stamped
from coordboard.tui.screens import board_page
from coordboard.tui.screens.board_filters import FilterBar
from coordboard.tui.screens.board_page import PAGE_SIZE, ShownPage
from coordboard.tui.widgets.choices import active_units, leader_choices
from coordboard.tui.widgets.columns import ColumnSpec
from coordboard.tui.widgets.export_progress import ExportProgress
from coordboard.tui.widgets.footer import KeysFooter
from coordboard.tui.widgets.page_table import PageTable

# (key, natural width, priority, grow): at 80 columns the code, light, title, lead unit,
# working days and status show; wider terminals add the deadline, the supporting units and
# the last report, and give the rest to the title (3 shares), supporters and lead.
COLUMNS = [("code", 11, 0, 0), ("light", 4, 0, 0), ("title", 16, 0, 3), ("lead", 8, 0, 1),
           ("supporters", 12, 3, 2), ("deadline", 11, 2, 0), ("left", 6, 0, 0), ("status", 4, 0, 0),
           ("last_feedback", 13, 4, 0)]  # "11 months ago"
TITLE_IDEAL = 30  # optional columns show only while the title keeps this much
SORT_OF_COLUMN = {"code": "code", "light": "light", "title": "title", "lead": "lead",
                  "supporters": "supporters", "deadline": "deadline", "left": "deadline",
                  "status": "status", "last_feedback": "last_feedback"}
DRAW_WAIT_S = 0.5  # at most this long the counts wait for the page's rows to be drawn
AHEAD_MAX_AGE_S = 30.0


class BoardTable(PageTable):
    """Page down on the last row (or up on the first) turns to the next page in SQL."""

    def action_page_down(self) -> None:
        if self.cursor_row >= self.row_count - 1:
            self._turn(1)
        else:
            super().action_page_down()

    def _turn(self, step: int) -> None:
        screen = self.screen
        if isinstance(screen, BoardScreen):
            screen.action_page(step)

    def action_page_up(self) -> None:
        if self.cursor_row <= 0:
            self._turn(-1)
        else:
            super().action_page_up()


class BoardScreen(AppScreen[None]):
    AUTO_FOCUS = "#board-table"  # keys act on the rows at once; "/" reaches the search
    BINDINGS = [
        Binding("escape", "back", "tui.key.back"),
        # Priority, so the search has focus before the next key is routed (a fast "/text"
        # lost its text to the table); not while a filter field has focus ("/" is typed).
        Binding("slash", "focus_search", "tui.key.search", priority=True),
        # One footer entry for both page keys: the footer is short of room in Chinese and English.
        Binding("n", "page(1)", "tui.key.pages", key_display="n/p"),
        Binding("p", "page(-1)", "tui.key.prev_page", show=False),
        # One footer entry for both sort keys, like the page keys: "o/O Sort/reverse".
        Binding("o", "cycle_sort", "tui.key.sort_reverse", key_display="o/O"),
        Binding("O", "reverse_sort", "tui.key.reverse", show=False),
        # From a filter field to the rows (Enter too, see _leave_field); the table's own ↓
        # moves its cursor, so this one acts only while a filter field has focus.
        Binding("down", "leave_filter", show=False),
        Binding("x", "clear_filters", "tui.key.clear"),
        Binding("ctrl+s", "save_filter", "tui.key.save_filter"),
        Binding("l", "load_filter", "tui.key.load_filter"),
        Binding("e", "export_ledger", "tui.key.export_ledger"),
        Binding("r", "reload", "tui.key.refresh", show=False),
    ]

    def __init__(self, flt: board.BoardFilter | None = None, page_offset: int = 0) -> None:
        super().__init__()
        actor = self.board_app.actor
        assert actor is not None
        if flt is None:
            # A unit's head starts on their own unit's tasks; the office on everything.
            own = actor.role in (Role.HEAD, Role.STAFF) and actor.department_id is not None
            flt = board.BoardFilter(department_id=actor.department_id if own else None)
        self.flt = flt
        self.page_offset = page_offset
        self.row_total = 0
        self.rows_shown = 0
        self.estimated_shown = False  # a deadline on the page is marked as estimated
        self.loaded = False  # rows and counts of the current filter are on screen
        self._generation = 0
        self._shown_generation = 0  # the generation whose rows are on screen
        self._shown_offset = 0  # where those rows start
        self._lists_asked = False  # the filter lists are to come once the first page is drawn
        self.filters = FilterBar(flt, id="board-filters")
        self._counts: dict[str, int] = {}  # per light, of the current filter
        self._counted_at = 0.0  # board_page.now() when they were counted
        # Pages of the current filter and data by offset, with when they were read (the
        # one shown, the one fetched ahead); ``_view`` changes whenever they stop being that.
        self._pages: dict[int, ShownPage] = {}
        self._view = 0
        # The filters whose counts (``row_total``) and rows are on screen: after a change
        # of filter the total is the previous filter's until the new counts arrive.
        self._total_flt: board.BoardFilter | None = None
        self._shown_flt: board.BoardFilter | None = None
        self._left = False  # another screen is (or was) over this one

    def compose(self) -> ComposeResult:
        yield Header()
        yield self.filters
        yield BoardTable([ColumnSpec(key, t(f"tui.col.{key}"), width, priority, grow,
                                     fmt.column_values(key), TITLE_IDEAL if key == "title" else 0,
                                     whole=key == "code")
                          for key, width, priority, grow in COLUMNS], id="board-table")
        yield Static("", id="board-status")
        yield ExportProgress(id="board-export")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.load_page()

    def reopen(self) -> "BoardScreen":
        return BoardScreen(self.flt, self.page_offset)

    def data_changed(self) -> None:
        self.load_page()

    def on_screen_suspend(self) -> None:
        self._left = True

    def on_screen_resume(self) -> None:
        """Back from another screen (a task opened and changed there, say): the pages kept
        may be of data changed meanwhile, before the refresh tick heard of it. Dropped; what
        is shown stays until that tick, as before pages were read ahead."""
        if self._left:
            self._left = False
            self._view += 1
            self._pages.clear()

    # --- filters ------------------------------------------------------------------

    @on(FilterBar.Changed)
    def _filters_changed(self) -> None:
        wanted = self.filters.read(self.flt)
        if wanted is None:
            bad = self.filters.bad_date()
            self._status(Text(t("tui.board.bad_date", value=visible(bad.value if bad else "")),
                              style="bold red"))
            return
        try:
            wanted.check()  # a range ending before it starts: the CLI's refusal, said here
        except CoordboardError as exc:
            self._status(Text(str(exc), style="bold red"))
            return
        if wanted == self.flt:
            return  # a widget settling on the value it was built with: nothing to reload
        self.flt = wanted
        self.page_offset = 0
        self.load_page()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_search" and isinstance(self.focused, Input):
            return False
        if action == "leave_filter":
            return isinstance(self.focused, Input) and self._in_filters()
        return True

    def _in_filters(self) -> bool:
        focused = self.focused
        return focused is not None and any(row in focused.ancestors for row in self.query(".filter-row"))

    def action_leave_filter(self) -> None:
        """Back to the rows, the filter as typed (never discarded)."""
        self.set_focus(self.query_one(BoardTable))

    @on(Input.Submitted, "#board-filters Input")
    def _leave_field(self, event: Input.Submitted) -> None:
        if event.input is self.filters.bad_date():
            return  # stays to be corrected: what is typed next is for it, not the table
        self.action_leave_filter()

    def action_focus_search(self) -> None:
        self.set_focus(self.query_one("#flt-text", Input))  # at once: focus() waits a turn

    def action_clear_filters(self) -> None:
        self.flt = board.BoardFilter(sort=self.flt.sort, descending=self.flt.descending)
        self.page_offset = 0
        self.filters.show(self.flt)
        self.load_page()

    def apply_filter(self, flt: board.BoardFilter) -> None:
        self.flt = flt
        self.page_offset = 0
        self.filters.show(self.flt)
        self.load_page()

    # --- sorting and paging -------------------------------------------------------

    @on(PageTable.HeaderSelected)
    def _sort_by_header(self, event: PageTable.HeaderSelected) -> None:
        sort = SORT_OF_COLUMN[event.column_key]
        descending = not self.flt.descending if sort == self.flt.sort else False
        self._sort(sort, descending)

    def action_cycle_sort(self) -> None:
        keys = list(dict.fromkeys(SORT_OF_COLUMN.values()))
        self._sort(keys[(keys.index(self.flt.sort) + 1) % len(keys)] if self.flt.sort in keys
                   else keys[0], False)

    def action_reverse_sort(self) -> None:
        self._sort(self.flt.sort, not self.flt.descending)

    def _sort(self, sort: str, descending: bool) -> None:
        self.flt = replace(self.flt, sort=sort, descending=descending)
        self.page_offset = 0
        self.load_page()

    def action_page(self, step: int) -> None:
        new_offset = self.page_offset + step * PAGE_SIZE
        if not 0 <= new_offset < max(self._known_end(), 1):
            return
        self.page_offset = new_offset
        cursor = "top" if step > 0 else "bottom"
        page = self._pages.get(new_offset)
        now = board_page.now()
        if page is None or not self.loaded or now - page.read_at > AHEAD_MAX_AGE_S:
            self.load_page(cursor, ahead=new_offset + step * PAGE_SIZE, same_view=True)
            return
        self._generation += 1
        self._show_rows(self._generation, page, cursor, threading.Event())
        self._show_counts(self._generation, self._counts)  # the same filter: the same counts
        self._fetch_ahead(self._view, self.flt, new_offset + step * PAGE_SIZE,
                          recount=now - self._counted_at > AHEAD_MAX_AGE_S)

    def _known_end(self) -> int:
        """Where the current filter's rows end as far as the board knows: its total once
        counted; before that, past this page only if this page is full of its rows."""
        if self._total_flt == self.flt:
            return self.row_total
        full = self._shown_flt == self.flt and self.rows_shown == PAGE_SIZE
        return self.page_offset + (PAGE_SIZE + 1 if full else 1)

    def action_back(self) -> None:
        # Esc in a filter field leaves the field, keeping the filter; from the rows, back.
        if self._in_filters():
            self.action_leave_filter()
        elif len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    # --- saved filters --------------------------------------------------------------

    def action_save_filter(self) -> None:
        from coordboard.tui.screens.saved_filters import SaveFilterScreen

        self.app.push_screen(SaveFilterScreen(self.flt))

    def action_load_filter(self) -> None:
        from coordboard.tui.screens.saved_filters import LoadFilterScreen

        def chosen(flt: board.BoardFilter | None) -> None:
            if flt is not None:
                self.apply_filter(flt)

        self.app.push_screen(LoadFilterScreen(), chosen)

    # --- the ledger of this filter -------------------------------------------------

    def action_export_ledger(self) -> None:
        # One at a time: a ledger of 100k tasks takes tens of seconds, and a thread cannot
        # be stopped, so a second press would only write the same file twice at once.
        if any(w.node is self and w.group == "board-export" and w.is_running for w in self.workers):
            self.notify(t("tui.board.export_running"), markup=False)
            return
        self.notify(t("tui.board.exporting"), markup=False)
        strip = self.query_one(ExportProgress)
        strip.start(t("tui.export.ledger"))
        self._export_ledger(self.flt, strip)

    @work(thread=True, group="board-export")
    def _export_ledger(self, flt: board.BoardFilter, strip: ExportProgress) -> None:
        """Every task the filter selects, not just this page, as the ledger XLSX. Told
        through the app, so the user hears of it even after leaving the board."""
        from coordboard.services.reports import ledger

        app = self.board_app
        target = stamped(t("tui.file.ledger"), app.settings.timezone, ".xlsx")
        try:
            with app.db.read() as session:
                rows, drafts = ledger.export(session, app.settings, flt, target,
                                             actor=app.actor, progress=strip.told)
        except (CoordboardError, SQLAlchemyError, OSError) as exc:
            strip.done()
            app.call_from_thread(app.notify, failure_message(exc), severity="error", markup=False)
            return
        strip.done()
        said = t("report.written_rows", what=t("report.ledger"), path=str(target), rows=rows)
        if drafts:
            said += t("tui.semicolon") + t("report.drafts_left_out", count=drafts)
        app.call_from_thread(hand_over, app, said, target)

    # --- loading --------------------------------------------------------------------

    def load_page(self, cursor: str = "keep", *, ahead: int | None = None,
                  same_view: bool = False) -> None:
        """Read the current page (and then the one at ``ahead``, by default the next).
        ``same_view``: the filter and data are those of the pages kept (a page turn)."""
        self.loaded = False
        self._generation += 1
        if not same_view:
            self._view += 1
            self._pages.clear()
        self._load(self._generation, self._view, self.flt, self.page_offset, cursor,
                   not self.filters.units_loaded,
                   self.page_offset + PAGE_SIZE if ahead is None else ahead)

    @work(thread=True, exclusive=True, group="board")
    def _load(self, generation: int, view: int, flt: board.BoardFilter, offset: int, cursor: str,
              with_units: bool, ahead: int) -> None:
        app = self.board_app
        try:
            with app.db.read() as session:
                ctx = app.light_context(session)
                page = ShownPage.read(session, flt, ctx, offset)
                self.from_worker(self._keep_page, view, page)
                drawn = threading.Event()
                self.from_worker(self._show_rows, generation, page, cursor, drawn)
                if with_units:
                    self.from_worker(self.filters.show_units, active_units(session))
                    self.from_worker(self.filters.show_categories, [
                        (entry.name, entry.retired)
                        for entry in categories.listed(session, include_retired=True)])
                    self.from_worker(self.filters.show_leaders, leader_choices(session))
                # The counts wait for the rows to be drawn: counting while the UI thread
                # paints them only made both slower (one interpreter lock). Bounded, for a
                # screen closed meanwhile (its rows are then never drawn).
                drawn.wait(DRAW_WAIT_S)
                counted_at = board_page.now()
                counts = board.count_by_light(session, flt, ctx)
                self.from_worker(self._show_counts, generation, counts, counted_at)
                # Not for a filter already typed over (a newer load is running).
                if generation == self._generation and 0 <= ahead < sum(counts.values()):
                    try:
                        ahead_page = ShownPage.read(session, flt, ctx, ahead)
                    except SQLAlchemyError:
                        return  # quietly, as in _fetch_ahead: met again, and said, if turned to
                    self.from_worker(self._keep_page, view, ahead_page)
        except SQLAlchemyError as exc:
            app.call_from_thread(app.report_db_error, exc)
            self.from_worker(self._not_loaded, generation)

    def _not_loaded(self, generation: int) -> None:
        """A load failed (and was reported): the board is where the rows on screen are,
        so the next page turn starts from them, not from the page that failed."""
        if generation == self._generation:
            self.page_offset = self._shown_offset

    @work(thread=True, exclusive=True, group="board-ahead")
    def _fetch_ahead(self, view: int, flt: board.BoardFilter, offset: int, *,
                     recount: bool = False) -> None:
        """The page at ``offset`` for when the user turns to it, and (``recount``) the
        counts again. Quietly: a failure here is met again, and reported, when a page is
        loaded the usual way."""
        try:
            with self.board_app.db.read() as session:
                ctx = self.board_app.light_context(session)
                if 0 <= offset < self.row_total:
                    self.from_worker(self._keep_page, view,
                                     ShownPage.read(session, flt, ctx, offset))
                if recount:
                    counted_at = board_page.now()
                    self.from_worker(self._show_recount, view,
                                     board.count_by_light(session, flt, ctx), counted_at)
        except SQLAlchemyError:
            return

    def _show_recount(self, view: int, counts: dict[str, int], counted_at: float) -> None:
        if view == self._view and self.loaded:  # else a load of its own counts again
            self._show_counts(self._generation, counts, counted_at)

    def _keep_page(self, view: int, page: "ShownPage") -> None:
        """Keep ``page`` if it is still of the current filter and data; only the pages
        next to the current one are kept."""
        if view != self._view:
            return
        self._pages[page.offset] = page
        near = {self.page_offset - PAGE_SIZE, self.page_offset, self.page_offset + PAGE_SIZE}
        for offset in [offset for offset in self._pages if offset not in near]:
            del self._pages[offset]

    def _show_rows(self, generation: int, page: "ShownPage", cursor: str,
                   drawn: threading.Event) -> None:
        self.call_after_refresh(drawn.set)
        if not self._lists_asked:
            self._lists_asked = True
            self.query_one(BoardTable).call_after_paint(self.filters.lists_due)
        if generation != self._generation:
            return  # a newer filter or page is on its way
        self.estimated_shown = page.estimated
        self._shown_flt = self.flt
        table = self.query_one(BoardTable)
        table.set_rows(page.rows)
        table.show_sort(self.flt.sort, self.flt.descending)
        self._shown_generation, self._shown_offset = generation, page.offset
        if cursor == "top":
            table.move_cursor(0)
        elif cursor == "bottom":
            table.move_cursor(table.row_count - 1)
        self.rows_shown = len(page.rows)

    def _show_counts(self, generation: int, counts: dict[str, int],
                     counted_at: float | None = None) -> None:
        """``counted_at``: when ``counts`` were counted (None: those already shown)."""
        if generation != self._generation:
            return
        self._counts = counts
        self._total_flt = self.flt
        if counted_at is not None:
            self._counted_at = counted_at
        self.row_total = sum(counts.values())
        shown = self.rows_shown
        line = Text()
        if not shown:
            if self.row_total:
                line.append(t("tui.board.page_empty"))
            elif self.flt != board.BoardFilter(sort=self.flt.sort, descending=self.flt.descending):
                line.append(t("tui.board.no_match"))  # not "no tasks yet": the filter's doing
            else:
                line.append(t("tui.empty"))
        else:
            line.append(t("tui.count", total=self.row_total, first=self.page_offset + 1,
                          last=self.page_offset + shown))
        for light in ("red", "yellow", "green"):
            if counts.get(light):
                line.append("  ")
                line.append_text(fmt.light(light))
                line.append(f" {counts[light]}")
        arrow = "↓" if self.flt.descending else "↑"
        line.append("  " + t("tui.board.sorted", column=t(f"tui.sort.{self.flt.sort}"), arrow=arrow))
        if self.estimated_shown:  # the legend of the deadline marker, when the page has one
            line.append("  " + t("tui.board.estimated_legend"), style="yellow")
        self._status(line)
        self.loaded = True

    def _status(self, line: Text) -> None:
        self.query_one("#board-status", Static).update(line)

    @on(PageTable.RowSelected)
    def _open(self, event: PageTable.RowSelected) -> None:
        self.board_app.open_task(event.key)
