"""Every form at 80×24: its submit button is on screen (not below the fold), focusable, and
pressing it does the action; its heading stays in view (issue 13 item 1)."""

from sqlmodel import select
from textual.geometry import Region
from textual.widgets import Button, Select, Static
from tui_support import login, settle, type_into

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.models import Feedback, SupervisionNote, Task
from coordboard.services import directory
from coordboard.tui.app import make_app
from coordboard.tui.screens.action_form import ActionForm
from coordboard.tui.screens.register import RegisterScreen
from coordboard.tui.screens.review import ReviewScreen
from coordboard.tui.screens.review_forms import ReviewForm
from coordboard.tui.screens.task import TaskScreen

SIZE = (80, 24)
CODE = "DB-2026-005"


def _in_view(app, selector: str) -> Button:
    """The widget is drawn on screen, uncovered: the screen finds it under its own middle."""
    widget = app.screen.query_one(selector)
    region = widget.region
    assert Region(0, 0, *SIZE).contains_region(region), (selector, region)
    found, _ = app.screen.get_widget_at(region.x + region.width // 2, region.y + region.height // 2)
    assert found is widget or widget in found.ancestors, (selector, found)
    return widget


async def _submit(pilot, selector: str = "#form-submit") -> None:
    """Focus the button (a keyboard user's Tab would land there) and press it."""
    button = _in_view(pilot.app, selector)
    if pilot.app.screen.query(".dialog-title"):  # the form's heading, too, is in view
        _in_view(pilot.app, ".dialog-title")
    button.focus()
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


async def _form(pilot, action: str) -> ActionForm:
    screen = pilot.app.screen
    assert isinstance(screen, TaskScreen)
    screen.start_action(action)
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, ActionForm) and form.action == action
    return form


async def _task(pilot) -> TaskScreen:
    pilot.app.open_task(CODE)
    for _ in range(50):
        await settle(pilot, 1)
        if getattr(pilot.app.screen, "detail", None) is not None:
            break
    await settle(pilot)
    assert isinstance(pilot.app.screen, TaskScreen)
    return pilot.app.screen


def _count(db: Database, model, **where) -> int:
    with db.read() as session:
        task_id = session.exec(select(Task.id).where(Task.code == CODE)).one()
        return len(session.exec(select(model).where(model.task_id == task_id)).all())


async def test_a_head_s_forms_fit_80_by_24(demo_copy: Database) -> None:
    app = make_app(Settings(), demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "sfs")
        task = await _task(pilot)
        before = _count(demo_copy, Feedback)
        await _form(pilot, "feedback")
        await type_into(pilot, "#field-body", "已完成首批培训")
        await _submit(pilot)
        assert app.screen is task and _count(demo_copy, Feedback) == before + 1

        form = await _form(pilot, "request_extension")
        await type_into(pilot, "#field-new_deadline", "2027-01-15")
        await type_into(pilot, "#field-reason", "配合单位材料未齐")
        await _submit(pilot)
        assert app.screen is task, str(form.query_one("#form-error", Static).render())
        assert task.detail is not None and task.detail.pending_extension is not None


async def test_the_office_s_forms_fit_80_by_24(demo_copy: Database) -> None:
    app = make_app(Settings(), demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "office")
        task = await _task(pilot)
        notes = _count(demo_copy, SupervisionNote)
        await _form(pilot, "note")  # four fields: taller than 24 rows, the fields scroll
        await type_into(pilot, "#field-body", "请于周五前书面说明")
        await _submit(pilot)
        assert app.screen is task and _count(demo_copy, SupervisionNote) == notes + 1

        form = await _form(pilot, "edit")  # the tallest form
        leader = form.query_one("#field-leader_id", Select)  # a list of the leader users
        with demo_copy.read() as session:
            chosen = directory.user_by_name(session, "zhoujj").id
        leader.value = chosen
        await pilot.pause()
        await _submit(pilot)
        assert app.screen is task and task.detail is not None
        assert (task.detail.task.leader_id, task.detail.leader) == (chosen, "周建军")


async def test_the_review_s_forms_fit_80_by_24(demo_copy: Database) -> None:
    app = make_app(Settings(), demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "office")
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot, 6)
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.lines
        review.query_one("#review-items").focus()
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ReviewForm)
        choice = app.screen.query_one("#field-choice", Select)
        choice.value = "record"
        await type_into(pilot, "#field-text", "下周再议")
        await _submit(pilot)
        assert app.screen is review
        await settle(pilot, 4)
        assert any(line.decision == "下周再议" for line in review.lines.values())

        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, ReviewForm)
        await type_into(pilot, "#field-title", "建立调解员名册")
        await _submit(pilot)
        assert app.screen is review

        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ReviewForm)
        await type_into(pilot, "#field-attendees", "王督查、李所长")
        await _submit(pilot)
        assert app.screen is review
        await settle(pilot, 4)
        assert review.review_row is not None and review.review_row.state == "closed"


async def test_saving_a_filter_and_registering_fit_80_by_24(demo_copy: Database) -> None:
    app = make_app(Settings(), demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "office")
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await type_into(pilot, "#filter-name", "全部")
        await _submit(pilot, "#filter-save")
        assert app.screen.__class__.__name__ == "BoardScreen"

        app.action_register()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RegisterScreen)
        await type_into(pilot, "#reg-title", "镇村两级法律顾问全覆盖")
        lead = screen.query_one("#reg-lead", Select)
        lead.value = next(uid for uid, name in screen.units if name == "司法所")
        await type_into(pilot, "#reg-deadline", "2026-12-31")
        screen.query_one("#reg-dispatch", Button).focus()  # scrolls the form to its buttons
        await settle(pilot)
        _in_view(app, "#reg-dispatch")
        await pilot.press("enter")
        await settle(pilot, 6)
        assert isinstance(app.screen, TaskScreen)


async def test_the_register_form_opens_at_its_top(demo_file: Database) -> None:
    """The first field's label is in view when the form opens (a helper found it opened
    scrolled past "标题 *", the typing cursor in a box with no name)."""
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "office")
        app.action_register()
        await settle(pilot, 6)
        assert isinstance(app.screen, RegisterScreen)
        assert app.screen.query_one("#register").scroll_y == 0
        _in_view(app, "#register > .field-label")
        assert app.focused is app.screen.query_one("#reg-title")
