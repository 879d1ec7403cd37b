"""The review's dialogs: a decision on an item, a task from a decision, closing the review.

Each dialog parses what was typed (required fields, dates, numbers) so it can
point at the field; the rule itself is the review service's, whose translated
refusal is shown in the dialog. Nothing is written unless the whole step succeeds.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from coordboard.db import SQLAlchemyError
from coordboard.errors import CoordboardError
from coordboard.i18n import listing, t
from coordboard.services import review
from coordboard.services.agenda import AgendaLine
from coordboard.services.fields import typed_date
from coordboard.services.progress import note_kinds
from coordboard.services.tasks import UnitAssignment
from coordboard.tui import format as fmt
from coordboard.tui.base import AppModal
from coordboard.tui.screens.day_off import DAY_OFF_FIELDS, DayOffNotes
from coordboard.tui.screens.form_fit import FitsTheScreen
from coordboard.tui.screens.form_guard import GuardsTyping
from coordboard.tui.widgets.choices import Choice, literal
from coordboard.tui.widgets.field_message import FieldMessage
from coordboard.tui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from sqlmodel import Session

NONE = ""


@dataclass
class FormField:
    name: str
    kind: str = "text"  # text, date, int, select
    required: bool = False
    options: list[Choice] = field(default_factory=list)
    value: Any = ""


class ReviewForm(DayOffNotes, GuardsTyping, FitsTheScreen, AppModal[bool]):
    # Focus is given once, when the screen opens and only if nothing has it yet (never
    # from on_mount, which may run after the first keys of a fast typist were handled).
    AUTO_FOCUS = "Input, Select"
    """Dismisses with True when the step was done."""

    BINDINGS = [
        Binding("escape", "cancel", "tui.key.cancel"),
        Binding("ctrl+s", "submit", "tui.key.submit"),
    ]
    title_key = ""
    done_key = "tui.review.saved"

    def __init__(self, review_row: Any, line: AgendaLine | None = None) -> None:
        super().__init__()
        self.review_row = review_row
        self.line = line
        self.fields = self.form_fields()

    def form_fields(self) -> list[FormField]:
        raise NotImplementedError

    def hint(self) -> str:
        """A line shown above the fields (e.g. what confirming will do)."""
        return ""

    def run(self, session: "Session", values: dict[str, Any]) -> str:
        """Do the step; returns the line to notify."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        # The heading and the buttons stay in view; only the fields between them scroll.
        with Vertical(classes="dialog form-dialog", id="review-form"):
            title = Text(t(self.title_key), style="bold")
            if self.line is not None:
                title.append(f"  {fmt.safe(self.line.code)}  ")
                title.append(fmt.safe(self.line.title))
            yield Static(title, classes="dialog-title")
            with VerticalScroll(classes="form-body"):
                hint = self.hint()
                if hint:
                    yield Static(Text(fmt.lines(hint)), classes="hint")
                for f in self.fields:
                    label = t(f"tui.review.field.{f.name}") + (" *" if f.required else "")
                    yield Label(label, classes="field-label")
                    if f.kind == "select":
                        yield Select(f.options, id=f"field-{f.name}", allow_blank=False,
                                     value=f.value if f.value != "" else f.options[0][1])
                    else:
                        placeholder = {"date": "YYYY-MM-DD", "int": "1–250"}.get(f.kind, "")
                        yield SafeInput(value=str(f.value), placeholder=placeholder, id=f"field-{f.name}")
                    yield FieldMessage(id=f"error-{f.name}")
                    if f.kind == "date" and f.name in DAY_OFF_FIELDS:
                        yield FieldMessage(id=f"day-off-{f.name}", classes="field-note")
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("tui.form.submit"), variant="primary", id="form-submit")
                yield Button(t("tui.form.cancel"), id="form-cancel")

    def _values(self) -> dict[str, Any] | None:
        values: dict[str, Any] = {}
        ok = True
        for f in self.fields:
            widget = self.query_one(f"#field-{f.name}")
            message, value = "", None
            if isinstance(widget, Select):
                value = None if widget.value is Select.NULL or widget.value == NONE else widget.value
            else:
                assert isinstance(widget, Input)
                raw = widget.value.strip()
                if raw and f.kind == "date":
                    try:
                        value = typed_date(raw)
                    except ValueError:
                        message = t("tui.form.bad_date", value=raw)
                elif raw and f.kind == "int":
                    if raw.isdigit() and 0 < int(raw) <= 250:
                        value = int(raw)
                    else:
                        message = t("tui.review.bad_workdays", value=raw)
                elif raw:
                    value = raw
            if not message and value is None and f.required:
                message = t("tui.form.required")
            self.query_one(f"#error-{f.name}", Static).update(fmt.plain(message))
            widget.set_class(bool(message), "-invalid")
            ok = ok and not message
            values[f.name] = value
        return values if ok else None

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        self.leave_or_ask(lambda: self.dismiss(False))

    @on(Input.Submitted)
    @on(Button.Pressed, "#form-submit")
    def action_submit(self) -> None:
        values = self._values()
        if values is None:
            self._say(t("tui.form.fix_fields"))
            return
        self.query_one("#form-submit", Button).disabled = True
        self._say(t("tui.form.saving"))
        self._run(values)

    @work(thread=True, exclusive=True)
    def _run(self, values: dict[str, Any]) -> None:
        from coordboard.db import first_line

        app = self.board_app
        try:
            with app.db.write() as session:
                message = self.run(session, values)
        except CoordboardError as exc:
            self.from_worker(self._refused, str(exc))
        except SQLAlchemyError as exc:
            self.from_worker(self._refused, t("error.db_refused", detail=first_line(exc)))
        else:
            self.from_worker(self._done, message)

    def _say(self, message: str) -> None:
        self.query_one("#form-error", Static).update(Text(fmt.lines(message)))
        self.call_after_refresh(self.fit_form)  # a longer message: less room for the fields

    def _refused(self, message: str) -> None:
        self._say(message)
        self.query_one("#form-submit", Button).disabled = False

    def _done(self, message: str) -> None:
        self.app.notify(message, markup=False)
        self.dismiss(True)


