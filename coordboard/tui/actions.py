"""From the action form's parsed fields to ``workflow``'s typed function for that action.

The form parses what the user typed into values by field name; here each action's
values are handed to its own function, so mypy checks every call's parameters.
"""

from datetime import date
from typing import TYPE_CHECKING, Any

from coordboard.config import Settings
from coordboard.services import workflow
from coordboard.services.permissions import Actor

if TYPE_CHECKING:
    from sqlmodel import Session


def perform(session: "Session", *, action: str, actor: Actor, code: str, settings: Settings,
            expected_version: int, values: dict[str, Any]) -> None:
    """Do ``action`` with the form's ``values`` (absent optional fields are left out)."""
    v = values
    kw: dict[str, Any] = {"actor": actor, "code": code, "settings": settings,
                          "expected_version": expected_version}
    if action == "dispatch":
        workflow.dispatch(session, **kw)
    elif action == "acknowledge":
        workflow.acknowledge(session, **kw)
    elif action == "feedback":
        workflow.feedback(session, **kw, body=_text(v, "body"), percent=v.get("percent"),
                          files=v.get("files", ()))
    elif action == "note":
        workflow.note(session, **kw, kind=_text(v, "kind"), body=_text(v, "body"),
                      department_id=v.get("department_id"), respond_by=_day(v, "respond_by"))
    elif action == "respond":
        workflow.respond(session, **kw, note_id=int(v["note_id"]), response=_text(v, "response"))
    elif action == "request_extension":
        new_deadline = _day(v, "new_deadline")
        assert new_deadline is not None  # a required field: the form refuses it empty
        workflow.request_extension(session, **kw, new_deadline=new_deadline,
                                   reason=_text(v, "reason"))
    elif action == "decide_extension":
        workflow.decide_extension(session, **kw, approve=bool(v["approve"]),
                                  note=_text(v, "note"))
    elif action == "contest":
        workflow.contest(session, **kw, reason=_text(v, "reason"))
    elif action == "decide_contest":
        workflow.decide_contest(session, **kw, department_id=int(v["department_id"]),
                                decision=_text(v, "decision"), note=_text(v, "note"),
                                new_department_id=v.get("new_department_id"))
    elif action == "request_closure":
        workflow.request_closure(session, **kw)
    elif action == "accept":
        workflow.accept(session, **kw)
    elif action == "return":
        workflow.return_for_rework(session, **kw, reason=_text(v, "reason"))
    elif action == "suspend":
        workflow.suspend(session, **kw, reason=_text(v, "reason"))
    elif action == "resume":
        workflow.resume(session, **kw, new_deadline=_day(v, "set_deadline"))
    elif action == "withdraw":
        workflow.withdraw(session, **kw, reason=_text(v, "reason"))
    elif action == "edit":
        workflow.edit(session, **kw, changes=_changes(v))
    elif action == "reach_stage":
        workflow.reach_stage(session, **kw, seq=int(v["seq"]), report=_text(v, "report"))
    else:
        raise ValueError(f"no such action: {action}")


def _text(values: dict[str, Any], name: str) -> str:
    return str(values.get(name) or "")


def _day(values: dict[str, Any], name: str) -> date | None:
    value = values.get(name)
    return value if isinstance(value, date) else None


def _changes(values: dict[str, Any]) -> workflow.TaskChanges:
    changes: workflow.TaskChanges = {}
    for name in ("title", "description", "category", "priority", "leader", "source",
                 "instruction_by", "instruction_text"):
        if name in values:
            changes[name] = str(values[name])
    if "leader_id" in values:  # a leader user chosen from the list, or None for none
        leader = values["leader_id"]
        changes["leader_id"] = leader if isinstance(leader, int) else None
    deadline = _day(values, "deadline")
    if deadline is not None:
        changes["deadline"] = deadline
    if "instruction_date" in values:  # "" when cleared
        changes["instruction_date"] = _day(values, "instruction_date")
    return changes
