"""Sources (事项来源), leaders' instructions (领导批示) and the list of categories (类别):
issue 14 item 5. Each rule on both backends; the ledger, notice and import print or read them."""

from datetime import date

import pytest
from sqlmodel import select

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Role
from coordboard.errors import NotFoundError, ValidationError
from coordboard.models import Category, Task
from coordboard.services import board, categories, directory, tasks, workflow
from coordboard.services.lights import LightContext
from coordboard.services.permissions import Actor, PermissionDenied
from coordboard.services.sources import Instruction
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar

TODAY = date(2026, 11, 25)  # the frozen clock's day
HOSTILE = "[/] [@click=app.quit]x[/] \x1b[2J\x07 \u202e王镇长\n第二行"


def _office(db: Database) -> tuple[Actor, int]:
    with db.write() as session:
        unit = directory.add_department(session, name="司法所").id or 0
        user = directory.add_user(session, username="office", display_name="法治办",
                                  role=Role.OFFICE, password="x" * 8)
    return Actor(user.id or 0, "office", Role.OFFICE, None), unit


def _add(db: Database, unit: int, **kw: object) -> Task:
    with db.write() as session:
        task = tasks.register(session, actor_id=None, title="专项资金检查",
                              lead=UnitAssignment(unit), deadline=date(2026, 12, 31),
                              today=TODAY, **kw)  # type: ignore[arg-type]
        session.expunge(task)
        return task


@pytest.mark.parametrize(("instruction", "key"), [
    (Instruction("", date(2026, 11, 20), "请牵头检查"), "error.instruction_required"),
    (Instruction("王镇长", None, "   "), "error.instruction_required"),
    (Instruction("王镇长", date(2026, 11, 26), "请牵头检查"), "error.date_future"),
    (Instruction("王镇长", date(2021, 11, 24), "请牵头检查"), "error.date_too_old"),
    (Instruction("王"* 101, None, "请牵头检查"), "error.text_too_long"),
    (Instruction("王镇长", None, "请\x00检查"), "error.text_nul"),
])
def test_an_instruction_needs_its_leader_and_words_and_a_sane_day(
        db: Database, frozen, instruction: Instruction, key: str) -> None:
    _, unit = _office(db)
    with pytest.raises(ValidationError) as refused:
        _add(db, unit, source="instruction", instruction=instruction)
    assert refused.value.key == key
    with db.read() as session:
        assert session.exec(select(Task)).all() == []


def test_an_instruction_is_stored_as_typed_and_other_sources_refuse_one(db: Database,
                                                                       frozen) -> None:
    _, unit = _office(db)
    task = _add(db, unit, source="instruction",
                instruction=Instruction(f" {HOSTILE} "[:100], date(2021, 11, 25), HOSTILE))
    with db.read() as session:
        stored = tasks.task_by_code(session, task.code)
        assert (stored.instruction_by, stored.instruction_date, stored.instruction_text) == (
            f" {HOSTILE} "[:100].strip(), date(2021, 11, 25), HOSTILE)
    with pytest.raises(ValidationError) as refused:
        _add(db, unit, source="meeting", instruction=Instruction("王镇长", None, ""))
    assert refused.value.key == "error.instruction_other_source"
    assert "会议议定" in str(refused.value) and "领导批示" in str(refused.value)
    with pytest.raises(ValidationError):
        _add(db, unit, source="no_such_source")


