"""按期办结 is judged by the day the closure was asked for, in every document (GLOSSARY:
"if accepted it counts as closed on time, judged by the request's date"): a task asked for
on its deadline and accepted after it is on time in the scoreboard, the bulletin, the
period report and the ledger alike; and while such a request waits past the deadline the
bulletin does not list the task as lagging."""

from datetime import date

import pendulum

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.models import ExtensionRequest
from coordboard.services import board, directory, progress, scores, tasks
from coordboard.services.reports import bulletin, ledger, period
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar

DEADLINE = date(2026, 11, 20)  # a Friday; the frozen clock is Wednesday 2026-11-25


def _asked_on_the_deadline(db: Database) -> str:
    with db.write() as session:
        unit = directory.add_department(session, name="司法所").id or 0
        task = tasks.register(session, actor_id=None, title="按期申请", today=date(2026, 11, 2),
                              lead=UnitAssignment(unit, "方案"), deadline=DEADLINE)
        tasks.dispatch(session, task=task, actor_id=None, calendar=WorkCalendar(),
                       today=date(2026, 11, 2))
        tasks.acknowledge(session, task=task, department_id=unit, actor_id=None)
        tasks.request_closure(session, task=task, actor_id=None, today=DEADLINE)
        return task.code


def test_waiting_on_time_request_is_not_lagging_in_the_bulletin(db: Database, frozen) -> None:
    _asked_on_the_deadline(db)
    with db.read() as session:
        b = bulletin.build(session, Settings(), "2026-W48")
    assert b.lagging == [] and b.overdue == 0


def test_accepted_late_is_on_time_in_every_document(db: Database, frozen) -> None:
    code = _asked_on_the_deadline(db)
    with db.write() as session:
        tasks.accept(session, task=tasks.task_by_code(session, code), actor_id=None)
    settings = Settings()
    with db.read() as session:
        b = bulletin.build(session, settings, "2026-W48")
        report = period.build(session, settings, period.parse_period(month="2026-11"))
        rows = list(ledger.rows(session, settings, board.BoardFilter()))
        board_points = scores.scoreboard(session, settings, date(2026, 11, 1), date(2026, 11, 30))
    assert (b.closed, b.closed_on_time) == (1, 1)
    assert (report.total.on_time, report.total.late) == (1, 0)
    assert [row.on_time for row in rows] == ["是"]
    lead = next(line for line in board_points.ranking if line.name == "司法所")
    assert lead.points == settings.score_on_time_lead
    assert pendulum.now().date() > DEADLINE  # accepted after the deadline


def _closed(db: Database, unit: int, title: str, *, deadline: date, asked: date | None,
            extend_to: date | None = None, decided: date | None = None) -> str:
    """A task closed by a request made on ``asked`` (None: left open); with ``extend_to``,
    an extension asked for before the deadline and decided on ``decided``."""
    def at(day: date):
        return pendulum.travel_to(pendulum.datetime(day.year, day.month, day.day, 10,
                                                    tz="Asia/Shanghai"), freeze=True)
    with at(date(2026, 10, 8)), db.write() as session:
        task = tasks.register(session, actor_id=None, title=title, today=date(2026, 10, 8),
                              lead=UnitAssignment(unit, ""), deadline=deadline)
        tasks.dispatch(session, task=task, actor_id=None, calendar=WorkCalendar(),
                       today=date(2026, 10, 8))
        tasks.acknowledge(session, task=task, department_id=unit, actor_id=None)
        code = task.code
    if extend_to is not None:
        assert decided is not None
        with at(date(2026, 10, 9)), db.write() as session:
            request = progress.request_extension(
                session, task=tasks.task_by_code(session, code), department_id=unit,
                actor_id=None, new_deadline=extend_to, reason="材料未齐", today=date(2026, 10, 9))
            request_id = request.id
        with at(decided), db.write() as session:
            task = tasks.task_by_code(session, code)
            progress.decide_extension(session, task=task, request=session.get(
                ExtensionRequest, request_id), actor_id=None, approve=True)
    if asked is None:
        return code
    with at(asked), db.write() as session:
        tasks.request_closure(session, task=tasks.task_by_code(session, code), actor_id=None,
                              today=asked)
    with at(asked), db.write() as session:
        tasks.accept(session, task=tasks.task_by_code(session, code), actor_id=None)
    return code


