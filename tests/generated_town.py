"""A town made by the benchmark generator (bench/generate.py), for tests that need the
shapes of a real database at a small size (the ledger's two processes, the scoreboard's
cooperation read)."""

import sys
from pathlib import Path

from coordboard.db import Database
from coordboard.migrate import ensure_schema

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))

from generate import generate  # noqa: E402


def generated_town(folder: Path, tasks: int, *, seed: int) -> Path:
    """A SQLite file ``town.db`` in ``folder`` with ``tasks`` generated tasks."""
    file = folder / "town.db"
    db = Database.from_url(f"sqlite:///{file}")
    ensure_schema(db)
    generate(db, tasks, seed=seed, batch=500)
    db.dispose()
    return file
