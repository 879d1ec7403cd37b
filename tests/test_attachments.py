"""Evidence (佐证材料, issue 14 item 4) on both backends: limits, SHA-256, the audit event,
who may attach to what, hostile names; and a backup holds the files."""

import hashlib
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import func, select

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Role
from coordboard.errors import DomainError
from coordboard.models import Attachment, AuditEvent, Feedback
from coordboard.services import attachments, audit, backup, directory, tasks, workflow
from coordboard.services.attachments import MB, Target
from coordboard.services.permissions import Actor, PermissionDenied
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar


@dataclass
class Office:
    db: Database
    office: Actor
    lead: Actor  # 司法所, lead unit
    support: Actor  # 派出所, supporting unit
    other: Actor  # 文化站, not on the task
    code: str


def _actor(session, username: str, role: Role, unit: int | None) -> Actor:
    # No login in these tests: a stand-in hash spares four argon2 hashings per test.
    user = directory.add_user(session, username=username, display_name=username, role=role,
                              password="secret123", department_id=unit, password_hash="-")
    return Actor(user.id or 0, username, role, unit)


@pytest.fixture
def town(db: Database, frozen) -> Office:
    with db.write() as session:
        s, p, w = (directory.add_department(session, name=n).id or 0 for n in ("司法所", "派出所", "文化站"))
        office = _actor(session, "office", Role.OFFICE, None)
        lead, support, other = (_actor(session, "sfs", Role.HEAD, s),
                                _actor(session, "pcs", Role.STAFF, p),
                                _actor(session, "whz", Role.HEAD, w))
        task = tasks.register(session, actor_id=office.user_id, title="普法宣传",
                              lead=UnitAssignment(s), supporters=[UnitAssignment(p, "配合")],
                              deadline=date(2026, 12, 31), today=frozen.date())
        tasks.dispatch(session, task=task, actor_id=office.user_id, calendar=WorkCalendar(),
                       today=frozen.date())
        code = task.code
    return Office(db, office, lead, support, other, code)


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    folder = tmp_path / hashlib.sha1(name.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def _attach(o: Office, actor: Actor, path: Path, settings: Settings | None = None,
            to: Target | None = None, name: str | None = None) -> int:
    settings = settings or Settings()
    upload = attachments.read_upload(path, settings, name=name)
    with o.db.write() as session:
        return workflow.attach(session, actor=actor, code=o.code, settings=settings,
                               upload=upload, to=to).id or 0


def _count(o: Office) -> int:
    with o.db.read() as session:
        return session.exec(select(func.count()).select_from(Attachment)).one()


def test_round_trip_keeps_the_bytes_and_the_audit_event_names_the_file(town: Office,
                                                                       tmp_path: Path) -> None:
    data = bytes(range(256)) * 5000 + b"\x00end"  # > 1 MB: saved in more than one chunk
    path = _file(tmp_path, "现场照片.pdf", data)
    number = _attach(town, town.lead, path)
    with town.db.read() as session:
        task = tasks.task_by_code(session, town.code)
        [item] = attachments.listing(session, task)
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "attach")).one()
        out = tmp_path / "out"
        out.mkdir()
        saved = attachments.save(session, task=task, attachment_id=number, target=out)
        assert audit.verify(session).problem is None
    assert saved == out / "现场照片.pdf" and saved.read_bytes() == data
    assert (item.name, item.size, item.content_type, item.link) == (
        "现场照片.pdf", len(data), "application/pdf", "task")
    assert item.sha256 == hashlib.sha256(data).hexdigest() == event.after["sha256"]
    assert event.after == {"name": "现场照片.pdf", "size": len(data),
                           "content_type": "application/pdf", "sha256": item.sha256}
    assert event.entity == "attachment" and event.task_id is not None
    # Saving again refuses to replace the file, unless asked to.
    saved.write_bytes(b"kept")
    with town.db.read() as session, pytest.raises(DomainError, match="已存在"):
        attachments.save(session, task=tasks.task_by_code(session, town.code),
                         attachment_id=number, target=out)
    assert saved.read_bytes() == b"kept"
    with town.db.read() as session:
        attachments.save(session, task=tasks.task_by_code(session, town.code),
                         attachment_id=number, target=out, overwrite=True)
    assert saved.read_bytes() == data and sorted(out.iterdir()) == [saved]
    with pytest.raises(DomainError, match="找不到文件"):
        attachments.read_upload(tmp_path / "nope.pdf", Settings())


def test_limits_per_file_and_per_task_are_the_same_on_both_backends(town: Office,
                                                                    tmp_path: Path) -> None:
    settings = Settings(attachment_max_mb=1, attachment_task_max_mb=2)
    exactly = _file(tmp_path, "a.bin", b"x" * MB)
    over = _file(tmp_path, "b.bin", b"x" * (MB + 1))
    with pytest.raises(DomainError, match="超过单个文件1 MB的上限"):
        attachments.read_upload(over, settings)
    _attach(town, town.lead, exactly, settings)  # at the limit: accepted
    _attach(town, town.support, exactly, settings)  # the task now holds exactly 2 MB
    small = _file(tmp_path, "c.txt", b"1")
    with pytest.raises(DomainError, match="已有佐证材料2.0 MB.*每个事项2 MB的上限"):
        _attach(town, town.lead, small, settings)
    assert _count(town) == 2


