"""The audit chain's secret keys: one per database, kept in a file outside every database.

Someone who can write to the database (a DBA, anyone holding the SQLite file) can
recompute a plain SHA-256 chain after editing it; they cannot recompute an HMAC
without this file. The file maps a database's instance id (``app_meta`` row
``instance``) to its key, so one file serves the live office database, the demo and
a copy under test. It is created readable by its owner only (0600) and rewritten
atomically (temporary file in the same folder, then rename).

Keys are read once per process and cached; ``clear_cache()`` is for tests that
take a key away.
"""

import contextlib
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from coordboard import paths
from coordboard.errors import DomainError
from coordboard.files import failure_reason

FORMAT = 1
_cache: dict[str, bytes] = {}


def key_file_path() -> Path:
    """The setting ``audit_key_file``, or ``audit.key`` in the data directory."""
    from coordboard.config import load_settings

    configured = load_settings().audit_key_file
    return Path(configured).expanduser() if configured else paths.data_dir() / "audit.key"


def clear_cache() -> None:
    _cache.clear()


def mac(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def _read(path: Path) -> dict[str, dict[str, Any]]:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise DomainError("error.audit_key_file", path=str(path),
                          detail=failure_reason(exc, reading=True)) from None
    try:
        data = json.loads(raw)
        keys = data["keys"]
        assert isinstance(keys, dict)
        for entry in keys.values():
            bytes.fromhex(entry["key"])
    except (ValueError, KeyError, TypeError, AssertionError):
        raise DomainError("error.audit_key_damaged", path=str(path)) from None
    return keys


def _write(path: Path, keys: dict[str, dict[str, Any]]) -> None:
    text = json.dumps({"format": FORMAT, "keys": keys}, ensure_ascii=False, indent=1)
    temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(temp, 0o600)  # O_CREAT's mode is only used for a new file
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise DomainError("error.audit_key_file", path=str(path),
                          detail=failure_reason(exc)) from None


def lookup(instance: str) -> bytes | None:
    """The key of one database, or None if this PC's key file does not hold it."""
    if instance in _cache:
        return _cache[instance]
    entry = _read(key_file_path()).get(instance)
    if entry is None:
        return None
    _cache[instance] = bytes.fromhex(entry["key"])
    return _cache[instance]


def instances_for(database: str) -> list[str]:
    """Instance ids this key file has keyed at this database address (to spot a lost identity)."""
    return [instance for instance, entry in _read(key_file_path()).items()
            if entry.get("database") == database]


def create(instance: str, database: str) -> bytes:
    """A new random key for a database seen for the first time; saved before it is used."""
    key = secrets.token_bytes(32)
    path = key_file_path()
    keys = _read(path)
    keys[instance] = {"key": key.hex(), "database": database}
    _write(path, keys)
    _cache[instance] = key
    return key


def export_entry(instance: str) -> str:
    """One database's key as a line of JSON, to carry to another PC or server."""
    key = lookup(instance)
    if key is None:
        raise DomainError("error.audit_key_missing", instance=instance, path=str(key_file_path()))
    return json.dumps({"instance": instance, "key": key.hex()})


def import_entry(text: str) -> str:
    """Install an exported key into this PC's key file; returns the instance id."""
    try:
        data = json.loads(text)
        instance, key = str(data["instance"]), bytes.fromhex(data["key"])
    except (ValueError, KeyError, TypeError):
        raise DomainError("error.audit_key_import_format") from None
    path = key_file_path()
    keys = _read(path)
    known = keys.get(instance)
    if known is not None and bytes.fromhex(known["key"]) != key:
        raise DomainError("error.audit_key_conflict", instance=instance, path=str(path))
    keys[instance] = {"key": key.hex(), "database": (known or {}).get("database", "")}
    _write(path, keys)
    _cache[instance] = key
    return instance
