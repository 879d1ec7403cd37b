"""Stages (阶段节点): planned by the office, reached by the responsible unit's head or the
office; ``task.next_stage_due`` follows every change; a passed stage lights the task yellow
"behind planned pace", named in the reason (issue 14 item 6)."""

from datetime import UTC, date

import pytest
from sqlalchemy import event
from sqlmodel import select

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Light, Role
from coordboard.errors import DomainError, ValidationError
from coordboard.models import AuditEvent
from coordboard.services import audit, board, directory, tasks, workflow
from coordboard.services.lights import LightContext
from coordboard.services.permissions import Actor, PermissionDenied
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import load_calendar

SETTINGS = Settings()


@pytest.fixture
def setup(db: Database, frozen) -> dict:
    """A dispatched task (deadline 12-31) led by 司法所 with 派出所 supporting; the office,
    司法所's head and 派出所's head. Today is Wednesday 2026-11-25."""
    with db.write() as session:
        s = directory.add_department(session, name="司法所").id or 0
        p = directory.add_department(session, name="派出所").id or 0
        office = directory.add_user(session, username="office", display_name="王督查",
                                    role=Role.OFFICE, password="x" * 8, password_hash="-")
        head_s = directory.add_user(session, username="head_s", display_name="李所长",
                                    role=Role.HEAD, password="x" * 8, password_hash="-",
                                    department_id=s)
        head_p = directory.add_user(session, username="head_p", display_name="张所长",
                                    role=Role.HEAD, password="x" * 8, password_hash="-",
                                    department_id=p)
        task = tasks.register(session, actor_id=office.id, title="普法宣传月",
                              lead=UnitAssignment(s), supporters=[UnitAssignment(p)],
                              deadline=date(2026, 12, 31), today=date(2026, 11, 25))
        code = task.code
    actors = {"office": Actor(office.id or 0, "office", Role.OFFICE, None),
              "head_s": Actor(head_s.id or 0, "head_s", Role.HEAD, s),
              "head_p": Actor(head_p.id or 0, "head_p", Role.HEAD, p)}
    with db.write() as session:
        workflow.dispatch(session, actor=actors["office"], code=code, settings=SETTINGS)
    return {"db": db, "code": code, "s": s, "p": p, **actors}


def _next_due(db: Database, code: str) -> date | None:
    with db.read() as session:
        return tasks.task_by_code(session, code).next_stage_due


def _verdict(db: Database, code: str):
    with db.read() as session:
        ctx = LightContext.build(SETTINGS, load_calendar(session))
        return board.verdict_of(session, tasks.task_by_code(session, code), ctx)


def test_next_stage_due_follows_add_edit_remove_and_reach(setup: dict) -> None:
    db, code, office = setup["db"], setup["code"], setup["office"]
    with db.write() as session:
        workflow.add_stage(session, actor=office, code=code, settings=SETTINGS, title="调研",
                           due=date(2026, 12, 10), department_id=setup["s"])
        workflow.add_stage(session, actor=office, code=code, settings=SETTINGS, title="起草",
                           due=date(2026, 12, 1), department_id=setup["p"])
    assert _next_due(db, code) == date(2026, 12, 1)
    with db.write() as session:
        workflow.edit_stage(session, actor=office, code=code, settings=SETTINGS, seq=2,
                            due=date(2026, 12, 20))
    assert _next_due(db, code) == date(2026, 12, 10)
    with db.write() as session:
        workflow.reach_stage(session, actor=setup["head_s"], code=code, settings=SETTINGS, seq=1,
                             report="调研报告已完成")
    assert _next_due(db, code) == date(2026, 12, 20)
    with db.write() as session:
        workflow.remove_stage(session, actor=office, code=code, settings=SETTINGS, seq=2)
    assert _next_due(db, code) is None
    with db.read() as session:
        actions = session.exec(select(AuditEvent.action).where(AuditEvent.entity == "task_stage")
                               .order_by(AuditEvent.id)).all()
        assert actions == ["stage_add", "stage_add", "stage_edit", "stage_reached", "stage_remove"]
        assert audit.verify(session).problem is None


