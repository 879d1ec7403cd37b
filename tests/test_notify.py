"""Notifications (issue 14 item 3): each due notice sent once, over a real SMTP server and a
real HTTP server, a failed send retried later without holding up the others."""

import json
import threading
from dataclasses import dataclass
from datetime import date, timedelta

import pendulum
import pytest
from notify_servers import SmtpSink, hook_sink, smtp_sink
from sqlalchemy import select, text
from town import at

from coordboard import clock
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.enums import NoteKind, Role
from coordboard.errors import ValidationError
from coordboard.models import Notification
from coordboard.services import contacts, directory, notify, progress, tasks
from coordboard.services.permissions import Actor, PermissionDenied
from coordboard.services.tasks import UnitAssignment
from coordboard.services.workdays import WorkCalendar

HOSTILE = "普法\r\nBcc: evil@example.com\x1b[2J宣传"


@dataclass
class Office:
    actor: Actor
    units: dict[str, int]
    codes: dict[str, str]


def build(db: Database, hook_url: str = "http://127.0.0.1:9/") -> Office:
    """司法所 (S) by e-mail, 派出所 (P) by a 企业微信 robot, 文化站 (W) with no channel.

    A: dispatched now, due 12-31, title with a line break and ESC: dispatch notices.
    B: dispatched 11-10 (before the look-back), due 11-20, nobody acknowledged, an urge to P
       now: overdue, late acknowledgement (S and P) and the urge; no dispatch notice.
    C: dispatched 11-23, due 11-27 (2 working days), S acknowledged: dispatch, due soon,
       P late to acknowledge.
    """
    with db.write() as session:
        units = {name: directory.add_department(session, name=name).id or 0
                 for name in ("司法所", "派出所", "文化站")}
        user = directory.add_user(session, username="office", display_name="法治办",
                                  role=Role.OFFICE, password="x" * 8, password_hash="-")
    office = Actor(user.id or 0, "office", Role.OFFICE, None)
    with db.write() as session:
        contacts.set_contacts(session, actor=office, unit="司法所", person="王丽",
                              phone="0571-1234", email="sfs@example.gov.cn")
        contacts.set_contacts(session, actor=office, unit="派出所", webhook_url=hook_url,
                              webhook_preset="wecom")
    codes: dict[str, str] = {}
    calendar = WorkCalendar()

    def new(key: str, when: pendulum.DateTime, deadline: date, title: str) -> None:
        with clock.at(when), db.write() as session:
            task = tasks.register(session, actor_id=office.user_id, title=title,
                                  lead=UnitAssignment(units["司法所"], "方案"),
                                  supporters=[UnitAssignment(units["派出所"], "")],
                                  deadline=deadline, today=when.date())
            tasks.dispatch(session, task=task, actor_id=office.user_id, calendar=calendar,
                           today=when.date())
            codes[key] = task.code

    new("A", clock.now(), date(2026, 12, 31), HOSTILE)
    new("B", at(11, 10), date(2026, 11, 20), "B 事项")
    new("C", at(11, 23), date(2026, 11, 27), "C 事项")
    with clock.at(at(11, 23, 15)), db.write() as session:
        tasks.acknowledge(session, task=tasks.task_by_code(session, codes["C"]),
                          department_id=units["司法所"], actor_id=None)
    with db.write() as session:
        progress.add_note(session, task=tasks.task_by_code(session, codes["B"]), kind=NoteKind.URGE,
                          body="请说明逾期原因", actor_id=office.user_id,
                          department_id=units["派出所"], respond_by=date(2026, 11, 27),
                          today=date(2026, 11, 25))
    return Office(office, units, codes)


def expected(o: Office) -> set[tuple[str, str, str]]:
    a, b, c = o.codes["A"], o.codes["B"], o.codes["C"]
    by_mail = {(a, "dispatch"), (b, "overdue"), (b, "ack"), (c, "dispatch"), (c, "due_soon")}
    by_hook = by_mail | {(b, "urge"), (c, "ack")}
    return ({(code, kind, "email") for code, kind in by_mail}
            | {(code, kind, "webhook") for code, kind in by_hook})


