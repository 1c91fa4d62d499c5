"""Fit the story model's pair weights on a labelled JSONL corpus (id, story, text).

    python scripts/fit_story_model.py ../shared/data/ecbplus-dev/docs.jsonl \
        --out hearsay/corpus/data/story_model.json

Every pair of documents is one example (same story or not); the features are the
per-family cosine similarities that ``hearsay.corpus.stories`` computes at ingest time.
The second ("confirm") model is fitted on the pairs the first one lets through (p ≥
``--threshold``), over the first model's log-odds and the conflict features: those pairs
are the hard ones, mostly two similar events of one topic. Prints 5-fold (by topic)
cross-validated AUCs for both, so the fit can be judged without the clustering scores.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from hearsay.corpus.features import FAMILIES, story_terms
from hearsay.corpus.stories import CONFLICTS, confirm_features, pair_features, term_key, tfidf, with_background
from hearsay.nlp.pipeline import load


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--threshold", type=float, default=0.3, help="first model's bar for a candidate")
    ap.add_argument("--confirm-threshold", type=float, default=0.65, help="second model's bar for a link")
    ap.add_argument("--index-terms", type=int, default=40)
    ap.add_argument("--link-floor", type=float, default=0.45,
                    help="regrouping: average link weight two parts of a story need to stay one")
    ap.add_argument("--min-cluster", type=int, default=3, help="regrouping: least articles of a story of its own")
    ap.add_argument("--min-pool", type=int, default=4, help="regrouping: least articles of a pool to regroup")
    args = ap.parse_args()
    recs = [json.loads(line) for line in args.gold.open(encoding="utf-8") if line.strip()]
    nlp = load()
    terms = [story_terms(doc) for doc in nlp.pipe((r["text"] for r in recs), batch_size=16)]
    df = Counter(term_key(f, t) for tm in terms for f, c in tm.items() for t in c)
    weights = [tfidf(tm, *with_background(df, len(recs))) for tm in terms]
    n = len(recs)
    rows, labels, groups, pairs = [], [], [], []
    for i in range(n):
        for j in range(i + 1, n):
            rows.append(pair_features(weights[i], weights[j]))
            labels.append(recs[i]["story"] == recs[j]["story"])
            groups.append(recs[i].get("topic", recs[i]["story"]))
            pairs.append((j, i))  # the later article is the one arriving
    x, y = np.array(rows), np.array(labels)
    topics = sorted(set(groups), key=str)
    group_arr = np.array([topics.index(g) for g in groups])
    clf = LogisticRegression(max_iter=2000).fit(x, y)
    print(f"pairs {len(y)}  positive {int(y.sum())}  cross-validated pair AUC {_cv_auc(x, y, group_arr):.4f}")
    p = clf.predict_proba(x)[:, 1]
    hard = np.flatnonzero(p >= args.threshold)
    xc = np.array([confirm_features(p[k], terms[pairs[k][0]], terms[pairs[k][1]]) for k in hard])
    yc, gc = y[hard], group_arr[hard]
    confirm = LogisticRegression(max_iter=3000).fit(xc, yc)
    print(f"confirm pairs {len(yc)}  positive {int(yc.sum())}  cross-validated AUC {_cv_auc(xc, yc, gc):.4f}")
    model = {"families": list(FAMILIES), "coef": [round(float(c), 4) for c in clf.coef_[0]],
             "intercept": round(float(clf.intercept_[0]), 4), "threshold": args.threshold,
             "index_terms": args.index_terms,
             "confirm": {"features": ["first_log_odds", *CONFLICTS],
                         "coef": [round(float(c), 4) for c in confirm.coef_[0]],
                         "intercept": round(float(confirm.intercept_[0]), 4),
                         "threshold": args.confirm_threshold},
             "regroup": {"link_floor": args.link_floor, "min_cluster": args.min_cluster, "min_pool": args.min_pool},
             "trained_on": f"{args.gold.name}: {n} documents, {len(set(r['story'] for r in recs))} stories"}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(model))


def _cv_auc(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> float:
    aucs = []
    for k in range(5):
        test = groups % 5 == k
        if len(set(y[test])) < 2:
            continue
        fold = LogisticRegression(max_iter=3000).fit(x[~test], y[~test])
        aucs.append(roc_auc_score(y[test], fold.predict_proba(x[test])[:, 1]))
    return float(np.mean(aucs))


if __name__ == "__main__":
    main()
