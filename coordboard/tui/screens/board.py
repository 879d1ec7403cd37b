"""The board: one page of tasks at a time, fetched off the UI thread."""

from typing import cast

from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from coordboard.db import first_line
from coordboard.i18n import t
from coordboard.services import board
from coordboard.services.lights import LightContext
from coordboard.services.workdays import load_calendar

PAGE_SIZE = 50
LIGHT_STYLE = {"red": "bold red", "yellow": "bold yellow", "green": "bold green", "none": "dim"}


class BoardScreen(Screen[None]):
    BINDINGS = [
        Binding("q", "app.quit", t("tui.key.quit")),
        Binding("n", "page(1)", t("tui.key.next_page")),
        Binding("p", "page(-1)", t("tui.key.prev_page")),
        Binding("r", "refresh", t("tui.key.refresh")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.page_offset = 0
        self.row_total = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="board-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="board-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key in ("code", "light", "title", "lead", "deadline", "status", "reasons"):
            table.add_column(t(f"tui.col.{key}"), key=key)
        self.load_page()

    def action_page(self, step: int) -> None:
        new_offset = self.page_offset + step * PAGE_SIZE
        if 0 <= new_offset < max(self.row_total, 1):
            self.page_offset = new_offset
            self.load_page()

    def action_refresh(self) -> None:
        self.load_page()

    @work(thread=True, exclusive=True)
    def load_page(self) -> None:
        from coordboard.tui.app import CoordboardApp

        app = cast(CoordboardApp, self.app)
        try:
            with app.db.read() as session:
                ctx = LightContext.build(app.settings, load_calendar(session))
                result = board.page(session, board.BoardFilter(), ctx, offset=self.page_offset,
                                    limit=PAGE_SIZE)
        except SQLAlchemyError as exc:
            # Keep the app and what is on screen; tell the user, and let them retry (r).
            message = t("error.db_refused", detail=first_line(exc))
            self.app.call_from_thread(self.app.notify, message, severity="error", markup=False)
            return
        self.app.call_from_thread(self.show_page, result)

    def show_page(self, result: board.BoardPage) -> None:
        self.row_total = result.total
        table = self.query_one(DataTable)
        table.clear()
        for row in result.rows:
            light = row.verdict.light.value
            left = row.verdict.workdays_left
            # User text goes in as Text so it is never parsed as markup.
            table.add_row(
                Text(row.task.code),
                Text(t(f"light.{light}"), style=LIGHT_STYLE[light]),
                Text(row.task.title),
                Text(row.lead),
                Text(f"{row.task.deadline.isoformat()} ({left:+d})"),
                Text(t(f"status.{row.task.status}")),
                Text("；".join(row.verdict.reasons)),
                key=str(row.task.id),
            )
        status = self.query_one("#board-status", Static)
        if not result.rows:
            status.update(t("tui.empty"))
        else:
            status.update(t("tui.count", total=result.total, first=result.offset + 1,
                            last=result.offset + len(result.rows)))
