"""kill -9 during `coordboard review close` (issue 10, done-when): whatever moment the
process dies at, the database verifies, every earlier review's files stay whole, and a
review that was sealed can always get its paperwork back with `report review N`.

Each trial starts a review on the demo town (through the service, in this process: the
start is not what is tested), runs the real `review close` in a subprocess and kills it at
a random moment of its run (the first close is timed to spread the moments over sealing
and writing the bulletin and the ledger).
"""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from run_profile import trials

from coordboard.config import load_settings
from coordboard.db import Database
from coordboard.services import audit, auth, directory
from coordboard.services import review as reviews
from coordboard.services.review import open_review
from tests.test_cli_review import copy_of_demo_town

# Each trial is one or two process starts; the long profile kills twice as often.
TRIALS = trials(ci=10, dev=20)


class Cli:
    def __init__(self, tmp_path: Path) -> None:
        self.db = tmp_path / "demo.db"
        self.url = f"sqlite:///{self.db}"
        self.env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                    "COORDBOARD_DATA_DIR": str(tmp_path), "COORDBOARD_CONFIG_DIR": str(tmp_path),
                    "PYTHONPATH": str(Path(__file__).parent.parent)}
        self.exports = tmp_path / "exports"

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "coordboard", "--db", self.url, *args]

    def __call__(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.command(*args), input=stdin, capture_output=True, text=True,
                              env=self.env, timeout=300)


def _files_whole(folder: Path, number: int) -> bool:
    try:
        Document(str(folder / f"bulletin-{number}.docx"))
        load_workbook(folder / f"ledger-{number}.xlsx", read_only=True).close()
        return (folder / f"bulletin-{number}.md").read_text(encoding="utf-8").strip() != ""
    except Exception:  # noqa: BLE001 - any reader failure means "not whole"
        return False


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_kill_9_during_review_close_never_loses_the_record_or_its_files(
        tmp_path: Path, demo_town: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coordboard import audit_key

    copy_of_demo_town(demo_town, tmp_path)
    cli = Cli(tmp_path)
    # This process verifies the chain with the key the commands create in their data folder.
    monkeypatch.setenv("COORDBOARD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COORDBOARD_CONFIG_DIR", str(tmp_path))
    audit_key.clear_cache()

    # One undisturbed close, to time it and to have earlier files that must stay whole.
    assert cli("review", "start", "--attendees", "王主任").returncode == 0
    started = time.perf_counter()
    first = cli("review", "close", "--attendees", "王主任", "--force")
    one_close = time.perf_counter() - started
    assert first.returncode == 0, first.stderr
    whole = {1}
    assert _files_whole(cli.exports, 1)

    rng = random.Random(2026)
    sealed_by_killed = 0
    database = Database.from_url(cli.url)
    settings = load_settings(db_url=cli.url)  # the commands' own (the same config folder)
    try:
        for _ in range(TRIALS):
            with database.write() as session:
                if open_review(session) is None:  # what `review start --again` does
                    reviews.start(session, actor=auth.actor_of(
                        directory.user_by_name(session, "office")), settings=settings,
                        attendees="王主任", again=True)
            closing = subprocess.Popen(cli.command("review", "close", "--attendees", "王主任",
                                                   "--force"),
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       env=cli.env)
            time.sleep(rng.uniform(0.05, 1.1 * one_close))
            os.kill(closing.pid, signal.SIGKILL)
            closing.wait(timeout=60)

            with database.read() as session:
                report = audit.verify(session)
                assert report.problem is None, (report.problem, report.params)
                still_open = open_review(session)
                from sqlmodel import func, select

                from coordboard.models import Review

                newest = session.exec(select(func.max(Review.number))).one() or 0
            for number in whole:  # earlier paperwork is never touched
                assert _files_whole(cli.exports, number), number
            if still_open is None and newest not in whole:
                # Sealed before the kill: its paperwork may be missing or half-written, and
                # one command writes it again, whole.
                sealed_by_killed += 1
                again = cli("report", "review", str(newest))
                assert again.returncode == 0, again.stderr
                assert _files_whole(cli.exports, newest)
                whole.add(newest)
    finally:
        database.dispose()
    # The kills landed both before and after the seal.
    assert 0 < sealed_by_killed < TRIALS, sealed_by_killed
