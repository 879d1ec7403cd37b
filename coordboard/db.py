"""Engines and sessions. Nothing here runs at import time.

SQLite: WAL, foreign keys, a busy timeout, and write transactions that begin
IMMEDIATE. With the driver's default deferred BEGIN two writers lose updates
or hit "database is locked" (measured in shared/FACTS.md); IMMEDIATE makes the
second writer wait for the first instead.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.exc import OperationalError as SAOperationalError
from sqlmodel import Session

from coordboard.errors import DatabaseError

SQLITE_BUSY_TIMEOUT_MS = 10_000
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


def _prepare_sqlite_file(url: URL) -> None:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return
    folder = Path(database).expanduser().resolve().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError("error.db_dir_unwritable", path=str(folder), detail=exc.strerror) from None
    probe = folder / ".coordboard-write-test"
    try:
        probe.touch()
        probe.unlink()
    except OSError as exc:
        raise DatabaseError("error.db_dir_unwritable", path=str(folder), detail=exc.strerror) from None


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


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for a SQLite file or a PostgreSQL server; raises DatabaseError on a bad URL."""
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
    try:
        return create_engine(parsed, pool_pre_ping=True, **kwargs)
    except NoSuchModuleError:
        raise DatabaseError("error.db_driver_missing", scheme=parsed.drivername) from None
    except ModuleNotFoundError:
        raise DatabaseError("error.db_driver_missing", scheme=parsed.drivername) from None


class Database:
    """One engine, and sessions for reading and for writing."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._write_engine = engine.execution_options(sqlite_begin="IMMEDIATE")

    @classmethod
    def from_url(cls, url: str) -> "Database":
        return cls(make_engine(url))

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
        except SAOperationalError as exc:
            raise DatabaseError(
                "error.db_unreachable", url=self.display_url, detail=first_line(exc)
            ) from None

    def dispose(self) -> None:
        self.engine.dispose()


def first_line(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    return str(original).strip().splitlines()[0] if str(original).strip() else type(exc).__name__
