"""pinyin sort keys: task.title_key, department.name_key

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26

The board sorts titles and unit names in pinyin order, in SQL, on both backends: each
text gets a stored key (coordboard/collation.py), compared byte-wise (collation "C" on
PostgreSQL), and indexed. Existing rows get their keys here.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from coordboard.collation import KEY_LENGTH, sort_key

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = (("task", "title", "title_key"), ("department", "short_name", "name_key"))
BATCH = 2000


def _key_type() -> sa.types.TypeEngine[str]:
    return sa.String(KEY_LENGTH).with_variant(sa.String(KEY_LENGTH, collation="C"), "postgresql")


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch table copy: on SQLite a copy of ``task`` would drop the
    # integrity and closed-review triggers defined on it (0005, 0003). The empty default
    # stays, so a row written around the application still inserts (its key sorts first).
    bind = op.get_bind()
    for table, source, key in KEYS:
        op.add_column(table, sa.Column(key, _key_type(), nullable=False, server_default=""))
        rows = bind.execute(sa.text(f"SELECT id, {source} FROM {table}")).all()
        update = sa.text(f"UPDATE {table} SET {key} = :key WHERE id = :id")
        for start in range(0, len(rows), BATCH):
            bind.execute(update, [{"id": row_id, "key": sort_key(text or "")}
                                  for row_id, text in rows[start:start + BATCH]])
        op.create_index(f"ix_{table}_{key}", table, [key], unique=False)


def downgrade() -> None:
    for table, _source, key in KEYS:
        op.drop_index(f"ix_{table}_{key}", table_name=table)
        op.drop_column(table, key)
