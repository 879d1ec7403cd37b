"""review record: agenda day, section totals, closer, item light and spawned task

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

The weekly review becomes a record: the day its agenda was built for, how many
tasks each agenda section matched, who closed it, each item's light at the time
and the task a decision created. Only one review may be open at a time. A closed review is immutable in the database
itself (triggers refuse changes to it and its items), like the audit table.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('as_of', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('section_totals', sa.JSON(), nullable=False,
                                      server_default=sa.text("'{}'")))
        batch_op.add_column(sa.Column('closed_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_review_closed_by', 'app_user', ['closed_by'], ['id'])
    op.execute("UPDATE review SET as_of = " + ("date(started_at)" if sqlite else "started_at::date"))
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.alter_column('as_of', existing_type=sa.Date(), nullable=False)
    with op.batch_alter_table('review_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('light', sa.String(length=10), nullable=False,
                                      server_default='none'))
        batch_op.add_column(sa.Column('new_task_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_review_item_new_task', 'task', ['new_task_id'], ['id'])
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index('uq_review_one_open', ['state'], unique=True,
                              sqlite_where=sa.text("state = 'open'"),
                              postgresql_where=sa.text("state = 'open'"))
    _create_closed_review_guards(sqlite)


def _create_closed_review_guards(sqlite: bool) -> None:
    if sqlite:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER review_closed_no_{verb.lower()} BEFORE {verb} ON review "
                "WHEN OLD.state = 'closed' "
                "BEGIN SELECT RAISE(ABORT, 'a closed review is immutable'); END")
        for verb, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
            op.execute(
                f"CREATE TRIGGER review_item_closed_no_{verb.lower()} BEFORE {verb} ON review_item "
                f"WHEN (SELECT state FROM review WHERE id = {row}.review_id) = 'closed' "
                "BEGIN SELECT RAISE(ABORT, 'a closed review is immutable'); END")
        return
    op.execute(
        "CREATE FUNCTION review_closed_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        "IF TG_TABLE_NAME = 'review' THEN "
        "  IF OLD.state = 'closed' THEN RAISE EXCEPTION 'a closed review is immutable'; END IF; "
        "ELSIF EXISTS (SELECT 1 FROM review WHERE state = 'closed' AND id = "
        "  CASE WHEN TG_OP = 'INSERT' THEN NEW.review_id ELSE OLD.review_id END) THEN "
        "  RAISE EXCEPTION 'a closed review is immutable'; "
        "END IF; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; "
        "END $$")
    op.execute("CREATE TRIGGER review_closed_immutable BEFORE UPDATE OR DELETE ON review "
               "FOR EACH ROW EXECUTE FUNCTION review_closed_immutable()")
    op.execute("CREATE TRIGGER review_item_closed_immutable BEFORE INSERT OR UPDATE OR DELETE "
               "ON review_item FOR EACH ROW EXECUTE FUNCTION review_closed_immutable()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("review_closed_no_update", "review_closed_no_delete",
                     "review_item_closed_no_insert", "review_item_closed_no_update",
                     "review_item_closed_no_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS review_item_closed_immutable ON review_item")
        op.execute("DROP TRIGGER IF EXISTS review_closed_immutable ON review")
        op.execute("DROP FUNCTION IF EXISTS review_closed_immutable()")
    with op.batch_alter_table('review_item', schema=None) as batch_op:
        batch_op.drop_constraint('fk_review_item_new_task', type_='foreignkey')
        batch_op.drop_column('new_task_id')
        batch_op.drop_column('light')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index('uq_review_one_open')
        batch_op.drop_constraint('fk_review_closed_by', type_='foreignkey')
        batch_op.drop_column('closed_by')
        batch_op.drop_column('section_totals')
        batch_op.drop_column('as_of')
