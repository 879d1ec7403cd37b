"""TUI benchmark on the generator's databases: start to usable board, a filter keystroke,
a page-down, and peak memory, each in a fresh process.

    python bench/generate.py --tasks 100000 --db sqlite:///bench/out/100k.db   # once
    python bench/tui.py bench/out/1k.db bench/out/10k.db bench/out/100k.db
    python bench/tui.py --rounds 7 bench/out/100k.db

Each round runs the floor first and then every database, each in a fresh process, so a
figure and its floor share the machine's load of that moment. The floor (issue 13, item 9)
is a process that imports ``textual.app``, ``sqlmodel`` and ``pendulum`` and draws a bare
Textual app: what any app on this stack pays before it shows anything. "Ratio" is the
median of the per-round ratios of usable board to floor.

"Start" is the moment the parent spawns the process; "usable" is the board's first page
of rows drawn (the search field with it; the six filter lists follow, "filter lists
drawn"), "+ counts" when the totals per light follow (headless Textual, the real
screens and services). The filter is one typed character in the search box; the
page-down is what ``n`` runs, twice over: after the user has read the page (the next one was
read ahead while they did), and with the page read on the key (as when ``n`` is held
down and the reads ahead cannot keep up). All are measured to the new rows in the table
and to their being drawn, and so is one search for a word no title holds (every task is
tested). Login is not timed: the child acts as an office user, as after ``coordboard
login``.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

ROUNDS = 5


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


FLOOR = "--floor"


def cpu_s() -> float:
    """CPU seconds (user + system, every thread) this process has used since it started."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def floor_child(spawned_at: float) -> None:
    """The floor: the stack's imports and a bare Textual app's first drawn frame."""
    import asyncio

    import pendulum  # noqa: F401
    import sqlmodel  # noqa: F401
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("floor")

    async def main() -> None:
        app = Bare()
        async with app.run_test(size=(120, 40)):
            drawn = asyncio.Event()
            app.call_after_refresh(drawn.set)
            await drawn.wait()
            print(json.dumps({"usable_s": time.time() - spawned_at, "usable_cpu_s": cpu_s()}))

    asyncio.run(main())


def child(db_path: str, spawned_at: float) -> None:
    import asyncio
    import resource

    from textual import events

    from coordboard.config import Settings
    from coordboard.db import Database
    from coordboard.enums import Role
    from coordboard.services.permissions import Actor
    from coordboard.tui.app import CoordboardApp, make_app
    from coordboard.tui.screens import board as board_screen
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

    def lists_shown(board: BoardScreen) -> bool:
        filters = getattr(board, "filters", None)  # a FilterBar since 2026-11-27
        if filters is not None:
            return bool(filters.lists_shown)
        return getattr(board, "_lists_shown", True)  # older builds: on the board, or at once

    async def wait(predicate) -> float:
        start = time.perf_counter()
        while not predicate():
            await asyncio.sleep(0.0005)
        return time.perf_counter() - start

    async def painted(board: BoardScreen, before: int, started: float) -> tuple[float, float]:
        """Seconds from ``started`` until rows newer than generation ``before`` are in the
        table, and until they are drawn (Textual's next screen refresh after the refill)."""
        await wait(lambda: board._shown_generation > before)
        in_table = time.perf_counter() - started
        drawn = asyncio.Event()
        board.call_after_refresh(drawn.set)
        await drawn.wait()
        return in_table, time.perf_counter() - started

    async def main() -> None:
        async with app.run_test(size=(120, 40)):
            await wait(lambda: isinstance(app.screen, BoardScreen))
            board = app.screen
            assert isinstance(board, BoardScreen)
            await painted(board, 0, time.perf_counter())
            result["usable_s"] = time.time() - spawned_at
            result["usable_cpu_s"] = cpu_s()
            # The six filter lists come after the first page (FilterBar.show_lists).
            await wait(lambda: lists_shown(board))
            await painted(board, -1, time.perf_counter())
            result["lists_s"] = time.time() - spawned_at
            await wait(lambda: board.loaded)
            result["counts_s"] = time.time() - spawned_at
            search = board.query_one("#flt-text")
            filters, pages = [], []

            def idle() -> bool:  # counts shown and the next page read ahead: the user reads
                return board.loaded and not any(
                    worker.is_running for worker in app.workers if worker.node is board)

            async def timed(action) -> tuple[float, float]:
                await wait(idle)
                before, started = board._generation, time.perf_counter()
                action()
                return await painted(board, before, started)

            for needle in ["法", "治", "普", "调", "村"][:ROUNDS]:
                # what one keystroke does to the Input
                filters.append(await timed(lambda needle=needle: setattr(search, "value", needle)))
            # A word no title holds: the search tests every task (issue 13, migration 0020).
            rare = await timed(lambda: setattr(search, "value", "无此标题词"))
            result["rare_ms"], result["rare_drawn_ms"] = rare[0] * 1000, rare[1] * 1000
            await wait(idle)
            search.value = ""
            for _ in range(ROUNDS):  # reading each page: the next one is read ahead meanwhile
                # what the "n" key runs; Pilot.press would add its idle wait
                pages.append(await timed(lambda: board.action_page(1)))
            board_screen.AHEAD_MAX_AGE_S = -1.0  # every page read on the key
            on_key = [await timed(lambda: board.action_page(1)) for _ in range(ROUNDS)]
            for name, runs in (("filter", filters), ("page_down", pages),
                               ("page_read", on_key)):
                result[f"{name}_ms"] = median([rows for rows, _ in runs]) * 1000
                result[f"{name}_drawn_ms"] = median([drawn for _, drawn in runs]) * 1000
            result["total"] = board.row_total
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    asyncio.run(main())
    print(json.dumps(result))


