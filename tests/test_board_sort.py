"""The board's sort orders, in SQL, on SQLite and PostgreSQL: titles and unit names in pinyin
order (stored keys, coordboard/collation.py), statuses in the order of a task's life."""

from datetime import date

from sqlalchemy import insert, update
from sqlmodel import col, select

from coordboard import clock
from coordboard.collation import sort_key
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import TaskStatus
from coordboard.models import Department, Task
from coordboard.services import board, directory, tasks
from coordboard.services.lights import LightContext
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import load_calendar

# Code-point order would be 东 < 党 < 司 < 法 < 综 (U+4E1C, U+515A, U+53F8, U+6CD5, U+7EFC);
# pinyin order is dǎng < dōng < fǎ < sī < zōng.
UNITS = ("综治中心", "司法所", "法治办", "东关村", "党政办")
PINYIN_ORDER = ["党政办", "东关村", "法治办", "司法所", "综治中心"]
TITLES = ("综合执法培训", "“八五”普法验收", "安全生产检查", "法律明白人培养", "APP推广")
TITLE_ORDER = ["安全生产检查", "APP推广", "“八五”普法验收", "法律明白人培养", "综合执法培训"]


def _town(db: Database) -> dict[str, int]:
    with db.write() as session:
        units = {name: directory.add_department(session, name=name).id or 0 for name in UNITS}
    for title, lead in zip(TITLES, UNITS, strict=True):
        with db.write() as session:
            others = [UnitAssignment(units[u], "") for u in UNITS if u != lead][:2]
            tasks.register(session, actor_id=None, title=title, lead=UnitAssignment(units[lead], ""),
                           supporters=others, deadline=date(2026, 12, 31), today=date(2026, 11, 25))
    return units


def _page(db: Database, sort: str, descending: bool = False) -> list[board.BoardRow]:
    with db.read() as session:
        ctx = LightContext.build(Settings(), load_calendar(session))
        return board.page(session, board.BoardFilter(sort=sort, descending=descending), ctx).rows


def test_titles_sort_in_pinyin_order(db: Database, frozen) -> None:
    _town(db)
    assert [row.task.title for row in _page(db, "title")] == TITLE_ORDER
    assert [row.task.title for row in _page(db, "title", descending=True)] == TITLE_ORDER[::-1]


def test_lead_units_sort_in_pinyin_order_and_supporters_are_listed_so(db: Database, frozen) -> None:
    _town(db)
    assert [row.lead for row in _page(db, "lead")] == PINYIN_ORDER
    rows = _page(db, "supporters")
    assert all(row.supporters == sorted(row.supporters, key=PINYIN_ORDER.index) for row in rows)
    firsts = [PINYIN_ORDER.index(row.supporters[0]) for row in rows]
    assert firsts == sorted(firsts)


def test_status_sorts_in_lifecycle_order(db: Database, frozen) -> None:
    _town(db)
    # Alphabetically: acknowledged, assigned, closed, closure_requested, draft, in_progress.
    statuses = [TaskStatus.CLOSED, TaskStatus.DRAFT, TaskStatus.IN_PROGRESS,
                TaskStatus.ACKNOWLEDGED, TaskStatus.ASSIGNED]
    with db.write() as session:
        ids = session.exec(select(Task.id).order_by(col(Task.id))).all()
        for task_id, status in zip(ids, statuses, strict=True):
            session.execute(update(Task).where(col(Task.id) == task_id).values(status=status))
    assert [row.task.status for row in _page(db, "status")] == [
        TaskStatus.DRAFT, TaskStatus.ASSIGNED, TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS,
        TaskStatus.CLOSED]


def test_keys_follow_every_way_of_writing(db: Database, frozen) -> None:
    """Registered, renamed, and inserted in bulk (the importer's and the generator's core
    INSERT): each text's key is its pinyin key."""
    units = _town(db)
    with db.write() as session:
        directory.rename_department(session, name="党政办", new_name="党政综合办公室",
                                    short_name="综合办", actor_id=None)
        task = session.exec(select(Task)).first()
        assert task is not None
        session.execute(insert(Task), [dict(
            code="DB-2026-900", year=2026, seq=900, title="北京路整治", deadline=date(2026, 12, 1),
            original_deadline=date(2026, 12, 1), status="draft", lead_department_id=units["司法所"],
            created_at=clock.now(), updated_at=clock.now())])
    with db.read() as session:
        for title, key in session.exec(select(Task.title, Task.title_key)).all():
            assert key == sort_key(title) and key
        for name, key in session.exec(select(Department.short_name, Department.name_key)).all():
            assert key == sort_key(name) and key
    assert sort_key("北京路整治") == "bei3jing1lu4zheng3zhi4"
