"""Registering a task: lead and supporting units (searchable), each unit's part, a deadline
by date or in working days (with the date it gives and the days it skips), then
optionally dispatching it at once."""

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Header,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
)

from coordboard import clock
from coordboard.db import SQLAlchemyError
from coordboard.enums import Priority, TaskSource
from coordboard.errors import CoordboardError
from coordboard.i18n import get_language, listing, t
from coordboard.services import categories
from coordboard.services.fields import typed_date
from coordboard.services.workdays import (
    WorkCalendar,
    day_off_reason,
    load_calendar,
    preview_workdays,
)
from coordboard.tui import format as fmt
from coordboard.tui.base import AppScreen
from coordboard.tui.screens.form_guard import GuardsTyping
from coordboard.tui.widgets.choices import active_units, leader_choices, literal
from coordboard.tui.widgets.field_message import FieldMessage
from coordboard.tui.widgets.footer import KeysFooter
from coordboard.tui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from coordboard.services.sources import Instruction

MAX_WORKDAYS = 250


class RegisterScreen(GuardsTyping, AppScreen[None]):
    # Focus is given once, when the screen opens and only if nothing has it yet (never
    # from on_mount, which may run after the first keys of a fast typist were handled).
    AUTO_FOCUS = "#reg-title"
    BINDINGS = [
        Binding("escape", "back", "tui.key.cancel"),
        Binding("ctrl+s", "save(False)", "tui.key.save_draft"),
        Binding("ctrl+r", "save(True)", "tui.key.save_dispatch"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.units: list[tuple[int, str]] = []
        self.calendar = WorkCalendar()
        self.tried = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="register"):
            yield Label(t("tui.field.title") + " *", classes="field-label")
            yield SafeInput(id="reg-title", max_length=500)
            yield FieldMessage(id="reg-error-title")
            yield Label(t("tui.field.description"), classes="field-label")
            yield SafeInput(id="reg-description")
            with Horizontal(classes="form-row"):
                with Vertical():
                    yield Label(t("tui.field.source"), classes="field-label")
                    yield Select([(t(f"source.{s}"), s.value) for s in TaskSource], id="reg-source",
                                 value=TaskSource.MEETING.value, allow_blank=False)
                with Vertical():
                    yield Label(t("tui.field.priority"), classes="field-label")
                    yield Select([(t(f"priority.{p}"), p.value) for p in Priority], id="reg-priority",
                                 value=Priority.NORMAL.value, allow_blank=False)
            # 领导批示: who, when, what; shown only for a task from an instruction.
            with Vertical(id="reg-instruction", classes="hidden"):
                with Horizontal(classes="form-row"):
                    with Vertical():
                        yield Label(t("tui.field.instruction_by") + " *", classes="field-label")
                        yield SafeInput(id="reg-instruction-by", max_length=100)
                    with Vertical():
                        yield Label(t("tui.field.instruction_date"), classes="field-label")
                        yield SafeInput(placeholder="YYYY-MM-DD", id="reg-instruction-date")
                yield Label(t("tui.field.instruction_text") + " *", classes="field-label")
                yield SafeInput(id="reg-instruction-text")
                yield FieldMessage(id="reg-error-instruction")
            with Horizontal(classes="form-row"):
                with Vertical():
                    yield Label(t("tui.field.category"), classes="field-label")
                    yield Select([(t("tui.register.no_category"), "")], id="reg-category",
                                 value="", allow_blank=False)
                with Vertical():
                    yield Label(t("tui.field.leader"), classes="field-label")
                    # Leader users only (services/leaders.py), loaded with the units.
                    yield Select([], id="reg-leader", prompt=t("tui.form.no_leader"))
            yield Label(t("tui.field.lead") + " *", classes="field-label")
            yield Select([], id="reg-lead", prompt=t("tui.register.choose_lead"))
            yield FieldMessage(id="reg-error-lead")
            yield Label(t("tui.field.supporters"), classes="field-label")
            yield SafeInput(placeholder=t("tui.register.search_units"), id="reg-unit-search")
            yield SelectionList[int](id="reg-supporters")
            yield FieldMessage(id="reg-error-supporters")
            yield Label(t("tui.register.parts"), classes="field-label")
            yield Vertical(id="reg-parts")
            yield Label(t("tui.field.deadline") + " *", classes="field-label")
            with RadioSet(id="reg-deadline-mode"):
                yield RadioButton(t("tui.register.by_date"), value=True, id="mode-date")
                yield RadioButton(t("tui.register.by_workdays"), id="mode-workdays")
            yield SafeInput(placeholder="YYYY-MM-DD", id="reg-deadline")
            yield SafeInput(placeholder=t("tui.register.workdays"), id="reg-workdays", classes="hidden")
            yield Static("", id="reg-preview")
            yield FieldMessage(id="reg-error-deadline")
            yield Static("", id="reg-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("tui.register.save_dispatch"), variant="primary", id="reg-dispatch")
                yield Button(t("tui.register.save_draft"), id="reg-draft")
                yield Button(t("tui.form.cancel"), id="reg-cancel")
        yield KeysFooter()

    def on_mount(self) -> None:
        # The units and the office's calendar come from a worker (a slow shared server
        # never holds the form); the fields they fill show a loading indicator meanwhile.
        for selector in ("#reg-lead", "#reg-supporters", "#reg-leader"):
            self.query_one(selector).loading = True
        self._read_choices()

    @work(thread=True, exclusive=True, group="register-choices")
    def _read_choices(self) -> None:
        app = self.board_app
        try:
            with app.db.read() as session:
                units = active_units(session)
                leaders = leader_choices(session)
                calendar = load_calendar(session)
                offered = categories.names(session)
        except SQLAlchemyError as exc:
            app.call_from_thread(app.report_db_error, exc)
            return
        self.from_worker(self._show_choices, units, leaders, calendar, offered)

    def _show_choices(self, units: list[tuple[str, int]], leaders: list[tuple[str, int]],
                      calendar: WorkCalendar, offered: list[str]) -> None:
        leader = self.query_one("#reg-leader", Select)
        leader.set_options(literal(leaders))
        leader.loading = False
        category = self.query_one("#reg-category", Select)
        category.set_options([(t("tui.register.no_category"), ""),
                              *literal((name, name) for name in offered)])
        category.value = ""
        category.loading = False
        self.units = [(uid, name) for name, uid in units]
        self.calendar = calendar
        lead = self.query_one("#reg-lead", Select)
        lead.set_options(literal((name, uid) for uid, name in self.units))
        lead.loading = False
        self.query_one("#reg-supporters").loading = False
        self._filter_units(self.query_one("#reg-unit-search", Input).value)
        self._preview()  # with the office's own calendar now

    def reopen(self) -> "RegisterScreen":
        return RegisterScreen()

    @on(Select.Changed, "#reg-source")
    def _source_changed(self, event: Select.Changed) -> None:
        self.query_one("#reg-instruction").set_class(
            event.value != TaskSource.INSTRUCTION.value, "hidden")

    # --- units ---------------------------------------------------------------------

    @on(Input.Changed, "#reg-unit-search")
    def _search_units(self, event: Input.Changed) -> None:
        self._filter_units(event.value)

    def _filter_units(self, needle: str) -> None:
        """Narrow the list to matching units; units already ticked always stay."""
        supporters = self.query_one("#reg-supporters", SelectionList)
        chosen = set(supporters.selected)
        supporters.clear_options()
        needle = needle.strip().lower()
        supporters.add_options([
            (fmt.plain(name), uid, uid in chosen) for uid, name in self.units
            if uid in chosen or needle in name.lower()
        ])
        if supporters.option_count:  # Space ticks at once, without an arrow key first
            supporters.highlighted = 0

    @on(Select.Changed, "#reg-lead")
    @on(SelectionList.SelectedChanged, "#reg-supporters")
    async def _units_changed(self) -> None:
        """One 'part of the work' field per chosen unit, keeping what was typed."""
        typed = {w.id: w.value for w in self.query("#reg-parts Input").results(Input)}
        lead = self._lead()
        chosen = ([lead] if lead else []) + [u for u in self.query_one(
            "#reg-supporters", SelectionList).selected if u != lead]
        names = dict(self.units)
        parts = self.query_one("#reg-parts", Vertical)
        await parts.remove_children()  # before mounting inputs that reuse the same ids
        await parts.mount_all([
            SafeInput(value=typed.get(f"part-{uid}", ""), id=f"part-{uid}",
                      placeholder=t("tui.register.part_of", unit=names.get(uid, "?"),
                                    role=t("unit_role.lead" if uid == lead
                                           else "unit_role.support")))
            for uid in chosen
        ])

    def _lead(self) -> int | None:
        value = self.query_one("#reg-lead", Select).value
        return value if isinstance(value, int) else None

    # --- deadline ------------------------------------------------------------------

    @on(RadioSet.Changed)
    def _mode_changed(self) -> None:
        by_workdays = self._by_workdays()
        self.query_one("#reg-deadline", Input).set_class(by_workdays, "hidden")
        self.query_one("#reg-workdays", Input).set_class(not by_workdays, "hidden")
        self._preview()

    def _by_workdays(self) -> bool:
        return self.query_one("#mode-workdays", RadioButton).value

    @on(Input.Changed, "#reg-deadline, #reg-workdays")
    def _preview(self) -> None:
        preview = self.query_one("#reg-preview", Static)
        message, value = self._deadline()
        if message or value is None:
            preview.update("")
            return
        today = clock.today(self.board_app.settings.timezone)
        if isinstance(value, int):
            info = preview_workdays(self.calendar, today, value, get_language())
            text = Text(t("tui.register.preview", deadline=info.deadline.isoformat(),
                          days=(info.deadline - today).days))
            if info.days_off:
                skipped = listing(f"{d.day.strftime('%m-%d')}{d.name and ' ' + d.name}"
                                   for d in info.days_off if d.kind != "weekend")
                weekends = sum(1 for d in info.days_off if d.kind == "weekend")
                text.append("\n" + t("tui.register.skips", weekends=weekends,
                                     holidays=skipped or t("action.none")))
            if info.makeup_days:
                text.append("\n" + t("tui.register.makeup", days=listing(
                    d.day.strftime("%m-%d") for d in info.makeup_days)))
            if info.unofficial:
                text.append("\n" + t("tui.register.unofficial"), style="yellow")
            preview.update(text)
        else:
            left = self.calendar.workdays_between(today, value)
            text = Text(t("tui.register.date_preview", workdays=left))
            why = day_off_reason(self.calendar, value, get_language())
            if why:  # said, not refused: an office may mean it
                text.append("\n" + t("notice.day_off", field=t("notice.field.deadline"),
                                      date=value.isoformat(), why=why), style="yellow")
            if self.calendar.unofficial_years([today, value]):  # the count is an estimate
                text.append("\n" + t("tui.register.unofficial"), style="yellow")
            preview.update(text)

    def _deadline(self) -> tuple[str, date | int | None]:
        if self._by_workdays():
            raw = self.query_one("#reg-workdays", Input).value.strip()
            if not raw:
                return t("tui.form.required"), None
            if not raw.isdigit() or not 1 <= int(raw) <= MAX_WORKDAYS:
                return t("tui.register.bad_workdays", value=raw, max=MAX_WORKDAYS), None
            return "", int(raw)
        raw = self.query_one("#reg-deadline", Input).value.strip()
        if not raw:
            return t("tui.form.required"), None
        try:
            day = typed_date(raw)
        except ValueError:
            return t("tui.form.bad_date", value=raw), None
        if day < clock.today(self.board_app.settings.timezone):
            return t("error.deadline_past", deadline=raw), None
        return "", day

    def _instruction(self) -> tuple[str, "Instruction | None"]:
        """The instruction fields of a task from a leader's instruction (None otherwise);
        the form only parses the date and names empty required fields, the service holds
        the rule (services/sources.py)."""
        from coordboard.services.sources import Instruction

        if self.query_one("#reg-source", Select).value != TaskSource.INSTRUCTION.value:
            return "", None
        by = self.query_one("#reg-instruction-by", Input).value.strip()
        text = self.query_one("#reg-instruction-text", Input).value  # as typed
        raw = self.query_one("#reg-instruction-date", Input).value.strip()
        if not by or not text.strip():
            return t("tui.field.instruction_required"), None
        try:
            day = typed_date(raw) if raw else None
        except ValueError:
            return t("tui.form.bad_date", value=raw), None
        return "", Instruction(by, day, text)

    # --- saving --------------------------------------------------------------------

    def _collect(self) -> dict[str, Any] | None:
        from coordboard.services.tasks import UnitAssignment

        errors = {"title": "", "lead": "", "deadline": "", "supporters": ""}
        title = self.query_one("#reg-title", Input).value.strip()
        if not title:
            errors["title"] = t("tui.form.required")
        lead = self._lead()
        if lead is None:
            errors["lead"] = t("tui.form.required")
        message, deadline = self._deadline()
        errors["deadline"] = message
        instruction_message, instruction = self._instruction()
        errors["instruction"] = instruction_message
        for name, message in errors.items():
            self.query_one(f"#reg-error-{name}", Static).update(fmt.plain(message))
        if any(errors.values()) or lead is None:
            return None

        def part(uid: int) -> str:
            found = self.query(f"#part-{uid}")
            return found.first(Input).value.strip() if found else ""

        supporters = [u for u in self.query_one("#reg-supporters", SelectionList).selected if u != lead]
        leader = self.query_one("#reg-leader", Select).value  # blank: no leader
        return {
            "title": title,
            "description": self.query_one("#reg-description", Input).value.strip(),
            "source": self.query_one("#reg-source", Select).value,
            "priority": self.query_one("#reg-priority", Select).value,
            "category": self.query_one("#reg-category", Select).value or "",
            "instruction": instruction,
            "leader_id": leader if isinstance(leader, int) else None,
            "lead": UnitAssignment(lead, part(lead)),
            "supporters": [UnitAssignment(u, part(u)) for u in supporters],
            "deadline": deadline if isinstance(deadline, date) else None,
            "workdays": deadline if isinstance(deadline, int) else None,
        }

    @on(Button.Pressed, "#reg-cancel")
    def action_back(self) -> None:
        self.leave_or_ask(self.app.pop_screen)

    @on(Button.Pressed, "#reg-dispatch")
    def _save_dispatch(self) -> None:
        self.action_save(True)

    @on(Button.Pressed, "#reg-draft")
    def _save_draft(self) -> None:
        self.action_save(False)

    def action_save(self, dispatch: bool) -> None:
        values = self._collect()
        if values is None:
            self.query_one("#reg-error", Static).update(Text(t("tui.form.fix_fields")))
            return
        for button in self.query("#register Button").results(Button):
            button.disabled = True
        self._save(values, dispatch)

    @work(thread=True, exclusive=True)
    def _save(self, values: dict[str, Any], dispatch: bool) -> None:
        from coordboard.db import first_line
        from coordboard.services.permissions import authorize
        from coordboard.services.tasks import register
        from coordboard.services.workflow import dispatch as dispatch_task

        app = self.board_app
        assert app.actor is not None
        try:
            with app.db.write() as session:
                authorize(app.actor, "register")
                task = register(session, actor_id=app.actor.user_id,
                                today=clock.today(app.settings.timezone), **values)
                if dispatch:
                    dispatch_task(session, actor=app.actor, code=task.code,
                                  settings=app.settings)
                code = task.code
        except CoordboardError as exc:
            self.from_worker(self._failed, str(exc))
        except SQLAlchemyError as exc:
            self.from_worker(self._failed, t("error.db_refused", detail=first_line(exc)))
        else:
            self.from_worker(self._saved, code, dispatch)

    def _failed(self, message: str) -> None:
        self.query_one("#reg-error", Static).update(Text(fmt.lines(message)))
        for button in self.query("#register Button").results(Button):
            button.disabled = False

    def _saved(self, code: str, dispatched: bool) -> None:
        from coordboard.tui.screens.task import TaskScreen

        self.app.notify(t("tui.register.done_dispatched" if dispatched else "tui.register.done",
                          code=code), markup=False)
        self.app.switch_screen(TaskScreen(code))
