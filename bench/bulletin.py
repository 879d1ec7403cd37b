"""The bulletin (督办通报) of the current week: built, written as DOCX and Markdown, the
median and best of RUNS in one process (imports excluded). Alternate it with an older
checkout, round by round, to compare the two on this noisy machine:

    python bench/bulletin.py bench/out/100k.db [--runs 5]
    for i in 1 2 3; do PYTHONPATH=../old python bench/bulletin.py DB; python bench/bulletin.py DB; done
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.services import review
from coordboard.services.reports import bulletin, bulletin_text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    db = Database.from_url(f"sqlite:///{Path(args.database).resolve()}")
    settings = Settings()
    week = review.iso_week(clock.today(settings.timezone))
    times = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.runs):
            with db.read() as session:
                started = time.perf_counter()
                data = bulletin.build(session, settings, week)
                bulletin.to_docx(data, Path(folder) / "bulletin.docx")
                (Path(folder) / "bulletin.md").write_text(bulletin_text.to_markdown(data))
                times.append(time.perf_counter() - started)
    print(f"{Path(args.database).name}: bulletin of {week}, median {statistics.median(times):.3f} s,"
          f" best {min(times):.3f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
