"""The login token file: one token per database URL, readable by the user alone."""

import json
import os
from pathlib import Path

from coordboard import paths


def token_file() -> Path:
    return paths.data_dir() / "session.json"


def _read() -> dict[str, str]:
    try:
        data = json.loads(token_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _usable(token: object) -> bool:
    # Tokens we write are URL-safe ASCII; anything else in the file (a number, a list,
    # non-ASCII text from a hand edit) is no login, never a crash.
    return (isinstance(token, str) and 0 < len(token) <= 256 and token.isascii()
            and token.isprintable())


def load(db_url: str) -> str | None:
    token = _read().get(db_url)
    return token if _usable(token) else None


def save(db_url: str, token: str | None) -> None:
    data = _read()
    if token is None:
        data.pop(db_url, None)
    else:
        data[db_url] = token
    path = token_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Create with owner-only permissions before writing the secret (no-op on Windows ACLs).
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    os.chmod(path, 0o600)
