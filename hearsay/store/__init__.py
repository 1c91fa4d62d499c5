"""The corpus store: one schema for SQLite (default) and PostgreSQL, through SQLAlchemy 2."""
from hearsay.store.db import Store, database_url, in_batches, open_store

__all__ = ["Store", "database_url", "in_batches", "open_store"]