def outbox(db: Database) -> list[tuple[str, str, str, str]]:
    with db.read() as session:
        return [tuple(row) for row in session.execute(text(
            "SELECT t.code, n.kind, n.channel, n.state FROM notification n "
            "JOIN task t ON t.id = n.task_id ORDER BY n.id")).all()]


def mail_settings(smtp: SmtpSink, **extra: object) -> Settings:
    return Settings(notify_smtp_host="127.0.0.1", notify_smtp_port=smtp.port,
                    notify_smtp_security="none", notify_smtp_from="fzb@example.gov.cn",
                    **extra)  # type: ignore[arg-type]


def test_each_notice_is_sent_once_by_mail_and_robot(db: Database, frozen) -> None:
    with smtp_sink() as smtp, hook_sink() as hook:
        o = build(db, hook.url + "/cgi-bin/webhook/send?key=k1")
        settings = mail_settings(smtp)
        planned = notify.run(db, settings, dry_run=True)
        assert len(planned.planned) == 12 and outbox(db) == []  # a dry run writes nothing
        first = notify.run(db, settings)
        assert (first.recorded, first.sent, first.failed) == (12, 12, 0)
        assert {(code, kind, channel) for code, kind, channel, _ in outbox(db)} == expected(o)
        assert {state for *_, state in outbox(db)} == {"sent"}
        again = notify.run(db, settings)
        assert (again.recorded, again.sent, again.failed) == (0, 0, 0)
        assert len(smtp.messages) == 5 and len(hook.posts) == 7
        # The hostile title: no header injected, the line break gone, ESC visible.
        dispatch = next(m for m in smtp.messages if o.codes["A"] in m["Subject"])
        assert dispatch["Subject"] == f"【督办通知】{o.codes['A']} 普法 Bcc: evil@example.com␛[2J宣传"
        assert dispatch["Bcc"] is None and smtp.recipients[0] == ["sfs@example.gov.cn"]
        assert all(rcpts == ["sfs@example.gov.cn"] for rcpts in smtp.recipients)
        body = dispatch.get_content()
        assert "你单位为牵头单位，承担：方案" in body and "2026年12月31日" in body
        assert "\x1b" not in body and "␛[2J" in body
        path, payload = next(p for p in hook.posts if "催办" in p[1]["text"]["content"])
        assert path == "/cgi-bin/webhook/send?key=k1" and payload["msgtype"] == "text"
        assert set(payload) == {"msgtype", "text"}
        assert "请说明逾期原因" in payload["text"]["content"]
        assert "请于2026年11月27日前回复。" in payload["text"]["content"]


def test_a_failing_robot_is_retried_later_and_never_holds_up_the_mail(db: Database, frozen) -> None:
    with smtp_sink() as smtp, hook_sink() as hook:
        o = build(db, hook.url)
        settings = mail_settings(smtp, notify_retry_minutes=10)
        hook.failing = True
        first = notify.run(db, settings)
        assert (first.sent, first.failed) == (5, 7) and len(smtp.messages) == 5
        with db.read() as session:
            waiting = notify.status(session, actor=o.actor)
        assert len(waiting) == 7 and {r.state for r in waiting} == {"pending"}
        assert all("HTTP Error 500" in r.last_error and r.attempts == 1 for r in waiting)
        hook.failing = False
        assert notify.run(db, settings).sent == 0  # not yet: the retry waits 10 minutes
        with clock.at(clock.now() + timedelta(minutes=10)):
            later = notify.run(db, settings)
        assert (later.recorded, later.sent, later.failed) == (0, 7, 0)
        assert len(hook.posts) == 7 and len(smtp.messages) == 5
        with db.read() as session:
            assert notify.status(session, actor=o.actor) == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the backend plays no part
