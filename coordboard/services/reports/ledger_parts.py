"""A large ledger on a SQLite file, written by two processes: this one builds the first
part of the rows and their XML, a second Python process the rest, at the same time.

The ledger of 100,000 tasks is ~10 s of CPU in one process (reads, rows, XML), and Python
uses one core a process; offices' PCs have two or more. The second process starts fresh
(a new interpreter: safe beside the TUI's threads and the same on Windows), which costs it
about a second of imports, so it is given the smaller part.

Both parts must come from one state of the database, which ``state_watch`` checks: watched
from before this process's snapshot begins until the second process's has begun. Changed
(or the second process failed, or the day turned), its part is thrown away and built here
from this process's snapshot, as the one-process ledger would be: the second process only
ever makes the ledger faster, never different.
"""

import gc
import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from sqlmodel import Session

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import sqlite_path
from coordboard.services import board
from coordboard.services.reports import ledger, ledger_xlsx
from coordboard.services.state_watch import StateWatch

FROM_ROWS = 20_000  # below this the second process's start costs more than it saves
SECOND_SHARE = 0.42  # of the rows: the second process starts a second or so later
READ_SIZE = 1 << 20
PATIENCE_S = 30.0  # beyond twice this process's own time, for the second's start


def sqlite_file(session: Session) -> Path | None:
    """The SQLite file ``session`` reads, or None (PostgreSQL, or not a plain file)."""
    return sqlite_path(session.get_bind().engine.url)


def write_xlsx(session: Session, settings: Settings, flt: board.BoardFilter, path: Path,
               heading: str, *, include_drafts: bool,
               progress: Callable[[int, int], None] | None) -> ledger.Exported | None:
    """The ledger at ``path`` in two processes; None when one process is the way
    (not a SQLite file, or too few rows to be worth it) and nothing was written."""
    file = sqlite_file(session)
    if file is None:
        return None
    watch = StateWatch.open(file)
    if watch is None:
        return None  # one process, as ever
    try:
        # A session of our own, so this snapshot begins after watching started.
        with Session(session.get_bind()) as ours:
            total = ledger.count(ours, settings, flt, include_drafts=include_drafts)
            if total < FROM_ROWS:
                return None
            drafts = 0 if include_drafts else ledger.drafts_left_out(ours, settings, flt)
            with ledger_xlsx.Workbook(path, heading, ledger.COLUMNS, ledger.DATE_KEYS,
                                      ledger.FILLS) as book:
                try:
                    second = _Second(file, settings, flt, include_drafts, total,
                                     book.row_styles, ledger_xlsx.scratch(path, "part2"))
                except OSError:  # no interpreter to start (a frozen build, a full table)
                    return None
                try:
                    return ledger.Exported(book.finish(total, lambda write: second.write_all(
                        ours, write, book.row_styles, watch.unchanged, progress)), drafts)
                finally:
                    second.stop()
    finally:
        watch.close()


