"""The responsible leader is a user (issue 14 item 5): one rule for who can be one, names
resolved or refused with close matches, the board's leader filter, a leader's own tasks,
and the migration that links the free-text leaders of an existing database."""

from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import select
from town import build_town

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Role
from coordboard.errors import ValidationError
from coordboard.migrate import current_revision, head_revision
from coordboard.models import AuditEvent, Task
from coordboard.services import board, directory, leader_home, leaders, tasks
from coordboard.services.lights import LightContext
from coordboard.services.permissions import Actor
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import load_calendar

TODAY = date(2026, 11, 25)


def _people(db: Database) -> dict[str, int]:
    """Two leaders (one name shared by two of them), an office user, a disabled leader."""
    with db.write() as session:
        ids = {"unit": directory.add_department(session, name="镇司法所", short_name="司法所").id or 0}
        for username, name, role in (("wangjg", "王建国", Role.LEADER), ("lihua", "李华", Role.LEADER),
                                     ("lihua2", "李华", Role.LEADER), ("office", "法治办", Role.OFFICE),
                                     ("zhao", "赵强", Role.LEADER)):
            ids[username] = directory.add_user(session, username=username, display_name=name,
                                               role=role, password="x" * 8).id or 0
        directory.set_user_active(session, username="zhao", active=False, actor_id=None)
    return ids


def _register(db: Database, unit: int, **leader: object) -> Task:
    with db.write() as session:
        return tasks.register(session, actor_id=None, title="普法宣传", lead=UnitAssignment(unit),
                              deadline=date(2026, 12, 31), today=TODAY, **leader)  # type: ignore[arg-type]


def test_a_leader_is_named_by_username_or_name_and_nothing_else(db: Database, frozen) -> None:
    ids = _people(db)
    assert _register(db, ids["unit"], leader="王建国").leader_id == ids["wangjg"]
    assert _register(db, ids["unit"], leader=" wangjg ").leader_id == ids["wangjg"]
    assert _register(db, ids["unit"], leader_id=ids["lihua"]).leader_id == ids["lihua"]
    kept = _register(db, ids["unit"], leader="lihua2")
    assert (kept.leader_id, kept.leader) == (ids["lihua2"], "")
    assert _register(db, ids["unit"]).leader_id is None
    refusals = {
        "王建": ("error.leader_near", "王建国 (wangjg)"),  # a near miss: the close match
        "李华": ("error.leader_ambiguous", "李华 (lihua)"),  # two leaders: give the username
        "张三": ("error.leader_unknown", None),
        "法治办": ("error.leader_unknown", None),  # the office is not a leader
        "赵强": ("error.leader_unknown", None),  # a disabled leader answers for nothing new
    }
    for name, (key, listed) in refusals.items():
        with pytest.raises(ValidationError) as caught:
            _register(db, ids["unit"], leader=name)
        assert caught.value.key == key, name
        if listed:
            assert listed in str(caught.value)
    for user_id in (ids["office"], ids["zhao"], 9999):
        with pytest.raises(ValidationError) as caught:
            _register(db, ids["unit"], leader_id=user_id)
        assert caught.value.key == "error.not_a_leader"
    with db.read() as session:  # every refusal left nothing behind
        assert len(session.exec(select(Task)).all()) == 5


def test_editing_the_leader_links_a_user_and_drops_the_kept_text(db: Database, frozen) -> None:
    ids = _people(db)
    code = _register(db, ids["unit"]).code
    with db.write() as session:  # a name an old ledger held, as the migration leaves it
        session.execute(text("UPDATE task SET leader = '老领导' WHERE code = :c"), {"c": code})
    with db.read() as session:
        assert leaders.describe(session, tasks.task_by_code(session, code)) == ("老领导", False)
    with db.write() as session:
        task = tasks.edit(session, task=tasks.task_by_code(session, code), actor_id=None,
                          changes={"leader": "王建国"}, today=TODAY)
        assert (task.leader_id, task.leader) == (ids["wangjg"], "")
    with db.write() as session:
        with pytest.raises(ValidationError):
            tasks.edit(session, task=tasks.task_by_code(session, code), actor_id=None,
                       changes={"leader_id": ids["office"]}, today=TODAY)
    with db.write() as session:
        task = tasks.edit(session, task=tasks.task_by_code(session, code), actor_id=None,
                          changes={"leader": ""}, today=TODAY)
        assert (task.leader_id, task.leader) == (None, "")
    with db.read() as session:
        edits = session.exec(select(AuditEvent.before, AuditEvent.after)
                             .where(AuditEvent.action == "edit").order_by(AuditEvent.id)).all()
    assert edits == [({"leader_id": None, "leader": "老领导"},
                      {"leader_id": ids["wangjg"], "leader": ""}),
                     ({"leader_id": ids["wangjg"]}, {"leader_id": None})]