def test_who_may_attach_is_who_may_act_on_the_task(town: Office, tmp_path: Path) -> None:
    path = _file(tmp_path, "记录.docx", b"evidence")
    with pytest.raises(PermissionDenied):
        _attach(town, town.other, path)  # its unit is not on the task
    _attach(town, town.support, path)  # a supporting unit may, on the task itself
    _attach(town, town.office, path)
    with town.db.write() as session:
        report = workflow.feedback(session, actor=town.lead, code=town.code,
                                   settings=Settings(), body="已开展三场宣讲").id
        note = workflow.note(session, actor=town.office, code=town.code, settings=Settings(),
                             kind="urge", body="请加快", department_id=town.lead.department_id,
                             respond_by=date(2026, 12, 1)).id
    with pytest.raises(DomainError, match="不是本单位的记录"):
        _attach(town, town.support, path, to=Target("feedback", report))
    with pytest.raises(DomainError, match="不是本单位的记录"):
        _attach(town, town.support, path, to=Target("note", note))
    _attach(town, town.lead, path, to=Target("feedback", report))
    _attach(town, town.lead, path, to=Target("note", note))
    with pytest.raises(DomainError, match="没有待审核的办结申请"):
        _attach(town, town.lead, path, to=Target("closure"))
    with town.db.write() as session:
        workflow.feedback(session, actor=town.support, code=town.code, settings=Settings(),
                          body="配合完成")
        workflow.request_closure(session, actor=town.lead, code=town.code, settings=Settings())
    with pytest.raises(DomainError, match="只有牵头单位"):
        _attach(town, town.support, path, to=Target("closure"))
    _attach(town, town.lead, path, to=Target("closure"))
    with town.db.read() as session:
        links = [(a.link, a.link_id is not None) for a in
                 attachments.listing(session, tasks.task_by_code(session, town.code))]
    assert links == [("task", False), ("task", False), ("feedback", True), ("note", True),
                     ("closure", True)]
    with town.db.write() as session:
        workflow.accept(session, actor=town.office, code=town.code, settings=Settings())
    with pytest.raises(DomainError, match="办结"):  # a closed task's record is final
        _attach(town, town.office, path)


def test_a_unit_cannot_attach_to_a_draft(db: Database, town: Office, tmp_path: Path,
                                         frozen) -> None:
    with db.write() as session:
        draft = tasks.register(session, actor_id=town.office.user_id, title="草稿",
                               lead=UnitAssignment(town.lead.department_id or 0),
                               deadline=date(2026, 12, 31), today=frozen.date()).code
    town.code = draft
    path = _file(tmp_path, "a.txt", b"a")
    with pytest.raises(DomainError, match="尚未交办"):
        _attach(town, town.lead, path)
    _attach(town, town.office, path)  # the office may attach the instruction it registers


HOSTILE = ["..", "../../etc/passwd", "a\\b.txt", "CON", "aux.txt", "name. . ", "x" * 240,
           "\u202egpj.exe", "bell\x07\x1b[31m.txt", "nul\x00byte.txt"]


def test_hostile_names_are_stored_as_given_and_saved_under_a_safe_name(town: Office,
                                                                      tmp_path: Path) -> None:
    source = _file(tmp_path, "plain.txt", b"content")
    numbers = [_attach(town, town.lead, source, name=name) for name in HOSTILE]
    out = tmp_path / "out"
    out.mkdir()
    with town.db.read() as session:
        task = tasks.task_by_code(session, town.code)
        names = [a.name for a in attachments.listing(session, task)]
        saved = [attachments.save(session, task=task, attachment_id=n, target=out)
                 for n in numbers]
    # As given; NUL (which PostgreSQL text cannot hold) as a visible mark on both backends.
    assert names == [*HOSTILE[:-1], "nul\u2400byte.txt"]
    assert all(path.parent == out and path.read_bytes() == b"content" for path in saved)
    safe = [path.name for path in saved]
    assert safe[0] == f"attachment-{numbers[0]}"
    assert safe[2:6] == ["a_b.txt", "_CON", "_aux.txt", "name"]
    assert len(safe[6].encode()) <= 200 and "\u202e" not in safe[7]
    assert safe[8] == "bell__[31m.txt"
    assert len(set(safe)) == len(safe) and all(".." not in name for name in safe)


def test_feedback_and_its_files_are_written_together(town: Office, tmp_path: Path) -> None:
    settings = Settings(attachment_max_mb=1, attachment_task_max_mb=1)
    files = [attachments.read_upload(_file(tmp_path, n, b"x" * (MB // 2 + 1)), settings)
             for n in ("1.jpg", "2.jpg")]
    with town.db.write() as session, pytest.raises(DomainError, match="每个事项1 MB"):
        workflow.feedback(session, actor=town.lead, code=town.code, settings=settings,
                          body="附照片", files=files)
    with town.db.read() as session:
        assert session.exec(select(func.count()).select_from(Feedback)).one() == 0
    assert _count(town) == 0
    with town.db.write() as session:
        report = workflow.feedback(session, actor=town.lead, code=town.code, settings=settings,
                                   body="附照片", files=files[:1])
    with town.db.read() as session:
        [item] = attachments.listing(session, tasks.task_by_code(session, town.code))
    assert (item.link, item.link_id, item.content_type) == ("feedback", report.id, "image/jpeg")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_backup_holds_the_files(town: Office, tmp_path: Path) -> None:
    data = b"%PDF-1.7 evidence" * 1000
    _attach(town, town.lead, _file(tmp_path, "办结报告.pdf", data))
    copy = backup.backup(town.db, actor=town.office, target=tmp_path / "copy.db").path
    conn = sqlite3.connect(copy)
    try:
        rows = conn.execute("SELECT name, size, sha256, content FROM attachment").fetchall()
    finally:
        conn.close()
    assert rows == [("办结报告.pdf", len(data), hashlib.sha256(data).hexdigest(), data)]
