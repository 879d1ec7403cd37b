"""Every role x every task action x own-lead / own-support / other unit, through workflow.act."""

from datetime import date

import pytest
from acting import act
from sqlmodel import Session

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Role
from coordboard.errors import CoordboardError
from coordboard.services import directory, tasks
from coordboard.services.permissions import (
    PERMISSIONS,
    Actor,
    PermissionDenied,
    allowed,
    render_markdown,
)
from coordboard.services.tasks import UnitAssignment

# Written from the issue, independently of the table under test.
OFFICE_ACTIONS = {"dispatch", "note", "decide_extension", "decide_contest", "accept", "return",
                  "suspend", "resume", "withdraw"}
UNIT_ACTIONS = {"acknowledge", "feedback", "request_extension", "respond", "contest"}
LEAD_ACTIONS = {"request_closure"}
PARAMS = {
    "feedback": {"body": "进展"}, "note": {"kind": "reminder", "body": "提醒"},
    "respond": {"note_id": 1, "response": "收到"},
    "request_extension": {"new_deadline": date(2026, 12, 30), "reason": "原因"},
    "decide_extension": {"approve": True}, "return": {"reason": "原因"},
    "contest": {"reason": "不属于本单位职责"}, "decide_contest": {"department_id": 1, "decision": "reject"},
    "suspend": {"reason": "原因"}, "withdraw": {"reason": "原因"},
}


def expected(role: Role, action: str, relation: str) -> bool:
    if role == Role.OFFICE:
        return action in OFFICE_ACTIONS
    if role in (Role.HEAD, Role.STAFF):
        if action in LEAD_ACTIONS:
            return relation == "lead"
        return action in UNIT_ACTIONS and relation in ("lead", "support")
    return False  # admin and leader change no task


def test_every_role_action_and_relation(db: Database, frozen) -> None:
    with db.write() as session:
        lead = directory.add_department(session, name="牵头单位").id or 0
        support = directory.add_department(session, name="配合单位").id or 0
        other = directory.add_department(session, name="无关单位").id or 0
        task = tasks.register(session, actor_id=None, title="权限", today=frozen.date(),
                              lead=UnitAssignment(lead), supporters=[UnitAssignment(support)],
                              deadline=date(2026, 12, 20))
        code = task.code
        user_id = directory.add_user(session, username="u", display_name="u", role="admin",
                                     password="secret1").id or 0
    departments = {"lead": lead, "support": support, "other": other}
    checked = 0
    for role in Role:
        for relation, department_id in departments.items():
            actor = Actor(user_id=user_id, username="u", role=role, department_id=department_id)
            for action in OFFICE_ACTIONS | UNIT_ACTIONS | LEAD_ACTIONS:
                with Session(db.engine) as session:
                    try:
                        act(session, actor=actor, code=code, action=action, settings=Settings(),
                            **PARAMS.get(action, {}))
                        permitted = True
                    except PermissionDenied:
                        permitted = False
                    except CoordboardError:
                        permitted = True  # allowed, then stopped by a lifecycle rule
                    session.rollback()
                assert permitted == expected(role, action, relation), (role, action, relation)
                checked += 1
    assert checked == len(Role) * 3 * 15


def test_view_for_everyone_and_admin_tasks_for_admin_only() -> None:
    for role in Role:
        actor = Actor(1, "u", role, None)
        assert allowed(actor, "view")
        for action in ("manage_users", "manage_departments"):
            assert allowed(actor, action) is (role == Role.ADMIN)
        # Issue 11 item 6: the supervision office maintains the calendar too.
        assert allowed(actor, "manage_calendar") is (role in (Role.ADMIN, Role.OFFICE))
    assert set(PERMISSIONS) >= OFFICE_ACTIONS | UNIT_ACTIONS | LEAD_ACTIONS


def test_denial_names_who_may(frozen) -> None:
    with pytest.raises(PermissionDenied) as caught:
        from coordboard.services.permissions import authorize

        authorize(Actor(1, "l", Role.LEADER, None), "accept")
    assert "法治办" in str(caught.value)


def test_docs_permissions_md_is_current() -> None:
    from pathlib import Path

    docs = Path(__file__).parent.parent / "docs" / "permissions.md"
    assert docs.read_text(encoding="utf-8") == render_markdown()


# --- issue 9.8: reads are checked in the service that does them -------------------------------

def test_review_and_score_readers_refuse_roles_without_view_review(db: Database, frozen) -> None:
    from coordboard.services import review, scores
    from coordboard.services.reports import bulletin

    head = Actor(1, "head", Role.HEAD, 1)
    staff = Actor(2, "staff", Role.STAFF, 1)
    leader = Actor(3, "leader", Role.LEADER, None)
    readers = [
        lambda s, a: scores.scoreboard(s, Settings(), date(2026, 11, 1), date(2026, 11, 30),
                                       actor=a),
        lambda s, a: bulletin.build(s, Settings(), "2026-W48", actor=a),
        lambda s, a: review.recent(s, actor=a),
    ]
    with db.read() as session:
        for reader in readers:
            for actor in (head, staff):
                with pytest.raises(PermissionDenied):
                    reader(session, actor)
            reader(session, leader)
        with pytest.raises(PermissionDenied):
            review.find(session, None, actor=head)
        with pytest.raises(CoordboardError):  # allowed, but there is no review yet
            review.find(session, None, actor=leader)
