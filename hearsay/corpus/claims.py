"""Claim groups: the same reported statement across the articles of a story.

Two attributions state the same thing when their contents share enough
content words (Jaccard), with a lower bar when they also name the same source
("according to KAN" in two outlets). Groups live within one story, so the
comparison stays small however large the corpus grows. The two bars were chosen
on 80 labelled pairs (``data/claim-pairs``; ``hearsay eval claims``).
"""
from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

JOIN = 0.3  # content-word Jaccard to join a group
JOIN_SAME_SOURCE = 0.2
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+|\d[\d.,]*")


def content_terms(text: str) -> set[str]:
    """Lower-cased content words with a crude plural/tense fold, so 'talks'/'talk' meet."""
    out = set()
    for word in _WORD.findall(text.lower()):
        if word in STOP_WORDS or len(word) < 3:
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        out.add(word)
    return out


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def same_claim(terms_a: set[str], source_a: str | None, terms_b: set[str], source_b: str | None) -> bool:
    """The pairwise rule behind the groups."""
    return jaccard(terms_a, terms_b) >= _bar(bool(source_a) and source_a == source_b)


def _bar(same_source: bool) -> float:
    return JOIN_SAME_SOURCE if same_source else JOIN


def best_group(terms: set[str], source: str | None, groups: list[tuple[int, set[str], set[str]]]) -> int | None:
    """The group (id, terms, sources) this claim belongs to, or None for a new one."""
    best, best_score = None, 0.0
    for group_id, group_terms, group_sources in groups:
        score = jaccard(terms, group_terms)
        if score >= _bar(bool(source) and source in group_sources) and score > best_score:
            best, best_score = group_id, score
    return best
