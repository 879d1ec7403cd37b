"""Save one attachment of a task to a folder: a path field, the safe name it gets, done.

The name shown is the stored one made visible (``fmt.plain``); the file is written by
``attachments.save`` (in chunks, atomically, SHA-256 checked), never over an existing
file unless the user ticks "replace".
"""

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Static

from coordboard.db import SQLAlchemyError
from coordboard.errors import CoordboardError
from coordboard.i18n import t
from coordboard.services.attachments import AttachmentInfo, safe_name, size_text
from coordboard.tui import format as fmt
from coordboard.tui.base import AppModal
from coordboard.tui.widgets.safe_input import SafeInput


class SaveAttachmentForm(AppModal[str | None]):
    """Dismisses with the path written, or None."""

    AUTO_FOCUS = "#save-folder"
    BINDINGS = [
        Binding("escape", "cancel", "tui.key.cancel"),
        Binding("ctrl+s", "submit", "tui.key.submit"),
    ]

    def __init__(self, code: str, item: AttachmentInfo, folder: str) -> None:
        super().__init__()
        self.code = code
        self.item = item
        self.folder = folder

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="save-attachment"):
            title = Text(t("tui.attach.save_title"), style="bold")
            title.append("  ")
            title.append_text(fmt.plain(self.item.name))
            title.append(f"  ({size_text(self.item.size)})")
            yield Static(title, classes="dialog-title")
            yield Label(t("tui.attach.folder"), classes="field-label")
            yield SafeInput(value=self.folder, id="save-folder")
            yield Static(fmt.plain(t("tui.attach.saved_as", name=safe_name(self.item))),
                         classes="hint", id="save-name")
            yield Checkbox(t("tui.attach.overwrite"), id="save-overwrite")
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("tui.form.submit"), variant="primary", id="form-submit")
                yield Button(t("tui.form.cancel"), id="form-cancel")

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#form-submit")
    def action_submit(self) -> None:
        folder = self.query_one("#save-folder", Input).value.strip()
        if not folder:
            self._error(t("tui.form.required"))
            return
        self.query_one("#form-submit", Button).disabled = True
        self._save(Path(folder).expanduser(), self.query_one("#save-overwrite", Checkbox).value)

    @work(thread=True, exclusive=True)
    def _save(self, folder: Path, overwrite: bool) -> None:
        from coordboard.db import first_line
        from coordboard.services import attachments
        from coordboard.services.tasks import task_by_code

        app = self.board_app
        try:
            if not folder.is_dir():
                raise attachments.AttachmentError("error.attachment_no_folder", path=str(folder))
            with app.db.read() as session:
                path = attachments.save(session, task=task_by_code(session, self.code),
                                        attachment_id=self.item.id, target=folder,
                                        overwrite=overwrite)
        except CoordboardError as exc:
            self.from_worker(self._refused, str(exc))
        except SQLAlchemyError as exc:
            self.from_worker(self._refused, t("error.db_refused", detail=first_line(exc)))
        else:
            self.from_worker(self._done, str(path))

    def _error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(fmt.plain(message))

    def _refused(self, message: str) -> None:
        self._error(message)
        self.query_one("#form-submit", Button).disabled = False

    def _done(self, path: str) -> None:
        self.app.notify(t("tui.attach.saved", path=path), markup=False)
        self.dismiss(path)
