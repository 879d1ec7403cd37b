"""leaders' instructions (领导批示) on tasks, and the managed list of categories

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26

A task from a leader's instruction records who gave it, on which day and its words
(issue 14 item 5): three plain ADD COLUMNs, empty for every existing task. Categories
(类别) become a list the office keeps: the ``category`` table starts with the usual
ones, and every category already typed on a task becomes an entry, so existing tasks
keep theirs and the board can filter by it (``task.category`` stays the name, indexed).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The list a new database starts with, as it was at this revision (services/categories.py
# keeps the current one for documentation; a migration never imports the code it migrates).
DEFAULT_CATEGORIES = ("普法宣传", "依法决策", "行政执法", "依法行政", "矛盾纠纷化解", "基层治理",
                      "营商环境", "干部学法")
STEP = 10


def upgrade() -> None:
    op.add_column('task', sa.Column('instruction_by', sqlmodel.sql.sqltypes.AutoString(length=100),
                                    nullable=False, server_default=''))
    op.add_column('task', sa.Column('instruction_date', sa.Date(), nullable=True))
    op.add_column('task', sa.Column('instruction_text', sa.Text(), nullable=False,
                                    server_default=''))
    op.create_index('ix_task_category', 'task', ['category'], unique=False)
    category = op.create_table(
        'category',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column('sort_order', sa.Integer(), nullable=False),
        sa.Column('retired', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )
    typed = op.get_bind().execute(sa.text(
        "SELECT DISTINCT category FROM task WHERE category <> ''")).scalars().all()
    names = list(DEFAULT_CATEGORIES) + sorted(set(typed) - set(DEFAULT_CATEGORIES))
    op.bulk_insert(category, [{"name": name, "sort_order": (position + 1) * STEP,
                               "retired": False} for position, name in enumerate(names)])


def downgrade() -> None:
    op.drop_table('category')
    op.drop_index('ix_task_category', table_name='task')
    # Plain DROP COLUMN, never a batch table copy, which on SQLite would drop the triggers
    # defined on ``task`` (as in 0010).
    for name in ('instruction_text', 'instruction_date', 'instruction_by'):
        op.drop_column('task', name)
