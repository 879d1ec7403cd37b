"""Reads of a period's history use an index, not a scan of every event ever recorded
(the audit history grows without end: a town's years are millions of rows); reads of
the extended tasks use their partial index, not a scan of every task.

Each statement the scoreboard, the period report and ``notify run`` send about
``audit_event`` is explained by SQLite (on the demo town, with its real parameters) and
must not scan the table.
"""

from datetime import date

import pytest
from sqlalchemy import event

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.services import notify_events, scores
from coordboard.services.reports import bulletin, period


def _audit_plans(db: Database, work, about: str = "audit_event") -> list[tuple[str, list[str]]]:
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if about in statement and statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        with db.read() as session:
            work(session)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    plans = []
    with db.engine.connect() as conn:
        for statement, parameters in seen:
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            plans.append((statement, [row[-1] for row in rows]))
    return plans


@pytest.mark.parametrize("work", [
    lambda session: scores.scoreboard(session, Settings(), date(2026, 11, 1), date(2026, 11, 30)),
    lambda session: period.build(session, Settings(), period.parse_period(month="2026-11")),
    lambda session: notify_events.due_events(session, Settings()),
], ids=["scoreboard", "period", "notify"])
def test_a_periods_events_are_read_through_an_index(demo_file: Database, work) -> None:
    plans = _audit_plans(demo_file, work)
    assert plans, "the work read no audit events"
    for statement, steps in plans:
        scans = [step for step in steps if step.startswith("SCAN audit_event")]
        assert not scans, (statement, steps)


@pytest.mark.parametrize("work", [
    lambda session: scores.scoreboard(session, Settings(), date(2026, 11, 1), date(2026, 11, 30),
                                      points_only=True),
    lambda session: period.build(session, Settings(), period.parse_period(month="2026-11")),
    lambda session: bulletin.build(session, Settings(), "2026-W48"),
], ids=["points", "period", "bulletin"])
def test_the_extended_tasks_are_read_through_their_index(demo_file: Database, work) -> None:
    """Rule: the reports judge extended tasks apart; finding them reads the partial index
    of extended tasks (migration 0019), never every task. (The full scoreboard reads the
    plain tasks that score with them, in one scan.)"""
    plans = _audit_plans(demo_file, work, about="task.deadline != task.original_deadline")
    assert plans, "the work read no extended tasks"
    for statement, steps in plans:
        assert any("ix_task_extended" in step for step in steps), (statement, steps)


def test_the_boards_search_tests_titles_on_the_deadline_index(demo_file: Database) -> None:
    """Rule: the board's page, in its default order and filtered by the search box, tests
    title and code on the deadline index's entries and reads a task's row only when it
    matches (migration 0020): a word few titles hold no longer reads every task's row
    (300 -> 50 ms a keystroke at 100,000 tasks)."""
    from coordboard.services import board
    from coordboard.services.lights import LightContext
    from coordboard.services.workdays import load_calendar

    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if statement.lstrip().startswith("SELECT task.id") and "LIKE" in statement:
            seen.append((statement, parameters))

    event.listen(demo_file.engine, "before_cursor_execute", record)
    try:
        with demo_file.read() as session:
            ctx = LightContext.build(Settings(), load_calendar(session))
            board.page(session, board.BoardFilter(text="没有这样的词"), ctx, with_total=False)
    finally:
        event.remove(demo_file.engine, "before_cursor_execute", record)
    [(statement, parameters)] = seen
    with demo_file.engine.connect() as conn:
        index_root = conn.exec_driver_sql(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_task_deadline'").scalar()
        program = conn.exec_driver_sql(f"EXPLAIN {statement}", parameters).all()
    opcodes = [row[1] for row in program]
    [index_cursor] = [row[2] for row in program if row[1] == "OpenRead" and row[3] == index_root]
    # The columns the two LIKE tests read, before the first result column is read.
    tested = [row for row in program[opcodes.index("DeferredSeek"):opcodes.index("IdxRowid")]
              if row[1] == "Column"]
    assert len(tested) == 2 and all(row[2] == index_cursor for row in tested), program


def test_the_bulletins_silent_units_start_past_the_near_deadlines(demo_file: Database) -> None:
    """Rule: the bulletin's silent list (tasks not near their deadline whose units have
    gone quiet) seeks the deadline index past the near deadlines, rather than walking the
    index from the earliest deadline through every task near or past its own
    (74 -> 4 ms at 100,000 tasks)."""
    plans = _audit_plans(demo_file, lambda session: bulletin.build(session, Settings(), "2026-W48"),
                         about="task.stalest_report_at <")
    assert plans, "the bulletin read no silent tasks"
    for statement, steps in plans:
        assert any("ix_task_deadline (deadline>?)" in step for step in steps), (statement, steps)
