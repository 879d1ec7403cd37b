"""Home, per role: a head's to-do list and their unit's tasks; the office's dashboard.

A leader first sees the tasks they answer for (open first, reds first), then the
office's dashboard, read-only; an admin sees the dashboard. The dashboard has no
actions of its own, and the task screens offer each user only what their role allows.
"""

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Label, Static

from coordboard.db import SQLAlchemyError
from coordboard.enums import Role, TaskStatus
from coordboard.i18n import t
from coordboard.services import board, home, leader_home
from coordboard.tui import format as fmt
from coordboard.tui.base import AppScreen
from coordboard.tui.widgets.footer import KeysFooter
from coordboard.tui.widgets.tables import RowTable, add_columns, refill

MY_TASKS_LIMIT = 50
BAR_WIDTH = 30


class HomeScreen(AppScreen[None]):
    BINDINGS = [
        Binding("b", "app.board", "tui.key.board"),
        Binding("g", "app.register", "tui.key.register"),
        Binding("i", "app.import_ledger", "tui.key.import"),
        Binding("v", "app.review", "tui.key.review"),
        Binding("k", "app.scores", "tui.key.scores"),
        Binding("r", "reload", "tui.key.refresh"),
        Binding("L", "app.logout", "tui.key.logout"),
        Binding("q", "app.quit", "tui.key.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        actor = self.board_app.actor
        assert actor is not None, "home needs a logged-in user"
        self.actor = actor
        self.is_unit_view = actor.role in (Role.HEAD, Role.STAFF) and actor.department_id is not None
        self.is_leader = actor.role == Role.LEADER

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            if self.is_unit_view:
                yield Label(t("tui.home.todo"), classes="section-title")
                yield RowTable(id="home-todo")
                yield Label(t("tui.home.mine"), classes="section-title")
                yield RowTable(id="home-mine")
            else:
                if self.is_leader:  # the tasks they answer for, above the office's dashboard
                    yield Label(t("tui.home.leader_mine"), id="home-leader-title",
                                classes="section-title")
                    yield RowTable(id="home-leader")
                yield Static("", id="home-counts")
                yield Label(t("tui.home.pending"), classes="section-title")
                yield RowTable(id="home-pending")
                yield Label(t("tui.home.chart"), classes="section-title")
                yield RowTable(id="home-chart")
        yield KeysFooter()

    def on_mount(self) -> None:
        if self.is_unit_view:
            add_columns(self.query_one("#home-todo", RowTable),
                        [("todo", 10), ("code", 11), ("title", 16, 0, 2), ("detail", 16, 0, 3)])
            add_columns(self.query_one("#home-mine", RowTable),
                        [("code", 11), ("light", 6), ("role", 4), ("title", 16, 0, 1),
                         ("deadline", 11, 2, 0), ("left", 6), ("status", 4)])
        else:
            if self.is_leader:
                add_columns(self.query_one("#home-leader", RowTable),
                            [("code", 11), ("light", 6), ("title", 16, 0, 2), ("unit", 10, 1, 0),
                             ("deadline", 11, 2, 0), ("left", 6), ("status", 4)])
            add_columns(self.query_one("#home-pending", RowTable),
                        [("pending", 10), ("code", 11), ("title", 16, 0, 2), ("unit", 10, 1, 0),
                         ("detail", 16, 0, 3)])
            add_columns(self.query_one("#home-chart", RowTable),
                        [("unit", 12), ("open", 6), ("overdue", 6), ("closed", 6), ("chart", BAR_WIDTH)])
        self.load()

    def reopen(self) -> "HomeScreen":
        return HomeScreen()

    def data_changed(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        app = self.board_app
        try:
            with app.db.read() as session:
                ctx = app.light_context(session)
                data: Any
                if self.is_unit_view:
                    flt = board.BoardFilter(department_id=self.actor.department_id, sort="light")
                    data = (home.head_home(session, self.actor.department_id or 0, ctx),
                            board.page(session, flt, ctx, limit=MY_TASKS_LIMIT))
                else:
                    mine = (leader_home.my_tasks(session, self.actor.user_id, ctx, limit=MY_TASKS_LIMIT)
                            if self.is_leader else None)
                    data = (home.office_home(session, ctx), mine)
        except SQLAlchemyError as exc:
            app.call_from_thread(app.report_db_error, exc)
            return
        self.from_worker(self._show, data)

    def _show(self, data: Any) -> None:
        if self.is_unit_view:
            self._show_unit(*data)
        else:
            office, mine = data
            if mine is not None:
                self._show_leader(mine)
            self._show_office(office)

    def _show_leader(self, mine: leader_home.LeaderHome) -> None:
        table = self.query_one("#home-leader", RowTable)
        refill(table, (
            (row.task.code, [
                fmt.plain(row.task.code), fmt.light(row.verdict.light.value),
                fmt.plain(row.task.title), fmt.plain(row.lead),
                fmt.deadline(row.task.deadline, row.deadline_estimated),
                fmt.workdays_left(row.verdict.workdays_left),
                fmt.status(row.task.status)])
            for row in mine.rows))
        title = Text(t("tui.home.leader_mine") + "  " + t("tui.home.leader_count", total=mine.total))
        for light in ("red", "yellow", "green"):
            title.append(" ")
            title.append_text(fmt.light(light))
            title.append(f" {mine.open_by_light.get(light, 0)}")
        self.query_one("#home-leader-title", Label).update(title)
        table.border_subtitle = (t("tui.board.estimated_legend")
                                 if any(r.deadline_estimated for r in mine.rows) else "")

    def _show_unit(self, todo: home.HeadHome, mine: board.BoardPage) -> None:
        refill(self.query_one("#home-todo", RowTable), (
            (item.code, [Text(t(f"tui.todo.{item.kind}")), fmt.plain(item.code),
                              fmt.plain(item.title), fmt.plain(item.detail)])
            for item in todo.todo))
        total = sum(todo.todo_counts.values())
        self.query_one("#home-todo", RowTable).border_title = t("tui.home.todo_count", count=total)
        refill(self.query_one("#home-mine", RowTable), (
            (row.task.code, [
                fmt.plain(row.task.code), fmt.light(row.verdict.light.value),
                Text(t("unit_role.lead" if row.task.lead_department_id == self.actor.department_id
                       else "unit_role.support")),
                fmt.plain(row.task.title), fmt.deadline(row.task.deadline, row.deadline_estimated),
                fmt.workdays_left(row.verdict.workdays_left),
                fmt.status(row.task.status)])
            for row in mine.rows))
        # The legend of the estimated-deadline mark, when a row has one (issue 11 rule 5).
        self.query_one("#home-mine", RowTable).border_subtitle = (
            t("tui.board.estimated_legend") if any(r.deadline_estimated for r in mine.rows) else "")

    def _show_office(self, data: home.OfficeHome) -> None:
        counts = Text()
        open_total = sum(data.by_light.values())
        counts.append(t("tui.home.open_total", count=open_total) + "  ")
        for light in ("red", "yellow", "green"):
            counts.append_text(fmt.light(light))
            counts.append(f" {data.by_light.get(light, 0)}   ")
        counts.append("\n")
        counts.append("  ".join(f"{t(f'status.{status}')} {data.by_status.get(status, 0)}"
                                for status in TaskStatus))
        counts.append("\n")
        counts.append(t("tui.home.backup_never") if data.last_backup is None else t(
            "tui.home.backup_at",
            at=fmt.short_instant(data.last_backup, self.board_app.settings.timezone)))
        if self.actor.role == Role.LEADER:
            counts.append("\n" + t("tui.home.read_only"), style="italic")
        self.query_one("#home-counts", Static).update(counts)
        refill(self.query_one("#home-pending", RowTable), (
            (item.code, [
                Text(t(f"tui.pending.{item.kind}")), fmt.plain(item.code), fmt.plain(item.title),
                fmt.plain(item.unit), fmt.plain(item.detail)])
            for item in data.pending))
        self.query_one("#home-pending", RowTable).border_title = t(
            "tui.home.pending_count", count=sum(data.pending_counts.values()))
        widest = max((d.open + d.closed for d in data.departments), default=0) or 1
        refill(self.query_one("#home-chart", RowTable), (
            ("", [fmt.plain(d.name), Text(str(d.open), justify="right"),
                               Text(str(d.overdue), style="red" if d.overdue else "", justify="right"),
                               Text(str(d.closed), justify="right"), _bar(d, widest)])
            for d in data.departments))

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        table = event.data_table
        code = table.identity_at(event.cursor_row) if isinstance(table, RowTable) else None
        if code:  # the chart's rows are units, not tasks
            self.board_app.open_task(code)


def _bar(load: home.DepartmentLoad, widest: int) -> Text:
    """Overdue (red), other open (yellow), closed (green), scaled to the busiest unit."""
    scale = (BAR_WIDTH - 1) / widest
    bar = Text()
    bar.append("█" * round(load.overdue * scale), style="red")
    bar.append("█" * round((load.open - load.overdue) * scale), style="yellow")
    bar.append("█" * round(load.closed * scale), style="green")
    return bar
