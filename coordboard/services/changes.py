"""A cheap 'has anything changed?' check for screens that stay open.

Every change writes an audit event in the same transaction, so the newest audit
id moves exactly when data does; reading it is one index lookup, whatever the
size of the ledger.
"""

from sqlalchemy import func
from sqlmodel import Session, col, select

from coordboard.models import AuditEvent


def stamp(session: Session) -> int:
    return int(session.exec(select(func.max(col(AuditEvent.id)))).one() or 0)
