"""Fill a database with N realistic tasks for benchmarks.

    python bench/generate.py --tasks 100000 --db sqlite:///bench/out/100k.db

About 40 departments; per task one lead and 0-4 supporting units, each unit's
feedback history, reminders and urges (some unanswered), extension requests,
and a spread of states and deadlines around today. Rows go in with bulk
INSERTs in one transaction; the denormalised light columns on ``task`` are
filled consistently so the board's lights are right. Deterministic per --seed.
"""

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from coordboard.db import Database
from coordboard.migrate import ensure_schema
from coordboard.models import (
    AuditEvent,
    Department,
    ExtensionRequest,
    Feedback,
    SupervisionNote,
    Task,
    TaskUnit,
    User,
)
from coordboard.services.audit import GENESIS, event_hash
from coordboard.services.directory import hash_password

KINDS = ["office"] * 18 + ["station"] * 8 + ["village"] * 8 + ["community"] * 4 + ["school", "enterprise"]
STATES = [  # (status, weight)
    ("in_progress", 45), ("closed", 25), ("assigned", 6), ("acknowledged", 6),
    ("closure_requested", 6), ("draft", 4), ("suspended", 4), ("withdrawn", 4),
]
TOPICS = ["普法宣传", "农村普法", "干部学法", "营商环境", "平安建设", "依法决策", "基层治理", "公共法律服务"]
VERBS = ["开展", "推进", "落实", "完善", "组织", "排查", "整改", "建立"]
OBJECTS = ["法治宣传进村入户", "企业安全生产培训", "反诈宣传", "调解组织规范化", "法律顾问审查",
           "规范性文件备案", "学法考试", "法治文化阵地", "信访事项办理", "执法三项制度"]


def generate(db: Database, n_tasks: int, seed: int, batch: int = 5000) -> dict[str, int]:
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    today = now.date()
    counts = {"task": 0, "task_unit": 0, "feedback": 0, "supervision_note": 0,
              "extension_request": 0, "audit_event": 0}
    with db.write() as session:
        conn = session.connection()
        conn.execute(insert(Department), [
            {"id": i, "name": f"单位{i:02d}", "short_name": f"单位{i:02d}", "kind": kind,
             "active": True, "sort_order": i} for i, kind in enumerate(KINDS, start=1)])
        password = hash_password("bench1234")
        conn.execute(insert(User), [
            {"id": i, "username": f"head{i:02d}", "display_name": f"负责人{i:02d}",
             "department_id": i, "role": "head", "password_hash": password, "active": True,
             "failed_logins": 0, "created_at": now} for i in range(1, len(KINDS) + 1)]
            + [{"id": len(KINDS) + 1, "username": "office", "display_name": "法治办",
                "department_id": 1, "role": "office", "password_hash": password, "active": True,
                "failed_logins": 0, "created_at": now}])
        office = len(KINDS) + 1
        statuses, weights = zip(*STATES, strict=True)
        prev_hash = GENESIS
        unit_id = feedback_id = note_id = 0
        for start in range(0, n_tasks, batch):
            rows: dict[str, list[dict[str, object]]] = {k: [] for k in counts}
            for task_id in range(start + 1, min(start + batch, n_tasks) + 1):
                prev_hash = _task(rng, task_id, today, now, office, statuses, weights, rows,
                                  prev_hash, ids := [unit_id, feedback_id, note_id])
                unit_id, feedback_id, note_id = ids
            for table, model in (("task", Task), ("task_unit", TaskUnit), ("feedback", Feedback),
                                 ("supervision_note", SupervisionNote),
                                 ("extension_request", ExtensionRequest),
                                 ("audit_event", AuditEvent)):
                if rows[table]:
                    conn.execute(insert(model), rows[table])
                    counts[table] += len(rows[table])
    return counts


