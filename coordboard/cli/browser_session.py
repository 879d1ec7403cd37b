"""One browser session of ``coordboard serve``: the interface on textual-serve's web driver.

textual-serve starts this module once per browser connection, with the server's database
settings in the environment. The session never resumes or keeps a login of the server's
account (``CoordboardApp(served=True)``): whoever sits at the browser logs in as themselves.
"""

import sys

from coordboard.cli.context import CliContext
from coordboard.config import load_settings
from coordboard.errors import CoordboardError
from coordboard.i18n import set_language


def main() -> int:
    from coordboard.cli.output import say

    try:
        settings = load_settings()
        set_language(settings.language)
        obj = CliContext(settings)
        db = obj.database()
    except CoordboardError as exc:
        say(str(exc), err=True)
        return 1
    from coordboard.tui.app import make_app
    from coordboard.tui.crash import write_report

    app = make_app(settings, db, served=True)
    try:
        app.run()
    finally:
        obj.close()
    if app.crash is not None:
        try:
            write_report(app.crash)
        except OSError:
            pass  # nowhere to write it; the browser shows the session ended
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
