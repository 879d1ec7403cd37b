"""``coordboard calendar``: the working-day calendar and the office's corrections."""

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
        from calendar import monthrange

        return date(year, month, 1), date(year, month, monthrange(year, month)[1])
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


def _office(obj: CliContext) -> int | None:
    from coordboard.services.permissions import authorize

    actor = obj.actor()
    authorize(actor, "manage_calendar")
    return actor.user_id


@calendar.command("unset")
@click.argument("day", metavar="YYYY-MM-DD")
@click.pass_obj
def unset_day(obj: CliContext, day: str) -> None:
    """Remove a mistaken correction for one day (the statutory calendar applies again)."""
    from coordboard.cli.parsing import parse_date
    from coordboard.services.workdays import unset_override

    actor_id = _office(obj)
    parsed = parse_date(day, "DAY")
    assert parsed is not None
    with obj.database().write() as session:
        removed = unset_override(session, day=parsed, actor_id=actor_id)
    click.echo(t("cli.calendar_unset" if removed else "cli.calendar_unset_none", day=day))


@calendar.command("confirm")
@click.argument("year", type=int)
@click.pass_obj
def confirm(obj: CliContext, year: int) -> None:
    """Confirm YEAR's schedule as official, once its State Council notice is entered."""
    from coordboard.services.workdays import confirm_year

    actor_id = _office(obj)
    with obj.database().write() as session:
        confirm_year(session, year=year, actor_id=actor_id)
    click.echo(t("cli.calendar_confirmed", year=year))


@calendar.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.pass_obj
def import_file(obj: CliContext, path: str) -> None:
    """Enter a year's notice from a CSV (day,workday|holiday,note) or TOML file, and confirm it."""
    from pathlib import Path

    from coordboard.services.workdays import import_schedule, parse_schedule

    actor_id = _office(obj)
    source = Path(path)
    rows = parse_schedule(source.read_text(encoding="utf-8"), source.suffix)
    with obj.database().write() as session:
        count = import_schedule(session, rows=rows, actor_id=actor_id)
    click.echo(t("cli.calendar_imported", count=count, year=rows[0][0].year))


@calendar.command("recount")
@click.argument("year", type=int)
@click.option("--apply", "apply_it", is_flag=True, help="Update the deadlines (without it: a preview).")
@click.pass_obj
def recount(obj: CliContext, year: int, apply_it: bool) -> None:
    """Count working-day deadlines reaching into YEAR again on the calendar as it now is."""
    from coordboard.services.tasks import recount_deadlines

    actor_id = _office(obj)
    with obj.database().write() as session:
        found = recount_deadlines(session, year=year, actor_id=actor_id, settings=obj.settings,
                                  apply=apply_it)
    if not found:
        click.echo(t("cli.recount_none", year=year))
        return
    click.echo(render_table(
        [t("cli.col.code"), t("cli.col.title"), t("cli.col.deadline"), t("cli.col.new_deadline"),
         t("cli.col.extended")],
        [[r.code, r.title, r.old.isoformat(), r.new.isoformat(), t("cli.yes" if r.extended
                                                                   else "cli.no")]
         for r in found]))
    kept = sum(1 for r in found if r.extended)
    click.echo(t("cli.recount_done", count=len(found) - kept, kept=kept) if apply_it
               else t("cli.recount_preview", count=len(found)))


@calendar.command("affected")
@click.argument("year", type=int)
@click.pass_obj
def affected(obj: CliContext, year: int) -> None:
    """Dispatched tasks whose working-day deadlines reach into YEAR (to review once it is official)."""
    from coordboard.services.workdays import affected_tasks

    with obj.database().read() as session:
        rows = affected_tasks(session, year)
    click.echo(render_table([t("cli.col.code"), t("cli.col.title"), t("cli.col.deadline")],
                            [[code, title, deadline.isoformat()] for code, title, deadline in rows]))
