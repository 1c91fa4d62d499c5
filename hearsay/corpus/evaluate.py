"""``hearsay eval claims``: the claim-grouping rule against labelled pairs."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from hearsay.corpus.claims import content_terms, same_claim
from hearsay.errors import InputError


@dataclass
class PairScores:
    pairs: int
    positives: int
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_claim_pairs(pairs_path: Path, corpus_path: Path) -> PairScores:
    """Each pair names two spans of documents in ``corpus_path`` (JSONL with ``id`` and ``text``)."""
    if not corpus_path.exists():
        raise InputError(f"corpus not found: {corpus_path}", "usage")
    docs = {}
    with corpus_path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                docs[str(rec["id"])] = rec["text"]
    tp = fp = fn = positives = n = 0
    with pairs_path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            pair = json.loads(line)
            a, b = pair["a"], pair["b"]
            text_a, text_b = (docs[x["doc"]][x["start"]:x["end"]] for x in (a, b))
            predicted = same_claim(content_terms(text_a), a.get("source"), content_terms(text_b), b.get("source"))
            n += 1
            positives += pair["same"]
            tp += predicted and pair["same"]
            fp += predicted and not pair["same"]
            fn += (not predicted) and pair["same"]
    return PairScores(n, positives, tp, fp, fn)
