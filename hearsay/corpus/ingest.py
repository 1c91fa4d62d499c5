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
from datetime import UTC, date, datetime
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

import numpy as np
from sqlalchemy import Connection, func, insert, select, tuple_, update
from sqlalchemy.exc import SQLAlchemyError

from hearsay.batch import Outcome, analyze_items
from hearsay.corpus import claims as claimlib
from hearsay.corpus import dedup
from hearsay.corpus.stories import index_keys, pair_features, story_model, term_key, tfidf, with_background
from hearsay.errors import InputError
from hearsay.ingest.sources import expand
from hearsay.store import Store
from hearsay.store import schema as t

CANDIDATES = 300  # articles compared in full with a new one, out of those sharing index terms
STORY_WINDOW_DAYS = 21


@dataclass
class WriterCache:
    """What the single writer remembers between articles, so each one costs a few statements.

    Document frequencies, the article count, candidates' term vectors and source ids only ever
    change through this writer during a run (one ingest at a time per store), so caching them
    is safe; a new run starts with an empty cache and reads what it needs from the store.
    """

    df: dict[str, int] = field(default_factory=dict)
    n: int | None = None
    features: dict[int, tuple[int, dict, str | None]] = field(default_factory=dict)  # id -> story, terms, date
    sources: dict[tuple[str, str], int] = field(default_factory=dict)

    def reset(self) -> None:
        """Forget everything: after a rolled-back article the cache may hold counts that never landed."""
        self.df.clear()
        self.features.clear()
        self.sources.clear()
        self.n = None


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
    model: str | None = None, attribution: str = "rules", resume: bool = False,
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
    original, sim = _find_original(conn, sig)
    _store_signature(conn, article_id, sig)
    if original is not None:
        story_id = conn.execute(select(t.articles.c.story_id).where(t.articles.c.id == original)).scalar()
        _add_story_terms(conn, article_id, outcome.terms or {}, cache)
    else:
        story_id = _assign_story(conn, article_id, outcome.terms or {}, art.get("published"), cache)
    if story_id is None:
        story_id = _new_story(conn, art)
    conn.execute(update(t.articles).where(t.articles.c.id == article_id)
                 .values(story_id=story_id, duplicate_of=original, similarity=sim))
    cache.features[article_id] = (story_id, outcome.terms or {}, art.get("published"))
    _touch_story(conn, story_id, art)
    _insert_attributions(conn, article_id, story_id, art, cache)
    _insert_events(conn, article_id, art)
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


# ----------------------------------------------------------------------------- near-duplicates

def _find_original(conn: Connection, sig: np.ndarray) -> tuple[int | None, float | None]:
    """The earliest stored article this text copies (its own original, if it is a copy itself)."""
    hits = Counter(conn.execute(select(t.minhash_bands.c.article_id).where(
        tuple_(t.minhash_bands.c.band, t.minhash_bands.c.hash).in_(dedup.bands(sig)))).scalars())
    best, best_sim = None, 0.0
    for article_id, _ in hits.most_common(20):
        stored = conn.execute(select(t.minhashes.c.signature).where(t.minhashes.c.article_id == article_id)).scalar()
        sim = dedup.similarity(sig, np.array(json.loads(stored), dtype=np.uint64))
        if sim >= dedup.THRESHOLD and sim > best_sim:
            best, best_sim = article_id, sim
    if best is None:
        return None, None
    root = conn.execute(select(t.articles.c.duplicate_of).where(t.articles.c.id == best)).scalar()
    return (root or best), round(best_sim, 4)


def _store_signature(conn: Connection, article_id: int, sig: np.ndarray) -> None:
    conn.execute(insert(t.minhashes).values(article_id=article_id, signature=json.dumps([int(x) for x in sig])))
    conn.execute(insert(t.minhash_bands), [dict(band=b, hash=h, article_id=article_id) for b, h in dedup.bands(sig)])


# ----------------------------------------------------------------------------- stories

def _document_frequencies(conn: Connection, keys: Iterable[str], cache: WriterCache) -> dict[str, int]:
    """Stored document frequencies of ``keys`` (0 for terms never seen), through the cache."""
    keys = set(keys)
    missing = [k for k in keys if k not in cache.df]
    for i in range(0, len(missing), 500):
        part = missing[i:i + 500]
        found = dict(conn.execute(select(t.term_df.c.term, t.term_df.c.df).where(t.term_df.c.term.in_(part))).all())
        cache.df.update({k: found.get(k, 0) for k in part})
    return {k: cache.df[k] for k in keys}


