"""Named board filters, stored per user in the database."""

from sqlmodel import Session, select

from coordboard import clock
from coordboard.collation import natural_key
from coordboard.errors import ValidationError
from coordboard.models import SavedFilter
from coordboard.services import fields
from coordboard.services.board import BoardFilter

MAX_NAME = fields.LIMITS["filter_name"]


def save(session: Session, *, user_id: int, name: str, flt: BoardFilter) -> SavedFilter:
    """Save under ``name``; saving an existing name replaces that filter."""
    name = fields.check("filter_name", name).strip()
    if not name:
        raise ValidationError("error.filter_name_required")
    row = session.exec(select(SavedFilter).where(
        SavedFilter.user_id == user_id, SavedFilter.name == name)).first()
    if row is None:
        row = SavedFilter(user_id=user_id, name=name, definition={}, created_at=clock.now())
    row.definition = flt.to_dict()
    session.add(row)
    session.flush()
    return row


def list_for(session: Session, user_id: int) -> list[tuple[str, BoardFilter]]:
    """A user's saved filters (a handful), in pinyin order with numbers as numbers."""
    rows = session.exec(select(SavedFilter).where(SavedFilter.user_id == user_id)).all()
    return [(row.name, BoardFilter.from_dict(row.definition))
            for row in sorted(rows, key=lambda row: (natural_key(row.name), row.name))]


def delete(session: Session, *, user_id: int, name: str) -> None:
    row = session.exec(select(SavedFilter).where(
        SavedFilter.user_id == user_id, SavedFilter.name == name)).first()
    if row is not None:
        session.delete(row)
