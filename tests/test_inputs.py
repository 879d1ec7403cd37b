"""Input rules in services, on both backends: field limits, characters no database keeps,
sane deadlines and working-day counts, and rows already stored that break date arithmetic.

Rules named here: issue 9 items 4 and 9, issue 10 item 8.
"""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import text

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.errors import DomainError, ValidationError
from coordboard.i18n import CATALOGUES
from coordboard.services import board, contests, directory, fields, progress, tasks
from coordboard.services.lights import LightContext
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar, load_calendar

TODAY = date(2026, 11, 25)


@pytest.fixture
def units(db: Database) -> dict[str, int]:
    with db.write() as session:
        return {name: directory.add_department(session, name=name).id or 0
                for name in ("司法所", "派出所", "文化站")}


def _register(db: Database, units: dict[str, int], **kw) -> str:
    kw.setdefault("title", "法律明白人培养")
    if "workdays" not in kw:
        kw.setdefault("deadline", date(2026, 12, 31))
    with db.write() as session:
        task = tasks.register(session, actor_id=None, today=TODAY,
                              lead=UnitAssignment(units["司法所"], "方案"),
                              supporters=[UnitAssignment(units["派出所"], "案例")], **kw)
        return task.code


def _dispatched(db: Database, units: dict[str, int], **kw) -> str:
    code = _register(db, units, **kw)
    with db.write() as session:
        tasks.dispatch(session, task=tasks.task_by_code(session, code), actor_id=None,
                       calendar=WorkCalendar(), today=TODAY)
    return code


# --- issue 10.8: one set of limits per field, the same on SQLite and PostgreSQL ---------------

def test_every_limited_field_has_a_translated_name() -> None:
    for name in fields.LIMITS:
        assert f"field.{name}" in CATALOGUES["zh"] and f"field.{name}" in CATALOGUES["en"]


def test_title_at_the_limit_is_kept_and_one_more_is_refused_naming_field_and_limit(
        db: Database, units, frozen) -> None:
    limit = fields.LIMITS["title"]
    code = _register(db, units, title="题" * limit)
    with db.read() as session:
        assert tasks.task_by_code(session, code).title == "题" * limit
    with pytest.raises(ValidationError) as raised:
        _register(db, units, title="题" * (limit + 1))
    assert "标题" in str(raised.value) and str(limit) in str(raised.value)


def test_a_two_megabyte_description_is_refused_on_both_backends(db: Database, units, frozen) -> None:
    with pytest.raises(ValidationError) as raised:
        _register(db, units, description="x" * 2_000_000)
    assert raised.value.key == "error.text_too_long"


@pytest.mark.parametrize("bad", ["a\x00b", "a\udcffb"])
def test_nul_and_lone_surrogates_are_refused_in_every_text_field(db: Database, units, frozen,
                                                                  bad: str) -> None:
    expected = "error.text_nul" if "\x00" in bad else "error.text_surrogate"
    with pytest.raises(ValidationError) as raised:
        _register(db, units, title=bad)
    assert raised.value.key == expected
    code = _dispatched(db, units)
    attempts = [
        lambda s, t: progress.add_feedback(s, task=t, department_id=units["司法所"], actor_id=None,
                                           body=bad),
        lambda s, t: progress.add_note(s, task=t, kind="urge", body=bad, actor_id=None, today=TODAY),
        lambda s, t: tasks.suspend(s, task=t, actor_id=None, reason=bad),
        lambda s, t: tasks.edit(s, task=t, actor_id=None, changes={"description": bad}, today=TODAY),
        lambda s, t: contests.contest(s, task=t, department_id=units["派出所"], actor_id=None,
                                      reason=bad, today=TODAY, calendar=WorkCalendar(),
                                      window_workdays=3),
        lambda s, t: progress.request_extension(s, task=t, department_id=units["司法所"],
                                                actor_id=None, new_deadline=date(2027, 1, 5),
                                                reason=bad, today=TODAY),
        lambda s, t: directory.add_department(s, name=bad),
        lambda s, t: directory.add_user(s, username=bad, display_name="x", role="office",
                                        password="secret99"),
    ]
    for attempt in attempts:
        with db.write() as session, pytest.raises(ValidationError) as raised:
            attempt(session, tasks.task_by_code(session, code))
        assert raised.value.key == expected