def test_who_may_mark_a_stage_reached(setup: dict) -> None:
    db, code = setup["db"], setup["code"]
    with db.write() as session:
        workflow.add_stage(session, actor=setup["office"], code=code, settings=SETTINGS,
                           title="调研", due=date(2026, 12, 10), department_id=setup["s"])
        workflow.add_stage(session, actor=setup["office"], code=code, settings=SETTINGS,
                           title="宣传", due=date(2026, 12, 12), department_id=setup["p"])
    with pytest.raises(ValidationError) as wrong_unit, db.write() as session:
        workflow.reach_stage(session, actor=setup["head_p"], code=code, settings=SETTINGS, seq=1)
    assert wrong_unit.value.key == "error.stage_not_yours"
    with pytest.raises(PermissionDenied), db.write() as session:  # units do not plan stages
        workflow.add_stage(session, actor=setup["head_s"], code=code, settings=SETTINGS,
                           title="x", due=date(2026, 12, 1), department_id=setup["s"])
    with db.write() as session:  # the office marks any unit's stage
        workflow.reach_stage(session, actor=setup["office"], code=code, settings=SETTINGS, seq=2)
    with pytest.raises(DomainError) as twice, db.write() as session:
        workflow.reach_stage(session, actor=setup["office"], code=code, settings=SETTINGS, seq=2)
    assert twice.value.key == "error.stage_already_reached"
    with pytest.raises(DomainError) as none_left, db.write() as session:
        workflow.reach_stage(session, actor=setup["head_p"], code=code, settings=SETTINGS, seq=2)
    assert none_left.value.key == "error.no_stage_to_reach"


@pytest.mark.parametrize("due, key", [
    (date(2027, 1, 5), "error.stage_after_deadline"),  # after the task's deadline
    (date(2026, 11, 24), "error.deadline_past"),  # the deadline window: not past
])
def test_stage_day_is_checked(setup: dict, due: date, key: str) -> None:
    with pytest.raises(ValidationError) as refused, setup["db"].write() as session:
        workflow.add_stage(session, actor=setup["office"], code=setup["code"], settings=SETTINGS,
                           title="调研", due=due, department_id=setup["s"])
    assert refused.value.key == key


def test_stage_unit_must_be_one_of_the_tasks(setup: dict) -> None:
    db = setup["db"]
    with db.write() as session:
        other = directory.add_department(session, name="文化站").id or 0
    with pytest.raises(ValidationError) as refused, db.write() as session:
        workflow.add_stage(session, actor=setup["office"], code=setup["code"], settings=SETTINGS,
                           title="调研", due=date(2026, 12, 1), department_id=other)
    assert refused.value.key == "error.not_a_unit"


def test_a_passed_stage_lights_the_task_yellow_with_its_reason(setup: dict, frozen) -> None:
    db, code = setup["db"], setup["code"]
    with db.write() as session:
        workflow.add_stage(session, actor=setup["office"], code=code, settings=SETTINGS,
                           title="调研", due=date(2026, 11, 27), department_id=setup["s"])
        workflow.feedback(session, actor=setup["head_s"], code=code, settings=SETTINGS, body="进展")
        workflow.feedback(session, actor=setup["head_p"], code=code, settings=SETTINGS, body="进展")
    assert _verdict(db, code).light == Light.GREEN
    with clock.at(frozen.add(days=3)):  # Saturday 11-28: the stage's day has passed
        verdict = _verdict(db, code)
        assert verdict.light == Light.YELLOW
        assert verdict.reasons == ("进度滞后：阶段节点①“调研”应于11月27日完成（司法所）",)
        with db.write() as session:
            workflow.request_closure(session, actor=setup["head_s"], code=code,
                                     settings=SETTINGS)
        # A timely closure request stops the clock: not yellow for pace meanwhile.
        assert _verdict(db, code).light == Light.GREEN


