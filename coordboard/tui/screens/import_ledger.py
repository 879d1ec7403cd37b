"""Import the office's Excel ledger (台账) from the interface: a file path, a dry run shown as
a table (what would be created or updated, every row error with its row number), then, once
confirmed, the import itself: all or nothing, in a worker, with its progress.

Every rule is ``services/importer.py``'s, the same the ``import ledger`` command applies."""

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Header, Input, Label, ProgressBar, Static

from coordboard import clock
from coordboard.db import SQLAlchemyError, first_line
from coordboard.errors import CoordboardError
from coordboard.i18n import listing, t
from coordboard.services import importer
from coordboard.tui import format as fmt
from coordboard.tui.base import AppScreen
from coordboard.tui.screens.confirm import ConfirmDialog
from coordboard.tui.widgets.footer import KeysFooter
from coordboard.tui.widgets.safe_input import SafeInput
from coordboard.tui.widgets.tables import RowTable, add_columns, refill


class ImportScreen(AppScreen[None]):
    BINDINGS = [Binding("escape", "back", "tui.key.back")]
    AUTO_FOCUS = "#import-path"

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.path = path
        self.plan: importer.Plan | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="import"):
            yield Label(t("tui.import.title"), classes="section-title")
            # The path on a line of its own: at 80 columns beside the buttons its placeholder
            # was cut ("Ledger file path (.xlsx, .xls o") and a long path had no room.
            yield SafeInput(self.path, placeholder=t("tui.import.path"), id="import-path")
            with Horizontal(id="import-pick"):
                yield Button(t("tui.import.check"), variant="primary", id="import-check")
                yield Button(t("tui.import.run"), variant="warning", id="import-run",
                             disabled=True)
            yield Static("", id="import-summary", markup=False)
            yield ProgressBar(id="import-progress", classes="hidden", show_eta=False)
            yield Label(t("tui.import.plan"), classes="section-title")
            yield RowTable(id="import-plan")
            yield Label(t("tui.import.problems"), classes="section-title")
            yield RowTable(id="import-problems")
        yield KeysFooter()

    def on_mount(self) -> None:
        add_columns(self.query_one("#import-plan", RowTable),
                    [("row", 5), ("change", 6), ("title", 30), ("lead", 12), ("supporters", 16),
                     ("deadline", 11)])
        add_columns(self.query_one("#import-problems", RowTable),
                    [("row", 5), ("kind", 6), ("reason", 90)])

    def reopen(self) -> "ImportScreen":
        return ImportScreen(self.query_one("#import-path", Input).value)

    def _file(self) -> Path | None:
        raw = self.query_one("#import-path", Input).value.strip()
        return Path(raw).expanduser() if raw else None

    # --- the dry run ---------------------------------------------------------------

    @on(Input.Submitted, "#import-path")
    @on(Button.Pressed, "#import-check")
    def action_check(self) -> None:
        path = self._file()
        if path is None:
            self._say(t("tui.import.no_path"))
            return
        self._busy(True)
        self._say(t("tui.import.checking"))
        self._dry_run(path)

    @work(thread=True, exclusive=True, group="import")
    def _dry_run(self, path: Path) -> None:
        app = self.board_app
        assert app.actor is not None
        try:
            with app.db.read() as session:
                plan = importer.check(session, path, actor=app.actor,
                                      today=clock.today(app.settings.timezone),
                                      settings=app.settings, progress=self._progress)
                years = importer.estimated_deadline_years(session, plan)
        except CoordboardError as exc:
            self.from_worker(self._failed, str(exc))
        except SQLAlchemyError as exc:
            self.from_worker(self._failed, t("error.db_refused", detail=first_line(exc)))
        else:
            self.from_worker(self._show_plan, plan, years)

    def _show_plan(self, plan: importer.Plan, years: list[int]) -> None:
        self.plan = plan
        self._busy(False)
        names = plan.unit_names
        refill(self.query_one("#import-plan", RowTable), [
            *(("", [Text(str(row.row), justify="right"), Text(t("tui.import.create")),
                    fmt.plain(row.title), fmt.plain(names[row.lead]),
                    fmt.plain(listing(names[u] for u in row.supporters) or "—"),
                    Text(row.deadline.isoformat())]) for row in plan.creates),
            *(("", [Text(str(row.row), justify="right"), Text(t("tui.import.update")),
                    fmt.plain(f"{row.existing.code if row.existing else ''} {row.title}"),
                    fmt.plain(names[row.lead]),
                    fmt.plain(listing(names[u] for u in row.supporters) or "—"),
                    Text(row.deadline.isoformat())]) for row in plan.updates)])
        problems: list[tuple[str, list[Text]]] = [
            ("", [Text(str(e.row), justify="right"), Text(t("tui.import.error"), style="red"),
                  fmt.plain(importer.reason(e))]) for e in plan.errors]
        problems += [("", [Text(str(w.row), justify="right"), Text(t("tui.import.warning")),
                           fmt.plain(importer.reason(w))]) for w in plan.warnings]
        problems += [("", [Text(""), Text(t("tui.import.warning")),
                           fmt.plain(t("cli.calendar_unofficial", year=year))]) for year in years]
        refill(self.query_one("#import-problems", RowTable), problems)
        summary = t("tui.import.summary", created=len(plan.creates), updated=len(plan.updates),
                    unchanged=plan.unchanged, errors=len(plan.errors))
        self._say(summary + (t("tui.import.fix_first") if plan.errors else ""))
        self.query_one("#import-run", Button).disabled = bool(
            plan.errors or not (plan.creates or plan.updates))

    # --- the import --------------------------------------------------------------

    @on(Button.Pressed, "#import-run")
    def action_run(self) -> None:
        plan, path = self.plan, self._file()
        if plan is None or path is None or plan.errors:
            return
        question = t("tui.import.confirm", path=str(path), created=len(plan.creates),
                     updated=len(plan.updates))
        self.app.push_screen(ConfirmDialog(t("tui.import.title"), question),
                             lambda yes: self._confirmed(bool(yes), path))

    def _confirmed(self, yes: bool, path: Path) -> None:
        if not yes:
            return
        self._busy(True)
        self._say(t("tui.import.importing"))
        self._import(path)

    @work(thread=True, exclusive=True, group="import")
    def _import(self, path: Path) -> None:
        """Checked again inside the writing transaction (the file or the data may have
        changed since the dry run): any error, and nothing is written."""
        app = self.board_app
        assert app.actor is not None
        today = clock.today(app.settings.timezone)
        try:
            with app.db.write() as session:
                plan = importer.check(session, path, actor=app.actor, today=today,
                                      settings=app.settings, progress=self._progress)
                if plan.errors:
                    self.from_worker(self._show_plan, plan, [])
                    return
                result = importer.apply(session, plan, actor=app.actor, today=today)
        except CoordboardError as exc:
            self.from_worker(self._failed, str(exc))
        except SQLAlchemyError as exc:
            self.from_worker(self._failed, t("error.db_refused", detail=first_line(exc)))
        else:
            self.from_worker(self._imported, result)

    def _imported(self, result: importer.ImportResult) -> None:
        self.plan = None
        self._busy(False)
        self.query_one("#import-run", Button).disabled = True
        message = t("cli.import_done", created=len(result.created), updated=len(result.updated),
                    unchanged=result.unchanged)
        self._say(message)
        self.app.notify(message)

    # --- shared ----------------------------------------------------------------------

    def _progress(self, done: int, total: int) -> None:
        """From the worker: how many rows are checked (the bar on the app's thread)."""
        self.from_worker(self._show_progress, done, total)

    def _show_progress(self, done: int, total: int) -> None:
        self.query_one("#import-progress", ProgressBar).update(total=max(total, 1), progress=done)

    def _busy(self, busy: bool) -> None:
        self.query_one("#import-progress", ProgressBar).set_class(not busy, "hidden")
        for button in self.query("#import-pick Button").results(Button):
            button.disabled = busy or (button.id == "import-run" and (
                self.plan is None or bool(self.plan.errors)))

    def _failed(self, message: str) -> None:
        self._busy(False)
        self._say(message)

    def _say(self, message: Any) -> None:
        self.query_one("#import-summary", Static).update(fmt.lines(str(message)))
