"""Login with argon2 password hashes, lockout, and expiring session tokens (only hashes stored)."""

import hashlib
import secrets
from datetime import timedelta

import pendulum
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, delete, select

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Role
from coordboard.errors import DomainError
from coordboard.models import LoginSession, User
from coordboard.services.permissions import Actor

LOCKOUT = timedelta(minutes=15)
_hasher = PasswordHasher()
# Verified instead of a real hash when the username is unknown or disabled, so that a
# failed login costs one argon2 verification either way and its duration does not say
# which usernames exist. Same parameters as ``_hasher`` (a test checks).
DUMMY_HASH = ("$argon2id$v=19$m=65536,t=3,p=4$DimeybkKXfdzT0x2bRjJdg$"
              "Kxd/GLRlATfmaI/Mu3YxttrGu120XPnjuTohXShQrTM")


class AuthError(DomainError):
    key = "error.login_failed"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def actor_of(user: User) -> Actor:
    assert user.id is not None
    return Actor(user.id, user.username, Role(user.role), user.department_id)


def login(db: Database, *, username: str, password: str, settings: Settings) -> tuple[str, Actor]:
    """Check the password; on success return a new session token (shown once, stored hashed).

    Owns its transaction so that a failed attempt is counted (and may lock the
    account) even though the call then raises.
    """
    failure: AuthError | None = None
    with db.write() as session:
        # Row lock: two attempts at once must both be counted (SQLite: BEGIN IMMEDIATE).
        user = session.exec(select(User).where(User.username == username.strip())
                            .with_for_update()).first()
        now = clock.now()
        if user is None and session.exec(select(User.id).limit(1)).first() is None:
            # No user at all (another database than the one meant, or not set up yet):
            # saying so reveals no one's name, and "wrong password" would mislead.
            raise AuthError("error.login_no_users")
        if user is None or not user.active:
            # Same message and the same work as a wrong password: do not reveal which
            # usernames exist, neither by the words nor by the time taken.
            try:
                _hasher.verify(DUMMY_HASH, password)
            except (VerificationError, InvalidHashError):
                pass  # expected: the dummy matches no password anyone types
            raise AuthError("error.login_failed")
        if user.locked_until is not None and user.locked_until > now:
            local = pendulum.instance(user.locked_until).in_timezone(settings.timezone)
            raise AuthError("error.login_locked", until=local.format("HH:mm"))
        try:
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            user.failed_logins += 1
            failure = AuthError("error.login_failed")
            if user.failed_logins >= settings.max_failed_logins:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
                failure = AuthError("error.login_locked_now", minutes=int(LOCKOUT.seconds / 60))
            session.add(user)
        else:
            user.failed_logins = 0
            user.locked_until = None
            session.add(user)
            token = secrets.token_urlsafe(32)
            session.add(LoginSession(user_id=user.id or 0, token_hash=_token_hash(token),
                                     created_at=now,
                                     expires_at=now + timedelta(hours=settings.session_hours)))
            actor = actor_of(user)
    if failure is not None:
        raise failure
    return token, actor


def authenticate(session: Session, token: str | None) -> Actor:
    if not token:
        raise AuthError("error.not_logged_in")
    row = session.exec(
        select(LoginSession, User).join(User, col(User.id) == LoginSession.user_id)
        .where(LoginSession.token_hash == _token_hash(token))
    ).first()
    if row is None:
        raise AuthError("error.not_logged_in")
    login_session, user = row
    if login_session.expires_at <= clock.now():
        raise AuthError("error.session_expired")
    if not user.active:
        raise AuthError("error.user_disabled", username=user.username)
    return actor_of(user)


def logout(session: Session, token: str) -> None:
    session.execute(delete(LoginSession).where(col(LoginSession.token_hash) == _token_hash(token)))
