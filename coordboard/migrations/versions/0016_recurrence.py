"""recurrence: recurring tasks (monthly or quarterly reports), one task per period

Revision ID: 0016
Revises: 0012
Create Date: 2026-11-26

A rule holds a task's template (title pattern, units and parts, deadline in working
days), a schedule (monthly on day D, quarterly on month M of the quarter, day D) and
its state. Each task it makes records the rule and the period ("2026-11", "2026Q4"),
unique together, so two runs of ``recur run`` (or two at the same moment) never make
a period twice.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0016'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'recurrence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title_pattern', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column('priority', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('leader', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('lead_department_id', sa.Integer(), nullable=False),
        sa.Column('lead_part', sa.Text(), nullable=False),
        sa.Column('supporters', sa.JSON(), nullable=False),
        sa.Column('workdays', sa.Integer(), nullable=False),
        sa.Column('frequency', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('day', sa.Integer(), nullable=False),
        sa.Column('month_in_quarter', sa.Integer(), nullable=True),
        sa.Column('start_period', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('end_period', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['lead_department_id'], ['department.id']),
        sa.ForeignKeyConstraint(['created_by'], ['app_user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recurrence_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('recurrence_period',
                                      sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))
        batch_op.create_foreign_key('fk_task_recurrence_id', 'recurrence', ['recurrence_id'],
                                    ['id'])
        batch_op.create_unique_constraint('uq_task_recurrence_period',
                                          ['recurrence_id', 'recurrence_period'])


def downgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_constraint('uq_task_recurrence_period', type_='unique')
        batch_op.drop_constraint('fk_task_recurrence_id', type_='foreignkey')
        batch_op.drop_column('recurrence_period')
        batch_op.drop_column('recurrence_id')
    op.drop_table('recurrence')
