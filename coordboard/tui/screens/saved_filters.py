"""Saving the board's filter under a name, and choosing or deleting saved ones."""

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from coordboard.db import SQLAlchemyError
from coordboard.errors import CoordboardError
from coordboard.i18n import t
from coordboard.safe_text import visible
from coordboard.services import saved_filters
from coordboard.services.board import BoardFilter
from coordboard.tui.base import AppModal
from coordboard.tui.screens.confirm import ConfirmDialog
from coordboard.tui.screens.form_fit import FitsTheScreen
from coordboard.tui.widgets.safe_input import SafeInput


class SaveFilterScreen(AppModal[None]):
    BINDINGS = [Binding("escape", "dismiss", "tui.key.cancel")]

    def __init__(self, flt: BoardFilter) -> None:
        super().__init__()
        self.flt = flt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(t("tui.filters.save_title"), classes="dialog-title")
            yield SafeInput(placeholder=t("tui.filters.name"), id="filter-name", max_length=60)
            yield Static("", id="filter-error", classes="form-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("tui.form.save"), variant="primary", id="filter-save")
                yield Button(t("tui.form.cancel"), id="filter-cancel")

    @on(Button.Pressed, "#filter-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#filter-save")
    def _save(self) -> None:
        name = self.query_one("#filter-name", Input).value
        self.query_one("#filter-save", Button).disabled = True
        self.query_one("#filter-error", Static).update(t("tui.perf.saving"))
        self._write(name)

    @work(thread=True, exclusive=True, group="filter-save")
    def _write(self, name: str) -> None:
        app = self.board_app
        assert app.actor is not None
        try:
            with app.db.write() as session:
                saved_filters.save(session, user_id=app.actor.user_id, name=name, flt=self.flt)
        except CoordboardError as exc:
            self.from_worker(self._refused, visible(str(exc)))
            return
        except SQLAlchemyError as exc:
            self.from_worker(self._refused, "")
            app.call_from_thread(app.report_db_error, exc)
            return
        self.from_worker(self._saved, name)

    def _refused(self, message: str) -> None:
        self.query_one("#filter-error", Static).update(message)
        self.query_one("#filter-save", Button).disabled = False

    def _saved(self, name: str) -> None:
        self.app.notify(t("tui.filters.saved", name=name.strip()), markup=False)
        self.dismiss(None)


class LoadFilterScreen(FitsTheScreen, AppModal[BoardFilter | None]):
    AUTO_FOCUS = "#filter-list"
    BINDINGS = [
        Binding("escape", "dismiss", "tui.key.cancel"),
        Binding("delete", "delete", "tui.key.delete"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form-dialog"):
            yield Label(t("tui.filters.load_title"), classes="dialog-title")
            yield OptionList(id="filter-list", classes="form-body")
            yield Static(t("tui.filters.hint"), classes="hint")

    def on_mount(self) -> None:
        self.saved: dict[str, BoardFilter] = {}
        self.names: list[str] = []
        self._fill()

    def _fill(self) -> None:
        self.query_one(OptionList).loading = True
        self._read()

    @work(thread=True, exclusive=True, group="filters")
    def _read(self, delete: str | None = None) -> None:
        """The user's saved filters (after deleting ``delete``), read off the UI thread."""
        app = self.board_app
        assert app.actor is not None
        try:
            if delete is not None:
                with app.db.write() as session:
                    saved_filters.delete(session, user_id=app.actor.user_id, name=delete)
            with app.db.read() as session:
                saved = dict(saved_filters.list_for(session, app.actor.user_id))
        except SQLAlchemyError as exc:
            app.call_from_thread(app.report_db_error, exc)  # the list stays as it was
            self.from_worker(self._show, None)
            return
        self.from_worker(self._show, saved)

    def _show(self, saved: dict[str, BoardFilter] | None) -> None:
        options = self.query_one(OptionList)
        options.loading = False
        if saved is None:
            return
        self.saved = saved
        self.names = list(saved)
        options.clear_options()
        # Option(...) takes the name as plain content: a saved name is never markup. Options
        # are keyed by position: an id made of user text could clash and end the app.
        options.add_options([Option(_plain(name), id=str(index)) for index, name in enumerate(self.names)]
                            or [Option(t("tui.filters.none"), disabled=True)])
        if self.saved:
            options.highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        name = self._saved_name(event.option.id)
        if name is not None:
            self.dismiss(self.saved[name])

    def _saved_name(self, option_id: str | None) -> str | None:
        if option_id is None or not option_id.isdigit() or int(option_id) >= len(self.names):
            return None
        return self.names[int(option_id)]

    def action_delete(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        name = self._saved_name(options.get_option_at_index(options.highlighted).id)
        if name is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.query_one(OptionList).loading = True
                self._read(delete=name)

        self.app.push_screen(ConfirmDialog(t("tui.filters.delete_title"),
                                           t("tui.filters.delete_question", name=visible(name))),
                             answered)


def _plain(text: str) -> Text:
    return Text(visible(text))
