"""Helpers for Pilot tests: log in through the real login screen, wait for loads, read the screen."""

import re
from html import unescape

from textual import events
from textual.widgets import Input
from textual.worker import WorkerCancelled

from coordboard.tui.screens.home import HomeScreen

PASSWORD = "demo1234"


async def settle(pilot, rounds: int = 3) -> None:
    """Let workers finish and their results reach the screen.

    Each worker is awaited on its own: an exclusive worker cancels the one it replaces,
    and ``WorkersManager.wait_for_complete`` (one ``gather``) then raises
    ``WorkerCancelled`` at random, depending on which load started first. A cancelled
    worker is simply done; a failed one still fails the test.
    """
    for _ in range(rounds):
        for worker in list(pilot.app.workers):
            try:
                await worker.wait()
            except WorkerCancelled:
                pass
        await pilot.pause(0.05)


async def type_into(pilot, selector: str, text: str) -> None:
    pilot.app.screen.query_one(selector, Input).value = text
    await pilot.pause()


async def login(pilot, username: str, password: str = PASSWORD) -> None:
    await settle(pilot)
    await type_into(pilot, "#login-username", username)
    await type_into(pilot, "#login-password", password)
    pilot.app.screen.query_one("#login-password", Input).focus()
    await pilot.press("enter")  # Enter in the password field submits
    for _ in range(100):
        await settle(pilot, 1)
        if isinstance(pilot.app.screen, HomeScreen):
            break
    assert isinstance(pilot.app.screen, HomeScreen), screen_text(pilot.app)
    await settle(pilot)


def screen_text(app) -> str:
    """What is drawn, as plain lines (from the SVG export, which is what a terminal shows)."""
    svg = app.export_screenshot()
    rows: dict[float, list[tuple[float, str]]] = {}
    for match in re.finditer(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg, re.S):
        rows.setdefault(float(match.group(2)), []).append((float(match.group(1)), unescape(match.group(3))))
    return "\n".join("".join(t for _, t in sorted(cells)).replace("\xa0", " ").rstrip()
                     for _, cells in sorted(rows.items()))


def spy_notices(app) -> list[str]:
    """The messages the app is asked to notify from now on (still shown as usual)."""
    told: list[str] = []
    notify = app.notify

    def spy(message, **kwargs):
        told.append(message)
        return notify(message, **kwargs)

    app.notify = spy
    return told


def burst(pilot, *keys: str) -> None:
    """Keys as a terminal delivers a fast typist's burst: all queued at once, none waiting
    for the app to finish what the previous one started (``pilot.press`` waits for idle
    after each key, which hides every race with a mount or a load)."""
    driver = pilot.app._driver
    for key in keys:
        char = {"minus": "-", "slash": "/", "space": " "}.get(key, key if len(key) == 1 else None)
        event = events.Key(key, char)
        event.set_sender(pilot.app)
        driver.send_message(event)


async def open_task(pilot, code: str):
    """Open task ``code`` from wherever the app is and wait until its detail is shown."""
    from coordboard.tui.screens.task import TaskScreen

    pilot.app.open_task(code)
    for _ in range(50):
        await settle(pilot, 1)
        if isinstance(pilot.app.screen, TaskScreen) and pilot.app.screen.detail is not None:
            break
    await settle(pilot)
    assert isinstance(pilot.app.screen, TaskScreen)
    return pilot.app.screen
