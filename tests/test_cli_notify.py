"""``coordboard dept contact`` and ``coordboard notify`` against a real SMTP server and a
real HTTP server on 127.0.0.1: the office's steps in process (click's runner), the
scheduler's ``notify run`` as the real command, twice, without a login."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from notify_servers import hook_sink, smtp_sink
from test_cli_lifecycle import Y

from coordboard.cli import main
from coordboard.db import Database
from coordboard.migrate import ensure_schema
from coordboard.services import directory


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'notify.db'}"
    db = Database.from_url(url)
    ensure_schema(db)
    with db.write() as session:
        for name in ("司法所", "派出所"):
            directory.add_department(session, name=name)
        directory.add_user(session, username="office", display_name="法治办", role="office",
                           password="secret123")
    db.dispose()
    return url


def test_contacts_then_notify_run_twice_sends_once(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def cli(*args: str, stdin: str | None = None, code: int = 0) -> str:
        result = CliRunner().invoke(main, ["--db", url, *args], input=stdin)
        assert result.exit_code == code, (args, result.output, result.exception)
        return result.output

    def scheduled(*args: str) -> str:
        result = subprocess.run([sys.executable, "-m", "coordboard", "--db", url, *args],
                                capture_output=True, text=True, env=dict(os.environ), timeout=120)
        assert result.returncode == 0, (result.stdout, result.stderr)
        return result.stdout

    with smtp_sink() as smtp, hook_sink() as hook:
        for name, value in (("HOST", "127.0.0.1"), ("PORT", str(smtp.port)), ("SECURITY", "none"),
                            ("FROM", "fzb@example.gov.cn")):
            monkeypatch.setenv(f"COORDBOARD_NOTIFY_SMTP_{name}", value)
        cli("login", "-u", "office", "--password-stdin", stdin="secret123\n")
        cli("dept", "contact", "司法所", "--person", "王丽", "--phone", "0571-8888",
            "--email", "sfs@example.gov.cn")
        cli("dept", "contact", "派出所", "--webhook", f"{hook.url}/robot/send?access_token=t",
            "--preset", "dingtalk")
        assert "格式不对" in cli("dept", "contact", "派出所", "--email", "a@b.cn, c@d.cn", code=1)
        listed = json.loads(cli("dept", "contacts", "--format", "json"))
        assert {"unit": "司法所", "person": "王丽", "phone": "0571-8888",
                "email": "sfs@example.gov.cn", "webhook": "", "preset": "generic",
                "digest": False} in listed
        cli("task", "add", "--title", "农村法律明白人培养", "--lead", "司法所:方案和培训",
            "--support", "派出所:反诈案例", "--deadline", f"{Y}-06-30", "--dispatch")
        dry = cli("notify", "run", "--dry-run")
        assert "以下 2 条将被登记" in dry and "【督办通知】" in dry
        assert smtp.messages == [] and hook.posts == []
        cli("logout")  # a scheduler has no login
        first = scheduled("notify", "run")
        assert "新登记 2 条" in first and "发送成功 2 条，失败 0 条" in first
        again = scheduled("notify", "run")
        assert "新登记 0 条" in again and "发送成功 0 条" in again
        assert len(smtp.messages) == 1 and len(hook.posts) == 1
        assert "农村法律明白人培养" in smtp.messages[0]["Subject"]
        assert hook.posts[0][0] == "/robot/send?access_token=t"
        assert hook.posts[0][1]["msgtype"] == "text"
        assert "你单位为配合单位，承担：反诈案例" in hook.posts[0][1]["text"]["content"]
        assert cli("notify", "status", code=1)  # the office's: needs its login
        cli("login", "-u", "office", "--password-stdin", stdin="secret123\n")
        assert "已发送 2 条" in cli("notify", "status")
