"""``coordboard serve`` end to end: the real command on 127.0.0.1, headless Chromium driven over
the DevTools protocol, reading what xterm.js draws. The office logs in, opens a task by its
code from the command palette, and the task's title is on the browser's screen."""

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from cdp import CAPTURE_TERMINAL, Browser, Downloads, Page
from openpyxl import load_workbook

from coordboard.db import Database
from coordboard.enums import Role
from coordboard.migrate import ensure_schema
from coordboard.services import directory, tasks
from coordboard.services.tasks import UnitAssignment

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists()
                                         else None)
pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="chromium is not installed (Debian: apt-get install chromium)")
ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "office-pass-1"
TITLE = "村居法律顾问全覆盖"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _town(path: Path) -> tuple[str, str]:
    """A one-unit town (a demo town costs ~12 s of CPU to build): the office, and one task
    registered and dispatched today, on the real clock the server runs on."""
    from coordboard import clock

    db = Database.from_url(f"sqlite:///{path}")
    ensure_schema(db)
    today = clock.today("Asia/Shanghai")
    with db.write() as session:
        unit = directory.add_department(session, name="司法所").id or 0
        office = directory.add_user(session, username="office", display_name="法治办",
                                    role=Role.OFFICE, password=PASSWORD).id
        task = tasks.register(session, actor_id=office, title=TITLE,
                              lead=UnitAssignment(unit, "牵头"), deadline=today + timedelta(days=30),
                              today=today)
        code = task.code
    db.dispose()
    return code, TITLE


def _wait_until_serving(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"serve exited with {server.returncode}: {server.stderr.read()!r}"  # type: ignore[union-attr]
                        if server.stderr else "serve exited")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"serve never answered at {url}")


async def _drive(port: int, url: str, code: str, title: str, downloads: Path) -> tuple[str, Path]:
    page = await Page.open(port)
    try:
        async with Downloads(port, downloads) as files:
            return await _walk(page, url, code, title), await _export(page, files, code)
    finally:
        await page.close()


async def _walk(page: Page, url: str, code: str, title: str) -> str:
    await page.send("Page.enable")  # without it the script below is never injected
    await page.send("Page.addScriptToEvaluateOnNewDocument", source=CAPTURE_TERMINAL)
    await page.send("Page.navigate", url=url)
    await page.wait_for("登录督办协同看板")
    await page.type("office")
    await page.press("Tab")  # moves focus at once (Enter's move waits behind the keys)
    await page.type(PASSWORD)
    await page.press("Enter")
    await page.wait_for("office（法治办）", "待法治办决定")
    await page.press("p", ctrl=True)
    await page.type(code)
    await page.wait_for(f"{code}  {title}")  # the palette's hit
    await page.press("Enter")
    return await page.wait_for("承办单位", code, title)


async def _export(page: Page, files: Downloads, code: str) -> Path:
    """The board's ledger export reaches the browser as a download: the file is written on
    the server's disk, which a browser user cannot open."""
    await page.press("Escape")
    # Home again before the next key: an ESC closely followed by "b" reads as Alt+B.
    await page.wait_for("待法治办决定")
    await page.press("b")
    await page.wait_for("全部灯色", code)  # the board, its first page drawn
    await page.press("e")
    await page.wait_for("正在发送到浏览器下载")
    return await files.wait_for("督办台账-*.xlsx")


def test_office_logs_in_through_the_browser_and_opens_a_task(tmp_path: Path) -> None:
    database = tmp_path / "town.db"
    code, title = _town(database)
    serve_port = _free_port()
    url = f"http://127.0.0.1:{serve_port}/"
    env = dict(os.environ, PYTHONPATH=str(ROOT), LANG="C.UTF-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "coordboard", "--db", str(database), "serve",
         "--port", str(serve_port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    browser = None
    try:
        _wait_until_serving(url, server)
        assert CHROMIUM is not None
        browser = Browser(CHROMIUM, tmp_path / "profile")
        downloads = tmp_path / "downloads"
        downloads.mkdir()
        screen, ledger = asyncio.run(_drive(browser.port(), url, code, title, downloads))
    finally:
        if browser is not None:
            browser.close()
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert f"{code}" in screen and title in screen
    rows = list(load_workbook(ledger, read_only=True).active.iter_rows(values_only=True))
    assert str(rows[0][0]).startswith("督办事项台账") and "编号" in rows[1], rows[:2]  # the ledger, whole
    # The session logged in as itself: nothing was kept in the server account's token file.
    assert not (Path(os.environ["COORDBOARD_DATA_DIR"]) / "session.json").exists()
