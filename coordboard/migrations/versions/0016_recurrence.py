"""recurrence: recurring tasks (monthly or quarterly reports), one task per period

Revision ID: 0016
Revises: 0015
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
down_revision: str | None = '0015'
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
    # Not batch mode: on SQLite it would copy and drop ``task``, which other tables refer
    # to. SQLite adds a column with its reference in place; the pair's uniqueness is a
    # unique index on both backends.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE task ADD COLUMN recurrence_id INTEGER REFERENCES recurrence (id)")
    else:
        op.add_column('task', sa.Column('recurrence_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_task_recurrence_id', 'task', 'recurrence', ['recurrence_id'],
                              ['id'])
    op.add_column('task', sa.Column('recurrence_period',
                                    sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))
    op.create_index('uq_task_recurrence_period', 'task', ['recurrence_id', 'recurrence_period'],
                    unique=True)


def downgrade() -> None:
    op.drop_index('uq_task_recurrence_period', table_name='task')
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint('fk_task_recurrence_id', 'task', type_='foreignkey')
    op.drop_column('task', 'recurrence_period')
    op.drop_column('task', 'recurrence_id')  # SQLite 3.35+: a column without an index
    op.drop_table('recurrence')
