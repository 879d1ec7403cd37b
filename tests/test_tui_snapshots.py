"""Snapshots of the key screens, in Chinese and in English (clock frozen, textual pinned).

Every column has a fixed width and each screen is captured only after its rows
and counts have arrived, so a snapshot changes only when the drawing does.
"""

import pytest
from tui_support import login, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.tui.app import make_app
from coordboard.tui.screens.board import BoardScreen
from coordboard.tui.screens.task import TaskScreen

SIZE = (110, 32)


async def _ready(pilot, attribute: str = "loaded") -> None:
    for _ in range(100):
        await settle(pilot, 1)
        if getattr(pilot.app.screen, attribute, True):
            break
    await settle(pilot)


def _snapshot(snap_compare, demo_file: Database, language: str, username: str, steps) -> bool:
    app = make_app(Settings(language=language), demo_file)

    async def run_before(pilot) -> None:
        await login(pilot, username)
        await steps(pilot)
        await _ready(pilot)

    return snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_head_home(snap_compare, demo_file: Database, frozen, language: str) -> None:
    async def steps(pilot) -> None:
        pass

    assert _snapshot(snap_compare, demo_file, language, "sfs", steps)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_office_home(snap_compare, demo_file: Database, frozen, language: str) -> None:
    async def steps(pilot) -> None:
        pass

    assert _snapshot(snap_compare, demo_file, language, "office", steps)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_board(snap_compare, demo_file: Database, frozen, language: str) -> None:
    async def steps(pilot) -> None:
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(pilot.app.screen, BoardScreen)

    assert _snapshot(snap_compare, demo_file, language, "office", steps)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_task_detail(snap_compare, demo_file: Database, frozen, language: str) -> None:
    async def steps(pilot) -> None:
        pilot.app.open_task("DB-2026-005")
        await settle(pilot)
        assert isinstance(pilot.app.screen, TaskScreen)

    assert _snapshot(snap_compare, demo_file, language, "sfs", steps)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_feedback_form(snap_compare, demo_file: Database, frozen, language: str) -> None:
    async def steps(pilot) -> None:
        pilot.app.open_task("DB-2026-005")
        await _ready(pilot)
        await pilot.click("#act-feedback")
        await settle(pilot)
        await pilot.click("#form-submit")  # shows the inline "required" message
        await settle(pilot)

    assert _snapshot(snap_compare, demo_file, language, "sfs", steps)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_review(snap_compare, demo_file: Database, frozen, language: str) -> None:
    from coordboard.tui.screens.review import ReviewScreen

    async def steps(pilot) -> None:
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen)
        pilot.app.clear_notifications()
        screen.loaded = False
        screen.load()  # the agenda as started, whatever order the workers finished in

    assert _snapshot(snap_compare, demo_file, language, "office", steps)


def test_scores(snap_compare, demo_file: Database, frozen) -> None:
    from coordboard.tui.screens.scores import ScoresScreen

    async def steps(pilot) -> None:
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ScoresScreen)

    assert _snapshot(snap_compare, demo_file, "zh", "office", steps)