# What the office can do with an item in one step: record a decision, send it as a
# supervision note, or decide the request that is waiting.
REQUEST_CHOICES: dict[str, tuple[str, dict[str, Any]]] = {
    "accept": ("accept", {}),
    "return": ("return", {}),
    "approve_extension": ("decide_extension", {"approve": True}),
    "refuse_extension": ("decide_extension", {"approve": False}),
}


class DecisionForm(ReviewForm):
    title_key = "tui.review.decide_title"

    def __init__(self, review_row: Any, line: AgendaLine,
                 units: list[tuple[str, int]]) -> None:
        self.units = units  # the active units (name, id): the line's own are offered
        super().__init__(review_row, line)

    def hint(self) -> str:
        """The requests waiting, in full with their reasons (the agenda's column cuts them
        at 80 columns), and the deadline an extension would move."""
        line = self.line
        assert line is not None
        said = [t("tui.review.waiting", request=p.text)
                + (t("tui.review.waiting_reason", reason=p.reason) if p.reason else "")
                for p in line.pending]
        if any(p.kind == "extension" for p in line.pending):
            said.append(t("tui.review.deadline_now", date=line.deadline.isoformat()))
        return "\n".join(said)

    def form_fields(self) -> list[FormField]:
        assert self.line is not None
        choices: list[tuple[str, Any]] = [(t("tui.review.choice.record"), "record")]
        choices += [(t("tui.review.choice.note", kind=t(f"note.{kind}")), f"note:{kind.value}")
                    for kind in note_kinds(self.line.status)]
        kinds = {p.kind for p in self.line.pending}
        # The request waiting is what the meeting decides first, so it is offered first.
        if "extension" in kinds:
            choices[:0] = [(t("tui.review.choice.approve_extension"), "approve_extension"),
                           (t("tui.review.choice.refuse_extension"), "refuse_extension")]
        if "closure" in kinds:
            choices[:0] = [(t("tui.review.choice.accept"), "accept"),
                           (t("tui.review.choice.return"), "return")]
        # A note from the meeting may concern one unit (a criticism of the supporter that
        # did not act), as ``task note --unit`` and ``review decide --unit`` do.
        ids = dict(self.units)
        own = [(name, ids[name]) for name in [self.line.lead, *self.line.supporters]
               if name in ids]
        return [FormField("choice", "select", True, literal(choices)),
                FormField("text", "text", False, value=self.line.typed_decision),
                FormField("unit", "select", False,
                          literal([(t("tui.form.whole_task"), NONE), *own])),
                FormField("respond_by", "date")]

    def run(self, session: "Session", values: dict[str, Any]) -> str:
        app, line = self.board_app, self.line
        assert app.actor is not None and line is not None
        choice, text = values["choice"], values["text"] or ""
        item_id = line.item.id or 0
        if choice in REQUEST_CHOICES:
            action, params = REQUEST_CHOICES[choice]
            comment = ""
            if action == "return":
                params = {"reason": text}
            elif action == "decide_extension":
                params = {**params, "note": text}
            else:  # accepting a closure takes no text of its own: the comment is kept with it
                comment = text
            review.decide_request(session, actor=app.actor, settings=app.settings, item_id=item_id,
                                  action=action, comment=comment, **params)
        else:
            kind = choice.split(":", 1)[1] if choice.startswith("note:") else None
            unit = values.get("unit")
            review.record_decision(session, actor=app.actor, settings=app.settings, item_id=item_id,
                                   text=text, note_kind=kind, respond_by=values["respond_by"],
                                   department_ids=[unit] if unit is not None else None)
        return t("review.decided", item=line.item.position)


