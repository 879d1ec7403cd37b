"""Directory and calendar commands: admin only, audited, clear errors."""

import json
from pathlib import Path

import pytest
from test_cli_lifecycle import Cli

from coordboard.db import Database
from coordboard.migrate import ensure_schema
from coordboard.services import directory


@pytest.fixture
def admin_cli(tmp_path: Path) -> Cli:
    url = f"sqlite:///{tmp_path / 'admin.db'}"
    db = Database.from_url(url)
    ensure_schema(db)
    with db.write() as session:
        unit = directory.add_department(session, name="司法所").id
        directory.add_user(session, username="admin", display_name="管理员", role="admin",
                           password="secret123")
        directory.add_user(session, username="sfs", display_name="司法所", role="head",
                           password="secret123", department_id=unit)
    db.dispose()
    cli = Cli(url, tmp_path)
    cli.login("admin")
    return cli


def test_departments_and_users(admin_cli: Cli) -> None:
    admin_cli("dept", "add", "派出所", "--kind", "站所")  # a kind by its name, as listed
    admin_cli("dept", "rename", "派出所", "商家派出所", "--short", "派出所")
    admin_cli("dept", "deactivate", "派出所")
    units = json.loads(admin_cli("dept", "list", "--format", "json").stdout)
    assert {"name": "商家派出所", "short_name": "派出所", "kind": "station", "active": False} in units
    admin_cli("user", "add", "liu", "--name", "刘洋", "--role", "staff", "--dept", "司法所",
              "--password-stdin", stdin="secret456\n")
    admin_cli("user", "passwd", "liu", "--password-stdin", stdin="secret789\n")
    users = json.loads(admin_cli("user", "list", "--format", "json").stdout)
    assert {"username": "liu", "display_name": "刘洋", "role": "staff", "unit": "司法所",
            "active": True} in users
    admin_cli("user", "disable", "liu")
    bad = admin_cli("user", "add", "x", "--name", "x", "--role", "head", "--password-stdin",
                    stdin="secret456\n", ok=False)
    assert bad.returncode == 1 and "所属单位" in bad.stderr
    admin_cli.login("sfs")
    denied = admin_cli("dept", "add", "文化站", ok=False)
    assert denied.returncode == 1 and "无权" in denied.stderr


def test_calendar_show_and_set(admin_cli: Cli) -> None:
    february = admin_cli("calendar", "show", "2026-02").stdout
    assert "2026-02-14  是      调休上班" in february
    assert "春节" in february
    year = admin_cli("calendar", "show", "2027")
    assert "尚无国务院公布的放假安排" in year.stderr
    admin_cli("calendar", "set", "2027-02-06", "workday", "--note", "春节调休")
    assert "办公室调整" in admin_cli("calendar", "show", "2027-02").stdout
    bad = admin_cli("calendar", "show", "2027-13", ok=False)
    assert bad.returncode == 1 and "YYYY-MM" in bad.stderr
    assert "哈希链无断点" in admin_cli("audit", "verify").stdout
