"""The database layer: SQLite settings, write transactions, clear errors for bad URLs."""

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from coordboard.db import Database, make_engine
from coordboard.enums import DepartmentKind
from coordboard.errors import DatabaseError
from coordboard.models import Department, TaskUnit
from coordboard.services import directory, tasks
from coordboard.services.tasks import UnitAssignment


def test_sqlite_pragmas(tmp_path: Path) -> None:
    db = Database.from_url(f"sqlite:///{tmp_path / 'x.db'}")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    db.dispose()


def test_sqlite_write_transaction_holds_the_write_lock_from_the_start(tmp_path: Path) -> None:
    """BEGIN IMMEDIATE: while one writer is open, another cannot even begin."""
    db = Database.from_url(f"sqlite:///{tmp_path / 'x.db'}")
    other = make_engine(f"sqlite:///{tmp_path / 'x.db'}", connect_args={"timeout": 0.1,
                                                                        "check_same_thread": False})
    with db.write() as session:
        session.execute(text("SELECT 1"))
        with other.connect() as conn:
            conn.exec_driver_sql("PRAGMA busy_timeout = 50")
            with pytest.raises(Exception, match="locked"):
                conn.exec_driver_sql("BEGIN IMMEDIATE")
    db.dispose()
    other.dispose()


@pytest.mark.parametrize(("url", "fragment"), [
    ("mysql://u@h/x", "不支持的数据库类型"),
    ("not a url", "格式不正确"),
    ("sqlite://", "内存数据库"),
])
def test_bad_urls_give_one_clear_sentence(url: str, fragment: str) -> None:
    with pytest.raises(DatabaseError) as caught:
        make_engine(url)
    assert fragment in str(caught.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_directory(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(DatabaseError, match="无法写入"):
        make_engine(f"sqlite:///{locked / 'sub' / 'x.db'}")


def test_missing_directory_under_a_file_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(DatabaseError, match="无法写入"):
        make_engine(f"sqlite:///{blocker / 'x.db'}")


def test_unreachable_server() -> None:
    db = Database.from_url("postgresql://nobody@127.0.0.1:1/nothing")
    with pytest.raises(DatabaseError, match="无法连接数据库"):
        db.check_connection()


def test_only_one_lead_unit_per_task(db: Database, frozen) -> None:
    with db.write() as session:
        a = directory.add_department(session, name="司法所", kind=DepartmentKind.STATION)
        b = directory.add_department(session, name="派出所", kind=DepartmentKind.STATION)
        task = tasks.register(session, actor_id=None, title="t", lead=UnitAssignment(a.id),
                              deadline=frozen.date().add(days=10), today=frozen.date())
        task_id, b_id = task.id, b.id
    with pytest.raises(Exception, match="(?i)unique"), db.write() as session:
        session.add(TaskUnit(task_id=task_id, department_id=b_id, role="lead"))
        session.flush()


def test_concurrent_registrations_get_distinct_codes(db: Database, frozen) -> None:
    with db.write() as session:
        lead = directory.add_department(session, name="综治中心").id
    codes: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def register() -> None:
        try:
            barrier.wait()
            for _ in range(5):
                with db.write() as session:
                    task = tasks.register(session, actor_id=None, title="并发", today=frozen.date(),
                                          lead=UnitAssignment(lead),
                                          deadline=frozen.date().add(days=5))
                    codes.append(task.code)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=register) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(codes) == [f"DB-2026-{n:03d}" for n in range(1, 21)]
    with db.read() as session:
        assert session.execute(text("SELECT count(*) FROM department")).scalar() == 1
        assert session.get(Department, lead) is not None


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A listener that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_a_server_that_never_answers_is_given_up_on(silent_server: int, tmp_path: Path) -> None:
    """Rule: connecting has a time limit (db_connect_timeout) and then says so in one sentence
    (issue 10 item 6; it used to hang for ever)."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1]),
           "COORDBOARD_DB_CONNECT_TIMEOUT": "2"}
    run = subprocess.run(
        [sys.executable, "-m", "coordboard", "--db",
         f"postgresql://nobody@127.0.0.1:{silent_server}/nothing", "task", "list"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert run.stderr.startswith("无法连接数据库") and "Traceback" not in run.stderr


def test_postgresql_statements_have_a_time_limit(db: Database) -> None:
    if db.backend != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "30s"
    quick = Database.from_url(db.engine.url.render_as_string(hide_password=False),
                              statement_timeout=1)
    with pytest.raises(OperationalError, match="statement timeout"), quick.read() as session:
        session.execute(text("SELECT pg_sleep(5)"))
    quick.dispose()
