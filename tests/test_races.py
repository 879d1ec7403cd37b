"""Two users act on one task at the same moment, on both backends (issue 10 items 1 and 2).

The first holds its transaction open while the second starts; then the first
commits. Rule: nothing the first was told is overwritten, and the second is told
who changed the task and when ("changed by X at T; reload"), never an internal error.
A user who saw the task (``expected_version``, as the TUI passes) is told so on both
backends; one who did not (the CLI) is told so whenever both really read the same state
(PostgreSQL), and otherwise gets the rule's own refusal (SQLite serialises them whole).
"""

import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from acting import act
from sqlmodel import Session, select

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import Role
from coordboard.errors import DomainError
from coordboard.models import ExtensionRequest, SupervisionNote
from coordboard.services import directory, progress, tasks
from coordboard.services.auth import actor_of
from coordboard.services.permissions import Actor
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar
from coordboard.services.workflow import ConflictError


class Town:
    heads: list[Actor]
    office: list[Actor]
    code: str  # dispatched, with an open urge and a pending extension request
    other: str  # dispatched, nothing pending
    note_id: int


@pytest.fixture
def town(db: Database, frozen) -> Town:
    town = Town()
    with db.write() as session:
        unit = directory.add_department(session, name="司法所").id or 0
        town.heads = [actor_of(directory.add_user(
            session, username=f"head{i}", display_name=name, role=Role.HEAD, password="x" * 8,
            department_id=unit)) for i, name in enumerate(("张科长", "李科长"))]
        town.office = [actor_of(directory.add_user(
            session, username=f"office{i}", display_name=name, role=Role.OFFICE,
            password="x" * 8)) for i, name in enumerate(("王督查", "赵督查"))]
        codes = []
        for title in ("并发一", "并发二"):
            task = tasks.register(session, actor_id=town.office[0].user_id, title=title,
                                  lead=UnitAssignment(unit), deadline=date(2026, 12, 31),
                                  today=frozen.date())
            tasks.dispatch(session, task=task, actor_id=town.office[0].user_id,
                           calendar=WorkCalendar(), today=frozen.date())
            codes.append(task.code)
        town.code, town.other = codes
        task = tasks.task_by_code(session, town.code)
        town.note_id = progress.add_note(
            session, task=task, kind="urge", body="请尽快反馈", actor_id=town.office[0].user_id,
            respond_by=date(2026, 11, 27), today=frozen.date()).id or 0
        progress.request_extension(session, task=task, department_id=unit, actor_id=None,
                                   new_deadline=date(2027, 1, 15), reason="场地",
                                   today=frozen.date())
    return town


