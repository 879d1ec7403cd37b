"""One form for every action on a task: fields per action, inline validation, conflicts.

The form only parses what the user typed (dates, numbers, required fields) so it
can point at the field; the rule itself is applied by the action's function in
``workflow`` (through ``tui.actions.perform``), whose translated refusal is shown
in the form. Nothing is written unless it succeeds.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from coordboard.db import SQLAlchemyError
from coordboard.enums import Priority, TaskSource
from coordboard.errors import CoordboardError
from coordboard.i18n import t
from coordboard.services.contests import DECISIONS
from coordboard.services.detail import TaskDetail
from coordboard.services.fields import typed_date
from coordboard.services.progress import note_kinds
from coordboard.tui import format as fmt
from coordboard.tui.screens.day_off import DAY_OFF_FIELDS, DayOffNotes
from coordboard.tui.screens.task_form import TaskForm
from coordboard.tui.widgets.choices import Choice, active_units, literal
from coordboard.tui.widgets.field_message import FieldMessage
from coordboard.tui.widgets.safe_input import SafeInput


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text, date, percent, select, path (an existing file)
    required: bool = False


REASON = Field("reason", "text", required=True)
FORMS: dict[str, list[Field]] = {
    "acknowledge": [], "request_closure": [], "dispatch": [], "accept": [],
    "resume": [Field("set_deadline", "date")],
    "feedback": [Field("body", "text", True), Field("percent", "percent"),
                 Field("attachment", "path")],
    "respond": [Field("note_id", "select", True), Field("response", "text", True)],
    "request_extension": [Field("new_deadline", "date", True), REASON],
    "contest": [REASON],
    "note": [Field("kind", "select", True), Field("department_id", "select"),
             Field("respond_by", "date"), Field("body", "text", True)],
    "decide_extension": [Field("approve", "select", True), Field("note", "text")],
    "decide_contest": [Field("department_id", "select", True), Field("decision", "select", True),
                       Field("new_department_id", "select"), Field("note", "text")],
    "return": [REASON], "suspend": [REASON], "withdraw": [REASON],
    "reach_stage": [Field("seq", "select", True), Field("report", "text")],
    "edit": [Field("title", "text", True), Field("leader_id", "select"), Field("category", "text"),
             Field("source", "select", True), Field("instruction_by", "text"),
             Field("instruction_date", "date"), Field("instruction_text", "text"),
             Field("priority", "select", True), Field("deadline", "date")],
}
NONE = ""
KEPT = "kept"  # the edit form's leader: the name kept as written (not a user), unchanged
APPROVE, REFUSE = "approve", "refuse"


class ActionForm(DayOffNotes, TaskForm):
    # Focus is given once, when the screen opens and only if nothing has it yet (never
    # from on_mount, which may run after the first keys of a fast typist were handled).
    AUTO_FOCUS = "Input, Select, #form-submit"
    """Dismisses with the action's name when it was done, "reload" after a conflict, else None."""

    BINDINGS = [
        Binding("escape", "cancel", "tui.key.cancel"),
        Binding("ctrl+s", "submit", "tui.key.submit"),
    ]

    def __init__(self, detail: TaskDetail, action: str) -> None:
        super().__init__()
        self.detail = detail
        self.action = action
        self.fields = FORMS[action]
        self.tried = False

    def compose(self) -> ComposeResult:
        task = self.detail.task
        # The heading and the buttons stay in view; only the fields between them scroll,
        # so a form taller than the terminal (80×24) keeps OK reachable and its title shown.
        with Vertical(classes="dialog form-dialog", id="action-form"):
            title = Text(fmt.action(self.action), style="bold")
            title.append(f"  {fmt.safe(task.code)}  ")
            title.append(fmt.safe(task.title))
            yield Static(title, classes="dialog-title")
            with VerticalScroll(classes="form-body"):
                yield from self._body()
            yield Static("", id="form-error", classes="form-error")  # in view, by the buttons
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("tui.form.submit"), variant="primary", id="form-submit")
                yield Button(t("tui.form.cancel"), id="form-cancel")
                yield Button(t("tui.form.reload"), variant="warning", id="form-reload",
                             classes="hidden")

    def on_mount(self) -> None:
        if self.query("#field-new_department_id"):
            self.query_one("#field-new_department_id").loading = True
            self._read_units()

    @work(thread=True, exclusive=True, group="form-units")
    def _read_units(self) -> None:
        """The units a contested part may move to, read off the UI thread."""
        app = self.board_app
        try:
            with app.db.read() as session:
                units = active_units(session)
        except SQLAlchemyError as exc:
            app.call_from_thread(app.report_db_error, exc)
            units = []
        self.from_worker(self._show_units, units)

    def _show_units(self, units: list[tuple[str, int]]) -> None:
        select = self.query_one("#field-new_department_id", Select)
        keep = select.value
        select.set_options(literal([(t("tui.form.no_unit"), NONE), *units]))
        if keep in {NONE, *(uid for _name, uid in units)}:
            select.value = keep
        select.loading = False
    def _body(self) -> ComposeResult:
        task = self.detail.task
        info = self._info()
        if info:
            yield Static(Text(fmt.lines(info)), classes="hint")
        if not self.fields:
            yield Static(t("tui.form.confirm", action=t(f"action.{self.action}")))
        for field in self.fields:
            if field.name == "deadline" and task.status != "draft":
                continue  # after dispatch the deadline moves only by an extension
            label = t(f"tui.field.{field.name}") + (" *" if field.required else "")
            yield Label(label, classes="field-label")
            yield self._widget(field)
            yield FieldMessage(id=f"error-{field.name}")
            if field.name in DAY_OFF_FIELDS:
                yield FieldMessage(id=f"day-off-{field.name}", classes="field-note")

    def _info(self) -> str:
        pending = self.detail.pending_extension
        if self.action == "decide_extension" and pending is not None:
            return t("tui.form.extension_info", old=pending.old_deadline.isoformat(),
                     new=pending.new_deadline.isoformat(), reason=pending.reason)
        if self.action == "decide_contest":
            return "\n".join(t("tui.form.contest_info", unit=u.name, reason=u.contest_reason or "")
                             for u in self.detail.unit_choices if u.contest_reason)
        return ""

    def _options(self, name: str) -> list[Choice]:
        """The choices of one select field; unit names and notes go in as literal text."""
        d = self.detail
        if name == "note_id":
            return literal((n.label, n.id) for n in d.notes_to_answer)
        if name == "seq":
            return literal((n.label, n.id) for n in d.stages_to_reach)
        if name == "department_id":
            if self.action == "note":
                return literal([(t("tui.form.whole_task"), NONE)]
                               + [(u.name, u.department_id) for u in d.unit_choices])
            return literal((u.name, u.department_id) for u in d.unit_choices
                           if u.contest_reason is not None)
        if name == "new_department_id":
            return literal([(t("tui.form.no_unit"), NONE)])  # the units follow (on_mount)
        if name == "leader_id":  # leader users; the task's own leader even if since disabled
            task = d.task
            kept = ([(t("tui.form.leader_kept", name=task.leader), KEPT)]
                    if task.leader and task.leader_id is None else [])
            own = ([(d.leader, task.leader_id)] if task.leader_id is not None
                   and task.leader_id not in {uid for _label, uid in d.leader_choices} else [])
            return literal([(t("tui.form.no_leader"), NONE), *kept, *own, *d.leader_choices])
        fixed: dict[str, list[tuple[str, Any]]] = {
            "kind": [(t(f"note.{kind}"), kind.value) for kind in note_kinds(d.task.status)],
            # Not True/False: in Textual 8 ``Select.BLANK`` *is* False, so a False value
            # reads as "nothing chosen" (refusing failed with "required").
            "approve": [(t("tui.form.approve"), APPROVE), (t("tui.form.refuse"), REFUSE)],
            "decision": [(t(f"tui.decision.{decision}"), decision) for decision in DECISIONS],
            "source": [(t(f"source.{s}"), s.value) for s in TaskSource],
            "priority": [(t(f"priority.{p}"), p.value) for p in Priority],
        }
        return literal(fixed[name])

    def _widget(self, field: Field) -> Input | Select[Any]:
        task = self.detail.task
        widget_id = f"field-{field.name}"
        if field.kind == "select":
            options = self._options(field.name)
            current = {"source": task.source, "priority": task.priority,
                       "leader_id": task.leader_id if task.leader_id is not None
                       else (KEPT if task.leader else NONE)}.get(field.name)
            value = current if current is not None else (options[0][1] if options else None)
            return Select(options, id=widget_id, allow_blank=not options,
                          value=value if options else Select.NULL)
        placeholder = {"date": "YYYY-MM-DD", "percent": "0–100",
                       "path": "/path/to/file.pdf"}.get(field.kind, "")
        value = ""
        if self.action == "edit":
            value = str(getattr(task, field.name, "") or "")
        return SafeInput(value=value, placeholder=placeholder, id=widget_id)

    # --- validation -----------------------------------------------------------------

    def _parse(self) -> dict[str, Any] | None:
        """The values the action takes, or None after marking each bad field."""
        values: dict[str, Any] = {}
        ok = True
        for field in self.fields:
            widgets = self.query(f"#field-{field.name}")
            if not widgets:
                continue
            widget = widgets.first()
            message, value = self._parse_field(field, widget)
            self.query_one(f"#error-{field.name}", Static).update(fmt.plain(message))
            widget.set_class(bool(message), "-invalid")
            ok = ok and not message
            values[field.name] = value
        if not ok:
            return None
        return self._params(values)

    def _parse_field(self, field: Field, widget: Any) -> tuple[str, Any]:
        if isinstance(widget, Select):
            value = None if widget.value is Select.NULL or widget.value == NONE else widget.value
            if value is None and field.required:
                return t("tui.form.required"), None
            if field.name == "approve":
                return "", value == APPROVE
            return "", value
        raw = widget.value.strip()
        if not raw:
            return (t("tui.form.required"), None) if field.required else ("", None)
        if field.kind == "date":
            try:
                return "", typed_date(raw)
            except ValueError:
                return t("tui.form.bad_date", value=raw), None
        if field.kind == "path":
            path = Path(raw).expanduser()
            if not path.is_file():
                return t("error.attachment_missing", path=raw), None
            return "", path
        if field.kind == "percent":
            if not raw.isdigit() or not 0 <= int(raw) <= 100:
                return t("tui.form.bad_percent", value=raw), None
            return "", int(raw)
        return "", raw

    def _params(self, values: dict[str, Any]) -> dict[str, Any]:
        if self.action == "edit":
            task = self.detail.task
            leader = values.pop("leader_id", KEPT)
            changes = {name: value or "" for name, value in values.items()
                       if (value or "") != (getattr(task, name) or "")
                       and not (name == "deadline" and value is None)}
            if leader != KEPT and (leader != task.leader_id or task.leader):
                changes["leader_id"] = leader  # a leader user, or None for none
            return {"changes": changes}
        return {name: value for name, value in values.items() if value is not None}

    @on(Input.Changed)
    @on(Select.Changed)
    def _revalidate(self) -> None:
        if self.tried:
            self._parse()

    # --- submit ---------------------------------------------------------------------

    @on(Input.Submitted)
    @on(Button.Pressed, "#form-submit")
    def action_submit(self) -> None:
        self.tried = True
        params = self._parse()
        if params is None:
            self._error(t("tui.form.fix_fields"))
            return
        if self.action == "edit" and not params["changes"]:
            self._error(t("tui.form.nothing_changed"))
            return
        self._saving()
        self._act(params)

    @work(thread=True, exclusive=True)
    def _act(self, params: dict[str, Any]) -> None:
        from coordboard.db import first_line
        from coordboard.services.workflow import ConflictError
        from coordboard.tui.actions import perform

        app = self.board_app
        assert app.actor is not None
        params = params["changes"] if self.action == "edit" else dict(params)
        try:
            if "attachment" in params:  # read before the write lock is taken
                from coordboard.services.attachments import read_upload

                params["files"] = [read_upload(params.pop("attachment"), app.settings)]
            with app.db.write() as session:
                perform(session, action=self.action, actor=app.actor, code=self.detail.task.code,
                        settings=app.settings, expected_version=self.detail.task.version,
                        values=params)
        except ConflictError as exc:
            self.from_worker(self._conflict, str(exc))
        except CoordboardError as exc:
            self.from_worker(self._refused, str(exc))
        except SQLAlchemyError as exc:
            self.from_worker(self._refused, t("error.db_refused", detail=first_line(exc)))
        else:
            self.from_worker(self._done)

    def _done(self) -> None:
        self._done_with(self.action)