def _task(rng: random.Random, task_id: int, today: date, now: datetime, office: int,
          statuses: tuple[str, ...], weights: tuple[int, ...], rows: dict[str, list[dict[str, object]]],
          prev_hash: str, ids: list[int]) -> str:
    status = rng.choices(statuses, weights)[0]
    created = now - timedelta(days=rng.randint(1, 400), minutes=rng.randint(0, 1440))
    dispatched = None if status == "draft" else created + timedelta(hours=rng.randint(1, 48))
    deadline = today + timedelta(days=rng.randint(-15, 90))
    year = created.year
    units = rng.sample(range(1, len(KINDS) + 1), 1 + rng.choice([0, 1, 1, 2, 2, 3, 4]))
    lead = units[0]
    last_heard: list[datetime] = []
    latest: datetime | None = None
    for position, dept in enumerate(units):
        ids[0] += 1
        heard = None
        if dispatched is not None and status not in ("assigned",):
            for _ in range(rng.choice([0, 1, 2, 3, 3, 4])):
                ids[1] += 1
                # Most units report every week or so; some fall silent.
                at = max(dispatched, now - timedelta(days=rng.expovariate(1 / 6)))
                heard = at if heard is None or at > heard else heard
                rows["feedback"].append({"id": ids[1], "task_id": task_id, "department_id": dept,
                                         "author_id": dept, "body": "已按计划推进，完成阶段性工作。",
                                         "percent": rng.randint(10, 100), "created_at": at})
        rows["task_unit"].append({
            "id": ids[0], "task_id": task_id, "department_id": dept,
            "role": "lead" if position == 0 else "support", "part": f"第{position + 1}部分工作",
            "acknowledged_at": dispatched + timedelta(hours=4) if dispatched and status != "assigned"
            else None, "last_feedback_at": heard, "contest_state": "none"})
        if dispatched is not None:
            last_heard.append(heard or dispatched)
            latest = heard if heard and (latest is None or heard > latest) else latest
    urge_due = None
    if dispatched is not None and rng.random() < 0.25:
        ids[2] += 1
        answered = rng.random() < 0.6
        respond_by = today + timedelta(days=rng.randint(-10, 10))
        urge_due = None if answered else respond_by
        rows["supervision_note"].append({
            "id": ids[2], "task_id": task_id, "department_id": lead,
            "kind": rng.choice(["reminder", "urge", "letter"]), "body": "请加快办理并按时反馈。",
            "author_id": office, "created_at": dispatched + timedelta(days=1),
            "respond_by": respond_by, "response": "已落实。" if answered else None,
            "responded_at": now if answered else None, "responded_by": lead if answered else None})
    if status == "in_progress" and rng.random() < 0.05:
        rows["extension_request"].append({
            "task_id": task_id, "department_id": lead, "requested_by": lead,
            "old_deadline": deadline, "new_deadline": deadline + timedelta(days=14),
            "reason": "配合单位材料未齐。", "state": "pending", "created_at": now})
    # Rule 2 (services/rules.py): a closure counts from the day it was asked for. Closed and
    # waiting tasks get a request day, mostly on time, some after the deadline, so the
    # benchmarks exercise the clock-stopped and on-time rules as real data would.
    requested_on: date | None = None
    closed_at: datetime | None = None
    if status in ("closed", "closure_requested") and dispatched is not None:
        earliest = dispatched.date()
        on_time = rng.random() < 0.8
        day = (deadline - timedelta(days=rng.randint(0, 10)) if on_time
               else deadline + timedelta(days=rng.randint(1, 10)))
        requested_on = min(max(day, earliest), today)
        if status == "closed":
            closed_at = max(dispatched, min(now, datetime(
                requested_on.year, requested_on.month, requested_on.day, 2, tzinfo=UTC)
                + timedelta(days=rng.randint(0, 5))))
    rows["task"].append({
        "id": task_id, "code": f"DB-{year}-{task_id:06d}", "year": year, "seq": task_id,
        "title": f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}（{task_id}）", "description": "",
        "source": rng.choice(["meeting", "superior", "annual_report", "complaint", "other"]),
        "category": rng.choice(TOPICS), "priority": "normal", "leader": "",
        "deadline": deadline, "original_deadline": deadline, "deadline_rule": "date",
        "deadline_workdays": None, "status": status, "lead_department_id": lead,
        "stalest_report_at": min(last_heard) if last_heard else None, "last_feedback_at": latest,
        "open_urge_respond_by": urge_due, "return_count": int(rng.random() < 0.05),
        "parent_id": None, "created_by": office, "created_at": created, "updated_at": now,
        "dispatched_at": dispatched, "closed_at": closed_at, "closure_requested_on": requested_on,
        "version": 1})
    event = AuditEvent(occurred_at=created, actor_id=office, entity="task", entity_id=task_id,
                       task_id=task_id, action="register", before=None,
                       after={"status": status}, prev_hash=prev_hash, hash="")
    event.hash = event_hash(prev_hash, event)
    rows["audit_event"].append({"id": task_id, "occurred_at": created, "actor_id": office,
                                "entity": "task", "entity_id": task_id, "task_id": task_id,
                                "action": "register", "before": None, "after": {"status": status},
                                "prev_hash": prev_hash, "hash": event.hash})
    return event.hash


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, required=True)
    parser.add_argument("--db", required=True, help="database URL; must be empty")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.db.startswith("sqlite:///"):
        Path(args.db.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    db = Database.from_url(args.db)
    ensure_schema(db)
    started = time.perf_counter()
    counts = generate(db, args.tasks, args.seed)
    elapsed = time.perf_counter() - started
    size = ""
    if db.backend == "sqlite":
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        path = Path(db.engine.url.database or "")
        size = f", file {path.stat().st_size / 1e6:.1f} MB"
    db.dispose()
    print(f"generated {args.tasks} tasks in {elapsed:.1f} s{size}: "
          + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
