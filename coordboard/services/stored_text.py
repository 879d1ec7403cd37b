"""Machine-written text is stored as a *message* (catalogue keys and parameters) and put
into words only when it is shown: in the viewer's language on a screen, in the document
language in an official document (bulletin, ledger, notices, letters). An office user
running the English interface must not write English into the Chinese bulletin or the
audit trail. What a person typed is stored exactly as typed, never translated.

A message is plain JSON:

- a string: literal text (what someone typed, a task code, a date), shown as is;
- ``{"key": K, "params": {name: message}}``: catalogue entry K, its parameters rendered
  first (so a message may nest another, e.g. an escalated letter quoting the urge it
  escalates, which quotes the reminder);
- a list of messages: shown one after another, separated the catalogue's way (；or "; ");
- ``{"date": "2026-11-20"}``: a day, worded in the language ("2026年11月20日", "Nov 20,
  2026"), and ``{"week": "2026-W48"}``: a review's week ("第48周 11月23日—11月29日");
  rows written before them hold the day or week as literal ISO text.

Columns that may hold machine-written text have a ``*_message`` JSON column beside the
text column (migration 0009). The text shown is the message's words, then the typed text
(``shown``). Rows written before 0009 have no message: their text is shown as stored.

A key named by a stored message is data: it must never be renamed or removed
(``STORED_KEYS`` lists them; a test checks both catalogues hold them).
"""

from datetime import date
from typing import Any

from coordboard.i18n import full_date, t

# Official documents are written in this language, whatever the interface language is.
# (No setting chooses another: an office's documents are Chinese.)
DOCUMENT_LANGUAGE = "zh"

# Every key a service stores in a message; besides these, the names of actions, note
# kinds and contest outcomes (the action, note and tui.decision families), and the outbox's
# notify.subject.<kind> / notify.body.<kind> pairs.
STORED_KEYS = (
    "review.decided_request", "review.extension_approved", "review.extension_refused",
    "review.decided_with_detail", "review.decided_with_comment", "review.spawned",
    "review.spawned_description", "escalation.body",
    "notify.part", "notify.reply_by", "notify.role.lead", "notify.role.support",
    "notify.subject.digest",
)

Message = Any  # str | dict[str, Any] | list[Message]


def message(key: str, **params: Message) -> dict[str, Any]:
    """A catalogue entry and its parameters, as stored."""
    return {"key": key, "params": params} if params else {"key": key}


def day(value: date) -> dict[str, str]:
    """A day, as stored: worded when shown, never ISO in a letter."""
    return {"date": value.isoformat()}


def week(value: str) -> dict[str, str]:
    """A review's week ("2026-W48"), as stored: worded when shown."""
    return {"week": value}


def render(msg: Message, language: str | None = None) -> str:
    """The words of ``msg`` in ``language`` (the interface language if None).

    Never raises on a malformed message (a row edited by hand): what cannot be
    understood is shown as its JSON text, so a listing never crashes on it."""
    if msg is None:
        return ""
    if isinstance(msg, str):
        return msg
    if isinstance(msg, list):
        parts = [render(part, language) for part in msg]
        return t("tui.semicolon", language).join(part for part in parts if part)
    if isinstance(msg, dict) and isinstance(msg.get("date"), str):
        try:
            return full_date(date.fromisoformat(msg["date"]), language)
        except ValueError:
            return msg["date"]
    if isinstance(msg, dict) and isinstance(msg.get("week"), str):
        from coordboard.errors import ValidationError
        from coordboard.services.review import week_words

        try:
            return week_words(msg["week"], language)
        except ValidationError:  # a row edited by hand: shown as stored
            return msg["week"]
    if isinstance(msg, dict) and isinstance(msg.get("key"), str):
        params = msg.get("params") or {}
        if isinstance(params, dict):
            return t(msg["key"], language, **{str(name): render(value, language)
                                              for name, value in params.items()})
    return str(msg)


def doc_t(key: str, **params: object) -> str:
    """A catalogue entry in the document language."""
    return t(key, language=DOCUMENT_LANGUAGE, **params)


def document(msg: Message) -> str:
    """The words of ``msg`` in the document language."""
    return render(msg, DOCUMENT_LANGUAGE)


def shown(text: str | None, msg: Message, language: str | None = None) -> str:
    """A column's whole text: its message's words, then the text typed beside it."""
    return "\n".join(part for part in (render(msg, language), text or "") if part)


def as_message(text: str | None, msg: Message) -> Message:
    """A column's text and message as one message (to quote it inside another)."""
    if msg is None:
        return text or ""
    return [msg, text] if text else msg
