"""unit contacts and the notification outbox

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26

Units get a contact person, phone, e-mail and an optional group-robot webhook (issue 14
item 3), and ``notification`` is the outbox of ``coordboard notify run``: one row per
(event, unit, channel), unique, so a notice goes out once however many runs there are.
Department columns are plain ADD COLUMN (no batch table copy, as in 0010).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONTACTS = (('contact_person', 50, ''), ('contact_phone', 40, ''), ('contact_email', 254, ''),
            ('webhook_url', 500, ''), ('webhook_preset', 20, 'generic'))


def upgrade() -> None:
    for name, length, default in CONTACTS:
        op.add_column('department', sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length),
                                              nullable=False, server_default=default))
    op.add_column('department', sa.Column('notify_digest', sa.Boolean(), nullable=False,
                                          server_default=sa.false()))
    op.create_table(
        'notification',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=True),
        sa.Column('message', sa.JSON(none_as_null=True), nullable=True),
        sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('claimed_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['department_id'], ['department.id']),
        sa.ForeignKeyConstraint(['task_id'], ['task.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('event_key', 'department_id', 'channel',
                            name='uq_notification_event_unit_channel'),
    )
    op.create_index('ix_notification_state_due', 'notification', ['state', 'next_attempt_at'])
    op.create_index('ix_notification_task_id', 'notification', ['task_id'])


def downgrade() -> None:
    op.drop_index('ix_notification_task_id', table_name='notification')
    op.drop_index('ix_notification_state_due', table_name='notification')
    op.drop_table('notification')
    for name in ('notify_digest', *reversed([c[0] for c in CONTACTS])):
        op.drop_column('department', name)
