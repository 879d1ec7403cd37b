"""Issue 9, item 9: no interface-language text stored in the database.

An office user running the English interface decides review requests, turns decisions
into tasks and escalates a note. The database (every table, the audit trail included)
holds none of the English sentences; the bulletin, the ledger, the notice and the letter
are Chinese; screens in English show the machine-written parts in English and what
people typed (Chinese) unchanged; rows written before 0009 are shown as stored.
"""

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pendulum
import pytest
from sqlalchemy import inspect, text
from sqlmodel import select

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.i18n import EN, set_language, t
from coordboard.models import AuditEvent, ReviewItem, SupervisionNote
from coordboard.services import agenda, detail, progress, review, stored_text, tasks, workflow
from coordboard.services.board import BoardFilter
from coordboard.services.escalation import escalate
from coordboard.services.lights import LightContext
from coordboard.services.reports import bulletin, bulletin_text, ledger, notice
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar, load_calendar
from tests.town import Town, build_town

# The English sentences the program used to store: the fixed words of its templates.
GENERATED = ("review.decided_request", "review.extension_approved", "review.extension_refused",
             "review.spawned", "review.spawned_description", "escalation.body")
ENGLISH = sorted({piece.strip(" :.,()") for key in GENERATED
                  for piece in re.split(r"\{[a-z_]+\}", EN[key])
                  if len(piece.strip(" :.,()")) >= 8}
                 | {EN["action.accept"], EN["action.return"], EN["note.letter"]})


