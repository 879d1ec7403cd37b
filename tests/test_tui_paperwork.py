"""Closing a review in the TUI when its files cannot be written (issue 9.3): the review is
sealed, and the user is told so, and which command writes the files again."""

from tui_support import login, settle, type_into

from coordboard import paths
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.tui.app import make_app
from coordboard.tui.screens.review import ReviewScreen
from coordboard.tui.screens.review_forms import CloseReviewForm


async def test_a_failed_write_after_sealing_names_the_command(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    messages: list[str] = []
    real_notify = app.notify

    def notify(message, *args, **kwargs):  # every toast, as the user would read it
        messages.append(str(message))
        return real_notify(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("s")
        for _ in range(50):
            await settle(pilot, 1)
            if app.screen.review_row is not None:
                break
        exports = paths.exports_dir()
        exports.parent.mkdir(parents=True, exist_ok=True)
        exports.write_text("a file where the exports folder should be")
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CloseReviewForm)
        await type_into(pilot, "#field-attendees", "王主任")
        await pilot.press("ctrl+s")
        for _ in range(100):
            await settle(pilot, 1)
            if any("coordboard report review" in m for m in messages):
                break
    failed = next(m for m in messages if "coordboard report review" in m)
    assert "已结束并封存（第1期）" in failed and "coordboard report review 1" in failed
