"""Time ``audit verify``'s two passes on a generated database.

    python bench/generate.py --tasks 100000 --db sqlite:///bench/out/100k.db
    python bench/audit_verify.py sqlite:///bench/out/100k.db

The generator writes events without task snapshots; this fills them in with SQL (the
append-only trigger is dropped: use a throwaway copy), times the task pass, then clears
them again and times the chain pass. SQLite only (json_object).
"""
import sys
import time

from coordboard.db import Database
from coordboard.services import audit

db = Database.from_url(sys.argv[1])
with db.engine.begin() as conn:
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_event_no_update")
    conn.exec_driver_sql(
        "UPDATE audit_event SET task_state = (SELECT json_object('title', t.title,"
        " 'status', t.status, 'deadline', t.deadline, 'lead_department_id',"
        " t.lead_department_id, 'return_count', t.return_count)"
        " FROM task t WHERE t.id = audit_event.task_id)")
with db.read() as session:
    start = time.perf_counter()
    report = audit.Report()
    audit._check_tasks(session, report)
    print(f"task pass: {time.perf_counter() - start:.2f} s, {report.tasks} tasks, {report.problem}")
with db.engine.begin() as conn:
    conn.exec_driver_sql("UPDATE audit_event SET task_state = NULL")
with db.read() as session:
    start = time.perf_counter()
    report = audit.Report()
    audit._walk(session, report, None, None, 5000)
    print(f"chain pass: {time.perf_counter() - start:.2f} s, {report.checked} events, {report.problem}")
