"""The office plans a task's stages (阶段节点): add one, or pick one to change or remove.

One form, like the action forms (``action_form.py``): the stage chosen at the top ("new
stage" or ① ② …) fills the fields below it; title, due day and the responsible unit (a
select of the task's own units). The rules (the day between today and the deadline, the
unit one of the task's, who may plan) are the service's (``workflow.add_stage`` and its
siblings); its translated refusal is shown in the form, and nothing is written unless it
succeeds.
"""

from datetime import date
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from coordboard.db import SQLAlchemyError
from coordboard.errors import CoordboardError
from coordboard.i18n import t
from coordboard.services.detail import TaskDetail
from coordboard.services.fields import typed_date
from coordboard.services.stages import StageLine, number
from coordboard.tui import format as fmt
from coordboard.tui.screens.task_form import TaskForm
from coordboard.tui.widgets.choices import literal
from coordboard.tui.widgets.field_message import FieldMessage
from coordboard.tui.widgets.safe_input import SafeInput

NEW = "new"  # a string: in Textual 8 ``Select.BLANK`` is False, so 0 would read as "nothing"
FIELDS = ("title", "due", "unit")


class StageForm(TaskForm):
    """Dismisses with "edit_stages" when a stage was added, changed or removed, "reload"
    after a conflict, else None."""

    AUTO_FOCUS = "Input, Select, #form-submit"
    BINDINGS = [
        Binding("escape", "cancel", "tui.key.cancel"),
        Binding("ctrl+s", "submit", "tui.key.submit"),
    ]

    def __init__(self, detail: TaskDetail) -> None:
        super().__init__()
        self.detail = detail
        self.tried = False

    def compose(self) -> ComposeResult:
        task = self.detail.task
        with Vertical(classes="dialog form-dialog", id="stage-form"):
            title = Text(t("action.edit_stages"), style="bold")
            title.append(f"  {fmt.safe(task.code)}  ")
            title.append(fmt.safe(task.title))
            yield Static(title, classes="dialog-title")
            with VerticalScroll(classes="form-body"):
                yield Label(t("tui.field.seq"), classes="field-label")
                yield Select(literal([(t("tui.stage_form.new"), NEW)] + [
                    (f"{number(s.seq)} {s.title}{t('tui.aside', text=s.unit)}", str(s.seq))
                    for s in self.detail.stages]), id="field-seq", allow_blank=False, value=NEW)
                for name in FIELDS:
                    yield Label(t(f"tui.stage_form.{name}") + " *", classes="field-label")
                    if name == "unit":
                        yield Select(literal((u.name, u.department_id)
                                             for u in self.detail.unit_choices),
                                     id="field-unit", allow_blank=False)
                    else:
                        yield SafeInput(placeholder="YYYY-MM-DD" if name == "due" else "",
                                        id=f"field-{name}")
                    yield FieldMessage(id=f"error-{name}")
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("tui.form.submit"), variant="primary", id="form-submit")
                yield Button(t("tui.stage_form.remove"), variant="error", id="form-remove",
                             classes="hidden")
                yield Button(t("tui.form.cancel"), id="form-cancel")
                yield Button(t("tui.form.reload"), variant="warning", id="form-reload",
                             classes="hidden")

    # --- the chosen stage fills the fields ------------------------------------------------

    @property
    def chosen(self) -> StageLine | None:
        value = self.query_one("#field-seq", Select).value
        return next((s for s in self.detail.stages if str(s.seq) == value), None)

    @on(Select.Changed, "#field-seq")
    def _fill(self) -> None:
        stage = self.chosen
        self.query_one("#field-title", Input).value = stage.title if stage else ""
        self.query_one("#field-due", Input).value = stage.due.isoformat() if stage else ""
        if stage is not None:
            self.query_one("#field-unit", Select).value = stage.department_id
        self.query_one("#form-remove", Button).set_class(stage is None, "hidden")
        self.call_after_refresh(self.fit_form)
        self.mark_untouched()  # a stage loaded into the fields: nothing typed yet

    # --- validation -------------------------------------------------------------------------

    def _parse(self) -> tuple[str, date, int] | None:
        """(title, due, unit), or None after marking each bad field."""
        title = self.query_one("#field-title", Input).value.strip()
        raw = self.query_one("#field-due", Input).value.strip()
        unit = self.query_one("#field-unit", Select).value
        errors = {"title": "" if title else t("tui.form.required"), "due": "", "unit": ""}
        due: date | None = None
        try:
            due = typed_date(raw)
        except ValueError:
            errors["due"] = t("tui.form.bad_date", value=raw) if raw else t("tui.form.required")
        if not isinstance(unit, int) or isinstance(unit, bool):
            errors["unit"] = t("tui.form.required")
        for name, message in errors.items():
            self.query_one(f"#error-{name}", Static).update(fmt.plain(message))
            self.query_one(f"#field-{name}").set_class(bool(message), "-invalid")
        if any(errors.values()) or due is None or not isinstance(unit, int):
            return None
        return title, due, unit

    @on(Input.Changed)
    @on(Select.Changed, "#field-unit")
    def _revalidate(self) -> None:
        if self.tried:
            self._parse()

    # --- buttons ----------------------------------------------------------------------------

    @on(Input.Submitted)
    @on(Button.Pressed, "#form-submit")
    def action_submit(self) -> None:
        self.tried = True
        parsed = self._parse()
        if parsed is None:
            self._error(t("tui.form.fix_fields"))
            return
        self._start({"title": parsed[0], "due": parsed[1], "department_id": parsed[2]})

    @on(Button.Pressed, "#form-remove")
    def _remove(self) -> None:
        from coordboard.tui.screens.confirm import ConfirmDialog

        stage = self.chosen
        if stage is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._start(None)

        self.app.push_screen(ConfirmDialog(t("tui.stage_form.remove"), t(
            "tui.stage_form.remove_question", stage=number(stage.seq), title=stage.title)),
            answered)

    def _start(self, values: dict[str, Any] | None) -> None:
        """Save ``values`` (None: remove the chosen stage) off the UI thread."""
        self._saving()
        stage = self.chosen
        self._write(stage.seq if stage else None, values)

    @work(thread=True, exclusive=True)
    def _write(self, seq: int | None, values: dict[str, Any] | None) -> None:
        from coordboard.db import first_line
        from coordboard.services import workflow

        app = self.board_app
        assert app.actor is not None
        common: dict[str, Any] = {"actor": app.actor, "code": self.detail.task.code,
                                  "settings": app.settings,
                                  "expected_version": self.detail.task.version}
        try:
            with app.db.write() as session:
                if values is None:
                    assert seq is not None
                    workflow.remove_stage(session, **common, seq=seq)
                elif seq is None:
                    workflow.add_stage(session, **common, **values)
                else:
                    workflow.edit_stage(session, **common, seq=seq, **values)
        except workflow.ConflictError as exc:
            self.from_worker(self._conflict, str(exc))
        except CoordboardError as exc:
            self.from_worker(self._refused, str(exc))
        except SQLAlchemyError as exc:
            self.from_worker(self._refused, t("error.db_refused", detail=first_line(exc)))
        else:
            self.from_worker(self._done)

    def _done(self) -> None:
        self._done_with("edit_stages")
