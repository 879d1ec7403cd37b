"""Backups that are consistent while others work, verified before they are trusted.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies the pages
of one read snapshot, so a writer in another process neither blocks it nor
tears it; the copy is then checked (``PRAGMA integrity_check``, the schema
revision, the audit chain) before it takes its final name.

PostgreSQL: ``pg_dump`` (custom format) from the server's bin directory or PATH.
The audit chain is verified inside a REPEATABLE READ transaction whose snapshot
``pg_dump --snapshot`` then dumps, so the chain checked is exactly the chain saved.

Restore (SQLite only) refuses a copy made by a newer coordboard or with a broken
chain, keeps the current file as ``<name>.before-restore-<stamp>``, and swaps the
new file in with one ``os.replace``.
"""

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pendulum
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlmodel import Session

from coordboard import clock, paths
from coordboard.db import Database
from coordboard.errors import DomainError
from coordboard.files import failure_reason
from coordboard.i18n import listing, t
from coordboard.models import AppMeta
from coordboard.services import audit, meta
from coordboard.services.permissions import Actor, PermissionDenied, allowed

LAST_BACKUP_KEY = "last_backup"


class BackupError(DomainError):
    key = "error.backup_failed"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    events: int  # audit events verified in the copy
    revision: str | None


@dataclass(frozen=True)
class LastBackup:
    at: datetime
    path: str


@dataclass(frozen=True)
class RestoreResult:
    kept: Path  # the database as it was before the restore
    events: int
    revision: str | None


def authorize_backup(actor: Actor) -> None:
    """The office or an admin may back up (existing grants: ``review`` or ``manage_users``)."""
    if allowed(actor, "review") or allowed(actor, "manage_users"):
        return
    raise PermissionDenied("error.permission", action=t("action.backup"),
                           role=t(f"role.{actor.role}"),
                           who=listing(t(f"role.{r}") for r in ("office", "admin")))


def authorize_restore(actor: Actor) -> None:
    """Replacing the whole database is for an admin only (the ``manage_users`` grant)."""
    if allowed(actor, "manage_users"):
        return
    raise PermissionDenied("error.permission", action=t("action.restore"),
                           role=t(f"role.{actor.role}"), who=t("role.admin"))


def stamp(timezone: str) -> str:
    return clock.now().in_timezone(timezone).format("YYYYMMDD-HHmmss")


def default_path(backend: str, timezone: str) -> Path:
    suffix = ".dump" if backend == "postgresql" else ".db"
    return paths.data_dir() / "backups" / f"coordboard-{stamp(timezone)}{suffix}"


def last_backup(session: Session) -> LastBackup | None:
    """When the last verified backup was made (for the office home), or None."""
    row = session.get(AppMeta, LAST_BACKUP_KEY)
    if row is None or "at" not in row.value:
        return None
    return LastBackup(pendulum.parse(str(row.value["at"])), str(row.value.get("path", "")))  # type: ignore[arg-type]


def _record(db: Database, actor_id: int | None, result: BackupResult) -> None:
    at = clock.now()
    with db.write() as session:
        meta.put(session, LAST_BACKUP_KEY, {"at": at.isoformat(), "path": str(result.path),
                                             "events": result.events})
        audit.record(session, actor_id=actor_id, entity="database", entity_id=0, action="backup",
                     after={"path": str(result.path), "events": result.events})


# ---------------------------------------------------------------- SQLite


