"""First run: an empty database gets its first admin, or the demo town."""

from sqlalchemy import func
from sqlmodel import Session, select

from coordboard.enums import Role
from coordboard.errors import DomainError, ValidationError
from coordboard.models import Department, User
from coordboard.services import directory


def needs_setup(session: Session) -> bool:
    """True while no user exists: nobody could log in to do anything."""
    return session.exec(select(func.count()).select_from(User)).one() == 0


def is_blank(session: Session) -> bool:
    return needs_setup(session) and session.exec(
        select(func.count()).select_from(Department)).one() == 0


def create_first_admin(session: Session, *, username: str, display_name: str, password: str,
                       confirm: str) -> User:
    if not needs_setup(session):
        raise DomainError("error.setup_done")
    if password != confirm:
        raise ValidationError("error.password_mismatch")
    return directory.add_user(session, username=username, display_name=display_name or username,
                              role=Role.ADMIN, password=password)
