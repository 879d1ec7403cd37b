"""One task: its fields, units, light with reasons, merged timeline, and the user's actions."""

import asyncio
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Header, Label, Static

from coordboard.db import SQLAlchemyError
from coordboard.errors import CoordboardError
from coordboard.i18n import t
from coordboard.services.attachments import size_text
from coordboard.services.detail import ActionState, TaskDetail, task_detail
from coordboard.services.sources import described
from coordboard.tui import format as fmt
from coordboard.tui.base import AppScreen
from coordboard.tui.exports import stamped, write_in_worker
from coordboard.tui.widgets.action_bar import MORE_ID, ActionBar
from coordboard.tui.widgets.footer import KeysFooter
from coordboard.tui.widgets.row_fit import flowed
from coordboard.tui.widgets.tables import RowTable, add_columns, refill, selected_key


class TaskScreen(AppScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "tui.key.back"),
        Binding("a", "actions", "tui.key.actions"),
        Binding("r", "reload", "tui.key.refresh"),
        Binding("w", "why_not", "tui.key.why_not"),
        Binding("s", "save_attachment", "tui.key.save_attachment"),
        Binding("n", "export_notice", "tui.key.notice"),
        Binding("u", "export_urge", "tui.key.urge"),
    ]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code
        self.detail: TaskDetail | None = None
        self._buttons_for: tuple[str, ...] | None = None  # the actions the buttons show
        self._focus_main = True  # the main action's button takes the focus when next shown
        # Two loads can deliver at once (a refresh while the previous one still awaits its
        # mount); rebuilding the buttons one at a time keeps their ids unique.
        self._buttons_lock = asyncio.Lock()

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="task-body"):
            yield Static(t("tui.loading"), id="task-head")
            yield ActionBar(id="task-actions")  # what the user can do now, first
            # What the user cannot do now, and why: one key (w) away, not in the way.
            yield Static("", id="task-why-hint", classes="hint")
            yield Static("", id="task-why-not", classes="hidden")
            yield Label(t("tui.task.units"), classes="section-title")
            yield RowTable(id="task-units")
            # Stages (阶段节点) between the units and the history: a line each, so at 80×24
            # the newest history still shows on the first screen.
            yield Static("", id="task-stages")
            yield Label(t("tui.task.timeline"), classes="section-title")
            yield Static("", id="task-timeline")
            # Evidence last: at 80×24 the units and the newest history stay on the first
            # screen; `s` (in the footer) saves a file from here.
            yield Label(t("tui.task.attachments"), classes="section-title")
            yield Static(t("tui.task.no_attachments"), id="task-no-attachments", classes="hint")
            yield RowTable(id="task-attachments")
        yield KeysFooter()

    def on_mount(self) -> None:
        add_columns(self.query_one("#task-units", RowTable),
                    [("unit", 10, 0, 1), ("role", 4), ("part", 16, 0, 3), ("acknowledged", 16, 1, 0),
                     ("last_feedback", 10), ("contest", 8, 2, 0)])
        add_columns(self.query_one("#task-attachments", RowTable),
                    [("file", 28, 0, 2), ("size", 8), ("attached_to", 10, 1, 0), ("uploader", 12, 1, 0),
                     ("uploaded_at", 16, 2, 0)])
        self.load()

    def reopen(self) -> "TaskScreen":
        return TaskScreen(self.code)

    def data_changed(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        app = self.board_app
        assert app.actor is not None
        try:
            with app.db.read() as session:
                detail = task_detail(session, actor=app.actor, code=self.code,
                                     ctx=app.light_context(session), settings=app.settings)
        except CoordboardError as exc:
            self.from_worker(self._missing, str(exc))
            return
        except SQLAlchemyError as exc:
            app.call_from_thread(app.report_db_error, exc)
            return
        self.from_worker(self._show, detail)

    def _missing(self, message: str) -> None:
        self.query_one("#task-head", Static).update(fmt.plain(message, style="bold red"))

    async def _show(self, detail: TaskDetail) -> None:
        self.detail = detail
        self._show_head()
        refill(self.query_one("#task-units", RowTable), (
            (f"{index}", [fmt.plain(u.department), Text(t(f"unit_role.{u.role}")), fmt.plain(u.part),
                          Text(fmt.instant(u.acknowledged_at, self.board_app.settings.timezone)
                               if u.acknowledged_at else t("tui.task.not_acknowledged"),
                               style="" if u.acknowledged_at else "yellow"),
                          Text(fmt.ago(u.last_feedback_at)),
                          Text(t(f"tui.contest.{u.contest_state}"))])
            for index, u in enumerate(detail.units)))
        self._show_attachments(detail)
        stages = self.query_one("#task-stages", Static)
        stages.update(_stages(detail, self.board_app.settings.timezone))
        stages.display = bool(detail.stages)
        self.query_one("#task-timeline", Static).update(
            _timeline(detail, self.board_app.settings.timezone))
        await self._show_actions(detail.actions)
        self.loaded = True

    def action_export_notice(self) -> None:
        """The task's 督办通知单 (one per task), as ``coordboard report notice`` writes it."""
        from coordboard.services.reports import notice

        app = self.board_app

        def write(session: Any, path: Path) -> None:
            notice.to_docx(notice.build(session, app.settings, self.code, actor=app.actor), path)

        write_in_worker(self, t("report.notice"),
                        stamped(f"{t('tui.file.notice')}-{self.code}", app.settings.timezone,
                                ".docx"), write)

    def action_export_urge(self) -> None:
        """The latest 催办通知单 or 督办函 sent on the task (``coordboard report urge``)."""
        from coordboard.services.reports import notice

        app = self.board_app

        def write(session: Any, path: Path) -> None:
            notice.urge_to_docx(notice.build_urge(session, app.settings, self.code,
                                                  actor=app.actor), path)

        write_in_worker(self, t("report.urge"),
                        stamped(f"{t('tui.file.urge')}-{self.code}", app.settings.timezone,
                                ".docx"), write)

    def _show_head(self) -> None:
        if self.detail is not None:
            head = self.query_one("#task-head", Static)
            head.update(_head(self.detail, self.board_app.settings.timezone, head.size.width))

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_head)  # its fields flow to the new width

    def _show_attachments(self, detail: TaskDetail) -> None:
        timezone = self.board_app.settings.timezone
        table = self.query_one("#task-attachments", RowTable)
        refill(table, ((str(a.id), [
            fmt.plain(a.name), Text(size_text(a.size)),
            Text(t(f"attach.link.{a.link}", id=a.link_id or "")),
            fmt.plain(" ".join(part for part in (a.unit, a.uploader) if part) or "—"),
            Text(fmt.instant(a.uploaded_at, timezone))]) for a in detail.attachments))
        table.display = bool(detail.attachments)
        self.query_one("#task-no-attachments", Static).display = not detail.attachments

    def action_save_attachment(self) -> None:
        from pathlib import Path

        from coordboard.tui.screens.save_attachment import SaveAttachmentForm

        chosen = selected_key(self.query_one("#task-attachments", RowTable))
        item = next((a for a in self.detail.attachments if str(a.id) == chosen), None) \
            if self.detail is not None else None
        if item is None:
            self.notify(t("tui.attach.none_chosen"), severity="warning", markup=False)
            return
        if getattr(self.app, "served", False):
            self._download_attachment(item.id)  # a server folder means nothing in a browser
            return
        self.app.push_screen(SaveAttachmentForm(self.code, item, str(Path.home())))

    @work(thread=True, exclusive=True, group="attachment-download")
    def _download_attachment(self, attachment_id: int) -> None:
        """In a browser session: written to the server's exports folder, then sent to the
        browser as a download (the stored name made safe, as when saved at a terminal)."""
        from coordboard import paths
        from coordboard.services import attachments
        from coordboard.services.tasks import task_by_code
        from coordboard.tui.exports import failure_message, hand_over

        app = self.board_app
        folder = paths.exports_dir() / "attachments"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with app.db.read() as session:
                path = attachments.save(session, task=task_by_code(session, self.code),
                                        attachment_id=attachment_id, target=folder,
                                        overwrite=True)
        except (CoordboardError, SQLAlchemyError, OSError) as exc:
            app.call_from_thread(app.notify, failure_message(exc), severity="error",
                                 markup=False)
            return
        app.call_from_thread(hand_over, app, t("tui.attach.saved", path=str(path)), path)

    async def _show_actions(self, actions: list[ActionState]) -> None:
        bar = self.query_one("#task-actions", ActionBar)
        enabled = [a for a in actions if a.enabled]
        wanted = tuple(a.action for a in enabled)
        async with self._buttons_lock:
            if wanted != self._buttons_for:
                # Rebuilt only when they change: a refresh (every few seconds when others
                # work) must not make the buttons blink away under the user's mouse.
                await bar.show([(a.action, fmt.action(a.action)) for a in enabled])
                self._buttons_for = wanted
            if self._focus_main:
                # The main action has the focus when the screen opens and after the user's
                # own action (its button rebuilt away): Enter does it, and the focus is seen.
                # Not after others' changes: the user may be scrolling the history.
                self._focus_main = False
                bar.focus_first()
        self._show_why_not(actions)

    def _show_why_not(self, actions: list[ActionState]) -> None:
        """The panel lists only this role's actions (the others are never offered)."""
        # An action's own rule first (what the user can change), then the lifecycle's.
        blocked = sorted((state for state in actions if not state.enabled),
                         key=lambda state: state.by_status)
        panel = Text(t("tui.task.why_not_title") + "\n", style="bold")
        for state in blocked:
            panel.append(f"✕ {t(f'action.{state.action}')}{t('tui.colon')}", style="bold")
            panel.append(fmt.safe(state.reason) + "\n", style="dim")
        if not blocked:
            panel.append(t("tui.task.why_not_none"), style="dim")
        panel.rstrip()
        self.query_one("#task-why-not", Static).update(panel)
        hint = self.query_one("#task-why-hint", Static)
        hint.update(t("tui.task.why_not_hint", count=len(blocked)) if blocked else "")
        hint.display = bool(blocked) and not self.why_not_shown

    @property
    def why_not_shown(self) -> bool:
        return not self.query_one("#task-why-not", Static).has_class("hidden")

    def action_why_not(self) -> None:
        panel = self.query_one("#task-why-not", Static)
        panel.toggle_class("hidden")
        if self.detail is not None:
            self._show_why_not(self.detail.actions)
        if self.why_not_shown:
            self.query_one("#task-body", VerticalScroll).scroll_to_widget(panel, animate=False)

    @on(Button.Pressed, "#task-actions Button")
    def _action_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == MORE_ID:
            self.action_actions()
        else:
            self.start_action((event.button.id or "").removeprefix("act-"))

    def action_actions(self) -> None:
        from coordboard.tui.screens.action_menu import ActionMenu

        if self.detail is None:
            return
        self.app.push_screen(ActionMenu(self.detail.actions), self._menu_chosen)

    def _menu_chosen(self, action: str | None) -> None:
        if action:
            self.start_action(action)

    def start_action(self, action: str) -> None:
        from coordboard.tui.screens.action_form import ActionForm

        detail = self.detail
        if detail is None:
            return
        state = next((a for a in detail.actions if a.action == action), None)
        if state is None or not state.enabled:
            self.notify(state.reason if state else t("tui.task.not_yours"), severity="warning",
                        markup=False)
            return
        if action == "edit_stages":  # its own form: add, change or remove a stage
            from coordboard.tui.screens.stage_form import StageForm

            self.app.push_screen(StageForm(detail), self._after_action)
            return
        self.app.push_screen(ActionForm(detail, action), self._after_action)

    def _after_action(self, result: str | None) -> None:
        if result is not None:
            self._focus_main = True
            self.load()


