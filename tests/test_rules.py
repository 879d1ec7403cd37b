"""Issue 11: the rules as an office applies them, on real 2025/2026 dates around 春节 and 国庆.

2025 Spring Festival: off 01-28…02-04, makeup working days Sun 01-26 and Sat 02-08.
2026 Spring Festival: off 02-15…02-23, makeup Sat 02-14 and Sat 02-28.
2026 National Day: off 10-01…10-07, makeup Sun 09-20 and Sat 10-10.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import pendulum
import pytest

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Light, NoteKind, Role
from coordboard.services import agenda, board, directory, home, progress, review, rules, scores, tasks
from coordboard.services.lights import LightContext
from coordboard.services.permissions import Actor
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import load_calendar

SETTINGS = Settings()


def at(y: int, m: int, d: int, hour: int = 10) -> pendulum.DateTime:
    return pendulum.datetime(y, m, d, hour, tz="Asia/Shanghai")


@dataclass
class Place:
    db: Database
    units: dict[str, int]
    office: Actor

    def task(self, when: pendulum.DateTime, deadline: date, lead: str = "司法所",
             support: tuple[str, ...] = ()) -> str:
        with clock.at(when), self.db.write() as session:
            task = tasks.register(session, actor_id=None, title="事项", today=when.date(),
                                  lead=UnitAssignment(self.units[lead]), deadline=deadline,
                                  supporters=[UnitAssignment(self.units[u]) for u in support])
            tasks.dispatch(session, task=task, actor_id=None, calendar=load_calendar(session),
                           today=when.date())
            return task.code

    def do(self, code: str, when: pendulum.DateTime, fn, **kw):  # type: ignore[no-untyped-def]
        with clock.at(when), self.db.write() as session:
            return fn(session, task=tasks.task_by_code(session, code), **kw)

    def report(self, code: str, when: pendulum.DateTime, *names: str) -> None:
        for name in names:
            self.do(code, when, progress.add_feedback, department_id=self.units[name],
                    actor_id=None, body="进展")

    def verdict(self, code: str, when: pendulum.DateTime):  # type: ignore[no-untyped-def]
        with travel(when), self.db.read() as session:
            ctx = LightContext.build(SETTINGS, load_calendar(session))
            task = tasks.task_by_code(session, code)
            verdict = board.verdict_of(session, task, ctx)
            # The SQL form of the same light, for the same task.
            from sqlmodel import select

            from coordboard.models import Task
            sql_light = session.exec(select(rules.light_case(ctx)).where(Task.id == task.id)).one()
            assert sql_light == verdict.light.value
            return verdict


@contextmanager
def travel(when: pendulum.DateTime) -> Iterator[None]:
    with pendulum.travel_to(when, freeze=True):
        yield


def place(db: Database) -> Place:
    with db.write() as session:
        units = {name: directory.add_department(session, name=name).id or 0
                 for name in ("司法所", "派出所", "文化站", "城管中队", "李家村")}
        user = directory.add_user(session, username="office", display_name="法治办",
                                  role=Role.OFFICE, password="x" * 8)
    return Place(db, units, Actor(user.id or 0, "office", Role.OFFICE, None))


def test_rule1_silence_counts_working_days_over_national_day(db: Database) -> None:
    p = place(db)
    code = p.task(at(2026, 9, 29), date(2026, 12, 31))
    p.do(code, at(2026, 9, 29, 11), tasks.acknowledge, department_id=p.units["司法所"],
         actor_id=None)
    # 09-30, 10-08, 10-09, Sat 10-10 (调休), Mon 10-12: five working days; on 10-09 (ten
    # calendar days) the old rule already said "silent".
    assert p.verdict(code, at(2026, 10, 9)).light == Light.GREEN
    assert p.verdict(code, at(2026, 10, 12)).light == Light.GREEN
    late = p.verdict(code, at(2026, 10, 13))
    assert late.light == Light.YELLOW
    assert late.reasons == ("司法所交办以来未反馈（6 个工作日）",)


def test_rule1_silence_from_last_report_over_spring_festival(db: Database) -> None:
    p = place(db)
    code = p.task(at(2026, 2, 2), date(2026, 6, 30))
    p.report(code, at(2026, 2, 13), "司法所")
    # Sat 02-14 (调休), 02-24…02-27: five working days after 02-13; Sat 02-28 (调休) is
    # the sixth, a working day on which the unit is silent.
    assert p.verdict(code, at(2026, 2, 27)).light == Light.GREEN
    late = p.verdict(code, at(2026, 2, 28))
    assert late.light == Light.YELLOW and late.reasons == ("司法所已 6 个工作日未反馈",)
    assert p.verdict(code, at(2026, 3, 2)).reasons == ("司法所已 7 个工作日未反馈",)


def test_rule1_old_setting_name_is_still_read(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from coordboard.config import load_settings

    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "config" / "config.toml").write_text("feedback_period_days = 14\n", encoding="utf-8")
    monkeypatch.setenv("COORDBOARD_CONFIG_DIR", str(tmp_path / "config"))
    assert load_settings().feedback_period_workdays == 10


def test_rule2_a_timely_closure_request_stops_the_clock(db: Database) -> None:
    p = place(db)
    code = p.task(at(2026, 9, 21), date(2026, 9, 30), support=("派出所",))
    p.report(code, at(2026, 9, 28), "司法所", "派出所")
    p.do(code, at(2026, 9, 29), tasks.request_closure, actor_id=None)
    waiting = p.verdict(code, at(2026, 10, 9))  # the deadline passed during 国庆
    assert waiting.light == Light.GREEN
    assert waiting.reasons == ("已于9月29日按期申请办结，待审核",)
    # Accepted late by the office: closed on time, judged by the request's day.
    p.do(code, at(2026, 10, 12), tasks.accept, actor_id=p.office.user_id)
    with travel(at(2026, 10, 31)), db.read() as session:
        sb = scores.scoreboard(session, SETTINGS, date(2026, 10, 1), date(2026, 10, 31))
    by_unit = {s.name: s for s in sb.ranking}
    assert by_unit["司法所"].by_rule["on_time"] == 2 and by_unit["司法所"].by_rule["overdue"] == 0
    assert by_unit["派出所"].by_rule["on_time"] == 1
    with db.read() as session:
        task = tasks.task_by_code(session, code)
        assert rules.is_on_time(task) and task.closure_requested_on == date(2026, 9, 29)


def test_rule2_a_returned_request_lets_the_clock_run(db: Database) -> None:
    p = place(db)
    code = p.task(at(2026, 9, 21), date(2026, 9, 30))
    p.report(code, at(2026, 9, 28), "司法所")
    p.do(code, at(2026, 9, 29), tasks.request_closure, actor_id=None)
    p.do(code, at(2026, 10, 8), tasks.return_for_rework, actor_id=p.office.user_id, reason="佐证不足")
    again = p.verdict(code, at(2026, 10, 9))
    assert again.light == Light.RED and again.reasons[0] == "已逾期 2 个工作日（期限9月30日）"
    # A late request does not stop the clock.
    p.do(code, at(2026, 10, 9, 11), tasks.request_closure, actor_id=None)
    assert p.verdict(code, at(2026, 10, 12)).light == Light.RED


def test_rule3_late_acknowledgement_around_spring_festival_2025(db: Database, settings) -> None:
    p = place(db)
    code = p.task(at(2025, 1, 24), date(2025, 3, 31), support=("派出所", "文化站"))
    p.do(code, at(2025, 1, 24, 11), tasks.acknowledge, department_id=p.units["司法所"],
         actor_id=None)
    # One working day after Fri 01-24 is Sun 01-26 (调休): still in time that day.
    assert p.verdict(code, at(2025, 1, 26)).light == Light.GREEN
    late = p.verdict(code, at(2025, 1, 27))
    assert late.light == Light.YELLOW
    assert late.reasons == ("派出所、文化站逾期未签收（应于1月26日前签收）",)
    with travel(at(2025, 1, 27)), db.read() as session:
        ctx = LightContext.build(settings, load_calendar(session))
        office = home.office_home(session, ctx)
        head = home.head_home(session, p.units["派出所"], ctx)
        lead = home.head_home(session, p.units["司法所"], ctx)
    assert office.pending_counts["late_ack"] == 2
    assert {item.unit for item in office.pending if item.kind == "late_ack"} == {"派出所", "文化站"}
    assert head.todo_counts["late_ack"] == 1 and head.todo_counts["acknowledge"] == 0
    assert lead.todo_counts["late_ack"] == 0
    with travel(at(2025, 1, 27)), db.write() as session:
        started = review.start(session, actor=p.office, settings=settings)
        lines = agenda.lines(session, started, LightContext.build(settings, load_calendar(session)))
    assert [(line.item.section, line.code) for line in lines] == [("late_ack", code)]


def test_rule4_reasons_name_the_note_the_date_and_the_units(db: Database) -> None:
    p = place(db)
    code = p.task(at(2026, 11, 2), date(2026, 12, 31),
                  support=("派出所", "文化站", "城管中队", "李家村"))
    for name in p.units:
        p.do(code, at(2026, 11, 2, 11), tasks.acknowledge, department_id=p.units[name],
             actor_id=None)
    p.report(code, at(2026, 11, 3), "派出所", "文化站", "城管中队", "李家村")
    p.report(code, at(2026, 11, 20), "司法所")
    p.do(code, at(2026, 11, 20, 15), progress.add_note, kind=NoteKind.URGE, body="请反馈",
         actor_id=None, department_id=p.units["司法所"], respond_by=date(2026, 11, 24),
         today=date(2026, 11, 20))
    verdict = p.verdict(code, at(2026, 11, 25))
    assert verdict.light == Light.RED
    assert verdict.reasons == (
        "催办（11月20日发，限11月24日前回复）逾期未回复：司法所",
        "城管中队等 4 个单位未按期反馈，最久已 16 个工作日",  # units named in pinyin order
    )


def test_a_task_suspended_over_its_deadline_resumes_with_a_deadline_the_office_sets(
        db: Database) -> None:
    """Suspended on 21 December over its deadline of 8 January and resumed on 11 January, a
    task was red the moment it resumed and nothing could move its deadline; the month's
    scores then counted it overdue (the rules trial). The office sets a new deadline on
    resuming: it is the deadline and the scoring deadline; a past one is refused."""
    from coordboard.errors import ValidationError

    p = place(db)
    code = p.task(at(2026, 12, 1), date(2027, 1, 8))
    p.report(code, at(2026, 12, 2), "司法所")
    p.do(code, at(2026, 12, 21), tasks.suspend, actor_id=None, reason="等待上级意见")
    with pytest.raises(ValidationError):
        p.do(code, at(2027, 1, 11), tasks.resume, actor_id=None, new_deadline=date(2027, 1, 8),
             today=date(2027, 1, 11))
    p.do(code, at(2027, 1, 11), tasks.resume, actor_id=None, new_deadline=date(2027, 2, 1),
         today=date(2027, 1, 11))
    assert p.verdict(code, at(2027, 1, 11, 15)).light.value != "red"
    with travel(at(2027, 1, 31, 15)), db.read() as session:
        board_ = scores.scoreboard(session, SETTINGS, date(2027, 1, 1), date(2027, 1, 31))
        task = tasks.task_by_code(session, code)
    assert (task.deadline, task.original_deadline) == (date(2027, 2, 1), date(2027, 2, 1))
    assert not [e for e in board_.evidence if e.code == code and e.rule == "overdue"]
