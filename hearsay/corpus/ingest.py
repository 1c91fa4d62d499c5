"""``hearsay ingest``: analyse articles and write them, their duplicates, stories and claims to the store.

One writer (this process) and many readers/analysers (worker processes). Each
article is written in one transaction together with its ``run_items`` row, so a
killed run leaves either the whole article or nothing, and ``--resume`` skips
exactly the items that made it.
"""
from __future__ import annotations

import json
import os
import socket
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from hearsay.batch import Outcome, analyze_items
from hearsay.corpus import dedup
from hearsay.corpus.cache import WriterCache
from hearsay.corpus.records import insert_attributions, insert_events
from hearsay.corpus.story_index import (
    Placement,
    add_story_terms,
    assign_story,
    find_original,
    new_story,
    regroup,
    store_links,
    store_signature,
    touch_story,
)
from hearsay.errors import InputError
from hearsay.ingest.sources import expand
from hearsay.nlp import DEFAULT_ATTRIBUTION
from hearsay.store import Store
from hearsay.store import schema as t


@dataclass
class IngestStats:
    run_id: int
    stored: int = 0
    duplicates: int = 0  # stored, but a near-copy of an earlier article
    already: int = 0  # the same text or URL was in the store before: nothing written
    failed: int = 0
    stories: Counter = field(default_factory=Counter)

    @property
    def seen(self) -> int:
        return self.stored + self.already + self.failed


def ingest(
    store: Store, inputs: list[str], *, jobs: int = 1, as_: str | None = None, allow_private: bool = False,
    model: str | None = None, attribution: str = DEFAULT_ATTRIBUTION, resume: bool = False,
    on_item: Callable[[Outcome, str], None] | None = None,
) -> IngestStats:
    """Ingest ``inputs`` (or, with ``resume``, finish the last unfinished run)."""
    options = {"as": as_, "attribution": attribution, "model": model, "pid": os.getpid(),
               "host": socket.gethostname()}
    run_id, inputs, done = _start_run(store, inputs, options, resume)
    stats = IngestStats(run_id)
    cache = WriterCache()
    items = (item for item in expand(inputs, as_=as_, allow_private=allow_private) if item.key not in done)
    for outcome in analyze_items(_unique(items, done), model=model, as_=as_, allow_private=allow_private,
                                 jobs=jobs, attribution=attribution, terms=True):
        try:
            with store.engine.begin() as conn:
                status = write_outcome(conn, store.dialect, run_id, outcome, cache)
        except SQLAlchemyError as err:
            # One article the store refuses (an over-long URL in PostgreSQL, say) is a failure
            # like any other; its transaction is rolled back and the run goes on.
            cache.reset()
            outcome = Outcome(outcome.input, stage="store", reason=f"the store refused it: {str(err).splitlines()[0]}")
            with store.engine.begin() as conn:
                status = write_outcome(conn, store.dialect, run_id, outcome, cache)
        cache.trim()
        stats.stored += status in ("stored", "duplicate")
        stats.duplicates += status == "duplicate"
        stats.already += status == "already"
        stats.failed += status == "failed"
        if on_item:
            on_item(outcome, status)
    with store.engine.begin() as conn:
        conn.execute(update(t.runs).where(t.runs.c.id == run_id).values(status="done", finished=_now()))
    return stats


def _unique(items: Iterable, done: set[str]):
    """An input named twice is ingested once (``run_items`` is keyed by item)."""
    for item in items:
        if item.key not in done:
            done.add(item.key)
            yield item


def _now() -> datetime:
    return datetime.now(UTC)


def _live_writer(conn: Connection) -> int | None:
    """The pid of an ingest still writing to this store from this machine, if any."""
    for row in conn.execute(select(t.runs.c.options).where(t.runs.c.status == "running")):
        opts = json.loads(row.options)
        pid = opts.get("pid")
        if pid and pid != os.getpid() and opts.get("host") == socket.gethostname() and _alive(pid):
            return pid
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _start_run(store: Store, inputs: list[str], options: dict, resume: bool) -> tuple[int, list[str], set[str]]:
    with store.engine.begin() as conn:
        pid = _live_writer(conn)
        if pid is not None:
            raise InputError(f"another ingest (pid {pid}) is writing to this store; wait for it or stop it", "usage")
        if resume:
            row = conn.execute(select(t.runs).where(t.runs.c.status == "running")
                               .order_by(t.runs.c.id.desc()).limit(1)).first()
            if row is None:
                raise InputError("nothing to resume: every ingest run in this store has finished", "usage")
            done = set(conn.execute(select(t.run_items.c.key).where(t.run_items.c.run_id == row.id)).scalars())
            conn.execute(update(t.runs).where(t.runs.c.id == row.id).values(options=json.dumps(
                {**json.loads(row.options), "pid": options["pid"], "host": options["host"]})))
            return row.id, json.loads(row.inputs), done
        if not inputs:
            raise InputError("no inputs given", "usage")
        run_id = conn.execute(insert(t.runs).values(started=_now(), status="running", inputs=json.dumps(inputs),
                                                    options=json.dumps(options))).inserted_primary_key[0]
        return run_id, inputs, set()


