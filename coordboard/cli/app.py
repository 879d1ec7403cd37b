"""Commands that create a database or open the interface."""

import os
import sys
from pathlib import Path

import click

from coordboard import paths
from coordboard.cli.context import CliContext
from coordboard.config import database_url
from coordboard.errors import CoordboardError
from coordboard.i18n import t


@click.command()
@click.pass_obj
def init(obj: CliContext) -> None:
    """Create (or upgrade) the database schema (also in an existing 0-byte file), and its
    audit key."""
    from coordboard.services.audit import ensure_keyed

    db = obj.database(initialise_empty=True)
    with db.write() as session:
        ensure_keyed(session)
    click.echo(t("cli.init_done", url=db.display_url))


@click.command()
@click.option("--db", "path", type=click.Path(dir_okay=False, path_type=Path),
              help="SQLite file for the demo (default: demo.db in the user data directory).")
@click.option("--force", is_flag=True, help="Replace an existing demo database.")
@click.option("--no-open", is_flag=True, help="Create the demo database without opening the interface.")
@click.pass_obj
def demo(obj: CliContext, path: Path | None, force: bool, no_open: bool) -> None:
    """Create a fresh demo database from seeds/demo.toml and open it."""
    from coordboard.services.demo import load_demo

    given = click.get_current_context().find_root().params.get("db_url")
    target = path or (_sqlite_file(given) if given else paths.data_dir() / "demo.db")
    if target.exists():
        # Someone may have worked in the demo for a week: it is replaced only when asked
        # (--force, or a yes at a terminal), the default file as much as a named one.
        if not force and not _confirmed(t("cli.demo_replace", path=target)):
            raise CoordboardError("error.demo_exists", path=str(target))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    obj.settings.db_url = f"sqlite:///{target.resolve().as_posix()}"
    summary = load_demo(obj.database(), obj.settings, paths.seeds_dir() / "demo.toml")
    click.echo(t("cli.demo_done", path=target, departments=summary.departments,
                 users=summary.users, tasks=summary.tasks))
    click.echo(t("cli.demo_login", users=", ".join(summary.usernames), password=summary.password))
    if not no_open:
        open_tui(obj)


def _sqlite_file(value: str) -> Path:
    """The file named by ``coordboard --db VALUE demo``: the demo is built there, never in
    the default file; a server's database is not the demo's to fill."""
    url = database_url(value)
    file = url.removeprefix(SQLITE_FILE).partition("?")[0]
    if not url.startswith(SQLITE_FILE) or file in ("", ":memory:"):  # a memory database keeps nothing
        raise CoordboardError("error.demo_sqlite_only")
    return Path(file)


SQLITE_FILE = "sqlite:///"


def _confirmed(question: str) -> bool:
    """A yes at an interactive terminal; never a yes when no one can answer."""
    if not sys.stdin.isatty():
        return False
    return click.confirm(question, default=False)


def open_tui(obj: CliContext) -> None:
    """Run the interface. A crash exits 1 after the terminal is restored, with a report in
    the data directory and one sentence saying where (never a traceback on screen)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise CoordboardError("error.no_terminal")
    import io

    from rich.console import Console

    from coordboard.tui import paste
    from coordboard.tui.app import make_app
    from coordboard.tui.crash import write_report

    paste.install()  # a paste holding an ESC arrives whole and in order
    app = make_app(obj.settings, obj.database())
    # Textual prints its traceback (with local variables) through this console after the
    # terminal is restored; the report on disk replaces it.
    app.error_console = Console(file=io.StringIO(), markup=False, highlight=False)
    # Textual asks shutil for the size, which believes COLUMNS and LINES over the terminal:
    # inherited from a parent (a shell that exports them, a Python launcher with readline),
    # they froze the app at that size, and it never followed a resize.
    os.environ.pop("COLUMNS", None)
    os.environ.pop("LINES", None)
    app.run()
    if app.crash is None and not app.return_code:
        return
    if app.crash is None:
        app.crash = RuntimeError(f"the interface ended with return code {app.return_code}")
    try:
        report = write_report(app.crash)
    except OSError as exc:
        raise CoordboardError("tui.crash.unwritable", detail=str(exc)) from exc
    raise CoordboardError("tui.crash.report", path=str(report))
