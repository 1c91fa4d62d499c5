"""Alembic environment: runs on the connection ``hearsay.store.db.upgrade`` hands over."""
from alembic import context

from hearsay.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