def test_saved_filter_names_follow_the_field_rules(db: Database, frozen) -> None:
    from coordboard.services import saved_filters

    with db.write() as session:
        user = directory.add_user(session, username="u1", display_name="x", role="office",
                                  password="secret99")
        with pytest.raises(ValidationError) as raised:
            saved_filters.save(session, user_id=user.id or 0, name="a\x00", flt=board.BoardFilter())
        assert raised.value.key == "error.text_nul"
        with pytest.raises(ValidationError) as raised:
            saved_filters.save(session, user_id=user.id or 0, name="名" * 61, flt=board.BoardFilter())
        assert "60" in str(raised.value)


# --- issue 9.4: one validation of deadlines and working-day counts -----------------------------

@pytest.mark.parametrize("kw", [{"deadline": date(9999, 12, 31)}, {"deadline": date(2032, 1, 1)},
                                {"workdays": 100_000}, {"workdays": 251}, {"workdays": 0},
                                {"workdays": -1}])
def test_absurd_deadlines_and_workday_counts_are_refused(db: Database, units, frozen, kw) -> None:
    with pytest.raises(ValidationError) as raised:
        _register(db, units, **kw)
    assert raised.value.key in ("error.deadline_too_far", "error.workdays_range")
    assert "{" not in str(raised.value)


def test_the_window_is_configurable(db: Database, units, frozen) -> None:
    settings = Settings(max_deadline_years=1, max_workdays=10)
    with pytest.raises(ValidationError):
        _register(db, units, deadline=date(2028, 1, 1), settings=settings)
    with pytest.raises(ValidationError):
        _register(db, units, workdays=11, settings=settings)
    assert _register(db, units, workdays=250)
    assert _register(db, units, deadline=date(2031, 11, 25))


def test_extension_respond_by_and_draft_edit_refuse_far_dates(db: Database, units, frozen) -> None:
    code = _dispatched(db, units)
    far = date(9999, 12, 31)
    with db.write() as session, pytest.raises(ValidationError, match="9999-12-31"):
        progress.request_extension(session, task=tasks.task_by_code(session, code),
                                   department_id=units["司法所"], actor_id=None, new_deadline=far,
                                   reason="x", today=TODAY)
    with db.write() as session, pytest.raises(ValidationError, match="9999-12-31"):
        progress.add_note(session, task=tasks.task_by_code(session, code), kind="urge", body="x",
                          actor_id=None, respond_by=far, today=TODAY)
    draft = _register(db, units)
    with db.write() as session, pytest.raises(ValidationError, match="9999-12-31"):
        tasks.edit(session, task=tasks.task_by_code(session, draft), actor_id=None,
                   changes={"deadline": far}, today=TODAY)


def test_the_deadline_moves_only_by_extension_once_dispatched(db: Database, units, frozen) -> None:
    code = _dispatched(db, units)
    with db.write() as session, pytest.raises(ValidationError):
        tasks.edit(session, task=tasks.task_by_code(session, code), actor_id=None,
                   changes={"deadline": date(2027, 1, 5)}, today=TODAY)


