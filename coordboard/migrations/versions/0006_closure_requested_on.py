"""the day closure was requested

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25

A closure request made on or before the deadline stops the clock, and an accepted
one counts as finished on the request's day (issue 11, rule 2). Tasks waiting for
review or already closed get the day of their last request from the audit trail,
in the office's default time zone.
"""
from collections.abc import Sequence

import pendulum
import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closure_requested_on', sa.Date(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT t.id, MAX(a.occurred_at) FROM task t JOIN audit_event a ON a.task_id = t.id "
        "WHERE t.status IN ('closure_requested', 'closed') AND a.action = 'request_closure' "
        "GROUP BY t.id")).all()
    for task_id, occurred_at in rows:
        instant = pendulum.parse(occurred_at) if isinstance(occurred_at, str) else \
            pendulum.instance(occurred_at if occurred_at.tzinfo else
                              occurred_at.replace(tzinfo=pendulum.UTC))
        day = instant.in_timezone("Asia/Shanghai").date()  # type: ignore[union-attr]
        bind.execute(sa.text("UPDATE task SET closure_requested_on = :day WHERE id = :id"),
                     {"day": day, "id": task_id})


def downgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_column('closure_requested_on')
