"""task.leader_id: the responsible leader (责任领导) is a user with the leader role

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26

Until now ``task.leader`` was free text. A task's leader is now a user (``leader_id``,
indexed: a leader's home lists the tasks they answer for). Existing names are linked
where they match exactly one leader user's display name or username (any leader, active
or not: history is what it was) and the text is then cleared; a name matching no leader,
or several, stays as text, shown as it was written and marked "not a user".
Downgrading writes the linked leader's display name back into the text.
"""
from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # SQLite adds a NULL column with its reference in place; batch mode would copy the
        # task table, which every other table references.
        bind.execute(sa.text("ALTER TABLE task ADD COLUMN leader_id INTEGER "
                             "REFERENCES app_user (id)"))
    else:
        op.add_column('task', sa.Column('leader_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_task_leader_id_app_user', 'task', 'app_user',
                              ['leader_id'], ['id'])
    op.create_index('ix_task_leader_id', 'task', ['leader_id'], unique=False)
    users: dict[str, set[int]] = defaultdict(set)
    for user_id, username, display_name in bind.execute(sa.text(
            "SELECT id, username, display_name FROM app_user WHERE role = 'leader'")).all():
        for name in {username.strip(), display_name.strip()} - {""}:
            users[name].add(user_id)
    names = bind.execute(sa.text(
        "SELECT DISTINCT leader FROM task WHERE leader <> ''")).scalars().all()
    for name in names:
        found = users.get(name.strip(), set())
        if len(found) == 1:
            bind.execute(sa.text("UPDATE task SET leader_id = :user, leader = '' "
                                 "WHERE leader = :name"), {"user": found.pop(), "name": name})


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(sa.text(
        "UPDATE task SET leader = (SELECT display_name FROM app_user "
        "WHERE app_user.id = task.leader_id) WHERE leader_id IS NOT NULL"))
    op.drop_index('ix_task_leader_id', table_name='task')
    if bind.dialect.name == "sqlite":
        _sqlite_drop_leader_id(bind)
    else:
        op.drop_constraint('fk_task_leader_id_app_user', 'task', type_='foreignkey')
        op.drop_column('task', 'leader_id')


def _sqlite_drop_leader_id(bind: sa.Connection) -> None:
    """SQLite cannot drop a column with a reference, and batch mode's copy-and-rename fails
    inside the migration's transaction: every other table references task, and dropping it
    counts each of their rows as orphaned, which renaming the copy never uncounts. So: keep
    the rows aside, drop task (the checks deferred to the commit), create it as it was
    before 0014 and insert the rows back, which makes the references whole again."""
    added = ", leader_id INTEGER REFERENCES app_user (id)"
    table_sql = bind.execute(sa.text(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'task'")).scalar_one()
    assert added in table_sql, table_sql
    indexes = bind.execute(sa.text("SELECT sql FROM sqlite_master WHERE type = 'index' "
                                   "AND tbl_name = 'task' AND sql IS NOT NULL")).scalars().all()
    names = [row[1] for row in bind.execute(sa.text("PRAGMA table_info(task)")).all()
             if row[1] != "leader_id"]
    columns = ", ".join(f'"{name}"' for name in names)
    bind.execute(sa.text("PRAGMA defer_foreign_keys = ON"))  # until the commit
    bind.execute(sa.text(f"CREATE TEMP TABLE task_0014 AS SELECT {columns} FROM task"))
    bind.execute(sa.text("DROP TABLE task"))
    bind.execute(sa.text(table_sql.replace(added, "")))
    bind.execute(sa.text(f"INSERT INTO task ({columns}) SELECT {columns} FROM task_0014"))
    bind.execute(sa.text("DROP TABLE task_0014"))
    for index_sql in indexes:
        bind.execute(sa.text(index_sql))
