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
    MEETING = "meeting"
    SUPERIOR = "superior"
    ANNUAL_REPORT = "annual_report"
    COMPLAINT = "complaint"
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
