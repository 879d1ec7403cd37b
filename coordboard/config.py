"""Effective settings: defaults, then the TOML file, then environment, then flags.

Each value remembers where it came from so ``coordboard config show`` can say.
"""

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from coordboard import paths
from coordboard.errors import ConfigError
from coordboard.i18n import DEFAULT_LANGUAGE, LANGUAGES


@dataclass
class Settings:
    db_url: str = ""  # empty means the SQLite file in the user data directory
    language: str = "zh"
    theme: str = ""  # the interface's colour theme (Textual's name); empty: Textual's default
    timezone: str = "Asia/Shanghai"
    # Warning lights (GLOSSARY defaults): yellow when the deadline is this many
    # working days away or fewer, or a unit has been silent longer than
    # ``feedback_period_workdays`` (at the end), or late to acknowledge (``ack_workdays``).
    yellow_workdays: int = 3
    ack_workdays: int = 1
    contest_workdays: int = 3
    session_hours: int = 12
    max_failed_logins: int = 5
    # The weekly review and its paperwork.
    office_name: str = "依法治镇领导小组办公室"  # issuer of the bulletin (督办通报)
    review_section_limit: int = 30  # agenda items per section, worst first
    # Scoring (考核), the published default in GLOSSARY; points per event.
    score_on_time_lead: float = 2.0
    score_on_time_support: float = 1.0
    score_overdue_lead: float = -5.0
    score_overdue_support: float = -2.5
    score_praise_lead: float = 1.0
    score_praise_support: float = 0.5
    score_criticism_lead: float = -1.0
    score_criticism_support: float = -0.5
    score_returned: float = -2.0  # to the lead unit, per return for rework (退回重办)
    score_buck_passing: float = -1.0  # per unit named in a finding of passing the buck (推诿扯皮)
    # A database server that never answers must not hang a command: seconds to wait
    # for a connection, and (PostgreSQL) for any one statement.
    db_connect_timeout: int = 5
    db_statement_timeout: int = 30
    # The audit chain's HMAC keys, one per database, outside every database (docs/security.md).
    audit_key_file: str = ""  # empty means audit.key in the user data directory
    # Sane input windows (services/deadlines.py): a deadline at most this many years
    # ahead; a deadline in working days at most this many.
    max_deadline_years: int = 5
    max_workdays: int = 250
    # Silence counts working days, like deadlines (docs/rules.md); it replaced
    # ``feedback_period_days`` (calendar days), which config files may still name.
    feedback_period_workdays: int = 5
    # Paperwork (issue 12): the town named in the ledger's title ("XX镇督办事项台账"), and
    # the bulletin's distribution lines (版记); empty lines are left out.
    town_name: str = ""
    bulletin_main_to: str = ""  # 主送
    bulletin_copy_to: str = ""  # 抄送
    bulletin_printed_by: str = ""  # 印发 (default: office_name)
    notice_contact: str = ""  # contact line of the supervision notice (督办通知单)
    # Evidence (佐证材料) is stored in the database: the largest file, and the most one task
    # may hold, in MB (1 MB = 1,048,576 bytes); the same limits on SQLite and PostgreSQL.
    attachment_max_mb: int = 20
    attachment_task_max_mb: int = 200
    # Notifications (``coordboard notify run``, docs/notifications.md). The password is
    # best given as COORDBOARD_NOTIFY_SMTP_PASSWORD; ``config show`` never prints it.
    notify_smtp_host: str = ""
    notify_smtp_port: int = 25
    notify_smtp_security: str = "starttls"  # none, starttls or ssl
    notify_smtp_user: str = ""
    notify_smtp_password: str = ""
    notify_smtp_from: str = ""
    notify_timeout_seconds: int = 10  # per send: a server that never answers cannot hang a run
    notify_retry_minutes: int = 10  # first wait after a failed send; doubles each time, at most a day
    notify_max_attempts: int = 8  # then the notice is marked failed and listed by ``notify status``
    notify_lookback_days: int = 3  # events older than this are never sent (e.g. on the first run)
    notify_digest_hour: int = 8  # a unit on the daily digest gets it at the first run after this hour
    # The office's own DOCX template for the bulletin (docs/paperwork.md lists its
    # placeholders); empty means the built-in GB/T 9704 layout.
    bulletin_template: str = ""
    sources: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def database_url(self) -> str:
        return database_url(self.db_url) if self.db_url else paths.default_database_url()

    def items(self) -> list[tuple[str, Any, str]]:
        rows = []
        for f in fields(self):
            if f.name == "sources":
                continue
            value = getattr(self, f.name)
            if f.name == "db_url" and not value:
                value = self.database_url
            if f.name in SECRET and value:
                value = "********"
            rows.append((f.name, value, self.sources.get(f.name, "default")))
        return rows


# A file's path has no colon, or only a Windows drive's (``demo.db``, ``~/data/x.db``,
# ``C:\\data\\x.db``); anything else is a URL ("sqlite:///…", "postgresql://…"), or a
# malformed one, which is refused as such.
_PATH = re.compile(r"^(?:[A-Za-z]:[\\/])?[^:]*$")


