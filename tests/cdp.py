"""A small Chrome DevTools Protocol client (aiohttp's websocket; no Playwright, no Node) and
a headless Chromium to drive with it: enough to open a page, type, and read xterm.js's screen."""

import asyncio
import itertools
import json
import subprocess
import time
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--remote-debugging-port=0", "--window-size=1400,900"]

# textual-serve keeps its xterm.js Terminal in a closure; the page assigns it once, as
# ``this.terminal = new Terminal(...)``. This setter, installed before the page's scripts
# run, keeps a reference to it (and gives the assigning object its own plain property).
CAPTURE_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  get() { return undefined; },
  set(value) {
    Object.defineProperty(this, "terminal",
                          {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && !window.__coordboardTerminal) window.__coordboardTerminal = value;
  },
});
"""

# The terminal's visible rows as text (wide CJK cells come out as one character each).
SCREEN_TEXT = """
(() => {
  const term = window.__coordboardTerminal;
  if (!term) return "";
  const buffer = term.buffer.active, rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
})()
"""

KEYS = {"Enter": ("\r", 13), "Tab": ("\t", 9), "Escape": ("", 27)}


class Browser:
    """Headless Chromium with a fresh profile; ``page()`` connects to its first tab."""

    def __init__(self, executable: str, profile: Path) -> None:
        self.process = subprocess.Popen(
            [executable, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.profile = profile

    def port(self, timeout: float = 60) -> int:
        marker = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.process.returncode}")
            lines = marker.read_text().split() if marker.exists() else []
            if lines:
                return int(lines[0])
            time.sleep(0.1)
        raise RuntimeError("chromium never opened its DevTools port")

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Page:
    """One tab over CDP: send commands, wait for their answers (events are ignored)."""

    def __init__(self, http: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.http, self.ws = http, ws
        self._ids = itertools.count(1)

    @classmethod
    async def open(cls, port: int) -> "Page":
        http = aiohttp.ClientSession()
        async with http.get(f"http://127.0.0.1:{port}/json/list") as answer:
            targets = await answer.json()
        url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
        return cls(http, await http.ws_connect(url, max_msg_size=0))

    async def close(self) -> None:
        await self.ws.close()
        await self.http.close()

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self._ids)
        await self.ws.send_str(json.dumps({"id": number, "method": method, "params": params}))
        async for message in self.ws:
            data = json.loads(message.data)
            if data.get("id") == number:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                return dict(data.get("result", {}))
        raise RuntimeError("the DevTools connection closed")

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    async def screen(self) -> str:
        return str(await self.evaluate(SCREEN_TEXT) or "")

    async def wait_for(self, *needles: str, timeout: float = 60) -> str:
        """The screen once it shows every needle (polled; fails with what it last showed)."""
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = await self.screen()
            if all(needle in text for needle in needles):
                return text
            await asyncio.sleep(0.2)
        raise AssertionError(f"never saw {needles!r} in the browser:\n{text}")

    async def type(self, text: str) -> None:
        await self.evaluate("window.__coordboardTerminal.focus()")
        await self.send("Input.insertText", text=text)

    async def press(self, key: str, *, ctrl: bool = False) -> None:
        """A key as a keyboard sends it: the raw key down (xterm.js turns Ctrl+letter into
        its control code), then its character (Enter's "\\r"), then the key up."""
        await self.evaluate("window.__coordboardTerminal.focus()")
        if len(key) == 1:
            text, code, name = ("" if ctrl else key), ord(key.upper()), f"Key{key.upper()}"
        else:
            (text, code), name = KEYS[key], key
        common = {"key": key, "code": name, "windowsVirtualKeyCode": code,
                  "nativeVirtualKeyCode": code, "modifiers": 2 if ctrl else 0}
        await self.send("Input.dispatchKeyEvent", type="rawKeyDown", **common)
        if text:
            await self.send("Input.dispatchKeyEvent", type="char", text=text, **common)
        await self.send("Input.dispatchKeyEvent", type="keyUp", **common)


class Downloads:
    """Files the browser downloads go to ``folder`` while this browser-level connection is
    open (CDP ``Browser.setDownloadBehavior``; a tab's own session cannot set it)."""

    def __init__(self, port: int, folder: Path) -> None:
        self.port, self.folder = port, folder
        self.page: Page | None = None

    async def __aenter__(self) -> "Downloads":
        http = aiohttp.ClientSession()
        async with http.get(f"http://127.0.0.1:{self.port}/json/version") as answer:
            url = (await answer.json())["webSocketDebuggerUrl"]
        self.page = Page(http, await http.ws_connect(url, max_msg_size=0))
        await self.page.send("Browser.setDownloadBehavior", behavior="allow",
                             downloadPath=str(self.folder))
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.page is not None:
            await self.page.close()

    async def wait_for(self, pattern: str, timeout: float = 60) -> Path:
        """The first finished download whose name matches ``pattern`` (Chromium writes
        ``.crdownload`` while it is still arriving)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = [p for p in self.folder.glob(pattern) if not p.name.endswith(".crdownload")]
            if done:
                return done[0]
            await asyncio.sleep(0.2)
        raise AssertionError(f"no download {pattern!r} in {sorted(self.folder.iterdir())}")