def test_a_stored_far_future_deadline_still_lists(db: Database, units, frozen) -> None:
    from coordboard.services.reports import ledger

    code = _dispatched(db, units)
    other = _dispatched(db, units)
    with db.write() as session:  # as an older version let through
        session.execute(text("UPDATE task SET deadline = '9999-12-31' WHERE code = :c"), {"c": code})
    with db.read() as session:
        ctx = LightContext.build(Settings(), load_calendar(session))
        page = board.page(session, board.BoardFilter(), ctx)
        assert {row.task.code for row in page.rows} == {code, other}
        far = next(row for row in page.rows if row.task.code == code)
        assert far.verdict.workdays_left > 2_000_000
        assert board.verdict_of(session, tasks.task_by_code(session, code), ctx)
        assert len(list(ledger.rows(session, Settings(), board.BoardFilter()))) == 2


def test_far_future_arithmetic_never_overflows() -> None:
    calendar = WorkCalendar({date(9999, 12, 30): False})
    assert calendar.workdays_between(date(9999, 12, 29), date(9999, 12, 31)) == 1
    assert calendar.workdays_between(date(9999, 12, 31), date(2026, 11, 25)) < 0
    with pytest.raises(ValidationError):
        calendar.add_workdays(date(9999, 12, 30), 5)
    # Exact holidays before the horizon, weekdays after; the two join up.
    ordinary = WorkCalendar()
    whole = ordinary.workdays_between(date(2099, 12, 1), date(2100, 1, 31))
    assert whole == (ordinary.workdays_between(date(2099, 12, 1), date(2099, 12, 31))
                     + ordinary.workdays_between(date(2099, 12, 31), date(2100, 1, 31)))
    assert ordinary.add_workdays(date(2026, 9, 30), 5) == date(2026, 10, 13)


# --- issue 9.9: derived data and repeated actions ---------------------------------------------

def test_a_second_acknowledgement_is_refused(db: Database, units, frozen) -> None:
    code = _dispatched(db, units)
    with db.write() as session:
        tasks.acknowledge(session, task=tasks.task_by_code(session, code),
                          department_id=units["司法所"], actor_id=None)
    with db.write() as session, pytest.raises(DomainError) as raised:
        tasks.acknowledge(session, task=tasks.task_by_code(session, code),
                          department_id=units["司法所"], actor_id=None)
    assert raised.value.key == "error.already_acknowledged"


def test_removing_the_silent_unit_refreshes_the_stalest_report_time(db: Database, units) -> None:
    import pendulum

    with pendulum.travel_to(pendulum.datetime(2026, 11, 2, 10, tz="Asia/Shanghai"), freeze=True):
        code = _register(db, units)
        with db.write() as session:
            tasks.dispatch(session, task=tasks.task_by_code(session, code), actor_id=None,
                           calendar=WorkCalendar(), today=date(2026, 11, 2))
        with db.write() as session:
            contests.contest(session, task=tasks.task_by_code(session, code),
                             department_id=units["派出所"], actor_id=None, reason="不属职责",
                             today=date(2026, 11, 2), calendar=WorkCalendar(), window_workdays=3)
    with pendulum.travel_to(pendulum.datetime(2026, 11, 20, 10, tz="Asia/Shanghai"), freeze=True):
        with db.write() as session:
            progress.add_feedback(session, task=tasks.task_by_code(session, code),
                                  department_id=units["司法所"], actor_id=None, body="进展")
        with db.write() as session:
            task = tasks.task_by_code(session, code)
            assert task.stalest_report_at is not None
            assert task.stalest_report_at < task.last_feedback_at  # 派出所 is silent
            contests.decide_contest(session, task=task, department_id=units["派出所"],
                                    actor_id=None, decision="remove")
        with db.read() as session:
            task = tasks.task_by_code(session, code)
            assert task.stalest_report_at == task.last_feedback_at


# --- issue 9.9: text search is literal, on the board and in the palette ------------------------