def _strings(value: Any) -> list[str]:
    """Every text a stored value holds: JSON leaves, not catalogue keys or field names."""
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return [value]
        return _strings(parsed) if isinstance(parsed, dict | list) else [value]
    if isinstance(value, dict):
        return [s for name, v in value.items() if name != "key" for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _every_stored_text(db: Database) -> list[str]:
    found: list[str] = []
    with db.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')).all():  # noqa: S608
                for value in row:
                    found += _strings(value)
    return found


def _english_in(texts: list[str]) -> list[tuple[str, str]]:
    return [(phrase, s) for s in texts for phrase in ENGLISH if phrase in s]


def _item(db: Database, town: Town, review_id: int, key: str) -> int:
    with db.read() as session:
        task_id = tasks.task_by_code(session, town.codes[key]).id
        return session.exec(select(ReviewItem.id).where(ReviewItem.review_id == review_id,
                                                        ReviewItem.task_id == task_id)).one() or 0


@pytest.fixture
def english_office(db: Database, frozen) -> tuple[Town, int, dict[str, str]]:
    """The town's review run by an office user whose interface is English: a closure
    accepted with a comment, an extension approved with a note, a decision typed and
    then a task made from it, a task made from an undecided item, and the review
    closed. Then a reminder unanswered is escalated twice (to an urge, then a letter)."""
    town = build_town(db)
    set_language("en")
    settings = Settings()
    with db.write() as session:
        started = review.start(session, actor=town.office, settings=settings, attendees="张三")
    review_id = started.id or 0
    with db.write() as session:
        review.decide_request(session, actor=town.office, settings=settings,
                              item_id=_item(db, town, review_id, "T3"), action="accept",
                              comment="材料齐全")
        review.decide_request(session, actor=town.office, settings=settings,
                              item_id=_item(db, town, review_id, "T4"),
                              action="decide_extension", approve=True, note="同意延期")
        review.record_decision(session, actor=town.office, settings=settings,
                               item_id=_item(db, town, review_id, "T1"), text="限期整改")
    spawned = {}
    with db.write() as session:
        for key, title in (("T1", "司法所整改"), ("T7", "文化站专项整改")):
            spawned[key] = review.spawn_task(
                session, actor=town.office, settings=settings,
                item_id=_item(db, town, review_id, key), title=title,
                lead=UnitAssignment(town.units["文化站"]), workdays=5).code
    with db.write() as session:
        review.close(session, actor=town.office, review_id=review_id, attendees="",
                     next_steps="跟踪", force=True)
    with db.write() as session:
        progress.add_note(session, task=tasks.task_by_code(session, town.codes["T5"]),
                          kind="reminder", body="请于明日反馈", actor_id=town.office.user_id,
                          respond_by=date(2026, 11, 25), today=date(2026, 11, 25))
    for day in (date(2026, 11, 26), date(2026, 12, 1)):
        with pendulum.travel_to(pendulum.datetime(day.year, day.month, day.day, 9,
                                                  tz="Asia/Shanghai"), freeze=True), \
                db.write() as session:
            assert escalate(session, today=day, actor_id=town.office.user_id,
                            calendar=WorkCalendar(), timezone="Asia/Shanghai")
    return town, review_id, spawned


def test_the_database_holds_no_english_sentence(db: Database, english_office) -> None:
    assert ENGLISH  # the phrases looked for, e.g. "at the meeting", "is escalated"
    texts = _every_stored_text(db)
    assert "材料齐全" in texts and "同意延期" in texts and "请于明日反馈" in texts  # typed: kept
    assert _english_in(texts) == []


def test_the_audit_trail_records_codes(db: Database, english_office) -> None:
    with db.read() as session:
        decided = [e.after for e in session.exec(select(AuditEvent).where(
            AuditEvent.action == "review_decision")).all()]
        letters = [e.after for e in session.exec(select(AuditEvent).where(
            AuditEvent.action == "note_letter")).all()]
    keys = [json.dumps(after["decision_message"], ensure_ascii=False) for after in decided
            if "decision_message" in (after or {})]
    assert any('"review.extension_approved"' in k and '"同意延期"' in k for k in keys)
    assert any('"review.decided_with_comment"' in k and '"action.accept"' in k for k in keys)
    assert len(letters) == 1 and letters[0]["body"] == ""
    assert letters[0]["body_message"]["key"] == "escalation.body"
    assert _english_in(_strings(decided) + _strings(letters)) == []


def test_documents_are_chinese_whatever_the_interface_language(
        db: Database, english_office, tmp_path: Path) -> None:
    town, review_id, spawned = english_office
    set_language("en")
    settings = Settings()
    with db.read() as session:
        found = review.find(session, review_id)
        markdown = bulletin_text.to_markdown(bulletin.build(session, settings, found.week, review=found))
        spawned_notice = notice.build(session, settings, spawned["T1"])
        letter = notice.build_urge(session, settings, town.codes["T5"])
        ledger.write(session, settings, BoardFilter(), tmp_path / "ledger.csv")
    assert "当场办结销号；材料齐全" in markdown
    assert "当场批准延期：同意延期" in markdown
    assert f"议定另立督办事项 {spawned['T7']}" in markdown
    # No ISO week or day in a document: the week and the days as a letter writes them.
    assert spawned_notice.requirement == (
        f"第48周 11月23日—11月29日 督办例会议定事项（源自 {town.codes['T1']}）：限期整改")
    assert letter.kind == "letter" and letter.body.startswith(
        "2026年11月26日的催办逾期未回复，现升级督办")
    assert "2026年11月25日的提醒逾期未回复" in letter.body and letter.body.endswith("请于明日反馈")
    assert not re.search(r"\d{4}-\d\d-\d\d|\d{4}-W\d", spawned_notice.requirement + letter.body)
    written = (tmp_path / "ledger.csv").read_text(encoding="utf-8-sig")
    assert written.startswith("序号,")
    assert _english_in([markdown, spawned_notice.requirement, letter.body, written]) == []
    assert "meeting" not in markdown


def test_screens_show_generated_words_in_the_viewers_language(db: Database, english_office) -> None:
    town, review_id, spawned = english_office
    set_language("en")
    with db.read() as session:
        found = review.find(session, review_id)
        ctx = LightContext.build(Settings(), load_calendar(session))
        lines = {line.code: line for line in agenda.lines(session, found, ctx)}
        shown = detail.task_detail(session, actor=town.office, code=spawned["T1"], ctx=ctx,
                                      settings=Settings())
        letter = session.exec(select(SupervisionNote).where(SupervisionNote.kind == "letter")).one()
        letter_text = progress.note_text(letter)
        t5 = detail.task_detail(session, actor=town.office, code=town.codes["T5"], ctx=ctx,
                                  settings=Settings())
    assert lines[town.codes["T3"]].decision == "accept closure at the meeting; 材料齐全"
    assert lines[town.codes["T4"]].decision == "extension approved at the meeting: 同意延期"
    assert lines[town.codes["T7"]].decision == f"decided: new task {spawned['T7']}"
    assert lines[town.codes["T1"]].decision == "限期整改"  # typed: as typed
    assert shown.description == (
        f"decided at the review of week 48, Nov 23 – Nov 29 (from {town.codes['T1']}): 限期整改")
    assert letter_text.startswith("The urge of Nov 26, 2026 was not answered in time")
    assert letter_text.endswith("It said: 请于明日反馈")
    timeline = " | ".join(line for _, line in t5.timeline)
    assert "supervision letter" in timeline
    assert "The urge of Nov 26, 2026 was not answered in time" in timeline
    set_language("zh")
    assert agenda.decision_text(lines[town.codes["T4"]].item) == "当场批准延期：同意延期"


def test_rows_written_before_0009_are_shown_as_stored(db: Database, frozen) -> None:
    """A decision stored as a sentence stays that sentence, in every language and in the
    bulletin; a request decided on it later comes after it."""
    town = build_town(db)
    settings = Settings()
    with db.write() as session:
        started = review.start(session, actor=town.office, settings=settings)
    item_id = _item(db, town, started.id or 0, "T4")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE review_item SET decision = 'old wording：跟进' WHERE id = :i"),
                     {"i": item_id})
    set_language("en")
    with db.read() as session:
        item = session.get(ReviewItem, item_id)
        assert item is not None and agenda.decision_text(item) == "old wording：跟进"
        assert agenda.typed_decision(item) == "old wording：跟进"
    with db.write() as session:
        review.decide_request(session, actor=town.office, settings=settings, item_id=item_id,
                              action="decide_extension", approve=False, note="理由不足")
    with db.read() as session:
        item = session.get(ReviewItem, item_id)
        assert item is not None
        assert agenda.decision_text(item, "zh") == "old wording：跟进；当场不予延期：理由不足"
        assert agenda.decision_text(item) == (
            "old wording：跟进; extension refused at the meeting: 理由不足")


