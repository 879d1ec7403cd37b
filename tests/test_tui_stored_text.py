"""Issue 9, item 9, in the TUI: an office user running English decides an extension at the
review and makes a task of the item. The screens say the machine-written parts in English
and show the typed Chinese unchanged; the new task's title is not prefilled with English;
the database holds no English sentence."""

import re

from sqlmodel import select
from test_stored_text import _english_in, _every_stored_text
from test_tui_review import _move_to, _open_form, _reload, _wait_loaded
from textual.widgets import Select
from tui_support import login, screen_text, settle, type_into

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.models import Task
from coordboard.tui.app import make_app
from coordboard.tui.screens.review import ReviewScreen
from coordboard.tui.screens.review_forms import DecisionForm, SpawnTaskForm
from coordboard.tui.screens.task import TaskScreen


async def test_an_english_office_user_at_the_review(demo_file: Database, frozen) -> None:
    app = make_app(Settings(language="en"), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        await pilot.press("v")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await _wait_loaded(pilot, screen)
        await pilot.press("s")
        await settle(pilot)
        await _reload(pilot, screen)

        extension = next(line for line in screen.lines.values()
                         if any(p.kind == "extension" for p in line.pending))
        _move_to(screen, extension.code)
        form = await _open_form(pilot, "d", DecisionForm)
        assert form.query_one("#field-choice", Select).value == "approve_extension"
        await type_into(pilot, "#field-text", "同意延期")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await _reload(pilot, screen)
        _move_to(screen, extension.code)
        await settle(pilot)
        assert "extension approved at the meeting: 同意延期" in screen_text(app)

        # The item's task: its title is what the office types, never generated words.
        form = await _open_form(pilot, "t", SpawnTaskForm)
        assert form.query_one("#field-title").value == ""
        await type_into(pilot, "#field-title", "延期事项跟踪")
        await type_into(pilot, "#field-workdays", "5")
        await pilot.press("ctrl+s")
        await settle(pilot)
        with demo_file.read() as session:
            spawned = session.exec(select(Task).where(Task.source == "meeting")
                                   .order_by(Task.id.desc())).first()  # type: ignore[union-attr]
        assert spawned is not None and spawned.title == "延期事项跟踪"
        assert spawned.description == ""

        app.open_task(spawned.code)
        for _ in range(50):
            await settle(pilot, 1)
            if isinstance(app.screen, TaskScreen) and "decided at the" in screen_text(app):
                break
        shown = screen_text(app)
        assert re.search(r"decided at the review of week \d+, \w+ \d+ – \w+ \d+ "
                         + re.escape(f"(from {extension.code}): extension approved at the "
                                     "meeting: 同意延期"), shown.replace("\n", " ")), shown
    assert _english_in(_every_stored_text(demo_file)) == []
