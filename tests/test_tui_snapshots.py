"""Snapshots of the homes and a form, in Chinese and in English (clock frozen, textual pinned).
The board, task, review and scoreboard are captured at 80×24 and 160×50 in
test_snapshots_sizes.py.

Every column has a fixed width and each screen is captured only after its rows
and counts have arrived, so a snapshot changes only when the drawing does.
"""

import pytest
from tui_support import login, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.tui.app import make_app

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
def test_feedback_form(snap_compare, demo_file: Database, frozen, language: str) -> None:
    async def steps(pilot) -> None:
        pilot.app.open_task("DB-2026-005")
        await _ready(pilot)
        await pilot.click("#act-feedback")
        await settle(pilot)
        await pilot.click("#form-submit")  # shows the inline "required" message
        await settle(pilot)

    assert _snapshot(snap_compare, demo_file, language, "sfs", steps)
