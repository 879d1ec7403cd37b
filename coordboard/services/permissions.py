"""Who may do what: one table, used by every front end and rendered into docs/permissions.md.

A scope says which tasks an allowed role may act on: ``any`` task, only tasks
where the user's own department is a unit (``own``), or only where it is the
lead unit (``lead``).
"""

from dataclasses import dataclass
from enum import StrEnum

from coordboard.enums import Role, UnitRole
from coordboard.errors import DomainError
from coordboard.i18n import listing, t


class Scope(StrEnum):
    ANY = "any"
    OWN = "own"
    LEAD = "lead"


ANY, OWN, LEAD = Scope.ANY, Scope.OWN, Scope.LEAD

PERMISSIONS: dict[str, dict[Role, Scope]] = {
    "view": {Role.ADMIN: ANY, Role.OFFICE: ANY, Role.LEADER: ANY, Role.HEAD: ANY, Role.STAFF: ANY},
    "register": {Role.OFFICE: ANY},
    "edit": {Role.OFFICE: ANY},
    "dispatch": {Role.OFFICE: ANY},
    "acknowledge": {Role.HEAD: OWN, Role.STAFF: OWN},
    "feedback": {Role.HEAD: OWN, Role.STAFF: OWN},
    "contest": {Role.HEAD: OWN, Role.STAFF: OWN},
    "request_extension": {Role.HEAD: OWN, Role.STAFF: OWN},
    "respond": {Role.HEAD: OWN, Role.STAFF: OWN},
    "request_closure": {Role.HEAD: LEAD, Role.STAFF: LEAD},
    # Evidence (佐证材料): whoever acts on the task; which record it may go to is the
    # service's rule (services/attachments.py).
    "attach": {Role.OFFICE: ANY, Role.HEAD: OWN, Role.STAFF: OWN},
    "note": {Role.OFFICE: ANY},
    # Stages (阶段节点, issue 14 item 6): the office plans them; the responsible unit's head
    # (the service checks it is that stage's unit) or the office marks one reached.
    "edit_stages": {Role.OFFICE: ANY},
    "reach_stage": {Role.OFFICE: ANY, Role.HEAD: OWN},
    "decide_extension": {Role.OFFICE: ANY},
    "decide_contest": {Role.OFFICE: ANY},
    "accept": {Role.OFFICE: ANY},
    "return": {Role.OFFICE: ANY},
    "suspend": {Role.OFFICE: ANY},
    "resume": {Role.OFFICE: ANY},
    "withdraw": {Role.OFFICE: ANY},
    "review": {Role.OFFICE: ANY},  # run the weekly review: start, decide, close
    "view_review": {Role.ADMIN: ANY, Role.OFFICE: ANY, Role.LEADER: ANY},  # the review and scores
    "manage_users": {Role.ADMIN: ANY},
    "manage_departments": {Role.ADMIN: ANY},
    # The supervision office enters each year's State Council notice (issue 11 item 6).
    "manage_calendar": {Role.ADMIN: ANY, Role.OFFICE: ANY},
    # Units' contacts and notification channels are the office's to keep (issue 14 item 3).
    "manage_contacts": {Role.OFFICE: ANY},
    "view_notifications": {Role.ADMIN: ANY, Role.OFFICE: ANY},
    # Recurring tasks (issue 14 item 7): make, list, pause, resume and end the rules; making
    # the current period at once (``--now``) also needs register and dispatch.
    "manage_recurrence": {Role.ADMIN: ANY, Role.OFFICE: ANY},
    # The list of task categories (类别) the office files tasks under (issue 14 item 5).
    "manage_categories": {Role.ADMIN: ANY, Role.OFFICE: ANY},
}


@dataclass(frozen=True)
class Actor:
    user_id: int
    username: str
    role: Role
    department_id: int | None


class PermissionDenied(DomainError):
    key = "error.permission"


def allowed(actor: Actor, action: str, unit_role: str | None = None) -> bool:
    """``unit_role``: the actor's department's role on the task ("lead", "support" or None)."""
    scope = PERMISSIONS[action].get(actor.role)
    if scope is None:
        return False
    if scope == Scope.ANY:
        return True
    if scope == Scope.LEAD:
        return unit_role == UnitRole.LEAD
    return unit_role is not None


def authorize(actor: Actor, action: str, unit_role: str | None = None) -> None:
    if allowed(actor, action, unit_role):
        return
    scope = PERMISSIONS[action].get(actor.role)
    key = {Scope.OWN: "error.permission_own", Scope.LEAD: "error.permission_lead"}.get(
        scope or Scope.ANY, "error.permission")
    who = listing(t(f"role.{role}") for role in PERMISSIONS[action])
    raise PermissionDenied(key, action=t(f"action.{action}"), role=t(f"role.{actor.role}"), who=who)


def render_markdown() -> str:
    """The permission table as Markdown (docs/permissions.md is generated from this)."""
    roles = list(Role)
    lines = [
        "# Permissions",
        "",
        "Generated from `coordboard/services/permissions.py` by "
        "`python -m coordboard.services.permissions > docs/permissions.md`; a test keeps it current.",
        "",
        "`any`: every task · `own`: tasks where the user's department is a unit · "
        "`lead`: tasks where it is the lead unit · `—`: never.",
        "",
        "| action | " + " | ".join(roles) + " |",
        "| --- | " + " | ".join("---" for _ in roles) + " |",
    ]
    for action, grants in PERMISSIONS.items():
        cells = [grants[role].value if role in grants else "—" for role in roles]
        lines.append(f"| {action} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