def test_extended_and_plain_tasks_are_judged_alike_in_every_document(db: Database) -> None:
    """Rule: counts made in SQL (a deadline never moved) and in Python (moved, judged with
    the extension's history) agree task by task with the ledger and the scoreboard: an
    approved extension asked for by the old deadline moves the scoring deadline, however late
    the office approved it."""
    with db.write() as session:
        unit = directory.add_department(session, name="司法所").id or 0
    cases = {  # title: on time?
        "按期": _closed(db, unit, "按期", deadline=date(2026, 11, 6), asked=date(2026, 11, 6)),
        "逾期": _closed(db, unit, "逾期", deadline=date(2026, 11, 6), asked=date(2026, 11, 9)),
        "延期后按期": _closed(db, unit, "延期后按期", deadline=date(2026, 11, 6),
                         asked=date(2026, 11, 18), extend_to=date(2026, 11, 20),
                         decided=date(2026, 11, 5)),
        "延期批复晚": _closed(db, unit, "延期批复晚", deadline=date(2026, 11, 6),
                         asked=date(2026, 11, 18), extend_to=date(2026, 11, 20),
                         decided=date(2026, 11, 10)),
        "延期后仍逾期": _closed(db, unit, "延期后仍逾期", deadline=date(2026, 11, 6),
                          asked=date(2026, 11, 24), extend_to=date(2026, 11, 20),
                          decided=date(2026, 11, 5)),
    }
    # 延期批复晚: asked for in time, approved four days after the old deadline: the new
    # deadline counts (the office's delay is not the unit's; the light showed it too).
    expected = {"按期": True, "逾期": False, "延期后按期": True, "延期批复晚": True,
                "延期后仍逾期": False}
    # Open and overdue, one plain and one extended past its new deadline (scored, not closed).
    _closed(db, unit, "未办结", deadline=date(2026, 11, 10), asked=None)
    _closed(db, unit, "延期未办结", deadline=date(2026, 11, 6), asked=None,
            extend_to=date(2026, 11, 12), decided=date(2026, 11, 5))
    settings = Settings()
    with pendulum.travel_to(pendulum.datetime(2026, 11, 25, 10, tz="Asia/Shanghai"), freeze=True), \
            db.read() as session:
        b = bulletin.build(session, settings, "2026-W48")
        report = period.build(session, settings, period.parse_period(month="2026-11"))
        rows = {row.code: row.on_time for row in ledger.rows(session, settings, board.BoardFilter())}
        month = (date(2026, 11, 1), date(2026, 11, 30))
        full = scores.scoreboard(session, settings, *month)
        points = scores.scoreboard(session, settings, *month, points_only=True)
    assert {title: rows[code] == "是" for title, code in cases.items()} == expected
    # Points counted in SQL (deadline never moved) and in Python (moved) equal the full
    # scoreboard's, rule by rule: 3 on time (+2 each), 4 overdue (-5 each).
    lead = next(line for line in full.ranking if line.name == "司法所")
    assert {rule: n for rule, n in lead.by_rule.items() if n} == {
        "on_time": 3 * settings.score_on_time_lead, "overdue": 4 * settings.score_overdue_lead}
    assert [(s.name, s.points, dict(s.by_rule)) for s in points.ranking] == [
        (s.name, s.points, dict(s.by_rule)) for s in full.ranking]
    # Each line of evidence says why, in the words of its own task.
    said = {(line.title, line.rule): line.detail for line in full.evidence}
    # The day the closure was asked for (what makes it on time), named as such: the line's
    # date is the day it was accepted (the trial's clerk saw two "办结" days).
    assert said[("按期", "on_time")] == "2026年11月6日申请办结，期限2026年11月6日"
    assert said[("逾期", "overdue")] == "期限2026年11月6日，2026年11月9日才申请办结"
    assert said[("延期后仍逾期", "overdue")] == "期限2026年11月20日，2026年11月24日才申请办结"
    assert said[("未办结", "overdue")] == "期限2026年11月10日，至今未办结"
    assert said[("延期未办结", "overdue")] == "期限2026年11月12日，至今未办结"
    in_time = sum(expected.values())
    assert (b.closed, b.closed_on_time) == (len(cases), in_time)
    assert (report.total.on_time, report.total.late) == (in_time, len(cases) - in_time)
    line = next(line for line in report.units if line.name == "司法所")
    assert (line.on_time, line.late) == (in_time, len(cases) - in_time)
