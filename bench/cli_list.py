"""Whole-process time of ``coordboard task list`` queries on a generated database.

    python bench/generate.py --tasks 100000 --db sqlite:///bench/out/100k.db
    python bench/cli_list.py --db sqlite:///bench/out/100k.db

Runs each command several times as a fresh process (as a user or script
would) and prints the median and the worst wall time, and peak RSS.
"""

import argparse
import resource
import statistics
import subprocess
import sys
import time

QUERIES = {
    "task list --light red --format json": ["task", "list", "--light", "red", "--format", "json"],
    "task list --overdue --format json": ["task", "list", "--overdue", "--format", "json"],
    "task list (first page, table)": ["task", "list"],
    "coordboard --version (interpreter floor)": ["--version"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for label, argv in QUERIES.items():
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "coordboard", "--db", args.db, *argv],
                           check=True, capture_output=True)
            times.append(time.perf_counter() - started)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{label:45s} median {statistics.median(times):.2f} s  worst {max(times):.2f} s"
              f"  (peak RSS so far {peak:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
