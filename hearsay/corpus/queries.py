"""Read-only questions to the store: search, stories, sources, failures, exports.

Each function returns plain dicts (the JSON the CLI prints with ``--format json``
and the API will serve), so presentation stays in ``corpus/report.py``.
"""
from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import Connection, func, select, text

from hearsay.errors import InputError
from hearsay.store import Store
from hearsay.store import schema as t

EXPORT_TABLES = ("articles", "attributions", "entities", "stories", "claims", "events")
EXPORT_FORMATS = ("jsonl", "csv", "parquet")


def search(store: Store, query: str, source: str | None = None, since: str | None = None,
           limit: int = 20) -> list[dict[str, Any]]:
    """Full-text search over titles and bodies, newest first; ``source`` keeps articles citing it."""
    words = re.findall(r"\w+", query)
    if not words:
        raise InputError("the search query has no words", "usage")
    a = t.articles
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            match = " ".join(f'"{w}"' for w in words)
            ids = select(text("rowid")).select_from(text("articles_fts")).where(text("articles_fts MATCH :m"))
            stmt = select(a).where(a.c.id.in_(ids)).params(m=match)
        else:
            # ``search``: the stored tsvector column that migration 0001 adds on PostgreSQL.
            stmt = select(a).where(text("articles.search @@ plainto_tsquery('english', :q)")).params(q=" ".join(words))
        if since:
            stmt = stmt.where(a.c.published >= since)
        if source:
            cited = (select(t.attributions.c.article_id).join(t.sources, t.sources.c.id == t.attributions.c.source_id)
                     .where(func.lower(t.sources.c.canonical).contains(source.lower())))
            stmt = stmt.where(a.c.id.in_(cited) | func.lower(func.coalesce(a.c.outlet, "")).contains(source.lower()))
        rows = conn.execute(stmt.order_by(a.c.published.desc(), a.c.id.desc()).limit(limit)).all()
    return [_hit(row, words) for row in rows]


def _hit(row, words: list[str]) -> dict[str, Any]:
    return {"id": row.id, "external_id": row.external_id, "title": row.title, "outlet": row.outlet,
            "published": row.published, "url": row.url, "story": row.story_id, "snippet": _snippet(row.text, words)}


def _snippet(body: str, words: list[str], width: int = 160) -> str:
    lowered = body.lower()
    pos = min((p for p in (lowered.find(w.lower()) for w in words) if p >= 0), default=0)
    start = max(0, pos - width // 3)
    piece = " ".join(body[start:start + width].split())
    return ("…" if start else "") + piece + ("…" if start + width < len(body) else "")


def story_assignments(store: Store) -> Iterator[dict[str, Any]]:
    """One ``{"id", "cluster"}`` per article (external id when the input had one), in ingest order."""
    with store.engine.connect() as conn:
        for row in conn.execute(select(t.articles.c.id, t.articles.c.external_id, t.articles.c.story_id)
                                .order_by(t.articles.c.id)):
            yield {"id": row.external_id or str(row.id), "cluster": row.story_id}


def list_stories(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.stories).order_by(t.stories.c.size.desc(), t.stories.c.id).limit(limit)).all()
        outlets = _story_outlets(conn, [r.id for r in rows])
    return [{"id": r.id, "title": r.title, "articles": r.size, "outlets": len(outlets.get(r.id, ())),
             "first_published": r.first_published, "last_published": r.last_published} for r in rows]


