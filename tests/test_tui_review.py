"""The weekly review walked with Pilot: start, decide, decide a request inline, turn a
decision into a task, close (bulletin and ledger written), and a leader who only reads."""

from datetime import date

from docx import Document
from openpyxl import load_workbook
from sqlmodel import select
from textual.widgets import DataTable, Select, Static
from tui_support import login, screen_text, settle, type_into

from coordboard import paths
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.models import Department, ExtensionRequest, Review, SupervisionNote, Task
from coordboard.services import tasks
from coordboard.tui.app import make_app
from coordboard.tui.screens.review import ReviewScreen
from coordboard.tui.screens.review_forms import CloseReviewForm, DecisionForm, SpawnTaskForm


async def _wait_loaded(pilot, screen: ReviewScreen) -> None:
    for _ in range(100):
        await settle(pilot, 1)
        if screen.loaded:
            break


async def _reload(pilot, screen: ReviewScreen) -> None:
    screen.loaded = False
    screen.load()
    await _wait_loaded(pilot, screen)


def _move_to(screen: ReviewScreen, code: str) -> None:
    table = screen.query_one("#review-items", DataTable)
    row = next(index for index, line in enumerate(screen.lines.values()) if line.code == code)
    table.move_cursor(row=row)


async def _open_form(pilot, key: str, kind: type):
    await pilot.press(key)
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, kind), screen_text(pilot.app)
    return form


async def test_office_walks_a_review_from_start_to_close(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        await pilot.press("v")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await _wait_loaded(pilot, screen)
        assert "还没有督办例会记录" in screen_text(app)

        await pilot.press("s")
        await settle(pilot)
        await _reload(pilot, screen)
        assert len(screen.lines) == 23  # the demo's task behind its planned pace is yellow too
        text = screen_text(app)
        assert "红灯事项 3" in text and "待决请求 6" in text
        # Red tasks listed under other sections (newly overdue, requests) are counted too:
        # "红灯事项 3" alone read as "three red" where more were.
        red = sum(1 for line in screen.lines.values() if line.item.light == "red")
        assert red > 3 and f"议程中亮红灯共 {red} 项：红灯事项 3" in text

        # A decision sent as an urge on the first item (a red one).
        first = next(iter(screen.lines.values()))
        _move_to(screen, first.code)
        form = await _open_form(pilot, "d", DecisionForm)
        form.query_one("#field-choice", Select).value = "note:urge"
        await type_into(pilot, "#field-text", "限周五前报送整改说明")
        await type_into(pilot, "#field-respond_by", "2026-12-05")  # a Saturday: said, taken
        await settle(pilot)
        assert str(form.query_one("#day-off-respond_by", Static).render()) == (
            "注意：回复期限 2026-12-05 不是工作日（周末），请确认。")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await _reload(pilot, screen)
        assert screen.lines[str(first.item.id)].item.decision == "限周五前报送整改说明"

        # A criticism of one unit: the form offers the item's own units; a unit chosen
        # without a note is refused, with the note it goes to that unit alone.
        named = next(line for line in screen.lines.values()
                     if line.supporters and line.item.decision is None)
        _move_to(screen, named.code)
        form = await _open_form(pilot, "d", DecisionForm)
        unit = form.query_one("#field-unit", Select)
        offered = [str(label) for label, _value in unit._options]
        assert offered == ["整个事项（全部单位）", named.lead, *named.supporters]
        unit.value = next(value for label, value in unit._options
                          if str(label) == named.supporters[0])
        await type_into(pilot, "#field-text", "未按要求配合")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "选了单位" in str(form.query_one("#form-error", Static).render())
        form.query_one("#field-choice", Select).value = "note:criticism"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        with demo_file.read() as session:
            criticised = session.exec(
                select(Department.short_name).join(SupervisionNote,
                                                   SupervisionNote.department_id == Department.id)
                .join(Task).where(Task.code == named.code, SupervisionNote.kind == "criticism")
            ).all()
        assert criticised == [named.supporters[0]]

        # An extension decided inline: the offered first choice is to approve it.
        extension = next(line for line in screen.lines.values()
                         if any(p.kind == "extension" for p in line.pending))
        _move_to(screen, extension.code)
        form = await _open_form(pilot, "d", DecisionForm)
        assert form.query_one("#field-choice", Select).value == "approve_extension"
        # The request in full: who asks, for which date, why, and the deadline it moves.
        with demo_file.read() as session:
            asked = session.exec(select(ExtensionRequest).join(Task).where(
                Task.code == extension.code, ExtensionRequest.state == "pending")).one()
        hint = str(form.query_one(".hint", Static).render())
        assert f"申请延期至 {asked.new_deadline.isoformat()}（理由：{asked.reason}）" in hint
        assert f"现办理期限：{extension.deadline.isoformat()}" in hint
        await pilot.press("ctrl+s")
        await settle(pilot)
        with demo_file.read() as session:
            assert tasks.task_by_code(session, extension.code).deadline == date(2026, 12, 14)

        # A closure accepted in the meeting: the detail says the task is closed now, not "○ —".
        closure = next(line for line in screen.lines.values()
                       if any(p.kind == "closure" for p in line.pending))
        _move_to(screen, closure.code)
        form = await _open_form(pilot, "d", DecisionForm)
        assert form.query_one("#field-choice", Select).value == "accept"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await _reload(pilot, screen)
        _move_to(screen, closure.code)
        await settle(pilot)
        detail = str(screen.query_one("#review-detail", Static).render())
        assert "已办结" in detail and "○" not in detail

        # A decision becomes a new task, dispatched to the chosen lead unit.
        _move_to(screen, first.code)
        form = await _open_form(pilot, "t", SpawnTaskForm)
        assert form.query_one("#field-title").value == "限周五前报送整改说明"
        lead = form.query_one("#field-lead", Select)
        assert dict(form.units)[first.lead] == lead.value  # the item's lead, not the list's first
        assert form.units[0][0] != first.lead
        await type_into(pilot, "#field-workdays", "5")
        await pilot.press("ctrl+s")
        await settle(pilot)
        with demo_file.read() as session:
            spawned = session.exec(select(Task).where(Task.source == "meeting")
                                   .order_by(Task.id.desc())).first()
            assert spawned.title == "限周五前报送整改说明" and spawned.status == "assigned"

        # Closing asks for the attendees, then writes the bulletin and the ledger.
        form = await _open_form(pilot, "c", CloseReviewForm)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "必填" in screen_text(app)
        await type_into(pilot, "#field-attendees", "王主任、李科长")
        await pilot.press("ctrl+s")
        for _ in range(100):
            await settle(pilot, 1)
            if list(paths.exports_dir().glob("ledger-*.xlsx")):
                break
        with demo_file.read() as session:
            closed = session.exec(select(Review)).one()
            assert (closed.number, closed.state, closed.attendees) == (1, "closed", "王主任、李科长")
        doc = Document(str(paths.exports_dir() / "bulletin-1.docx"))
        assert [p.text for p in doc.paragraphs][:2] == ["督办通报", "第1期"]
        assert (paths.exports_dir() / "bulletin-1.md").read_text(encoding="utf-8").startswith("# 督办通报")
        ledger = load_workbook(paths.exports_dir() / "ledger-1.xlsx").active
        # Title and header, then every dispatched task (the demo's and the new one; no drafts).
        assert ledger.max_row == 2 + sum(1 for row in ledger.iter_rows(min_row=3) if row[1].value)
        assert ledger.max_row > 40

        # A closed review is read-only: the dialog does not even open.
        await _reload(pilot, screen)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert "已结束并封存" in screen_text(app)


async def test_a_leader_reads_the_review_but_cannot_start_one(demo_file: Database, frozen) -> None:
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "leader")
        await pilot.press("v")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await _wait_loaded(pilot, screen)
        footer = screen_text(app).splitlines()[-1]
        assert "考核" in footer and "开始例会" not in footer and "议定" not in footer
        await pilot.press("s")
        await settle(pilot)
        with demo_file.read() as session:
            assert session.exec(select(Review)).first() is None


