"""kill -9 during a ledger save never destroys the previous good file (issue 10.5).

A writer process imports everything once, then for each trial forks a child that writes
the ledger of a few thousand generated tasks over the same target again and again; the
test kills the child with SIGKILL at a random moment and opens the target. Forking keeps
the 20+ trials fast (no interpreter start per trial). Before ``coordboard.files`` every
kill during a save left a truncated workbook (5 of 5 in the issue).
"""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.migrate import ensure_schema
from coordboard.services.board import BoardFilter
from coordboard.services.reports import ledger

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))

from generate import generate  # noqa: E402

TASKS = 1000
TRIALS = 20

WRITER = r"""
import os, sys
from pathlib import Path
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.services.board import BoardFilter
from coordboard.services.reports import ledger

url, target = sys.argv[1], Path(sys.argv[2])
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:  # the child writes until it is killed
        db = Database.from_url(url)
        while True:
            with db.read() as session:
                ledger.write(session, Settings(), BoardFilter(), target)
    print(pid, flush=True)
    os.waitpid(pid, 0)
    print("dead", flush=True)
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")
def test_kill_9_during_ledger_saves_never_destroys_the_previous_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kill.db'}"
    db = Database.from_url(url)
    ensure_schema(db)
    generate(db, TASKS, seed=11, batch=1000)
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "台账.xlsx"
    started = time.perf_counter()
    with db.read() as session:
        rows = ledger.write(session, Settings(), BoardFilter(), target)
    one_write = time.perf_counter() - started
    db.dispose()

    def complete() -> int:
        sheet = load_workbook(target, read_only=True).active
        return sum(1 for _ in sheet.iter_rows(values_only=True))

    full = complete()
    assert rows > 0 and full > rows
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    writer = subprocess.Popen([sys.executable, "-c", WRITER, url, str(target)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=env)
    assert writer.stdin is not None and writer.stdout is not None
    rng, mid_write = random.Random(2026), 0
    try:
        for _ in range(TRIALS):
            writer.stdin.write("go\n")
            writer.stdin.flush()
            child = int(writer.stdout.readline())
            time.sleep(rng.uniform(0.02, 1.2 * one_write))
            mid_write += any(p.name.startswith(".") for p in folder.iterdir())
            os.kill(child, signal.SIGKILL)
            assert writer.stdout.readline().strip() == "dead"
            assert complete() == full  # the previous file (or a whole new one), never half
    finally:
        writer.stdin.close()
        writer.wait(timeout=30)
    # The kills did land inside saves: a killed save leaves its temporary file behind,
    # beside the intact target (only a clean exit or a caught error can remove it).
    assert mid_write >= 3, mid_write
    leftovers = [p.name for p in folder.iterdir() if p != target]
    assert all(name.startswith(".台账.xlsx.") and name.endswith(".xlsx") for name in leftovers)
