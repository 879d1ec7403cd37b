"""``coordboard config``: the effective settings and where each came from."""

import click

from coordboard import paths
from coordboard.cli.context import CliContext
from coordboard.i18n import t


@click.group()
def config() -> None:
    """Configuration."""


@config.command()
@click.pass_obj
def show(obj: CliContext) -> None:
    """Print every effective setting and its source (default, file, environment, flag)."""
    click.echo(t("cli.config_header", path=paths.config_file()))
    for name, value, source in obj.settings.items():
        click.echo(t("cli.config_row", name=name, value=value, source=source))
