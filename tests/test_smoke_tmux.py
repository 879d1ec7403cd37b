"""The real ``coordboard demo`` binary in a real terminal (tmux), read off the screen."""

import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _screen(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True,
                          text=True).stdout


def test_demo_opens_in_a_real_terminal(tmp_path: Path) -> None:
    binary = shutil.which("coordboard")
    assert binary, "the coordboard console script is not installed"
    session = f"cb-{uuid.uuid4().hex[:8]}"
    command = (f"COORDBOARD_DATA_DIR={tmp_path} COORDBOARD_CONFIG_DIR={tmp_path} "
               f"{binary} demo --db {tmp_path / 'demo.db'}")
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "140", "-y", "40",
                    "-e", "TERM=xterm-256color", command], check=True)
    # Keep the pane after an early exit so a failure shows what the program printed.
    subprocess.run(["tmux", "set-option", "-t", session, "remain-on-exit", "on"], check=True)
    try:
        deadline = time.monotonic() + 60
        screen = ""
        while time.monotonic() < deadline:
            screen = _screen(session)
            if "DB-2026-" in screen and "共 45 项" in screen:
                break
            time.sleep(0.5)
        assert "督办协同看板" in screen, screen
        assert "DB-2026-" in screen and "共 45 项" in screen, screen
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        for _ in range(40):
            dead = subprocess.run(["tmux", "display-message", "-p", "-t", session, "#{pane_dead}"],
                                  capture_output=True, text=True).stdout.strip()
            if dead == "1":
                break
            time.sleep(0.25)
        else:
            pytest.fail("coordboard did not quit on q")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
