"""Departments and users."""

from argon2 import PasswordHasher
from sqlmodel import Session, col, select

from coordboard import clock
from coordboard.enums import DepartmentKind, Role
from coordboard.errors import ValidationError
from coordboard.models import Department, User
from coordboard.services import audit, fields

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def add_department(
    session: Session,
    *,
    name: str,
    short_name: str | None = None,
    kind: str = DepartmentKind.OFFICE,
    sort_order: int = 0,
    actor_id: int | None = None,
) -> Department:
    name = fields.check("name", name, required=True).strip()
    fields.check("short_name", (short_name or name).strip(), required=True)
    if kind not in set(DepartmentKind):
        raise ValidationError("error.choice", field="kind", value=kind,
                              allowed=", ".join(DepartmentKind))
    if session.exec(select(Department.id).where(Department.name == name)).first():
        raise ValidationError("error.department_exists", name=name)
    department = Department(name=name, short_name=(short_name or name).strip(), kind=kind,
                            sort_order=sort_order)
    session.add(department)
    session.flush()
    assert department.id is not None
    audit.record(session, actor_id=actor_id, entity="department", entity_id=department.id,
                 action="create", after=audit.snapshot(department, "name", "short_name", "kind"))
    return department


def add_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: str,
    password: str,
    department_id: int | None = None,
    actor_id: int | None = None,
    password_hash: str | None = None,
) -> User:
    """``password_hash`` lets a bulk loader hash a shared password once (argon2 is slow on purpose)."""
    username = fields.check("username", username, required=True).strip()
    fields.check("display_name", display_name)
    if role not in set(Role):
        raise ValidationError("error.choice", field="role", value=role, allowed=", ".join(Role))
    if role in (Role.HEAD, Role.STAFF) and department_id is None:
        raise ValidationError("error.user_needs_department", username=username)
    if len(password) < 6:
        raise ValidationError("error.password_short", minimum=6)
    if session.exec(select(User.id).where(User.username == username)).first():
        raise ValidationError("error.user_exists", username=username)
    user = User(username=username, display_name=display_name, role=role,
                department_id=department_id, password_hash=password_hash or hash_password(password),
                created_at=clock.now())
    session.add(user)
    session.flush()
    assert user.id is not None
    audit.record(session, actor_id=actor_id, entity="user", entity_id=user.id, action="create",
                 after=audit.snapshot(user, "username", "display_name", "role", "department_id"))
    return user


def department_ids_by_name(session: Session) -> dict[str, int]:
    rows = session.exec(select(Department.name, Department.short_name, Department.id)).all()
    mapping: dict[str, int] = {}
    for name, short_name, department_id in rows:
        assert department_id is not None
        mapping[name] = department_id
        mapping.setdefault(short_name, department_id)
    return mapping


def department_by_name(session: Session, name: str) -> Department:
    department = session.exec(select(Department).where(
        (Department.name == name.strip()) | (Department.short_name == name.strip()))).first()
    if department is None:
        raise ValidationError("error.unknown_unit", name=name)
    return department


def rename_department(session: Session, *, name: str, new_name: str, short_name: str | None,
                      actor_id: int | None) -> Department:
    department = department_by_name(session, name)
    new_name = fields.check("name", new_name, required=True).strip()
    if short_name is not None:
        fields.check("short_name", short_name.strip(), required=True)
    clash = session.exec(select(Department.id).where(Department.name == new_name,
                                                     Department.id != department.id)).first()
    if clash:
        raise ValidationError("error.department_exists", name=new_name)
    before = audit.snapshot(department, "name", "short_name")
    department.name = new_name
    department.short_name = (short_name or department.short_name).strip()
    session.add(department)
    session.flush()
    audit.record(session, actor_id=actor_id, entity="department", entity_id=department.id or 0,
                 action="rename", before=before, after=audit.snapshot(department, "name", "short_name"))
    return department


def set_department_active(session: Session, *, name: str, active: bool,
                          actor_id: int | None) -> Department:
    department = department_by_name(session, name)
    department.active = active
    session.add(department)
    session.flush()
    audit.record(session, actor_id=actor_id, entity="department", entity_id=department.id or 0,
                 action="activate" if active else "deactivate", after={"active": active})
    return department


def user_by_name(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username.strip())).first()
    if user is None:
        raise ValidationError("error.unknown_user", username=username)
    return user


def set_password(session: Session, *, username: str, password: str, actor_id: int | None) -> User:
    if len(password) < 6:
        raise ValidationError("error.password_short", minimum=6)
    user = user_by_name(session, username)
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    session.flush()
    audit.record(session, actor_id=actor_id, entity="user", entity_id=user.id or 0,
                 action="passwd", after={"username": user.username})
    return user


def set_user_active(session: Session, *, username: str, active: bool, actor_id: int | None) -> User:
    user = user_by_name(session, username)
    user.active = active
    session.add(user)
    session.flush()
    audit.record(session, actor_id=actor_id, entity="user", entity_id=user.id or 0,
                 action="enable" if active else "disable", after={"active": active})
    return user


def list_departments(session: Session) -> list[Department]:
    query = select(Department).order_by(col(Department.sort_order), col(Department.id))
    return list(session.exec(query).all())


def list_users(session: Session, *, role: str | None = None) -> list[tuple[User, str | None]]:
    query = (select(User, Department.short_name)
             .join(Department, col(Department.id) == User.department_id, isouter=True))
    if role is not None:
        query = query.where(User.role == role)
    return list(session.exec(query.order_by(col(User.username))).all())
