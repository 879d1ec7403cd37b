"""What the action checks read from the database (``preconditions.read_state``), as a user
sees it: which reminders a unit is asked to answer, and the sentences that refuse an action.

Mutation testing (docs/testing.md) found that SQL exercised only by slow tests: which
notes are open, for which task and unit, which extension or contest is pending, which
supporters are silent and in which order, and the contest window from the dispatch day.
Two tasks share the database so that reading the other task's rows shows. SQLite only,
except the order test (the order rows come back in is the backend's)."""

from dataclasses import dataclass
from datetime import date

import pendulum
import pytest

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import NoteKind, Role
from coordboard.services import contests, detail, directory, preconditions, progress, tasks
from coordboard.services.permissions import Actor
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar, load_calendar

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
CAL = WorkCalendar()
TODAY = date(2026, 11, 25)  # the frozen clock's day, a Wednesday
OFFICE = Actor(1, "office", Role.OFFICE, None)


@dataclass
class Two:
    units: dict[str, int]
    a: str  # lead 司法所, supporters 文化站 then 派出所; dispatched 11-25 00:30 local time
    b: str  # lead 派出所, supporter 司法所


def _head(unit: int) -> Actor:
    return Actor(100 + unit, f"head{unit}", Role.HEAD, unit)


def _why_not(db: Database, code: str, actor: Actor, action: str, today: date = TODAY) -> str | None:
    """The sentence refusing ``action`` (None when allowed), read as the workflow reads it."""
    settings = Settings()
    with db.read() as session:
        task = tasks.task_by_code(session, code)
        state = preconditions.read_state(session, task, calendar=load_calendar(session),
                                         contest_workdays=settings.contest_workdays,
                                         timezone=settings.timezone)
        refusal = preconditions.refusal(action, actor, state, today=today)
    return None if refusal is None else str(refusal)


@pytest.fixture
def two(db: Database, frozen) -> Two:
    with db.write() as session:
        units = {name: directory.add_department(session, name=name).id or 0
                 for name in ("司法所", "派出所", "文化站")}
        S, P, W = units["司法所"], units["派出所"], units["文化站"]
        with clock.at(pendulum.datetime(2026, 11, 24, 16, tz="Asia/Shanghai")):
            a = tasks.register(session, actor_id=None, title="甲", today=TODAY,
                               lead=UnitAssignment(S),
                               supporters=[UnitAssignment(W), UnitAssignment(P)],
                               deadline=date(2026, 12, 10))
            b = tasks.register(session, actor_id=None, title="乙", today=TODAY,
                               lead=UnitAssignment(P), supporters=[UnitAssignment(S)],
                               deadline=date(2026, 12, 10))
        # Half past midnight in Beijing is still the 24th in UTC: the day counted is local.
        with clock.at(pendulum.datetime(2026, 11, 25, 0, 30, tz="Asia/Shanghai")):
            tasks.dispatch(session, task=a, actor_id=None, calendar=CAL, today=TODAY)
            tasks.dispatch(session, task=b, actor_id=None, calendar=CAL, today=TODAY)
    return Two(units, a.code, b.code)


def _note(db: Database, code: str, body: str, *, unit: int | None = None,
          respond_by: date | None = date(2026, 12, 1), kind: str = NoteKind.URGE,
          answered: bool = False) -> None:
    with db.write() as session:
        task = tasks.task_by_code(session, code)
        note = progress.add_note(session, task=task, kind=kind, body=body, actor_id=None,
                                 department_id=unit, respond_by=respond_by, today=TODAY)
        if answered:
            progress.respond_note(session, task=task, note=note, actor_id=None, response="已办")


def _answerable(db: Database, code: str, unit: int) -> list[str]:
    with db.read() as session:
        return [choice.label for choice in
                detail.notes_to_answer(session, actor=_head(unit), code=code)]


@SQLITE
def test_a_unit_is_asked_to_answer_its_own_and_the_whole_tasks_open_notes_in_order(
        db: Database, two: Two) -> None:
    S, P, W = two.units["司法所"], two.units["派出所"], two.units["文化站"]
    _note(db, two.a, "全体：请报送台账")  # to the whole task
    _note(db, two.b, "乙事项：请司法所说明", unit=S)  # another task
    _note(db, two.a, "司法所：请补充材料", unit=S)
    _note(db, two.a, "文化站：请说明进度", unit=W)  # another unit
    _note(db, two.a, "司法所：已答复的", unit=S, answered=True)
    _note(db, two.a, "司法所：提醒，无需答复", unit=S, respond_by=None, kind=NoteKind.REMINDER)
    _note(db, two.a, "司法所：再次催办", unit=S, kind=NoteKind.LETTER)
    assert _answerable(db, two.a, S) == [
        "催办（2026-12-01 前回复）：全体：请报送台账",
        "催办（2026-12-01 前回复）：司法所：请补充材料",
        "督办函（2026-12-01 前回复）：司法所：再次催办",
    ]
    assert _answerable(db, two.a, W) == [
        "催办（2026-12-01 前回复）：全体：请报送台账",
        "催办（2026-12-01 前回复）：文化站：请说明进度",
    ]
    assert _answerable(db, two.a, P) == ["催办（2026-12-01 前回复）：全体：请报送台账"]
    assert _why_not(db, two.a, _head(P), "respond") is None
    assert _why_not(db, two.b, _head(S), "respond") is None  # its own note, none to the whole task
    # 派出所 leads 乙, whose one open note is 司法所's: nothing there for 派出所 to answer.
    assert _why_not(db, two.b, _head(P), "respond") == \
        f"事项 {two.b} 没有需要本单位回复的提醒、催办或督办函。"


