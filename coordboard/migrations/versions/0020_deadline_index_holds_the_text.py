"""task: the deadline index also holds id, title and code

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-26

The board lists tasks by deadline, and its search box filters them by title or code
(``LIKE '%x%'``, which no index can seek). SQLite walks the deadline index in order and
looked up every task's row to test its title: a word few titles contain read all
100,000 rows in their deadline order, ~300 ms for one keystroke. With id, title and code
in the index the test is made on the index entry and only matching tasks are looked up
(~50 ms), and ``ORDER BY deadline, id`` needs no sort. Indexes change no row, so the
hash chain is untouched.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_task_deadline", table_name="task")
    op.create_index("ix_task_deadline", "task", ["deadline", "id", "title", "code"])


def downgrade() -> None:
    op.drop_index("ix_task_deadline", table_name="task")
    op.create_index("ix_task_deadline", "task", ["deadline"])
