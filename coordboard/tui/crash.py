"""What happens when the interface meets a bug: a report on disk, one sentence on screen.

Textual ends the app on an unhandled exception (``App.return_code`` becomes 1) and by
default prints a traceback with every local variable (a password typed a moment ago
among them) to the terminal. coordboard instead keeps the exception, writes a report
without locals to the data directory, and the command says where it is and exits 1.
"""

import platform
import sys
import traceback
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from coordboard import __version__, paths


def _version_of(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


def report_text(error: BaseException, when: datetime) -> str:
    lines = [
        f"coordboard crash report, {when.isoformat(timespec='seconds')}",
        f"coordboard {__version__}",
        f"Python {sys.version.split()[0]} ({platform.python_implementation()})",
        f"Textual {_version_of('textual')}, Rich {_version_of('rich')}",
        f"Platform {platform.platform()}",
        "",
        "".join(traceback.format_exception(error)).rstrip(),
        "",
    ]
    return "\n".join(lines)


def write_report(error: BaseException, when: datetime | None = None) -> Path:
    """``<data dir>/crash-YYYYMMDD-HHMMSS.txt``; a second crash in the same second gets a suffix."""
    when = when or datetime.now().astimezone()
    folder = paths.data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"crash-{when:%Y%m%d-%H%M%S}"
    target = folder / f"{stem}.txt"
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{stem}-{number}.txt"
    target.write_text(report_text(error, when), encoding="utf-8")
    return target
