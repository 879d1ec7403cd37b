"""Exports never freeze input (issue 12): while the ledger is being written in its worker,
the board shows a progress strip with the rows written, and still answers keys; when the
file is done the strip goes and a notification names the file."""

import threading
from collections.abc import Callable

from test_tui_board import open_board
from textual.widgets import Input, Label, ProgressBar
from tui_support import settle, spy_notices

from coordboard import paths
from coordboard.config import Settings
from coordboard.db import Database
from coordboard.tui.app import make_app
from coordboard.tui.widgets.export_progress import ExportProgress


async def test_the_board_answers_keys_while_the_ledger_is_written(
        demo_file: Database, frozen, monkeypatch) -> None:
    from coordboard.services.reports import ledger

    reached, release = threading.Event(), threading.Event()
    real_counted_rows = ledger.counted_rows
    totals: list[int] = []

    def slow_counted_rows(*args, **kwargs):
        """The real rows; after twenty, the writer waits until the test lets it go on.
        (``ledger.write`` reads them through ``counted_rows``: patching ``rows`` instead
        left the export unslowed and this test failing.)"""
        total, rows = real_counted_rows(*args, **kwargs)
        totals.append(total)

        def slowly():
            for index, row in enumerate(rows, start=1):
                if index == 21:
                    reached.set()
                    release.wait(60)  # a safety net only: the test releases it
                yield row

        return total, slowly()

    monkeypatch.setattr(ledger, "counted_rows", slow_counted_rows)
    monkeypatch.setattr(ledger, "CHUNK", 10)  # progress every ten rows
    app = make_app(Settings(), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_board(pilot)
        told = spy_notices(app)
        strip = board.query_one(ExportProgress)
        assert not strip.display  # nothing is being written
        await pilot.press("e")
        try:
            for _ in range(400):
                await pilot.pause(0.05)
                if reached.is_set() and "20" in str(strip.query_one("#export-rows", Label).content):
                    break
            assert reached.is_set(), "the export did not start"
            assert strip.display and strip.has_class("-running")
            assert str(strip.query_one("#export-what", Label).content) == "正在导出台账"
            # The rows written of how many, and the bar filled as far.
            assert totals[0] > 20
            assert str(strip.query_one("#export-rows", Label).content) == f"已写 20/{totals[0]} 行"
            bar = strip.query_one(ProgressBar)
            assert (bar.progress, bar.total) == (20, totals[0])
            # The export is still running, and the board answers a key: / goes to search.
            await pilot.press("slash")
            assert board.query_one("#flt-text", Input).has_focus
            assert not list(paths.exports_dir().glob("督办台账-*.xlsx"))
        finally:
            release.set()
        for _ in range(100):
            await settle(pilot, 1)
            if told and told[-1].startswith("已生成督办台账"):
                break
        [written] = list(paths.exports_dir().glob("督办台账-*.xlsx"))
        assert told[-1].startswith(f"已生成督办台账：{written}")
        assert not strip.display  # the strip goes when the file is done


async def test_the_strip_takes_a_writers_news_only_while_it_is_on_screen() -> None:
    """The writer's thread reports through the strip; after the user left its screen
    (the strip is gone) the news is dropped, never an error in the app."""
    from textual.app import App, ComposeResult

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield ExportProgress()

    app = Host()
    async with app.run_test() as pilot:
        strip = app.query_one(ExportProgress)
        strip.start("正在导出台账")
        writer = threading.Thread(target=strip.told, args=(7, 10))
        writer.start()
        while writer.is_alive():
            await pilot.pause(0.01)
        await pilot.pause()
        assert str(strip.query_one("#export-rows", Label).content) == "已写 7/10 行"
        assert strip.has_class("-running")
        await strip.remove()
        raised: list[BaseException] = []

        def writer_says(news: Callable[[], None]) -> None:
            try:
                news()
            except BaseException as error:  # in a worker it would end the app
                raised.append(error)

        for news in (lambda: strip.told(9, 10), strip.done):
            thread = threading.Thread(target=writer_says, args=(news,))
            thread.start()
            while thread.is_alive():
                await pilot.pause(0.01)
        assert raised == []
