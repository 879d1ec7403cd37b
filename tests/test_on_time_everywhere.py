"""按期办结 is judged by the day the closure was asked for, in every document (GLOSSARY:
"if accepted it counts as closed on time, judged by the request's date"): a task asked for
on its deadline and accepted after it is on time in the scoreboard, the bulletin, the
period report and the ledger alike; and while such a request waits past the deadline the
bulletin does not list the task as lagging."""

from datetime import date

import pendulum

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.services import board, directory, scores, tasks
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
