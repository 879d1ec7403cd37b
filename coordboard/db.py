"""Engines and sessions. Nothing here runs at import time.

SQLite: WAL, foreign keys, a busy timeout, and write transactions that begin
IMMEDIATE. With the driver's default deferred BEGIN two writers lose updates
or hit "database is locked" (measured in shared/FACTS.md); IMMEDIATE makes the
second writer wait for the first instead.
"""

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError as SAOperationalError
from sqlmodel import Session

from coordboard.errors import DatabaseError
from coordboard.files import failure_reason

SQLITE_BUSY_TIMEOUT_MS = 10_000
CONNECT_TIMEOUT_S = 5  # defaults of Settings.db_connect_timeout / db_statement_timeout
STATEMENT_TIMEOUT_S = 30
SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def parse_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise DatabaseError("error.db_url_malformed", url=url) from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise DatabaseError(
            "error.db_url_scheme", scheme=parsed.drivername, supported=", ".join(SUPPORTED_BACKENDS)
        )
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def sqlite_path(url: URL) -> Path | None:
    """The file a SQLite URL names, or None (not SQLite, or not a plain file)."""
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:") \
            or database.startswith("file:"):
        return None
    return Path(database).expanduser().resolve()


# Written into the header of every SQLite file coordboard creates ("cord").
SQLITE_APPLICATION_ID = 0x636F7264


def _prepare_sqlite_file(url: URL) -> None:
    """Create a new database file whole, or leave an existing one alone.

    A new file is made as a valid, empty SQLite database under a name of its own in
    the same folder and then linked into place: no other process ever sees a
    half-made (0-byte) file, which it would rightly refuse, and processes creating
    files in one folder at once do not trip over a shared probe file and report a
    writable folder as not writable. An existing database must be in a folder this
    user can write to (``_check_folder_writable`` says why).
    """
    path = sqlite_path(url)
    if path is None:
        return
    if path.exists():
        _check_folder_writable(path)
        return
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # A name of its own, and the permissions SQLite would give (0666 less the umask).
        staged = str(folder / f".{path.name}-{uuid.uuid4().hex}.new")
        os.close(os.open(staged, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except OSError as exc:
        raise DatabaseError("error.db_dir_unwritable", path=str(folder),
                            detail=failure_reason(exc)) from None
    try:
        connection = sqlite3.connect(staged)
        try:
            connection.execute(f"PRAGMA application_id = {SQLITE_APPLICATION_ID}")
            connection.commit()
        finally:
            connection.close()
        os.link(staged, path)
    except FileExistsError:
        pass  # another process created it a moment ago: open theirs
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseError("error.db_dir_unwritable", path=str(folder), detail=str(exc)) from None
    finally:
        Path(staged).unlink(missing_ok=True)


def _check_folder_writable(path: Path) -> None:
    """Every connection puts the file in WAL mode, and SQLite keeps a WAL database's
    ``-wal`` and ``-shm`` files beside it: in a folder it cannot write to (a read-only share,
    a CD, a folder of someone else's) SQLite said only "unable to open database file" (or,
    for a file another tool left in rollback-journal mode, "attempt to write a readonly
    database").
    Unless both files are already there and writable, say what is wrong and what to do.
    (``os.access`` on a Windows folder only reports its read-only attribute: there SQLite's
    own error remains.)"""
    folder = path.parent
    if os.access(folder, os.W_OK):
        return
    beside = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    if all(file.exists() and os.access(file, os.W_OK) for file in beside):
        return
    if beside[0].exists():  # committed work may be there still: copied alone, it is lost
        raise DatabaseError("error.db_folder_read_only_wal", path=str(path), folder=str(folder),
                            wal=beside[0].name, shm=beside[1].name)
    raise DatabaseError("error.db_folder_read_only", path=str(path), folder=str(folder))


def _install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin hook, not the driver, decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, *, connect_timeout: int = CONNECT_TIMEOUT_S,
                statement_timeout: int = STATEMENT_TIMEOUT_S, **kwargs: Any) -> Engine:
    """An engine for a SQLite file or a PostgreSQL server; raises DatabaseError on a bad URL.

    PostgreSQL: a connection attempt gives up after ``connect_timeout`` seconds (a
    server that accepts and never answers used to hang the command for ever) and
    each statement after ``statement_timeout`` seconds (0: no limit; migrations lift
    it for their own transaction).
    """
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        if (parsed.database or ":memory:") == ":memory:":
            # Every pooled connection would see its own empty database.
            raise DatabaseError("error.db_memory")
        _prepare_sqlite_file(parsed)
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        engine = create_engine(parsed, **kwargs)
        _install_sqlite_hooks(engine)
        return engine
    from coordboard.models import postgresql_partial_indexes

    postgresql_partial_indexes()
    connect_args = {"connect_timeout": max(1, connect_timeout),
                    "options": f"-c statement_timeout={max(0, statement_timeout) * 1000}",
                    **kwargs.pop("connect_args", {})}
    try:
        return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args, **kwargs)
    except NoSuchModuleError:
        raise DatabaseError("error.db_driver_missing", scheme=parsed.drivername) from None
    except ModuleNotFoundError:
        raise DatabaseError("error.db_driver_missing", scheme=parsed.drivername) from None


class Database:
    """One engine, and sessions for reading and for writing."""

    def __init__(self, engine: Engine, *, file_was_empty: bool = False) -> None:
        self.engine = engine
        self._write_engine = engine.execution_options(sqlite_begin="IMMEDIATE")
        # A SQLite file that existed with 0 bytes before we opened it: not a database
        # anyone made with coordboard, so it is only initialised when asked (``init``).
        self.file_was_empty = file_was_empty

    @classmethod
    def from_url(cls, url: str, *, connect_timeout: int = CONNECT_TIMEOUT_S,
                 statement_timeout: int = STATEMENT_TIMEOUT_S) -> "Database":
        path = sqlite_path(parse_url(url))
        empty = path is not None and path.is_file() and path.stat().st_size == 0
        engine = make_engine(url, connect_timeout=connect_timeout,
                             statement_timeout=statement_timeout)
        return cls(engine, file_was_empty=empty)

    @property
    def write_engine(self) -> Engine:
        """The engine whose transactions take the write lock at once (SQLite: IMMEDIATE)."""
        return self._write_engine

    @property
    def sqlite_file(self) -> Path | None:
        return sqlite_path(self.engine.url)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @property
    def display_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any error."""
        with Session(self._write_engine, expire_on_commit=False) as session, session.begin():
            yield session

    def check_connection(self) -> None:
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except SADatabaseError as exc:
            raise opening_error(self, exc) from None

    def dispose(self) -> None:
        self.engine.dispose()


def opening_error(db: Database, exc: SADatabaseError) -> DatabaseError:
    """One sentence for a database that cannot be opened: not a SQLite file, or unreachable."""
    if db.sqlite_file is not None and "not a database" in str(exc.orig or exc):
        return DatabaseError("error.db_not_database", path=str(db.sqlite_file))
    if isinstance(exc, SAOperationalError):
        return DatabaseError("error.db_unreachable", url=db.display_url, detail=first_line(exc))
    return DatabaseError("error.db_refused", detail=first_line(exc))


def first_line(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    return str(original).strip().splitlines()[0] if str(original).strip() else type(exc).__name__


# Front ends catch database failures by these names (they import no SQLAlchemy themselves:
# the import contracts in pyproject.toml).
OperationalError = SAOperationalError
__all__ = ["Database", "OperationalError", "SQLAlchemyError", "first_line", "make_engine", "parse_url"]
