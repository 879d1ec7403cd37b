"""``coordboard --version`` and ``--help`` against the floor ``python -c "import click"``.

    python bench/cli_start.py [--runs 15]

Each round runs the floor and each command once, interleaved, as fresh processes, so the
ratios compare runs made under the same load (this machine is shared). Prints each
command's median wall and CPU time, the floor's, and the medians of the per-round ratios
(the target in issue 13 is at most 2× for both). CPU time (user + system of the child) is
the steadier figure on a shared machine: wall time there includes waiting for a core.

The commands run from a byte-compiled copy of the package, as pip installs it: click's
bytecode is in site-packages, and a source tree run with PYTHONDONTWRITEBYTECODE would be
timed compiling itself.
"""

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOOR = [sys.executable, "-c", "import click"]
COMMANDS = {
    "coordboard --version": [sys.executable, "-m", "coordboard", "--version"],
    "coordboard --help": [sys.executable, "-m", "coordboard", "--help"],
    "coordboard task list --help": [sys.executable, "-m", "coordboard", "task", "list", "--help"],
}


def _installed_copy(folder: Path) -> Path:
    shutil.copytree(ROOT / "coordboard", folder / "coordboard",
                    ignore=shutil.ignore_patterns("__pycache__"))
    compileall.compile_dir(folder, quiet=1)
    return folder


ENV = dict(os.environ)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run."""
    cpu, started = _cpu(), time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, env=ENV)
    return time.perf_counter() - started, _cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cli-start-") as folder:
        ENV["PYTHONPATH"] = str(_installed_copy(Path(folder)))
        ENV["COORDBOARD_CONFIG_DIR"] = folder  # no user configuration file
        _measure(args.runs)
    return 0


def _measure(runs: int) -> None:
    for argv in [FLOOR, *COMMANDS.values()]:
        _time(argv)  # warm the file cache
    floors: list[tuple[float, float]] = []
    times: dict[str, list[tuple[float, float]]] = {label: [] for label in COMMANDS}
    for _ in range(runs):
        floors.append(_time(FLOOR))
        for label, argv in COMMANDS.items():
            times[label].append(_time(argv))
    floor_label = 'python -c "import click" (floor)'
    print(f"{floor_label:32s} wall {_ms(floors, 0)}  cpu {_ms(floors, 1)}")
    for label, runs_ in times.items():
        wall = [run[0] / floor[0] for run, floor in zip(runs_, floors, strict=True)]
        cpu = [run[1] / floor[1] for run, floor in zip(runs_, floors, strict=True)]
        print(f"{label:32s} wall {_ms(runs_, 0)}  cpu {_ms(runs_, 1)}  ratio to floor: wall "
              f"{statistics.median(wall):.2f}×, cpu {statistics.median(cpu):.2f}×")


def _ms(runs: list[tuple[float, float]], index: int) -> str:
    return f"{statistics.median(run[index] for run in runs) * 1000:6.1f} ms"


if __name__ == "__main__":
    sys.exit(main())
