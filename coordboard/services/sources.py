"""Where a task comes from (事项来源), and the one rule of a leader's instruction (领导批示).

A task from an instruction records 批示领导 and 批示内容, both required, and may record
批示日期: a real day, not after today and within the office's date window
(``deadlines.check_past_date``). For every other source the three stay empty, and a
value given anyway is refused with a sentence saying so rather than silently dropped.
Registering, editing and importing call ``check``; what front ends and documents show
comes from ``label`` and ``described``.
"""

from dataclasses import dataclass
from datetime import date

from coordboard.config import Settings
from coordboard.enums import TaskSource
from coordboard.errors import ValidationError
from coordboard.i18n import listing, t
from coordboard.services import deadlines, fields

FIELDS = ("instruction_by", "instruction_date", "instruction_text")


@dataclass(frozen=True)
class Instruction:
    """批示领导, 批示日期, 批示内容 as given (empty for a task of another source)."""

    by: str = ""
    on: date | None = None
    text: str = ""

    @property
    def empty(self) -> bool:
        return not self.by.strip() and self.on is None and not self.text.strip()

    def columns(self) -> dict[str, object]:
        return {"instruction_by": self.by, "instruction_date": self.on,
                "instruction_text": self.text}


def check_source(value: object) -> str:
    """A stored source code (``TaskSource``), or a ValidationError listing the codes."""
    if not isinstance(value, str) or value not in set(TaskSource):
        raise ValidationError("error.choice", field="source", value=value,
                              allowed=", ".join(TaskSource))
    return value


def check(source: str, instruction: Instruction, *, today: date, settings: Settings,
          check_day: bool = True) -> Instruction:
    """The instruction fields to store for a task of ``source``, or a ValidationError.

    ``check_day``: also hold the date to today's window (off when an edit leaves a date
    recorded years ago unchanged). 批示领导 is kept without surrounding blanks; 批示内容
    exactly as typed."""
    check_source(source)
    fields.check("instruction_by", instruction.by)
    fields.check("instruction_text", instruction.text)
    if source != TaskSource.INSTRUCTION:
        if not instruction.empty:
            raise ValidationError("error.instruction_other_source", source=label(source),
                                  instruction=label(TaskSource.INSTRUCTION))
        return Instruction()
    missing = [fields.label(f"field.{name}") for name, value in
               (("instruction_by", instruction.by), ("instruction_text", instruction.text))
               if not value.strip()]
    if missing:
        raise ValidationError("error.instruction_required", fields=listing(missing))
    if instruction.on is not None and check_day:
        deadlines.check_past_date(instruction.on, today=today, settings=settings,
                                  field="field.instruction_date")
    return Instruction(instruction.by.strip(), instruction.on, instruction.text)


def label(source: str, language: str | None = None) -> str:
    """The source's name: "领导批示" / "leader's instruction"."""
    return t(f"source.{source}", language)


def described(source: str, by: str, on: date | None, language: str | None = None) -> str:
    """The source as a ledger cell or a task line: "领导批示（王镇长 11月20日）"; just the
    name for other sources. The leader's name is returned as typed: callers show it safely."""
    name = label(source, language)
    if source != TaskSource.INSTRUCTION or not (by or on):
        return name
    day = t("source.instruction_day", language, month=on.month, day=on.day,
            iso=on.isoformat()) if on else ""
    return t("source.with_instruction", language, source=name,
             details=" ".join(part for part in (by, day) if part))