class SpawnTaskForm(ReviewForm):
    title_key = "tui.review.spawn_title"

    def __init__(self, review_row: Any, line: AgendaLine,
                 units: list[tuple[str, int]]) -> None:
        self.units = units
        super().__init__(review_row, line)

    def form_fields(self) -> list[FormField]:
        assert self.line is not None
        # The words typed as the decision (never machine-written words, which would be
        # stored in this user's interface language as the new task's title).
        # The item's lead unit leads the follow-up unless the meeting names another.
        lead = next((unit_id for name, unit_id in self.units if name == self.line.lead), "")
        return [FormField("title", "text", True, value=self.line.typed_decision),
                FormField("lead", "select", True, literal(self.units), value=lead),
                FormField("workdays", "int", True, value="10")]

    def run(self, session: "Session", values: dict[str, Any]) -> str:
        app, line = self.board_app, self.line
        assert app.actor is not None and line is not None
        task = review.spawn_task(session, actor=app.actor, settings=app.settings,
                                 item_id=line.item.id or 0, title=values["title"],
                                 lead=UnitAssignment(values["lead"], ""), workdays=values["workdays"])
        return t("review.spawned_done", code=task.code, item=line.item.position)


class CloseReviewForm(ReviewForm):
    """Closing with items still undecided is allowed, but the dialog lists them first:
    submitting it is the meeting's confirmation (the CLI asks for ``--force``)."""

    title_key = "tui.review.close_title"

    def __init__(self, review_row: Any, undecided: list[int] | None = None) -> None:
        self.undecided = undecided or []
        super().__init__(review_row)

    def hint(self) -> str:
        if not self.undecided:
            return ""
        return t("tui.review.close_undecided", items=listing(str(n) for n in self.undecided),
                 count=len(self.undecided))

    def form_fields(self) -> list[FormField]:
        return [FormField("attendees", "text", True, value=self.review_row.attendees or ""),
                FormField("next_steps", "text", False, value=self.review_row.next_steps or "")]

    def run(self, session: "Session", values: dict[str, Any]) -> str:
        app = self.board_app
        assert app.actor is not None
        closed = review.close(session, actor=app.actor, review_id=self.review_row.id,
                              attendees=values["attendees"], next_steps=values["next_steps"] or "",
                              settings=app.settings, force=bool(self.undecided))
        return t("review.closed", summary=t("review.number", number=closed.number))
