"""First run on an empty database: create the first admin, or load the demo town."""


from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from coordboard.errors import CoordboardError
from coordboard.i18n import t
from coordboard.safe_text import visible
from coordboard.tui.base import AppModal
from coordboard.tui.widgets.safe_input import SafeInput


class FirstRunScreen(AppModal[bool]):
    """Dismisses with True once the database has a user, False to quit."""

    def compose(self) -> ComposeResult:
        with Vertical(id="first-run"):
            yield Label(t("tui.setup.title"), id="first-run-title")
            yield Static(t("tui.setup.intro"), markup=False)
            yield SafeInput(placeholder=t("tui.setup.username"), id="username")
            yield SafeInput(placeholder=t("tui.setup.display_name"), id="display-name")
            yield SafeInput(placeholder=t("tui.setup.password"), password=True, id="password")
            yield SafeInput(placeholder=t("tui.setup.confirm"), password=True, id="confirm")
            yield Static("", id="first-run-error", markup=False)
            with Horizontal(id="first-run-buttons"):
                yield Button(t("tui.setup.admin"), variant="primary", id="create-admin")
                yield Button(t("tui.setup.demo"), id="load-demo")
                yield Button(t("tui.setup.quit"), variant="error", id="quit")

    def _show_error(self, message: str) -> None:
        self.query_one("#first-run-error", Static).update(visible(message))

    @on(Button.Pressed, "#quit")
    def quit(self) -> None:
        self.dismiss(False)

    @on(Input.Submitted, "#username, #display-name, #password")
    def _next_field(self) -> None:
        self.focus_next()

    # At 80x24 the buttons are below the fold: Enter in the last field creates the admin,
    # as Enter in the login's password logs in.
    @on(Input.Submitted, "#confirm")
    @on(Button.Pressed, "#create-admin")
    def create_admin(self) -> None:
        if self.query_one("#create-admin", Button).disabled:
            return  # already creating it (Enter pressed again), or loading the demo
        values = {name: self.query_one(f"#{name}", Input).value
                  for name in ("username", "display-name", "password", "confirm")}
        self._show_error(t("tui.perf.saving"))
        self._busy(True)
        self._create_admin(values)

    @work(thread=True, exclusive=True, group="first-run")
    def _create_admin(self, values: dict[str, str]) -> None:
        """Hashing the password and writing the user: off the UI thread (a slow server)."""
        from coordboard.db import SQLAlchemyError, first_line
        from coordboard.services.setup import create_first_admin

        app = self.board_app
        try:
            with app.db.write() as session:
                user = create_first_admin(
                    session, username=values["username"], display_name=values["display-name"],
                    password=values["password"], confirm=values["confirm"])
                username = user.username
        except CoordboardError as exc:
            self.from_worker(self._failed, str(exc))
            return
        except SQLAlchemyError as exc:
            self.from_worker(self._failed, t("error.db_refused", detail=first_line(exc)))
            return
        self.from_worker(self._admin_created, username)

    def _admin_created(self, username: str) -> None:
        self.app.notify(t("tui.setup.admin_done", username=username), markup=False)
        self.dismiss(True)

    def _busy(self, busy: bool) -> None:
        for button in self.query(Button):
            button.disabled = busy

    @on(Button.Pressed, "#load-demo")
    def load_demo(self) -> None:
        self._show_error(t("tui.setup.loading"))
        self._busy(True)
        self._load_demo()

    @work(thread=True, exclusive=True, group="first-run")
    def _load_demo(self) -> None:
        from coordboard.paths import seeds_dir
        from coordboard.services.demo import load_demo

        app = self.board_app
        try:
            summary = load_demo(app.db, app.settings, seeds_dir() / "demo.toml")
        except CoordboardError as exc:
            self.from_worker(self._failed, str(exc))
            return
        self.from_worker(self._demo_loaded, summary.password)

    def _failed(self, message: str) -> None:
        self._show_error(message)
        self._busy(False)

    def _demo_loaded(self, password: str) -> None:
        self.app.notify(t("tui.setup.demo_done", password=password), markup=False)
        self.dismiss(True)
