"""The real ``coordboard demo`` binary in a real terminal (tmux), read off the screen:
log in as a unit head, open the first task on the to-do list, report progress."""

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _screen(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True,
                          text=True).stdout


def _keys(session: str, *keys: str) -> None:
    """One send per key group, paced like a person typing (a burst can arrive as one read)."""
    literal = keys[0] == "-l"
    for key in keys[1:] if literal else keys:
        subprocess.run(["tmux", "send-keys", "-t", session, *(["-l"] if literal else []), key],
                       check=True)
        time.sleep(0.3)


def _wait_for(session: str, *needles: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _screen(session)
        if all(needle in screen for needle in needles):
            return screen
        time.sleep(0.3)
    pytest.fail(f"never saw {needles!r} on screen:\n{screen}")


def new_session(session: str, command: str, width: int, height: int) -> None:
    """A detached tmux session of ``width`` × ``height`` running ``command`` in a shell.

    The shell first forgets COLUMNS and LINES: pytest's process loads readline, which puts
    its own idea of the size (80×24 without a terminal) into the C environment the pane
    inherits, and Textual believes those variables over the terminal — the app drew 80×24
    in a 120×36 window, and CI failed on what did not fit."""
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", str(width), "-y", str(height),
                    "-e", "TERM=xterm-256color", "-e", "LANG=C.UTF-8",
                    f"unset COLUMNS LINES; {command}"], check=True)
    # Keep the pane after an early exit so a failure shows what the program printed.
    subprocess.run(["tmux", "set-option", "-t", session, "remain-on-exit", "on"], check=True)


def coordboard_command() -> str:
    """The venv's own ``coordboard`` (next to the running Python, whatever PATH says), or
    ``python -m coordboard``; this tree first on the path either way, so the test runs the
    code under test even when the venv holds another checkout."""
    root = Path(__file__).resolve().parents[1]
    script = Path(sys.executable).with_name("coordboard")
    run = (shlex.quote(str(script)) if script.is_file()
           else f"{shlex.quote(sys.executable)} -m coordboard")
    return f"PYTHONPATH={shlex.quote(str(root))} {run}"


