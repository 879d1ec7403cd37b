"""Opening a database (issue 10 items 2 and 9): first opens at once, empty and foreign files.

Rules: eight processes opening one empty database at the same moment all succeed
(the first migration is serialised, the others wait); the writability probe never
races; a 0-byte file, a foreign database and a file that is not SQLite are refused
with one clear sentence and left alone, except that ``init`` may initialise a
0-byte file.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from coordboard.cli import main
from coordboard.db import Database
from coordboard.errors import DatabaseError
from coordboard.migrate import current_revision, ensure_schema, head_revision

OPENER = """
import sys, time
from coordboard.db import Database
from coordboard.errors import CoordboardError
from coordboard.migrate import ensure_schema
start = float(sys.argv[2])
time.sleep(max(0.0, start - time.time()))
try:
    db = Database.from_url(sys.argv[1])
    db.check_connection()
    ensure_schema(db)
    db.dispose()
except CoordboardError as exc:
    print("FAIL", exc)
    sys.exit(1)
"""


def _open_at_once(url: str, tmp_path: Path, processes: int = 8) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    start = time.time() + 3.0  # every process has imported coordboard by then
    runs = [subprocess.Popen([sys.executable, "-c", OPENER, url, str(start)], env=env,
                             cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True) for _ in range(processes)]
    return [out for run in runs if (out := run.communicate(timeout=120)[0]) or run.returncode]


def test_eight_first_opens_of_an_empty_database_all_succeed(empty_db_url: str,
                                                            tmp_path: Path) -> None:
    assert _open_at_once(empty_db_url, tmp_path) == []
    db = Database.from_url(empty_db_url)
    assert current_revision(db) == head_revision()
    db.dispose()


def test_eight_first_opens_in_one_folder_never_say_not_writable(tmp_path: Path) -> None:
    """Each open of a new file probes the folder; the probes must not collide."""
    import threading

    from coordboard.db import _prepare_sqlite_file, parse_url

    failures: list[Exception] = []

    def probe(n: int) -> None:
        for i in range(50):
            try:
                _prepare_sqlite_file(parse_url(f"sqlite:///{tmp_path / f'p{n}-{i}.db'}"))
            except DatabaseError as exc:
                failures.append(exc)

    threads = [threading.Thread(target=probe, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_a_zero_byte_file_is_refused_except_by_init(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    db = Database.from_url(f"sqlite:///{path}")
    with pytest.raises(DatabaseError, match="空文件"):
        ensure_schema(db)
    db.dispose()
    assert path.stat().st_size == 0
    url = f"sqlite:///{path}"
    refused = CliRunner().invoke(main, ["--db", url, "task", "list"])
    assert refused.exit_code == 1 and "coordboard init" in refused.output
    assert path.stat().st_size == 0
    done = CliRunner().invoke(main, ["--db", url, "init"])
    assert done.exit_code == 0, done.output
    db = Database.from_url(url)
    assert current_revision(db) == head_revision()
    db.dispose()


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("这不是数据库\n" * 100, encoding="utf-8")
    before = path.read_bytes()
    for args in (["task", "list"], ["init"]):
        result = CliRunner().invoke(main, ["--db", f"sqlite:///{path}", *args])
        assert result.exit_code == 1 and "不是 SQLite 数据库" in result.output, result.output
    assert path.read_bytes() == before


def test_a_foreign_database_is_refused_and_left_alone(empty_db_url: str) -> None:
    db = Database.from_url(empty_db_url)
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    for allow_empty in (False, True):
        with pytest.raises(DatabaseError, match="invoices"):
            ensure_schema(db, initialise_empty=allow_empty)
    assert current_revision(db) is None
    db.dispose()


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Callable[[Path], Path]]:
    """A function putting a file (with its -wal and -shm files, if any) into a folder that
    cannot be written to, returning its new path: a folder without write permission, or
    (root writes anywhere) a read-only mount."""
    folder = tmp_path / "ro"
    folder.mkdir()
    mounted = False

    def put(file: Path) -> Path:
        nonlocal mounted
        files = [f for f in (file, Path(f"{file}-wal"), Path(f"{file}-shm")) if f.exists()]
        if os.geteuid() != 0:
            for f in files:
                shutil.copy(f, folder)
            folder.chmod(0o500)
        else:
            mount = subprocess.run(["mount", "-t", "tmpfs", "none", str(folder)],
                                   capture_output=True)
            if mount.returncode:
                pytest.skip("root, and no read-only mount can be made here")
            mounted = True
            for f in files:
                shutil.copy(f, folder)
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        with pytest.raises(OSError):
            (folder / "probe").touch()
        return folder / file.name

    yield put
    if mounted:  # lazily: a connection a failed test left open would keep it busy
        subprocess.run(["umount", "-l", str(folder)], check=True)
    folder.chmod(0o700)


def _made(file: Path, journal: str) -> Path:
    db = Database.from_url(f"sqlite:///{file}")
    ensure_schema(db)
    db.dispose()
    connection = sqlite3.connect(file)
    try:
        assert connection.execute(f"PRAGMA journal_mode = {journal}").fetchone()[0] == \
            journal.lower()
    finally:
        connection.close()
    return file


@pytest.mark.parametrize("journal", ["WAL", "DELETE"])
def test_a_database_in_a_read_only_folder_is_refused_with_what_to_do(
        tmp_path: Path, read_only_folder: Callable[[Path], Path], journal: str) -> None:
    """Every connection puts the file in WAL mode, whose -wal and -shm files SQLite makes
    beside it: in a read-only folder SQLite said only "unable to open database file" (or,
    for a file another tool left in rollback-journal mode, "attempt to write a readonly
    database")."""
    file = read_only_folder(_made(tmp_path / "x.db", journal))
    with pytest.raises(DatabaseError) as refused:
        Database.from_url(f"sqlite:///{file}")
    assert str(refused.value) == (
        f"无法打开数据库 {file}：所在文件夹 {file.parent} 不可写入。SQLite 需要在数据库旁边建立"
        " -wal 和 -shm 文件；请把数据库复制到可写的文件夹后用 --db 指定，或请管理员开放该文件夹的写权限。")
    shown = CliRunner().invoke(main, ["--db", str(file), "task", "list"])
    assert shown.exit_code == 1 and "不可写入" in shown.output and "Traceback" not in shown.output


def test_a_new_database_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    """Created under a private name and linked into place, but not private: 0666 less umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    db = Database.from_url(f"sqlite:///{tmp_path / 'new.db'}")
    db.dispose()
    assert (tmp_path / "new.db").stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["new.db"]


def test_a_read_only_folder_with_saved_work_in_its_wal_file_says_to_copy_it_too(
        tmp_path: Path, read_only_folder: Callable[[Path], Path]) -> None:
    """The trial followed the advice, copied the database alone, and lost a committed change
    still in its -wal file. With -wal there, the sentence names both files to copy."""
    made = _made(tmp_path / "x.db", "WAL")
    holder = sqlite3.connect(made)  # open while copied: the change stays in the -wal file
    try:
        holder.execute("PRAGMA wal_autocheckpoint = 0")
        holder.execute("INSERT INTO calendar_override (day, is_workday, note)"
                       " VALUES ('2027-01-02', 1, 'WAL里的修改')")
        holder.commit()
        file = read_only_folder(made)
    finally:
        holder.close()
    with pytest.raises(DatabaseError) as refused:
        Database.from_url(f"sqlite:///{file}")
    assert "x.db-wal" in str(refused.value) and "一起复制" in str(refused.value)
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("x.db", "x.db-wal", "x.db-shm"):
        shutil.copy(file.parent / name, copy)
    db = Database.from_url(f"sqlite:///{copy / 'x.db'}")  # the advice followed: nothing lost
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql(
            "SELECT count(*) FROM calendar_override WHERE note = 'WAL里的修改'").scalar() == 1
    db.dispose()
