"""``coordboard db``: schema migrations."""

import click

from coordboard.cli.context import CliContext
from coordboard.i18n import t


@click.group()
def db() -> None:
    """Database schema: show or upgrade the revision."""


@db.command()
@click.pass_obj
def upgrade(obj: CliContext) -> None:
    """Bring the database to the latest schema."""
    from coordboard.migrate import ensure_schema

    revision = ensure_schema(obj.database(migrate=False))
    click.echo(t("cli.db_upgraded", revision=revision))


@db.command()
@click.pass_obj
def current(obj: CliContext) -> None:
    """Show the database's schema revision and the latest one."""
    from coordboard.migrate import current_revision, head_revision

    revision = current_revision(obj.database(migrate=False))
    click.echo(t("cli.db_current", current=revision or t("cli.db_none"), head=head_revision()))
