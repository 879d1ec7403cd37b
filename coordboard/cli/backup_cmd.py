"""``coordboard backup`` and ``coordboard restore``: a verified copy of the database, and back."""

from pathlib import Path

import click

from coordboard.cli.context import CliContext
from coordboard.i18n import t

FILE = click.Path(dir_okay=False, path_type=Path)


@click.command()
@click.argument("file", type=FILE, required=False)
@click.pass_obj
def backup(obj: CliContext, file: Path | None) -> None:
    """Copy the database while others keep working, and verify the copy.

    FILE defaults to <data dir>/backups/coordboard-YYYYMMDD-HHMMSS.db (.dump on PostgreSQL).
    """
    from coordboard.services.backup import backup as make_backup

    actor = obj.actor()
    result = make_backup(obj.database(), actor=actor, target=file,
                         timezone=obj.settings.timezone)
    click.echo(t("cli.backup_done", path=str(result.path), events=result.events))


@click.command()
@click.argument("file", type=FILE)
@click.pass_obj
def restore(obj: CliContext, file: Path) -> None:
    """Replace the (SQLite) database by a verified backup; the current one is kept beside it."""
    from coordboard.services.backup import restore as restore_from

    actor = obj.actor()
    result = restore_from(obj.database(), file, actor=actor, timezone=obj.settings.timezone)
    click.echo(t("cli.restore_done", kept=str(result.kept), events=result.events))
