"""Under a date typed on a day off, which day it is (said, never refused: an office may
mean it), as the CLI says after the command. For the forms whose fields are
``#field-<name>`` inputs, with a ``#day-off-<name>`` note under each date that may be one."""

from typing import Any

from rich.text import Text
from textual import work
from textual.widgets import Input, Static

from coordboard.db import SQLAlchemyError
from coordboard.i18n import t
from coordboard.services.fields import typed_date
from coordboard.tui import format as fmt

# Dates that may fall on a day off, and how the notice names them.
DAY_OFF_FIELDS = {"new_deadline": "notice.field.new_deadline",
                  "respond_by": "notice.field.respond_by", "deadline": "notice.field.deadline"}


class DayOffNotes:
    """Mixed into a form screen (``AppModal``/``TaskForm``, which give ``query``,
    ``board_app`` and ``from_worker``)."""

    calendar: Any = None

    def on_mount(self) -> None:  # Textual runs each class's own on_mount, this one too
        """The office calendar, read in a worker, when the form has such a date."""
        if any(self._form.query(f"#field-{name}") for name in DAY_OFF_FIELDS):
            self._read_calendar()

    @property
    def _form(self) -> Any:
        """This form, as the screen it is mixed into."""
        return self

    @work(thread=True, exclusive=True, group="form-calendar")
    def _read_calendar(self) -> None:
        """The office's calendar, to say when a date typed is a day off."""
        from coordboard.services.workdays import load_calendar

        try:
            with self._form.board_app.db.read() as session:
                calendar = load_calendar(session)
        except SQLAlchemyError:
            return  # only a notice is lost; the action itself reads the calendar again
        self._form.from_worker(self._calendar_read, calendar)

    def _calendar_read(self, calendar: Any) -> None:
        self.calendar = calendar
        for name in DAY_OFF_FIELDS:
            for widget in self._form.query(f"#field-{name}").results(Input):
                self._day_off_notice(widget)

    # A named handler, not ``@on``: Textual collects decorated handlers only from classes
    # it builds (message pumps), and this one is a plain mixin.
    def on_input_changed(self, event: Input.Changed) -> None:
        self._day_off_notice(event.input)

    def _day_off_notice(self, widget: Input) -> None:
        """Under a deadline or reply date on a day off: which day it is (as the CLI says)."""
        from coordboard.i18n import get_language
        from coordboard.services.workdays import day_off_reason

        name = (widget.id or "").removeprefix("field-")
        calendar = getattr(self, "calendar", None)
        if name not in DAY_OFF_FIELDS or calendar is None:
            return
        said = ""
        try:
            day = typed_date(widget.value)
        except ValueError:
            day = None
        why = day_off_reason(calendar, day, get_language()) if day is not None else None
        if day is not None and why:
            said = t("notice.day_off", field=t(DAY_OFF_FIELDS[name]), date=day.isoformat(),
                     why=fmt.safe(why))
        self._form.query_one(f"#day-off-{name}", Static).update(Text(said, style="yellow"))
