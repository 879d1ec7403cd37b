"""The ``coordboard`` command. Headless commands never import Textual, and ``--version`` and
``--help`` import no database layer (SQLAlchemy is loaded by the first command that needs it)."""

import functools
import sys
from collections.abc import Iterator
from typing import Any

import click

from coordboard import __version__
from coordboard.cli.context import CliContext
from coordboard.cli.lang import HELP_OPTION_NAMES, prepare, summary, translate_help
from coordboard.cli.output import say
from coordboard.config import load_settings
from coordboard.errors import CoordboardError, DatabaseError
from coordboard.i18n import set_language, t


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

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            translate_help(command, (cmd_name,))
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the catalogue, without importing every command's module."""
        from coordboard.cli.click_text import gettext

        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        # click shortens a command's help to its first sentence; asked of a stand-in.
        rows = [(name, click.Command(name, help=t(f"cli.help.{name}"),
                                     short_help=summary(t(f"cli.help.{name}"))).get_short_help_str(limit))
                for name in self.list_commands(ctx)]
        with formatter.section(gettext("Commands")):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CoordboardError as exc:
            say(str(exc), err=True)
            ctx.exit(1)
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):  # the reader of a pipe left: nothing to say
                raise
            from coordboard.files import write_failure

            say(write_failure(exc), err=True)  # a report's folder read-only, a disk full…
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
        return
    _stop_like_ctrl_c()


def _stop_like_ctrl_c() -> None:
    """A command ended by ``kill`` or by its terminal closing stops as Ctrl+C stops it:
    its half-written file removed, its helper process ended ("已取消。", exit 1). The
    default for these signals ends the process where it stands, leaving them behind."""
    import signal

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), interrupt)


def _print_version(ctx: click.Context) -> None:
    """click's own version option words its line when the module is imported, before the
    language is known; this one words it when asked."""
    from coordboard.cli.click_text import gettext

    click.echo(gettext("%(prog)s, version %(version)s") % {"prog": "coordboard",
                                                           "version": __version__})
    ctx.exit()


# Commands anyone may run; every other command needs a logged-in user (issue 9.8).
# ``notify run`` and ``recur run`` are started by a scheduler, which has no login
# (cli/notify_cmd.py, cli/recur_cmd.py); ``serve``
# neither: each browser session logs in as its own user (the server's account need not).
PUBLIC = {("login",), ("logout",), ("init",), ("demo",), ("db",), ("config", "show"),
          ("notify", "run"), ("recur", "run"), ("serve",)}


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


# Each command's module, imported when the command is first named or listed: ``--version``
# imports none, ``--help`` lists them from the catalogue, ``task list`` imports task_cmd only.
COMMANDS = {
    "login": ("auth_cmd", "login"), "logout": ("auth_cmd", "logout"),
    "task": ("task_cmd", "task"), "review": ("review_cmd", "review"),
    "report": ("report_cmd", "report"), "audit": ("audit_cmd", "audit"),
    "dept": ("admin_cmd", "dept"), "user": ("admin_cmd", "user"),
    "calendar": ("calendar_cmd", "calendar"), "db": ("db_cmd", "db"),
    "config": ("config_cmd", "config"), "init": ("app", "init"), "demo": ("app", "demo"),
    "backup": ("backup_cmd", "backup"), "restore": ("backup_cmd", "restore"),
    "import": ("import_cmd", "import_group"), "notify": ("notify_cmd", "notify"),
    "serve": ("serve_cmd", "serve"), "recur": ("recur_cmd", "recur"),
    "category": ("category_cmd", "category"),
}


class _Commands(dict[str, click.Command]):
    """The group's commands, each module imported when its command is first looked up
    (all of them when the commands are listed or walked)."""

    def _load(self, name: object) -> None:
        if isinstance(name, str) and name in COMMANDS and not super().__contains__(name):
            import importlib

            module, attr = COMMANDS[name]
            command = getattr(importlib.import_module(f"coordboard.cli.{module}"), attr)
            _require_login(command, (name,))
            super().__setitem__(name, command)

    def _load_all(self) -> None:
        for name in COMMANDS:
            self._load(name)

    def __getitem__(self, name: str) -> click.Command:
        self._load(name)
        return super().__getitem__(name)

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS or super().__contains__(name)

    def __iter__(self) -> Iterator[str]:
        self._load_all()
        return super().__iter__()

    def __len__(self) -> int:
        self._load_all()
        return super().__len__()

    def get(self, name: str, default: Any = None) -> Any:
        self._load(name)
        return super().get(name, default)

    def keys(self) -> Any:
        self._load_all()
        return super().keys()

    def values(self) -> Any:
        self._load_all()
        return super().values()

    def items(self) -> Any:
        self._load_all()
        return super().items()


main.commands = _Commands()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
