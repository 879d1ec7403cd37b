"""Weekly review benchmark on the generator's databases: building the agenda, and
writing the bulletin (DOCX + Markdown) and the ledger (XLSX of every task), and the
scoreboard for the current month (no target; recorded for planning).

    python bench/generate.py --tasks 100000 --db sqlite:///bench/out/100k.db   # once
    python bench/review.py bench/out/10k.db bench/out/100k.db

The agenda is built by ``review.start`` (one windowed query plus the item
inserts) inside a transaction that is rolled back, so the database is left as
it was. Each figure is the median of 3 runs in one process (imports excluded).
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlmodel import Session, select

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Role
from coordboard.migrate import ensure_schema
from coordboard.models import User
from coordboard.services import review, scores
from coordboard.services.board import BoardFilter
from coordboard.services.permissions import Actor
from coordboard.services.reports import bulletin, bulletin_text, ledger

RUNS = 3


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def bench(path: str) -> None:
    db = Database.from_url(f"sqlite:///{Path(path).resolve()}")
    ensure_schema(db)
    settings = Settings()
    with db.read() as session:
        office = session.exec(select(User).where(User.role == Role.OFFICE)).first()
        assert office is not None, "the generator makes an office user"
    actor = Actor(office.id or 0, office.username, Role.OFFICE, None)

    agenda_times, items = [], 0
    for _ in range(RUNS):
        with Session(db.engine.execution_options(sqlite_begin="IMMEDIATE")) as session:
            session.begin()
            seconds, started = timed(lambda s=session: review.start(s, actor=actor, settings=settings))
            items = review.progress_counts(session, started)[1]  # type: ignore[arg-type]
            session.rollback()
        agenda_times.append(seconds)

    paper_times, bulletin_times, ledger_times, rows = [], [], [], 0
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(RUNS):
            with db.read() as session:
                def write_bulletin(s=session) -> None:
                    data = bulletin.build(s, settings, review.iso_week(time_today()))
                    bulletin.to_docx(data, Path(folder) / "bulletin.docx")
                    (Path(folder) / "bulletin.md").write_text(bulletin_text.to_markdown(data))

                b_seconds, _ = timed(write_bulletin)
                l_seconds, rows = timed(lambda s=session: ledger.write(
                    s, settings, BoardFilter(), Path(folder) / "ledger.xlsx"))
            bulletin_times.append(b_seconds)
            ledger_times.append(l_seconds)
            paper_times.append(b_seconds + l_seconds)
    today = time_today()
    with db.read() as session:
        score_seconds, board = timed(lambda s=session: scores.scoreboard(
            s, settings, today.replace(day=1), today))
    with tempfile.TemporaryDirectory() as folder:
        sheet_seconds, _ = timed(lambda: scores.write_xlsx(board, Path(folder) / "scores.xlsx"))
    print(f"{Path(path).name:<12}{items:>7} items  agenda {statistics.median(agenda_times):6.2f} s"
          f"  bulletin {statistics.median(bulletin_times):5.2f} s"
          f"  ledger ({rows} rows) {statistics.median(ledger_times):6.2f} s"
          f"  bulletin + ledger {statistics.median(paper_times):6.2f} s"
          f"  scoreboard (this month, {len(board.evidence)} evidence rows) {score_seconds:5.2f} s"
          f"  its XLSX {sheet_seconds:5.2f} s")


def time_today():
    from coordboard import clock

    return clock.today(Settings().timezone)


if __name__ == "__main__":
    for database in sys.argv[1:]:
        bench(database)
