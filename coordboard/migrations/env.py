"""Alembic environment. Always run through ``coordboard.migrate`` with a live connection."""

from alembic import context
from sqlmodel import SQLModel

import coordboard.models  # noqa: F401  (registers the tables on SQLModel.metadata)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    compare_type=True,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
