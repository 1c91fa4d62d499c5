"""The store side of story clustering: document frequencies, the candidate index, assignment.

``stories.py`` holds the model (features, weights, similarity); this module reads and writes
the clustering state in the store for each arriving article, through the writer's cache.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

import numpy as np
from sqlalchemy import Connection, delete, func, insert, select, tuple_, update

from hearsay.corpus import dedup
from hearsay.corpus.cache import WriterCache
from hearsay.corpus.records import move_claims
from hearsay.corpus.stories import (
    Link,
    index_keys,
    pair_features,
    split_pool,
    story_model,
    term_key,
    tfidf,
    with_background,
)
from hearsay.store import in_batches
from hearsay.store import schema as t

CANDIDATES = 300  # articles compared in full with a new one, out of those sharing index terms
STORY_WINDOW_DAYS = 21
MAX_REGROUP = 1000  # a pool larger than this is not regrouped (the article just joins): bounds the cost


@dataclass
class Placement:
    """Where the story model puts a new article: the story of its best confirmed candidate (None:
    a story of its own), every scored pair as (earlier article, confirm probability), and the
    stories it is confirmed to belong to, which regrouping may merge."""

    story_id: int | None = None
    links: list[tuple[int, float]] = field(default_factory=list)
    linked_stories: set[int] = field(default_factory=set)


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
    for part in in_batches(missing):
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
                  published: str | None, cache: WriterCache) -> Placement:
    """The story of the best-matching earlier article, if the story model says they match:
    the first model's probability clears its bar and the second model confirms the pair.

    Dates: a report published more than ``STORY_WINDOW_DAYS`` from a candidate is not linked
    to it (a story may still run for months through reports that follow one another).
    """
    model = story_model()
    mine = add_story_terms(conn, article_id, terms, cache)
    placement = Placement()
    if not mine["index"]:
        return placement
    shared = conn.execute(
        select(t.story_terms.c.article_id, func.count().label("n"))
        .where(t.story_terms.c.term.in_(mine["index"]), t.story_terms.c.article_id != article_id)
        .group_by(t.story_terms.c.article_id).order_by(func.count().desc(), t.story_terms.c.article_id)
        .limit(CANDIDATES)).all()
    if not shared:
        return placement
    _load_features(conn, [row.article_id for row in shared if row.article_id not in cache.features], cache)
    candidates = [(row.article_id, *cache.features[row.article_id]) for row in shared]
    others = [(other_id, story_id, tm) for other_id, story_id, tm, date_ in candidates
              if _within_window(published, date_)]
    df, n = with_background(_document_frequencies(conn, (k for _, _, tm in others for k in _keys(tm)), cache),
                            mine["n"])
    best_q = model.confirm_threshold
    for other_id, story_id, other in others:
        p = model.probability(pair_features(mine["weights"], tfidf(other, df, n), model.families))
        if p < model.threshold:
            continue
        q = model.confirm(p, terms, other)
        placement.links.append((other_id, q))
        if q >= model.confirm_threshold:
            placement.linked_stories.add(story_id)
        if q >= best_q:
            placement.story_id, best_q = story_id, q
    return placement


def store_links(conn: Connection, article_id: int, links: list[tuple[int, float]]) -> None:
    if links:
        conn.execute(insert(t.story_links), [dict(article_id=article_id, other_id=other, weight=round(w, 4))
                                             for other, w in links])


def regroup(conn: Connection, story_id: int, linked: set[int], cache: WriterCache) -> set[int]:
    """Regroup the story an article just joined together with the other stories it links to
    (``stories.split_pool``); returns the ids of the stories whose articles changed.

    Each resulting group keeps the id of the story most of it came from (a new story where that
    id is taken), stories left empty are deleted, and the attributions of the articles that moved
    change claim groups with them (``records.move_claims``), since claims are grouped within a story.
    """
    model = story_model()
    pool = {story_id} | linked
    rows = conn.execute(select(t.articles.c.id, t.articles.c.story_id)
                        .where(t.articles.c.story_id.in_(pool))).all()
    if len(rows) < model.min_pool or len(rows) > MAX_REGROUP:
        return set()
    story_of = {row.id: row.story_id for row in rows}
    groups = split_pool(list(story_of), _links_among(conn, story_of), model.link_floor, model.min_cluster)
    before: dict[int, set[int]] = {}
    for article, sid in story_of.items():
        before.setdefault(sid, set()).add(article)
    if {frozenset(g) for g in groups} == {frozenset(m) for m in before.values()}:
        return set()
    moves = _story_ids(conn, groups, story_of)
    moved = {a: sid for sid, group in moves.items() for a in group if story_of[a] != sid}
    _move(conn, moved, cache)
    move_claims(conn, moved)
    touched = {story_of[a] for a in moved} | set(moved.values())
    for sid in touched:
        refresh_story(conn, sid)
    return touched


def _story_ids(conn: Connection, groups: list[list[int]], story_of: dict[int, int]) -> dict[int, list[int]]:
    """A story id for each group, largest group first: the id most of its articles had, unless a
    larger group took it; else a new story."""
    taken: dict[int, list[int]] = {}
    for group in sorted(groups, key=lambda g: (-len(g), g[0])):
        votes = sorted(Counter(story_of[a] for a in group).items(), key=lambda kv: (-kv[1], kv[0]))
        keep = next((sid for sid, _ in votes if sid not in taken), None)
        taken[keep if keep is not None else _empty_story(conn)] = group
    return taken


def _move(conn: Connection, moved: dict[int, int], cache: WriterCache) -> None:
    """Articles to their new stories (article id -> story id), in the store and the writer's cache."""
    for sid in set(moved.values()):
        ids = [a for a, s in moved.items() if s == sid]
        for part in in_batches(ids):
            conn.execute(update(t.articles).where(t.articles.c.id.in_(part)).values(story_id=sid))
    for a, sid in moved.items():
        if a in cache.features:
            _, tm, published = cache.features[a]
            cache.features[a] = (sid, tm, published)