def test_percent_and_underscore_match_only_themselves(db: Database, units, frozen) -> None:
    from coordboard.enums import Role
    from coordboard.services import search
    from coordboard.services.permissions import Actor

    plain = _register(db, units, title="法律明白人培养")
    percent = _register(db, units, title="完成率 100% 的通报")
    under = _register(db, units, title="file_name 整理")
    slash = _register(db, units, title="路径 a\\b")
    office = Actor(1, "office", Role.OFFICE, None)
    with db.read() as session:
        ctx = LightContext.build(Settings(), load_calendar(session))

        def board_codes(text: str) -> set[str]:
            rows = board.page(session, board.BoardFilter(text=text), ctx).rows
            return {row.task.code for row in rows}

        def palette_codes(text: str) -> set[str]:
            return {code for code, _ in search.tasks_matching(session, actor=office, query=text)}

        for find in (board_codes, palette_codes):
            assert find("%") == {percent}
            assert find("_") == {under}
            assert find("0%") == {percent}
            assert find("a\\b") == {slash}
            assert find("明白") == {plain}
        assert board_codes("db-") == {plain, percent, under, slash}  # the code, case-insensitive
        assert palette_codes("x\x00" * 5000) == set()  # never an error in the palette


def test_palette_search_needs_the_view_permission(db: Database) -> None:
    from coordboard.enums import Role
    from coordboard.services import search
    from coordboard.services.permissions import Actor, allowed

    nobody = Actor(1, "ghost", Role("admin"), None)
    assert allowed(nobody, "view")
    with db.read() as session:
        assert search.tasks_matching(session, actor=nobody, query="zz") == []


def test_search_text_is_capped_with_a_sentence() -> None:
    from coordboard.services import search

    with pytest.raises(ValidationError) as raised:
        search.needle("法" * 201)
    assert raised.value.key == "error.text_too_long"
    assert search.lenient("法" * 5000) == "法" * fields.LIMITS["search"]


# --- issue 9.9: the configured time zone, never a hard-coded one ------------------------------

def test_no_service_converts_an_instant_without_the_configured_zone() -> None:
    import inspect
    import re
    from pathlib import Path

    from coordboard import clock

    assert inspect.signature(clock.local).parameters["timezone"].default is inspect.Parameter.empty
    package = Path(clock.__file__).parent
    for source in package.rglob("*.py"):
        for call in re.findall(r"clock\.local\(([^()]*(?:\([^()]*\)[^()]*)*)\)", source.read_text()):
            assert "," in call, (source, call)


def test_the_contest_window_counts_from_the_local_dispatch_day(db: Database, units) -> None:
    import pendulum

    # 23:30 UTC on Thursday 11-05 is already Friday 11-06 in Shanghai.
    with pendulum.travel_to(pendulum.datetime(2026, 11, 5, 23, 30, tz="UTC"), freeze=True):
        code = _register(db, units)
        with db.write() as session:
            tasks.dispatch(session, task=tasks.task_by_code(session, code), actor_id=None,
                           calendar=WorkCalendar(), today=date(2026, 11, 6))
    with pendulum.travel_to(pendulum.datetime(2026, 11, 11, 10, tz="Asia/Shanghai"), freeze=True):
        with db.write() as session, pytest.raises(DomainError):
            contests.contest(session, task=tasks.task_by_code(session, code),
                             department_id=units["派出所"], actor_id=None, reason="r",
                             today=date(2026, 11, 11), calendar=WorkCalendar(), window_workdays=3,
                             timezone="UTC")
        with db.write() as session:
            contests.contest(session, task=tasks.task_by_code(session, code),
                             department_id=units["派出所"], actor_id=None, reason="r",
                             today=date(2026, 11, 11), calendar=WorkCalendar(), window_workdays=3,
                             timezone="Asia/Shanghai")


# --- issue 9.10: the calendar as the CLI shows it comes from a service -----------------------

