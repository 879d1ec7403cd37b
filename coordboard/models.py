"""Plain SQLModel tables. Rules live in ``coordboard.services``, not here.

Instants are aware datetimes (stored as UTC by sqlmodel's ``UTCDateTime``);
calendar days such as deadlines are ``date``. Enumerated values are strings,
see ``coordboard.enums``.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
    text,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapper, declared_attr
from sqlmodel import Field, SQLModel

from coordboard.collation import KEY_LENGTH, sort_key

LEAD_ONLY = text("role = 'lead'")


def message_column() -> Column[Any]:
    """Machine-written text as codes and parameters (services/stored_text.py); SQL NULL
    when there is none."""
    return Column(JSON(none_as_null=True), nullable=True)


CONTEST_PENDING = text("contest_state = 'pending'")
EXTENDED = text("deadline <> original_deadline")


def _sort_key_column(source: str) -> Any:
    """The pinyin sort key of column ``source`` (coordboard/collation.py): compared byte-wise
    on both backends, and computed by a core INSERT that leaves it out (the importer's bulk
    insert, the benchmark generator); the ORM sets it in ``_keep_sort_keys`` below."""
    def default(context: DefaultExecutionContext) -> str:
        return sort_key(context.get_current_parameters().get(source) or "")

    return Column(String(KEY_LENGTH).with_variant(String(KEY_LENGTH, collation="C"), "postgresql"),
                  nullable=False, default=default, server_default="", index=True)


class Department(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    short_name: str = Field(max_length=40)
    kind: str = Field(default="office", max_length=20)
    active: bool = Field(default=True)
    sort_order: int = Field(default=0)
    name_key: str = Field(default="", sa_column=_sort_key_column("short_name"))
    # Whom the office reaches, and how notifications go out (services/contacts.py).
    contact_person: str = Field(default="", max_length=50)
    contact_phone: str = Field(default="", max_length=40)
    contact_email: str = Field(default="", max_length=254)
    webhook_url: str = Field(default="", max_length=500)
    webhook_preset: str = Field(default="generic", max_length=20)  # generic, wecom, dingtalk
    notify_digest: bool = Field(default=False)  # one message a day instead of one per event


class User(SQLModel, table=True):
    __tablename__ = "app_user"  # "user" is reserved in PostgreSQL

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=100)
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    role: str = Field(max_length=20)
    password_hash: str = Field(max_length=255)
    active: bool = Field(default=True)
    failed_logins: int = Field(default=0)
    locked_until: datetime | None = None
    created_at: datetime


class LoginSession(SQLModel, table=True):
    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(max_length=128, unique=True)
    created_at: datetime
    expires_at: datetime


class CodeCounter(SQLModel, table=True):
    """Next task number per year; the row lock makes concurrent registrations safe."""

    __tablename__ = "code_counter"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    next_seq: int = Field(default=1)


class Task(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("year", "seq", name="uq_task_year_seq"),
        Index("ix_task_status_deadline", "status", "deadline"),
        Index("ix_task_lead_status", "lead_department_id", "status"),
        # One task per recurring rule and period, however many runs (services/recurrence.py);
        # NULLs (tasks entered by hand) never collide on SQLite or PostgreSQL.
        Index("uq_task_recurrence_period", "recurrence_id", "recurrence_period", unique=True),
        # Extended tasks, judged with their history by the reports (migration 0019).
        Index("ix_task_extended", "id", sqlite_where=EXTENDED),
        # The board's order, with what its search box tests, so a search reads index
        # entries and looks up only the tasks that match (migration 0020).
        Index("ix_task_deadline", "deadline", "id", "title", "code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    year: int
    seq: int
    title: str = Field(max_length=500)
    title_key: str = Field(default="", sa_column=_sort_key_column("title"))
    description: str = Field(default="", sa_type=Text)  # as typed
    # Machine-written text shown before the description, as codes and parameters
    # (services/stored_text.py), e.g. "decided at review 2026-W48"; None for most tasks.
    description_message: Any = Field(default=None, sa_column=message_column())
    source: str = Field(default="other", max_length=20)
    # 领导批示: who gave the instruction, on which day, and its words as typed; empty for
    # every other source (the rule: services/sources.py).
    instruction_by: str = Field(default="", max_length=100)
    instruction_date: date | None = None
    instruction_text: str = Field(default="", sa_type=Text)
    # The name of an entry of ``category`` ("" for none), kept as text so that the board
    # filters on the task's own indexed column; a rename updates the tasks with it.
    category: str = Field(default="", max_length=50, index=True)
    priority: str = Field(default="normal", max_length=10)
    # The responsible leader (责任领导), a user with the leader role (services/leaders.py);
    # ``leader`` keeps a name as written only when it is not a user (an old or imported
    # ledger's name that matched no leader): "" whenever ``leader_id`` is set.
    leader_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    leader: str = Field(default="", max_length=100)
    deadline: date  # indexed with id, title and code (below)
    original_deadline: date  # deadline before any approved extension, for scoring
    deadline_rule: str = Field(default="date", max_length=10)
    deadline_workdays: int | None = None
    status: str = Field(default="draft", max_length=20, index=True)
    # Denormalised from task_unit / supervision_note so that a whole board's
    # lights are one indexed query, not a query per task.
    lead_department_id: int | None = Field(default=None, foreign_key="department.id")
    stalest_report_at: datetime | None = None  # oldest "last heard from" over the units
    last_feedback_at: datetime | None = None
    open_urge_respond_by: date | None = None  # earliest respond-by of unanswered urges
    # Earliest due day of the stages (阶段节点) not yet reached (services/stages.py keeps
    # it): a passed one lights the task yellow, "behind planned pace" (services/rules.py).
    next_stage_due: date | None = Field(default=None, index=True)
    return_count: int = Field(default=0)
    parent_id: int | None = Field(default=None, foreign_key="task.id", index=True)
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime
    updated_at: datetime
    dispatched_at: datetime | None = None
    closed_at: datetime | None = None
    # The office's day the lead unit asked for closure (the request now waiting, or the one
    # accepted); cleared when the office returns the task. A request on or before the
    # deadline stops the clock, and an accepted one counts as finished that day (rules.py).
    closure_requested_on: date | None = None
    version: int = Field(default=1)
    # The row of an imported ledger this task came from, so a re-import updates it.
    external_ref: str | None = Field(default=None, max_length=80, unique=True, index=True)
    # The recurring rule this task is an occurrence of, and its period ("2026-11", "2026Q4").
    recurrence_id: int | None = Field(default=None, foreign_key="recurrence.id")
    recurrence_period: str | None = Field(default=None, max_length=10)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Recurrence(SQLModel, table=True):
    """A recurring task (monthly or quarterly report): a template, a schedule and a state.

    ``services/recurrence.py`` makes one task per period from it, registered and
    dispatched as any task; the task carries ``recurrence_id`` and its period key.
    """

    id: int | None = Field(default=None, primary_key=True)
    title_pattern: str = Field(max_length=500)  # "{period}" is replaced by the period in Chinese
    description: str = Field(default="", sa_type=Text)
    source: str = Field(default="other", max_length=20)
    category: str = Field(default="", max_length=50)
    priority: str = Field(default="normal", max_length=10)
    leader: str = Field(default="", max_length=100)
    lead_department_id: int = Field(foreign_key="department.id")
    lead_part: str = Field(default="", sa_type=Text)
    # [{"department_id": 3, "part": "…"}, …] in order
    supporters: list[dict[str, Any]] = Field(default_factory=list,
                                             sa_column=Column(JSON, nullable=False))
    workdays: int  # deadline: working days from dispatch
    frequency: str = Field(max_length=10)  # monthly, quarterly
    day: int  # day of the month it is due (past the month's end: its last day)
    month_in_quarter: int | None = None  # quarterly: 1..3
    start_period: str = Field(max_length=10)
    end_period: str | None = Field(default=None, max_length=10)  # last period made, if any
    state: str = Field(default="active", max_length=10)  # active, paused, ended
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime
    updated_at: datetime


class Category(SQLModel, table=True):
    """The office's list of task categories (类别: 普法宣传, 依法决策, ...). A retired one
    stays on the tasks that have it but is no longer offered (services/categories.py)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=50, unique=True)
    sort_order: int = Field(default=0)
    retired: bool = Field(default=False)


