"""Incremental story clustering: each new article joins a story or opens one.

Why this design: news arrives one article at a time, so re-clustering the
corpus per article is out. A new article is compared with *candidate*
articles that share its most telling terms (an inverted index in the store),
the pair is scored by a small logistic model over per-family cosine
similarities (words, proper nouns, person names, numbers, entities, dates),
and a pair that clears that first bar is *confirmed* by a second model that
looks for conflicts a shared vocabulary hides: the lead of one report names a
person or a number the other never mentions, or both name years and none is
shared (two earthquakes on the same island, two players of one team arrested
a month apart). The article joins the story of its best confirmed candidate
(single link). IDF comes from the document frequencies seen so far, so early
and late articles are weighed by the same rule.

Single link decides on the evidence of the moment, and in a stream the first report of a second,
similar event often meets a story of one article and joins it. So every scored pair is kept as a
weighted *link*, and when an article joins, the stories it links to are *regrouped* locally: the
union of their articles is clustered by average link over the link weights (``split_pool``). A
wrong early link is outvoted once both events have a few reports each (the story splits), and two
stories that the new article shows to be one are merged. Only the stories the article touches are
regrouped, never the corpus.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable, Mapping

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from hearsay.corpus.features import FAMILIES

Terms = dict[str, dict[str, int]]
Weights = dict[str, dict[str, float]]
CANDIDATE_FAMILIES = ("propn", "ent", "pername", "word")


@dataclass(frozen=True)
class StoryModel:
    families: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float  # the first model's bar: a candidate below it is not considered
    index_terms: int  # how many of an article's terms go into the candidate index
    confirm_coef: tuple[float, ...]  # the second model: log-odds of the first, then CONFLICTS
    confirm_intercept: float
    confirm_threshold: float
    link_floor: float  # regrouping: the average link weight two parts of a story need to stay one
    min_cluster: int  # ... and the size a part needs to stand as a story of its own
    min_pool: int  # stories (with the new article) smaller than this are not regrouped

    def probability(self, features: list[float]) -> float:
        return _sigmoid(self.intercept + sum(c * f for c, f in zip(self.coef, features)))

    def confirm(self, p: float, a: Terms, b: Terms) -> float:
        """How likely two reports that the first model links are about the same event."""
        features = confirm_features(p, a, b)
        return _sigmoid(self.confirm_intercept + sum(c * f for c, f in zip(self.confirm_coef, features)))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=1)
def story_model() -> StoryModel:
    """The shipped model (``data/story_model.json``, written by ``scripts/fit_story_model.py``)."""
    raw = json.loads(resources.files("hearsay.corpus").joinpath("data/story_model.json").read_text())
    confirm, regroup = raw["confirm"], raw["regroup"]
    return StoryModel(tuple(raw["families"]), tuple(raw["coef"]), raw["intercept"], raw["threshold"],
                      raw["index_terms"], tuple(confirm["coef"]), confirm["intercept"], confirm["threshold"],
                      regroup["link_floor"], regroup["min_cluster"], regroup["min_pool"])


CONFLICTS = ("main_person", "lead_person", "lead_propn", "lead_numbers", "year_clash", "lead_words")


def confirm_features(p: float, a: Terms, b: Terms) -> list[float]:
    """The first model's log-odds, then one value per ``CONFLICTS`` name. Each coverage is taken
    both ways and the smaller kept: a report about another event names what the first never does."""
    p = min(max(p, 1e-9), 1 - 1e-9)
    return [math.log(p / (1 - p)), *conflicts(a, b)]


def conflicts(a: Terms, b: Terms) -> list[float]:
    years_a, years_b = set(a.get("year", {})), set(b.get("year", {}))
    return [
        _both(_top_person, _names, a, b),
        _both(lambda t: _lead_of(t, "pername", "leadp"), _names, a, b),
        _both(lambda t: set(t.get("leadp", {})), _names, a, b),
        _both(lambda t: _lead_of(t, "num"), lambda t: set(t.get("num", {})), a, b),
        1.0 if years_a and years_b and not years_a & years_b else 0.0,
        _both(lambda t: set(t.get("lead", {})), lambda t: set(t.get("word", {})), a, b),
    ]


def _both(part: Callable[[Terms], set[str]], whole: Callable[[Terms], set[str]], a: Terms, b: Terms) -> float:
    """How much of each report's ``part`` the other's ``whole`` holds; the smaller of the two."""
    return min(_coverage(part(a), whole(b)), _coverage(part(b), whole(a)))


def _names(terms: Terms) -> set[str]:
    return set(terms.get("pername", {})) | set(terms.get("propn", {}))


def _top_person(terms: Terms) -> set[str]:
    people = terms.get("pername", {})
    return {min(people.items(), key=lambda kv: (-kv[1], kv[0]))[0]} if people else set()


def _lead_of(terms: Terms, family: str, lead: str = "lead") -> set[str]:
    """The lead's terms that belong to ``family`` (its numbers, its person names)."""
    members = terms.get(family, {})
    return {t for t in terms.get(lead, {}) if t in members}


def _coverage(part: set[str], whole: set[str]) -> float:
    return sum(1 for t in part if t in whole) / len(part) if part else 1.0


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


Link = tuple[int, int]


def split_pool(members: list[int], links: Mapping[Link, float], floor: float, min_cluster: int) -> list[list[int]]:
    """The stories a pool of articles (one story, or several that a new article links) should be.

    Average-link clustering over the link weights (a pair never scored weighs 0), stopped where
    the average falls below ``floor``. Parts smaller than ``min_cluster`` are not stories of their
    own: they join the part they are most strongly linked to. With fewer than two such parts the
    pool is one story. Why average link: single link lets one pair decide; here a part stands
    apart only if the articles of both parts, on the whole, do not read as one event.
    """
    members = sorted(members)
    if len(members) < 2 * min_cluster:
        return [members]
    pos = {m: i for i, m in enumerate(members)}
    weight = np.zeros((len(members), len(members)))
    for (a, b), w in links.items():
        if a in pos and b in pos:
            weight[pos[a], pos[b]] = weight[pos[b], pos[a]] = w
    dist = 1.0 - weight
    np.fill_diagonal(dist, 0.0)
    labels = fcluster(linkage(squareform(dist, checks=False), "average"), t=1.0 - floor, criterion="distance")
    parts: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        parts.setdefault(int(label), []).append(i)
    ordered = sorted(parts.values(), key=lambda part: part[0])
    big = [part for part in ordered if len(part) >= min_cluster]
    if len(big) < 2:
        return [members]
    # reach[i, g]: the strongest link from article i into part g, kept up to date as parts grow
    reach = np.stack([weight[:, group].max(axis=1) for group in big], axis=1)
    for part in ordered:
        if len(part) < min_cluster:  # to the part it is most strongly linked to (the first, on a tie)
            g = int(np.argmax(reach[part].max(axis=0)))
            big[g] = big[g] + part
            reach[:, g] = np.maximum(reach[:, g], weight[:, part].max(axis=1))
    return [sorted(members[i] for i in part) for part in big]
