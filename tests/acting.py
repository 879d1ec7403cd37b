"""Tests that range over every action by name call ``workflow``'s typed functions here.

Production code calls each typed function directly (mypy checks its parameters);
tests that pick the action at random (state machine, permissions, races) need one
door by name, and this is it.
"""

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from coordboard.config import Settings
from coordboard.services import workflow
from coordboard.services.permissions import Actor

FUNCTIONS: dict[str, Callable[..., Any]] = {
    "dispatch": workflow.dispatch,
    "acknowledge": workflow.acknowledge,
    "feedback": workflow.feedback,
    "note": workflow.note,
    "respond": workflow.respond,
    "request_extension": workflow.request_extension,
    "decide_extension": workflow.decide_extension,
    "contest": workflow.contest,
    "decide_contest": workflow.decide_contest,
    "request_closure": workflow.request_closure,
    "accept": workflow.accept,
    "return": workflow.return_for_rework,
    "suspend": workflow.suspend,
    "resume": workflow.resume,
    "withdraw": workflow.withdraw,
    "edit": lambda session, **kw: workflow.edit(
        session, **{k: kw.pop(k) for k in ("actor", "code", "settings", "expected_version",
                                           "seen_version") if k in kw}, changes=kw),
}


def act(session: Session, *, actor: Actor, code: str, action: str, settings: Settings,
        **params: Any) -> Any:
    """Do ``action`` by name; ``params`` are the typed function's own keywords (for
    ``edit``: the changed fields themselves, as the old ``act`` took them)."""
    return FUNCTIONS[action](session, actor=actor, code=code, settings=settings, **params)