@SQLITE
def test_a_pending_extension_is_the_tasks_own_and_only_while_undecided(db: Database, two: Two) -> None:
    S, P = two.units["司法所"], two.units["派出所"]
    with db.write() as session:
        progress.request_extension(session, task=tasks.task_by_code(session, two.b),
                                   department_id=P, actor_id=None, new_deadline=date(2026, 12, 20),
                                   reason="需要协调", today=TODAY)
        task_a = tasks.task_by_code(session, two.a)
        refused = progress.request_extension(session, task=task_a, department_id=S, actor_id=None,
                                             new_deadline=date(2026, 12, 20), reason="需要协调",
                                             today=TODAY)
        progress.decide_extension(session, task=task_a, request=refused, actor_id=None,
                                  approve=False)
    assert _why_not(db, two.a, _head(S), "request_extension") is None
    assert _why_not(db, two.a, OFFICE, "decide_extension") == \
        f"{two.a} 没有待审批的延期申请（可能已审批过）。"
    assert _why_not(db, two.b, _head(P), "request_extension") == \
        f"事项 {two.b} 已有待审批的延期申请。"
    assert _why_not(db, two.b, OFFICE, "decide_extension") is None


@SQLITE
def test_receipt_reports_and_contests_are_read_for_each_unit_of_the_task(db: Database, two: Two) -> None:
    S, P, W = two.units["司法所"], two.units["派出所"], two.units["文化站"]
    with db.write() as session:
        task_a, task_b = tasks.task_by_code(session, two.a), tasks.task_by_code(session, two.b)
        tasks.acknowledge(session, task=task_a, department_id=S, actor_id=None)
        progress.add_feedback(session, task=task_a, department_id=W, actor_id=None, body="进展")
        # On the other task 派出所 reports and 司法所 contests: neither counts on 甲.
        progress.add_feedback(session, task=task_b, department_id=P, actor_id=None, body="进展")
        contests.contest(session, task=task_b, department_id=S, actor_id=None, reason="不归本所",
                         today=TODAY, calendar=CAL, window_workdays=3)
    assert _why_not(db, two.a, _head(S), "acknowledge") == f"本单位已签收事项 {two.a}，无需重复签收。"
    assert _why_not(db, two.a, _head(P), "acknowledge") is None
    assert _why_not(db, two.a, _head(S), "request_closure") == \
        f"事项 {two.a} 还有配合单位未反馈：派出所，暂不能申请办结。"
    assert _why_not(db, two.a, OFFICE, "decide_contest") == f"事项 {two.a} 没有待决定的调整申请。"
    assert _why_not(db, two.a, _head(S), "contest") is None
    assert _why_not(db, two.b, OFFICE, "decide_contest") is None
    assert _why_not(db, two.b, _head(S), "contest") == f"事项 {two.b} 已有待决定的调整申请。"
    # A refusal by status, read from the row, names the task too, and what the office may do
    # instead (not the units' acknowledging, reporting or asking).
    assert _why_not(db, two.b, OFFICE, "accept") == (
        f"事项 {two.b} 当前为“办理中”，不能办结销号；可进行：修改、督办留痕、审批调整申请、审批延期、"
        "暂缓、撤销、上传佐证材料、编排阶段节点、标记节点完成。")


def test_silent_supporters_are_named_in_the_order_they_were_assigned(db: Database, two: Two) -> None:
    """文化站 was assigned before 派出所 but registered after it (a higher unit number)."""
    assert _why_not(db, two.a, _head(two.units["司法所"]), "request_closure") == \
        f"事项 {two.a} 还有配合单位未反馈：文化站、派出所，暂不能申请办结。"


@SQLITE
def test_the_contest_window_counts_from_the_local_dispatch_day(db: Database, two: Two) -> None:
    """Dispatched Wednesday 11-25 at 00:30 Beijing time (still the 24th in UTC): three working
    days on is Monday 11-30, the last day a contest is accepted."""
    P = two.units["派出所"]
    assert _why_not(db, two.a, _head(P), "contest", today=date(2026, 11, 30)) is None
    assert _why_not(db, two.a, _head(P), "contest", today=date(2026, 12, 1)) == \
        f"事项 {two.a} 的调整申请须在交办后 3 个工作日内（2026-11-30 前）提出。"
