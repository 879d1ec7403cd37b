"""audit_event: index on (action, occurred_at)

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26

The scoreboard, the period report and ``notify run`` read the events of one kind in a
period; without this index each read scanned the whole history (millions of rows in a
town's years). Adding an index changes no row, so the hash chain is untouched.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_audit_action_occurred", "audit_event", ["action", "occurred_at"])


def downgrade() -> None:
    op.drop_index("ix_audit_action_occurred", table_name="audit_event")