def _links_among(conn: Connection, members: dict[int, int]) -> dict[Link, float]:
    """The stored links between these articles, keyed (earlier id, later id) as ``split_pool`` reads them."""
    links: dict[Link, float] = {}
    for part in in_batches(list(members)):
        for row in conn.execute(select(t.story_links).where(t.story_links.c.article_id.in_(part))):
            if row.other_id in members:
                key = (min(row.article_id, row.other_id), max(row.article_id, row.other_id))
                links[key] = max(links.get(key, 0.0), row.weight)
    return links


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
    title = _title(art.get("title"), art["text"])
    return conn.execute(insert(t.stories).values(title=title, size=0)).inserted_primary_key[0]


def _title(title: str | None, text: str) -> str:
    return title or text.strip().split("\n", 1)[0][:120]


def _empty_story(conn: Connection) -> int:
    return conn.execute(insert(t.stories).values(title="", size=0)).inserted_primary_key[0]


def refresh_story(conn: Connection, story_id: int) -> None:
    """Size, dates and title (the earliest article's) from the story's articles; an empty story
    is deleted."""
    a = t.articles.c
    size, first, last, earliest = conn.execute(
        select(func.count(), func.min(a.published), func.max(a.published), func.min(a.id))
        .where(a.story_id == story_id)).one()
    if not size:
        conn.execute(delete(t.stories).where(t.stories.c.id == story_id))
        return
    head = conn.execute(select(a.title, a.text).where(a.id == earliest)).one()
    conn.execute(update(t.stories).where(t.stories.c.id == story_id).values(
        title=_title(head.title, head.text), size=size, first_published=first, last_published=last))


def touch_story(conn: Connection, story_id: int, art: dict[str, Any]) -> None:
    row = conn.execute(select(t.stories).where(t.stories.c.id == story_id)).one()
    published = art.get("published")
    first = min(filter(None, [row.first_published, published]), default=None)
    last = max(filter(None, [row.last_published, published]), default=None)
    conn.execute(update(t.stories).where(t.stories.c.id == story_id)
                 .values(size=row.size + 1, first_published=first, last_published=last))
