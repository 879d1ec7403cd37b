"""Login: argon2 hashes, hashed session tokens, lockout, expiry."""

import hashlib

import pendulum
import pytest
from sqlmodel import select

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.models import LoginSession, User
from coordboard.services import directory
from coordboard.services.auth import AuthError, authenticate, login, logout


@pytest.fixture
def user_db(db: Database) -> Database:
    with db.write() as session:
        directory.add_user(session, username="office", display_name="王督查", role="office",
                           password="correct horse")
    return db


def test_login_stores_only_the_token_hash(user_db: Database, frozen) -> None:
    token, actor = login(user_db, username="office", password="correct horse", settings=Settings())
    assert actor.username == "office" and actor.role == "office"
    with user_db.read() as session:
        stored = session.exec(select(LoginSession)).one()
        user = session.exec(select(User)).one()
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in stored.token_hash
        assert user.password_hash.startswith("$argon2")
        assert authenticate(session, token).user_id == actor.user_id


def test_wrong_password_is_counted_and_locks(user_db: Database, frozen) -> None:
    settings = Settings(max_failed_logins=3)
    for _ in range(2):
        with pytest.raises(AuthError, match="用户名或密码错误"):
            login(user_db, username="office", password="nope", settings=settings)
    with pytest.raises(AuthError, match="已锁定"):
        login(user_db, username="office", password="nope", settings=settings)
    with pytest.raises(AuthError, match="之后再试"):
        login(user_db, username="office", password="correct horse", settings=settings)
    with pendulum.travel_to(frozen.add(minutes=16), freeze=True):
        token, _ = login(user_db, username="office", password="correct horse", settings=settings)
    assert token


def test_unknown_user_gets_the_same_message(user_db: Database) -> None:
    with pytest.raises(AuthError, match="用户名或密码错误"):
        login(user_db, username="ghost", password="x", settings=Settings())


def test_sessions_expire_and_logout_ends_them(user_db: Database, frozen) -> None:
    token, _ = login(user_db, username="office", password="correct horse",
                     settings=Settings(session_hours=1))
    with pendulum.travel_to(frozen.add(hours=2), freeze=True), user_db.read() as session:
        with pytest.raises(AuthError, match="过期"):
            authenticate(session, token)
    token, _ = login(user_db, username="office", password="correct horse", settings=Settings())
    with user_db.write() as session:
        logout(session, token)
    with user_db.read() as session, pytest.raises(AuthError, match="尚未登录"):
        authenticate(session, token)


class _CountingHasher:
    """Counts argon2 verifications: the cost that makes a login slow, whoever asks."""

    def __init__(self, real: object) -> None:
        self.real, self.verified = real, 0

    def verify(self, stored: str, password: str) -> bool:
        self.verified += 1
        return self.real.verify(stored, password)  # type: ignore[attr-defined]


def test_unknown_and_disabled_users_cost_one_verification_like_a_wrong_password(
        user_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rule: login time does not reveal which usernames exist (issue 10 item 7)."""
    from coordboard.services import auth

    counting = _CountingHasher(auth._hasher)
    monkeypatch.setattr(auth, "_hasher", counting)
    with user_db.write() as session:
        directory.add_user(session, username="gone", display_name="离职", role="office",
                           password="correct horse")
        session.exec(select(User).where(User.username == "gone")).one().active = False
    for username in ("office", "ghost", "gone"):
        before = counting.verified
        with pytest.raises(AuthError, match="用户名或密码错误"):
            login(user_db, username=username, password="nope", settings=Settings())
        assert counting.verified - before == 1, username


def test_the_dummy_hash_costs_what_a_real_one_does() -> None:
    from argon2 import extract_parameters

    from coordboard.services import auth

    real = directory.hash_password("x")
    assert extract_parameters(auth.DUMMY_HASH) == extract_parameters(real)


def test_simultaneous_wrong_passwords_are_all_counted(user_db: Database) -> None:
    """Rule: failed logins are counted exactly even when they arrive at once (the count is
    read, then written after a slow argon2 check: without a row lock PostgreSQL lost some)."""
    import threading

    settings = Settings(max_failed_logins=100)

    def attempt() -> None:
        with pytest.raises(AuthError):
            login(user_db, username="office", password="nope", settings=settings)

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    with user_db.read() as session:
        assert session.exec(select(User).where(User.username == "office")).one().failed_logins == 4


def test_a_database_without_users_says_so(db: Database, frozen) -> None:
    """Rule: on a database with no user at all, login says so (a new user had logged in to
    the default database instead of the demo's and read "wrong password"); once anyone
    exists, an unknown name is a wrong password again, revealing no names."""
    with pytest.raises(AuthError) as empty:
        login(db, username="office", password="demo1234", settings=Settings())
    assert empty.value.key == "error.login_no_users" and "还没有用户" in str(empty.value)
    with db.write() as session:
        directory.add_user(session, username="admin", display_name="管理员", role="admin",
                           password="correct horse")
    with pytest.raises(AuthError) as unknown:
        login(db, username="office", password="demo1234", settings=Settings())
    assert unknown.value.key == "error.login_failed"
