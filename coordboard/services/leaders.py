"""The responsible leader (责任领导) of a task is a user: the one place the rule lives.

Who can be one: an **active user with the leader role** (the town's leaders who answer
for tasks: 分管领导). Not an admin (the IT account) nor the office: the office registers
and supervises, a leader answers for the work; an office that wants someone on tasks as a
leader gives them the leader role. A name typed at the command line or read from a ledger
is matched to one leader by username or display name; unknown or ambiguous names are
refused with the close matches, never guessed.

A task whose leader matched no user when it was migrated keeps the name as text
(``Task.leader``, "" whenever ``Task.leader_id`` is set); it is shown as written, marked
"not a user" where that helps.
"""

import difflib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from coordboard.collation import sort_key
from coordboard.enums import Role
from coordboard.errors import ValidationError
from coordboard.i18n import listing, t
from coordboard.models import Task, User
from coordboard.safe_text import visible
from coordboard.services import fields


@dataclass(frozen=True)
class LeaderChoice:
    id: int
    username: str
    display_name: str

    @property
    def label(self) -> str:
        """What a list shows: the name, with the username when they differ."""
        if self.display_name and self.display_name != self.username:
            return f"{self.display_name} ({self.username})"
        return self.username


def leader_users(session: Session, *, include_inactive: bool = False) -> list[LeaderChoice]:
    """Users who can answer for a task, in pinyin order of their names."""
    query = select(User.id, User.username, User.display_name).where(User.role == Role.LEADER)
    if not include_inactive:
        query = query.where(col(User.active))
    found = [LeaderChoice(user_id or 0, username, display_name)
             for user_id, username, display_name in session.exec(query).all()]
    return sorted(found, key=lambda c: (sort_key(c.display_name or c.username), c.username))


class LeaderMatcher:
    """Names → leader users, loaded once (the importer checks thousands of rows with it)."""

    def __init__(self, choices: list[LeaderChoice]) -> None:
        self.choices = choices
        self.by_name: dict[str, set[int]] = {}
        for choice in choices:
            for name in {choice.username, choice.display_name} - {""}:
                self.by_name.setdefault(name, set()).add(choice.id)

    @classmethod
    def load(cls, session: Session) -> "LeaderMatcher":
        return cls(leader_users(session))

    def match(self, name: str) -> tuple[int | None, str, dict[str, Any]]:
        """(user id, "", {}) or (None, why: "ambiguous", "near" or "unknown", the names for
        the message). The caller words it (a sentence, or a ledger row's error)."""
        name = name.strip()
        found = self.by_name.get(name, set())
        if len(found) == 1:
            return next(iter(found)), "", {}
        if found:
            names = [c.label for c in self.choices if c.id in found]
            return None, "ambiguous", {"name": name, "matches": listing(names)}
        near = self.suggest(name)
        if near:
            return None, "near", {"name": name, "suggestions": listing(near)}
        return None, "unknown", {"name": name}

    def suggest(self, name: str) -> list[str]:
        labels = {c.display_name or c.username: c for c in self.choices}
        labels.update({c.username: c for c in self.choices})
        near = [n for n in labels if name and (name in n or n in name)]
        near += difflib.get_close_matches(name, list(labels), n=3, cutoff=0.5)
        chosen = list(dict.fromkeys(labels[n].label for n in near))
        return chosen[:3]


def resolve(session: Session, name: str) -> int:
    """The leader user a typed name means (username or display name), or a refusal that
    lists the close matches."""
    fields.check("leader", name)
    user_id, why, params = LeaderMatcher.load(session).match(name)
    if user_id is None:  # the typed name quoted on one line, its control characters shown
        raise ValidationError(f"error.leader_{why}", **{**params, "name": visible(name, 60)})
    return user_id


def check_id(session: Session, user_id: int) -> int:
    """``user_id`` is an active leader (a list's choice may be stale by the time it is saved)."""
    user = session.get(User, user_id)
    if user is None or user.role != Role.LEADER or not user.active:
        raise ValidationError("error.not_a_leader",
                              name=(user.display_name or user.username) if user else str(user_id))
    return user_id


def choose(session: Session, *, name: str | None = None,
           user_id: int | None = None) -> int | None:
    """The leader of a register or edit: by name (a front end's typed text; "" for none)
    or by id (a list's choice); at most one of them."""
    if name is not None and user_id is not None:
        raise ValidationError("error.leader_twice")
    if user_id is not None:
        return check_id(session, user_id)
    if name is not None and name.strip():
        return resolve(session, name)
    return None


def shown_name(display_name: str | None, text: str) -> str:
    """The leader as shown: the user's display name, else the name kept as text."""
    return display_name or text


def name_sql() -> Any:
    """The same in SQL, for ledgers and lists: the linked user's name, else the text."""
    user = select(User.display_name).where(User.id == Task.leader_id).scalar_subquery()
    return func.coalesce(user, col(Task.leader))


def names_of(session: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return {user_id or 0: display_name or username for user_id, display_name, username in
            session.exec(select(User.id, User.display_name, User.username)
                         .where(col(User.id).in_(user_ids))).all()}


def describe(session: Session, task: Task) -> tuple[str, bool]:
    """(the leader's name as shown, whether it is a user) for one task."""
    if task.leader_id is None:
        return task.leader, False
    return names_of(session, {task.leader_id}).get(task.leader_id, ""), True


def not_a_user_mark() -> str:
    return t("leader.not_a_user")
