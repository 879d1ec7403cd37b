"""``coordboard serve``: the same interface in a browser, through textual-serve.

Each browser connection starts its own ``coordboard`` process (``browser_session``), which
logs in as whoever types their name and password there. The server process holds the
database settings and hands them to each session in its environment (not on its command
line, where ``ps`` would show a password to every local user); browser users reach only the
interface, never the database. It binds to 127.0.0.1 unless told otherwise: for a LAN, put
it behind a reverse proxy with TLS and give the proxy's address as ``--public-url``.
"""

import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import click

from coordboard.cli.context import CliContext
from coordboard.config import load_settings
from coordboard.i18n import get_language, t

PAGE = Path(__file__).with_name("web")


def session_command() -> str:
    """The shell command textual-serve runs per browser connection: this Python, this
    coordboard (``PYTHONPATH`` is inherited), no secrets in the arguments."""
    argv = [sys.executable, "-m", "coordboard.cli.browser_session"]
    return subprocess.list2cmdline(argv) if os.name == "nt" else shlex.join(argv)


def session_environment(obj: CliContext, config: Path | None) -> dict[str, str]:
    """What a browser session needs to open the same database with the same settings."""
    env = {"COORDBOARD_DB_URL": obj.settings.database_url,
           "COORDBOARD_LANGUAGE": obj.settings.language}
    if config is not None:
        env["COORDBOARD_CONFIG"] = str(config)
    return env


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this computer only).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--public-url", metavar="URL",
              help="The address browsers use, when a reverse proxy stands in front.")
@click.option("--config", "config", type=click.Path(dir_okay=False, path_type=Path),
              help="Settings file for the sessions (default: the usual config.toml).")
@click.pass_obj
def serve(obj: CliContext, host: str, port: int, public_url: str | None,
          config: Path | None) -> None:
    """Serve the interface to browsers; each browser session logs in as its own user."""
    if config is not None:
        config = config.expanduser().resolve()
        os.environ["COORDBOARD_CONFIG"] = str(config)
        flags = {name: getattr(obj.settings, name) for name in ("db_url", "language")
                 if obj.settings.sources.get(name, "").startswith("--")}
        obj.settings = load_settings(**flags)
    # Reachable and at the current schema before the first browser connects: a wrong
    # setting is one clear message here, not a blank page per session.
    shown = obj.database().display_url
    obj.close()  # the server itself reads nothing; each session opens its own connections
    os.environ.update(session_environment(obj, config))
    server = _server(session_command(), host=host, port=port, public_url=public_url)
    click.echo(t("cli.serve_started", url=server.public_url, db=shown))
    server.serve()


def _server(command: str, **options: Any) -> Any:
    from textual_serve.server import Server

    class OfficeServer(Server):
        """textual-serve with coordboard's page: no public font host, our own words."""

        async def _make_app(self) -> Any:
            import aiohttp_jinja2

            app = await super()._make_app()
            aiohttp_jinja2.get_env(app).globals["text"] = {
                "lang": "zh-CN" if get_language() == "zh" else "en",
                "start": t("serve.page.start"), "restart": t("serve.page.restart"),
                "ended": t("serve.page.ended")}
            return app

        async def on_startup(self, app: Any) -> None:
            """No banner: the command has said where it serves."""

    return OfficeServer(command, title=t("tui.title"), templates_path=PAGE, **options)
