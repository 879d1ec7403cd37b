"""The Textual application. Screens live in ``screens/``; rules in ``coordboard.services``."""

from pathlib import Path

from textual.app import App

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.i18n import t


class CoordboardApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")

    def __init__(self, settings: Settings, db: Database) -> None:
        super().__init__()
        self.settings = settings
        self.db = db
        self.title = t("tui.title")

    def on_mount(self) -> None:
        from coordboard.services.setup import needs_setup
        from coordboard.tui.screens.board import BoardScreen
        from coordboard.tui.screens.first_run import FirstRunScreen

        self.push_screen(BoardScreen())
        with self.db.read() as session:
            first_run = needs_setup(session)
        if first_run:
            self.push_screen(FirstRunScreen(), self._after_first_run)

    def _after_first_run(self, ready: bool | None) -> None:
        if not ready:
            self.exit()
            return
        from coordboard.tui.screens.board import BoardScreen

        if isinstance(self.screen, BoardScreen):
            self.screen.load_page()


def make_app(settings: Settings, db: Database) -> CoordboardApp:
    return CoordboardApp(settings, db)
