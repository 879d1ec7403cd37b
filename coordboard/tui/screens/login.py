"""Login: username and password; a demo database shows its demo accounts."""

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.widget import Widget
from textual.widgets import Button, Header, Input, Label, Static

from coordboard.errors import CoordboardError
from coordboard.i18n import t
from coordboard.safe_text import visible
from coordboard.services.permissions import Actor
from coordboard.tui.base import AppScreen
from coordboard.tui.widgets.footer import KeysFooter
from coordboard.tui.widgets.safe_input import SafeInput


class LoginScreen(AppScreen[None]):
    # The username has focus the moment the screen opens. Never focus from on_mount or
    # after a load: right after a logout the user already types, and a late focus() put
    # "sfs", Tab, "demo1234" all into the username.
    AUTO_FOCUS = "#login-username"
    BINDINGS = [Binding("escape", "app.quit", "tui.key.quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="login"):
            yield Label(t("tui.login.title"), id="login-title")
            yield SafeInput(placeholder=t("tui.login.username"), id="login-username")
            yield SafeInput(placeholder=t("tui.login.password"), password=True, id="login-password")
            yield Static("", id="login-error", markup=False)
            yield Button(t("tui.login.submit"), variant="primary", id="login-submit")
            yield Static("", id="login-demo", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self._submitted_password: str | None = None
        self._focus_at_submit: Widget | None = None
        self._load_demo_hint()

    @work(thread=True, exclusive=True, group="login-demo")
    def _load_demo_hint(self) -> None:
        from coordboard.db import SQLAlchemyError
        from coordboard.services.meta import demo_accounts

        try:
            with self.board_app.db.read() as session:
                demo = demo_accounts(session)
        except SQLAlchemyError:
            return  # only a hint; logging in reports the database's trouble itself
        if demo is not None:
            hint = t("tui.login.demo", users=", ".join(demo.usernames), password=demo.password)
            self.from_worker(self.query_one("#login-demo", Static).update, visible(hint))

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
        self._submitted_password = password
        self._focus_at_submit = self.focused
        self._show_error(t("tui.login.checking"))
        self._login(username, password)

    @work(thread=True, exclusive=True)
    def _login(self, username: str, password: str) -> None:
        from coordboard.db import SQLAlchemyError, first_line
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
        if password.value == self._submitted_password:
            # Cleared for a new try, unless the user already started typing elsewhere or anew.
            password.value = ""
            if self.focused in (None, self._focus_at_submit, self.query_one("#login-submit", Button)):
                password.focus()

    def _succeeded(self, actor: Actor, token: str) -> None:
        self.board_app.logged_in(actor, token)

    def _show_error(self, message: str) -> None:
        self.query_one("#login-error", Static).update(visible(message))
