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

import errno
import os
import re
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


# ".<target>.<8 hex>.tmp<suffix>", or with a part's name before ".tmp" (ledger_xlsx.scratch)
_OUR_TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{8}(\.[a-z0-9]+)?\.tmp(\.[A-Za-z0-9]+)?$")


def remove_stale_temporaries(folder: Path) -> None:
    """Every temporary file a killed writer left in ``folder``, whatever its target (older
    than an hour). For coordboard's own exports folder, whose files get new names each
    time, so that ``replacing``'s clean-up by target name never meets them."""
    cutoff = time.time() - STALE_SECONDS
    try:
        leftovers = [p for p in folder.iterdir() if _OUR_TEMPORARY.match(p.name)]
    except OSError:
        return
    for leftover in leftovers:
        try:
            if leftover.is_file() and leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except OSError:
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


def _place(temporary: Path, target: Path) -> None:
    """Give ``temporary`` the name ``target`` only if nothing has it (FileExistsError
    otherwise): a hard link cannot replace a file, so a file made meanwhile is never lost.
    A file system without hard links gets a check, then the rename."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError:
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.replace(temporary, target)
        return
    temporary.unlink()


@contextmanager
def replacing(target: Path, *, overwrite: bool = True) -> Iterator[Path]:
    """Yield a temporary path to write; on a clean exit it atomically becomes ``target``.

    The target's folder must exist (the caller decides whether to create it). With
    ``overwrite=False`` an existing target is kept and FileExistsError raised.
    """
    target = Path(target)
    temporary = _temporary(target)
    try:
        yield temporary
        _sync_file(temporary)
        if overwrite:
            os.replace(temporary, target)
        else:
            _place(temporary, target)
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


# Names Windows keeps for devices, whatever the extension ("CON", "aux.txt", "COM1.log").
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
             *(f"LPT{i}" for i in range(10)), "COM\u00b9", "COM\u00b2", "COM\u00b3",
             "LPT\u00b9", "LPT\u00b2", "LPT\u00b3", "CONIN$", "CONOUT$"}
# Path separators and the characters Windows refuses in a name.
_FORBIDDEN = set('/\\<>:"|?*')
NAME_BYTES = 200  # under every file system's 255-byte limit, with room for a suffix


def _safe_char(ch: str) -> str:
    code = ord(ch)
    if ch in _FORBIDDEN or code < 0x20 or 0x7F <= code < 0xA0:
        return "_"
    if code in (0x200E, 0x200F, 0x061C, 0x2028, 0x2029) or 0x202A <= code <= 0x202E \
            or 0x2066 <= code <= 0x2069 or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
        return "_"  # direction marks, separators, surrogates: invisible or unencodable
    return ch


def safe_file_name(name: str, *, fallback: str) -> str:
    """A name any of the office's file systems accepts and no one misreads, for saving a
    file whose name came from someone else: one name (no folders, no ``..``), no control
    or direction characters, nothing Windows refuses or keeps for devices, no trailing dot
    or space, at most ``NAME_BYTES`` bytes of UTF-8 with its extension kept. ``fallback``
    when nothing usable is left."""
    cleaned = "".join(_safe_char(ch) for ch in name).strip(" .")
    if not cleaned.strip("_ ."):
        cleaned = fallback
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot or not stem or len(suffix.encode("utf-8")) > 20:
        stem, suffix = cleaned, ""
    if stem.split(".")[0].strip(" ").upper() in _RESERVED:
        stem = "_" + stem
    ending = f".{suffix}" if suffix else ""
    room = NAME_BYTES - len(ending.encode("utf-8"))
    while len(stem.encode("utf-8")) > room:
        stem = stem[:-1]
    return (stem.rstrip(" .") or fallback) + ending


# --- a write that failed, in the user's words -----------------------------------------

# By name: not every platform's errno has every code (Windows lacks some POSIX ones).
_REASONS = {getattr(errno, name): kind for name, kind in (
    ("EACCES", "denied"), ("EPERM", "denied"), ("EEXIST", "not_dir"), ("ENOTDIR", "not_dir"),
    ("ENOENT", "missing"), ("ENOSPC", "full"), ("EDQUOT", "full"), ("EROFS", "read_only"),
    ("ENAMETOOLONG", "too_long"), ("EBUSY", "busy"), ("ETXTBSY", "busy"), ("EISDIR", "is_dir"),
) if hasattr(errno, name)}
_WINDOWS_BUSY = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: open in Excel, say


_READ_KINDS = {"denied", "missing", "is_dir"}  # said otherwise of a file being read


def failure_reason(exc: OSError, *, reading: bool = False) -> str:
    """Why ``exc`` happened, in plain words in the interface language (the system's own,
    "Permission denied", only for a cause no rule names)."""
    from coordboard.i18n import t

    if getattr(exc, "winerror", None) in _WINDOWS_BUSY:
        kind = "busy"
    else:
        kind = _REASONS.get(exc.errno or 0, "other")
    if kind == "missing" and not reading and exc.filename and _folder_is_there(exc.filename):
        kind = "no_new_files"  # /proc, a mount that refuses new files: the folder is there
    area = "file_read_reason" if reading and kind in _READ_KINDS else "file_reason"
    return t(f"error.{area}.{kind}", detail=exc.strerror or str(exc))


def _folder_is_there(filename: str | bytes) -> bool:
    try:
        return Path(os.fsdecode(filename)).parent.is_dir()
    except (OSError, ValueError):
        return False


def write_failure(exc: OSError) -> str:
    """``exc`` (from writing a file) as one sentence in the interface language: the file
    the user named (not the temporary file ``replacing`` was filling) and why."""
    from coordboard.i18n import t

    reason = failure_reason(exc)
    if not exc.filename:
        return t("error.file_write_here", reason=reason)
    return t("error.file_write", path=str(target_of(Path(os.fsdecode(exc.filename)))),
             reason=reason)


def target_of(path: Path) -> Path:
    """The file ``replacing`` writes when ``path`` is its temporary file, else ``path``."""
    name = path.name
    if name.startswith("."):
        stem, dot, rest = name[1:].rpartition(".tmp")
        head, _, token = stem.rpartition(".")
        if dot and head and len(token) == 8 and rest == path.suffix:
            return path.with_name(head)
    return path
