"""Period report (月报/季报) and month scoreboard benchmark, each as a ratio to a floor
measured in the same run, so a loaded machine moves both figures alike.

    python bench/generate.py --tasks 100000 --db sqlite:////tmp/100k.db   # once, ~2 min
    python bench/period.py /tmp/100k.db [--month 2026-11]

Floors: the period report's one grouped aggregate over task_unit × task (what a report
per unit cannot do without) and, for the scoreboard, the plain read of the tasks whose
closure or deadline falls in the month with their units (what scoring must look at).
Targets (issue 12): period report ≤ 2 s, scoreboard for a month ≤ 3 s at 100k tasks.
CPU seconds (``time.process_time``) and wall seconds; best of RUNS.
"""

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, or_
from sqlalchemy import select as sql_select
from sqlmodel import col

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.migrate import ensure_schema
from coordboard.models import Task, TaskUnit
from coordboard.services import rules, scores
from coordboard.services.reports import period
from coordboard.services.reports.period_docx import write_docx
from coordboard.services.reports.period_xlsx import write_xlsx

RUNS = 3


def best(fn: Callable[[], Any]) -> tuple[float, float]:
    """(CPU, wall) seconds, the best of RUNS each."""
    cpu, wall = [], []
    for _ in range(RUNS):
        c, w = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return min(cpu), min(wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--month", default="2026-11")
    args = parser.parse_args()
    db = Database.from_url(f"sqlite:///{Path(args.db).resolve()}")
    ensure_schema(db)
    settings = Settings()
    chosen = period.parse_period(month=args.month)
    start_at = rules.day_start(chosen.start, settings.timezone)
    end_at = rules.day_start(chosen.end + timedelta(days=1), settings.timezone)

    def floor_period() -> None:
        counted = and_(col(Task.dispatched_at).is_not(None), col(Task.dispatched_at) < end_at,
                       or_(col(Task.closed_at).is_(None), col(Task.closed_at) >= start_at))
        with db.read() as session:
            session.execute(sql_select(col(TaskUnit.department_id), col(TaskUnit.role), func.count())
                            .join(Task, col(Task.id) == TaskUnit.task_id).where(counted)
                            .group_by(col(TaskUnit.department_id), col(TaskUnit.role))).all()

    def floor_scores() -> None:
        in_period = or_(col(Task.closed_at).between(start_at, end_at),
                        (col(Task.original_deadline) <= chosen.end) & (col(Task.deadline) >= chosen.start))
        with db.read() as session:
            session.execute(sql_select(col(Task.id), col(Task.deadline), col(Task.closed_at),
                                       col(TaskUnit.department_id), col(TaskUnit.role))
                            .join(TaskUnit, col(TaskUnit.task_id) == Task.id).where(in_period)).all()

    def report() -> period.PeriodReport:
        with db.read() as session:
            return period.build(session, settings, chosen)

    def scoreboard() -> None:
        with db.read() as session:
            scores.scoreboard(session, settings, chosen.start, chosen.end)

    built = report()
    with tempfile.TemporaryDirectory() as folder:
        figures = {
            "period floor (grouped aggregate)": best(floor_period),
            "period.build": best(report),
            "write DOCX (table + chart)": best(lambda: write_docx(built, Path(folder) / "m.docx")),
            "write XLSX": best(lambda: write_xlsx(built, Path(folder) / "m.xlsx")),
            "scoreboard floor (tasks of the month with units)": best(floor_scores),
            "scores.scoreboard": best(scoreboard),
        }
    print(f"{Path(args.db).name}, {chosen.label} ({args.month}), {len(built.units)} units, "
          f"{built.total.led} tasks counted; CPU s / wall s, best of {RUNS}")
    for name, (cpu, wall) in figures.items():
        print(f"  {name:<48} {cpu:6.3f} {wall:6.3f}")
    p_floor, s_floor = figures["period floor (grouped aggregate)"], \
        figures["scoreboard floor (tasks of the month with units)"]
    whole = [sum(figures[k][i] for k in ("period.build", "write DOCX (table + chart)"))
             for i in (0, 1)]
    print(f"  period report to DOCX: {whole[1]:.2f} s wall (target ≤ 2 s), "
          f"{whole[1] / p_floor[1]:.1f}× its floor")
    print(f"  scoreboard for the month: {figures['scores.scoreboard'][1]:.2f} s wall "
          f"(target ≤ 3 s), {figures['scores.scoreboard'][1] / s_floor[1]:.1f}× its floor")


if __name__ == "__main__":
    main()
