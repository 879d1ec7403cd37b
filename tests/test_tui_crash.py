"""A crash in the interface (rule: it exits non-zero, restores the terminal, writes a
report with traceback and versions to the data directory and names it in one sentence;
the next start works)."""

import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from test_smoke_tmux import _keys, _wait_for, coordboard_command, new_session
from textual.worker import WorkerFailed
from tui_support import login

from coordboard import __version__
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.services import home
from coordboard.tui.app import make_app
from coordboard.tui.crash import write_report

BOOM = "head home exploded"


def _explode(*args, **kwargs):
    raise RuntimeError(BOOM)


async def test_a_screen_that_raises_ends_the_app_with_code_1(demo_file: Database, frozen,
                                                               monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(home, "head_home", _explode)
    app = make_app(Settings(), demo_file)
    with pytest.raises((RuntimeError, WorkerFailed), match=BOOM):  # Pilot re-raises it
        async with app.run_test(size=(120, 40)) as pilot:
            await login(pilot, "sfs")
    assert app.return_code == 1
    assert isinstance(app.crash, RuntimeError)
    report = write_report(app.crash)
    assert report.parent == tmp_path / "data" and report.name.startswith("crash-")
    text = report.read_text(encoding="utf-8")
    assert BOOM in text and "Traceback" in text and "_explode" in text
    assert f"coordboard {__version__}" in text and "Textual " in text and "Python " in text
    assert write_report(app.crash) != report  # a second crash never overwrites the first


CRASHER = f"""
import coordboard.services.home as home

def _explode(*args, **kwargs):
    raise RuntimeError({BOOM!r})

home.head_home = _explode
"""


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_real_crash_exits_1_with_a_report_and_the_next_start_works(tmp_path: Path) -> None:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(CRASHER)
    data = tmp_path / "data"
    demo = tmp_path / "demo.db"
    base = coordboard_command()
    env = f"COORDBOARD_DATA_DIR={data} COORDBOARD_CONFIG_DIR={tmp_path}"
    # The hook dir goes after this tree on the path, so sitecustomize loads and breaks home.
    crashing = base.replace("PYTHONPATH=", f"PYTHONPATH={hook}:", 1)
    session = f"cb-{uuid.uuid4().hex[:8]}"
    # The shell records the exit status itself: tmux's #{pane_dead_status} was seen empty
    # for seconds after the pane died on a loaded machine.
    exit_file = tmp_path / "exit-status"
    new_session(session, f"{env} {crashing} demo --db {demo}; echo $? > {exit_file}", 120, 36)
    try:
        _wait_for(session, "登录督办协同看板", "demo1234", timeout=60)
        _keys(session, "sfs", "Enter")
        _keys(session, "demo1234", "Enter")
        screen = _wait_for(session, "错误报告已保存到")
        for _ in range(80):
            if exit_file.exists() and exit_file.read_text().strip():
                break
            time.sleep(0.25)
        assert exit_file.read_text().strip() == "1"
        assert "Traceback" not in screen
        reports = list(data.glob("crash-*.txt"))
        assert len(reports) == 1 and BOOM in reports[0].read_text(encoding="utf-8")
        assert reports[0].name.replace("\n", "") in screen.replace("\n", "")
        # Started again, without the fault: the saved login opens the head's home.
        subprocess.run(["tmux", "respawn-pane", "-k", "-t", session,
                        f"unset COLUMNS LINES; {env} {base} --db sqlite:///{demo}"], check=True)
        _wait_for(session, "需要本单位处理", "DB-2026-")
        _keys(session, "C-q")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
