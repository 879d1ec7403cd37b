"""The scoreboard's cooperation between units (services/cooperation.py): its grouped query,
read on a second connection beside the scoring where it can be, gives the figures a
plain recount over every active task gives, and is never a mix of two database states."""

import threading
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

import pendulum
import pytest
from sqlalchemy import bindparam, text
from sqlmodel import col, select

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.models import ExtensionRequest, Task, TaskUnit
from coordboard.services import cooperation, progress, scores, tasks
from tests.generated_town import generated_town

TASKS = 800
SETTINGS = Settings()


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    file = generated_town(tmp_path_factory.mktemp("pairs"), TASKS, seed=5)
    db = Database.from_url(f"sqlite:///{file}")
    with db.write() as session:  # the generator returns nothing for rework: some are returned
        for task in session.exec(select(Task).where(col(Task.status) == "closure_requested")
                                 .order_by(col(Task.id)).limit(25)).all():
            tasks.return_for_rework(session, task=task, actor_id=None, reason="重做")
    # Nor moves a deadline: some of this month's late tasks asked in time for an extension
    # approved late, so their verdicts are made in Python from their history (judged by the
    # moved deadline: asked in time), not by the grouped query.
    today = clock.today(SETTINGS.timezone)
    with db.read() as session:
        late = session.exec(select(Task.id, Task.deadline).where(
            col(Task.status) == "in_progress", col(Task.deadline) < today,
            col(Task.deadline) > today - timedelta(days=20),
            ~col(Task.id).in_(select(ExtensionRequest.task_id))).order_by(col(Task.id))
            .limit(20)).all()
    assert len(late) >= 5
    for task_id, deadline in late:
        day_before = deadline - timedelta(days=1)
        with clock.at(pendulum.datetime(day_before.year, day_before.month, day_before.day, 10,
                                        tz=SETTINGS.timezone)), db.write() as session:
            task = session.get_one(Task, task_id)
            lead = session.exec(select(TaskUnit.department_id).where(
                TaskUnit.task_id == task_id, TaskUnit.role == "lead")).one()
            progress.request_extension(
                session, task=task, department_id=lead, actor_id=None, reason="延期",
                new_deadline=deadline + timedelta(days=40), today=day_before)
        with db.write() as session:
            task = session.get_one(Task, task_id)
            request = session.exec(select(ExtensionRequest).where(
                ExtensionRequest.task_id == task_id)).one()
            progress.decide_extension(session, task=task, request=request, actor_id=None,
                                      approve=True)
    db.dispose()
    return file


def _periods() -> list[tuple[date, date]]:
    """A month around today, a year, and a quarter before any task (the generator puts
    deadlines and closures around today)."""
    today = clock.today(SETTINGS.timezone)
    return [(today - timedelta(days=25), today + timedelta(days=5)),
            (today - timedelta(days=200), today + timedelta(days=165)),
            (today - timedelta(days=400), today - timedelta(days=300))]


def _figures(board: scores.Scoreboard) -> list[tuple[object, ...]]:
    return [(p.first, p.second, p.shared, p.on_time, p.returned, p.overdue, p.weak)
            for p in board.pairs]


def _board(db: Database, start: date, end: date) -> tuple[scores.Scoreboard, bool]:
    """The scoreboard, and whether the second connection's rows were the ones used."""
    used: list[bool] = []
    real = cooperation.PairReader.rows

    def rows(self: cooperation.PairReader) -> list[object]:
        found = real(self)
        used.append(self._same and self._rows is not None)
        return found

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cooperation.PairReader, "rows", rows)
        with db.read() as session:
            board = scores.scoreboard(session, SETTINGS, start, end)
    return board, used == [True]


