"""``coordboard login`` / ``logout``."""

import sys

import click

from coordboard import token_store
from coordboard.cli.context import CliContext
from coordboard.i18n import t


@click.command()
@click.option("-u", "--user", "username", prompt=True, help="Username.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_obj
def login(obj: CliContext, username: str, password_stdin: bool) -> None:
    """Log in; the session token is kept in a file only you can read."""
    from coordboard import paths
    from coordboard.services.auth import AuthError
    from coordboard.services.auth import login as do_login

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(t("cli.password"), hide_input=True)
    database = obj.database()
    try:
        token, actor = do_login(database, username=username, password=password,
                                settings=obj.settings)
    except AuthError as error:
        demo = paths.data_dir() / "demo.db"
        if error.key == "error.login_no_users" and demo.exists() and \
                (database.sqlite_file is None or database.sqlite_file.resolve() != demo.resolve()):
            # After `coordboard demo`, the demo town is not the default database.
            raise AuthError("error.login_no_users_demo", demo=str(demo)) from None
        raise
    token_store.save(obj.settings.database_url, token)
    click.echo(t("cli.logged_in", username=actor.username, role=t(f"role.{actor.role}")))


@click.command()
@click.pass_obj
def logout(obj: CliContext) -> None:
    """Log out of the configured database."""
    from coordboard.services.auth import logout as do_logout

    token = token_store.load(obj.settings.database_url)
    if token:
        with obj.database().write() as session:
            do_logout(session, token)
    token_store.save(obj.settings.database_url, None)
    click.echo(t("cli.logged_out"))
