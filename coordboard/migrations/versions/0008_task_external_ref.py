"""task.external_ref: the imported ledger row a task came from

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25

``coordboard import ledger`` stores a reference per ledger row (a hash of the
file name and the row's 序号/编号) so that importing the same file again updates
the tasks it made instead of duplicating them. Unique, NULL for tasks entered
by hand (NULLs never collide on SQLite or PostgreSQL).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_ref', sqlmodel.sql.sqltypes.AutoString(length=80),
                                      nullable=True))
        batch_op.create_index('ix_task_external_ref', ['external_ref'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index('ix_task_external_ref')
        batch_op.drop_column('external_ref')
