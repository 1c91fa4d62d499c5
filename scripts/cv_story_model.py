"""Cross-validate the story model's second ("confirm") stage by topic, replaying ingest.

    hearsay ingest ../shared/data/ecbplus-dev/docs.jsonl --db ecb.db
    python scripts/cv_story_model.py ../shared/data/ecbplus-dev/docs.jsonl --db ecb.db

The shipped confirm model is fitted on every ECB+ dev topic, so scoring the clustering on
the same topics flatters it. This script refits it five times, each time without one fifth of
the topics, and replays the incremental assignment of ``hearsay.corpus.story_index`` from the
terms the store kept for each article (same candidate index, same incremental IDF, copies
joining their original), deciding each article's links with the model that never saw its
topic. Stories are regrouped as at ingest (``stories.split_pool`` over the pair links; ``--no-regroup``
for single link alone), and ``--shuffle SEED`` replays the articles in another order. It prints
pairwise and B-cubed F1 as ``score_clusters.py`` computes them, for several confirm thresholds.
Needs the ``train`` extra (scikit-learn).
"""
from __future__ import annotations

import argparse
import json
import random
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sqlalchemy import select

from hearsay.corpus.stories import (
    confirm_features,
    index_keys,
    pair_features,
    split_pool,
    story_model,
    term_key,
    tfidf,
    with_background,
)
from hearsay.corpus.story_index import CANDIDATES
from hearsay.store import open_store
from hearsay.store import schema as t

FOLDS = 5


def load_articles(db: str) -> list[tuple[int, str, int | None, dict]]:
    """(id, external id, original if a copy, terms) in arrival order."""
    store = open_store(db)
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.articles.c.id, t.articles.c.external_id, t.articles.c.duplicate_of,
                                   t.story_features.c.terms)
                            .join(t.story_features, t.story_features.c.article_id == t.articles.c.id)
                            .order_by(t.articles.c.id)).all()
    store.close()
    return [(r.id, r.external_id, r.duplicate_of, json.loads(r.terms)) for r in rows]


def replay(articles, decide, regroup: bool = True) -> dict[str, int]:
    """Incremental assignment as at ingest. ``decide(article, [(p, candidate)], terms)`` returns
    the candidate to join (or None) and the pair links [(candidate, weight)] it scored."""
    model = story_model()
    df: Counter = Counter()
    index: dict[str, set[int]] = defaultdict(set)
    story: dict[int, int] = {}
    members: dict[int, set[int]] = defaultdict(set)
    terms: dict[int, dict] = {}
    links: dict[tuple[int, int], float] = {}
    for n, (article, _, original, tm) in enumerate(articles, start=1):
        df.update({term_key(f, term) for f, counts in tm.items() for term in counts})
        weights = tfidf(tm, *with_background(df, n))
        keys = index_keys(weights, model.index_terms)
        terms[article] = tm
        chosen, scored_links = None, []
        if original is not None:
            chosen, scored_links = original, [(original, 1.0)]
        elif keys:
            shared = Counter(a for k in keys for a in index[k])
            ranked = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:CANDIDATES]
            idf = with_background(df, n)
            scored = [(model.probability(pair_features(weights, tfidf(terms[a], *idf), model.families)), a)
                      for a, _ in ranked]
            chosen, scored_links = decide(article, [(p, a) for p, a in scored if p >= model.threshold], terms)
        for k in keys:
            index[k].add(article)
        for other, w in scored_links:
            links[(other, article)] = w
        story[article] = story[chosen] if chosen is not None else article
        members[story[article]].add(article)
        if not regroup or chosen is None:
            continue
        linked = {story[a] for a, w in scored_links if w >= model.confirm_threshold} if original is None else set()
        pool = set().union(*(members[s] for s in linked | {story[article]}))
        if len(pool) < model.min_pool:
            continue
        for s in {story[a] for a in pool}:
            members[s] = set()
        for group in split_pool(sorted(pool), links, model.link_floor, model.min_cluster):
            for a in group:
                story[a] = group[0]
            members[group[0]] = set(group)
    return {ext: story[article] for article, ext, _, _ in articles}


def scores(pred: dict[str, int], gold: dict[str, str]) -> str:
    clusters, stories, both = defaultdict(int), defaultdict(int), Counter()
    for doc, c in pred.items():
        clusters[c] += 1
        stories[gold[doc]] += 1
        both[(c, gold[doc])] += 1
    pairs = sum(v * (v - 1) // 2 for v in both.values())
    p = pairs / max(1, sum(v * (v - 1) // 2 for v in clusters.values()))
    r = pairs / max(1, sum(v * (v - 1) // 2 for v in stories.values()))
    bp = sum(both[(pred[d], gold[d])] / clusters[pred[d]] for d in pred) / len(pred)
    br = sum(both[(pred[d], gold[d])] / stories[gold[d]] for d in pred) / len(pred)
    return (f"pairwise P {p:.3f} R {r:.3f} F1 {2 * p * r / (p + r):.3f}  "
            f"bcubed P {bp:.3f} R {br:.3f} F1 {2 * bp * br / (bp + br):.3f}  clusters {len(clusters)}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", type=Path, help="labelled JSONL (id, numeric topic, story)")
    ap.add_argument("--db", required=True, help="a store the same file was ingested into")
    ap.add_argument("--thresholds", default="0.5,0.6,0.65,0.7,0.8")
    ap.add_argument("--no-regroup", action="store_true", help="single link alone, as before stories were regrouped")
    ap.add_argument("--shuffle", type=int, metavar="SEED", help="replay the articles in a random order")
    args = ap.parse_args()
    recs = {r["id"]: r for r in map(json.loads, args.gold.open(encoding="utf-8"))}
    gold = {k: r["story"] for k, r in recs.items()}
    fold = {k: int(r["topic"]) % FOLDS for k, r in recs.items()}  # as fit_story_model.py folds
    articles = load_articles(args.db)
    if args.shuffle is not None:  # new arrival order; a copy is then scored like any other article
        random.Random(args.shuffle).shuffle(articles)
        articles = [(n, e, None, tm) for n, (_, e, _, tm) in enumerate(articles, start=1)]
    ext = {a: e for a, e, _, _ in articles}
    hard: list[tuple[int, list[float], bool]] = []

    def collect(article, scored, terms):
        for p, a in scored:
            hard.append((fold[ext[article]], confirm_features(p, terms[article], terms[a]),
                         gold[ext[article]] == gold[ext[a]]))
        return None, []

    replay(articles, collect, regroup=False)
    x = np.array([h[1] for h in hard])
    y = np.array([h[2] for h in hard])
    f = np.array([h[0] for h in hard])
    models = {k: LogisticRegression(max_iter=3000).fit(x[f != k], y[f != k]) for k in range(FOLDS)}
    print(f"hard pairs {len(y)}  same story {int(y.sum())}")
    for threshold in map(float, args.thresholds.split(",")):
        def decide(article, scored, terms, threshold=threshold):
            clf = models[fold[ext[article]]]
            best, best_q, links = None, threshold, []
            for p, a in scored:
                q = float(clf.predict_proba([confirm_features(p, terms[article], terms[a])])[0, 1])
                links.append((a, q))
                if q >= best_q:
                    best, best_q = a, q
            return best, links

        pred = replay(articles, decide, regroup=not args.no_regroup)
        print(f"confirm threshold {threshold:.2f}  {scores(pred, gold)}")


if __name__ == "__main__":
    main()
