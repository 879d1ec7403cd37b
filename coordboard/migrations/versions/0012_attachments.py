"""attachment: evidence (佐证材料) stored in the database

Revision ID: 0012
Revises: 0010
Create Date: 2026-11-26

Files attached to a task, optionally to one of its feedback reports, supervision notes
or closure requests (the request's audit event). The bytes live in the database so a
backup holds everything; the name is kept exactly as given, with its content type,
size and SHA-256 (also recorded in the audit event).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0012'
down_revision = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('feedback_id', sa.Integer(), nullable=True),
        sa.Column('note_id', sa.Integer(), nullable=True),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('uploaded_by', sa.Integer(), nullable=True),
        sa.Column('uploaded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['task_id'], ['task.id']),
        sa.ForeignKeyConstraint(['feedback_id'], ['feedback.id']),
        sa.ForeignKeyConstraint(['note_id'], ['supervision_note.id']),
        sa.ForeignKeyConstraint(['uploaded_by'], ['app_user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_attachment_task_id', 'attachment', ['task_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_attachment_task_id', table_name='attachment')
    op.drop_table('attachment')
