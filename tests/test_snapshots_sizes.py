"""Board, task, review and scoreboard at 80×24 and 160×50, in Chinese and in English
(issue 13: every screen useful at 80×24 and richer when wider). Clock frozen; one demo
town per session, copied for each snapshot."""

import pytest
from tui_support import login, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.tui.app import make_app
from coordboard.tui.screens.board import BoardScreen
from coordboard.tui.screens.review import ReviewScreen
from coordboard.tui.screens.scores import ScoresScreen
from coordboard.tui.screens.task import TaskScreen

SIZES = [(80, 24), (160, 50)]
LANGUAGES = ["zh", "en"]


async def _ready(pilot) -> None:
    for _ in range(100):
        await settle(pilot, 1)
        if getattr(pilot.app.screen, "loaded", True):
            break
    await settle(pilot)


async def _board(pilot) -> None:
    await pilot.press("b")
    await settle(pilot)
    assert isinstance(pilot.app.screen, BoardScreen)


async def _task(pilot) -> None:
    pilot.app.open_task("DB-2026-005")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TaskScreen)


async def _review(pilot) -> None:
    await pilot.press("v")
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    pilot.app.clear_notifications()
    screen.loaded = False
    screen.load()  # the agenda as started, whatever order the workers finished in


async def _scores(pilot) -> None:
    await pilot.press("k")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ScoresScreen)


SCREENS = {"board": ("office", _board), "task": ("sfs", _task), "review": ("office", _review),
           "scores": ("office", _scores)}


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, demo_copy: Database, screen: str, language: str,
                size: tuple[int, int]) -> None:
    username, steps = SCREENS[screen]
    app = make_app(Settings(language=language), demo_copy)

    async def run_before(pilot) -> None:
        await login(pilot, username)
        await steps(pilot)
        await _ready(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