def _head(detail: TaskDetail, timezone: str, width: int) -> Text:
    task, verdict = detail.task, detail.verdict
    head = Text()
    head.append(f"{fmt.safe(task.code)}  ", style="bold")
    head.append(fmt.safe(task.title) + "\n", style="bold")
    colon = t("tui.colon")
    head.append(f"{t('tui.col.status')}{colon}{t(f'status.{task.status}')}    ")
    head.append_text(fmt.light(verdict.light.value))
    if verdict.reasons:
        head.append("  " + fmt.safe(t("tui.semicolon").join(verdict.reasons)))
    head.append("\n")
    head.append(t("tui.task.deadline", deadline=fmt.day(task.deadline)))
    if verdict.workdays_left is not None:  # the clock runs
        head.append("  ")
        head.append_text(fmt.workdays_left(verdict.workdays_left))
        # The working days say early or late ("逾期4"); the calendar days beside them are a
        # count, never negative ("逾期4（-4 个自然日）" read as a sum to work out).
        head.append(t("tui.task.calendar_days", days=abs(detail.calendar_days_left)))
    if task.original_deadline != task.deadline:
        head.append("  " + t("tui.task.original_deadline", deadline=fmt.day(task.original_deadline,
                                                                            weekday=False)))
    if detail.unofficial_calendar:
        head.append("\n" + t("cli.calendar_unofficial", year=task.deadline.year), style="yellow")
    head.append("\n")
    fields = [
        (t("tui.task.lead"), detail.lead),
        (t("tui.task.leader"), (detail.leader + ("" if detail.leader_is_user
                                                 else t("leader.not_a_user"))) if detail.leader
         else "—"),
        (t("tui.task.source"), described(task.source, task.instruction_by,
                                         task.instruction_date)),
        (t("tui.task.priority"), t(f"priority.{task.priority}")),
        (t("tui.task.category"), task.category or "—"),
        (t("tui.task.returns"), str(task.return_count)),
        (t("tui.task.dispatched"), fmt.instant(task.dispatched_at, timezone)),
    ]
    head.append(flowed([f"{name}{colon}{fmt.safe(value)}" for name, value in fields], width) + "\n")
    if detail.recurrence:
        head.append(fmt.safe(detail.recurrence) + "\n", style="dim")
    if task.instruction_text:  # 批示内容, as typed
        head.append(f"{t('tui.task.instruction')}{colon}")
        head.append(fmt.lines(task.instruction_text) + "\n")
    if detail.description:
        head.append(fmt.lines(detail.description) + "\n", style="italic")
    head.rstrip()  # no blank line before the actions
    return head


