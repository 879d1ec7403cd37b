"""Time checking and importing a generated 10,000-row ledger (issue 14 target: ≤ 15 s).

    python bench/import_ledger.py                      # 10,000 rows, temporary SQLite file
    python bench/import_ledger.py --rows 2000 --db postgresql://…/empty_db

Writes an .xlsx ledger the way offices keep them (a title row, Chinese headers,
dates as cells and as text, one to three supporting units), an empty migrated
database with 40 units and an office user, then times, in one process:
reading + checking every row, writing them all in one transaction, and a
re-import of the same file (every row found, nothing changed).
"""

import argparse
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

from coordboard.db import Database
from coordboard.enums import Role
from coordboard.migrate import ensure_schema
from coordboard.services import directory, importer
from coordboard.services.permissions import Actor

TODAY = date.today()
HEADER = ["序号", "督办事项", "牵头单位", "配合单位", "完成时限", "责任领导", "办理进展", "事项来源"]
SOURCES = ["会议议定", "上级交办", "年度报告", "群众反映", "其他", ""]


def units(count: int = 40) -> list[str]:
    kinds = ["司法所", "派出所", "文化站", "综治中心", "财政所", "农业站", "城建办", "应急办"]
    return [f"{kinds[i % len(kinds)]}{i // len(kinds) + 1}" for i in range(count)]


def write_ledger(path: Path, rows: int, names: list[str], seed: int = 7) -> None:
    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(["2026年度依法治镇督办事项台账"])
    sheet.append(HEADER)
    for number in range(1, rows + 1):
        lead, *support = rng.sample(names, rng.randint(1, 4))
        deadline = TODAY + timedelta(days=rng.randint(1, 400))
        due: object = (datetime(deadline.year, deadline.month, deadline.day) if number % 2
                       else f"{deadline.year}年{deadline.month}月{deadline.day}日")
        sheet.append([number, f"督办事项第{number}项：推进法治建设重点工作", lead, "、".join(support),
                      due, rng.choice(["张副镇长", "李书记", "王镇长", ""]),
                      "已部署，正在推进" if number % 3 else "", rng.choice(SOURCES)])
    book.save(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--db", help="an empty database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="coordboard-import-bench-"))
    db = Database.from_url(args.db or f"sqlite:///{work / 'bench.db'}")
    ensure_schema(db)
    names = units()
    with db.write() as session:
        for name in names:
            directory.add_department(session, name=name)
        user = directory.add_user(session, username="office", display_name="法治办",
                                  role=Role.OFFICE, password="secret123")
        for username, name in (("zhang", "张副镇长"), ("li", "李书记"), ("wang", "王镇长")):
            # The ledger's 责任领导 are leader users (an unknown name is a row error).
            directory.add_user(session, username=username, display_name=name, role=Role.LEADER,
                               password="secret123")
    actor = Actor(user.id or 0, "office", Role.OFFICE, None)
    ledger = work / "台账.xlsx"
    write_ledger(ledger, args.rows, names)
    print(f"ledger: {args.rows} rows, {ledger.stat().st_size / 1e6:.1f} MB; db: {db.display_url}")

    started, cpu = time.perf_counter(), time.process_time()
    with db.write() as session:
        plan = importer.check(session, ledger, actor=actor, today=TODAY)
        checked = time.perf_counter()
        assert not plan.errors, [importer.describe(e) for e in plan.errors[:5]]
        result = importer.apply(session, plan, actor=actor, today=TODAY)
    done = time.perf_counter()
    print(f"check {checked - started:.2f} s + import {done - checked:.2f} s "
          f"= {done - started:.2f} s wall, {time.process_time() - cpu:.2f} s CPU "
          f"for {len(result.created)} tasks (target ≤ 15 s)")

    started = time.perf_counter()
    with db.write() as session:
        plan = importer.check(session, ledger, actor=actor, today=TODAY)
        again = importer.apply(session, plan, actor=actor, today=TODAY)
    print(f"re-import {time.perf_counter() - started:.2f} s: {len(again.created)} created, "
          f"{again.unchanged} unchanged")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
