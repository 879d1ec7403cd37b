"""``coordboard import ledger``: bring the office's Excel ledger (台账) in, all or nothing."""

from pathlib import Path
from typing import TYPE_CHECKING

import click

from coordboard.cli.context import CliContext
from coordboard.errors import DomainError
from coordboard.i18n import listing, t

if TYPE_CHECKING:
    from coordboard.services.importer import Plan

# Task field → ledger column whose header names it in the plan.
FIELD_COLUMNS = {"title": "title", "leader": "leader", "leader_id": "leader", "description": "progress",
                 "source": "source", "deadline": "deadline"}


@click.group("import")
def import_group() -> None:
    """Import data kept elsewhere."""


@import_group.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and show the plan; write nothing.")
@click.option("--dispatch", "dispatch_new", is_flag=True, help="Dispatch the tasks it creates.")
@click.pass_obj
def ledger(obj: CliContext, file: Path, dry_run: bool, dispatch_new: bool) -> None:
    """Import a ledger (.xlsx, .xls or .csv): one task per row; re-importing updates them."""
    from coordboard.services import importer
    from coordboard.services.workdays import load_calendar

    actor = obj.actor()
    today = obj.today()
    db = obj.database()
    with (db.read() if dry_run else db.write()) as session:
        plan = importer.check(session, file, actor=actor, today=today, settings=obj.settings)
        if dry_run:
            _print_plan(plan)
        for warning in plan.warnings:
            click.echo(importer.describe(warning), err=True)
        for year in importer.estimated_deadline_years(session, plan):
            click.echo(t("cli.calendar_unofficial", year=year), err=True)
        for error in plan.errors:
            click.echo(importer.describe(error), err=True)
        if dry_run:
            click.echo(t("cli.import_checked", created=len(plan.creates),
                         updated=len(plan.updates), unchanged=plan.unchanged,
                         errors=len(plan.errors)))
        if plan.errors:
            raise DomainError("error.import_has_errors", count=len(plan.errors))
        if dry_run:
            return
        result = importer.apply(session, plan, actor=actor, today=today, dispatch=dispatch_new,
                                calendar=load_calendar(session) if dispatch_new else None)
    click.echo(t("cli.import_done", created=len(result.created), updated=len(result.updated),
                 unchanged=result.unchanged))


def _print_plan(plan: "Plan") -> None:
    from coordboard.safe_text import visible

    names = {key: visible(name) for key, name in plan.unit_names.items()}
    for row in plan.creates:
        click.echo(t("cli.import_would_create", row=row.row, title=visible(row.title),
                     lead=names[row.lead],
                     support=listing(names[u] for u in row.supporters) or "—",
                     deadline=row.deadline.isoformat()))
    for row in plan.updates:
        fields = listing(plan.headers.get(FIELD_COLUMNS[name], name) for name in row.changes)
        click.echo(t("cli.import_would_update", row=row.row,
                     code=row.existing.code if row.existing else "", fields=fields))
