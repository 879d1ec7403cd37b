"""Command palette providers: jump to a task by code or title, act on the task on screen.

Task search is services/search.py (prefix on code, literal substring on title, capped), so the
palette stays instant on a ledger of any size.
"""

import asyncio
from functools import partial

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

from coordboard.i18n import t
from coordboard.safe_text import visible
from coordboard.tui import format as fmt


class TaskCommands(Provider):
    def _find(self, query: str) -> list[tuple[str, str]]:
        from coordboard.services.search import tasks_matching
        from coordboard.tui.app import CoordboardApp

        app = self.app
        assert isinstance(app, CoordboardApp) and app.actor is not None
        with app.db.read() as session:
            return tasks_matching(session, actor=app.actor, query=query)

    async def search(self, query: str) -> Hits:
        from coordboard.tui.app import CoordboardApp

        app = self.app
        if not isinstance(app, CoordboardApp) or app.actor is None or len(query.strip()) < 2:
            return
        for code, title in await asyncio.to_thread(self._find, query):
            label = Text(f"{visible(code)}  ")
            label.append(visible(title))  # user text: plain, never markup, controls visible
            yield Hit(1.0, label, partial(app.open_task, code), help=t("tui.cmd.open_task"))


class ActionCommands(Provider):
    """The actions of the task on screen, the unavailable ones with their reason."""

    def _actions(self) -> list[tuple[str, str, bool, str]]:
        from coordboard.tui.screens.task import TaskScreen

        screen = self.screen
        if not isinstance(screen, TaskScreen) or screen.detail is None:
            return []
        return [(a.action, fmt.action(a.action), a.enabled, a.reason) for a in screen.detail.actions]

    def _run(self, action: str) -> None:
        from coordboard.tui.screens.task import TaskScreen

        if isinstance(self.screen, TaskScreen):
            self.screen.start_action(action)

    async def discover(self) -> Hits:
        for action, name, enabled, _reason in self._actions():
            if enabled:
                yield DiscoveryHit(name, partial(self._run, action), help=t("tui.cmd.task_action"))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action, name, enabled, reason in self._actions():
            score = matcher.match(name) or matcher.match(action)
            if score:
                yield Hit(score, matcher.highlight(name), partial(self._run, action),
                          help=t("tui.cmd.task_action") if enabled else visible(reason))


class Palette(CommandPalette):
    """Textual's command palette with its own texts in the interface language.

    Textual writes "No matches found" inside ``_start_no_matches_countdown`` (no public
    hook in textual 8.2); this copy differs only in the text, and
    tests/test_tui_language.py fails if Textual's wording ever shows through again.
    """

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(Option(
                    Align.center(Text(t("tui.palette.no_matches"), style="not bold")),
                    disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