def test_upgrade_from_0012_adds_stages(db: Database, frozen) -> None:
    """Down to 0012 (no stages), up again: the table and the task's column come back, empty."""
    from alembic import command
    from sqlalchemy import inspect

    from coordboard.migrate import alembic_config, current_revision, head_revision, upgrade

    config = alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0012")
    with db.engine.connect() as conn:
        assert "task_stage" not in inspect(conn).get_table_names()
        assert "next_stage_due" not in {c["name"] for c in inspect(conn).get_columns("task")}
    upgrade(db)
    assert current_revision(db) == head_revision()
    with db.engine.connect() as conn:
        assert "ix_task_next_stage_due" in {i["name"] for i in inspect(conn).get_indexes("task")}


def test_the_bulletin_lists_a_task_behind_pace_with_its_late_stage(setup: dict, frozen) -> None:
    """Yellow list of the week's bulletin: a task far from its deadline but with a passed
    stage is there, its reason naming the stage, its day in Chinese and its unit; a stage
    reached after the bulletin's day still counts as late on that day."""
    from coordboard.services.reports import bulletin, bulletin_text

    db, code = setup["db"], setup["code"]
    with db.write() as session:
        for title, due, unit in (("调研", date(2026, 11, 27), "s"), ("起草", date(2026, 11, 26), "p"),
                                 ("验收", date(2026, 12, 20), "s")):
            workflow.add_stage(session, actor=setup["office"], code=code, settings=SETTINGS,
                               title=title, due=due, department_id=setup[unit])
        workflow.feedback(session, actor=setup["head_s"], code=code, settings=SETTINGS, body="进展")
        workflow.feedback(session, actor=setup["head_p"], code=code, settings=SETTINGS, body="进展")
        other = tasks.register(session, actor_id=setup["office"].user_id, title="法治讲座",
                               lead=UnitAssignment(setup["s"]), deadline=date(2027, 1, 29),
                               today=date(2026, 11, 25)).code
        workflow.dispatch(session, actor=setup["office"], code=other, settings=SETTINGS)
        workflow.add_stage(session, actor=setup["office"], code=other, settings=SETTINGS,
                           title="备课", due=date(2026, 11, 27), department_id=setup["s"])
        workflow.feedback(session, actor=setup["head_s"], code=other, settings=SETTINGS, body="进展")
    with clock.at(frozen.add(days=5)), db.write() as session:  # Monday 11-30: ② reached late
        workflow.reach_stage(session, actor=setup["head_p"], code=code, settings=SETTINGS, seq=2)
    statements: list[str] = []

    def seen(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with clock.at(frozen.add(days=6)), db.read() as session:  # W48's, as of Sunday 11-29
            b = bulletin.build(session, SETTINGS, "2026-W48")
            text = bulletin_text.to_markdown(b)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert [item.code for item in b.yellow] == [code, other] and b.silent == []
    # The late stages of the whole yellow list in one query, not one per item.
    assert sum("SELECT task_stage.task_id" in s for s in statements) == 1
    assert "进度滞后：阶段节点①“备课”应于11月27日完成（司法所）。" in text
    # The earliest late stage named (② 11-26, reached only on 11-30), and how many were late.
    assert "进度滞后：阶段节点②“起草”应于11月26日完成（派出所），共2个节点滞后" in text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_ledger_prints_the_stages_first_in_its_progress_column(setup: dict, tmp_path) -> None:
    """办理进展 of the XLSX ledger: the stages in order, a reached one ticked, then the
    feedback."""
    from openpyxl import load_workbook

    from coordboard.services.reports import ledger

    db, code = setup["db"], setup["code"]
    with db.write() as session:
        workflow.add_stage(session, actor=setup["office"], code=code, settings=SETTINGS,
                           title="调研", due=date(2026, 12, 10), department_id=setup["s"])
        workflow.add_stage(session, actor=setup["office"], code=code, settings=SETTINGS,
                           title="起草", due=date(2026, 12, 20), department_id=setup["p"])
        workflow.reach_stage(session, actor=setup["head_s"], code=code, settings=SETTINGS, seq=1)
        workflow.feedback(session, actor=setup["head_s"], code=code, settings=SETTINGS, body="进展")
    path = tmp_path / "台账.xlsx"
    with db.read() as session:
        assert ledger.write(session, SETTINGS, board.BoardFilter(), path) == 1
    sheet = load_workbook(path).active
    assert sheet["M2"].value == "办理进展"
    assert sheet["M3"].value == "阶段节点：① 12-10 调研 ✓  ② 12-20 起草\n司法所（11月25日）：进展"


def test_a_drafts_deadline_cannot_move_before_a_stage(db: Database, frozen) -> None:
    with db.write() as session:
        unit = directory.add_department(session, name="司法所").id or 0
        office = directory.add_user(session, username="office", display_name="王督查",
                                    role=Role.OFFICE, password="x" * 8, password_hash="-")
        code = tasks.register(session, actor_id=office.id, title="普法宣传月",
                              lead=UnitAssignment(unit), deadline=date(2026, 12, 31),
                              today=date(2026, 11, 25)).code
    actor = Actor(office.id or 0, "office", Role.OFFICE, None)
    with db.write() as session:
        workflow.add_stage(session, actor=actor, code=code, settings=SETTINGS, title="调研",
                           due=date(2026, 12, 20), department_id=unit)
    with pytest.raises(ValidationError) as refused, db.write() as session:
        workflow.edit(session, actor=actor, code=code, settings=SETTINGS,
                      changes={"deadline": date(2026, 12, 19)})
    assert refused.value.key == "error.deadline_before_stage"
    assert "2026-12-20" in str(refused.value)
    with db.write() as session:  # on the stage's day: fine
        workflow.edit(session, actor=actor, code=code, settings=SETTINGS,
                      changes={"deadline": date(2026, 12, 20)})
    with db.read() as session:
        assert tasks.task_by_code(session, code).deadline == date(2026, 12, 20)


def test_a_stage_line_is_late_by_the_lights_rule() -> None:
    """The task screen and `task stage list` mark a stage late by ``rules.is_stage_late``:
    past its day and not reached; due today is not late yet."""
    from datetime import datetime

    from coordboard.services.stages import StageLine

    def line(due: date, reached: datetime | None = None) -> StageLine:
        return StageLine(1, "调研", due, 1, "司法所", reached, "", "")

    today = date(2026, 11, 25)
    assert line(date(2026, 11, 24)).is_late(today)
    assert not line(today).is_late(today)
    assert not line(date(2026, 11, 24), datetime(2026, 11, 24, tzinfo=UTC)).is_late(today)


def test_mark_reached_is_listed_only_on_a_task_with_stages(setup: dict) -> None:
    """Rule: the task screen lists the actions that exist for this task: "mark stage
    reached" is absent (not a greyed-out reason) while the task has no stages, and offered
    to the responsible unit once it has one."""
    from coordboard.services.detail import task_detail

    db, code = setup["db"], setup["code"]

    def offered(actor: Actor) -> dict[str, bool]:
        with db.read() as session:
            ctx = LightContext.build(SETTINGS, load_calendar(session))
            detail = task_detail(session, actor=actor, code=code, ctx=ctx, settings=SETTINGS)
        return {state.action: state.enabled for state in detail.actions}

    assert "reach_stage" not in offered(setup["head_s"])
    assert "reach_stage" not in offered(setup["office"])
    with db.write() as session:
        workflow.add_stage(session, actor=setup["office"], code=code, settings=SETTINGS,
                           title="调研", due=date(2026, 12, 10), department_id=setup["s"])
    assert offered(setup["head_s"])["reach_stage"] is True
    assert offered(setup["head_p"])["reach_stage"] is False  # listed, with why: not its stage