def test_retyping_a_decision_keeps_the_requests_decided(db: Database, frozen) -> None:
    """The form offers only the typed words to edit; saving them replaces those words and
    keeps the request decided beside them (which the form never showed as text)."""
    town = build_town(db)
    settings = Settings()
    with db.write() as session:
        started = review.start(session, actor=town.office, settings=settings)
    item_id = _item(db, town, started.id or 0, "T4")
    with db.write() as session:
        review.record_decision(session, actor=town.office, settings=settings, item_id=item_id,
                               text="先核实")
        review.decide_request(session, actor=town.office, settings=settings, item_id=item_id,
                              action="decide_extension", approve=True, note="同意")
    set_language("en")
    with db.read() as session:
        item = session.get(ReviewItem, item_id)
        assert item is not None and agenda.typed_decision(item) == "先核实"
    with db.write() as session:
        review.record_decision(session, actor=town.office, settings=settings, item_id=item_id,
                               text="已核实")
    with db.read() as session:
        item = session.get(ReviewItem, item_id)
        assert item is not None and item.decision == ""
        assert agenda.decision_text(item, "zh") == "已核实；当场批准延期：同意"


def test_a_contest_decided_at_the_review_names_the_outcome_not_its_code(db: Database,
                                                                        frozen) -> None:
    town = build_town(db)
    settings = Settings()
    with db.write() as session:  # a task dispatched today, contested by its supporting unit
        task = tasks.register(session, actor_id=town.office.user_id, title="新事项",
                              lead=UnitAssignment(town.units["司法所"]),
                              supporters=[UnitAssignment(town.units["派出所"])],
                              deadline=date(2026, 12, 31), today=date(2026, 11, 25))
        tasks.dispatch(session, task=task, actor_id=town.office.user_id,
                       calendar=WorkCalendar(), today=date(2026, 11, 25))
        town.codes["T11"] = task.code
    with db.write() as session:
        workflow.contest(session, actor=_head(session, town, "派出所"), code=town.codes["T11"],
                         settings=settings, reason="不属我所职责")
    with db.write() as session:
        started = review.start(session, actor=town.office, settings=settings)
    item_id = _item(db, town, started.id or 0, "T11")
    with db.write() as session:
        review.decide_request(session, actor=town.office, settings=settings, item_id=item_id,
                              action="decide_contest", department_id=town.units["派出所"],
                              decision="reject")
    with db.read() as session:
        item = session.get(ReviewItem, item_id)
        assert item is not None
        assert agenda.decision_text(item, "zh") == "当场审批调整申请：不同意"
        assert agenda.decision_text(item, "en") == "decide a contest at the meeting: refuse"