def _keys(terms: dict[str, dict[str, int]]) -> list[str]:
    return [term_key(f, term) for f, counts in terms.items() for term in counts]


def _add_story_terms(conn: Connection, article_id: int, terms: dict[str, dict[str, int]],
                     cache: WriterCache) -> dict:
    """Count the article's terms into the document frequencies and index its heaviest terms."""
    keys = set(_keys(terms))
    df = _document_frequencies(conn, keys, cache)
    seen = [k for k, v in df.items() if v > 0]
    if seen:
        conn.execute(update(t.term_df).where(t.term_df.c.term.in_(seen)).values(df=t.term_df.c.df + 1))
    new = [dict(term=k, df=1) for k, v in df.items() if v == 0]
    if new:
        conn.execute(insert(t.term_df), new)
    for k in keys:
        df[k] += 1
        cache.df[k] = df[k]
    if cache.n is None:
        cache.n = conn.execute(select(func.count()).select_from(t.story_features)).scalar()
    cache.n += 1
    n = cache.n
    weights = tfidf(terms, *with_background(df, n))
    conn.execute(insert(t.story_features).values(article_id=article_id, terms=json.dumps(terms)))
    index = index_keys(weights, story_model().index_terms)
    if index:
        conn.execute(insert(t.story_terms), [dict(term=k, article_id=article_id) for k in index])
    return {"weights": weights, "index": index, "n": n}


def _assign_story(conn: Connection, article_id: int, terms: dict[str, dict[str, int]],
                  published: str | None, cache: WriterCache) -> int | None:
    """The story of the best-matching earlier article, if the story model says they match.

    Dates: a report published more than ``STORY_WINDOW_DAYS`` from a candidate is not linked
    to it (a story may still run for months through reports that follow one another).
    """
    model = story_model()
    mine = _add_story_terms(conn, article_id, terms, cache)
    if not mine["index"]:
        return None
    shared = conn.execute(
        select(t.story_terms.c.article_id, func.count().label("n"))
        .where(t.story_terms.c.term.in_(mine["index"]), t.story_terms.c.article_id != article_id)
        .group_by(t.story_terms.c.article_id).order_by(func.count().desc(), t.story_terms.c.article_id)
        .limit(CANDIDATES)).all()
    if not shared:
        return None
    _load_features(conn, [row.article_id for row in shared if row.article_id not in cache.features], cache)
    candidates = [cache.features[row.article_id] for row in shared]
    others = [(story_id, tm) for story_id, tm, date_ in candidates if _within_window(published, date_)]
    df, n = with_background(_document_frequencies(conn, (k for _, tm in others for k in _keys(tm)), cache),
                            mine["n"])
    best_story, best_p = None, model.threshold
    for story_id, other in others:
        p = model.probability(pair_features(mine["weights"], tfidf(other, df, n), model.families))
        if p >= best_p:
            best_story, best_p = story_id, p
    return best_story


def _load_features(conn: Connection, ids: list[int], cache: WriterCache) -> None:
    if not ids:
        return
    rows = conn.execute(select(t.story_features.c.article_id, t.story_features.c.terms, t.articles.c.story_id,
                               t.articles.c.published)
                        .join(t.articles, t.articles.c.id == t.story_features.c.article_id)
                        .where(t.story_features.c.article_id.in_(ids))).all()
    for row in rows:
        cache.features[row.article_id] = (row.story_id, json.loads(row.terms), row.published)


def _within_window(a: str | None, b: str | None) -> bool:
    """True unless both dates are known and further apart than the story window."""
    try:
        da, db = date.fromisoformat(a[:10]), date.fromisoformat(b[:10])  # type: ignore[index]
    except (TypeError, ValueError):
        return True
    return abs((da - db).days) <= STORY_WINDOW_DAYS


def _new_story(conn: Connection, art: dict[str, Any]) -> int:
    title = art.get("title") or art["text"].strip().split("\n", 1)[0][:120]
    return conn.execute(insert(t.stories).values(title=title, size=0)).inserted_primary_key[0]


def _touch_story(conn: Connection, story_id: int, art: dict[str, Any]) -> None:
    row = conn.execute(select(t.stories).where(t.stories.c.id == story_id)).one()
    published = art.get("published")
    first = min(filter(None, [row.first_published, published]), default=None)
    last = max(filter(None, [row.last_published, published]), default=None)
    conn.execute(update(t.stories).where(t.stories.c.id == story_id)
                 .values(size=row.size + 1, first_published=first, last_published=last))


# ----------------------------------------------------------------------------- attributions and claims

