"""Shared fixtures: every data-layer test runs on a SQLite file and on a real PostgreSQL server."""

import os
import shutil
import sys
from collections.abc import Iterator
from itertools import count
from pathlib import Path

import pendulum
import pytest
from hypothesis import Phase
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

sys.path.insert(0, str(Path(__file__).parent))

from pg_server import PgServer, find_pg_bin  # noqa: E402

from coordboard.config import Settings  # noqa: E402
from coordboard.db import Database  # noqa: E402
from coordboard.i18n import set_language  # noqa: E402
from coordboard.migrate import ensure_schema  # noqa: E402

# Property and state-machine tests: a fast, repeatable profile for CI (the default) and a
# long one for a developer's machine: HYPOTHESIS_PROFILE=dev. CI does not shrink a failing
# example (each step writes to a database: minutes); rerun with the dev profile to shrink it.
hypothesis_settings.register_profile("ci", max_examples=25, stateful_step_count=25, deadline=None,
                                     derandomize=True, print_blob=True,
                                     phases=[Phase.explicit, Phase.reuse, Phase.generate])
hypothesis_settings.register_profile("dev", max_examples=400, stateful_step_count=60,
                                     deadline=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REQUIRE_PG = os.environ.get("COORDBOARD_REQUIRE_POSTGRES") == "1"
FROZEN_NOW = pendulum.datetime(2026, 11, 25, 9, 30, tz="Asia/Shanghai")
_names = count()


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reads or writes the developer's real config or data."""
    for name in list(os.environ):
        if name.startswith("COORDBOARD_") and name not in (
            "COORDBOARD_REQUIRE_POSTGRES", "COORDBOARD_PG_BIN"
        ):
            monkeypatch.delenv(name)
    monkeypatch.setenv("COORDBOARD_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("COORDBOARD_DATA_DIR", str(tmp_path / "data"))
    set_language("zh")
    yield
    set_language("zh")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer | None]:
    bin_dir = find_pg_bin()
    if bin_dir is None:
        if REQUIRE_PG:
            pytest.exit("PostgreSQL binaries not found but COORDBOARD_REQUIRE_POSTGRES=1", 3)
        yield None
        return
    server = PgServer(bin_dir)
    server.start()
    admin = create_engine(server.url("postgres"), poolclass=NullPool,
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        server.version = int(conn.execute(text("SHOW server_version_num")).scalar_one())
        conn.execute(text("CREATE DATABASE coordboard_template"))
    template = Database.from_url(server.url("coordboard_template"))
    ensure_schema(template)
    template.dispose()
    server.admin = admin  # type: ignore[attr-defined]
    try:
        yield server
    finally:
        admin.dispose()
        server.stop()


@pytest.fixture(scope="session")
def demo_town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo town made and logged into as the office once per test process by the real
    commands (``demo``, ``login``: ~9 s); tests take copies (``copy_of_demo_town``)."""
    from tests.test_cli_review import demo_town_made_by_the_command

    return demo_town_made_by_the_command(tmp_path_factory.mktemp("demo-town")).db.parent


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = Database.from_url(f"sqlite:///{path}")
    ensure_schema(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


def _fresh_url(backend: str, tmp_path: Path, pg_server: PgServer | None,
               sqlite_template: Path) -> str:
    if backend == "sqlite":
        target = tmp_path / f"test-{next(_names)}.db"
        shutil.copy(sqlite_template, target)
        return f"sqlite:///{target}"
    if pg_server is None:
        pytest.skip("PostgreSQL binaries not found (set COORDBOARD_PG_BIN); PostgreSQL case skipped")
    name = f"t{os.getpid()}_{next(_names)}"
    with pg_server.admin.connect() as conn:  # type: ignore[attr-defined]
        pg_server.clone(conn, name)
    return pg_server.url(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated, empty database URL on each backend."""
    pg = request.getfixturevalue("pg_server") if request.param == "postgresql" else None
    return _fresh_url(request.param, tmp_path, pg, sqlite_template)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database.from_url(db_url)
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An unmigrated, empty database on each backend (for migration tests)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / f'empty-{next(_names)}.db'}"
    pg = request.getfixturevalue("pg_server")
    if pg is None:
        pytest.skip("PostgreSQL binaries not found (set COORDBOARD_PG_BIN); PostgreSQL case skipped")
    name = f"e{os.getpid()}_{next(_names)}"
    with pg.admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return str(pg.url(name))


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def frozen() -> Iterator[pendulum.DateTime]:
    with pendulum.travel_to(FROZEN_NOW, freeze=True):
        yield FROZEN_NOW


@pytest.fixture
def demo_file(tmp_path: Path, frozen) -> Database:
    """The demo town on a SQLite file, loaded at the frozen instant."""
    from coordboard.paths import seeds_dir
    from coordboard.services.demo import load_demo

    db = Database.from_url(f"sqlite:///{tmp_path / 'demo.db'}")
    ensure_schema(db)
    load_demo(db, Settings(), seeds_dir() / "demo.toml")
    return db


# The demo town built once per test session and copied for each test that uses it
# (loading it costs about a second on a quiet machine; a copy a few milliseconds).
@pytest.fixture(scope="session")
def demo_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo town on a SQLite file, loaded at the frozen instant of ``conftest``."""
    from coordboard import audit_key
    from coordboard.paths import seeds_dir
    from coordboard.services.demo import load_demo

    path = tmp_path_factory.mktemp("demo-once") / "demo.db"
    with pendulum.travel_to(FROZEN_NOW, freeze=True):
        db = Database.from_url(f"sqlite:///{path}")
        ensure_schema(db)
        load_demo(db, Settings(), seeds_dir() / "demo.toml")
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.dispose()
    # Its audit key, made in the data folder of whichever test first asked for the town:
    # every copy carries it to its own test's folder (the process's key cache is cleared by
    # the tests that switch folders, and a copy without its key could not be written to).
    shutil.copy(audit_key.key_file_path(), path.with_suffix(".key"))
    return path


@pytest.fixture
def demo_copy(demo_once: Path, tmp_path: Path, frozen) -> Iterator[Database]:
    """A fresh copy of the session's demo town, for one test to change as it likes."""
    from coordboard import audit_key

    target = tmp_path / "demo.db"
    shutil.copy(demo_once, target)
    key_file = audit_key.key_file_path()
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(demo_once.with_suffix(".key"), key_file)
    db = Database.from_url(f"sqlite:///{target}")
    yield db
    db.dispose()
