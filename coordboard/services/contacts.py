"""Units' contacts: the person, phone and e-mail the office reaches, and a group robot.

Each is checked here, once, for every front end: an e-mail address is one address with
no line break (it goes into a mail header), a webhook is an http(s) URL, a preset is one
the channels know. Changes are the office's (``manage_contacts``) and audited.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlmodel import Session

from coordboard.errors import ValidationError
from coordboard.i18n import t
from coordboard.models import Department
from coordboard.services import audit, directory
from coordboard.services.permissions import Actor, allowed, authorize

PRESETS = ("generic", "wecom", "dingtalk")  # 通用 JSON, 企业微信群机器人, 钉钉群机器人
CONTACT_FIELDS = ("contact_person", "contact_phone", "contact_email", "webhook_url",
                  "webhook_preset", "notify_digest")
# One plain address: no spaces, no line breaks, no list of addresses, no display name.
_EMAIL = re.compile(r"^[^\s@<>,;:\"()\[\]\\]+@[^\s@<>,;:\"()\[\]\\]+\.[^\s@<>,;:\"()\[\]\\]+$")
_PHONE = re.compile(r"^[0-9+\-() ]*$")


@dataclass(frozen=True)
class Contacts:
    unit: str
    person: str
    phone: str
    email: str
    webhook_url: str
    webhook_preset: str
    digest: bool


def _text(name: str, value: str, limit: int) -> str:
    """``name``: the field's column title (``notify.col.<name>``) in the error."""
    value = value.strip()
    if len(value) > limit:
        raise ValidationError("notify.error.too_long", field=t(f"notify.col.{name}"), limit=limit)
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        raise ValidationError("notify.error.control", field=t(f"notify.col.{name}"))
    return value


def check_email(value: str) -> str:
    value = _text("email", value, 254)
    if value and not _EMAIL.match(value):
        raise ValidationError("notify.error.email", value=value)
    return value


def check_webhook(value: str) -> str:
    value = _text("webhook", value, 500)
    if not value:
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in value:
        raise ValidationError("notify.error.webhook", value=value)
    return value


def set_contacts(session: Session, *, actor: Actor, unit: str, person: str | None = None,
                 phone: str | None = None, email: str | None = None, webhook_url: str | None = None,
                 webhook_preset: str | None = None, digest: bool | None = None) -> Department:
    """Change the given fields of a unit's contacts (None: leave as is; "": clear)."""
    authorize(actor, "manage_contacts")
    department = directory.department_by_name(session, unit)
    before = audit.snapshot(department, *CONTACT_FIELDS)
    if person is not None:
        department.contact_person = _text("person", person, 50)
    if phone is not None:
        phone = _text("phone", phone, 40)
        if not _PHONE.match(phone):
            raise ValidationError("notify.error.phone", value=phone)
        department.contact_phone = phone
    if email is not None:
        department.contact_email = check_email(email)
    if webhook_url is not None:
        department.webhook_url = check_webhook(webhook_url)
    if webhook_preset is not None:
        if webhook_preset not in PRESETS:
            raise ValidationError("error.choice", field="preset", value=webhook_preset,
                                  allowed=", ".join(PRESETS))
        department.webhook_preset = webhook_preset
    if digest is not None:
        department.notify_digest = digest
    session.add(department)
    session.flush()
    after = audit.snapshot(department, *CONTACT_FIELDS)
    if after != before:
        audit.record(session, actor_id=actor.user_id, entity="department",
                     entity_id=department.id or 0, action="contacts", before=before, after=after)
    return department


def masked_webhook(url: str) -> str:
    """A robot's webhook carries its key in the query (``?key=…``, ``?access_token=…``):
    shown whole only to the office and the administrator."""
    if not url:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + ("?…" if parts.query else "")


def list_contacts(session: Session, *, actor: Actor) -> list[Contacts]:
    whole = allowed(actor, "view_notifications")
    return [Contacts(d.short_name, d.contact_person, d.contact_phone, d.contact_email,
                     d.webhook_url if whole else masked_webhook(d.webhook_url), d.webhook_preset,
                     d.notify_digest)
            for d in directory.list_departments(session)]