def test_editing_the_source_checks_the_instruction_as_a_whole(db: Database, frozen) -> None:
    office, unit = _office(db)
    task = _add(db, unit, source="meeting")
    settings = Settings()

    def edit(**changes: object) -> Task:
        with db.write() as session:
            return workflow.edit(session, actor=office, code=task.code, settings=settings,
                                 changes=changes)  # type: ignore[arg-type]

    with pytest.raises(ValidationError) as refused:
        edit(source="instruction")  # no leader nor words yet
    assert refused.value.key == "error.instruction_required"
    edit(source="instruction", instruction_by="王镇长", instruction_text="月底前报告",
         instruction_date=date(2026, 11, 20))
    with pytest.raises(ValidationError) as refused:
        edit(source="meeting")  # the instruction still filled in: said, not dropped
    assert refused.value.key == "error.instruction_other_source"
    with pytest.raises(ValidationError):
        edit(instruction_date=date(2026, 12, 1))  # after today
    edit(source="meeting", instruction_by="", instruction_text="", instruction_date=None)
    with db.read() as session:
        stored = tasks.task_by_code(session, task.code)
        assert (stored.source, stored.instruction_by, stored.instruction_date,
                stored.instruction_text) == ("meeting", "", None, "")


def test_categories_are_a_list_the_office_keeps(db: Database, frozen) -> None:
    office, unit = _office(db)
    head = Actor(office.user_id, "office", Role.HEAD, unit)
    with db.read() as session:
        assert categories.names(session)[:3] == ["普法宣传", "依法决策", "行政执法"]
    with pytest.raises(ValidationError) as refused:
        _add(db, unit, category="随便写的")
    assert refused.value.key == "error.category_unknown" and "普法宣传" in str(refused.value)
    kept = _add(db, unit, category="普法宣传")
    other = _add(db, unit, category="依法决策")
    with db.write() as session, pytest.raises(PermissionDenied):
        categories.add(session, actor=head, name="新类别")
    with db.write() as session:
        categories.add(session, actor=office, name=HOSTILE[:50])
        with pytest.raises(ValidationError):
            categories.add(session, actor=office, name="普法宣传")
        assert categories.rename(session, actor=office, old="普法宣传", new="法治宣传") == 1
        categories.retire(session, actor=office, name="法治宣传")
    _add(db, unit, category=HOSTILE[:50].strip())
    with pytest.raises(ValidationError) as refused:
        _add(db, unit, category="法治宣传")
    assert refused.value.key == "error.category_retired"
    with db.read() as session:
        renamed = tasks.task_by_code(session, kept.code)
        assert renamed.category == "法治宣传" and renamed.version == kept.version + 1
        assert "法治宣传" not in categories.names(session)
        ctx = LightContext.build(Settings(), WorkCalendar())
        for name, codes in (("法治宣传", [kept.code]), ("依法决策", [other.code])):
            page = board.page(session, board.BoardFilter(category=name), ctx)
            assert [row.task.code for row in page.rows] == codes
        with pytest.raises(NotFoundError):
            categories.filter_name(session, "没有这个")
    # A task keeps its retired category through an edit of something else.
    with db.write() as session:
        workflow.edit(session, actor=office, code=kept.code, settings=Settings(),
                      changes={"title": "改了名字", "category": "法治宣传"})
    # A saved filter keeps the category.
    flt = board.BoardFilter(category="依法决策")
    assert board.BoardFilter.from_dict(flt.to_dict()) == flt


def test_migration_0013_lists_the_categories_typed_before(db: Database, frozen) -> None:
    from alembic import command
    from sqlalchemy import text

    from coordboard.migrate import alembic_config, current_revision, upgrade

    _, unit = _office(db)
    task = _add(db, unit, category="普法宣传")
    config = alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0012")
    assert current_revision(db) == "0012"
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE task SET category = '老的类别' WHERE code = :c"),
                      {"c": task.code})
    upgrade(db)
    with db.read() as session:
        entries = {c.name: c for c in session.exec(select(Category)).all()}
        stored = tasks.task_by_code(session, task.code)
    assert "老的类别" in entries and "普法宣传" in entries
    assert entries["老的类别"].sort_order > entries["普法宣传"].sort_order
    assert (stored.category, stored.source, stored.instruction_by, stored.instruction_date,
            stored.instruction_text) == ("老的类别", "other", "", None, "")
