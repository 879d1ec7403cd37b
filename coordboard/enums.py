"""Closed vocabularies of the supervision domain.

Stored as plain strings (not native database enums) so that adding a value
never needs a PostgreSQL ``ALTER TYPE`` migration; services validate them.
"""

from enum import StrEnum


class DepartmentKind(StrEnum):
    OFFICE = "office"
    STATION = "station"
    VILLAGE = "village"
    COMMUNITY = "community"
    SCHOOL = "school"
    ENTERPRISE = "enterprise"
    OTHER = "other"


class Role(StrEnum):
    ADMIN = "admin"
    OFFICE = "office"  # the supervision office (法治办 / 督查室)
    HEAD = "head"
    STAFF = "staff"
    LEADER = "leader"  # read-only leadership


class TaskSource(StrEnum):
    """Where a task comes from (事项来源), in the order the office lists them. A task from a
    leader's instruction (领导批示) also records who gave it, when, and its words."""

    INSTRUCTION = "instruction"  # 领导批示
    MEETING = "meeting"  # 会议议定
    SUPERIOR = "superior"  # 上级交办
    DEPUTIES = "deputies"  # 人大建议/政协提案
    COMPLAINT = "complaint"  # 信访件
    ANNUAL_REPORT = "annual_report"  # 年度报告/工作要点
    INSPECTION = "inspection"  # 专项督查
    OTHER = "other"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class DeadlineRule(StrEnum):
    DATE = "date"
    WORKDAYS = "workdays"  # N working days from dispatch


class TaskStatus(StrEnum):
    DRAFT = "draft"
    ASSIGNED = "assigned"  # dispatched, waiting for acknowledgements
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    CLOSURE_REQUESTED = "closure_requested"
    CLOSED = "closed"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = (
    TaskStatus.ASSIGNED,
    TaskStatus.ACKNOWLEDGED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.CLOSURE_REQUESTED,
)


class UnitRole(StrEnum):
    LEAD = "lead"
    SUPPORT = "support"


class ContestState(StrEnum):
    NONE = "none"
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class NoteKind(StrEnum):
    REMINDER = "reminder"
    URGE = "urge"
    LETTER = "letter"  # formal supervision letter (督办函)
    PRAISE = "praise"
    CRITICISM = "criticism"
    BUCK_PASSING = "buck_passing"  # a finding that a unit passed the buck (推诿扯皮)


class RequestState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class ReviewState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    NONE = "none"  # drafts, closed, suspended, withdrawn: no light
