"""The weekly review (每周督办例会): walk the agenda item by item, decide, close.

The office starts the review (``s``), moves down the agenda with the keyboard,
records a decision or note or decides the waiting request (``d``), turns a
decision into a task (``t``), opens the task itself (Enter), and closes the
review (``c``), which writes the bulletin and the ledger into the exports folder.
The leadership sees the same screen without the actions.
"""

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static

from coordboard import paths
from coordboard.db import SQLAlchemyError
from coordboard.errors import CoordboardError
from coordboard.i18n import clause, listing, t
from coordboard.services import agenda, review
from coordboard.services.agenda import SECTIONS, AgendaLine
from coordboard.services.permissions import allowed
from coordboard.tui import format as fmt
from coordboard.tui.base import AppScreen
from coordboard.tui.exports import failure_message, hand_over
from coordboard.tui.screens.confirm import ConfirmDialog
from coordboard.tui.screens.review_forms import CloseReviewForm, DecisionForm, SpawnTaskForm
from coordboard.tui.widgets.choices import active_units
from coordboard.tui.widgets.columns import ColumnSpec
from coordboard.tui.widgets.export_progress import ExportProgress
from coordboard.tui.widgets.footer import KeysFooter
from coordboard.tui.widgets.tables import RowTable, add_columns, refill, selected_key

if TYPE_CHECKING:
    from coordboard.models import Review


