"""index of contests awaiting a decision

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

The weekly agenda and the office's home look up units whose contest awaits the
office; without an index each lookup scanned every task unit (285k rows at 100k
tasks, ~27 ms a scan, three scans per agenda). A partial index holds only the
pending ones.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("contest_state = 'pending'")


def upgrade() -> None:
    with op.batch_alter_table('task_unit', schema=None) as batch_op:
        batch_op.create_index('ix_task_unit_contest_pending', ['task_id'], unique=False,
                              sqlite_where=PENDING, postgresql_where=PENDING)


def downgrade() -> None:
    with op.batch_alter_table('task_unit', schema=None) as batch_op:
        batch_op.drop_index('ix_task_unit_contest_pending')
