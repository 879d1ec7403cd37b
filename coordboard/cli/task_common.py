"""What the ``task`` commands share: a unit named with its part, one typed action run and
said, and the warnings said after a date is set."""

from collections.abc import Callable
from datetime import date
from typing import Any

import click

from coordboard.cli.context import CliContext
from coordboard.cli.parsing import department
from coordboard.i18n import t


def unit_arg(session: Any, value: str) -> tuple[int, str]:
    name, _, part = value.partition(":")
    return department(session, name), part.strip()


def act(obj: CliContext, code: str, action: str, call: Callable[..., object], *,
         done: str = "") -> None:
    """Run one of ``workflow``'s typed actions: ``call(session, actor=, code=, settings=,
    seen_version=)`` (the action's own parameters bound by the command). ``done``: the
    sentence said after it, when the action's name alone would not say what was decided."""
    from coordboard.services.tasks import task_by_code

    actor = obj.actor()
    # The version the user's command started from: on SQLite writers queue whole, so a rule
    # refusal caused by whoever wrote while this command waited is told as that change.
    with obj.database().read() as session:
        seen = task_by_code(session, code).version
    with obj.database().write() as session:
        call(session, actor=actor, code=code, settings=obj.settings, seen_version=seen)
    click.echo(done or t("cli.done", action=t(f"action.{action}"), code=code.upper()))


def warn_unofficial(obj: CliContext, code: str) -> None:
    """One warning line when the task's deadline falls in a year without the State Council's
    holiday schedule (its working days are estimated): after registering, dispatching, or
    making a task at the review."""
    from coordboard.services import tasks

    with obj.database().read() as session:
        task = tasks.task_by_code(session, code)
        years = tasks.estimated_deadline_years(session, task, obj.today())
        deadline = task.deadline
    for year in years:
        click.echo(t("cli.calendar_unofficial", year=year), err=True)
    warn_day_off(obj, deadline, "notice.field.deadline")


def warn_day_off(obj: CliContext, day: date | None, field: str) -> None:
    """One line when a date the user set (a deadline, a reply date) is not a working day:
    a holiday, a weekend or the office's day off. Said, not refused: an office may mean it."""
    from coordboard.i18n import get_language
    from coordboard.services.workdays import day_off_reason, load_calendar

    if day is None:
        return
    with obj.database().read() as session:
        why = day_off_reason(load_calendar(session), day, get_language())
    if why:
        click.echo(t("notice.day_off", field=t(field), date=day.isoformat(), why=why), err=True)
