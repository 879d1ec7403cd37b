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
        from coordboard.tui.screens.board import BoardScreen

        self.push_screen(BoardScreen())


def make_app(settings: Settings, db: Database) -> CoordboardApp:
    return CoordboardApp(settings, db)
