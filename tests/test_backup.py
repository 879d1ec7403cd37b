"""Backup and restore (issue 14 item 8): consistent while others write, verified, refused when wrong."""

import os
import sqlite3
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select
from test_cli_lifecycle import Cli

from coordboard.db import Database
from coordboard.enums import Role
from coordboard.errors import DomainError
from coordboard.migrate import ensure_schema
from coordboard.models import Task
from coordboard.services import backup, directory, tasks
from coordboard.services.permissions import Actor, PermissionDenied
from coordboard.services.tasks import UnitAssignment


def _town(db: Database) -> tuple[Actor, Actor, int]:
    with db.write() as session:
        unit = directory.add_department(session, name="司法所").id or 0
        office = directory.add_user(session, username="office", display_name="法治办",
                                    role=Role.OFFICE, password="secret123")
        head = directory.add_user(session, username="sfs", display_name="司法所", role=Role.HEAD,
                                  password="secret123", department_id=unit)
    return (Actor(office.id or 0, "office", Role.OFFICE, None),
            Actor(head.id or 0, "sfs", Role.HEAD, unit), unit)


def _add_task(db: Database, actor: Actor, unit: int, title: str) -> str:
    with db.write() as session:
        return tasks.register(session, actor_id=actor.user_id, title=title,
                              lead=UnitAssignment(unit), deadline=date(2027, 1, 1),
                              today=date(2026, 11, 25)).code


def _tamper(db: Database) -> None:
    with db.engine.begin() as conn:
        if db.backend == "sqlite":
            conn.execute(text("DROP TRIGGER audit_event_no_update"))
        else:
            conn.execute(text("DROP TRIGGER audit_event_append_only ON audit_event"))
        conn.execute(text("UPDATE audit_event SET action = 'forged' WHERE id = "
                          "(SELECT min(id) FROM audit_event)"))


def test_backup_is_consistent_while_a_writer_holds_a_transaction(db: Database, tmp_path: Path
                                                                 ) -> None:
    """Rule: the copy holds exactly the committed data, and others are not blocked."""
    office, _head, unit = _town(db)
    _add_task(db, office, unit, "已提交的事项")
    with db.write() as session:
        assert backup.last_backup(session) is None
    writer = db.engine.connect()
    try:
        trans = writer.begin()  # another user's write, open for the whole backup
        writer.execute(text("UPDATE department SET short_name = '未提交' WHERE id = :id"),
                       {"id": unit})
        suffix = ".dump" if db.backend == "postgresql" else ".db"
        result = backup.copy_database(db, tmp_path / f"copy{suffix}")
        trans.commit()
    finally:
        writer.close()
    backup.backup(db, actor=office, target=tmp_path / f"second{suffix}")
    writer = db.engine.connect()
    try:
        pass
    finally:
        writer.close()
    assert result.path.is_file() and result.events >= 4
    if db.backend == "sqlite":
        conn = sqlite3.connect(result.path)
        assert conn.execute("SELECT title FROM task").fetchall() == [("已提交的事项",)]
        assert conn.execute("SELECT short_name FROM department").fetchone() == ("司法所",)
        conn.close()
        assert backup.check_sqlite_copy(result.path)[0] == result.events
    else:
        listed = subprocess.run([str(backup.find_pg_tool("pg_restore")), "--list",
                                 str(result.path)], capture_output=True, text=True, check=True)
        assert "TABLE DATA public task" in listed.stdout
    with db.read() as session:
        last = backup.last_backup(session)
    assert last is not None and last.path == str(tmp_path / f"second{suffix}")


def test_default_name_is_in_the_data_dir(db: Database, tmp_path: Path, frozen) -> None:
    office, _head, _unit = _town(db)
    result = backup.backup(db, actor=office)
    suffix = ".dump" if db.backend == "postgresql" else ".db"
    assert result.path == tmp_path / "data" / "backups" / f"coordboard-20261125-093000{suffix}"
    with pytest.raises(DomainError, match="已存在"):
        backup.backup(db, actor=office)  # never overwrites