class TaskUnit(SQLModel, table=True):
    __tablename__ = "task_unit"
    __table_args__ = (
        UniqueConstraint("task_id", "department_id", name="uq_task_unit_task_department"),
        # Partial indexes: the PostgreSQL predicate is added by postgresql_partial_indexes().
        Index("uq_task_unit_one_lead", "task_id", unique=True, sqlite_where=LEAD_ONLY),
        Index("ix_task_unit_department_role", "department_id", "role", "task_id"),
        # Contests awaiting the office are a handful among every unit of every task.
        Index("ix_task_unit_contest_pending", "task_id", sqlite_where=CONTEST_PENDING),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")
    department_id: int = Field(foreign_key="department.id")
    role: str = Field(max_length=10)
    part: str = Field(default="", sa_type=Text)  # the unit's stated part of the work
    acknowledged_at: datetime | None = None
    last_feedback_at: datetime | None = None
    contest_state: str = Field(default="none", max_length=10)
    contest_reason: str | None = Field(default=None, sa_type=Text)
    contest_decision: str | None = Field(default=None, sa_type=Text)


class TaskStage(SQLModel, table=True):
    """A dated stage (阶段节点) of a task, with the unit that answers for it.

    ``seq`` numbers the stages of one task from 1 (①②③) in order of their due day; the
    report (``report``) is what was said when it was marked reached. Rules: services/stages.py.
    """

    __tablename__ = "task_stage"
    __table_args__ = (UniqueConstraint("task_id", "seq", name="uq_task_stage_task_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")
    seq: int
    title: str = Field(max_length=200)
    due: date
    department_id: int = Field(foreign_key="department.id")
    reached_at: datetime | None = None
    reached_by: int | None = Field(default=None, foreign_key="app_user.id")
    report: str = Field(default="", sa_type=Text)


class Feedback(SQLModel, table=True):
    __table_args__ = (
        Index("ix_feedback_task_created", "task_id", "created_at"),
        # Each unit's latest report (max id per task and unit) read from the index alone.
        Index("ix_feedback_task_unit", "task_id", "department_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")
    department_id: int = Field(foreign_key="department.id", index=True)
    author_id: int | None = Field(default=None, foreign_key="app_user.id")
    body: str = Field(sa_type=Text)
    percent: int | None = None  # self-reported progress, 0..100
    created_at: datetime


class SupervisionNote(SQLModel, table=True):
    __tablename__ = "supervision_note"
    __table_args__ = (Index("ix_note_task_created", "task_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")
    department_id: int | None = Field(default=None, foreign_key="department.id")
    kind: str = Field(max_length=12)
    body: str = Field(sa_type=Text)  # as typed ("" for a note the program wrote)
    # Machine-written text shown before the body (an escalation), as codes and parameters.
    body_message: Any = Field(default=None, sa_column=message_column())
    author_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime
    respond_by: date | None = None
    response: str | None = Field(default=None, sa_type=Text)
    responded_at: datetime | None = None
    responded_by: int | None = Field(default=None, foreign_key="app_user.id")
    escalated_from_id: int | None = Field(default=None, foreign_key="supervision_note.id")


PENDING_ONLY = text("state = 'pending'")


class ExtensionRequest(SQLModel, table=True):
    __tablename__ = "extension_request"
    # One pending request per task, even when two units ask at the same moment.
    __table_args__ = (
        Index("uq_extension_request_one_pending", "task_id", unique=True,
              sqlite_where=PENDING_ONLY),  # PostgreSQL: see postgresql_partial_indexes()
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    department_id: int = Field(foreign_key="department.id")
    requested_by: int | None = Field(default=None, foreign_key="app_user.id")
    old_deadline: date
    new_deadline: date
    reason: str = Field(sa_type=Text)
    state: str = Field(default="pending", max_length=10, index=True)
    decided_by: int | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime | None = None
    decision_note: str | None = Field(default=None, sa_type=Text)
    created_at: datetime


OPEN_ONLY = text("state = 'open'")


class Review(SQLModel, table=True):
    # One review open at a time, even when two office users start one at once.
    __table_args__ = (
        Index("uq_review_one_open", "state", unique=True, sqlite_where=OPEN_ONLY),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: int | None = Field(default=None, unique=True)  # issue number, given on closing
    week: str = Field(max_length=10, index=True)  # ISO week, e.g. 2026-W48
    state: str = Field(default="open", max_length=10)
    attendees: str = Field(default="", sa_type=Text)
    next_steps: str = Field(default="", sa_type=Text)
    started_by: int | None = Field(default=None, foreign_key="app_user.id")
    started_at: datetime
    as_of: date  # the office's day the agenda was built for
    # How many tasks each section matched when the agenda was built (the agenda lists
    # the worst few of each), so a closed review still says how large each problem was.
    section_totals: dict[str, Any] = Field(default_factory=dict,
                                           sa_column=Column(JSON, nullable=False))
    closed_by: int | None = Field(default=None, foreign_key="app_user.id")
    closed_at: datetime | None = None
    # The audit chain's length and head hash at closing: a witness outside the chain
    # (printed on the bulletin) that `audit verify --anchor` checks without the key.
    anchor_length: int | None = None
    anchor_head: str | None = Field(default=None, max_length=64)


class ReviewItem(SQLModel, table=True):
    __tablename__ = "review_item"
    __table_args__ = (Index("ix_review_item_review_position", "review_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id")
    task_id: int = Field(foreign_key="task.id", index=True)
    section: str = Field(max_length=20)  # red, newly_overdue, yellow, silent, requests, follow_up
    position: int
    light: str = Field(default="none", max_length=10)  # the task's light when the agenda was built
    # None until decided. Rows written since 0009: the typed decision when that is all
    # it is; "" when ``decision_message`` holds it (request decisions, a task made from
    # it, as codes and parameters, with any typed words in place). See stored_text.py.
    decision: str | None = Field(default=None, sa_type=Text)
    decision_message: Any = Field(default=None, sa_column=message_column())
    decided_by: int | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime | None = None
    new_task_id: int | None = Field(default=None, foreign_key="task.id")  # a decision made a task


class AuditEvent(SQLModel, table=True):
    """Append-only, hash-chained history. Triggers refuse UPDATE and DELETE.

    ``hash`` is public (anyone can recompute it); ``mac`` is an HMAC of it with a key
    kept outside the database. ``task_state`` is the task's audited fields after the
    change, so a task row edited behind the application's back is found.
    """

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_entity", "entity", "entity_id"),
        # The period's events of a kind (returns for the scoreboard and the 月报, what
        # `notify run` announces): a range of the index instead of a scan of the whole history.
        Index("ix_audit_action_occurred", "action", "occurred_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    entity: str = Field(max_length=30)
    entity_id: int
    task_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=40)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    mac: str | None = Field(default=None, max_length=64)
    task_state: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class Attachment(SQLModel, table=True):
    """Evidence (佐证材料) on a task, stored in the database so that a backup holds it.

    Linked to the task and, optionally, to the feedback, supervision note or closure
    request (its audit event) it supports. ``name`` is the file name exactly as given
    (shown visibly, saved under a safe name: services/attachments.py). Lists read the
    columns without ``content``; the bytes are read in chunks when saved.
    """

    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_task_id", "task_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")
    feedback_id: int | None = Field(default=None, foreign_key="feedback.id")
    note_id: int | None = Field(default=None, foreign_key="supervision_note.id")
    # A closure request's audit event. No foreign key: the record refuses TRUNCATE by its
    # own trigger, which a referencing table would pre-empt with a constraint error.
    event_id: int | None = None
    name: str = Field(sa_type=Text)
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    uploaded_by: int | None = Field(default=None, foreign_key="app_user.id")
    uploaded_at: datetime


class CalendarOverride(SQLModel, table=True):
    __tablename__ = "calendar_override"

    day: date = Field(primary_key=True)
    is_workday: bool
    note: str = Field(default="", max_length=200)


class SavedFilter(SQLModel, table=True):
    """A board filter a user named, so it follows them to any office PC."""

    __tablename__ = "saved_filter"
    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_saved_filter_user_name"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id")
    name: str = Field(max_length=60)
    definition: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime


class Notification(SQLModel, table=True):
    """The outbox (services/notify.py): one row per event, unit and channel, so a notice is
    sent once however often and however many runs of ``notify run`` there are."""

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("event_key", "department_id", "channel",
                         name="uq_notification_event_unit_channel"),
        Index("ix_notification_state_due", "state", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_key: str = Field(max_length=120)  # e.g. "audit:42", "overdue:7:2026-11-20"
    department_id: int = Field(foreign_key="department.id")
    channel: str = Field(max_length=10)  # email, webhook, digest (held for the daily digest)
    kind: str = Field(max_length=20)
    task_id: int | None = Field(default=None, foreign_key="task.id", index=True)
    # Subject and body as codes and parameters (services/stored_text.py), worded when sent.
    message: Any = Field(default=None, sa_column=message_column())
    state: str = Field(default="pending", max_length=10)  # queued, pending, sending, sent, failed, digested
    attempts: int = Field(default=0)
    next_attempt_at: datetime
    claimed_until: datetime | None = None  # a run that died while sending gives it up then
    last_error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime
    sent_at: datetime | None = None


class AppMeta(SQLModel, table=True):
    """Facts about this database as a whole (e.g. that it holds the demo town)."""

    __tablename__ = "app_meta"

    key: str = Field(primary_key=True, max_length=40)
    value: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


@event.listens_for(Task, "before_insert")
@event.listens_for(Task, "before_update")
@event.listens_for(Department, "before_insert")
@event.listens_for(Department, "before_update")
def _keep_sort_keys(_mapper: Mapper[Any], _connection: Any, target: Task | Department) -> None:
    """The sort key follows its text on every ORM write (only when the text changed: most
    updates of a task are status changes)."""
    source, key = ("title", "title_key") if isinstance(target, Task) else ("short_name", "name_key")
    state = inspect(target)
    if not state.has_identity or state.attrs[source].history.has_changes():
        setattr(target, key, sort_key(getattr(target, source)))


def postgresql_partial_indexes() -> None:
    """Give every partial index its PostgreSQL predicate, the same as SQLite's (idempotent).

    Written as ``postgresql_where=`` in the tables, it made SQLAlchemy import its whole
    PostgreSQL dialect when this module was imported, on SQLite too (70–140 ms of every
    start). ``make_engine`` calls this when it makes a PostgreSQL engine, which loads that
    dialect anyway. The migrations create the indexes with both predicates themselves.
    """
    for table in SQLModel.metadata.tables.values():
        for index in table.indexes:
            where = index.dialect_options["sqlite"]["where"]
            if where is not None:
                index.dialect_options["postgresql"]["where"] = where
