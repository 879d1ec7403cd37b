"""One writer process of the concurrency test (tests/test_concurrency.py).

Every round all writers meet at a barrier; the round's contenders read the task
(the version a user would see), meet again, and act on it at once with that
version; the others write to a task of their own, which must simply succeed.
Each outcome is written as one JSON line for the test to check against the data.
"""

import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from acting import act
from sqlmodel import col, select

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.errors import CoordboardError
from coordboard.models import SupervisionNote
from coordboard.services import tasks
from coordboard.services.permissions import Actor
from coordboard.services.workflow import ConflictError

KINDS = ("request", "decide", "urge")  # a round's race, in turn on the same task
CONTENDERS = {"request": "head", "decide": "office", "urge": "head"}


def _round_task(plan: dict[str, Any], rnd: int) -> str:
    return plan["race_codes"][(rnd // len(KINDS)) % len(plan["race_codes"])]


def run(url: str, plan: dict[str, Any], me: int, barrier: Any, out: str) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    who = plan["workers"][me]
    actor = Actor(who["user_id"], who["username"], who["role"], who["department_id"])
    db = Database.from_url(url)
    settings = Settings()
    wait = lambda: barrier.wait(120)  # noqa: E731
    with open(out, "w", encoding="utf-8") as log:
        for rnd in range(plan["rounds"]):
            kind, code = KINDS[rnd % len(KINDS)], _round_task(plan, rnd)
            if kind == "urge" and me == plan["urger"]:
                with db.write() as session:
                    act(session, actor=actor, code=code, action="note", settings=settings,
                        kind="urge", body=f"第{rnd}轮催办",
                        respond_by=tasks.task_by_code(session, code).deadline)
            wait()
            contender = who["role"] == CONTENDERS[kind]
            with db.read() as session:
                seen = tasks.task_by_code(session, code if contender else who["own_code"])
                note_id = session.exec(
                    select(SupervisionNote.id).where(SupervisionNote.task_id == seen.id,
                                                     col(SupervisionNote.responded_at).is_(None),
                                                     SupervisionNote.kind == "urge")
                    .order_by(col(SupervisionNote.id).desc())).first()
            wait()
            if not contender:
                action, params = (("note", {"kind": "reminder", "body": f"r{rnd}w{me}"})
                                  if who["role"] == "office"
                                  else ("feedback", {"body": f"r{rnd}w{me}"}))
                version = None
            elif kind == "request":
                action, params = "request_extension", {
                    "new_deadline": seen.deadline + timedelta(days=1 + me), "reason": f"r{rnd}w{me}"}
                version = seen.version
            elif kind == "decide":
                action, params = "decide_extension", {"approve": me % 2 == 0, "note": f"r{rnd}w{me}"}
                version = seen.version
            else:
                action, params = "respond", {"note_id": note_id, "response": f"r{rnd}w{me}"}
                version = seen.version
            target = code if contender else who["own_code"]
            record: dict[str, Any] = {"round": rnd, "kind": kind, "worker": me,
                                      "contender": contender, "action": action}
            try:
                with db.write() as session:
                    act(session, actor=actor, code=target, action=action, settings=settings,
                        expected_version=version, **params)
                record["outcome"] = "ok"
            except ConflictError as exc:
                record.update(outcome="conflict", message=str(exc))
            except CoordboardError as exc:
                record.update(outcome="refused", message=f"{exc.key}: {exc}")
            except Exception as exc:  # noqa: BLE001 - counted as an internal error, never hidden
                record.update(outcome="error", message=repr(exc))
            log.write(json.dumps(record, ensure_ascii=False) + "\n")
            log.flush()
            wait()
    db.dispose()
