"""The store side of story clustering: document frequencies, the candidate index, assignment.

``stories.py`` holds the model (features, weights, similarity); this module reads and writes
the clustering state in the store for each arriving article, through the writer's cache.
"""
from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Any, Iterable

import numpy as np
from sqlalchemy import Connection, func, insert, select, tuple_, update

from hearsay.corpus import dedup
from hearsay.corpus.cache import WriterCache
from hearsay.corpus.stories import index_keys, pair_features, story_model, term_key, tfidf, with_background
from hearsay.store import schema as t

CANDIDATES = 300  # articles compared in full with a new one, out of those sharing index terms
STORY_WINDOW_DAYS = 21


# ----------------------------------------------------------------------------- near-duplicates

def find_original(conn: Connection, sig: np.ndarray) -> tuple[int | None, float | None]:
    """The earliest stored article this text copies (its own original, if it is a copy itself)."""
    hits = Counter(conn.execute(select(t.minhash_bands.c.article_id).where(
        tuple_(t.minhash_bands.c.band, t.minhash_bands.c.hash).in_(dedup.bands(sig)))).scalars())
    best, best_sim = None, 0.0
    candidates = [article_id for article_id, _ in hits.most_common(20)]
    stored = conn.execute(select(t.minhashes.c.article_id, t.minhashes.c.signature)
                          .where(t.minhashes.c.article_id.in_(candidates))).all() if candidates else []
    for article_id, signature in sorted(stored):
        sim = dedup.similarity(sig, np.array(json.loads(signature), dtype=np.uint64))
        if sim >= dedup.THRESHOLD and sim > best_sim:
            best, best_sim = article_id, sim
    if best is None:
        return None, None
    root = conn.execute(select(t.articles.c.duplicate_of).where(t.articles.c.id == best)).scalar()
    return (root or best), round(best_sim, 4)


def store_signature(conn: Connection, article_id: int, sig: np.ndarray) -> None:
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


def add_story_terms(conn: Connection, article_id: int, terms: dict[str, dict[str, int]],
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


def assign_story(conn: Connection, article_id: int, terms: dict[str, dict[str, int]],
                  published: str | None, cache: WriterCache) -> int | None:
    """The story of the best-matching earlier article, if the story model says they match:
    the first model's probability clears its bar and the second model confirms the pair.

    Dates: a report published more than ``STORY_WINDOW_DAYS`` from a candidate is not linked
    to it (a story may still run for months through reports that follow one another).
    """
    model = story_model()
    mine = add_story_terms(conn, article_id, terms, cache)
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
    best_story, best_q = None, model.confirm_threshold
    for story_id, other in others:
        p = model.probability(pair_features(mine["weights"], tfidf(other, df, n), model.families))
        if p < model.threshold:
            continue
        q = model.confirm(p, terms, other)
        if q >= best_q:
            best_story, best_q = story_id, q
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


def new_story(conn: Connection, art: dict[str, Any]) -> int:
    title = art.get("title") or art["text"].strip().split("\n", 1)[0][:120]
    return conn.execute(insert(t.stories).values(title=title, size=0)).inserted_primary_key[0]


def touch_story(conn: Connection, story_id: int, art: dict[str, Any]) -> None:
    row = conn.execute(select(t.stories).where(t.stories.c.id == story_id)).one()
    published = art.get("published")
    first = min(filter(None, [row.first_published, published]), default=None)
    last = max(filter(None, [row.last_published, published]), default=None)
    conn.execute(update(t.stories).where(t.stories.c.id == story_id)
                 .values(size=row.size + 1, first_published=first, last_published=last))