class _Second:
    """The second process and its part of the rows. It is a plain ``python -c`` process
    (not ``multiprocessing``, which would import the caller's main script again), told
    its work as a pickle on its stdin; it says on stdout when its snapshot has begun
    (``ready``), its rows so far (``rows N``) and its count when done (``done N``)."""

    def __init__(self, file: Path, settings: Settings, flt: board.BoardFilter,
                 include_drafts: bool, total: int, row_styles: ledger_xlsx.RowStyles,
                 scratch: Path) -> None:
        # Absolute: the second process works in another folder (see below), and a target
        # named relative to ours ("-o 台账.xlsx") put its part there, never found here.
        self.total, self.scratch = total, scratch.absolute()
        self.split = total - int(total * SECOND_SHARE)
        self.settings, self.flt, self.include_drafts = settings, flt, include_drafts
        self.ready = threading.Event()  # its snapshot has begun
        self.written = 0  # its rows so far
        self.done: int | None = None  # its rows, once all are in the scratch file
        self.shown = 0  # the progress told so far
        work = (f"sqlite:///{file}", settings, flt, include_drafts,
                (self.split, total - self.split), row_styles, str(self.scratch),
                clock.today(settings.timezone))
        # "-c" would put the current folder first on the module path, where a pickle.py or
        # sqlmodel.py left in the user's folder would run in the second process: -P (and
        # the package's own folder as working folder) keeps the path to the installed code.
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-c", _CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, cwd=_package_root_folder(),
            env={**os.environ, "PYTHONPATH": _package_root()},
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))  # Windows: no console
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(pickle.dumps(work))
            self.process.stdin.close()
        except OSError:  # it ended at once: it will never say "done", its part is built here
            pass
        self._listener = threading.Thread(target=self._listen, args=(self.process.stdout,),
                                          name="ledger-part", daemon=True)
        self._listener.start()

    def _listen(self, stdout: IO[bytes]) -> None:
        for line in stdout:
            word, _, number = line.decode("ascii", "replace").partition(" ")
            if word == "ready":
                self.ready.set()
            elif word == "rows":
                self.written = int(number)
            elif word == "done":
                self.done = int(number)
        self.ready.set()  # ended: nothing more to wait for

    def write_all(self, session: Session, write: ledger_xlsx.Write,
                  row_styles: ledger_xlsx.RowStyles, unchanged: Callable[[], bool],
                  progress: Callable[[int, int], None] | None) -> int:
        """Every row: the first part built here, then the second process's part if it is
        of the same snapshot and whole, else built here too."""
        same: list[bool] = []  # the check's verdict, once made

        def check() -> None:
            if not same and self.ready.is_set():
                same.append(unchanged())
                if not same[0]:  # its part will not be used: give its core back now
                    self.stop()
                    self.written = 0

        started = time.monotonic()
        _, first = ledger.counted_rows(session, self.settings, self.flt,
                                       include_drafts=self.include_drafts,
                                       part=(0, self.split))
        count = ledger_xlsx.stream_rows(self._watched(first, check, progress), write,
                                        row_styles)
        # The second process has the smaller part: waiting longer than this process took
        # (and then some) means it is stuck, and its part is built here instead.
        patience = 2 * (time.monotonic() - started) + PATIENCE_S
        self.ready.wait(patience)
        check()
        if same == [True] and self._finished(patience) == self.total - self.split:
            try:
                part = open(self.scratch, "rb")  # noqa: SIM115 - closed below; UTF-8 as is
            except OSError:  # gone meanwhile (a folder cleaner, say): its part is built here
                part = None
            if part is not None:
                with part:
                    while chunk := part.read(READ_SIZE):
                        write(chunk)
                return count + self.total - self.split
        self.stop()
        self.written = 0  # the part is built here now
        _, rest = ledger.counted_rows(session, self.settings, self.flt,
                                      include_drafts=self.include_drafts,
                                      part=(self.split, self.total - self.split))
        return count + ledger_xlsx.stream_rows(
            self._watched(rest, check, progress, self.split), write, row_styles,
            ledger_xlsx.FIRST_DATA_ROW + self.split)

    def _watched(self, rows: Iterator[ledger.LedgerRow], check: Callable[[], None],
                 progress: Callable[[int, int], None] | None, start: int = 0
                 ) -> Iterator[ledger.LedgerRow]:
        """``rows``, checking the snapshots and telling the progress of both parts."""
        for index, row in enumerate(rows, start=start + 1):
            yield row
            if index % ledger.CHUNK == 0:
                check()
                if progress is not None:  # never backwards, when a discarded part was counted
                    self.shown = max(self.shown, index + self.written)
                    progress(self.shown, self.total)

    def _finished(self, timeout: float) -> int | None:
        """The rows the second process wrote, once it has ended; None if it failed
        before saying its part was whole, or did not end within ``timeout`` seconds."""
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        self._listener.join()
        return self.done

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._listener.join()
        self.scratch.unlink(missing_ok=True)


def _package_root_folder() -> str:
    """The folder holding the ``coordboard`` package."""
    return str(Path(__file__).resolve().parents[3])


def _package_root() -> str:
    """The package's folder first on the second process's path (an editable install or a
    source checkout is found as this process found it)."""
    return os.pathsep.join([_package_root_folder(),
                            *filter(None, [os.environ.get("PYTHONPATH")])])


_CHILD = "from coordboard.services.reports.ledger_parts import second_process; second_process()"


def second_process() -> None:
    """The second process: its work from stdin; the rows of its part as sheet XML in the
    scratch file; its progress on stdout. It never writes to the terminal (the TUI owns
    it): a failure is its exit code, and the first process builds the part instead."""
    gc.disable()  # see ledger.export: this process only builds rows
    say = sys.stdout.buffer
    try:
        (url, settings, flt, include_drafts, part, row_styles, scratch, today
         ) = pickle.loads(sys.stdin.buffer.read())
        from coordboard.db import Database

        with Database.from_url(url).read() as session:
            session.connection().exec_driver_sql("SELECT 1 FROM task LIMIT 1").all()
            say.write(b"ready\n")  # this snapshot has begun
            say.flush()
            if clock.today(settings.timezone) != today:
                raise RuntimeError("the day turned")  # the lights would differ
            _, rows = ledger.counted_rows(session, settings, flt,
                                          include_drafts=include_drafts, part=part)
            # newline="": read back as bytes, its line breaks must be the XML's own.
            with open(scratch, "w", encoding="utf-8", newline="") as out:
                count = ledger_xlsx.stream_rows(_told(rows, say), out.write, row_styles,
                                                ledger_xlsx.FIRST_DATA_ROW + part[0])
        say.write(b"done %d\n" % count)
        say.flush()
    except BaseException:  # noqa: BLE001 - said by the exit code, see above
        os._exit(1)


def _told(rows: Iterator[ledger.LedgerRow], say: IO[bytes]) -> Iterator[ledger.LedgerRow]:
    for index, row in enumerate(rows, start=1):
        yield row
        if index % ledger.CHUNK == 0:
            say.write(b"rows %d\n" % index)
            say.flush()