def spawn(*args: str) -> dict[str, float]:
    spawned = time.time()
    out = subprocess.run([sys.executable, __file__, "--child", *args, repr(spawned)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def parent(paths: list[str], rounds: int) -> None:
    import compileall

    import coordboard

    # As pip installs it: byte-compiled (this machine sets PYTHONDONTWRITEBYTECODE, so a
    # source tree would otherwise be timed compiling itself in every child).
    compileall.compile_dir(Path(coordboard.__file__).parent, quiet=1)
    floors: list[float] = []
    floor_cpus: list[float] = []
    runs: dict[str, list[dict[str, float]]] = {path: [] for path in paths}
    for _ in range(rounds):  # interleaved: the floor, then each database, every round
        floor_run = spawn(FLOOR)
        floor, floor_cpu = floor_run["usable_s"], floor_run["usable_cpu_s"]
        floors.append(floor)
        floor_cpus.append(floor_cpu)
        for path in paths:
            run = spawn(path)
            run["ratio"] = run["usable_s"] / floor
            run["cpu_ratio"] = run["usable_cpu_s"] / floor_cpu
            runs[path].append(run)
    print(f"floor (bare Textual app + sqlmodel + pendulum): median {median(floors):.2f} s "
          f"({min(floors):.2f}-{max(floors):.2f}), CPU {median(floor_cpus):.2f} s, over {rounds} rounds")
    print(f"{'database':<12}{'tasks':>8}{'usable board':>14}{'ratio':>7}{'+ counts':>10}"
          f"{'filter rows/drawn':>20}{'page-down rows/drawn':>23}{'peak RSS':>10}")
    for path in paths:
        mine = runs[path]

        def mid(key: str, mine: list[dict[str, float]] = mine) -> float:
            return median([run[key] for run in mine])

        print(f"{Path(path).name:<12}{int(mine[0]['total']):>8}{mid('usable_s'):>13.2f}s"
              f"{mid('ratio'):>6.2f}x{mid('counts_s'):>9.2f}s"
              f"{mid('filter_ms'):>10.0f} / {mid('filter_drawn_ms'):>4.0f} ms"
              f"{mid('page_down_ms'):>13.0f} / {mid('page_down_drawn_ms'):>4.0f} ms"
              f"{max(run['peak_rss_mb'] for run in mine):>8.0f}MB")
        print(f"{'':<12}filter lists drawn {mid('lists_s'):.2f} s; "
              f"CPU to usable {mid('usable_cpu_s'):.2f} s, ratio {mid('cpu_ratio'):.2f}x; "
              "wall ratios per round: " + " ".join(f"{run['ratio']:.2f}" for run in mine))
        print(f"{'':<12}filter by a word no title holds, rows/drawn: "
              f"{mid('rare_ms'):.0f} / {mid('rare_drawn_ms'):.0f} ms; page-down read on the "
              f"key (not ahead), rows/drawn: {mid('page_read_ms'):.0f} / "
              f"{mid('page_read_drawn_ms'):.0f} ms")


if __name__ == "__main__":
    if sys.argv[1:3] == ["--child", FLOOR]:
        floor_child(float(sys.argv[3]))
    elif sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], float(sys.argv[3]))
    else:
        import argparse

        parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
        parser.add_argument("--rounds", type=int, default=3)
        parser.add_argument("paths", nargs="+")
        options = parser.parse_args()
        parent(options.paths, options.rounds)
