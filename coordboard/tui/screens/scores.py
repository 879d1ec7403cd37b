"""The scoreboard (考核): points per department for a period, a chart, the evidence
behind the highlighted department's points, and how each pair of units cooperates."""

from datetime import date
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Input, Label, Static

from coordboard import clock, paths
from coordboard.db import SQLAlchemyError
from coordboard.errors import CoordboardError
from coordboard.i18n import t
from coordboard.services import scores
from coordboard.tui import format as fmt
from coordboard.tui.base import AppScreen
from coordboard.tui.exports import failure_message, hand_over, stamped, write_in_worker
from coordboard.tui.widgets.export_progress import ExportProgress
from coordboard.tui.widgets.footer import KeysFooter
from coordboard.tui.widgets.safe_input import SafeInput
from coordboard.tui.widgets.tables import RowTable, add_columns, refill, selected_key

BAR_WIDTH = 24
EVIDENCE_SHOWN = 200  # per department on screen; the XLSX export has every row


class ScoresScreen(AppScreen[None]):
    AUTO_FOCUS = "#score-ranking"  # keys act at once; Tab reaches the dates
    BINDINGS = [
        Binding("escape", "back", "tui.key.back"),
        Binding("e", "export", "tui.key.export"),
        Binding("m", "export_period", "tui.key.period"),
        Binding("r", "reload", "tui.key.refresh"),
    ]

    def __init__(self, start: date | None = None, end: date | None = None) -> None:
        super().__init__()
        today = clock.today(self.board_app.settings.timezone)
        self.start, self.end = start or today.replace(day=1), end or today
        self.board: scores.Scoreboard | None = None
        self.evidence: dict[str, list[scores.Evidence]] = {}  # by department id, grouped once
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="scores"):
            with Horizontal(id="score-period"):
                yield Label(t("tui.scores.from"))
                yield SafeInput(self.start.isoformat(), id="score-from", compact=True)
                yield Label(t("tui.scores.to"))
                yield SafeInput(self.end.isoformat(), id="score-to", compact=True)
                yield Static("", id="score-status")
            yield RowTable(id="score-ranking")
            yield Label(t("tui.scores.evidence"), classes="section-title")
            yield RowTable(id="score-evidence")
            yield Label(t("tui.scores.pairs"), classes="section-title")
            yield RowTable(id="score-pairs")
        yield ExportProgress(id="score-export")
        yield KeysFooter()

    def on_mount(self) -> None:
        add_columns(self.query_one("#score-ranking", RowTable),
                    [("rank", 4), ("unit", 10), ("points", 6), ("score_chart", BAR_WIDTH + 2, 3, 0),
                     ("on_time", 5, 1, 0), ("overdue", 5, 1, 0), ("praise", 5, 1, 0),
                     ("criticism", 5, 1, 0), ("returned", 5, 1, 0), ("buck_passing", 5, 1, 0)])
        add_columns(self.query_one("#score-evidence", RowTable),
                    [("points", 6), ("rule", 4), ("role", 4, 2, 0), ("code", 11, 1, 0),
                     ("title", 12, 0, 2), ("day", 10, 3, 0), ("detail", 12, 0, 3)])
        add_columns(self.query_one("#score-pairs", RowTable),
                    [("pair", 20, 0, 1), ("shared", 6), ("on_time", 6), ("returned", 6),
                     ("overdue", 6), ("weak", 8)])
        self.load()

    def reopen(self) -> "ScoresScreen":
        return ScoresScreen(self.start, self.end)

    def data_changed(self) -> None:
        self.load()

    @on(Input.Submitted)
    def _period(self) -> None:
        try:
            start = date.fromisoformat(self.query_one("#score-from", Input).value.strip())
            end = date.fromisoformat(self.query_one("#score-to", Input).value.strip())
        except ValueError:
            self._status(t("tui.scores.bad_period"), error=True)
            return
        self.start, self.end = start, end
        self.load()

    def _status(self, message: str, error: bool = False) -> None:
        self.query_one("#score-status", Static).update(fmt.plain(message, style="red" if error else ""))

    @work(thread=True, exclusive=True, group="scores")
    def load(self) -> None:
        app = self.board_app
        try:
            with app.db.read() as session:
                board = scores.scoreboard(session, app.settings, self.start, self.end,
                                          actor=app.actor)
        except CoordboardError as exc:
            self.from_worker(self._status, str(exc), True)
            return
        except SQLAlchemyError as exc:
            app.call_from_thread(app.report_db_error, exc)
            return
        self.from_worker(self._show, board)

    def _show(self, board: scores.Scoreboard) -> None:
        self.board = board
        self.evidence = {}
        for item in board.evidence:  # tens of thousands at 100k: grouped once, not per keypress
            self.evidence.setdefault(str(item.department_id), []).append(item)
        self._status(t("scores.period", start=board.start.isoformat(), end=board.end.isoformat()))
        widest = max((abs(s.points) for s in board.ranking), default=0) or 1
        refill(self.query_one("#score-ranking", RowTable), (
            (str(s.department_id), [
                Text(str(s.rank)), fmt.plain(s.name), Text(f"{s.points:g}", justify="right"),
                _bar(s.points, widest)] + [Text(f"{s.by_rule[r]:g}", justify="right")
                                           for r in scores.RULES])
            for s in board.ranking))
        refill(self.query_one("#score-pairs", RowTable), (
            (f"{index}", [
                fmt.plain(f"{p.first} — {p.second}"), Text(str(p.shared), justify="right"),
                Text(str(p.on_time), justify="right"), Text(str(p.returned), justify="right"),
                Text(str(p.overdue), justify="right"),
                Text(f"{p.weak_share:.0%}", justify="right",
                     style="red" if p.weak_share >= 0.5 else "")])
            for index, p in enumerate(board.pairs)))
        self._show_evidence()
        self.loaded = True

    @on(DataTable.RowHighlighted, "#score-ranking")
    def _show_evidence(self) -> None:
        if self.board is None:
            return
        key = selected_key(self.query_one("#score-ranking", RowTable))
        rows = self.evidence.get(key or "", [])[:EVIDENCE_SHOWN]
        refill(self.query_one("#score-evidence", RowTable), (
            (f"{index}", [Text(f"{e.points:+g}", style="green" if e.points > 0 else "red"),
                          Text(t(f"scores.rule.{e.rule}")), Text(t(f"unit_role.{e.role}")),
                          fmt.plain(e.code), fmt.plain(e.title), Text(e.day.isoformat()),
                          fmt.plain(e.detail)])
            for index, e in enumerate(rows)))

    def action_export(self) -> None:
        if self.board is None:
            return
        # One at a time, as the board's ledger: a month at 100k is ~95,000 evidence lines
        # (~10 s), and a thread cannot be stopped.
        if any(w.node is self and w.group == "scores-export" and w.is_running
               for w in self.workers):
            self.notify(t("tui.scores.export_running"), markup=False)
            return
        strip = self.query_one(ExportProgress)
        strip.start(t("tui.export.scores"))
        self._export(self.board, strip)

    def action_export_period(self) -> None:
        """The month report (月报, ``coordboard report period --month``) of the month the
        scoreboard's period starts in: per unit, with its chart."""
        from coordboard.services.reports import period
        from coordboard.services.reports.period_docx import write_docx

        if self.board is None:
            return
        app = self.board_app
        month = period.parse_period(month=f"{self.board.start:%Y-%m}")

        def write(session: Any, path: Path) -> None:
            write_docx(period.build(session, app.settings, month, actor=app.actor), path)

        write_in_worker(self, t("report.period"),
                        stamped(f"{t('tui.file.period')}-{self.board.start:%Y%m}",
                                app.settings.timezone, ".docx"), write)

    @work(thread=True, group="scores-export")
    def _export(self, board: scores.Scoreboard, strip: ExportProgress) -> None:
        app = self.board_app
        target = paths.exports_dir() / f"{t('tui.file.scores')}-{board.start}-{board.end}.xlsx"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            scores.write_xlsx(board, target, progress=strip.told)
        except (OSError, ValueError) as exc:  # a full disk, a locked file; never a lost old file
            strip.done()
            app.call_from_thread(app.notify, failure_message(exc), severity="error", markup=False)
            return
        strip.done()
        app.call_from_thread(hand_over, app, t("report.written", what=t("report.scores"),
                                               path=str(target)), target)


def _bar(points: float, widest: float) -> Text:
    """Gains green to the right of the axis, losses red to its left."""
    half = BAR_WIDTH // 2
    size = round(abs(points) / widest * half)
    if points < 0:
        return Text(" " * (half - size) + "█" * size + "│", style="red")
    return Text(" " * half + "│" + "█" * size, style="green")
