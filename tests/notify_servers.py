"""Real servers on 127.0.0.1 for the notification tests: an SMTP server (aiosmtpd) and an
HTTP server (http.server in a thread), each on a free port, each able to fail on demand."""

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SmtpSink:
    """Accepts every message, or answers 451 (try later) while ``failing``."""

    port: int = 0
    failing: bool = False
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.failing:
            return "451 4.3.0 mailbox busy, try later"
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(parsed)  # type: ignore[arg-type]
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


@dataclass
class HookSink:
    """Records each JSON POST; answers 500 while ``failing``, or ``reply`` (a robot's answer)."""

    port: int = 0
    failing: bool = False
    reply: dict[str, Any] = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})
    posts: list[tuple[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _handler(sink: HookSink) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if sink.failing:
                self.send_response(500)
                self.end_headers()
                return
            with sink.lock:
                sink.posts.append((self.path, json.loads(body.decode("utf-8"))))
            answer = json.dumps(sink.reply).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink(port=free_port())
    # A fixed name: otherwise each connection asks the resolver for this host's (slowly).
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port,
                            server_hostname="smtp.test")
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@contextmanager
def hook_sink() -> Iterator[HookSink]:
    sink = HookSink()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(sink))
    sink.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