def test_head_logs_in_opens_a_task_and_reports_progress(tmp_path: Path) -> None:
    binary = coordboard_command()
    session = f"cb-{uuid.uuid4().hex[:8]}"
    command = (f"COORDBOARD_DATA_DIR={tmp_path} COORDBOARD_CONFIG_DIR={tmp_path} "
               f"{binary} demo --db {tmp_path / 'demo.db'}")
    new_session(session, command, 120, 36)
    try:
        _wait_for(session, "登录督办协同看板", "demo1234", timeout=60)
        _keys(session, "sfs", "Enter")
        _keys(session, "demo1234", "Enter")
        home = _wait_for(session, "需要本单位处理", "DB-2026-")
        assert "sfs（部门负责人）" in home
        code = next(word for word in home.split() if word.startswith("DB-2026-"))
        _keys(session, "Enter")  # the first item on the to-do list
        _wait_for(session, "承办单位", f"{code}  ", "签收时间")
        _keys(session, "a")  # action menu; the first possible action is highlighted
        _wait_for(session, "选择操作")
        _keys(session, "Enter")
        _wait_for(session, "内容 *", "完成进度")  # the feedback form's own fields
        # Pasted, with an ESC inside, as tmux pastes it (bracketed, the ESC kept): one paste
        # in order, the ESC dropped as xterm drops it (Textual alone typed "^[31m…" first).
        subprocess.run(["tmux", "set-buffer", "-b", session, "村级培训\x1b[31m已全部完成"],
                       check=True)
        subprocess.run(["tmux", "paste-buffer", "-p", "-d", "-b", session, "-t", session],
                       check=True)
        time.sleep(0.3)
        _keys(session, "Enter")
        # The confirmation toast, and the lead unit no longer listed as silent.
        after = _wait_for(session, f"已反馈进展：{code}")
        assert "司法所 已" not in after
        # The timeline lists the newest entry first, below the units (and the stages, if
        # any). Once the toast has gone (it covers the bottom right), page down from the top
        # until the entry shows.
        for _ in range(60):
            if f"已反馈进展：{code}" not in _screen(session):
                break
            time.sleep(0.25)
        _keys(session, "Home")
        for _ in range(8):
            if "司法所负责人  司法所 反馈：村级培训[31m已全部完成" in _screen(session):
                break
            _keys(session, "PageDown")
            time.sleep(0.5)
        _wait_for(session, "司法所负责人  司法所 反馈：村级培训[31m已全部完成")
        _keys(session, "C-q")
        for _ in range(40):
            dead = subprocess.run(["tmux", "display-message", "-p", "-t", session, "#{pane_dead}"],
                                  capture_output=True, text=True).stdout.strip()
            if dead == "1":
                break
            time.sleep(0.25)
        else:
            pytest.fail("coordboard did not quit on Ctrl+Q")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_hostile_title_cannot_retitle_the_terminal(tmp_path: Path) -> None:
    """Rule: user text reaches the terminal only as visible text (an OSC title sequence in
    a task's title shows as ␛…, and the pane keeps its title)."""
    import sqlite3

    demo = tmp_path / "demo.db"
    env = f"COORDBOARD_DATA_DIR={tmp_path} COORDBOARD_CONFIG_DIR={tmp_path}"
    subprocess.run(f"{env} {coordboard_command()} demo --db {demo} --no-open", shell=True,
                   check=True, capture_output=True)
    with sqlite3.connect(demo) as conn:
        conn.execute("UPDATE task SET title = ? WHERE id = (SELECT min(id) FROM task)",
                     ("改名\x1b]0;pwned\x07\x1b]2;pwned\x1b\\标题",))
    session = f"cb-{uuid.uuid4().hex[:8]}"
    new_session(session, f"{env} {coordboard_command()} --db sqlite:///{demo}", 140, 36)
    try:
        before = subprocess.run(["tmux", "display-message", "-p", "-t", session, "#{pane_title}"],
                                capture_output=True, text=True).stdout
        _wait_for(session, "登录督办协同看板", timeout=60)
        _keys(session, "office", "Enter")
        _keys(session, "demo1234", "Enter")
        _wait_for(session, "待法治办决定")
        _keys(session, "b")
        _wait_for(session, "搜索编号或标题")
        _keys(session, "/")
        _keys(session, "-l", "改名")
        screen = _wait_for(session, "改名␛]0;pwned")
        assert "pwned" in screen
        after = subprocess.run(["tmux", "display-message", "-p", "-t", session, "#{pane_title}"],
                               capture_output=True, text=True).stdout
        assert "pwned" not in after and after == before
        _keys(session, "C-q")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_the_app_follows_the_terminal_not_stale_size_variables(tmp_path: Path) -> None:
    """Rule: the board is drawn at the terminal's size even when COLUMNS and LINES say
    otherwise (exported by a shell or left by a parent process), and follows a resize."""
    env = f"COORDBOARD_DATA_DIR={tmp_path} COORDBOARD_CONFIG_DIR={tmp_path}"
    session = f"cb-{uuid.uuid4().hex[:8]}"
    new_session(session, f"export COLUMNS=80 LINES=24; {env} {coordboard_command()} demo "
                         f"--db {tmp_path / 'demo.db'}", 120, 36)
    try:
        # The footer is drawn last: wait for its last entry too, then check where it is.
        screen = _wait_for(session, "登录督办协同看板", "demo1234", "命令", timeout=60)
        assert len(screen.splitlines()) == 36, screen
        footer = screen.splitlines()[-1]
        assert footer.rstrip().endswith("命令") and len(footer.rstrip()) > 100, screen
        subprocess.run(["tmux", "resize-window", "-t", session, "-x", "150", "-y", "40"],
                       check=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            footer = _screen(session).splitlines()[-1].rstrip()
            if footer.endswith("命令") and len(footer) > 130:
                break
            time.sleep(0.3)
        else:
            pytest.fail(f"the app did not follow the resize:\n{_screen(session)}")
        _keys(session, "C-q")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