def test_a_robot_refusal_backs_off_then_gives_up(db: Database, frozen) -> None:
    with hook_sink() as hook:
        o = build(db, hook.url)
        with db.write() as session:  # 司法所 by robot too, to keep the mail server out
            contacts.set_contacts(session, actor=o.actor, unit="司法所", email="",
                                  webhook_url=hook.url, webhook_preset="dingtalk")
        hook.reply = {"errcode": 310000, "errmsg": "keywords not in content"}
        settings = Settings(notify_retry_minutes=10, notify_max_attempts=3)
        start = clock.now()
        assert notify.run(db, settings).failed == 12
        # Backoff doubles: tried again 10 minutes after the first failure, 20 after the second.
        with clock.at(start + timedelta(minutes=10)):
            assert notify.run(db, settings).failed == 12
        with clock.at(start + timedelta(minutes=29)):
            assert notify.run(db, settings).failed == 0
        with clock.at(start + timedelta(minutes=30)):
            assert notify.run(db, settings).failed == 12
        with clock.at(start + timedelta(hours=20)):  # given up: never tried again
            assert notify.run(db, settings).failed == 0
        with db.read() as session:
            rows = notify.status(session, actor=o.actor)
        assert {r.state for r in rows} == {"failed"} and len(rows) == 12
        assert "310000" in rows[0].last_error and rows[0].attempts == 3


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_daily_digest_gathers_a_units_notices_once(db: Database, frozen) -> None:
    with smtp_sink() as smtp:
        o = build(db)
        with db.write() as session:
            contacts.set_contacts(session, actor=o.actor, unit="派出所", webhook_url="",
                                  email="pcs@example.gov.cn", digest=True)
        settings = mail_settings(smtp, notify_digest_hour=10)
        early = notify.run(db, settings)  # 09:30: before the digest hour, P's notices wait
        assert (early.sent, early.digests) == (5, 0)
        with db.read() as session:
            assert notify.counts(session)["queued"] == 7
        with clock.at(clock.now() + timedelta(hours=1)):
            digest = notify.run(db, settings)
            assert (digest.recorded, digest.digests, digest.sent) == (0, 1, 1)
            assert notify.run(db, settings).sent == 0
        mail = smtp.messages[-1]
        assert mail["Subject"] == "【督办日报】2026年11月25日，共 7 条" and mail["To"] == "pcs@example.gov.cn"
        assert mail.get_content().count("【") == 7