def test_the_board_filters_by_leader_and_a_leader_s_home_lists_open_reds_first(
        db: Database, frozen) -> None:
    town = build_town(db)
    with db.write() as session:
        leader = directory.add_user(session, username="wangjg", display_name="王建国",
                                    role=Role.LEADER, password="x" * 8).id or 0
        other = directory.add_user(session, username="lihua", display_name="李华",
                                   role=Role.LEADER, password="x" * 8).id or 0
        # T5 green, T2 yellow, T1 red (the town's comments say why); T7 another's.
        for key, user in (("T5", leader), ("T2", leader), ("T1", leader), ("T7", other)):
            tasks.edit(session, task=tasks.task_by_code(session, town.codes[key]), actor_id=None,
                       changes={"leader_id": user}, today=TODAY)
        # T6 was closed before it had a leader (a closed task is no longer edited).
        session.execute(text("UPDATE task SET leader_id = :u WHERE code = :c"),
                        {"u": leader, "c": town.codes["T6"]})
    with db.read() as session:
        ctx = LightContext.build(Settings(), load_calendar(session))
        page = board.page(session, board.BoardFilter(leader_id=leader, sort="code"), ctx)
        assert sorted(r.task.code for r in page.rows) == sorted(
            town.codes[k] for k in ("T1", "T2", "T5", "T6"))
        assert page.total == 4
        home = leader_home.my_tasks(session, leader, ctx)
        assert [r.task.code for r in home.rows] == [town.codes[k] for k in ("T1", "T2", "T5", "T6")]
        assert [r.verdict.light.value for r in home.rows] == ["red", "yellow", "green", "none"]
        assert (home.total, home.open_by_light) == (4, {"red": 1, "yellow": 1, "green": 1})
        second = leader_home.my_tasks(session, leader, ctx, offset=2, limit=1)
        assert [r.task.code for r in second.rows] == [town.codes["T5"]]
        with pytest.raises(ValidationError):
            leader_home.mine_of(Actor(town.office.user_id, "office", Role.OFFICE, None))
        assert leader_home.mine_of(Actor(leader, "wangjg", Role.LEADER, None)) == leader
    # A saved filter keeps the leader.
    flt = board.BoardFilter(leader_id=leader, sort="light")
    assert board.BoardFilter.from_dict(flt.to_dict()) == flt


def test_migration_links_free_text_leaders_that_name_exactly_one_leader(db: Database,
                                                                         frozen) -> None:
    """From 0012 with free-text leaders: a unique display name or username is linked (text
    cleared), a name two leaders share or nobody has stays as written; downgrading puts the
    linked names back."""
    from alembic import command

    from coordboard.migrate import alembic_config, upgrade

    ids = _people(db)
    codes = [_register(db, ids["unit"]).code for _ in range(5)]
    config = alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0012")
    assert current_revision(db) == "0012"
    with db.engine.begin() as conn:
        for code, name in zip(codes, ["王建国", "wangjg", "李华", "张三", "赵强"], strict=True):
            conn.execute(text("UPDATE task SET leader = :n WHERE code = :c"), {"n": name, "c": code})
    upgrade(db)
    assert current_revision(db) == head_revision()
    with db.read() as session:
        found = {code: (leader_id, leader) for code, leader_id, leader in session.exec(
            select(Task.code, Task.leader_id, Task.leader)).all()}
    assert [found[c] for c in codes] == [
        (ids["wangjg"], ""), (ids["wangjg"], ""), (None, "李华"), (None, "张三"),
        (ids["zhao"], "")]  # a disabled leader is still who answered for it
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0012")
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT leader FROM task ORDER BY id")).scalars().all() == [
            "王建国", "王建国", "李华", "张三", "赵强"]
    upgrade(db)
    with clock.at(clock.now()), db.write() as session:  # the schema works after the round trip
        assert _register(db, ids["unit"], leader="王建国").leader_id == ids["wangjg"]