def database_url(value: str) -> str:
    """``--db``, ``COORDBOARD_DB_URL`` and ``db_url`` take a URL or a plain file path, as
    ``demo --db`` does; a path becomes the URL of that file (absolute, so the login kept
    for it is found again from another folder)."""
    if not _PATH.match(value):
        return value
    return f"sqlite:///{Path(value).expanduser().resolve().as_posix()}"


SECRET = {"notify_smtp_password"}  # never printed by ``config show``
ENV_PREFIX = "COORDBOARD_"
_FIELD_TYPES = {f.name: f.type for f in fields(Settings) if f.name != "sources"}
# Old names still read from config files and the environment: old name → new name and how
# to convert (7 calendar days are 5 working days).
RENAMED = {"feedback_period_days": ("feedback_period_workdays",
                                    lambda days: max(1, round(int(days) * 5 / 7)))}


def _coerce(name: str, raw: Any, origin: str) -> Any:
    kind = _FIELD_TYPES[name]
    number = {int: int, "int": int, float: float, "float": float}.get(kind)
    if number is not None:
        if isinstance(raw, bool):  # TOML true is not 1
            raise ConfigError("error.config_value", name=name, value=raw, origin=origin)
        try:
            return number(raw)
        except (TypeError, ValueError):
            raise ConfigError("error.config_value", name=name, value=raw, origin=origin) from None
    if not isinstance(raw, str):
        raise ConfigError("error.config_value", name=name, value=raw, origin=origin)
    return raw


def _validate(settings: Settings) -> None:
    if settings.language not in LANGUAGES:
        raise ConfigError(
            "error.config_language", value=settings.language, allowed=", ".join(LANGUAGES)
        )
    import pendulum  # here, not at import: ``coordboard --help`` reads the language only

    try:
        pendulum.timezone(settings.timezone)
    except (ValueError, OSError):  # unknown name, or one too long for a file name
        raise ConfigError("error.config_timezone", value=settings.timezone) from None


def _read_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    import tomllib  # only when there is a file to read

    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError("error.config_file", path=str(path), detail=str(exc)) from None
    for old, (new, convert) in RENAMED.items():
        if old in data and new not in data:
            try:
                data[new] = convert(data.pop(old))
            except (TypeError, ValueError):
                raise ConfigError("error.config_value", name=old, value=data.get(old),
                                  origin=str(path)) from None
        data.pop(old, None)
    unknown = sorted(set(data) - set(_FIELD_TYPES))
    if unknown:
        raise ConfigError("error.config_unknown", path=str(path), names=", ".join(unknown))
    return data


def load_settings(**flags: Any) -> Settings:
    """Build the effective settings. ``flags`` are command-line values (None = not given)."""
    settings = _collect(flags)
    _validate(settings)
    return settings


def configured_language(flag: str | None = None) -> str:
    """The interface language before anything else is read (for ``--help``): the flag, the
    environment or the file; the default when they are unreadable or name no language
    (the command that follows reports a broken configuration in full)."""
    try:
        language = _collect({"language": flag}).language
    except ConfigError:
        language = DEFAULT_LANGUAGE
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def _collect(flags: dict[str, Any]) -> Settings:
    settings = Settings()
    path = paths.config_file()
    for name, raw in _read_file(path).items():
        setattr(settings, name, _coerce(name, raw, str(path)))
        settings.sources[name] = str(path)
    for name in _FIELD_TYPES:
        env = ENV_PREFIX + name.upper()
        if env in os.environ:
            setattr(settings, name, _coerce(name, os.environ[env], env))
            settings.sources[name] = env
    if "COORDBOARD_LANG" in os.environ and "COORDBOARD_LANGUAGE" not in os.environ:
        settings.language = os.environ["COORDBOARD_LANG"]
        settings.sources["language"] = "COORDBOARD_LANG"
    for name, value in flags.items():
        if value is not None:
            setattr(settings, name, _coerce(name, value, "--" + name))
            settings.sources[name] = "--" + name.replace("_", "-")
    return settings


def save_preferences(**values: str) -> Path:
    """Remember choices made in the app (language, theme) in the user's config file, for the
    next start. Only those lines change: every other setting, comment and line stays as the
    user wrote it. A value set by the environment or a flag still wins at the next start."""
    import json  # only when saving: --version and --help load nothing they do not need

    unknown = sorted(set(values) - set(_FIELD_TYPES))
    if unknown:
        raise ValueError(f"not settings: {unknown}")
    path = paths.config_file()
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    lines = text.splitlines()
    for name, value in values.items():
        line = f"{name} = {json.dumps(value, ensure_ascii=False)}"  # a TOML basic string
        pattern = re.compile(rf"^\s*{re.escape(name)}\s*=")
        at = next((i for i, old in enumerate(lines) if pattern.match(old)), None)
        if at is None:
            # Top-level keys go before the first table header (the file has none today).
            header = next((i for i, old in enumerate(lines) if old.lstrip().startswith("[")),
                          len(lines))
            lines.insert(header, line)
        else:
            lines[at] = line
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    temporary.replace(path)
    return path
