"""``coordboard task list --overdue`` against taskwarrior's ``task overdue`` on as many tasks.

    python bench/generate.py --tasks 100000 --db sqlite:///bench/out/100k.db
    python bench/vs_taskwarrior.py --db sqlite:///bench/out/100k.db [--runs 11]

Issue 13's yardstick: a mature command-line task tool listing its overdue tasks. The
script gives taskwarrior (Debian's ``taskwarrior``) a data folder with the same number of
open tasks and the same number of them overdue as the coordboard database, written straight
in its 2.6 file format (``task import`` of 100,000 tasks takes minutes), then runs both
commands as fresh processes, interleaved round by round so both see the same load, and
prints each one's median wall and CPU time and the median of the per-round ratios.
Both print a table to a pipe: taskwarrior its whole overdue report, coordboard its first
page (as each shows a user by default). The coordboard command runs from a byte-compiled
copy of the package, as pip installs it.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from cli_start import _cpu, _installed_copy
from sqlalchemy import create_engine, text


def _counts(url: str) -> tuple[int, int]:
    """Open tasks, and open tasks past their deadline (the office's day, Asia/Shanghai)."""
    import pendulum

    today = pendulum.now("Asia/Shanghai").date().isoformat()
    engine = create_engine(url)
    open_states = "('assigned','acknowledged','in_progress','closure_requested')"
    with engine.connect() as conn:
        total = conn.execute(text(f"SELECT count(*) FROM task WHERE status IN {open_states}")
                             ).scalar_one()
        overdue = conn.execute(text(f"SELECT count(*) FROM task WHERE status IN {open_states} "
                                    "AND deadline < :today"), {"today": today}).scalar_one()
    engine.dispose()
    return total, overdue


def _taskwarrior_data(folder: Path, total: int, overdue: int) -> dict[str, str]:
    data = folder / "task"
    data.mkdir()
    now = int(time.time())
    day = 86400
    with (data / "pending.data").open("w", encoding="utf-8") as out:
        for i in range(total):
            due = now - (1 + i % 300) * day if i < overdue else now + (1 + i % 300) * day
            out.write(f'[description:"督办事项 {i:06d} 农村法律明白人培养" due:"{due}" '
                      f'entry:"{now - 400 * day}" project:"unit{i % 40:02d}" '
                      f'status:"pending" uuid:"{uuid.UUID(int=i + 1)}"]\n')
    for name in ("completed.data", "undo.data", "backlog.data"):
        (data / name).touch()
    rc = folder / "taskrc"
    rc.write_text(f"data.location={data}\nverbose=nothing\ncolor=off\ngc=off\nhooks=off\n"
                  "confirmation=off\ndetection=off\ndefaultwidth=160\nrecurrence=off\n",
                  encoding="utf-8")
    return {**os.environ, "TASKRC": str(rc), "TASKDATA": str(data)}


def _time(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    cpu, started = _cpu(), time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started, _cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a generated coordboard database URL")
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    taskwarrior = shutil.which("task")
    if taskwarrior is None:
        print("taskwarrior is not installed (Debian: apt-get install taskwarrior)", file=sys.stderr)
        return 1
    total, overdue = _counts(args.db)
    with tempfile.TemporaryDirectory(prefix="vs-taskwarrior-") as name:
        folder = Path(name)
        tw_env = _taskwarrior_data(folder, total, overdue)
        env = {**os.environ, "PYTHONPATH": str(_installed_copy(folder / "pkg")),
               "COORDBOARD_CONFIG_DIR": str(folder), "COORDBOARD_DATA_DIR": str(folder)}
        ours = [sys.executable, "-m", "coordboard", "--db", args.db]
        subprocess.run([*ours, "login", "-u", "office", "--password-stdin"], input=b"bench1234\n",
                       check=True, capture_output=True, env=env)
        theirs = [taskwarrior, "overdue"]
        mine = [*ours, "task", "list", "--overdue"]
        # What any coordboard command that reads the database pays before its query: the
        # interpreter, SQLAlchemy, SQLModel (pydantic) and the table classes.
        floor = [sys.executable, "-c", "import coordboard.models"]
        _time(theirs, tw_env), _time(mine, env), _time(floor, env)  # warm the file cache
        rounds = [(_time(theirs, tw_env), _time(mine, env), _time(floor, env))
                  for _ in range(args.runs)]
    print(f"{total} open tasks, {overdue} overdue; {args.runs} interleaved rounds")
    for label, index in (("taskwarrior: task overdue", 0), ("coordboard task list --overdue", 1),
                         ("floor: python -c 'import coordboard.models'", 2)):
        walls = [r[index][0] for r in rounds]
        cpus = [r[index][1] for r in rounds]
        print(f"{label:44s} wall {statistics.median(walls):.3f} s  CPU "
              f"{statistics.median(cpus):.3f} s")
    wall_ratio = statistics.median(r[1][0] / r[0][0] for r in rounds)
    cpu_ratio = statistics.median(r[1][1] / r[0][1] for r in rounds)
    print(f"ratio coordboard / taskwarrior: wall {wall_ratio:.2f}x  CPU {cpu_ratio:.2f}x")
    floor_ratio = statistics.median(r[2][1] / r[0][1] for r in rounds)
    print(f"ratio floor / taskwarrior (CPU): {floor_ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