def _timeline(detail: TaskDetail, timezone: str) -> Text:
    lines = Text()
    for entry, description in reversed(detail.timeline):  # newest first
        lines.append(fmt.instant(entry.at, timezone) + "  ", style="dim")
        lines.append(fmt.safe(entry.actor or t("tui.task.system")) + "  ", style="bold")
        lines.append(fmt.safe(description) + "\n")
    return lines


def _stages(detail: TaskDetail, timezone: str) -> Text:
    """"阶段节点  ① 12-10 调研（司法所）已完成（…）", one stage a line, a late one in yellow."""
    from coordboard.services.lights import number

    lines = Text()
    for index, stage in enumerate(detail.stages):
        lines.append((t("tui.task.stages") if index == 0 else "") + "  ", style="bold")
        if stage.reached_at is not None:
            state, style = t("stage.reached", day=fmt.instant(stage.reached_at, timezone)), "green"
        elif stage.is_late(detail.today):
            state, style = t("stage.late"), "yellow"
        else:
            state, style = t("stage.pending"), ""
        lines.append(t("stage.line", stage=number(stage.seq), due=stage.due.strftime("%m-%d"),
                       title=fmt.safe(stage.title), unit=fmt.safe(stage.unit), state=state)
                     + "\n", style=style)
    lines.rstrip()
    return lines