class ReviewScreen(AppScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "tui.key.back"),
        Binding("s", "start", "tui.key.review_start"),
        Binding("d", "decide", "tui.key.review_decide"),
        Binding("t", "spawn", "tui.key.review_spawn"),
        Binding("c", "close_review", "tui.key.review_close"),
        Binding("k", "app.scores", "tui.key.scores"),
        Binding("r", "reload", "tui.key.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.review_row: Review | None = None
        self.lines: dict[str, AgendaLine] = {}
        self.units: list[tuple[str, int]] = []  # for a new task's lead, read with the agenda
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="review"):
            yield Static("", id="review-head")
            yield RowTable(id="review-items")
            yield Static("", id="review-detail")
        yield ExportProgress(id="review-export")
        yield KeysFooter()

    def on_mount(self) -> None:
        # The section column fits its longest name in the language ("newly overdue").
        section = max(10, *(cell_len(t(f"review.section.{name}")) for name in SECTIONS))
        # The light is as wide as its widest cell on screen: "● yellow" until a decision in
        # the meeting changes one ("yellow → ● red").
        # At 80 columns: number, code, light, title, requests and decision (the section is
        # in the head's totals, the lead unit in the detail below); wider: all, the spare
        # width to the title, the requests and the decision.
        add_columns(self.query_one("#review-items", RowTable),
                    [("no", 2), ("section", section, 3, 0), ("code", 11),
                     ColumnSpec("light", t("tui.col.light"), 0, values=fmt.column_values("light"),
                                whole=True),
                     ("title", 12, 0, 2), ("lead", 8, 4, 0), ("requests", 10, 0, 2),
                     ("decision", 10, 0, 2)])
        self.load()

    def reopen(self) -> "ReviewScreen":
        return ReviewScreen()

    def data_changed(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("start", "decide", "spawn", "close_review"):
            return self.can_run  # hidden, not just refused, for those who only read
        return True

    @property
    def can_run(self) -> bool:
        actor = self.board_app.actor
        return actor is not None and allowed(actor, "review")

    # --- loading --------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="review")
    def load(self) -> None:
        app = self.board_app
        try:
            with app.db.read() as session:
                found = review.open_review(session) or review.last_closed(session)
                lines: list[AgendaLine] = []
                counts = (0, 0)
                if found is not None:
                    lines = agenda.lines(session, found, app.light_context(session),
                                         actor=app.actor)
                    counts = review.progress_counts(session, found)
                units = active_units(session) if self.can_run else []
        except SQLAlchemyError as exc:
            app.call_from_thread(app.report_db_error, exc)
            return
        self.from_worker(self._show, found, lines, counts, units)

    def _show(self, found: "Review | None", lines: list[AgendaLine], counts: tuple[int, int],
              units: list[tuple[str, int]]) -> None:
        self.review_row = found
        self.units = units
        self.lines = {str(line.item.id): line for line in lines}
        self.query_one("#review-head", Static).update(self._head(found, counts))
        refill(self.query_one("#review-items", RowTable), (
            (str(line.item.id), [
                Text(str(line.item.position)), Text(t(f"review.section.{line.item.section}")),
                fmt.plain(line.code), _light_cell(line), fmt.plain(line.title),
                fmt.plain(line.lead), fmt.plain(t("tui.semicolon").join(p.text for p in line.pending) or "—"),
                fmt.plain(line.decision_shown)])
            for line in lines))
        self._show_detail()
        self.loaded = True

    def _head(self, found: "Review | None", counts: tuple[int, int]) -> Text:
        head = Text()
        if found is None:
            head.append(t("tui.review.none"), style="bold")
            if self.can_run:
                head.append("\n" + t("tui.review.start_hint"))
            return head
        head.append(review.summary(found), style="bold")
        head.append("  " + t("review.show.state", state=t(f"review.state.{found.state}"),
                             decided=counts[0], total=counts[1]))
        if found.attendees:
            head.append("\n" + fmt.safe(t("bulletin.attendees", names=found.attendees)))
        head.append("\n" + agenda.totals_line(found, list(self.lines.values())))
        if found.state == "closed":
            head.append("\n" + t("tui.review.frozen"), style="italic")
            if self.can_run:
                head.append("  " + t("tui.review.start_hint"))
        return head

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        line = self._current()
        detail = Text()
        if line is not None:
            detail.append(f"{fmt.safe(line.code)}  ", style="bold")
            detail.append(fmt.safe(line.title))
            detail.append("\n" + t("tui.review.now") + t("tui.colon"))
            detail.append_text(_now(line))  # "已办结", not "○ —", once closed in the meeting
            if line.verdict.reasons:
                detail.append(" " + fmt.safe(t("tui.semicolon").join(line.verdict.reasons)))
            detail.append("\n" + t("review.col.lead") + t("tui.colon") + fmt.safe(line.lead))
            if line.supporters:
                detail.append("  " + t("ledger.col.supporters") + t("tui.colon")
                              + fmt.safe(listing(line.supporters)))
            if line.decision:
                detail.append("\n" + t("review.col.decision") + t("tui.colon") + fmt.safe(line.decision))
                if line.decided_by:
                    detail.append(t("tui.aside", text=fmt.safe(line.decided_by)))
        self.query_one("#review-detail", Static).update(detail)

    def _current(self) -> AgendaLine | None:
        key = selected_key(self.query_one("#review-items", RowTable))
        return self.lines.get(key) if key else None

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        table = event.data_table
        key = table.identity_at(event.cursor_row) if isinstance(table, RowTable) else None
        line = self.lines.get(key or "")
        if line is not None:
            self.board_app.open_task(line.code)

    # --- acting ---------------------------------------------------------------------

    def _editable(self) -> bool:
        """Whether this user may change this review now; says why not otherwise."""
        if not self.can_run:
            self.notify(t("tui.review.read_only"), severity="warning", markup=False)
            return False
        if self.review_row is None or self.review_row.state == "closed":
            self.notify(t("tui.review.not_open"), severity="warning", markup=False)
            return False
        return True

    def _after(self, done: bool | None) -> None:
        if done:
            self.load()

    def action_start(self) -> None:
        if not self.can_run:
            self.notify(t("tui.review.read_only"), severity="warning", markup=False)
            return
        self._start()

    @work(thread=True, exclusive=True, group="review-write")
    def _start(self, again: bool = False) -> None:
        app = self.board_app
        assert app.actor is not None
        try:
            with app.db.write() as session:
                started = review.start(session, actor=app.actor, settings=app.settings,
                                       again=again)
                message = t("review.started", summary=review.summary(started),
                            items=review.progress_counts(session, started)[1])
        except review.WeekReviewClosed as exc:  # this week's review is closed: ask first
            self.from_worker(self._ask_again, exc.params["number"], exc.params["day"])
            return
        except (CoordboardError, SQLAlchemyError) as exc:  # a refusal or a database error: said
            app.call_from_thread(app.notify, failure_message(exc), severity="error", markup=False)
            return
        app.call_from_thread(app.notify, message, markup=False)
        self.from_worker(self.load)

    def _ask_again(self, number: int, day: str) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._start(again=True)

        self.app.push_screen(ConfirmDialog(t("tui.review.again_title"),
                                           t("tui.review.again_question", number=number, day=day)),
                             answered)

    def action_decide(self) -> None:
        line = self._current()
        if self._editable() and line is not None:
            self.app.push_screen(DecisionForm(self.review_row, line, self.units), self._after)

    def action_spawn(self) -> None:
        line = self._current()
        if self._editable() and line is not None:
            if line.new_task_code:  # one task per item: said before the form opens
                self.notify(t("error.review_item_has_task", item=line.item.position,
                              code=line.new_task_code), severity="warning", markup=False)
                return
            self.app.push_screen(SpawnTaskForm(self.review_row, line, self.units), self._after)

    def action_close_review(self) -> None:
        if self._editable():
            undecided = sorted(line.item.position for line in self.lines.values()
                               if line.decision is None)
            self.app.push_screen(CloseReviewForm(self.review_row, undecided), self._after_close)

    def _after_close(self, done: bool | None) -> None:
        if done and self.review_row is not None:
            self.notify(t("tui.review.writing"), markup=False)
            strip = self.query_one(ExportProgress)
            strip.start(t("tui.review.writing"))
            self._write_paperwork(self.review_row.id or 0, strip)
        self._after(done)

    @work(thread=True, exclusive=True, group="paperwork")
    def _write_paperwork(self, review_id: int, strip: ExportProgress) -> None:
        """The bulletin (DOCX and Markdown) and the ledger (XLSX) of the review just sealed.
        Told through the app, so the user hears of it even after leaving this screen; if
        writing fails, the message names the command that writes them again."""
        from coordboard.services.reports import review_files

        app = self.board_app
        folder = paths.exports_dir()
        number: int | str = "—"
        try:
            with app.db.read() as session:
                number = review_files.number_of(session, review_id)
                files = review_files.write_by_id(session, app.settings, review_id, folder,
                                                 progress=strip.told)
        except (CoordboardError, SQLAlchemyError, OSError, ValueError) as exc:
            strip.done()
            detail = str(exc) if isinstance(exc, CoordboardError) else failure_message(exc)
            app.call_from_thread(app.notify, t("report.review_files_failed", number=number,
                                               detail=clause(detail)),
                                 severity="error", markup=False, timeout=30)
            return
        strip.done()
        app.call_from_thread(hand_over, app, t("report.review_written", number=number,
                                               folder=str(folder)),
                             files.bulletin_docx, files.ledger_xlsx)



def _now(line: AgendaLine) -> Text:
    """The light as of now, or the status of a task that has none (closed in the meeting)."""
    return (fmt.light(line.light_now) if line.light_now != "none"
            else Text(t(f"status.{line.status}")))


def _light_cell(line: AgendaLine) -> Text:
    """The light as of now; after a change since the agenda was built (a decision in the
    meeting, say), the light it had then and an arrow before it."""
    now = _now(line)
    if not line.light_changed:
        return now
    return Text(t("review.light_changed", was=t(f"light.{line.item.light}"), now="")).append_text(now)
