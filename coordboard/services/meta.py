"""Facts about the database as a whole, e.g. that it holds the demo town."""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from coordboard.models import AppMeta

DEMO_KEY = "demo"


@dataclass(frozen=True)
class DemoAccounts:
    usernames: list[str]
    password: str


def put(session: Session, key: str, value: dict[str, Any]) -> None:
    row = session.get(AppMeta, key)
    if row is None:
        session.add(AppMeta(key=key, value=value))
    else:
        row.value = value
        session.add(row)


def demo_accounts(session: Session) -> DemoAccounts | None:
    """The demo's users and password (shown on the login screen), or None for a real database."""
    row = session.get(AppMeta, DEMO_KEY)
    if row is None:
        return None
    return DemoAccounts(list(row.value.get("usernames", [])), str(row.value.get("password", "")))
