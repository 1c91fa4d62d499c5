"""The learned attribution tagger: three linear classifiers over parse-based candidates.

See ``features.py`` for what the classifiers look at and ``hearsay/train.py`` for
how they are trained. Hedging adverbs ("reportedly", "allegedly") are always
kept from the rules, as PolNeAR rarely annotates them but users need them.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Token

from hearsay.nlp import lexicon
from hearsay.nlp.attribution import AttributionTagger, _Found, finalise, is_dash
from hearsay.nlp.features import (
    content_candidates,
    cue_features,
    doc_context,
    extension_candidates,
    is_cue_candidate,
    source_candidates,
)
from hearsay.nlp.linear import LinearModel, load_meta

MODEL_DIR = Path(__file__).resolve().parent / "data" / "attribution_model"


def _log_softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max()
    return x - np.log(np.exp(x).sum())


def group_cues(doc: Doc, chosen: list[int]) -> list[set[int]]:
    """Adjacent or syntactically linked cue tokens form one cue."""
    parent = {i: i for i in chosen}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    chosen_set = set(chosen)
    for i in chosen:
        tok = doc[i]
        links = [i + 1, tok.head.i] + [c.i for c in tok.children]
        links = [j for j in links if abs(j - i) <= 3]
        for j in links:
            if j in chosen_set and j != i:
                between = doc[min(i, j) + 1:max(i, j)]
                if j == i + 1 or all(t.i in chosen_set or t.is_punct is False for t in between):
                    parent[find(i)] = find(j)
    groups: dict[int, set[int]] = {}
    for i in chosen:
        groups.setdefault(find(i), set()).add(i)
    return sorted(groups.values(), key=min)


def _explicit(doc: Doc, hit: _Found) -> bool:
    """Rule hits of a pattern the rules read exactly."""
    head = doc[hit.cue_head]
    if head.lower_ == "according" or is_dash(head):
        return True
    if head.lower_ in lexicon.SOURCELESS_ADVERBS and hit.source is None:
        return True
    return head.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in head.children)


def pick_head(doc: Doc, group: set[int]) -> Token:
    """The cue's syntactic head: the first token whose head lies outside the cue, verbs first."""
    roots = [doc[i] for i in sorted(group) if doc[i].head.i not in group or doc[i].head.i == i]
    verbs = [t for t in roots if t.pos_ in ("VERB", "AUX")]
    return (verbs or roots or [doc[min(group)]])[0]


class LearnedAttributionTagger:
    """Cue tokens → cue groups → best source and content candidate for each."""

    def __init__(self, model_dir: Path = MODEL_DIR, rules: AttributionTagger | None = None) -> None:
        self.meta = load_meta(model_dir)
        self.cue = LinearModel.load(model_dir / "cue.npz")
        self.source = LinearModel.load(model_dir / "source.npz")
        self.content = LinearModel.load(model_dir / "content.npz")
        self.extend = LinearModel.load(model_dir / "extend.npz")
        self.extend_min = float(self.meta.get("extend_threshold", 0.0))
        self.threshold = float(self.meta["cue_threshold"])
        self.extend_threshold = float(self.meta.get("cue_extend_threshold", self.threshold))
        self.rules = rules or AttributionTagger()
        self.lexicon = lexicon.cue_lexicon()

    def __call__(self, doc: Doc) -> Doc:
        doc._.attributions = finalise(doc, self.find(doc))
        return doc

    def find(self, doc: Doc) -> list[_Found]:
        ctx = doc_context(doc, self.rules)
        cands = [t for t in doc if is_cue_candidate(t)]
        if not cands:
            return []
        dense = doc.tensor[[t.i for t in cands]] if doc.tensor is not None and doc.tensor.size else None
        logits = self.cue.logits([cue_features(t, ctx, self.lexicon) for t in cands], dense)
        chosen = self._choose(doc, [t.i for t in cands], logits)
        found = []
        for group in group_cues(doc, chosen):
            hit = self._link(doc, group, ctx)
            if hit is not None:
                found.append(hit)
        return sorted(self._merge_rules(doc, found, ctx), key=lambda h: h.cue[0])

    def _merge_rules(self, doc: Doc, found: list[_Found], ctx) -> list[_Found]:
        """Explicit patterns keep the rules' reading.

        Hedging adverbs, "according to", "as revealed by", dash-signed quotes: the rules
        parse these exactly, and PolNeAR train shows some of them too rarely to learn.
        (Adding every confident rule hit the model rejected was measured too: it lowers
        attribution F1 on dev, see docs/attribution.md.)
        """
        for rule_hit in ctx.rule_hits:
            if _explicit(doc, rule_hit):
                found = [h for h in found if not (h.cue[0] <= rule_hit.cue_head < h.cue[1]
                                                  or (h.cue[0] < rule_hit.cue[1] and rule_hit.cue[0] < h.cue[1]))]
                found.append(rule_hit)
        return found

    def _choose(self, doc: Doc, index: list[int], logits: np.ndarray) -> list[int]:
        """Hysteresis: confident tokens start cues; weaker ones join when next to or linked with a cue."""
        score = dict(zip(index, logits))
        chosen = {i for i, logit in score.items() if logit > self.threshold}
        frontier = list(chosen)
        while frontier:
            i = frontier.pop()
            tok = doc[i]
            for j in [i - 1, i + 1, tok.head.i] + [c.i for c in tok.children]:
                if j not in chosen and score.get(j, -1e9) > self.extend_threshold and abs(j - i) <= 2:
                    chosen.add(j)
                    frontier.append(j)
        return sorted(chosen)

    def _extent(self, doc: Doc, head: Token, group: set[int], ctx) -> set[int]:
        """Grow a cue around its head with the tokens the extent classifier accepts, contiguously."""
        cands = extension_candidates(head, {head.i}, ctx)
        if not cands:
            return group
        scores = self.extend.logits([f for _, f in cands])
        accepted = {i for (i, _), s in zip(cands, scores) if s > self.extend_min} | group
        lo = hi = head.i
        while lo - 1 in accepted:
            lo -= 1
        while hi + 1 in accepted:
            hi += 1
        return set(range(lo, hi + 1)) | group

    def _link(self, doc: Doc, group: set[int], ctx) -> _Found | None:
        head = pick_head(doc, group)
        group = self._extent(doc, head, group, ctx)
        contents = content_candidates(head, group, ctx)
        if not contents:
            return None
        c_scores = _log_softmax(self.content.logits([f for _, f in contents]))
        sources = source_candidates(head, group, ctx)
        s_scores = _log_softmax(self.source.logits([f for _, f in sources]))
        # Best source and content together: they may not overlap.
        best, pair = -np.inf, None
        for ci in np.argsort(-c_scores)[:5]:
            content = contents[ci][0]
            for si in np.argsort(-s_scores)[:8]:
                source = sources[si][0]
                if source is not None and source[0] < content[1] and content[0] < source[1]:
                    continue
                total = c_scores[ci] + s_scores[si]
                if total > best:
                    best, pair = total, (source, content)
                break
        if pair is None:
            return None
        return _Found(cue=(min(group), max(group) + 1), content=pair[1], source=pair[0], cue_head=head.i)
