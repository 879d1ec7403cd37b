"""Every screen, for every role, in Chinese and in English: no text of the other language.

Each run starts in the other language and switches in the app (so a label translated once
and never again shows up too), then draws home, the board (with a list open), a task, the
weekly review, the scoreboard, help and the command palette (empty, and with no match).

Allowed: user text from the database (the demo town is Chinese), task codes, dates, key
names, and the names 中文 and English on the language switch.
"""

import re

import pytest
from rich.cells import cell_len
from sqlalchemy import String, Text, select
from sqlmodel import AutoString, SQLModel
from textual.command import CommandList
from textual.widgets import DataTable, Select
from tui_support import login, screen_text, settle

from coordboard.config import Settings
from coordboard.db import Database
from coordboard.tui.app import make_app
from coordboard.tui.screens.board import BoardScreen, BoardTable
from coordboard.tui.widgets.page_table import PageTable

ROLES = ("office", "sfs", "sfs2", "leader", "admin")
# CJK ideographs, CJK and full-width punctuation (，；：（）etc.), never the curly quotes
# English uses too.
CJK = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")
WORD = re.compile(r"[A-Za-z]{2,}")
# What a Chinese screen may show in Latin letters: key names, file kinds, the program's name.
LATIN_OK = {"esc", "Esc", "ctrl", "Ctrl", "tab", "Tab", "enter", "Enter", "shift", "Shift",
            "PgUp", "PgDn", "space", "Space", "Home", "End", "DB", "XLSX", "DOCX", "CSV", "PDF",
            "coordboard", "Markdown", "English", "qqqq"}  # qqqq: typed into the palette
AUTONYMS = {"中文"}  # the language switch names the other language in its own words


def user_text(db: Database) -> str:
    """Every string stored in the database: what users (and the demo) typed."""
    import coordboard.models  # noqa: F401

    found: list[str] = []
    with db.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, (String, Text, AutoString))]
            if columns:
                for row in conn.execute(select(*columns)):
                    found += [value for value in row if isinstance(value, str)]
    return "\n".join(found)


def foreign(text: str, language: str, corpus: str) -> list[str]:
    """Pieces of ``text`` in the other language that no user typed."""
    if language == "en":
        return sorted({run for run in CJK.findall(text) if run not in corpus and run not in AUTONYMS})
    return sorted({word for word in WORD.findall(text)
                   if word not in LATIN_OK and word not in corpus})


def unfit_headers(screen) -> list[str]:
    """Column headers cut by their column (DataTable cuts without "…")."""
    cut = [str(c.label) for table in screen.query(DataTable) for c in table.columns.values()
           if cell_len(str(c.label)) > c.width]
    return cut + [c.label for table in screen.query(PageTable) for c in table._columns
                  if cell_len(c.label) > c.width]


async def _ready(pilot) -> None:
    for _ in range(100):
        await settle(pilot, 1)
        if getattr(pilot.app.screen, "loaded", True):
            break
    await settle(pilot)


async def _visit(pilot, username: str) -> dict[str, str]:
    """What each screen draws, by name."""
    app = pilot.app
    drawn = {"home": screen_text(app)}
    unfit = unfit_headers(app.screen)
    app.action_board()
    await _ready(pilot)
    board = app.screen
    assert isinstance(board, BoardScreen)
    drawn["board"] = screen_text(app)
    unfit += unfit_headers(board)
    table = board.query_one(BoardTable)
    code = str(table.cell(0, 0)) if table.row_count else ""
    board.query_one("#flt-status", Select).focus()
    await pilot.press("enter")  # the list opens: its footer entry too
    await settle(pilot)
    drawn["board with a list open"] = screen_text(app)
    await pilot.press("escape")
    await settle(pilot)
    if code:
        app.open_task(code)
        await _ready(pilot)
        drawn["task"] = screen_text(app)
        unfit += unfit_headers(app.screen)
        app.pop_screen()
        await settle(pilot)
    for name, action in (("review", app.action_review), ("scoreboard", app.action_scores)):
        before = app.screen
        action()
        await _ready(pilot)
        if app.screen is not before:
            drawn[name] = screen_text(app)
            unfit += unfit_headers(app.screen)
            app.pop_screen()
            await settle(pilot)
    app.action_help()
    await settle(pilot)
    drawn["help"] = screen_text(app)
    app.screen.dismiss()
    await settle(pilot)
    app.action_command_palette()
    await settle(pilot)
    drawn["palette"] = screen_text(app)
    await pilot.press(*"qqqq")
    for _ in range(50):  # the palette says "no matches" after its own short wait
        await pilot.pause(0.05)
        if app.screen.query_one(CommandList).option_count:
            break
    drawn["palette, no match"] = screen_text(app)
    await pilot.press("escape")
    assert not unfit, unfit
    return drawn


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("language", ["zh", "en"])
async def test_every_screen_speaks_one_language(demo_file: Database, frozen, language: str,
                                               username: str) -> None:
    corpus = user_text(demo_file)
    other = "en" if language == "zh" else "zh"
    app = make_app(Settings(language=other), demo_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, username)
        app.action_language(language)
        await settle(pilot)
        drawn = await _visit(pilot, username)
    assert {"home", "board", "help", "palette", "palette, no match"} <= set(drawn)
    problems = {name: found for name, text in drawn.items()
                if (found := foreign(text, language, corpus))}
    assert not problems, problems
    if language == "en":
        # English labels fit their columns: no UI word cut to "yel…" or "in prog…".
        cut = {name: found for name, text in drawn.items()
               if (found := re.findall(r"\S*[A-Za-z]…", text))}
        assert not cut, cut
