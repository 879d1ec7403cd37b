"""keyed audit chain and review anchors

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25

The plain SHA-256 chain can be recomputed by anyone who can write to the database.
Each event now also carries an HMAC of its hash with a key kept outside the
database (``mac``), and the audited fields of its task after the change
(``task_state``), so a task row edited behind the application's back is found.
A closed review keeps the chain's length and head hash at closing: an anchor
printed on the bulletin. Columns are only added, so the append-only triggers stay.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mac', sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=True))
        batch_op.add_column(sa.Column('task_state', sa.JSON(), nullable=True))
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anchor_length', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('anchor_head', sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN on both backends (SQLite >= 3.35): a batch copy of `review` would
    # rename tables under the closed-review triggers of 0003/0005, which SQLite refuses.
    for table, column in (('review', 'anchor_head'), ('review', 'anchor_length'),
                          ('audit_event', 'task_state'), ('audit_event', 'mac')):
        op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
