"""Incremental story clustering: each new article joins a story or opens one.

Why this design: news arrives one article at a time, so re-clustering the
corpus per article is out. A new article is compared with *candidate*
articles that share its most telling terms (an inverted index in the store),
the pair is scored by a small logistic model over per-family cosine
similarities (words, proper nouns, person names, numbers, entities, dates),
and the article joins the story of its best-scoring candidate when that score
clears the threshold (single link). IDF comes from the document frequencies
seen so far, so early and late articles are weighed by the same rule.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Mapping

from hearsay.corpus.features import FAMILIES

Terms = dict[str, dict[str, int]]
Weights = dict[str, dict[str, float]]
CANDIDATE_FAMILIES = ("propn", "ent", "pername", "word")


@dataclass(frozen=True)
class StoryModel:
    families: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    index_terms: int  # how many of an article's terms go into the candidate index

    def probability(self, features: list[float]) -> float:
        z = self.intercept + sum(c * f for c, f in zip(self.coef, features))
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=1)
def story_model() -> StoryModel:
    """The shipped model (``data/story_model.json``, written by ``scripts/fit_story_model.py``)."""
    raw = json.loads(resources.files("hearsay.corpus").joinpath("data/story_model.json").read_text())
    return StoryModel(tuple(raw["families"]), tuple(raw["coef"]), raw["intercept"], raw["threshold"],
                      raw["index_terms"])


@lru_cache(maxsize=1)
def background() -> tuple[dict[str, int], int]:
    """Document frequencies of the bundled Wikinews sample (``scripts/background_df.py``)."""
    raw = json.loads(resources.files("hearsay.corpus").joinpath("data/background_df.json").read_text())
    return raw["df"], raw["documents"]


def with_background(df: Mapping[str, int], n: int) -> tuple[dict[str, int], int]:
    """Corpus counts plus background counts: IDF stays sensible while the store is still small."""
    bg, bg_n = background()
    return {k: v + bg.get(k, 0) for k, v in df.items()}, n + bg_n


def term_key(family: str, term: str) -> str:
    return f"{family}:{term}"[:500]


def tfidf(terms: Terms, df: Mapping[str, int], n: int) -> Weights:
    """Sublinear tf × idf, L2-normalised within each family."""
    out: Weights = {}
    for family in FAMILIES:
        counts = terms.get(family)
        if not counts:
            continue
        vec = {t: (1.0 + math.log(c)) * math.log((n + 1) / (df.get(term_key(family, t), 0) + 1) + 1)
               for t, c in counts.items()}
        norm = math.sqrt(sum(x * x for x in vec.values())) or 1.0
        out[family] = {t: x / norm for t, x in vec.items()}
    return out


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(t, 0.0) for t, x in a.items())


def pair_features(a: Weights, b: Weights, families: tuple[str, ...] = FAMILIES) -> list[float]:
    return [cosine(a.get(f, {}), b.get(f, {})) for f in families]


def index_keys(weights: Weights, k: int) -> list[str]:
    """An article's ``k`` heaviest terms among the candidate families: what the inverted index holds."""
    scored = [(w, term_key(f, t)) for f in CANDIDATE_FAMILIES for t, w in weights.get(f, {}).items()]
    scored.sort(reverse=True)
    seen: list[str] = []
    for _, key in scored:
        if key not in seen:
            seen.append(key)
        if len(seen) == k:
            break
    return seen
