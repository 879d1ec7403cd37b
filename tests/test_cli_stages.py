"""Stages (阶段节点) through the real ``coordboard`` command: the office adds them, the
responsible unit's head marks one reached, ``task show`` lists them. (Refusals, edits and
removal: tests/test_stages.py, on both backends; each command here costs a process start.)"""

import json
from datetime import date, timedelta
from pathlib import Path

from test_cli_lifecycle import Cli

from coordboard.db import Database
from coordboard.enums import Role
from coordboard.migrate import ensure_schema
from coordboard.services import directory, tasks
from coordboard.services.directory import hash_password
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar


def test_stage_add_list_reached_remove_and_show(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'office.db'}"  # the backends are the service tests' part
    db = Database.from_url(url)
    ensure_schema(db)
    today = date.today()  # the command runs on the real clock
    shared = hash_password("secret123")
    with db.write() as session:
        s = directory.add_department(session, name="司法所").id or 0
        p = directory.add_department(session, name="派出所").id or 0
        office = directory.add_user(session, username="office", display_name="法治办",
                                    role=Role.OFFICE, password="secret123", password_hash=shared)
        for name, unit in (("sfs", s), ("pcs", p)):
            directory.add_user(session, username=name, display_name=name, role=Role.HEAD,
                               password="secret123", password_hash=shared, department_id=unit)
        task = tasks.register(session, actor_id=office.id, title="普法宣传", today=today,
                              lead=UnitAssignment(s), supporters=[UnitAssignment(p)],
                              deadline=today + timedelta(days=60))
        tasks.dispatch(session, task=task, actor_id=office.id, calendar=WorkCalendar(),
                       today=today)
        code = task.code
    db.dispose()
    first, second = today + timedelta(days=10), today + timedelta(days=20)
    cli = Cli(url, tmp_path / "home")
    cli.login("office")
    added = cli("task", "stage", "add", code, "--title", "调研", "--due", first.isoformat(),
                "--unit", "司法所")
    assert f"{code}新增阶段节点1" in added.stdout
    cli("task", "stage", "add", code, "--title", "起草", "--due", second.isoformat(),
        "--unit", "派出所")
    cli.login("sfs")
    cli("task", "stage", "reached", code, "1", "--note", "调研报告已报")

    listed = json.loads(cli("task", "stage", "list", code, "--format", "json").stdout)
    assert [(row["stage"], row["stage_title"], row["unit"], row["report"]) for row in listed] == [
        (1, "调研", "司法所", "调研报告已报"), (2, "起草", "派出所", "")]
    assert listed[0]["stage_state"] is not None and listed[1]["stage_state"] is None
    shown = cli("task", "show", code).stdout
    assert "阶段节点" in shown and "① " in shown and "已完成" in shown and "② " in shown