def _recount(db: Database, board: scores.Scoreboard) -> list[tuple[object, ...]]:
    """The pairs counted the plain way: every task active in the period, its units, and
    its verdicts as the scoreboard's evidence and the period's returns name them."""
    start_at = scores._day_start(board.start, SETTINGS.timezone)
    end_at = scores._day_start(board.end + timedelta(days=1), SETTINGS.timezone)
    instant = Task.__table__.c.closed_at.type  # type: ignore[attr-defined]
    bounds = {"s": start_at, "e": end_at}
    on_time = {e.code for e in board.evidence if e.rule == "on_time"}
    overdue = {e.code for e in board.evidence if e.rule == "overdue"}
    with db.read() as session:
        connection = session.connection()
        names = dict(connection.execute(text("SELECT id, short_name FROM department")).all())
        returned = {code for (code,) in connection.execute(text(
            "SELECT DISTINCT t.code FROM audit_event a JOIN task t ON t.id = a.task_id "
            "WHERE a.action = 'return' AND a.occurred_at >= :s AND a.occurred_at < :e")
            .bindparams(bindparam("s", type_=instant), bindparam("e", type_=instant)),
            bounds).all()}
        members: dict[str, set[int]] = {}
        for code, unit in connection.execute(text(
                "SELECT t.code, u.department_id FROM task t JOIN task_unit u ON u.task_id = t.id "
                "WHERE t.status NOT IN ('draft', 'withdrawn') AND t.dispatched_at IS NOT NULL "
                "AND t.dispatched_at < :e AND (t.closed_at IS NULL OR t.closed_at >= :s)")
                .bindparams(bindparam("s", type_=instant), bindparam("e", type_=instant)),
                bounds).all():
            members.setdefault(code, set()).add(unit)
    stats: dict[tuple[int, int], list[int]] = {}
    for code, units in members.items():
        for pair in combinations(sorted(units), 2):
            entry = stats.setdefault(pair, [0, 0, 0, 0, 0])
            entry[0] += 1
            entry[1] += code in on_time
            entry[2] += code in returned
            entry[3] += code in overdue
            entry[4] += code in returned or code in overdue
    found = [scores.PairStats(names[a], names[b], *entry) for (a, b), entry in stats.items()]
    found.sort(key=lambda p: (-p.weak_share, -p.shared, p.first, p.second))
    return [(p.first, p.second, p.shared, p.on_time, p.returned, p.overdue, p.weak)
            for p in found]


@pytest.mark.parametrize("period", range(3))
def test_the_pairs_are_a_plain_recount_of_every_active_task(town: Path, period: int) -> None:
    db = Database.from_url(f"sqlite:///{town}")
    start, end = _periods()[period]
    board, beside = _board(db, start, end)
    assert beside  # a fresh session on a SQLite file: read on the second connection
    assert _figures(board) == _recount(db, board)
    if period < 2:
        assert sum(p.on_time for p in board.pairs) and sum(p.overdue for p in board.pairs)
        assert sum(p.returned for p in board.pairs)
    with db.read() as session:  # a session already reading: the query runs in it
        session.connection().execute(text("SELECT 1"))
        alone = scores.scoreboard(session, SETTINGS, start, end)
    assert _figures(alone) == _figures(board)


def test_a_commit_between_the_two_snapshots_never_reaches_the_pairs(
        town: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another user withdraws tasks after the scoreboard's snapshot began and before the
    second connection's did: the pairs are those of the scoreboard's snapshot."""
    db = Database.from_url(f"sqlite:///{town}")
    start, end = _periods()[0]
    before, _ = _board(db, start, end)
    with db.read() as session:
        chosen = [row.id for row in session.connection().execute(text(
            "SELECT id FROM task WHERE status = 'in_progress' ORDER BY id LIMIT 40")).all()]
    main_began = threading.Event()
    real_begun, real_read = cooperation.PairReader.begun, cooperation.PairReader._read_aside

    def begun(self: cooperation.PairReader) -> None:
        main_began.set()
        real_begun(self)

    def withdrawn_meanwhile(self: cooperation.PairReader, engine: object) -> None:
        main_began.wait(10)
        with db.write() as session:
            session.connection().execute(text(
                f"UPDATE task SET status = 'withdrawn' WHERE id IN ({','.join(map(str, chosen))})"))
        real_read(self, engine)  # type: ignore[arg-type]

    monkeypatch.setattr(cooperation.PairReader, "begun", begun)
    monkeypatch.setattr(cooperation.PairReader, "_read_aside", withdrawn_meanwhile)
    try:
        during, beside = _board(db, start, end)
        assert not beside and _figures(during) == _figures(before)
        monkeypatch.undo()
        after, beside = _board(db, start, end)
        assert beside and _figures(after) != _figures(before)  # the change is real, seen next
    finally:
        with db.write() as session:
            session.connection().execute(text(
                f"UPDATE task SET status = 'in_progress' WHERE id IN ({','.join(map(str, chosen))})"))


def test_a_second_connection_that_fails_costs_only_time(
        town: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database.from_url(f"sqlite:///{town}")
    start, end = _periods()[0]
    before, _ = _board(db, start, end)

    def broken(self: cooperation.PairReader, engine: object) -> None:
        raise_in = self._statement
        self._statement = text("SELECT no_such_column FROM task")  # type: ignore[assignment]
        try:
            real_read(self, engine)  # type: ignore[arg-type]
        finally:
            self._statement = raise_in

    real_read = cooperation.PairReader._read_aside
    monkeypatch.setattr(cooperation.PairReader, "_read_aside", broken)
    during, beside = _board(db, start, end)
    assert not beside and _figures(during) == _figures(before)
