"""``coordboard calendar``: the working-day calendar and the office's corrections."""

import calendar as month_names
from datetime import date

import click

from coordboard.cli.context import CliContext
from coordboard.cli.output import render_table
from coordboard.errors import ValidationError
from coordboard.i18n import t


def _span(period: str) -> tuple[date, date]:
    try:
        if not period.isascii():  # int() reads full-width and other digits too
            raise ValueError(period)
        if len(period) == 4:
            year = int(period)
            return date(year, 1, 1), date(year, 12, 31)
        year, month = (int(part) for part in period.split("-"))
        return date(year, month, 1), date(year, month, month_names.monthrange(year, month)[1])
    except (ValueError, OverflowError):
        raise ValidationError("error.bad_period", value=period) from None


@click.group()
def calendar() -> None:
    """Working days: statutory holidays, makeup days (调休) and office corrections."""


@calendar.command()
@click.argument("period", metavar="YYYY|YYYY-MM")
@click.pass_obj
def show(obj: CliContext, period: str) -> None:
    """A year lists its non-ordinary days; a month lists every day."""
    from coordboard.services.workdays import calendar_view

    first, last = _span(period)
    with obj.database().read() as session:
        view = calendar_view(session, first, last, obj.settings.language,
                             unusual_only=len(period) == 4)
    click.echo(render_table(
        [t("cli.col.date"), t("cli.col.workday"), t("cli.col.kind"), t("cli.col.detail")],
        [[d.day.isoformat(), t("cli.yes") if d.is_workday else t("cli.no"),
          t(f"cli.day.{d.kind}"), d.name] for d in view.days]))
    if view.unofficial:
        click.echo(t("cli.calendar_unofficial", year=first.year), err=True)


@calendar.command("set")
@click.argument("day", metavar="YYYY-MM-DD")
@click.argument("kind", type=click.Choice(["workday", "holiday"]))
@click.option("--note", default="")
@click.pass_obj
def set_day(obj: CliContext, day: str, kind: str, note: str) -> None:
    """Mark one day as a working day or a day off (admin)."""
    from coordboard.cli.parsing import parse_date
    from coordboard.services.permissions import authorize
    from coordboard.services.workdays import set_override

    actor = obj.actor()
    authorize(actor, "manage_calendar")
    parsed = parse_date(day, "DAY")
    assert parsed is not None
    with obj.database().write() as session:
        set_override(session, day=parsed, is_workday=kind == "workday", note=note,
                     actor_id=actor.user_id)
    click.echo(t("cli.saved"))
