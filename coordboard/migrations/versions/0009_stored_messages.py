"""machine-written text stored as codes and parameters

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26

Review decisions, the description of a task made from a decision and the body of an
escalated note were stored as sentences in the interface language of whoever acted,
so an office user running English wrote English into the Chinese bulletin and the
audit trail. They are now stored as messages (catalogue keys and parameters, JSON)
and put into words when shown (services/stored_text.py). Rows written before keep
their text and are shown as stored. Columns are only added, so the triggers stay.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (('task', 'description_message'), ('supervision_note', 'body_message'),
           ('review_item', 'decision_message'))


def upgrade() -> None:
    for table, column in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN on both backends (SQLite >= 3.35): a batch copy of `review_item`
    # would rename tables under the closed-review triggers of 0003/0005. What was stored
    # only as a message is lost (a closed review's items cannot be rewritten, the
    # triggers refuse it): restore the backup taken before upgrading rather than go back.
    for table, column in reversed(COLUMNS):
        op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