def race(db: Database, first: Callable[[Session], Any], second: Callable[[Session], Any],
         hold: float = 0.5) -> tuple[Any, Any]:
    """Run ``first``; while its transaction is still open, start ``second``; then commit."""
    results: dict[str, Any] = {}
    acted = threading.Event()

    def run(name: str, fn: Callable[[Session], Any], wait: bool) -> None:
        if not wait:
            acted.wait()
        try:
            with db.write() as session:
                results[name] = fn(session)
                if wait:
                    acted.set()
                    time.sleep(hold)  # the other one starts meanwhile
        except Exception as exc:  # noqa: BLE001 - the test inspects whatever happened
            results[name] = exc
        finally:
            acted.set()

    threads = [threading.Thread(target=run, args=("first", first, True)),
               threading.Thread(target=run, args=("second", second, False))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results["first"], results["second"]


def _version(db: Database, code: str) -> int:
    with db.read() as session:
        return tasks.task_by_code(session, code).version


def _loser_told(db: Database, outcome: object, winner: str, with_version: bool) -> None:
    if with_version or db.backend == "postgresql":
        assert isinstance(outcome, ConflictError), repr(outcome)
        assert winner in str(outcome) and "2026-11-25" in str(outcome)
    else:
        assert isinstance(outcome, DomainError), repr(outcome)


@pytest.mark.parametrize("with_version", [True, False], ids=["tui", "cli"])
def test_two_heads_answer_one_urge(db: Database, town: Town, with_version: bool) -> None:
    seen = _version(db, town.code) if with_version else None

    def answer(head: Actor, text: str) -> Callable[[Session], Any]:
        return lambda s: act(s, actor=head, code=town.code, action="respond", settings=Settings(),
                             expected_version=seen, note_id=town.note_id, response=text)

    first, second = race(db, answer(town.heads[0], "张的答复"), answer(town.heads[1], "李的答复"))
    assert not isinstance(first, Exception), repr(first)
    _loser_told(db, second, "张科长", with_version)
    with db.read() as session:
        note = session.get(SupervisionNote, town.note_id)
        assert note is not None and note.response == "张的答复"


@pytest.mark.parametrize("with_version", [True, False], ids=["tui", "cli"])
def test_two_decisions_on_one_extension_request(db: Database, town: Town,
                                                with_version: bool) -> None:
    seen = _version(db, town.code) if with_version else None

    def decide(office: Actor, approve: bool) -> Callable[[Session], Any]:
        return lambda s: act(s, actor=office, code=town.code, action="decide_extension",
                             settings=Settings(), expected_version=seen, approve=approve,
                             note="决定")

    first, second = race(db, decide(town.office[0], False), decide(town.office[1], True))
    assert not isinstance(first, Exception), repr(first)
    _loser_told(db, second, "王督查", with_version)
    with db.read() as session:
        request = session.exec(select(ExtensionRequest)).one()
        assert request.state == "refused" and request.decided_by == town.office[0].user_id
        assert tasks.task_by_code(session, town.code).deadline == date(2026, 12, 31)


@pytest.mark.parametrize("with_version", [True, False], ids=["tui", "cli"])
def test_two_extension_requests_at_once(db: Database, town: Town, with_version: bool) -> None:
    seen = _version(db, town.other) if with_version else None

    def ask(head: Actor, day: int) -> Callable[[Session], Any]:
        return lambda s: act(s, actor=head, code=town.other, action="request_extension",
                             settings=Settings(), expected_version=seen,
                             new_deadline=date(2027, 1, day), reason="人手不足")

    first, second = race(db, ask(town.heads[0], 10), ask(town.heads[1], 20))
    assert not isinstance(first, Exception), repr(first)
    _loser_told(db, second, "张科长", with_version)
    with db.read() as session:
        task_id = tasks.task_by_code(session, town.other).id
        pending = session.exec(select(ExtensionRequest).where(
            ExtensionRequest.task_id == task_id, ExtensionRequest.state == "pending")).all()
        assert [r.new_deadline for r in pending] == [date(2027, 1, 10)]


def test_two_decisions_from_the_review_on_one_request(db: Database, town: Town) -> None:
    """The weekly review decides requests through the same lock: one decision, one told."""
    from coordboard.models import ReviewItem
    from coordboard.services import agenda, review

    with db.write() as session:
        started = review.start(session, actor=town.office[0], settings=Settings())
    with db.read() as session:
        task_id = tasks.task_by_code(session, town.code).id
        item_id = session.exec(select(ReviewItem.id).where(
            ReviewItem.review_id == started.id, ReviewItem.task_id == task_id)).one()

    def decide(office: Actor, approve: bool) -> Callable[[Session], Any]:
        return lambda s: review.decide_request(s, actor=office, settings=Settings(),
                                               item_id=item_id, action="decide_extension",
                                               approve=approve, note="会上决定")

    first, second = race(db, decide(town.office[0], True), decide(town.office[1], False))
    assert not isinstance(first, Exception), repr(first)
    _loser_told(db, second, "王督查", with_version=False)
    with db.read() as session:
        assert session.exec(select(ExtensionRequest)).one().state == "approved"
        item = session.get(ReviewItem, item_id)
        assert item is not None and agenda.decision_text(item) is not None
        assert agenda.decision_text(item, "zh").count("；") == 0  # one decision, not two


def test_a_decision_saved_while_the_review_closes_is_refused(db: Database, town: Town) -> None:
    """Rule: nothing lands in a review after it closed, even a decision saved that moment."""
    from coordboard.models import ReviewItem
    from coordboard.services import review

    with db.write() as session:
        started = review.start(session, actor=town.office[0], settings=Settings(), attendees="甲")
    with db.read() as session:
        item_id = session.exec(select(ReviewItem.id).where(
            ReviewItem.review_id == started.id)).first()
    first, second = race(
        db,
        lambda s: review.close(s, actor=town.office[0], review_id=started.id or 0, attendees="",
                               force=True),
        lambda s: review.record_decision(s, actor=town.office[1], settings=Settings(),
                                         item_id=item_id, text="迟到的决定"))
    assert not isinstance(first, Exception), repr(first)
    assert isinstance(second, review.ReviewError), repr(second)
    with db.read() as session:
        item = session.get(ReviewItem, item_id)
        assert item is not None and item.decision is None
