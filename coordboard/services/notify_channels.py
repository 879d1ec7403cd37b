"""How a notice leaves: e-mail over SMTP, or a JSON POST to a webhook (a group robot).

Only the standard library (``smtplib``, ``urllib``): nothing to install on an office PC.
Every send has a timeout, so a server that never answers costs one notice a few seconds
and never the whole run. User text is made safe here, where it leaves: a subject has no
line break (no header injection) and no control character; a body keeps its line breaks
and shows every other control character as a visible symbol.
"""

import json
import smtplib
import ssl
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from coordboard.config import Settings
from coordboard.i18n import t
from coordboard.safe_text import for_xml, visible

SUBJECT_LIMIT = 200
SECURITY = ("none", "starttls", "ssl")


class SendError(Exception):
    """A send that failed; ``str()`` is what ``notify status`` shows."""


@dataclass(frozen=True)
class Outgoing:
    subject: str
    body: str
    kind: str
    unit: str
    task_code: str


def safe_subject(text: str) -> str:
    """One header line: CR and LF dropped (each line break becomes a space), every other
    control character visible, at most ``SUBJECT_LIMIT`` characters."""
    one_line = " ".join(part.strip() for part in text.replace("\r", "\n").split("\n") if part.strip())
    return visible(one_line)[:SUBJECT_LIMIT]


def safe_body(text: str) -> str:
    return for_xml(text)


class Mailer:
    """One SMTP connection for a whole run (servers limit connections, and each costs a TLS
    handshake and a login), opened at the first mail and opened again after a failure."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "Mailer":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        timeout = max(1, settings.notify_timeout_seconds)
        host, port = settings.notify_smtp_host, settings.notify_smtp_port
        smtp = (smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
                if settings.notify_smtp_security == "ssl" else smtplib.SMTP(host, port, timeout=timeout))
        try:
            if settings.notify_smtp_security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if settings.notify_smtp_user:
                smtp.login(settings.notify_smtp_user, settings.notify_smtp_password)
        except (OSError, smtplib.SMTPException):
            smtp.close()
            raise
        return smtp

    def send(self, address: str, outgoing: Outgoing) -> None:
        settings = self.settings
        if not settings.notify_smtp_host:
            raise SendError(t("notify.error.smtp_unset", language="zh"))
        if settings.notify_smtp_security not in SECURITY:
            raise SendError(t("notify.error.smtp_security", language="zh",
                              value=settings.notify_smtp_security))
        if not address:
            raise SendError(t("notify.error.no_email", language="zh"))
        message = EmailMessage()
        message["Subject"] = safe_subject(outgoing.subject)
        message["From"] = settings.notify_smtp_from or settings.notify_smtp_user
        message["To"] = address
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="coordboard")
        message.set_content(safe_body(outgoing.body))
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused:
            raise  # this address only: the connection is still good
        except (OSError, smtplib.SMTPException):
            self.close()  # the next mail starts a fresh connection
            raise


def webhook_payload(preset: str, outgoing: Outgoing) -> dict[str, object]:
    """The JSON body: 企业微信 and 钉钉 group robots both take a text message of this shape;
    ``generic`` gives the parts separately for a receiver of the office's own."""
    subject, body = safe_subject(outgoing.subject), safe_body(outgoing.body)
    if preset in ("wecom", "dingtalk"):
        return {"msgtype": "text", "text": {"content": f"{subject}\n{body}"}}
    return {"source": "coordboard", "kind": outgoing.kind, "unit": outgoing.unit,
            "task": outgoing.task_code, "subject": subject, "text": body}


def send_webhook(settings: Settings, url: str, preset: str, outgoing: Outgoing) -> None:
    if not url:
        raise SendError(t("notify.error.no_webhook", language="zh"))
    data = json.dumps(webhook_payload(preset, outgoing), ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    # urlopen raises for a status outside 2xx (HTTPError, an OSError).
    with urllib.request.urlopen(request, timeout=max(1, settings.notify_timeout_seconds)) as reply:
        answer = reply.read(65536)
    if preset in ("wecom", "dingtalk"):
        # Both robots answer 200 with {"errcode": N, "errmsg": ...}; N != 0 is a refusal
        # (a wrong key, a banned keyword, too many messages a minute).
        try:
            verdict = json.loads(answer.decode("utf-8"))
        except ValueError:
            raise SendError(t("notify.error.robot_answer", language="zh",
                              answer=visible(answer[:200].decode("utf-8", "replace")))) from None
        if not isinstance(verdict, dict) or verdict.get("errcode", 0) != 0:
            raise SendError(t("notify.error.robot_refused", language="zh",
                              answer=visible(json.dumps(verdict, ensure_ascii=False)[:200])))
