"""Writing an article's attributions (with their claim groups and sources) and events."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from hearsay.corpus import claims as claimlib
from hearsay.corpus.cache import WriterCache
from hearsay.store import in_batches
from hearsay.store import schema as t

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


def insert_attributions(conn: Connection, article_id: int, story_id: int, art: dict[str, Any],
                         cache: WriterCache) -> None:
    """Each attribution joins the story's claim group that states the same thing, or opens one."""
    groups = _story_groups(conn, story_id)
    rows = []
    for att in art["attributions"]:
        source = att.get("source")
        canonical = (source.get("canonical") or source["text"]) if source else None
        rows.append(dict(
            article_id=article_id, local_id=att["id"], parent=att.get("parent"), quote=att.get("quote"),
            certainty=att["certainty"], source_id=_source_id(conn, source, cache),
            source_text=source["text"] if source else None, cue=att["cue"]["text"],
            content=att["content"]["text"], content_start=att["content"]["start"],
            content_end=att["content"]["end"],
            claim_group_id=_claim_group(conn, story_id, att["content"]["text"], canonical, groups)))
    if rows:
        conn.execute(insert(t.attributions), rows)


Group = tuple[int, set[str], set[str]]  # id, content terms, sources' canonical names


def _story_groups(conn: Connection, story_id: int) -> list[Group]:
    group_sources: dict[int, set[str]] = {}
    for gid, canonical in conn.execute(
            select(t.attributions.c.claim_group_id, t.sources.c.canonical)
            .join(t.sources, t.sources.c.id == t.attributions.c.source_id)
            .join(t.claim_groups, t.claim_groups.c.id == t.attributions.c.claim_group_id)
            .where(t.claim_groups.c.story_id == story_id)):
        group_sources.setdefault(gid, set()).add(canonical)
    return [(row.id, set(json.loads(row.terms)), group_sources.get(row.id, set()))
            for row in conn.execute(select(t.claim_groups).where(t.claim_groups.c.story_id == story_id))]


def _claim_group(conn: Connection, story_id: int, content: str, canonical: str | None,
                 groups: list[Group]) -> int | None:
    """The group of ``groups`` this content states, or a new one (added to ``groups``)."""
    terms = claimlib.content_terms(content)
    if not terms:
        return None
    group_id = claimlib.best_group(terms, canonical, groups)
    if group_id is None:
        group_id = conn.execute(insert(t.claim_groups).values(
            story_id=story_id, text=content[:2000], terms=json.dumps(sorted(terms)))).inserted_primary_key[0]
        groups.append((group_id, terms, {canonical} if canonical else set()))
    elif canonical:
        next(g for g in groups if g[0] == group_id)[2].add(canonical)
    return group_id


def move_claims(conn: Connection, moved: dict[int, int]) -> None:
    """Claim groups after articles moved to other stories (article id -> its new story).

    Claims are grouped within a story, so a moved article's attributions leave their groups and
    join (or open) groups of the story they moved to, in arrival order; a group left empty is
    deleted, and one that lost its first report takes the wording of its earliest remaining one.
    The cost follows the articles moved, not the size of the stories they leave or join.
    """
    ids = sorted(moved)
    old_groups: set[int] = set()
    for part in in_batches(ids):
        old_groups |= set(conn.execute(select(t.attributions.c.claim_group_id).distinct().where(
            t.attributions.c.article_id.in_(part), t.attributions.c.claim_group_id.is_not(None))).scalars())
        conn.execute(update(t.attributions).where(t.attributions.c.article_id.in_(part)).values(claim_group_id=None))
    for group_id in sorted(old_groups):
        first = conn.execute(select(t.attributions.c.content).where(t.attributions.c.claim_group_id == group_id)
                             .order_by(t.attributions.c.article_id, t.attributions.c.id).limit(1)).scalar()
        if first is None:
            conn.execute(delete(t.claim_groups).where(t.claim_groups.c.id == group_id))
        else:
            conn.execute(update(t.claim_groups).where(t.claim_groups.c.id == group_id).values(
                text=first[:2000], terms=json.dumps(sorted(claimlib.content_terms(first)))))
    for story_id in sorted(set(moved.values())):
        _join_claims(conn, story_id, [a for a in ids if moved[a] == story_id])


def _join_claims(conn: Connection, story_id: int, article_ids: list[int]) -> None:
    """Group these articles' attributions (now ungrouped) into their story's claim groups."""
    groups = _story_groups(conn, story_id)
    for part in in_batches(article_ids):
        rows = conn.execute(
            select(t.attributions.c.id, t.attributions.c.content, t.sources.c.canonical)
            .outerjoin(t.sources, t.sources.c.id == t.attributions.c.source_id)
            .where(t.attributions.c.article_id.in_(part))
            .order_by(t.attributions.c.article_id, t.attributions.c.id)).all()
        assigned = [dict(aid=row.id, gid=_claim_group(conn, story_id, row.content, row.canonical, groups))
                    for row in rows]
        assigned = [a for a in assigned if a["gid"] is not None]
        if assigned:
            conn.execute(update(t.attributions).where(t.attributions.c.id == bindparam("aid"))
                         .values(claim_group_id=bindparam("gid")), assigned)


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


def insert_events(conn: Connection, article_id: int, art: dict[str, Any]) -> None:
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
