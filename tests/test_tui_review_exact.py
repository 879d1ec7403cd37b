"""Issue 11 item 8 on the review screen: the light now (and the new one after a decision),
the comment kept with an accepted closure, one task per item, and a second review in a week
whose review is closed only after the office confirms it."""

from sqlmodel import select
from textual.widgets import Button, Select
from tui_support import login, screen_text, settle, type_into

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.models import Review
from coordboard.services import review
from coordboard.tui.app import make_app
from coordboard.tui.screens.confirm import ConfirmDialog
from coordboard.tui.screens.review import ReviewScreen
from coordboard.tui.screens.review_forms import DecisionForm
from tests.test_tui_review import _move_to, _open_form, _reload, _wait_loaded


async def _open_review_screen(pilot) -> ReviewScreen:  # type: ignore[no-untyped-def]
    await login(pilot, "office")
    await pilot.press("v")
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    await _wait_loaded(pilot, screen)
    return screen


async def test_accepting_a_closure_keeps_the_comment_and_shows_the_new_light(
        demo_file: Database, frozen) -> None:  # type: ignore[no-untyped-def]
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _open_review_screen(pilot)
        await pilot.press("s")
        await settle(pilot)
        await _reload(pilot, screen)
        closure = next(line for line in screen.lines.values()
                       if any(p.kind == "closure" for p in line.pending))
        was = closure.item.light
        _move_to(screen, closure.code)
        form = await _open_form(pilot, "d", DecisionForm)
        assert form.query_one("#field-choice", Select).value == "accept"
        await type_into(pilot, "#field-text", "材料齐全，同意销号")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await _reload(pilot, screen)
        line = screen.lines[str(closure.item.id)]
        assert "材料齐全，同意销号" in line.decision
        assert line.light_now == "none" and line.light_changed
        assert f"{'绿灯' if was == 'green' else '黄灯' if was == 'yellow' else '红灯'}→已办结" \
            in screen_text(app)


async def test_a_second_review_in_a_closed_week_asks_first(demo_file: Database, frozen) -> None:  # type: ignore[no-untyped-def]
    settings = Settings()
    with demo_file.write() as session:
        from coordboard.services import directory
        from coordboard.services.auth import actor_of

        office = actor_of(directory.user_by_name(session, "office"))
        started = review.start(session, actor=office, settings=settings, attendees="王主任")
        review.close(session, actor=office, review_id=started.id or 0, attendees="王主任",
                     force=True)
    app = make_app(settings, demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_review_screen(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog), screen_text(app)
        assert "第1期" in screen_text(app) and "再开一次" in screen_text(app)
        await pilot.press("escape")  # not confirmed: nothing started
        await settle(pilot)
        assert app.screen is screen
        with demo_file.read() as session:
            assert len(session.exec(select(Review)).all()) == 1

        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm-yes")
        await settle(pilot)
        with demo_file.read() as session:
            reviews = session.exec(select(Review).order_by(Review.id)).all()
        assert [r.state for r in reviews] == ["closed", "open"]
        assert app.screen is screen and not isinstance(app.screen.focused, Button)


async def test_the_light_column_is_as_wide_as_what_it_shows(demo_file: Database, frozen) -> None:  # type: ignore[no-untyped-def]
    """At 80 columns in English the light took 20 cells for "yellow → suspended" on every
    agenda, leaving the title 12; it is as wide as its widest cell on screen."""
    from rich.cells import cell_len

    from coordboard.i18n import t
    from coordboard.tui.widgets.tables import RowTable

    app = make_app(Settings(language="en"), demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_review_screen(pilot)
        await pilot.press("s")
        await settle(pilot)
        await _reload(pilot, screen)
        table = screen.query_one("#review-items", RowTable)

        def light_width() -> int:
            return next(column.width for column in table.columns.values()
                        if str(column.label).strip() == t("tui.col.light"))

        assert light_width() == cell_len("● yellow")
        closure = next(line for line in screen.lines.values()
                       if any(p.kind == "closure" for p in line.pending))
        _move_to(screen, closure.code)
        await _open_form(pilot, "d", DecisionForm)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await _reload(pilot, screen)
        changed = t("review.light_changed", was=t(f"light.{closure.item.light}"),
                    now=t("status.closed"))
        assert light_width() == cell_len(changed)  # the changed light shown whole
        assert changed in screen_text(app)
