"""Issue 11 item 8: the weekly review made exact (service side)."""

import pytest

from coordboard.db import Database
from coordboard.services import agenda, review
from coordboard.services.review import ReviewError
from coordboard.services.tasks import UnitAssignment
from tests.test_review import _agenda, _item, _start
from tests.town import Town, build_town


@pytest.fixture
def town(db: Database, frozen) -> Town:  # type: ignore[no-untyped-def]
    return build_town(db)


def test_item_numbers_are_1_to_n_and_find_their_item(db: Database, town: Town) -> None:
    started = _start(db, town, attendees="张三")
    lines = _agenda(db, started)
    assert [line.item.position for line in lines] == list(range(1, len(lines) + 1))
    with db.read() as session:
        assert review.item_id_for(session, 2) == lines[1].item.id


def test_accepting_a_closure_keeps_the_comment(db: Database, town: Town, settings) -> None:  # type: ignore[no-untyped-def]
    started = _start(db, town, attendees="张三")
    item_id = _item(db, started, town, "T3")
    with db.write() as session:
        decided = review.decide_request(session, actor=town.office, settings=settings,
                                        item_id=item_id, action="accept",
                                        comment="材料齐全，同意销号")
    assert "材料齐全，同意销号" in (agenda.decision_text(decided) or "")


def test_an_item_makes_one_task_only(db: Database, town: Town, settings) -> None:  # type: ignore[no-untyped-def]
    started = _start(db, town, attendees="张三")
    item_id = _item(db, started, town, "T7")

    def spawn() -> None:
        with db.write() as session:
            review.spawn_task(session, actor=town.office, settings=settings, item_id=item_id,
                              title="专项整改", lead=UnitAssignment(town.units["司法所"]),
                              workdays=5)

    spawn()
    with pytest.raises(ReviewError, match="不再重复立项"):
        spawn()


def test_closing_with_undecided_items_lists_them_unless_forced(db: Database, town: Town,
                                                               settings) -> None:  # type: ignore[no-untyped-def]
    started = _start(db, town, attendees="张三")
    with db.read() as session:
        undecided = review.undecided_items(session, started)
    assert undecided == list(range(1, len(undecided) + 1)) and undecided
    with pytest.raises(ReviewError) as refused, db.write() as session:
        review.close(session, actor=town.office, review_id=started.id or 0, attendees="张三")
    assert f"还有 {len(undecided)} 项未作决定（第 1、2" in str(refused.value)
    with db.write() as session:
        closed = review.close(session, actor=town.office, review_id=started.id or 0,
                              attendees="张三", force=True)
    assert closed.number == 1