def write_outcome(conn: Connection, dialect: str, run_id: int, outcome: Outcome,
                  cache: WriterCache | None = None) -> str:
    """Write one outcome; returns stored | duplicate | already | failed."""
    cache = cache if cache is not None else WriterCache()
    if not outcome.ok:
        conn.execute(insert(t.failures).values(run_id=run_id, input=outcome.input, stage=outcome.stage or "?",
                                               reason=outcome.reason or "?", at=_now()))
        _item(conn, run_id, outcome.input, "failed", None)
        return "failed"
    art = outcome.article
    existing = conn.execute(select(t.articles.c.id).where(t.articles.c.hash == art["id"])).scalar()
    if existing is None and art.get("url"):
        existing = conn.execute(select(t.articles.c.id).where(t.articles.c.url == art["url"])).scalar()
    if existing is not None:
        _item(conn, run_id, outcome.input, "already", existing)
        return "already"
    article_id = _insert_article(conn, dialect, run_id, art, outcome.external_id)
    sig = dedup.signature(art["text"])
    original, sim = find_original(conn, sig)
    store_signature(conn, article_id, sig)
    if original is not None:  # a copy joins its original's story, linked to it as strongly as can be
        story_id = conn.execute(select(t.articles.c.story_id).where(t.articles.c.id == original)).scalar()
        add_story_terms(conn, article_id, outcome.terms or {}, cache)
        placement = Placement(story_id, [(original, 1.0)])
    else:
        placement = assign_story(conn, article_id, outcome.terms or {}, art.get("published"), cache)
        story_id = placement.story_id
    if story_id is None:
        story_id = new_story(conn, art)
    conn.execute(update(t.articles).where(t.articles.c.id == article_id)
                 .values(story_id=story_id, duplicate_of=original, similarity=sim))
    cache.features[article_id] = (story_id, outcome.terms or {}, art.get("published"))
    touch_story(conn, story_id, art)
    insert_attributions(conn, article_id, story_id, art, cache)
    store_links(conn, article_id, placement.links)
    if placement.story_id is not None:
        regroup(conn, story_id, placement.linked_stories, cache)
    insert_events(conn, article_id, art)
    _item(conn, run_id, outcome.input, "duplicate" if original else "stored", article_id)
    return "duplicate" if original else "stored"


def _item(conn: Connection, run_id: int, key: str, status: str, article_id: int | None) -> None:
    conn.execute(insert(t.run_items).values(run_id=run_id, key=key, status=status, article_id=article_id))


def outlet_of(art: dict[str, Any]) -> str | None:
    """The publishing outlet: the site line of a dump, else the URL's host without ``www.``."""
    site = art.get("site")
    if not site and art.get("url"):
        site = urlsplit(art["url"]).hostname
    return site.lower().removeprefix("www.") if site else None


def _insert_article(conn: Connection, dialect: str, run_id: int, art: dict[str, Any], external_id: str | None) -> int:
    values = dict(hash=art["id"], external_id=external_id, url=art.get("url"), site=art.get("site"),
                  outlet=outlet_of(art), title=art.get("title"), author=art.get("author"),
                  published=art.get("published"), language=art.get("language"), format=art.get("format"),
                  input=art.get("input"), text=art["text"], document=json.dumps(art, ensure_ascii=False),
                  ingested=_now(), run_id=run_id)
    article_id = conn.execute(insert(t.articles).values(**values)).inserted_primary_key[0]
    if dialect == "sqlite":
        conn.exec_driver_sql("INSERT INTO articles_fts(rowid, title, text) VALUES (?, ?, ?)",
                             (article_id, art.get("title") or "", art["text"]))
    if art["removed"]:
        conn.execute(insert(t.removed), [dict(article_id=article_id, kind=r["kind"], text=r["text"])
                                         for r in art["removed"]])
    if art["entities"]:
        conn.execute(insert(t.entities), [dict(article_id=article_id, text=e["text"], label=e["label"],
                                               canonical=e["canonical"], start=e["start"], end=e["end"])
                                          for e in art["entities"]])
    return article_id


