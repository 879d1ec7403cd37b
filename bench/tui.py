"""TUI benchmark on the generator's databases: start to usable board, a filter keystroke,
a page-down, and peak memory, each in a fresh process.

    python bench/generate.py --tasks 100000 --db sqlite:///bench/out/100k.db   # once
    python bench/tui.py bench/out/1k.db bench/out/10k.db bench/out/100k.db

"Start" is the moment the parent spawns the process; "usable" is the board's first
page of rows *and* its counts drawn (headless Textual, the real screens and
services). The filter is one typed character in the search box, measured to the
updated rows; the page-down is ``n`` (the next page, fetched in SQL). Login is
not timed: the child acts as an office user, as after ``coordboard login``.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

ROUNDS = 5


def child(db_path: str, spawned_at: float) -> None:
    import asyncio
    import resource

    from textual import events

    from coordboard.config import Settings
    from coordboard.db import Database
    from coordboard.enums import Role
    from coordboard.services.permissions import Actor
    from coordboard.tui.app import CoordboardApp, make_app
    from coordboard.tui.screens.board import BoardScreen

    class BenchApp(CoordboardApp):
        def on_mount(self, event: events.Mount) -> None:  # straight to the board, as the office
            event.prevent_default()  # not the login / first-run flow of CoordboardApp.on_mount
            self.actor = Actor(0, "bench", Role.OFFICE, None)
            self.push_screen(BoardScreen())

    settings = Settings(db_url=f"sqlite:///{Path(db_path).resolve()}")
    make_app(settings, Database.from_url(settings.database_url))  # sets the language
    app = BenchApp(settings, Database.from_url(settings.database_url), refresh_seconds=3600)
    result: dict[str, object] = {}

    async def wait(predicate) -> float:
        start = time.perf_counter()
        while not predicate():
            await asyncio.sleep(0.0005)
        return time.perf_counter() - start

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait(lambda: isinstance(app.screen, BoardScreen) and app.screen.loaded)
            result["usable_s"] = time.time() - spawned_at
            board = app.screen
            assert isinstance(board, BoardScreen)
            search = board.query_one("#flt-text")
            filters, pages = [], []
            for needle in ["法", "治", "普", "调", "村"][:ROUNDS]:
                before = board._generation
                started = time.perf_counter()
                search.value = needle  # what one keystroke does to the Input
                await wait(lambda before=before: board._shown_generation > before)
                filters.append(time.perf_counter() - started)
                await wait(lambda: board.loaded)
            search.value = ""
            await wait(lambda: board.loaded)
            for _ in range(ROUNDS):
                before = board._generation
                started = time.perf_counter()
                await pilot.press("n")
                await wait(lambda before=before: board._shown_generation > before)
                pages.append(time.perf_counter() - started)
                await wait(lambda: board.loaded)
            result["filter_ms"] = sorted(filters)[len(filters) // 2] * 1000
            result["page_down_ms"] = sorted(pages)[len(pages) // 2] * 1000
            result["total"] = board.row_total
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    asyncio.run(main())
    print(json.dumps(result))


def parent(paths: list[str]) -> None:
    print(f"{'database':<24}{'tasks':>8}{'usable board':>14}{'filter':>10}{'page-down':>11}{'peak RSS':>10}")
    for path in paths:
        runs = []
        for _ in range(3):
            spawned = time.time()
            out = subprocess.run([sys.executable, __file__, "--child", path, repr(spawned)],
                                 capture_output=True, text=True, check=True).stdout
            runs.append(json.loads(out.strip().splitlines()[-1]))
        best = min(runs, key=lambda r: r["usable_s"])
        median = sorted(runs, key=lambda r: r["usable_s"])[1]
        print(f"{Path(path).name:<24}{best['total']:>8}{median['usable_s']:>13.2f}s"
              f"{median['filter_ms']:>8.1f}ms{median['page_down_ms']:>9.1f}ms"
              f"{max(r['peak_rss_mb'] for r in runs):>8.0f}MB")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], float(sys.argv[3]))
    else:
        parent(sys.argv[1:])
