"""The ``coordboard`` command. Headless commands never import Textual, and ``--version`` and
``--help`` import no database layer (SQLAlchemy is loaded by the first command that needs it)."""

import functools
import sys
from collections.abc import Callable, Iterator
from typing import Any

import click

from coordboard import __version__
from coordboard.cli.context import CliContext
from coordboard.cli.lang import HELP_OPTION_NAMES, prepare
from coordboard.cli.output import say
from coordboard.config import load_settings
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
        prepare(self, args)
        return super().main(args, *rest, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CoordboardError as exc:
            say(str(exc), err=True)
            ctx.exit(1)
        except Exception as exc:
            refused = _database_refusal(ctx, exc)
            if refused is None:
                raise
            say(str(refused), err=True)
            ctx.exit(1)
        finally:
            obj = ctx.find_object(CliContext)
            if obj is not None:
                obj.close()


def _database_refusal(ctx: click.Context, exc: Exception) -> DatabaseError | None:
    """A database error as one sentence, or None for anything else. Only a command that
    opened a database can raise one, so SQLAlchemy is imported here, not at start."""
    if "sqlalchemy" not in sys.modules:
        return None
    from coordboard.db import OperationalError, SQLAlchemyError, first_line

    if isinstance(exc, OperationalError):
        obj = ctx.find_object(CliContext)
        url = obj.settings.database_url if obj is not None else ""
        return DatabaseError("error.db_unreachable", url=url, detail=first_line(exc))
    if isinstance(exc, SQLAlchemyError):
        # Anything else the database refused (e.g. a constraint hit by a concurrent
        # writer): nothing was committed; say so in one sentence, not a traceback.
        return DatabaseError("error.db_refused", detail=first_line(exc))
    return None


@click.group(cls=CoordboardGroup, invoke_without_command=True,
             context_settings={"help_option_names": HELP_OPTION_NAMES})
@click.option("--db", "db_url", metavar="PATH|URL",
              help="A SQLite file path or a database URL (default: a SQLite file in the user "
                   "data directory).")
@click.option("--lang", "language", type=click.Choice(["zh", "en"]), help="Interface language.")
@click.option("-V", "--version", is_flag=True, expose_value=False, is_eager=True,
              callback=lambda ctx, _param, value: _print_version(ctx) if value else None,
              help="Show the version and exit.")
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


def _print_version(ctx: click.Context) -> None:
    """click's own version option words its line when the module is imported, before the
    language is known; this one words it when asked."""
    from coordboard.cli.click_text import gettext

    click.echo(gettext("%(prog)s, version %(version)s") % {"prog": "coordboard",
                                                           "version": __version__})
    ctx.exit()


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


class _Commands(dict[str, click.Command]):
    """The group's commands, their modules imported when the commands are first looked at:
    ``coordboard --version`` answers without importing any (~25 ms of a ~190 ms start)."""

    def __init__(self, load: Callable[[], None]) -> None:
        super().__init__()
        self._load: Callable[[], None] | None = load

    def _loaded(self) -> None:
        if self._load is not None:
            load, self._load = self._load, None
            load()

    def __getitem__(self, name: str) -> click.Command:
        self._loaded()
        return super().__getitem__(name)

    def __contains__(self, name: object) -> bool:
        self._loaded()
        return super().__contains__(name)

    def __iter__(self) -> Iterator[str]:
        self._loaded()
        return super().__iter__()

    def __len__(self) -> int:
        self._loaded()
        return super().__len__()

    def get(self, name: str, default: Any = None) -> Any:
        self._loaded()
        return super().get(name, default)

    def keys(self) -> Any:
        self._loaded()
        return super().keys()

    def values(self) -> Any:
        self._loaded()
        return super().values()

    def items(self) -> Any:
        self._loaded()
        return super().items()


main.commands = _Commands(_register)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
