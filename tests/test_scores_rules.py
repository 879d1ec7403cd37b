"""Issue 11 rule 7: scoring. On time by the closure request's day (rule 2, in test_rules),
the cooperation weak share as a rate over the period's events, buck passing per unit."""

from datetime import date

from coordboard.db import Database
from coordboard.enums import NoteKind
from coordboard.services import agenda, review, scores, tasks
from tests.test_rules import SETTINGS, at, place, travel


def _pair(sb: scores.Scoreboard, first: str, second: str) -> scores.PairStats:
    return next(p for p in sb.pairs if {p.first, p.second} == {first, second})


def test_rule7_weak_share_is_a_rate_of_distinct_tasks_in_the_period(db: Database) -> None:
    p = place(db)
    # Returned in October *and* overdue (deadline 10-16 passed unmet): one weak task, not two.
    weak = p.task(at(2026, 9, 21), date(2026, 10, 16), support=("派出所",))
    p.report(weak, at(2026, 9, 28), "司法所", "派出所")
    p.do(weak, at(2026, 9, 29), tasks.request_closure, actor_id=None)
    p.do(weak, at(2026, 10, 9), tasks.return_for_rework, actor_id=p.office.user_id, reason="重做")
    # Suspended after its deadline passed: paused by the office, never overdue.
    paused = p.task(at(2026, 9, 21), date(2026, 10, 12), support=("派出所",))
    p.do(paused, at(2026, 10, 20), tasks.suspend, actor_id=p.office.user_id, reason="等待上级")
    # Returned in September, before the period: not the period's event.
    old = p.task(at(2026, 9, 1), date(2026, 12, 31), support=("派出所",))
    p.report(old, at(2026, 9, 10), "司法所", "派出所")
    p.do(old, at(2026, 9, 11), tasks.request_closure, actor_id=None)
    p.do(old, at(2026, 9, 14), tasks.return_for_rework, actor_id=p.office.user_id, reason="重做")
    with travel(at(2026, 11, 2)), db.read() as session:
        sb = scores.scoreboard(session, SETTINGS, date(2026, 10, 1), date(2026, 10, 31))
    pair = _pair(sb, "司法所", "派出所")
    assert (pair.shared, pair.returned, pair.overdue, pair.weak) == (3, 1, 1, 1)
    assert pair.weak_share == 1 / 3
    overdue = {(e.department, e.code) for e in sb.evidence if e.rule == "overdue"}
    assert overdue == {("司法所", weak), ("派出所", weak)}


def test_rule7_buck_passing_in_the_review_names_only_the_units_concerned(
        db: Database, settings) -> None:  # type: ignore[no-untyped-def]
    p = place(db)
    code = p.task(at(2026, 11, 2), date(2026, 11, 20), support=("派出所", "文化站"))
    with travel(at(2026, 11, 25)), db.write() as session:
        started = review.start(session, actor=p.office, settings=settings)
        item = agenda.lines(session, started, scores_ctx(session, settings))[0].item
        review.record_decision(session, actor=p.office, settings=settings, item_id=item.id or 0,
                               text="派出所、文化站互相推诿", note_kind=NoteKind.BUCK_PASSING,
                               department_ids=[p.units["派出所"], p.units["文化站"]])
    with travel(at(2026, 11, 30)), db.read() as session:
        sb = scores.scoreboard(session, settings, date(2026, 11, 1), date(2026, 11, 30))
    hit = sorted((e.department, e.code) for e in sb.evidence if e.rule == "buck_passing")
    assert hit == sorted([("派出所", code), ("文化站", code)])  # not the lead unit 司法所


def scores_ctx(session, settings):  # type: ignore[no-untyped-def]
    from coordboard.services.lights import LightContext
    from coordboard.services.workdays import load_calendar

    return LightContext.build(settings, load_calendar(session))