def test_two_runs_at_once_never_send_twice(db: Database, frozen) -> None:
    with smtp_sink() as smtp, hook_sink() as hook:
        build(db, hook.url)
        settings = mail_settings(smtp)
        other = Database(db.engine.execution_options())
        start = threading.Barrier(2)
        results: list[notify.RunReport] = []

        def one(database: Database) -> None:
            start.wait()
            results.append(notify.run(database, settings))

        threads = [threading.Thread(target=one, args=(d,)) for d in (db, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(r.sent for r in results) == 12 and sum(r.recorded for r in results) == 12
        assert len(smtp.messages) == 5 and len(hook.posts) == 7


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_row_another_run_is_claiming_is_skipped_not_waited_for(db: Database, frozen) -> None:
    build(db)
    notify.record(db, Settings())
    with db.write_engine.connect() as holder, holder.begin():
        locked = holder.execute(text(
            "SELECT id FROM notification ORDER BY id LIMIT 5 FOR UPDATE")).scalars().all()
        claimed = notify.claim(db, Settings())  # SKIP LOCKED: the other 7, at once
        assert len(claimed) == 7 and not set(claimed) & set(locked)
    assert notify.claim(db, Settings()) == locked  # the lock released, still due


def test_the_outbox_refuses_a_second_row_for_the_same_event_unit_and_channel(db: Database,
                                                                             frozen) -> None:
    build(db)
    notify.record(db, Settings())
    with db.read() as session:
        row = session.execute(select(Notification)).scalars().first()
    assert row is not None
    with db.write() as session:
        assert notify._insert_new(session, {
            "event_key": row.event_key, "department_id": row.department_id,
            "channel": row.channel, "kind": row.kind, "task_id": row.task_id,
            "message": row.message, "state": "pending", "attempts": 0,
            "next_attempt_at": clock.now(), "created_at": clock.now()}) is False


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_contacts_are_checked_and_the_offices_to_set(db: Database, frozen) -> None:
    o = build(db)
    head = Actor(0, "sfs", Role.HEAD, o.units["司法所"])
    with db.write() as session:
        with pytest.raises(ValidationError, match="电子邮箱 含有控制字符"):
            contacts.set_contacts(session, actor=o.actor, unit="司法所", email="a@b.cn\nBcc: x@y.cn")
        for bad in ({"email": "a@b.cn\r\nBcc: x@y.cn"}, {"email": "a@b.cn, c@d.cn"},
                    {"webhook_url": "file:///etc/passwd"}, {"phone": "123; DROP"},
                    {"person": "王\n丽"}, {"webhook_preset": "slack"}):
            with pytest.raises(ValidationError):
                contacts.set_contacts(session, actor=o.actor, unit="司法所", **bad)  # type: ignore[arg-type]
        with pytest.raises(PermissionDenied):
            contacts.set_contacts(session, actor=head, unit="司法所", email="x@y.cn")
    with db.read() as session:
        mine = contacts.list_contacts(session, actor=head)
        office = contacts.list_contacts(session, actor=o.actor)
    assert next(c for c in mine if c.unit == "派出所").webhook_url == "http://127.0.0.1:9/"
    with db.write() as session:
        contacts.set_contacts(session, actor=o.actor, unit="派出所",
                              webhook_url="https://oapi.dingtalk.com/robot/send?access_token=s3cret")
    with db.read() as session:
        shown = {c.unit: c.webhook_url for c in contacts.list_contacts(session, actor=head)}
    assert shown["派出所"] == "https://oapi.dingtalk.com/robot/send?…"
    assert office[0].email == "sfs@example.gov.cn" and json.dumps(shown)



def test_config_show_never_prints_the_smtp_password() -> None:
    shown = {name: value for name, value, _ in Settings(notify_smtp_password="s3cret").items()}
    assert shown["notify_smtp_password"] == "********"
    assert "s3cret" not in repr(shown)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_closure_decisions_reach_every_unit(db: Database, frozen) -> None:
    with hook_sink() as hook:
        o = build(db, hook.url)
        with db.write() as session:
            for unit in ("司法所", "派出所"):
                contacts.set_contacts(session, actor=o.actor, unit=unit, email="",
                                      webhook_url=hook.url, webhook_preset="generic")
        notify.run(db, Settings())
        hook.posts.clear()
        code = o.codes["A"]
        with db.write() as session:
            progress.add_feedback(session, task=tasks.task_by_code(session, code),
                                  department_id=o.units["派出所"], actor_id=None, body="已完成")
        with db.write() as session:
            tasks.request_closure(session, task=tasks.task_by_code(session, code), actor_id=None)
        with db.write() as session:
            tasks.return_for_rework(session, task=tasks.task_by_code(session, code),
                                    actor_id=o.actor.user_id, reason="佐证材料不足")
        assert notify.run(db, Settings()).sent == 2
        assert {p["unit"] for _, p in hook.posts} == {"司法所", "派出所"}
        generic = hook.posts[0][1]
        assert set(generic) == {"source", "kind", "unit", "task", "subject", "text"}
        assert generic["kind"] == "returned" and generic["task"] == code
        assert "理由：佐证材料不足" in generic["text"] and "2026年12月31日" in generic["text"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_run_that_died_while_sending_is_taken_over_after_its_lease(db: Database, frozen) -> None:
    build(db)
    settings = Settings()
    notify.record(db, settings)
    claimed = notify.claim(db, settings)  # and then the process died
    assert len(claimed) == 12 and notify.claim(db, settings) == []
    with clock.at(clock.now() + timedelta(minutes=4)):
        assert notify.claim(db, settings) == []  # the lease (5 minutes) still holds
    with clock.at(clock.now() + timedelta(minutes=6)):
        assert notify.claim(db, settings) == claimed
