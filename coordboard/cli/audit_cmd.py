"""``coordboard audit``: check the hash chain."""

import click

from coordboard.cli.context import CliContext
from coordboard.errors import DomainError
from coordboard.i18n import t


@click.group()
def audit() -> None:
    """The tamper-evident audit trail."""


@audit.command()
@click.pass_obj
def verify(obj: CliContext) -> None:
    """Recompute the hash chain; exit 1 at the first edited or missing event."""
    from coordboard.services.audit import verify as do_verify

    with obj.database().read() as session:
        checked, bad = do_verify(session)
    if bad is not None:
        raise DomainError("error.audit_broken", event=bad, checked=checked)
    click.echo(t("cli.audit_ok", checked=checked))