def test_only_office_or_admin_may_back_up_and_only_admin_restores(db: Database,
                                                                  tmp_path: Path) -> None:
    office, head, _unit = _town(db)
    with pytest.raises(PermissionDenied, match="无权备份数据库"):
        backup.backup(db, actor=head, target=tmp_path / "x.db")
    with pytest.raises(PermissionDenied, match="无权恢复数据库"):
        backup.restore(db, tmp_path / "x.db", actor=office)
    admin = Actor(99, "admin", Role.ADMIN, None)
    backup.authorize_backup(admin)
    backup.authorize_restore(admin)


def test_backup_refuses_a_broken_chain(db: Database, tmp_path: Path) -> None:
    office, _head, unit = _town(db)
    _add_task(db, office, unit, "事项")
    _tamper(db)
    with pytest.raises(DomainError, match="审计链"):
        backup.backup(db, actor=office, target=tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists() and not (tmp_path / "copy.db.partial").exists()


def test_pg_without_pg_dump_says_so(db: Database, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    if db.backend != "postgresql":
        pytest.skip("pg_dump is for PostgreSQL")
    office, _head, _unit = _town(db)
    monkeypatch.setattr(backup, "find_pg_tool", lambda name: None)
    with pytest.raises(DomainError, match="找不到pg_dump"):
        backup.backup(db, actor=office, target=tmp_path / "x.dump")


def test_restore_on_postgresql_is_refused(db: Database, tmp_path: Path) -> None:
    if db.backend != "postgresql":
        pytest.skip("SQLite restores")
    admin = Actor(1, "admin", Role.ADMIN, None)
    with pytest.raises(DomainError, match="pg_restore"):
        backup.restore(db, tmp_path / "x.db", actor=admin)


# ---------------------------------------------------------------- restore (SQLite)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Database:
    db = Database.from_url(f"sqlite:///{tmp_path / 'live.db'}")
    ensure_schema(db)
    return db


ADMIN = Actor(1, "admin", Role.ADMIN, None)


def test_restore_replaces_and_keeps_the_current_database(sqlite_db: Database,
                                                         tmp_path: Path) -> None:
    office, _head, unit = _town(sqlite_db)
    _add_task(sqlite_db, office, unit, "备份前")
    copy = backup.backup(sqlite_db, actor=office, target=tmp_path / "b.db").path
    _add_task(sqlite_db, office, unit, "备份后")
    result = backup.restore(sqlite_db, copy, actor=ADMIN)
    assert result.kept.name.startswith("live.db.before-restore-")
    with sqlite_db.read() as session:
        assert list(session.exec(select(Task.title)).all()) == ["备份前"]
    kept = sqlite3.connect(result.kept)
    assert kept.execute("SELECT count(*) FROM task").fetchone() == (2,)
    kept.close()
    assert not (tmp_path / "live.db-wal").exists() or (tmp_path / "live.db-wal").stat().st_size == 0


def _copy_with(sqlite_db: Database, tmp_path: Path, sql: str) -> Path:
    office, _head, unit = _town(sqlite_db)
    _add_task(sqlite_db, office, unit, "事项")
    copy = backup.backup(sqlite_db, actor=office, target=tmp_path / "b.db").path
    conn = sqlite3.connect(copy)
    conn.executescript(sql)
    conn.close()
    return copy


def test_restore_refuses_a_newer_schema(sqlite_db: Database, tmp_path: Path) -> None:
    copy = _copy_with(sqlite_db, tmp_path, "UPDATE alembic_version SET version_num = '9999';")
    with pytest.raises(DomainError, match="更新版本"):
        backup.restore(sqlite_db, copy, actor=ADMIN)
    with sqlite_db.read() as session:  # nothing was replaced
        assert len(session.exec(select(Task.id)).all()) == 1


def test_restore_refuses_a_broken_chain(sqlite_db: Database, tmp_path: Path) -> None:
    copy = _copy_with(sqlite_db, tmp_path, "DROP TRIGGER audit_event_no_delete;"
                      "DELETE FROM audit_event WHERE id = 2;")
    with pytest.raises(DomainError, match="审计链在第3条"):
        backup.restore(sqlite_db, copy, actor=ADMIN)


def test_restore_refuses_a_file_that_is_not_a_database(sqlite_db: Database,
                                                       tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(DomainError, match="不是可读的SQLite数据库"):
        backup.restore(sqlite_db, junk, actor=ADMIN)


# ---------------------------------------------------------------- the real command


def test_backup_and_restore_through_the_command(db_url: str, tmp_path: Path) -> None:
    db = Database.from_url(db_url)
    ensure_schema(db)
    office, _head, unit = _town(db)
    with db.write() as session:
        directory.add_user(session, username="admin", display_name="管理员", role=Role.ADMIN,
                           password="secret123")
    _add_task(db, office, unit, "事项")
    db.dispose()
    cli = Cli(db_url, tmp_path / "home")
    cli.login("sfs")
    refused = cli("backup", ok=False)
    assert refused.returncode == 1 and "无权" in refused.stderr and "Traceback" not in refused.stderr
    cli.login("office")
    done = cli("backup")
    assert "校验通过" in done.stdout
    # The commands share the test's data directory (conftest), where the audit key lives.
    made = sorted((Path(os.environ["COORDBOARD_DATA_DIR"]) / "backups").iterdir())
    assert len(made) == 1 and made[0].name.startswith("coordboard-")
    if db.backend == "postgresql":
        return
    cli.login("admin")
    restored = cli("restore", str(made[0]))
    assert "原数据库保留为" in restored.stdout
    cli.login("admin")  # the restored copy predates this login's session
    assert "哈希链无断点" in cli("audit", "verify").stdout


def test_restore_refuses_while_another_connection_holds_the_database(sqlite_db: Database,
                                                                     tmp_path: Path) -> None:
    """Rule: never swap a file another program has open (it would keep writing the old one)."""
    office, _head, unit = _town(sqlite_db)
    copy = backup.backup(sqlite_db, actor=office, target=tmp_path / "b.db").path
    other = sqlite3.connect(tmp_path / "live.db")
    other.execute("SELECT count(*) FROM task").fetchone()
    other.execute("BEGIN")
    other.execute("SELECT count(*) FROM task").fetchone()  # a reader in the middle of its work
    try:
        with pytest.raises(DomainError) as refused:
            backup.restore(sqlite_db, copy, actor=ADMIN)
    finally:
        other.close()
    # One sentence in the UI language: not SQLite's "(database is locked)" or "(wal)" after it.
    assert str(refused.value) == (f"数据库{tmp_path / 'live.db'}正被其他程序使用，请所有人退出后再恢复。")
    assert sorted(p.name for p in tmp_path.iterdir() if "restore" in p.name) == []


@pytest.mark.parametrize("refused_at", ["open", "copy"])
def test_a_folder_sqlite_cannot_write_is_one_sentence(sqlite_db: Database, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      refused_at: str) -> None:
    """Rule: SQLite refusing the copy (a read-only folder, a full disk: injected here, as
    root may write anywhere) is the backup's own error naming the folder, and no partial
    copy is left."""
    office, _head, _unit = _town(sqlite_db)
    real_connect = sqlite3.connect

    def connect(path, *args, **kwargs):  # noqa: ANN001, ANN202
        if str(path).endswith(".partial"):
            if refused_at == "open":
                raise sqlite3.OperationalError("unable to open database file")
            Path(path).touch()  # opened read-only: the copy's first write fails
            return real_connect(f"file:{path}?mode=ro", uri=True)
        return real_connect(path, *args, **kwargs)
    monkeypatch.setattr(backup.sqlite3, "connect", connect)
    with pytest.raises(DomainError, match=f"无法写入备份目录{tmp_path / 'out'}"):
        backup.backup(sqlite_db, actor=office, target=tmp_path / "out" / "b.db")
    assert list((tmp_path / "out").iterdir()) == []
