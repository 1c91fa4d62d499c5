"""Opening a store: URL rules, SQLite pragmas, migrations.

Every corpus command takes ``--db URL``; a bare path means a SQLite file, and
``postgresql://`` URLs are given the psycopg 3 driver. Opening a store always
brings its schema to the newest Alembic revision, so an old file keeps working.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from hearsay.errors import InputError

MIGRATIONS = Path(__file__).parent / "migrations"
DEFAULT_DB = "hearsay.db"


def database_url(value: str | None = None) -> str:
    """``--db`` value → SQLAlchemy URL (default: ``$HEARSAY_DB``, else ``hearsay.db`` here)."""
    value = value or os.environ.get("HEARSAY_DB") or DEFAULT_DB
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser()}"
    if value.startswith("postgresql://") or value.startswith("postgres://"):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


@dataclass
class Store:
    engine: Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()


IN_BATCH = 500  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


def in_batches(ids: list, size: int = IN_BATCH) -> list[list]:
    """``ids`` in slices short enough for one ``IN (...)`` each."""
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def open_store(url: str | None = None, migrate: bool = True) -> Store:
    """Connect, set SQLite up for one writer and many readers, and migrate."""
    url = database_url(url)
    try:
        engine = create_engine(make_url(url), future=True)
    except Exception as err:  # noqa: BLE001 - SQLAlchemy raises several kinds for a bad URL or driver
        raise InputError(f"not a usable database URL: {url!r} ({str(err).splitlines()[0]})", "store") from err
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    store = Store(engine)
    if migrate:
        try:
            upgrade(store)
        except Exception as err:
            engine.dispose()
            raise InputError(f"cannot open the store at {engine.url.render_as_string()}: "
                             f"{str(err).splitlines()[0]}", "store") from err
    return store


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers do not block the ingester
    cur.execute("PRAGMA synchronous=NORMAL")  # durable at each commit in WAL mode, without fsync per page
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def upgrade(store: Store) -> None:
    """Run Alembic's ``upgrade head`` on this store's connection, one process at a time.

    Two commands opening a brand-new store at once would otherwise both see "no version" and
    both create the tables: PostgreSQL serialises them with an advisory lock, a SQLite file with
    a lock file beside it.
    """
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with _migration_lock(store), store.engine.begin() as conn:
        if store.dialect == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7261001)")  # released at commit
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


@contextmanager
def _migration_lock(store: Store):
    database = store.engine.url.database if store.dialect == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    import fcntl

    with open(f"{database}.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