def sqlite_file(db: Database) -> Path:
    return Path(db.engine.url.database or "").expanduser().resolve()


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from coordboard.migrate import alembic_config

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def check_sqlite_copy(path: Path) -> tuple[int, str | None]:
    """Integrity, schema revision and audit chain of a SQLite file; returns (events, revision)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            has_version = conn.execute("SELECT 1 FROM sqlite_master WHERE name='alembic_version'"
                                       ).fetchone()
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] \
                if has_version else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError("error.backup_not_sqlite", path=str(path), detail=str(exc)) from None
    if verdict != "ok":
        raise BackupError("error.backup_corrupt", path=str(path), detail=verdict)
    if revision is None:
        raise BackupError("error.backup_no_schema", path=str(path))
    if revision not in _known_revisions():
        raise BackupError("error.backup_newer", path=str(path), revision=revision)
    copy = Database.from_url(f"sqlite:///{path}")
    try:
        with copy.read() as session:
            report = audit.verify(session)
    finally:
        copy.dispose()
    if report.problem is not None:
        raise BackupError("error.backup_chain", path=str(path), event=report.bad_event or "—")
    return report.checked, revision


def _sqlite_backup(db: Database, target: Path) -> BackupResult:
    source = sqlite_file(db)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)
    try:
        try:
            dst = sqlite3.connect(partial)
        except sqlite3.OperationalError as exc:  # a folder it may not write, say
            raise BackupError("error.backup_unwritable", path=str(target.parent),
                              detail=str(exc)) from None
        try:
            src.backup(dst)  # one step: every page from one read snapshot
            dst.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
        except sqlite3.OperationalError as exc:  # the disk full, say
            failed: sqlite3.OperationalError | None = exc
        else:
            failed = None
        finally:
            dst.close()
    finally:
        src.close()
    if failed is not None:
        partial.unlink(missing_ok=True)
        raise BackupError("error.backup_unwritable", path=str(target.parent),
                          detail=str(failed)) from None
    try:
        events, revision = check_sqlite_copy(partial)
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)
    return BackupResult(target, events, revision)


# ------------------------------------------------------------ PostgreSQL


def find_pg_tool(name: str) -> Path | None:
    """A PostgreSQL client program: the configured bin dir, the newest server's, then PATH."""
    override = os.environ.get("COORDBOARD_PG_BIN")
    folders = [Path(override)] if override else []
    folders += sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
                      reverse=True)
    for folder in folders:
        if (folder / name).is_file():
            return folder / name
    found = shutil.which(name)
    return Path(found) if found else None


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password (that goes in PGPASSWORD, not on a command line)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _pg_backup(db: Database, target: Path) -> BackupResult:
    pg_dump = find_pg_tool("pg_dump")
    if pg_dump is None:
        raise BackupError("error.backup_no_pg_dump")
    uri, env = _libpq(db.engine.url)
    partial = target.with_name(target.name + ".partial")
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            with Session(bind=conn) as session:
                report = audit.verify(session)
            if report.problem is not None:
                raise BackupError("error.backup_chain", path=db.display_url,
                                  event=report.bad_event or "—")
            events = report.checked
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            done = subprocess.run(
                [str(pg_dump), "--format=custom", f"--snapshot={snapshot}",
                 f"--file={partial}", f"--dbname={uri}"],
                capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError("error.backup_pg_dump", detail=_first(done.stderr))
    pg_restore = find_pg_tool("pg_restore")
    if pg_restore is not None:  # the archive reads back whole
        listed = subprocess.run([str(pg_restore), "--list", str(partial)],
                                capture_output=True, text=True, check=False)
        if listed.returncode != 0 or "audit_event" not in listed.stdout:
            partial.unlink(missing_ok=True)
            raise BackupError("error.backup_corrupt", path=str(target),
                              detail=_first(listed.stderr))
    os.replace(partial, target)
    return BackupResult(target, events, revision)


def _first(output: str) -> str:
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return lines[0] if lines else "?"


# ------------------------------------------------------------- commands


def backup(db: Database, *, actor: Actor, target: Path | None = None,
           timezone: str = "Asia/Shanghai") -> BackupResult:
    """Copy, verify, then record when (an app_meta row and an audit event)."""
    authorize_backup(actor)
    target = (target or default_path(db.backend, timezone)).expanduser().resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError("error.backup_unwritable", path=str(target.parent),
                          detail=failure_reason(exc)) from None
    if target.exists():
        raise BackupError("error.backup_exists", path=str(target))
    if db.backend == "sqlite" and target == sqlite_file(db):
        raise BackupError("error.backup_exists", path=str(target))
    result = copy_database(db, target)
    _record(db, actor.user_id, result)
    return result


def copy_database(db: Database, target: Path) -> BackupResult:
    """The verified copy alone; it takes no write lock, so others keep working meanwhile."""
    return _pg_backup(db, target) if db.backend == "postgresql" else _sqlite_backup(db, target)


def restore(db: Database, source: Path, *, actor: Actor,
            timezone: str = "Asia/Shanghai") -> RestoreResult:
    """Replace a SQLite database by a verified backup, keeping the current one beside it."""
    authorize_restore(actor)
    if db.backend != "sqlite":
        raise BackupError("error.restore_sqlite_only")
    source = source.expanduser().resolve()
    if not source.is_file():
        raise BackupError("error.restore_missing", path=str(source))
    target = sqlite_file(db)
    db.dispose()  # no connection of ours may hold the file being replaced
    incoming = target.with_name(target.name + ".restore-partial")
    incoming.unlink(missing_ok=True)
    shutil.copyfile(source, incoming)
    try:
        events, revision = check_sqlite_copy(incoming)
    except BackupError:
        incoming.unlink(missing_ok=True)
        raise
    kept = target.with_name(f"{target.name}.before-restore-{stamp(timezone)}")
    live = sqlite3.connect(target, timeout=10)
    try:
        keep = sqlite3.connect(kept)
        try:
            live.backup(keep)
        finally:
            keep.close()
        # Fold the WAL into the file and leave WAL mode: a -wal file left beside the
        # restored database would be replayed onto it. This needs no other connection.
        live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = live.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.OperationalError as exc:
        incoming.unlink(missing_ok=True)
        kept.unlink(missing_ok=True)
        if exc.sqlite_errorname in ("SQLITE_BUSY", "SQLITE_LOCKED"):
            raise BackupError("error.restore_busy", path=str(target)) from None
        raise BackupError("error.restore_failed", path=str(target), detail=str(exc)) from None
    finally:
        live.close()
    if str(mode).lower() != "delete":  # another connection holds the file open
        incoming.unlink(missing_ok=True)
        kept.unlink(missing_ok=True)
        raise BackupError("error.restore_busy", path=str(target))
    os.replace(incoming, target)
    return RestoreResult(kept, events, revision)
