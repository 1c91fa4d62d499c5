"""The learned attribution tagger: linear classifiers over parse-based candidates, fused with
a contextual token encoder.

See ``features.py`` for what the classifiers look at, ``encoder.py`` for the encoder, and
``hearsay/train.py`` for how both are trained. Hedging adverbs ("reportedly", "allegedly") and
other explicit patterns are always kept from the rules, as PolNeAR rarely annotates them but
users need them; so are named sources' reports nested in another attribution's content.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
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

# How much the contextual encoder's logits weigh against the linear models' (selected on PolNeAR
# dev, docs/attribution.md): cue tokens, cue extension, source and content candidates.
FUSION = ("encoder_cue", "encoder_extend", "encoder_source", "encoder_content")

MODEL_DIR = Path(__file__).resolve().parent / "data" / "attribution_model"


def _log_softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max()
    return x - np.log(np.exp(x).sum())


def _span_means(column: np.ndarray, spans: list) -> np.ndarray:
    """The encoder's mean logit inside each candidate span (0 for "no source")."""
    return np.array([float(column[span[0]:span[1]].mean()) if span is not None and span[1] > span[0] else 0.0
                     for span in spans])


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


def _cues_overlap(a: _Found, b: _Found) -> bool:
    return a.cue[0] < b.cue[1] and b.cue[0] < a.cue[1]


_FINITE = {"VBD", "VBZ", "VBP"}
_NAMED = {"ORG", "NORP", "PERSON", "GPE"}