def _source_id(conn: Connection, source: dict[str, Any] | None, cache: WriterCache) -> int | None:
    if not source:
        return None
    key = ((source.get("canonical") or source["text"]).strip()[:500], source.get("kind") or "unspecified")
    if key not in cache.sources:
        found = conn.execute(select(t.sources.c.id).where(t.sources.c.canonical == key[0],
                                                          t.sources.c.kind == key[1])).scalar()
        if found is None:
            found = conn.execute(insert(t.sources).values(canonical=key[0], kind=key[1])).inserted_primary_key[0]
        cache.sources[key] = found
    return cache.sources[key]


def _insert_attributions(conn: Connection, article_id: int, story_id: int, art: dict[str, Any],
                         cache: WriterCache) -> None:
    groups = [(row.id, set(json.loads(row.terms)), set())
              for row in conn.execute(select(t.claim_groups).where(t.claim_groups.c.story_id == story_id))]
    group_sources = dict(conn.execute(
        select(t.attributions.c.claim_group_id, func.group_concat(t.sources.c.canonical, "\x1f")
               if conn.dialect.name == "sqlite" else func.string_agg(t.sources.c.canonical, "\x1f"))
        .join(t.sources, t.sources.c.id == t.attributions.c.source_id)
        .join(t.claim_groups, t.claim_groups.c.id == t.attributions.c.claim_group_id)
        .where(t.claim_groups.c.story_id == story_id).group_by(t.attributions.c.claim_group_id)).all())
    groups = [(gid, terms, set((group_sources.get(gid) or "").split("\x1f")) - {""}) for gid, terms, _ in groups]
    rows = []
    for att in art["attributions"]:
        source = att.get("source")
        canonical = (source.get("canonical") or source["text"]) if source else None
        terms = claimlib.content_terms(att["content"]["text"])
        group_id = claimlib.best_group(terms, canonical, groups) if terms else None
        if group_id is None and terms:
            group_id = conn.execute(insert(t.claim_groups).values(
                story_id=story_id, text=att["content"]["text"][:2000], terms=json.dumps(sorted(terms)))
            ).inserted_primary_key[0]
            groups.append((group_id, terms, {canonical} if canonical else set()))
        elif group_id is not None and canonical:
            next(g for g in groups if g[0] == group_id)[2].add(canonical)
        rows.append(dict(
            article_id=article_id, local_id=att["id"], parent=att.get("parent"), quote=att.get("quote"),
            certainty=att["certainty"], source_id=_source_id(conn, source, cache),
            source_text=source["text"] if source else None, cue=att["cue"]["text"],
            content=att["content"]["text"], content_start=att["content"]["start"],
            content_end=att["content"]["end"], claim_group_id=group_id))
    if rows:
        conn.execute(insert(t.attributions), rows)


# ----------------------------------------------------------------------------- events

def attribution_chain(art: dict[str, Any], local_id: str | None) -> str | None:
    """Sources from the innermost attribution outwards: "Egyptian security services < Reports"."""
    by_id = {a["id"]: a for a in art.get("attributions", [])}
    names, seen = [], set()
    while local_id and local_id in by_id and local_id not in seen:
        seen.add(local_id)
        att = by_id[local_id]
        source = att.get("source")
        names.append((source.get("canonical") or source["text"]) if source else f"({att['cue']['text']})")
        local_id = att.get("parent")
    return " < ".join(names) or None


def _insert_events(conn: Connection, article_id: int, art: dict[str, Any]) -> None:
    rows = []
    for ev in art.get("events", []):
        first_actor = ev["actors"][0] if ev["actors"] else {}
        first_target = ev["targets"][0] if ev["targets"] else {}
        loc = ev.get("location") or {}
        when = ev.get("date") or {}
        rows.append(dict(
            article_id=article_id, local_id=ev["id"], code=ev["code"], mode=ev["mode"], trigger=ev["trigger"]["text"],
            actors=json.dumps(ev["actors"], ensure_ascii=False), targets=json.dumps(ev["targets"], ensure_ascii=False),
            actor_country=first_actor.get("country"), actor_sector=first_actor.get("sector"),
            target_country=first_target.get("country"), target_sector=first_target.get("sector"),
            location=loc.get("text"), location_country=loc.get("country"), city=loc.get("city"),
            lat=loc.get("lat"), lon=loc.get("lon"), date_text=when.get("text"), date_start=when.get("start"),
            date_end=when.get("end"), granularity=when.get("granularity"), attribution=ev.get("attribution"),
            attribution_chain=attribution_chain(art, ev.get("attribution"))))
    if rows:
        conn.execute(insert(t.events), rows)
