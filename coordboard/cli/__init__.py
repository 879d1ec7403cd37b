"""The ``coordboard`` command. Headless commands never import Textual."""

import functools
import sys
from typing import Any

import click

from coordboard import __version__
from coordboard.cli.context import CliContext
from coordboard.cli.output import say
from coordboard.config import load_settings
from coordboard.db import OperationalError, SQLAlchemyError
from coordboard.errors import CoordboardError, DatabaseError
from coordboard.i18n import set_language


class CoordboardGroup(click.Group):
    """Turns domain errors into one clear sentence and exit code 1 (click keeps 2 for usage)."""

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        from coordboard.cli.parsing import decode_arguments

        try:
            args = decode_arguments(list(sys.argv[1:] if args is None else args))
        except CoordboardError as exc:
            say(str(exc), err=True)
            sys.exit(1)
        return super().main(args, *rest, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CoordboardError as exc:
            say(str(exc), err=True)
            ctx.exit(1)
        except OperationalError as exc:
            from coordboard.db import first_line

            obj = ctx.find_object(CliContext)
            url = obj.settings.database_url if obj is not None else ""
            say(str(DatabaseError("error.db_unreachable", url=url, detail=first_line(exc))),
                err=True)
            ctx.exit(1)
        except SQLAlchemyError as exc:
            # Anything else the database refused (e.g. a constraint hit by a concurrent
            # writer): nothing was committed; say so in one sentence, not a traceback.
            from coordboard.db import first_line

            say(str(DatabaseError("error.db_refused", detail=first_line(exc))), err=True)
            ctx.exit(1)
        finally:
            obj = ctx.find_object(CliContext)
            if obj is not None:
                obj.close()


@click.group(cls=CoordboardGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_url", metavar="URL",
              help="Database URL (default: a SQLite file in the user data directory).")
@click.option("--lang", "language", type=click.Choice(["zh", "en"]), help="Interface language.")
@click.version_option(__version__, "-V", "--version", prog_name="coordboard")
@click.pass_context
def main(ctx: click.Context, db_url: str | None, language: str | None) -> None:
    """coordboard: interdepartmental coordination task board (督办协同看板).

    Run without a command to open the terminal interface.
    """
    try:
        settings = load_settings(db_url=db_url, language=language)
    except CoordboardError as exc:
        say(str(exc), err=True)
        ctx.exit(1)
    set_language(settings.language)
    ctx.obj = CliContext(settings)
    if ctx.invoked_subcommand is None:
        from coordboard.cli.app import open_tui

        open_tui(ctx.obj)


# Commands anyone may run; every other command needs a logged-in user (issue 9.8).
PUBLIC = {("login",), ("logout",), ("init",), ("demo",), ("db",), ("config", "show")}


def _require_login(command: click.Command, path: tuple[str, ...]) -> None:
    """Wrap every non-public command so that it first asks for the logged-in user.

    ``--help`` still works: click answers it before a command's callback runs."""
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            _require_login(sub, (*path, name))
        return
    if any(path[:len(public)] == public for public in PUBLIC) or command.callback is None:
        return
    callback = command.callback

    @functools.wraps(callback)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        obj = click.get_current_context().find_object(CliContext)
        assert obj is not None
        obj.actor()
        return callback(*args, **kwargs)

    command.callback = guarded


def _register() -> None:
    from coordboard.cli import (
        admin_cmd,
        app,
        audit_cmd,
        auth_cmd,
        backup_cmd,
        calendar_cmd,
        config_cmd,
        db_cmd,
        import_cmd,
        report_cmd,
        review_cmd,
        task_cmd,
    )

    main.add_command(auth_cmd.login)
    main.add_command(auth_cmd.logout)
    main.add_command(task_cmd.task)
    main.add_command(review_cmd.review)
    main.add_command(report_cmd.report)
    main.add_command(audit_cmd.audit)
    main.add_command(admin_cmd.dept)
    main.add_command(admin_cmd.user)
    main.add_command(calendar_cmd.calendar)
    main.add_command(db_cmd.db)
    main.add_command(config_cmd.config)
    main.add_command(app.init)
    main.add_command(app.demo)
    main.add_command(backup_cmd.backup)
    main.add_command(backup_cmd.restore)
    main.add_command(import_cmd.import_group)
    for name, command in main.commands.items():
        _require_login(command, (name,))


_register()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