def test_calendar_view_reads_overrides_and_notes(db: Database) -> None:
    from coordboard.services.workdays import calendar_view, set_override

    with db.write() as session:
        set_override(session, day=date(2027, 2, 6), is_workday=True, note="调休上班", actor_id=None)
        with pytest.raises(ValidationError):
            set_override(session, day=date(2027, 2, 7), is_workday=True, note="注" * 201,
                         actor_id=None)
    with db.read() as session:
        month = calendar_view(session, date(2027, 2, 1), date(2027, 2, 28))
        unusual = calendar_view(session, date(2027, 1, 1), date(2027, 12, 31), unusual_only=True)
        last = calendar_view(session, date(9999, 12, 1), date(9999, 12, 31))
    assert len(month.days) == 28
    override = next(d for d in month.days if d.day == date(2027, 2, 6))
    assert override.kind == "override" and override.name == "调休上班" and override.is_workday
    assert all(d.kind not in ("workday", "weekend") for d in unusual.days)
    assert unusual.unofficial  # one override does not make 2027 official: `calendar confirm` does
    assert last.days[-1].day == date(9999, 12, 31)


def test_the_review_spawns_tasks_within_the_same_window(db: Database, frozen) -> None:
    from coordboard.services import agenda, review
    from tests.town import build_town

    town = build_town(db)
    with db.write() as session:
        started = review.start(session, actor=town.office, settings=Settings())
    with db.read() as session:
        ctx = LightContext.build(Settings(), load_calendar(session))
        item_id = agenda.lines(session, started, ctx)[0].item.id or 0
    narrow = Settings(max_workdays=10)
    for kw, settings in (({"deadline": date(9999, 12, 31)}, Settings()),
                         ({"workdays": 100_000}, Settings()), ({"workdays": 11}, narrow)):
        with db.write() as session, pytest.raises(ValidationError):
            review.spawn_task(session, actor=town.office, settings=settings, item_id=item_id,
                              title="整改", lead=UnitAssignment(town.units["文化站"], "整改"), **kw)


ALPHABET = "aAzZ_%\\ 法律ÉéΣσßİı\u0130\u212a0"


@hypothesis_settings(deadline=None)
@given(titles=st.lists(st.text(alphabet=ALPHABET, max_size=8), min_size=1, max_size=12),
       needle=st.text(alphabet=ALPHABET, min_size=1, max_size=3))
def test_sqlites_plain_like_finds_what_lower_like_lower_found(titles: list[str], needle: str) -> None:
    """Rule: the search ignores case as SQLite's lower() does (ASCII only), so the plain
    LIKE it sends SQLite finds exactly what SQLAlchemy's ``lower(x) LIKE lower(y)`` found,
    for any text, wildcards and escapes included; PostgreSQL keeps its ILIKE."""
    from sqlalchemy import Column, MetaData, String, Table, create_engine, insert, select
    from sqlalchemy.dialects import postgresql

    from coordboard.services import search

    table = Table("t", MetaData(), Column("title", String))
    engine = create_engine("sqlite://")
    table.metadata.create_all(engine)
    pattern = f"%{search.escape_like(needle)}%"
    with engine.connect() as conn:
        conn.execute(insert(table), [{"title": title} for title in titles])
        found = conn.execute(select(table.c.title).where(
            search.contains(table.c.title, needle))).scalars().all()
        before = conn.execute(select(table.c.title).where(
            table.c.title.ilike(pattern, escape=search.ESCAPE))).scalars().all()
    assert sorted(found) == sorted(before)
    folded = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
    assert sorted(found) == sorted(t for t in titles if needle.translate(folded) in t.translate(folded))
    on_postgresql = str(select(table.c.title).where(search.contains(table.c.title, needle))
                        .compile(dialect=postgresql.dialect()))
    assert "ILIKE" in on_postgresql and "lower(" not in on_postgresql
    # The point of the rule: SQLite gets LIKE on the column itself, no lower() per title.
    on_sqlite = str(select(table.c.title).where(search.contains(table.c.title, needle))
                    .compile(dialect=engine.dialect))
    assert "t.title LIKE" in on_sqlite and "lower(" not in on_sqlite
