"""one pending extension request per task; a closed review keeps its items

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

Two guards in the database itself, behind the services' own checks:

- At most one pending extension request per task (a partial unique index): two
  requests made at the same moment used to both pass the Python check.
- A closed review keeps its items: an item may not be moved into or out of a
  closed review (migration 0003 only looked at the row's old review), and on
  PostgreSQL ``TRUNCATE review`` / ``TRUNCATE review_item`` are refused (row
  triggers do not fire on TRUNCATE; audit_event refuses it since 0001).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("state = 'pending'")
IMMUTABLE = "a closed review is immutable"

# Migration 0003's function, restored on downgrade.
_FUNCTION_0003 = (
    "CREATE OR REPLACE FUNCTION review_closed_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN "
    "IF TG_TABLE_NAME = 'review' THEN "
    f"  IF OLD.state = 'closed' THEN RAISE EXCEPTION '{IMMUTABLE}'; END IF; "
    "ELSIF EXISTS (SELECT 1 FROM review WHERE state = 'closed' AND id = "
    "  CASE WHEN TG_OP = 'INSERT' THEN NEW.review_id ELSE OLD.review_id END) THEN "
    f"  RAISE EXCEPTION '{IMMUTABLE}'; "
    "END IF; "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; "
    "END $$")

# An item's old review (UPDATE, DELETE) and new review (INSERT, UPDATE) must both be open.
_FUNCTION_0005 = (
    "CREATE OR REPLACE FUNCTION review_closed_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN "
    "IF TG_TABLE_NAME = 'review' THEN "
    f"  IF OLD.state = 'closed' THEN RAISE EXCEPTION '{IMMUTABLE}'; END IF; "
    "ELSE "
    "  IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (SELECT 1 FROM review "
    "      WHERE state = 'closed' AND id = OLD.review_id) THEN "
    f"    RAISE EXCEPTION '{IMMUTABLE}'; "
    "  END IF; "
    "  IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (SELECT 1 FROM review "
    "      WHERE state = 'closed' AND id = NEW.review_id) THEN "
    f"    RAISE EXCEPTION '{IMMUTABLE}'; "
    "  END IF; "
    "END IF; "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; "
    "END $$")


def upgrade() -> None:
    with op.batch_alter_table('extension_request', schema=None) as batch_op:
        batch_op.create_index('uq_extension_request_one_pending', ['task_id'], unique=True,
                              sqlite_where=PENDING, postgresql_where=PENDING)
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER review_item_closed_no_move_in BEFORE UPDATE OF review_id ON review_item "
            "WHEN (SELECT state FROM review WHERE id = NEW.review_id) = 'closed' "
            f"BEGIN SELECT RAISE(ABORT, '{IMMUTABLE}'); END")
        return
    op.execute(_FUNCTION_0005)
    op.execute(
        "CREATE FUNCTION review_no_truncate() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{IMMUTABLE}: TRUNCATE refused'; END $$")
    for table in ("review", "review_item"):
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION review_no_truncate()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS review_item_closed_no_move_in")
    else:
        for table in ("review", "review_item"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS review_no_truncate()")
        op.execute(_FUNCTION_0003)
    with op.batch_alter_table('extension_request', schema=None) as batch_op:
        batch_op.drop_index('uq_extension_request_one_pending')
