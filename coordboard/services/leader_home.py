"""A leader's own tasks (我负责的事项): the page a leader's home and ``task list --mine``
show. Apart from ``leaders`` (the rule of who can be a leader, which registering a task
needs) because it reads the board, which registering must not import."""

from dataclasses import dataclass, replace

from sqlalchemy import case
from sqlmodel import Session, col, select

from coordboard.enums import OPEN_STATUSES, Light, Role
from coordboard.errors import ValidationError
from coordboard.models import Task
from coordboard.services import board
from coordboard.services.lights import LightContext, light_case
from coordboard.services.permissions import Actor

MY_TASKS_LIMIT = 50


@dataclass
class LeaderHome:
    """The tasks a leader answers for: open first, reds first, then by deadline."""

    rows: list[board.BoardRow]
    total: int
    open_by_light: dict[str, int]


def mine_of(actor: Actor) -> int:
    """The leader whose own tasks ``actor`` asks for: themselves, if they are one."""
    if actor.role != Role.LEADER:
        raise ValidationError("error.leader_mine_only")
    return actor.user_id


def my_tasks(session: Session, leader_id: int, ctx: LightContext,
             within: board.BoardFilter | None = None, *, offset: int = 0,
             limit: int = MY_TASKS_LIMIT) -> LeaderHome:
    """One page of a leader's tasks with lights (``within`` narrows them; its sort is not
    used); the counts as two aggregate queries."""
    flt = replace(within or board.BoardFilter(), leader_id=leader_id)
    where = board.where_clauses(flt, ctx)
    light = light_case(ctx)
    is_open = col(Task.status).in_([str(s) for s in OPEN_STATUSES])
    order = [case((is_open, 0), else_=1),
             case((light == Light.RED.value, 0), (light == Light.YELLOW.value, 1),
                  (light == Light.GREEN.value, 2), else_=3),
             col(Task.deadline), col(Task.id)]
    tasks = list(session.exec(select(Task).where(*where).order_by(*order)
                              .offset(offset).limit(limit)).all())
    total = board.count(session, flt, ctx)
    counts = board.count_by_light(session, replace(flt, statuses=board.OPEN_FILTER), ctx)
    return LeaderHome(board.rows_for(session, tasks, ctx), total, counts)
