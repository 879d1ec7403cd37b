"""``coordboard dept contact`` and ``coordboard notify`` through the real command, against a
real SMTP server and a real HTTP server on 127.0.0.1."""

import json
from pathlib import Path

import pytest
from notify_servers import hook_sink, smtp_sink
from test_cli_lifecycle import Cli, Y

from coordboard.db import Database
from coordboard.migrate import ensure_schema
from coordboard.services import directory


@pytest.fixture
def office_cli(tmp_path: Path) -> Cli:
    url = f"sqlite:///{tmp_path / 'notify.db'}"
    db = Database.from_url(url)
    ensure_schema(db)
    with db.write() as session:
        for name in ("司法所", "派出所"):
            directory.add_department(session, name=name)
        secret = directory.hash_password("secret123")
        directory.add_user(session, username="office", display_name="法治办", role="office",
                           password="secret123", password_hash=secret)
    db.dispose()
    return Cli(url, tmp_path)


def test_contacts_then_notify_run_twice_sends_once(office_cli: Cli) -> None:
    cli = office_cli
    with smtp_sink() as smtp, hook_sink() as hook:
        cli.env.update({"COORDBOARD_NOTIFY_SMTP_HOST": "127.0.0.1",
                        "COORDBOARD_NOTIFY_SMTP_PORT": str(smtp.port),
                        "COORDBOARD_NOTIFY_SMTP_SECURITY": "none",
                        "COORDBOARD_NOTIFY_SMTP_FROM": "fzb@example.gov.cn"})
        cli.login("office")
        cli("dept", "contact", "司法所", "--person", "王丽", "--phone", "0571-8888",
            "--email", "sfs@example.gov.cn")
        cli("dept", "contact", "派出所", "--webhook", f"{hook.url}/robot/send?access_token=t",
            "--preset", "dingtalk")
        listed = json.loads(cli("dept", "contacts", "--format", "json").stdout)
        assert {"unit": "司法所", "person": "王丽", "phone": "0571-8888",
                "email": "sfs@example.gov.cn", "webhook": "", "preset": "generic",
                "digest": False} in listed
        cli("task", "add", "--title", "农村法律明白人培养", "--lead", "司法所:方案和培训",
            "--support", "派出所:反诈案例", "--deadline", f"{Y}-06-30", "--dispatch")
        dry = cli("notify", "run", "--dry-run").stdout
        assert "以下 2 条将被登记" in dry and "【督办通知】" in dry
        assert smtp.messages == [] and hook.posts == []
        cli("logout")  # a scheduler has no login
        first = cli("notify", "run").stdout
        assert "新登记 2 条" in first and "发送成功 2 条，失败 0 条" in first
        again = cli("notify", "run").stdout
        assert "新登记 0 条" in again and "发送成功 0 条" in again
        assert len(smtp.messages) == 1 and len(hook.posts) == 1
        assert "农村法律明白人培养" in smtp.messages[0]["Subject"]
        assert hook.posts[0][1]["msgtype"] == "text"
        assert "你单位为配合单位，承担：反诈案例" in hook.posts[0][1]["text"]["content"]
        cli.login("office")
        assert "已发送 2 条" in cli("notify", "status").stdout
