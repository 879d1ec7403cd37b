"""A small town with a known history, for the review, report and score tests.

The clock is frozen on Wednesday 2026-11-25 09:30 (Asia/Shanghai) by the
``frozen`` fixture; earlier events are written at their own instants with
``clock.at``. Every figure the tests expect is worked out in the comments.
"""

from dataclasses import dataclass
from datetime import date

import pendulum

from coordboard import clock
from coordboard.db import Database
from coordboard.enums import NoteKind, Role
from coordboard.services import directory, progress, tasks
from coordboard.services.permissions import Actor
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar


@dataclass
class Town:
    office: Actor
    units: dict[str, int]  # 司法所 (S), 派出所 (P), 文化站 (W)
    codes: dict[str, str]  # T1..T10 → task code


def at(month: int, day: int, hour: int = 10) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, tz="Asia/Shanghai")


def build_town(db: Database) -> Town:
    with db.write() as session:
        units = {name: directory.add_department(session, name=name).id or 0
                 for name in ("司法所", "派出所", "文化站")}
        office_user = directory.add_user(session, username="office", display_name="法治办",
                                         role=Role.OFFICE, password="x" * 8)
    office = Actor(office_user.id or 0, "office", Role.OFFICE, None)
    S, P, W = units["司法所"], units["派出所"], units["文化站"]
    codes: dict[str, str] = {}
    calendar = WorkCalendar()

    def new(key: str, when: pendulum.DateTime, lead: int, support: list[int], deadline: date) -> None:
        with clock.at(when), db.write() as session:
            task = tasks.register(session, actor_id=office.user_id, title=f"{key} 事项",
                                  lead=UnitAssignment(lead, "牵头"),
                                  supporters=[UnitAssignment(u, "配合") for u in support],
                                  deadline=deadline, today=when.date())
            tasks.dispatch(session, task=task, actor_id=office.user_id, calendar=calendar,
                           today=when.date())
            codes[key] = task.code

    def step(key: str, when: pendulum.DateTime, fn, **kw) -> None:
        with clock.at(when), db.write() as session:
            fn(session, task=tasks.task_by_code(session, codes[key]), **kw)

    def report(key: str, when: pendulum.DateTime, *units_: int) -> None:
        for unit in units_:
            step(key, when, progress.add_feedback, department_id=unit, actor_id=None, body="进展")

    # T1: overdue since 11-20, inside the week before today: red and *newly* overdue.
    new("T1", at(11, 2), S, [P], date(2026, 11, 20))
    report("T1", at(11, 20), S, P)
    # T2: due Friday 11-27, within 3 working days: yellow.
    new("T2", at(11, 16), P, [W], date(2026, 11, 27))
    report("T2", at(11, 24), P, W)
    # T3: closure requested, returned once (W −2), requested again: a request.
    new("T3", at(11, 10), W, [S], date(2026, 12, 10))
    report("T3", at(11, 19), W, S)
    step("T3", at(11, 20), tasks.request_closure, actor_id=None)
    step("T3", at(11, 21), tasks.return_for_rework, actor_id=office.user_id, reason="佐证不足")
    report("T3", at(11, 23), W, S)
    step("T3", at(11, 24), tasks.request_closure, actor_id=None)
    # T4: an extension waiting for a decision: a request.
    new("T4", at(11, 10), S, [], date(2026, 12, 4))
    report("T4", at(11, 23), S)
    step("T4", at(11, 24), progress.request_extension, department_id=S, actor_id=None,
         new_deadline=date(2026, 12, 18), reason="需要协调场地", today=date(2026, 11, 24))
    # T5: on pace, green: not on the agenda.
    new("T5", at(11, 20), P, [], date(2026, 12, 31))
    report("T5", at(11, 24), P)
    # T6: closed on time on 11-24 (S +2, P +1); praised for S on 11-24 (S +1).
    new("T6", at(11, 2), S, [P], date(2026, 11, 30))
    report("T6", at(11, 20), S, P)
    step("T6", at(11, 23), tasks.request_closure, actor_id=None)
    step("T6", at(11, 24), tasks.accept, actor_id=office.user_id)
    step("T6", at(11, 24, 11), progress.add_note, kind=NoteKind.PRAISE, body="按期高质量完成",
         actor_id=office.user_id, department_id=S, today=date(2026, 11, 24))
    # T7: overdue since 11-06, never reported: red (also silent, but red claims it first).
    # Criticised as a whole task (W −1 lead, P −0.5) and P found passing the buck (P −1).
    new("T7", at(10, 20), W, [P], date(2026, 11, 6))
    step("T7", at(11, 24, 11), progress.add_note, kind=NoteKind.CRITICISM, body="长期无进展",
         actor_id=office.user_id, today=date(2026, 11, 24))
    step("T7", at(11, 24, 12), progress.add_note, kind=NoteKind.BUCK_PASSING, body="互相推诿",
         actor_id=office.user_id, department_id=P, today=date(2026, 11, 24))
    # T8: extension approved before its deadline moves the scoring deadline to 11-30;
    # closed 11-24, on time (P +2).
    new("T8", at(11, 2), P, [], date(2026, 11, 16))
    step("T8", at(11, 12), progress.request_extension, department_id=P, actor_id=None,
         new_deadline=date(2026, 11, 30), reason="等待批复", today=date(2026, 11, 12))
    with clock.at(at(11, 13)), db.write() as session:
        task = tasks.task_by_code(session, codes["T8"])
        request = _pending(session, task)
        progress.decide_extension(session, task=task, request=request, actor_id=office.user_id,
                                  approve=True)
    report("T8", at(11, 20), P)
    step("T8", at(11, 23), tasks.request_closure, actor_id=None)
    step("T8", at(11, 24), tasks.accept, actor_id=office.user_id)
    # T9: extension requested in time but approved only after the deadline (11-12) had
    # passed: it still moves the deadline to 11-30, for the board and the scores alike
    # (asked in time; the office's delay is not the unit's).
    new("T9", at(11, 5), W, [], date(2026, 11, 12))
    step("T9", at(11, 11), progress.request_extension, department_id=W, actor_id=None,
         new_deadline=date(2026, 11, 30), reason="等待材料", today=date(2026, 11, 11))
    with clock.at(at(11, 13)), db.write() as session:
        task = tasks.task_by_code(session, codes["T9"])
        progress.decide_extension(session, task=task, request=_pending(session, task),
                                  actor_id=office.user_id, approve=True)
    report("T9", at(11, 20), W)
    # T10: no report since dispatch on 11-10 (more than 7 days): a silent unit.
    new("T10", at(11, 10), S, [], date(2026, 12, 20))
    return Town(office=office, units=units, codes=codes)


def _pending(session, task):
    from sqlmodel import select

    from coordboard.models import ExtensionRequest

    return session.exec(select(ExtensionRequest).where(
        ExtensionRequest.task_id == task.id, ExtensionRequest.state == "pending")).one()
