"""The lifecycle of a task: which action is allowed from which status, in one table."""

from collections.abc import Callable

from coordboard.enums import TaskStatus as S
from coordboard.errors import DomainError
from coordboard.i18n import listing, t

OPEN = {S.ASSIGNED, S.ACKNOWLEDGED, S.IN_PROGRESS}

ALLOWED_FROM: dict[str, set[S]] = {
    "edit": {S.DRAFT, *OPEN},
    "dispatch": {S.DRAFT},
    "acknowledge": {S.ASSIGNED, S.ACKNOWLEDGED, S.IN_PROGRESS},
    "feedback": set(OPEN),
    "note": {*OPEN, S.CLOSURE_REQUESTED, S.SUSPENDED, S.CLOSED},
    "respond": {*OPEN, S.CLOSURE_REQUESTED, S.SUSPENDED},
    "request_extension": set(OPEN),
    "contest": set(OPEN),
    "decide_contest": set(OPEN),
    "decide_extension": {*OPEN, S.CLOSURE_REQUESTED, S.SUSPENDED},
    "request_closure": set(OPEN),
    "accept": {S.CLOSURE_REQUESTED},
    "return": {S.CLOSURE_REQUESTED},
    "suspend": set(OPEN),
    "resume": {S.SUSPENDED},
    "withdraw": {S.DRAFT, *OPEN, S.SUSPENDED},
    # Evidence until the task is closed or withdrawn (then its record is final).
    "attach": {S.DRAFT, *OPEN, S.CLOSURE_REQUESTED, S.SUSPENDED},
    # Stages (阶段节点): planned while the task is a draft or open; reached until it closes.
    "edit_stages": {S.DRAFT, *OPEN},
    "reach_stage": {*OPEN, S.CLOSURE_REQUESTED},
}


def require(action: str, status: str, code: str,
            may: Callable[[str], bool] | None = None) -> None:
    """Raise a translated DomainError naming what is allowed when ``action`` is not;
    ``may``: whether the user may take an action at all (what is possible is then theirs,
    not another role's)."""
    if status in ALLOWED_FROM[action]:
        return
    possible = [name for name, sources in ALLOWED_FROM.items()
                if status in sources and (may is None or may(name))]
    raise DomainError(
        "error.transition",
        code=code,
        action=t(f"action.{action}"),
        status=t(f"status.{status}"),
        allowed=listing(t(f"action.{name}") for name in possible) or t("action.none"),
    )
