"""The demo town: loaded through the services, every light and state on show."""

import re

import pytest
from sqlalchemy import func
from sqlmodel import select

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import TaskStatus, UnitRole
from coordboard.errors import ValidationError
from coordboard.models import AuditEvent, Department, ExtensionRequest, Task, TaskUnit, User
from coordboard.paths import seeds_dir
from coordboard.services import board
from coordboard.services.demo import load_demo, read_seed
from coordboard.services.lights import LightContext
from coordboard.services.workdays import load_calendar


@pytest.fixture
def demo_db(db: Database, frozen) -> Database:
    load_demo(db, Settings(), seeds_dir() / "demo.toml")
    return db


def test_demo_has_the_town_and_enough_tasks(demo_db: Database) -> None:
    with demo_db.read() as session:
        assert session.exec(select(func.count()).select_from(Department)).one() >= 20
        assert session.exec(select(func.count()).select_from(Task)).one() >= 40
        roles = set(session.exec(select(User.role)).all())
        assert {"admin", "office", "head", "staff", "leader"} <= roles
        leads = session.exec(
            select(TaskUnit.task_id, func.count()).where(TaskUnit.role == UnitRole.LEAD)
            .group_by(TaskUnit.task_id)).all()
        assert len(leads) == session.exec(select(func.count()).select_from(Task)).one()
        assert all(n == 1 for _, n in leads)
        assert session.exec(select(func.count()).select_from(AuditEvent)).one() > 200
        # Every task's responsible leader is a leader user, and 2–3 leaders have tasks.
        assert session.exec(select(func.count()).select_from(Task)
                            .where(Task.leader != "")).one() == 0
        by_leader = dict(session.exec(select(User.role, func.count(func.distinct(Task.leader_id)))
                                      .join(User, User.id == Task.leader_id)
                                      .group_by(User.role)).all())
        assert by_leader == {"leader": 3}


def test_demo_shows_every_light_and_state(demo_db: Database) -> None:
    with demo_db.read() as session:
        ctx = LightContext.build(Settings(), load_calendar(session))
        counts = board.count_by_light(session, board.BoardFilter(), ctx)
        statuses = set(session.exec(select(Task.status)).all())
        pending = session.exec(select(func.count()).select_from(ExtensionRequest)
                               .where(ExtensionRequest.state == "pending")).one()
        returned = session.exec(select(func.count()).select_from(Task)
                                .where(Task.return_count > 0)).one()
        page = board.page(session, board.BoardFilter(), ctx, limit=100)
    assert counts["red"] > 0 and counts["yellow"] > 0 and counts["green"] > 0
    assert {TaskStatus.DRAFT, TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS,
            TaskStatus.CLOSURE_REQUESTED, TaskStatus.CLOSED, TaskStatus.SUSPENDED} <= statuses
    assert pending > 0 and returned > 0
    reasons = " ".join(r for row in page.rows for r in row.verdict.reasons)
    # Issue 11 rule 4: 逾期 everywhere, silence in working days, urges name kind and date.
    assert "已逾期" in reasons and "剩余" in reasons
    assert re.search(r"个工作日未反馈|未按期反馈，最久已 \d+ 个工作日", reasons), reasons
    assert "逾期未回复：" in reasons and "超期" not in reasons and "天未反馈" not in reasons


def test_board_filters_agree_with_counts(demo_db: Database) -> None:
    with demo_db.read() as session:
        ctx = LightContext.build(Settings(), load_calendar(session))
        counts = board.count_by_light(session, board.BoardFilter(), ctx)
        for light, n in counts.items():
            flt = board.BoardFilter(light=light)  # type: ignore[arg-type]
            result = board.page(session, flt, ctx, limit=100)
            assert result.total == n
            assert {row.verdict.light.value for row in result.rows} == {light}


def test_bad_seed_file_is_reported(tmp_path) -> None:
    bad = tmp_path / "demo.toml"
    bad.write_text('password = "x"\n[[departments]]\nname="a"\nshort="a"\ncode="a"\nkind="office"\n'
                   '[[tasks]]\ntitle="t"\nlead="nobody"\nscenario="on_pace"\n', encoding="utf-8")
    with pytest.raises(ValidationError, match="nobody"):
        read_seed(bad)


def test_demo_obeys_the_rules(demo_db: Database) -> None:
    """Issue 11 item 9: praised closures were on time, no stale campaigns, office hours."""
    from coordboard import clock
    from coordboard.models import AuditEvent, SupervisionNote
    from coordboard.services import rules
    from coordboard.services.workdays import WorkCalendar

    calendar = WorkCalendar()
    with demo_db.read() as session:
        praised = session.exec(select(Task).join(SupervisionNote, SupervisionNote.task_id == Task.id)
                               .where(SupervisionNote.kind == "praise")).all()
        closed = session.exec(select(Task).where(Task.status == TaskStatus.CLOSED)).all()
        titles = session.exec(select(Task.title)).all()
        instants = session.exec(select(AuditEvent.occurred_at)).all()
    assert praised and all(rules.is_on_time(task) for task in praised)
    assert closed and all(rules.is_on_time(task) for task in closed)
    assert not [t for t in titles if "七五" in t or "2022" in t or "2021" in t]
    for instant in instants:
        local = clock.local(instant, Settings().timezone)
        assert calendar.is_workday(local.date()), local
        assert (8, 30) <= (local.hour, local.minute) <= (17, 30), local


def test_every_demo_timestamp_is_in_office_hours_and_no_campaign_is_stale(demo_db: Database) -> None:
    """Issue 11 item 9, beyond the audit trail: every instant the screens show (registered,
    dispatched, closed, reports, notes, answers) falls on a working day in office hours, and
    no title, description or part names a past campaign or year."""
    import re

    from coordboard import clock
    from coordboard.models import Feedback, SupervisionNote
    from coordboard.services.workdays import WorkCalendar

    calendar, zone = WorkCalendar(), Settings().timezone
    with demo_db.read() as session:
        task_rows = session.exec(select(Task)).all()
        instants = [i for task in task_rows
                    for i in (task.created_at, task.dispatched_at, task.closed_at) if i]
        instants += list(session.exec(select(Feedback.created_at)).all())
        notes = session.exec(select(SupervisionNote)).all()
        instants += [i for note in notes for i in (note.created_at, note.responded_at) if i]
        texts = [text for task in task_rows for text in (task.title, task.description)]
        texts += [part for part in session.exec(select(TaskUnit.part)).all() if part]
    assert instants
    for instant in instants:
        local = clock.local(instant, zone)
        assert calendar.is_workday(local.date()), local
        assert (8, 30) <= (local.hour, local.minute) <= (17, 30), local
    stale = [text for text in texts
             if "七五" in text or any(int(y) < 2024 for y in re.findall(r"(20\d\d)年", text))]
    assert stale == []
