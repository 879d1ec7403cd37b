"""A large ledger written by two processes is the ledger one process writes, row for row,
whatever happens to the second one (services/reports/ledger_parts.py)."""

import sys
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.services.board import BoardFilter
from coordboard.services.reports import ledger, ledger_parts
from tests.generated_town import generated_town

TASKS = 1500


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_town(tmp_path_factory.mktemp("parts"), TASKS, seed=11)


def _second_processes_kept(monkeypatch: pytest.MonkeyPatch) -> list[ledger_parts._Second]:
    """Every second process started from now on, to look at after the export."""
    children: list[ledger_parts._Second] = []
    real = ledger_parts._Second.__init__

    def kept(self: ledger_parts._Second, *args: object) -> None:
        real(self, *args)  # type: ignore[arg-type]
        children.append(self)

    monkeypatch.setattr(ledger_parts._Second, "__init__", kept)
    return children


def _sheet(path: Path) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read("xl/worksheets/sheet1.xml")


def _ledger(db: Database, path: Path, flt: BoardFilter, *, two: bool,
            monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setattr(ledger_parts, "FROM_ROWS", 1 if two else 10**9)
    with db.read() as session:
        ledger.write(session, Settings(), flt, path)
    return _sheet(path)


@pytest.mark.parametrize("flt", [BoardFilter(), BoardFilter(sort="light", descending=True),
                                 BoardFilter(sort="title", text="整")])
def test_two_processes_write_the_same_sheet_as_one(town: Path, tmp_path: Path, flt: BoardFilter,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database.from_url(f"sqlite:///{town}")
    started: list[int] = []
    real = ledger_parts._Second.__init__

    def counted(self: ledger_parts._Second, *args: object) -> None:
        real(self, *args)  # type: ignore[arg-type]
        started.append(self.split)

    monkeypatch.setattr(ledger_parts._Second, "__init__", counted)
    one = _ledger(db, tmp_path / "one.xlsx", flt, two=False, monkeypatch=monkeypatch)
    assert started == []
    two = _ledger(db, tmp_path / "two.xlsx", flt, two=True, monkeypatch=monkeypatch)
    assert len(started) == 1 and 0 < started[0]  # the second process had rows to write
    assert two == one and one.count(b"<row ") > 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.xlsx", "two.xlsx"]  # no scratch


def test_a_commit_between_the_two_snapshots_is_never_in_the_file(
        town: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another user retitles the ledger's last task after this process's snapshot began and
    before the second process's did: the file is the ledger of this process's snapshot
    (the second process's part is thrown away), not a mix of two states."""
    db = Database.from_url(f"sqlite:///{town}")
    before = _ledger(db, tmp_path / "before.xlsx", BoardFilter(), two=False,
                     monkeypatch=monkeypatch)
    with db.read() as session:
        last = session.connection().execute(text(
            "SELECT id, title FROM task WHERE status != 'draft' ORDER BY deadline DESC, id DESC"
        )).first()
    assert last is not None and last.title.encode() in before
    real = ledger_parts._Second.__init__

    def retitled_meanwhile(self: ledger_parts._Second, *args: object) -> None:
        with db.write() as session:  # committed before the second process exists
            session.connection().execute(text("UPDATE task SET title = :t WHERE id = :i"),
                                         {"t": "改过的标题", "i": last.id})
        real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(ledger_parts._Second, "__init__", retitled_meanwhile)
    try:
        during = _ledger(db, tmp_path / "during.xlsx", BoardFilter(), two=True,
                         monkeypatch=monkeypatch)
        assert during == before and "改过的标题".encode() not in during
        monkeypatch.undo()
        after = _ledger(db, tmp_path / "after.xlsx", BoardFilter(), two=True,
                        monkeypatch=monkeypatch)
        assert "改过的标题".encode() in after  # the change is real, and seen next time
    finally:
        with db.write() as session:
            session.connection().execute(text("UPDATE task SET title = :t WHERE id = :i"),
                                         {"t": last.title, "i": last.id})


def test_a_second_process_that_fails_costs_only_time(town: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database.from_url(f"sqlite:///{town}")
    one = _ledger(db, tmp_path / "one.xlsx", BoardFilter(), two=False, monkeypatch=monkeypatch)
    real = ledger_parts._Second.__init__

    def unwritable(self: ledger_parts._Second, file: Path, *args: object) -> None:
        *rest, _scratch = args
        real(self, file, *rest, tmp_path / "no-such-folder" / "part2.xml")  # type: ignore[arg-type]

    monkeypatch.setattr(ledger_parts._Second, "__init__", unwritable)
    progress: list[tuple[int, int]] = []
    monkeypatch.setattr(ledger_parts, "FROM_ROWS", 1)
    with db.read() as session:
        rows = ledger.write(session, Settings(), BoardFilter(), tmp_path / "two.xlsx",
                            progress=lambda n, total: progress.append((n, total)))
    assert _sheet(tmp_path / "two.xlsx") == one
    assert rows == one.count(b"<row ") - 2 and progress  # the title and header rows
    assert all(n <= total == rows for n, total in progress)


def test_a_stuck_second_process_is_not_waited_for_forever(town: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database.from_url(f"sqlite:///{town}")
    one = _ledger(db, tmp_path / "one.xlsx", BoardFilter(), two=False, monkeypatch=monkeypatch)
    monkeypatch.setattr(ledger_parts, "_CHILD", "import time; time.sleep(600)")  # never ready
    monkeypatch.setattr(ledger_parts, "PATIENCE_S", 0.5)
    children = _second_processes_kept(monkeypatch)
    started = time.monotonic()
    assert _ledger(db, tmp_path / "two.xlsx", BoardFilter(), two=True,
                   monkeypatch=monkeypatch) == one
    assert time.monotonic() - started < 60  # not the child's ten minutes
    assert children[0].process.poll() is not None  # and it was ended, not left running


def test_modules_in_the_users_folder_never_run_in_the_second_process(
        town: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``python -c`` puts the working folder first on the module path: a pickle.py left
    where the clerk started coordboard ran in the second process (the trial's finding)."""
    db = Database.from_url(f"sqlite:///{town}")
    one = _ledger(db, tmp_path / "one.xlsx", BoardFilter(), two=False, monkeypatch=monkeypatch)
    planted = tmp_path / "folder"
    planted.mkdir()
    for name in ("pickle", "sqlmodel", "xlsxwriter"):
        (planted / f"{name}.py").write_text(
            f"open({str(tmp_path / 'RAN')!r}, 'a').write({name!r})\nraise ImportError\n")
    monkeypatch.chdir(planted)
    children = _second_processes_kept(monkeypatch)
    assert _ledger(db, tmp_path / "two.xlsx", BoardFilter(), two=True,
                   monkeypatch=monkeypatch) == one
    assert not (tmp_path / "RAN").exists()
    assert children[0].done == children[0].total - children[0].split  # its part was used


def test_drafts_left_out_are_counted_in_the_rows_snapshot_and_progress_never_goes_back(
        town: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A task made a draft after this process's snapshot began and before the second
    process's: the second part is discarded (its process ended at once), and the rows and
    the drafts left out still add up to the tasks there are, as of one moment."""
    db = Database.from_url(f"sqlite:///{town}")
    with db.read() as session:
        rows_before = ledger.count(session, Settings(), BoardFilter())
        drafts_before = ledger.drafts_left_out(session, Settings(), BoardFilter())
        some = session.connection().execute(text(
            "SELECT id FROM task WHERE status = 'assigned' ORDER BY id LIMIT 40")).scalars().all()
    assert len(some) == 40
    real = ledger_parts._Second.__init__

    def drafted_meanwhile(self: ledger_parts._Second, *args: object) -> None:
        with db.write() as session:
            session.connection().execute(text(
                f"UPDATE task SET status = 'draft' WHERE id IN ({','.join(map(str, some))})"))
        real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(ledger_parts._Second, "__init__", drafted_meanwhile)
    monkeypatch.setattr(ledger_parts, "FROM_ROWS", 1)
    told: list[int] = []
    try:
        with db.read() as session:
            done = ledger.export(session, Settings(), BoardFilter(), tmp_path / "l.xlsx",
                                 progress=lambda n, _total: told.append(n))
        assert done == (rows_before, drafts_before)  # as of this process's snapshot
        assert _sheet(tmp_path / "l.xlsx").count(b"<row ") - 2 == done.rows
        assert told == sorted(told)  # never backwards
    finally:
        with db.write() as session:
            session.connection().execute(text(
                f"UPDATE task SET status = 'assigned' WHERE id IN ({','.join(map(str, some))})"))


def test_no_interpreter_to_start_means_one_process(town: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database.from_url(f"sqlite:///{town}")
    one = _ledger(db, tmp_path / "one.xlsx", BoardFilter(), two=False, monkeypatch=monkeypatch)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    assert _ledger(db, tmp_path / "two.xlsx", BoardFilter(), two=True,
                   monkeypatch=monkeypatch) == one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.xlsx", "two.xlsx"]


@pytest.mark.parametrize("two", [False, True])
def test_rows_are_built_with_the_collector_paused_and_it_resumes(
        town: Path, tmp_path: Path, two: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ledger's millions of tuples and strings hold no cycle: the collector's passes
    over them are paused while rows are built, and it runs again afterwards, also after
    a failure."""
    import gc

    monkeypatch.setattr(ledger_parts, "FROM_ROWS", 1 if two else 10**9)
    monkeypatch.setattr(ledger, "CHUNK", 100)  # progress told every 100 rows
    db = Database.from_url(f"sqlite:///{town}")
    seen: list[bool] = []
    with db.read() as session:
        ledger.export(session, Settings(), BoardFilter(), tmp_path / "l.xlsx",
                      progress=lambda _n, _total: seen.append(gc.isenabled()))
        assert seen and not any(seen)
        assert gc.isenabled()

        def failing(_n: int, _total: int) -> None:
            raise OSError("disk full")

        with pytest.raises(OSError):
            ledger.export(session, Settings(), BoardFilter(), tmp_path / "l.xlsx",
                          progress=failing)
        assert gc.isenabled()


def test_a_target_named_relative_to_the_users_folder(town: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """``report ledger -o 台账.xlsx``: the second process works in another folder; its part
    still goes beside the target, is used, and nothing is left anywhere."""
    db = Database.from_url(f"sqlite:///{town}")
    one = _ledger(db, tmp_path / "one.xlsx", BoardFilter(), two=False, monkeypatch=monkeypatch)
    children = _second_processes_kept(monkeypatch)
    package_root = Path(ledger_parts._package_root_folder())
    there_before = set(package_root.iterdir())
    here = tmp_path / "clerk"
    here.mkdir()
    monkeypatch.chdir(here)
    assert _ledger(db, Path("台账.xlsx"), BoardFilter(), two=True, monkeypatch=monkeypatch) == one
    assert children[0].done == children[0].total - children[0].split  # its part was used
    assert [p.name for p in here.iterdir()] == ["台账.xlsx"]
    assert set(package_root.iterdir()) == there_before


def test_a_second_part_gone_before_it_is_read_is_built_here(
        town: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database.from_url(f"sqlite:///{town}")
    one = _ledger(db, tmp_path / "one.xlsx", BoardFilter(), two=False, monkeypatch=monkeypatch)
    real = ledger_parts._Second._finished

    def then_removed(self: ledger_parts._Second, timeout: float) -> int | None:
        done = real(self, timeout)
        self.scratch.unlink()  # a folder cleaner, between its end and our reading it
        return done

    monkeypatch.setattr(ledger_parts._Second, "_finished", then_removed)
    assert _ledger(db, tmp_path / "two.xlsx", BoardFilter(), two=True,
                   monkeypatch=monkeypatch) == one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.xlsx", "two.xlsx"]