def _nested_report(doc: Doc, hit: _Found, found: list[_Found]) -> bool:
    """A rule hit reported inside another attribution's content by a named source with a clause.

    "Reports suggest that Egyptian security services believe Israeli officials have shown …":
    PolNeAR's annotators mark the nested belief, the model reads it as part of the content.
    """
    head = doc[hit.cue_head]
    if hit.source is None or head.tag_ not in _FINITE or not any(c.dep_ == "ccomp" for c in head.children):
        return False
    if lexicon.cue_lexicon().get(f"VERB:{head.lemma_.lower()}", 0.0) < 0.2:
        return False
    source = doc[hit.source[0]:hit.source[1]]
    if not any(t.ent_type_ in _NAMED or t.pos_ == "PROPN" for t in source):
        return False
    if any(_cues_overlap(other, hit) for other in found):
        return False
    return any(other.content[0] <= hit.cue[0] and hit.content[1] <= other.content[1] for other in found)


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
        self.encoder = None
        self.fusion = {name: float(self.meta.get(name, 0.0)) for name in FUSION}
        self.nested_rules = bool(self.meta.get("nested_rules", False))
        grow = self.meta.get("encoder_grow")  # a neighbour joins the cue where the encoder's logit exceeds it
        self.grow = None if grow is None else float(grow)
        if (model_dir / "encoder.onnx").exists() and any(self.fusion.values()):
            from hearsay.nlp.encoder import TokenEncoder

            self.encoder = TokenEncoder(model_dir)

    def __call__(self, doc: Doc, enc: np.ndarray | None = None) -> Doc:
        doc._.attributions = finalise(doc, self.find(doc, enc))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        """Like ``__call__`` over a stream, with the encoder one batch ahead in a thread.

        The encoder reads only the text, and onnxruntime releases the GIL: while it rates the
        documents of one batch, spaCy parses the next one on the other core.
        """
        if self.encoder is None:
            yield from map(self, docs)
            return
        with ThreadPoolExecutor(1) as pool:
            pending: deque = deque()
            for doc in docs:
                pending.append((doc, pool.submit(self.encoder, doc)))
                if len(pending) > batch_size:
                    doc, job = pending.popleft()
                    yield self(doc, job.result())
            while pending:
                doc, job = pending.popleft()
                yield self(doc, job.result())

    def find(self, doc: Doc, enc: np.ndarray | None = None) -> list[_Found]:
        ctx = doc_context(doc, self.rules)
        cands = [t for t in doc if is_cue_candidate(t)]
        if not cands:
            return []
        dense = doc.tensor[[t.i for t in cands]] if doc.tensor is not None and doc.tensor.size else None
        logits = self.cue.logits([cue_features(t, ctx, self.lexicon) for t in cands], dense)
        if enc is None and self.encoder is not None:
            enc = self.encoder(doc)
        if enc is not None:
            logits = logits + self.fusion["encoder_cue"] * enc[[t.i for t in cands], 0]
        chosen = self._choose(doc, [t.i for t in cands], logits)
        found = []
        for group in group_cues(doc, chosen):
            hit = self._link(doc, group, ctx, enc)
            if hit is not None:
                found.append(hit)
        return sorted(self._merge_rules(doc, found, ctx), key=lambda h: h.cue[0])

    def _merge_rules(self, doc: Doc, found: list[_Found], ctx) -> list[_Found]:
        """The rule hits the model keeps.

        Explicit patterns replace what the model found at the same cue: hedging adverbs,
        "according to", "as revealed by", dash-signed quotes — the rules parse these exactly, and
        PolNeAR train shows some of them too rarely to learn. Nested reports (``_nested_report``)
        are added where the model has no cue. (Adding every confident rule hit the model rejected
        was measured too: it lowers attribution F1 on dev, see docs/attribution.md.)
        """
        for rule_hit in ctx.rule_hits:
            if _explicit(doc, rule_hit):
                found = [h for h in found
                         if not (h.cue[0] <= rule_hit.cue_head < h.cue[1] or _cues_overlap(h, rule_hit))]
                found.append(rule_hit)
        if self.nested_rules:
            found += [h for h in ctx.rule_hits if _nested_report(doc, h, found)]
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

    def _extent(self, doc: Doc, head: Token, group: set[int], ctx, enc: np.ndarray | None = None) -> set[int]:
        """Grow a cue around its head with the tokens the extent classifier accepts, contiguously."""
        cands = extension_candidates(head, {head.i}, ctx)
        if not cands:
            return group
        scores = self.extend.logits([f for _, f in cands])
        if enc is not None:
            scores = scores + self.fusion["encoder_extend"] * enc[[i for i, _ in cands], 0]
        accepted = {i for (i, _), s in zip(cands, scores) if s > self.extend_min} | group
        if enc is not None and self.grow is not None:
            accepted |= self._grown(doc, head, enc[:, 0])
        lo = hi = head.i
        while lo - 1 in accepted:
            lo -= 1
        while hi + 1 in accepted:
            hi += 1
        return set(range(lo, hi + 1)) | group

    def _grown(self, doc: Doc, head: Token, cue_logits: np.ndarray, limit: int = 6) -> set[int]:
        """Neighbours of the head, within its sentence, that the encoder reads as part of the cue."""
        sent = head.sent
        out = set()
        for step in (-1, 1):
            i = head.i + step
            while sent.start <= i < sent.end and abs(i - head.i) <= limit and cue_logits[i] > self.grow:
                out.add(i)
                i += step
        return out

    def _link(self, doc: Doc, group: set[int], ctx, enc: np.ndarray | None = None) -> _Found | None:
        head = pick_head(doc, group)
        group = self._extent(doc, head, group, ctx, enc)
        contents = content_candidates(head, group, ctx)
        if not contents:
            return None
        c_logits = self.content.logits([f for _, f in contents])
        sources = source_candidates(head, group, ctx)
        s_logits = self.source.logits([f for _, f in sources])
        if enc is not None:
            c_logits = c_logits + self.fusion["encoder_content"] * _span_means(enc[:, 2], [c for c, _ in contents])
            s_logits = s_logits + self.fusion["encoder_source"] * _span_means(enc[:, 1], [c for c, _ in sources])
        c_scores, s_scores = _log_softmax(c_logits), _log_softmax(s_logits)
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