def _head(session, town: Town, unit: str):  # type: ignore[no-untyped-def]
    from coordboard.enums import Role
    from coordboard.services import directory
    from coordboard.services.permissions import Actor

    user = directory.add_user(session, username=f"head{town.units[unit]}", display_name="所长",
                              role=Role.HEAD, password="x" * 8, department_id=town.units[unit])
    return Actor(user.id or 0, user.username, Role.HEAD, town.units[unit])


def test_every_stored_key_is_in_both_catalogues() -> None:
    from coordboard.i18n import CATALOGUES

    for key in stored_text.STORED_KEYS:
        assert key in CATALOGUES["zh"] and key in CATALOGUES["en"], key
    assert stored_text.render({"key": "review.spawned", "params": {"code": "X"}}, "zh") == \
        t("review.spawned", "zh", code="X")


@pytest.mark.parametrize("stored", [{"params": 1}, {"key": 3}, 42, {"key": "x", "params": [1]}])
def test_a_malformed_message_is_shown_not_raised(stored: Any) -> None:
    assert isinstance(stored_text.render(stored), str)


def test_the_command_line_in_english(tmp_path: Path, demo_town: Path) -> None:
    """Through the real command on the demo town: an English office user decides an
    extension and closes the review; English screens say it in English, Chinese ones in
    Chinese, the bulletin is Chinese and the database holds no English sentence."""
    from docx import Document

    from tests.test_cli_review import _item_with, copy_of_demo_town

    cli = copy_of_demo_town(demo_town, tmp_path)
    cli("review", "start", "--attendees", "王主任")
    extension = _item_with(cli("review", "agenda").stdout, "申请延期至")
    cli("--lang", "en", "review", "request", extension, "approve-extension", "--reason", "同意延期")
    english = cli("--lang", "en", "review", "show").stdout
    assert "extension approved at the meeting: 同意延期" in english
    assert "当场批准延期：同意延期" in cli("review", "show").stdout
    cli("--lang", "en", "review", "close", "--force", "--bulletin", str(tmp_path / "b.docx"))
    written = "\n".join(p.text for p in Document(str(tmp_path / "b.docx")).paragraphs)
    assert "当场批准延期：同意延期" in written and "meeting" not in written
    database = Database.from_url(f"sqlite:///{cli.db}")
    try:
        assert _english_in(_every_stored_text(database)) == []
    finally:
        database.dispose()
