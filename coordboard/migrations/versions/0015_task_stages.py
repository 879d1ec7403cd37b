"""task_stage: dated stages (阶段节点) of a task, and task.next_stage_due

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26

A task may have dated stages, each with the unit responsible. A stage whose day has
passed without being reached lights the task yellow ("behind planned pace"). So the
board stays one indexed query, the earliest due day of the unreached stages is kept on
the task (``next_stage_due``, indexed) by services/stages.py; no task has stages before
this revision, so it starts NULL everywhere.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'task_stage',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('due', sa.Date(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('reached_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('reached_by', sa.Integer(), nullable=True),
        sa.Column('report', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['task_id'], ['task.id']),
        sa.ForeignKeyConstraint(['department_id'], ['department.id']),
        sa.ForeignKeyConstraint(['reached_by'], ['app_user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('task_id', 'seq', name='uq_task_stage_task_seq'),
    )
    # Plain ALTERs, not batch mode: on SQLite that would copy and drop ``task``, which other
    # tables refer to.
    op.add_column('task', sa.Column('next_stage_due', sa.Date(), nullable=True))
    op.create_index('ix_task_next_stage_due', 'task', ['next_stage_due'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_task_next_stage_due', table_name='task')
    op.drop_column('task', 'next_stage_due')  # SQLite 3.35+: a column without an index
    op.drop_table('task_stage')
