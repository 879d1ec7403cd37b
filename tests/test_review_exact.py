"""Issue 11 item 8, the rest of it: the weekly review made exact (service side, both backends,
clock frozen on Wednesday 2026-11-25)."""

from pathlib import Path

import pytest

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.services import review
from coordboard.services.reports import bulletin, bulletin_text, review_files
from tests.test_review import _agenda, _item, _start
from tests.town import Town, build_town


@pytest.fixture
def town(db: Database, frozen) -> Town:  # type: ignore[no-untyped-def]
    return build_town(db)


def _close(db: Database, started, **kw) -> review.Review:  # type: ignore[no-untyped-def, name-defined]
    with db.write() as session:
        return review.close(session, actor=kw.pop("actor"), review_id=started.id or 0,
                            attendees="张三", force=True, **kw)


def test_the_agenda_shows_the_light_now_and_the_new_one_after_a_decision(
        db: Database, town: Town, settings: Settings) -> None:
    started = _start(db, town, attendees="张三")
    before = {line.code: line for line in _agenda(db, started)}
    t3 = before[town.codes["T3"]]
    assert t3.light_now == t3.item.light == "green" and not t3.light_changed
    assert t3.light_text() == "绿灯"
    with db.write() as session:
        review.decide_request(session, actor=town.office, settings=settings,
                              item_id=t3.item.id or 0, action="accept", comment="同意销号")
    after = {line.code: line for line in _agenda(db, started)}[town.codes["T3"]]
    assert after.item.light == "green"  # the light the agenda was built with stays on record
    assert after.light_now == "none" and after.light_changed
    assert after.light_text() == "绿灯→已办结"


def test_a_second_review_in_a_closed_week_needs_confirming(db: Database, town: Town,
                                                           settings: Settings) -> None:
    first = _close(db, _start(db, town, attendees="张三"), actor=town.office)
    with pytest.raises(review.WeekReviewClosed) as refused, db.write() as session:
        review.start(session, actor=town.office, settings=settings)
    assert str(refused.value) == ("本周督办例会（第1期，第48周 11月23日—11月29日）已于11月25日结束；"
                                  "确需本周再开一次，请加 --again 确认")
    with db.read() as session:
        assert review.open_review(session) is None  # nothing was started
    with db.write() as session:
        second = review.start(session, actor=town.office, settings=settings, again=True)
    assert second.week == first.week and second.id != first.id


def test_a_second_review_in_one_week_keeps_the_first_ones_files(db: Database, town: Town,
                                                                settings: Settings,
                                                                tmp_path: Path) -> None:
    first_started = _start(db, town, attendees="张三")
    with db.write() as session:
        review.record_decision(session, actor=town.office, settings=settings,
                               item_id=_item(db, first_started, town, "T1"), text="第一次的决定")
    first = _close(db, first_started, actor=town.office)
    with db.read() as session:
        first_files = review_files.write(session, settings, first, tmp_path)
    first_text = first_files.bulletin_md.read_text(encoding="utf-8")
    with db.write() as session:
        second_started = review.start(session, actor=town.office, settings=settings, again=True)
    with db.write() as session:
        review.record_decision(session, actor=town.office, settings=settings,
                               item_id=_item(db, second_started, town, "T1"), text="第二次的决定")
    second = _close(db, second_started, actor=town.office)
    with db.read() as session:
        second_files = review_files.write(session, settings, second, tmp_path)
    assert set(first_files.paths).isdisjoint(second_files.paths)
    assert all(path.exists() for path in first_files.paths + second_files.paths)
    assert first_files.bulletin_md.read_text(encoding="utf-8") == first_text
    assert "第一次的决定" in first_text and "第二次的决定" not in first_text
    assert "第二次的决定" in second_files.bulletin_md.read_text(encoding="utf-8")


def test_a_review_held_that_decided_nothing_is_reported_as_held(db: Database, town: Town,
                                                               settings: Settings) -> None:
    started = _start(db, town, attendees="张三")
    _close(db, started, actor=town.office)
    with db.read() as session:
        data = bulletin.build(session, settings, "2026-W48")
        found = review.find(session, None)
        decided, total = review.progress_counts(session, found)
    text = bulletin_text.to_markdown(data)
    assert data.number == 1 and "第1期" in text
    assert "第1期督办例会已召开，议程事项均未作出决定。" in text
    assert "本周未召开督办例会" not in text
    assert (found.number, decided) == (1, 0) and total > 0


def test_item_numbers_in_the_bulletin_are_the_agenda_numbers(db: Database, town: Town,
                                                            settings: Settings) -> None:
    started = _start(db, town, attendees="张三")
    lines = {line.code: line for line in _agenda(db, started)}
    t7 = lines[town.codes["T7"]]
    with db.write() as session:
        review.record_decision(session, actor=town.office, settings=settings,
                               item_id=review.item_id_for(session, t7.item.position),
                               text="限期整改")
    _close(db, started, actor=town.office)
    with db.read() as session:
        data = bulletin.build(session, settings, "2026-W48")
    assert [d.item for d in data.decisions] == [t7.item.position]
    decided = f"第{t7.item.position}项　T7 事项（{town.codes['T7']}）：限期整改"
    assert decided in bulletin_text.to_markdown(data)


def test_a_review_is_named_by_its_week_as_people_say_it(db: Database, town: Town) -> None:
    """"2026-W48" and ISO days are the --week option's form; a review's name on screen and
    in the CLI says the week's number and its days."""
    from coordboard.i18n import set_language

    found = _start(db, town)
    assert review.summary(found) == "督办例会 进行中（第48周 11月23日—11月29日，议程截至11月25日）"
    set_language("en")
    try:
        assert review.summary(found) == (
            "weekly review open (week 48, Nov 23 – Nov 29; agenda as of Nov 25)")
    finally:
        set_language("zh")
    assert review.week_words("2026-W53") == "第53周 12月28日—1月3日"  # across the new year
