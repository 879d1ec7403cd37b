"""Evidence through the real ``coordboard`` command: attach, list, get gives the same bytes."""

import json
from datetime import date
from pathlib import Path

from test_cli_lifecycle import Cli

from coordboard.db import Database
from coordboard.enums import Role
from coordboard.migrate import ensure_schema
from coordboard.services import directory, tasks
from coordboard.services.directory import hash_password
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar

HOSTILE = "报告\x1b[2J\u202e.pdf"  # ESC (clear screen) and a right-to-left override


def test_attach_then_get_gives_identical_bytes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'office.db'}"  # the backends are the service tests' part
    db = Database.from_url(url)
    ensure_schema(db)
    shared = hash_password("secret123")
    with db.write() as session:
        unit = directory.add_department(session, name="司法所").id
        office = directory.add_user(session, username="office", display_name="法治办",
                                    role=Role.OFFICE, password="secret123", password_hash=shared)
        directory.add_user(session, username="sfs", display_name="司法所", role=Role.HEAD,
                           password="secret123", password_hash=shared, department_id=unit)
        task = tasks.register(session, actor_id=office.id, title="普法宣传",
                              lead=UnitAssignment(unit or 0), deadline=date(2026, 12, 31),
                              today=date(2026, 11, 25))
        tasks.dispatch(session, task=task, actor_id=office.id, calendar=WorkCalendar(),
                       today=date(2026, 11, 25))
        code = task.code
    db.dispose()
    data = bytes(range(256)) * 4200  # just over 1 MB: read and written in two chunks
    source = tmp_path / "in" / HOSTILE
    source.parent.mkdir()
    source.write_bytes(data)
    photo = tmp_path / "in" / "现场.jpg"
    photo.write_bytes(b"\xff\xd8jpeg")
    cli = Cli(url, tmp_path / "home")
    cli.login("sfs")

    attached = cli("task", "attach", code, str(source))
    assert "\x1b" not in attached.stdout and "\u202e" not in attached.stdout
    assert "␛[2J" in attached.stdout and "1.0 MB" in attached.stdout
    cli("task", "feedback", code, "--text", "附现场照片", "--attach", str(photo))

    listed = json.loads(cli("task", "attachments", code, "--format", "json").stdout)
    assert [(a["id"], a["name"], a["size"], a["link"]) for a in listed] == [
        (1, HOSTILE, len(data), "task"), (2, "现场.jpg", 6, "feedback")]
    table = cli("task", "attachments", code).stdout
    assert "\x1b" not in table and "␛[2J" in table and "现场.jpg" in table

    out = tmp_path / "out"
    out.mkdir()
    saved = cli("task", "attachment", "get", code, "1", "-o", str(out))
    [written] = list(out.iterdir())
    assert written.name == "报告_[2J_.pdf" and written.read_bytes() == data
    assert "\x1b" not in saved.stdout
    again = cli("task", "attachment", "get", code, "1", "-o", str(out), ok=False)
    assert again.returncode == 1 and "已存在" in again.stderr and "Traceback" not in again.stderr
    named = out / "copy.jpg"
    cli("task", "attachment", "get", code, "2", "-o", str(named))
    assert named.read_bytes() == b"\xff\xd8jpeg"

    history = cli("task", "history", code).stdout
    assert "上传佐证材料" in history and "附于进展反馈" in history and "\x1b" not in history