def _story_outlets(conn: Connection, story_ids: list[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    if story_ids:
        for sid, outlet in conn.execute(select(t.articles.c.story_id, t.articles.c.outlet)
                                        .where(t.articles.c.story_id.in_(story_ids))):
            out[sid].add(outlet or "unknown outlet")
    return out


def largest_story(store: Store) -> int:
    """The story with the most articles (the newest among equals)."""
    with store.engine.connect() as conn:
        found = conn.execute(select(t.stories.c.id).order_by(t.stories.c.size.desc(), t.stories.c.id.desc())
                             .limit(1)).scalar()
    if found is None:
        raise InputError("the store has no stories yet (run `hearsay ingest` first)", "usage")
    return found


def story(store: Store, story_id: int) -> dict[str, Any]:
    """A story: its timeline, outlets, entities, and claims with who corroborates them."""
    with store.engine.connect() as conn:
        row = conn.execute(select(t.stories).where(t.stories.c.id == story_id)).first()
        if row is None:
            raise InputError(f"no story {story_id} in this store", "usage")
        arts = conn.execute(select(t.articles.c.id, t.articles.c.external_id, t.articles.c.title, t.articles.c.outlet,
                                   t.articles.c.published, t.articles.c.url, t.articles.c.duplicate_of)
                            .where(t.articles.c.story_id == story_id)
                            .order_by(t.articles.c.published, t.articles.c.id)).all()
        ids = [a.id for a in arts]
        ents = Counter(dict(conn.execute(
            select(t.entities.c.canonical, func.count()).where(t.entities.c.article_id.in_(ids),
                                                               t.entities.c.label.notin_(_NUMERIC_LABELS))
            .group_by(t.entities.c.canonical)).all()))
        claims = _claims(conn, story_id, {a.id: a for a in arts})
    copies: dict[int, list[int]] = defaultdict(list)
    for a in arts:
        if a.duplicate_of is not None:
            copies[a.duplicate_of].append(a.id)
    timeline = [{"id": a.id, "external_id": a.external_id, "published": a.published, "outlet": a.outlet,
                 "title": a.title, "url": a.url, "copy_of": a.duplicate_of, "copies": copies.get(a.id, [])}
                for a in arts]
    return {"id": row.id, "title": row.title, "first_published": row.first_published,
            "last_published": row.last_published, "articles": timeline,
            "events": sorted(events(store, story=story_id, limit=200),
                             key=lambda e: (e["date_start"] or e["published"] or "", e["event_id"])),
            "outlets": sorted({a.outlet or "unknown outlet" for a in arts}),
            "entities": [{"name": n, "mentions": c} for n, c in ents.most_common(15)],
            "claims": claims}


NAMED_KINDS = ("person", "organization", "media", "document")  # a claim's "original source" must name someone
_NUMERIC_LABELS = ("CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY", "TIME", "DATE")


def _claims(conn: Connection, story_id: int, arts: dict[int, Any]) -> list[dict[str, Any]]:
    """Each claim group: outlets reporting it, independent or copied, first reporter, named origin."""
    rows = conn.execute(
        select(t.attributions.c.claim_group_id, t.attributions.c.article_id, t.attributions.c.certainty,
               t.attributions.c.content, t.sources.c.canonical, t.sources.c.kind)
        .outerjoin(t.sources, t.sources.c.id == t.attributions.c.source_id)
        .join(t.claim_groups, t.claim_groups.c.id == t.attributions.c.claim_group_id)
        .where(t.claim_groups.c.story_id == story_id)
        .order_by(t.attributions.c.claim_group_id, t.attributions.c.article_id)).all()
    groups: dict[int, list] = defaultdict(list)
    for r in rows:
        groups[r.claim_group_id].append(r)
    out = []
    for gid, members in groups.items():
        by_article: dict[int, Any] = {}
        for m in members:
            by_article.setdefault(m.article_id, m)
        reports = []
        for article_id, m in by_article.items():
            art = arts[article_id]
            reports.append({"article": article_id, "outlet": art.outlet, "published": art.published,
                            "independent": art.duplicate_of is None, "copy_of": art.duplicate_of,
                            "source": m.canonical, "source_kind": m.kind, "certainty": m.certainty})
        reports.sort(key=lambda r: (r["published"] or "9999", r["article"]))
        named = Counter(m.canonical for m in members if m.canonical and m.kind in NAMED_KINDS)
        out.append({"id": gid, "text": members[0].content,
                    "reports": reports,
                    "outlets": len({r["outlet"] for r in reports}),
                    "independent": len({r["outlet"] or r["article"] for r in reports if r["independent"]}),
                    "first": reports[0],
                    "original_source": named.most_common(1)[0][0] if named else None,
                    "certainty": dict(Counter(m.certainty for m in by_article.values()))})
    out.sort(key=lambda c: (-c["independent"], -len(c["reports"]), c["id"]))
    return out


# Pronoun sources ("he said") name nobody until coreference resolves them; counting them would
# put "he" at the top of every corpus.
PRONOUNS = ("i", "we", "you", "he", "she", "it", "they", "who", "which", "that", "this", "one", "someone")


def sources(store: Store, kind: str | None = None, limit: int = 30) -> list[dict[str, Any]]:
    """Who is cited how often, in how many articles and stories (case-folded, pronouns left out)."""
    s, at, a = t.sources, t.attributions, t.articles
    name = func.lower(s.c.canonical)
    stmt = (select(func.max(s.c.canonical).label("canonical"), s.c.kind, func.count().label("citations"),
                   func.count(func.distinct(at.c.article_id)).label("articles"),
                   func.count(func.distinct(a.c.story_id)).label("stories"))
            .join(at, at.c.source_id == s.c.id).join(a, a.c.id == at.c.article_id)
            .where(name.notin_(PRONOUNS))
            .group_by(name, s.c.kind).order_by(func.count().desc(), name).limit(limit))
    if kind:
        stmt = stmt.where(s.c.kind == kind)
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(stmt)]


def _events_select():
    """GDELT-like rows: one per event, with the article's URL, outlet, date and story."""
    e, a = t.events, t.articles
    return (select(e.c.id.label("event_id"), e.c.article_id, a.c.external_id, a.c.url, a.c.outlet, a.c.published,
                   a.c.story_id, e.c.code, e.c.mode, e.c.trigger, e.c.actor_country, e.c.actor_sector,
                   e.c.target_country, e.c.target_sector, e.c.location, e.c.location_country, e.c.city, e.c.lat,
                   e.c.lon, e.c.date_text, e.c.date_start, e.c.date_end, e.c.granularity, e.c.attribution,
                   e.c.attribution_chain, e.c.actors, e.c.targets)
            .join(a, a.c.id == e.c.article_id))


def events(store: Store, code: str | None = None, country: str | None = None, since: str | None = None,
           story: int | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Events, newest event date first; ``country`` matches the actor or the target."""
    e = t.events
    stmt = _events_select()
    if code:
        stmt = stmt.where(e.c.code == code.upper())
    if country:
        stmt = stmt.where((e.c.actor_country == country.upper()) | (e.c.target_country == country.upper()))
    if since:
        stmt = stmt.where(e.c.date_start >= since)
    if story is not None:
        stmt = stmt.where(t.articles.c.story_id == story)
    stmt = stmt.order_by(e.c.date_start.desc(), e.c.id.desc()).limit(limit)
    with store.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
    for row in rows:
        row["actors"], row["targets"] = json.loads(row["actors"]), json.loads(row["targets"])
    return rows


def failures(store: Store, run: int | None = None, limit: int = 200) -> list[dict[str, Any]]:
    stmt = select(t.failures).order_by(t.failures.c.id.desc()).limit(limit)
    if run is not None:
        stmt = stmt.where(t.failures.c.run_id == run)
    with store.engine.connect() as conn:
        return [{"run": r.run_id, "input": r.input, "stage": r.stage, "reason": r.reason,
                 "at": r.at.isoformat() if r.at else None} for r in conn.execute(stmt)]


# ----------------------------------------------------------------------------- export

def export_rows(store: Store, table: str) -> Iterator[dict[str, Any]]:
    if table not in EXPORT_TABLES:
        raise InputError(f"unknown table {table!r} (choose from {', '.join(EXPORT_TABLES)})", "usage")
    a = t.articles
    stmts = {
        "articles": select(a.c.id, a.c.external_id, a.c.url, a.c.outlet, a.c.title, a.c.author, a.c.published,
                           a.c.language, a.c.story_id, a.c.duplicate_of, a.c.similarity, a.c.text).order_by(a.c.id),
        "attributions": select(t.attributions.c.article_id, t.attributions.c.local_id, t.attributions.c.parent,
                               t.attributions.c.quote, t.attributions.c.certainty,
                               t.sources.c.canonical.label("source"), t.sources.c.kind.label("source_kind"),
                               t.attributions.c.source_text, t.attributions.c.cue, t.attributions.c.content,
                               t.attributions.c.content_start, t.attributions.c.content_end,
                               t.attributions.c.claim_group_id, a.c.story_id, a.c.outlet, a.c.url)
        .outerjoin(t.sources, t.sources.c.id == t.attributions.c.source_id)
        .join(a, a.c.id == t.attributions.c.article_id).order_by(t.attributions.c.id),
        "entities": select(t.entities.c.article_id, t.entities.c.text, t.entities.c.label, t.entities.c.canonical,
                           t.entities.c.start, t.entities.c.end).order_by(t.entities.c.id),
        "stories": select(a.c.story_id, a.c.id.label("article_id"), a.c.external_id, a.c.published, a.c.outlet,
                          a.c.title, t.stories.c.title.label("story_title"))
        .join(t.stories, t.stories.c.id == a.c.story_id).order_by(a.c.story_id, a.c.id),
        "claims": select(t.claim_groups.c.id.label("claim_group_id"), t.claim_groups.c.story_id,
                         t.claim_groups.c.text, func.count(t.attributions.c.id).label("reports"))
        .join(t.attributions, t.attributions.c.claim_group_id == t.claim_groups.c.id)
        .group_by(t.claim_groups.c.id, t.claim_groups.c.story_id, t.claim_groups.c.text)
        .order_by(t.claim_groups.c.id),
        "events": _events_select().order_by(t.events.c.id),
    }
    with store.engine.connect() as conn:
        for row in conn.execute(stmts[table]):
            yield dict(row._mapping)


def export(store: Store, table: str, fmt: str, out: Path | None) -> int:
    """Write ``table`` as JSONL, CSV or Parquet to ``out`` (stdout for JSONL/CSV when ``out`` is None)."""
    import sys

    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown format {fmt!r} (choose from {', '.join(EXPORT_FORMATS)})", "usage")
    rows = export_rows(store, table)
    if fmt == "parquet":
        if out is None:
            raise InputError("parquet needs --out FILE", "usage")
        import pyarrow as pa
        import pyarrow.parquet as pq

        data = list(rows)
        pq.write_table(pa.Table.from_pylist(data) if data else pa.table({}), out)
        return len(data)
    fh = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    count = 0
    try:
        writer = None
        for row in rows:
            if fmt == "jsonl":
                fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            else:
                if writer is None:
                    writer = csv.DictWriter(fh, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow(row)
            count += 1
    finally:
        if out:
            fh.close()
    return count
