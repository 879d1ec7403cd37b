"""Every screen after every state: databases made by the random-office state machine (and
the demo after ``task escalate``) are opened by each role, and home, every page of the
board, each task, the review and the scoreboard are drawn.

Asserted for each: the screen draws without raising, and no drawn cell holds a raw
control character (what the compositor would send to the terminal is checked segment
by segment, so an escape sequence in user text cannot hide among Textual's own).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from test_state_machine import Office
from tui_support import settle

from coordboard import token_store
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.safe_text import is_safe
from coordboard.services.auth import login

ROLES = ("office", "head0", "head3", "leader", "admin")


def unsafe_cells(app: Any) -> list[str]:
    """Text segments of the drawn screen that hold a control character."""
    update = app.screen._compositor.render_full_update()
    found = []
    for line in update.strips:
        for strip in line:
            for segment in strip:
                if not segment.control and not is_safe(segment.text):
                    found.append(repr(segment.text))
    return found


def explored_databases(folder: Path, sqlite_template: Path, count: int) -> list[Path]:
    """Run the state machine on SQLite and keep the databases it leaves behind."""
    kept: list[Path] = []
    numbers = iter(range(10_000))

    def make_url() -> tuple[str, Any]:
        target = folder / f"explored-{next(numbers)}.db"
        shutil.copy(sqlite_template, target)

        def keep() -> None:
            kept.append(target)
        return f"sqlite:///{target}", keep

    machine = type("Explorer", (Office,), {"make_url": staticmethod(make_url), "out_dir": folder,
                                           "check_reports": False})
    run_state_machine_as_test(machine, settings=settings(
        max_examples=count, stateful_step_count=30, deadline=None,
        suppress_health_check=list(HealthCheck)))
    return kept[-count:]


async def _visit_everything(url: str, username: str, language: str) -> list[str]:
    from coordboard.tui.app import make_app
    from coordboard.tui.screens.board import PAGE_SIZE, BoardScreen

    database = Database.from_url(url)
    try:
        token, _actor = login(database, username=username, password="secret1",
                              settings=Settings())
    except Exception:  # noqa: BLE001 - a user the random office never created
        database.dispose()
        return []
    token_store.save(url, token)
    with database.read() as session:
        from sqlmodel import select

        from coordboard.models import Task

        codes = list(session.exec(select(Task.code)).all())
    problems: list[str] = []
    app = make_app(Settings(db_url=url, language=language), database, refresh_seconds=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        problems += [f"home: {cell}" for cell in unsafe_cells(app)]
        app.action_board()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        for _ in range(1 + len(codes) // PAGE_SIZE):
            problems += [f"board: {cell}" for cell in unsafe_cells(app)]
            screen.action_page(1)
            await settle(pilot)
        for code in codes:
            app.open_task(code)
            await settle(pilot)
            problems += [f"{code}: {cell}" for cell in unsafe_cells(app)]
            app.pop_screen()
            await settle(pilot)
        for action in (app.action_review, app.action_scores):
            action()
            await settle(pilot)
            problems += [f"{action.__name__}: {cell}" for cell in unsafe_cells(app)]
    database.dispose()
    return problems


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_every_screen_of_random_offices_draws_safely(tmp_path: Path, sqlite_template: Path,
                                                          frozen, language: str) -> None:
    problems: list[str] = []
    for path in explored_databases(tmp_path, sqlite_template, count=2):
        for username in ROLES:
            problems += await _visit_everything(f"sqlite:///{path}", username, language)
    assert problems == []
