"""Login: username and password; a demo database shows its demo accounts."""

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.widgets import Button, Footer, Header, Input, Label, Static

from coordboard.errors import CoordboardError
from coordboard.i18n import t
from coordboard.safe_text import visible
from coordboard.services.permissions import Actor
from coordboard.tui.base import AppScreen


class LoginScreen(AppScreen[None]):
    BINDINGS = [Binding("escape", "app.quit", "tui.key.quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="login"):
            yield Label(t("tui.login.title"), id="login-title")
            yield Input(placeholder=t("tui.login.username"), id="login-username")
            yield Input(placeholder=t("tui.login.password"), password=True, id="login-password")
            yield Static("", id="login-error", markup=False)
            yield Button(t("tui.login.submit"), variant="primary", id="login-submit")
            yield Static("", id="login-demo", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        from coordboard.services.meta import demo_accounts

        with self.board_app.db.read() as session:
            demo = demo_accounts(session)
        if demo is not None:
            self.query_one("#login-demo", Static).update(
                visible(t("tui.login.demo", users=", ".join(demo.usernames), password=demo.password)))
        self.query_one("#login-username", Input).focus()

    def reopen(self) -> "LoginScreen":
        return LoginScreen()

    @on(Input.Submitted, "#login-username")
    def _next_field(self) -> None:
        self.query_one("#login-password", Input).focus()

    @on(Input.Submitted, "#login-password")
    @on(Button.Pressed, "#login-submit")
    def submit(self) -> None:
        username = self.query_one("#login-username", Input).value
        password = self.query_one("#login-password", Input).value
        if not username.strip() or not password:
            self._show_error(t("tui.login.missing"))
            return
        self.query_one("#login-submit", Button).disabled = True
        self._show_error(t("tui.login.checking"))
        self._login(username, password)

    @work(thread=True, exclusive=True)
    def _login(self, username: str, password: str) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from coordboard.db import first_line
        from coordboard.services.auth import login

        app = self.board_app
        try:
            token, actor = login(app.db, username=username, password=password, settings=app.settings)
        except CoordboardError as exc:
            self.from_worker(self._failed, str(exc))
        except SQLAlchemyError as exc:
            self.from_worker(self._failed, t("error.db_refused", detail=first_line(exc)))
        else:
            self.from_worker(self._succeeded, actor, token)

    def _failed(self, message: str) -> None:
        self._show_error(message)
        self.query_one("#login-submit", Button).disabled = False
        password = self.query_one("#login-password", Input)
        password.value = ""
        password.focus()

    def _succeeded(self, actor: Actor, token: str) -> None:
        self.board_app.logged_in(actor, token)

    def _show_error(self, message: str) -> None:
        self.query_one("#login-error", Static).update(visible(message))
