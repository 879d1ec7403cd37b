"""The office's list of task categories (类别: 普法宣传, 依法决策, 行政执法, ...).

A task's category is the name of an active entry, or none (""). The office adds,
renames and retires entries (``manage_categories``); a rename carries the tasks with
it, and a retired entry stays on the tasks that have it (the board still filters by
it) but is no longer offered for a new or edited task. A task keeps its name rather
than an id so that the board filters on one indexed column of ``task``, without a join.
A new database starts with ``DEFAULTS`` (migration 0013, which also lists every
category typed before the list existed).
"""

from typing import Any

from sqlalchemy import CursorResult, func, update
from sqlmodel import Session, col, select

from coordboard.errors import NotFoundError, ValidationError
from coordboard.i18n import listing
from coordboard.models import Category, Task
from coordboard.services import audit, fields
from coordboard.services.permissions import Actor, authorize

DEFAULTS = ("普法宣传", "依法决策", "行政执法", "依法行政", "矛盾纠纷化解", "基层治理", "营商环境",
            "干部学法")
STEP = 10  # between two sort orders, so that an entry can later go between them


def listed(session: Session, *, include_retired: bool = False) -> list[Category]:
    """Entries in the office's order; active ones only unless asked."""
    query = select(Category)
    if not include_retired:
        query = query.where(col(Category.retired).is_(False))
    return list(session.exec(query.order_by(col(Category.retired), col(Category.sort_order),
                                            col(Category.id))).all())


def names(session: Session, *, include_retired: bool = False) -> list[str]:
    return [entry.name for entry in listed(session, include_retired=include_retired)]


def _find(session: Session, name: str) -> Category | None:
    return session.exec(select(Category).where(Category.name == name.strip())).first()


def _named(session: Session, name: str) -> Category:
    found = _find(session, name)
    if found is None:
        raise NotFoundError("error.category_unknown", name=name.strip(),
                            allowed=listing(names(session)))
    return found


def filter_name(session: Session, value: str) -> str:
    """A category to filter the board by: any listed entry, a retired one included."""
    return _named(session, fields.check("category", value)).name


def check_for_task(session: Session, value: str, *, current: str | None = None) -> str:
    """The category to store on a task: "" for none, else an active entry's name. ``current``:
    the task's category before an edit, which it may keep even if retired since."""
    name = fields.check("category", value).strip()
    if not name or name == current:
        return name
    entry = _find(session, name)
    if entry is None:
        raise ValidationError("error.category_unknown", name=name,
                              allowed=listing(names(session)))
    if entry.retired:
        raise ValidationError("error.category_retired", name=name)
    return name


def add(session: Session, *, actor: Actor, name: str, sort_order: int | None = None) -> Category:
    """A new entry at the end (or at ``sort_order``). Adding a retired name brings it back."""
    authorize(actor, "manage_categories")
    name = fields.check("category", name, required=True).strip()
    entry = _find(session, name)
    if entry is not None and not entry.retired:
        raise ValidationError("error.category_exists", name=name)
    if sort_order is None:
        last = session.exec(select(func.max(Category.sort_order))).one()
        sort_order = (last or 0) + STEP
    action = "restore" if entry is not None else "create"
    if entry is None:
        entry = Category(name=name)
    entry.retired, entry.sort_order = False, sort_order
    session.add(entry)
    session.flush()
    audit.record(session, actor_id=actor.user_id, entity="category", entity_id=entry.id or 0,
                 action=action, after=audit.snapshot(entry, "name", "sort_order", "retired"))
    return entry


def rename(session: Session, *, actor: Actor, old: str, new: str) -> int:
    """Rename an entry and every task that has it; returns how many tasks changed."""
    authorize(actor, "manage_categories")
    entry = _named(session, old)
    new = fields.check("category", new, required=True).strip()
    if new == entry.name:
        return 0
    if _find(session, new) is not None:
        raise ValidationError("error.category_exists", name=new)
    before = audit.snapshot(entry, "name")
    old_name, entry.name = entry.name, new
    session.add(entry)
    session.flush()
    # The tasks change too: their version moves, so a form opened before the rename
    # reloads instead of writing the old name back.
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(Task).where(col(Task.category) == old_name)
        .values(category=new, version=col(Task.version) + 1)
        .execution_options(synchronize_session="fetch"))
    moved = result.rowcount
    audit.record(session, actor_id=actor.user_id, entity="category", entity_id=entry.id or 0,
                 action="rename", before=before, after={"name": new, "tasks": moved})
    return int(moved)


def retire(session: Session, *, actor: Actor, name: str) -> Category:
    """No longer offered; the tasks that have it keep it."""
    authorize(actor, "manage_categories")
    entry = _named(session, name)
    if entry.retired:
        raise ValidationError("error.category_already_retired", name=entry.name)
    entry.retired = True
    session.add(entry)
    session.flush()
    audit.record(session, actor_id=actor.user_id, entity="category", entity_id=entry.id or 0,
                 action="retire", after=audit.snapshot(entry, "name", "retired"))
    return entry


def task_counts(session: Session) -> dict[str, int]:
    """Tasks per category name (for the list)."""
    return {name: int(count) for name, count in session.exec(
        select(Task.category, func.count()).where(Task.category != "")
        .group_by(col(Task.category))).all()}


def ensure(session: Session, wanted: list[str]) -> None:
    """Add the names in ``wanted`` the list lacks (the demo's seed brings its own); written
    by the program, not a user, like the demo's other set-up rows."""
    have = set(names(session, include_retired=True))
    last = session.exec(select(func.max(Category.sort_order))).one() or 0
    for name in dict.fromkeys(n.strip() for n in wanted if n.strip()):
        if name in have:
            continue
        last += STEP
        entry = Category(name=fields.check("category", name), sort_order=last)
        session.add(entry)
        session.flush()
        audit.record(session, actor_id=None, entity="category", entity_id=entry.id or 0,
                     action="create", after=audit.snapshot(entry, "name", "sort_order", "retired"))
