"""Writing the files people keep (bulletins, ledgers, score sheets) without ever
destroying the previous good one.

Every export goes through ``replacing(target)``: the writer fills a temporary file in
the target's own folder (same file system, so the final rename is atomic), the bytes
are flushed to disk (``fsync``), and only then is the temporary file renamed over the
target with ``os.replace``. A crash, a kill or a full disk at any moment leaves either
the old file or the new one, never half of either; a failed write removes its
temporary file. (A process killed with ``kill -9`` cannot clean up: its temporary file,
named ``.<target>.<random>.tmp<suffix>``, stays beside the target; the target is intact,
and the next successful write of that target removes leftovers older than an hour.)
"""

import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _temporary(target: Path) -> Path:
    """A new, empty file next to ``target``, created with the usual permissions (umask)."""
    while True:
        candidate = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp{target.suffix}")
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return candidate


STALE_SECONDS = 3600


def _remove_stale(target: Path) -> None:
    """Temporary files an earlier, killed writer left beside ``target`` (older than an hour,
    so a writer still at work is never touched)."""
    cutoff = time.time() - STALE_SECONDS
    for leftover in target.parent.glob(f".{target.name}.*.tmp{target.suffix}"):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except OSError:  # gone already, or not ours to remove: harmless
            continue


def _sync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); folders cannot be opened on Windows."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on a clean exit it atomically becomes ``target``.

    The target's folder must exist (the caller decides whether to create it).
    """
    target = Path(target)
    temporary = _temporary(target)
    try:
        yield temporary
        _sync_file(temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    _remove_stale(target)


def write_bytes(target: Path, data: bytes) -> None:
    with replacing(target) as temporary:
        temporary.write_bytes(data)


def write_text(target: Path, text: str, *, encoding: str = "utf-8") -> None:
    """``text`` with ``\\n`` line ends exactly as given (no platform newline translation)."""
    write_bytes(target, text.encode(encoding))