async def test_the_scoreboard_shows_ranking_evidence_and_pairs(demo_file: Database, frozen) -> None:
    from coordboard.tui.screens.scores import ScoresScreen

    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "office")
        await pilot.press("k")
        screen = app.screen
        assert isinstance(screen, ScoresScreen)
        for _ in range(100):
            await settle(pilot, 1)
            if screen.loaded:
                break
        ranking = screen.query_one("#score-ranking", DataTable)
        assert ranking.row_count == len(screen.board.ranking) > 0
        assert screen.query_one("#score-pairs", DataTable).row_count == len(screen.board.pairs)
        top = screen.board.ranking[0]
        evidence = screen.query_one("#score-evidence", DataTable)
        assert evidence.row_count == len([e for e in screen.board.evidence
                                          if e.department_id == top.department_id])
        await type_into(pilot, "#score-from", "2026-13-01")
        screen.query_one("#score-from").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "YYYY-MM-DD" in screen_text(app)
        screen.query_one("#score-ranking").focus()  # "e" in the date box would be typed
        from coordboard.tui.widgets.export_progress import ExportProgress

        strip = screen.query_one(ExportProgress)
        shown: list[str] = []
        real_start = strip.start
        strip.start = lambda what: (shown.append(what), real_start(what))[1]  # type: ignore[method-assign]
        await pilot.press("e")
        assert shown == ["正在导出考核得分"]  # said at once: a month at 100k takes ~10 s
        for _ in range(50):
            await settle(pilot, 1)
            if list(paths.exports_dir().glob("考核积分-*.xlsx")) and not strip.has_class("-running"):
                break
        assert not strip.has_class("-running")
        book = load_workbook(next(paths.exports_dir().glob("考核积分-*.xlsx")))
        assert book.sheetnames == ["排名", "计分依据", "协同情况"]
