"""``coordboard audit``: check the keyed hash chain, print its anchor, carry its key."""

from pathlib import Path
from typing import TextIO

import click

from coordboard.cli.context import CliContext
from coordboard.errors import DomainError
from coordboard.i18n import t


@click.group()
def audit() -> None:
    """The tamper-evident audit trail."""


@audit.command()
@click.option("--anchor", "anchor_source", metavar="FILE|BULLETIN",
              help="Check the chain against an anchor without the key: a bulletin file "
                   "(DOCX, Markdown, text) or the number of a closed review.")
@click.pass_obj
def verify(obj: CliContext, anchor_source: str | None) -> None:
    """Check the chain, its key signatures and every task; exit 1 at the first bad event."""
    from coordboard.services import audit as service

    with obj.database().read() as session:
        anchor_at = None
        if anchor_source is not None:
            path = Path(anchor_source)
            if path.exists() or not anchor_source.isdigit():
                anchor_at = service.read_anchor(path)
            else:
                anchor_at = service.review_anchor(session, int(anchor_source))
        report = service.verify(session, anchor_at=anchor_at)
    if report.problem is not None:
        raise DomainError(report.problem, **report.params)
    if anchor_at is not None:
        click.echo(t("cli.audit_ok_anchor", length=anchor_at[0], checked=report.checked,
                     tasks=report.tasks))
    elif report.keyed:
        click.echo(t("cli.audit_ok_keyed", checked=report.checked, tasks=report.tasks))
    else:
        click.echo(t("cli.audit_ok", checked=report.checked))


@audit.command()
@click.pass_obj
def anchor(obj: CliContext) -> None:
    """Print the chain's length and head hash, the line a bulletin carries."""
    from coordboard.services import audit as service

    with obj.database().read() as session:
        click.echo(service.anchor_line(*service.anchor(session)))


@audit.group()
def key() -> None:
    """Carry this database's audit key to another PC or server."""


@key.command("export")
@click.pass_obj
def export_key(obj: CliContext) -> None:
    """Print this database's key (keep the output as secret as a password)."""
    from coordboard import audit_key
    from coordboard.services import audit as service

    with obj.database().write() as session:
        instance = service.ensure_keyed(session)
    click.echo(audit_key.export_entry(instance))


@key.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
def import_key(file: TextIO) -> None:
    """Install a key exported on another PC (FILE, or - for standard input)."""
    from coordboard import audit_key

    instance = audit_key.import_entry(file.read())
    click.echo(t("cli.audit_key_imported", instance=instance, path=audit_key.key_file_path()))
