"""Training the learned attribution model on a PolNeAR-style corpus.

Reproduces the shipped model with ``hearsay train attribution --data
../shared/data/polnear/train --out hearsay/nlp/data/attribution_model``. Needs
the ``train`` extra (scikit-learn, scipy). Steps: parse the corpus once with the
base spaCy model; every token becomes a cue-head example, the tokens around each
gold cue head become cue-extent examples, and every gold attribution becomes a
source ranking and a content ranking (the candidate with the best token Jaccard
≥ 0.5 with the gold span is the one to rank first). Two logistic regressions
(cue head, cue extent) and two softmax rankers (source, content) are fitted.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hearsay.nlp import lexicon
from hearsay.nlp.features import (
    content_candidates,
    cue_features,
    doc_context,
    extension_candidates,
    is_cue_candidate,
    jaccard,
    source_candidates,
)
from hearsay.nlp.learned import pick_head
from hearsay.nlp.linear import N_HASH, LinearModel, hash_features, save_meta
from hearsay.nlp.polnear import GoldDocument, read_corpus


@dataclass
class Examples:
    rows: list[list[str]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    dense: list[np.ndarray] = field(default_factory=list)

    def add(self, features: list[str], label: bool, dense: np.ndarray | None = None) -> None:
        self.rows.append(features)
        self.labels.append(int(label))
        if dense is not None:
            self.dense.append(dense)


def tokens_of(doc, spans: list[tuple[int, int]]) -> set[int]:
    out: set[int] = set()
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            out.update(t.i for t in span if not t.is_space)
    return out


def parse(nlp, golds: list[GoldDocument], batch_size: int = 16):
    return list(nlp.pipe((g.text for g in golds), batch_size=batch_size))


def build_examples(golds: list[GoldDocument], docs, rules, cue_label: str = "heads"
                   ) -> tuple[Examples, Examples, Rankings, Rankings]:
    """``cue_label``: ``tokens`` (every token of a gold cue is positive) or ``heads`` (only its head)."""
    lex = lexicon.cue_lexicon()
    cue, extend, source, content = Examples(), Examples(), Rankings(), Rankings()
    for gold, doc in zip(golds, docs):
        ctx = doc_context(doc, rules)
        cue_tokens: set[int] = set()
        atts = []
        for att in gold.attributions:
            group = tokens_of(doc, att.cue)
            if group:
                cue_tokens |= group
                atts.append((group, tokens_of(doc, att.source), tokens_of(doc, att.content)))
        positives = cue_tokens if cue_label == "tokens" else {pick_head(doc, group).i for group, _, _ in atts}
        for tok in doc:
            if is_cue_candidate(tok):
                cue.add(cue_features(tok, ctx, lex), tok.i in positives, doc.tensor[tok.i])
        for group, src, con in atts:
            head = pick_head(doc, group)
            for i, feats in extension_candidates(head, {head.i}, ctx):
                extend.add(feats, i in group)
            cands = source_candidates(head, group, ctx)
            fits = [(1.0 if not src else 0.0) if span is None else (jaccard(set(range(*span)), src) if src else 0.0)
                    for span, _ in cands]
            _add_ranked(source, cands, fits)
            if con:
                cands = content_candidates(head, group, ctx)
                _add_ranked(content, cands, [jaccard(set(range(*span)), con) for span, _ in cands])
    return cue, extend, source, content


def _add_ranked(ex: Rankings, cands: list, fits: list[float]) -> None:
    """The best-fitting candidate (Jaccard >= 0.5 with gold) is the one to rank first."""
    best = max(range(len(fits)), key=fits.__getitem__) if fits else -1
    if best >= 0 and fits[best] >= 0.5:
        ex.groups.append(([feats for _, feats in cands], best))
    else:
        ex.unreachable += 1


@dataclass
class Rankings:
    """Candidate lists, each with the index of the right candidate."""

    groups: list[tuple[list[list[str]], int]] = field(default_factory=list)
    unreachable: int = 0


def fit_ranker(ex: Rankings, epochs: int = 20, rate: float = 0.1, l2: float = 1e-5, seed: int = 0) -> LinearModel:
    """Conditional logit (softmax over each candidate list) trained with AdaGrad.

    Why not a binary classifier: what matters is which candidate wins within one
    attribution, not each candidate's absolute probability.
    """
    rng = np.random.default_rng(seed)
    hashed = [([hash_features(f) for f in feats], best) for feats, best in ex.groups]
    weights = np.zeros(N_HASH, dtype=np.float64)
    accum = np.full(N_HASH, 1e-8)
    for _ in range(epochs):
        for g in rng.permutation(len(hashed)):
            cands, best = hashed[g]
            scores = np.array([weights[idx].sum() for idx in cands])
            scores -= scores.max()
            prob = np.exp(scores)
            prob /= prob.sum()
            prob[best] -= 1.0
            allidx = np.concatenate(cands)
            uniq, inverse = np.unique(allidx, return_inverse=True)
            grad = np.bincount(inverse, weights=np.repeat(prob, [len(c) for c in cands])) + l2 * weights[uniq]
            accum[uniq] += grad * grad
            weights[uniq] -= rate * grad / np.sqrt(accum[uniq])
    return LinearModel(weights, np.zeros(0), 0.0)


def to_matrix(ex: Examples):
    from scipy import sparse

    indptr, indices = [0], []
    for feats in ex.rows:
        idx = np.unique(hash_features(feats))
        indices.append(idx)
        indptr.append(indptr[-1] + len(idx))
    flat = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64)
    matrix = sparse.csr_matrix((np.ones(len(flat), dtype=np.float32), flat, np.array(indptr)),
                               shape=(len(ex.rows), N_HASH))
    if ex.dense:
        matrix = sparse.hstack([matrix, sparse.csr_matrix(np.vstack(ex.dense))], format="csr")
    return matrix, np.array(ex.labels)


def fit(ex: Examples, c: float = 0.5) -> LinearModel:
    return fit_matrix(*to_matrix(ex), c=c)


def fit_matrix(x, y, c: float = 0.5) -> LinearModel:
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, solver="liblinear", max_iter=200)
    clf.fit(x, y)
    coef = clf.coef_[0]
    return LinearModel(coef[:N_HASH], coef[N_HASH:], clf.intercept_[0])


# Selected on PolNeAR dev (docs/attribution.md): regularisation of the linear models, the logit a
# token needs to start a cue, to join one, and to extend a cue from its head.
DEFAULTS = {"C": 0.3, "cue_threshold": -0.3, "cue_extend_threshold": -0.3, "extend_threshold": -1.0}
# With the contextual encoder: how much its logits weigh in each decision (see ``learned.FUSION``),
# and the cue thresholds that go with them; also selected on PolNeAR dev.
ENCODER_DEFAULTS = {"encoder_cue": 2.0, "encoder_extend": 1.0, "encoder_source": 0.5, "encoder_content": 0.5,
                    "encoder_grow": -0.5, "nested_rules": True, "cue_threshold": -2.3, "cue_extend_threshold": -2.5,
                    "extend_threshold": -1.5}


def train_attribution(data: str | Path, out: str | Path, limit: int | None = None, nlp=None,
                      log=print, encoder: bool = False, **settings: float) -> dict:
    """Train the four classifiers (cue, cue extent, source, content) and write them with a ``meta.json``.

    With ``encoder``, also fine-tune the contextual token encoder (``train_encoder.py``, needs torch)
    whose logits are fused with the classifiers' at the weights in ``ENCODER_DEFAULTS``.
    """
    from hearsay.nlp.attribution import AttributionTagger
    from hearsay.nlp.pipeline import load_base

    started = time.time()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    golds = read_corpus(data, limit=limit)
    if not golds:
        raise ValueError(f"no annotated documents in {data} (expected text/ and attributions/)")
    if nlp is None:
        nlp = load_base()
        nlp.add_pipe("hearsay_entities")
    log(f"parsing {len(golds)} documents")
    docs = parse(nlp, golds)
    cue, extend, source, content = build_examples(golds, docs, AttributionTagger())
    log(f"examples: cue {len(cue.rows)} tokens, source {len(source.groups)} and content {len(content.groups)} "
        f"attributions (unreachable: {source.unreachable} / {content.unreachable})")
    config = {**DEFAULTS, **(ENCODER_DEFAULTS if encoder else {}), **settings}
    if encoder:
        from hearsay.train_encoder import train_encoder

        log("fine-tuning the token encoder")
        config["encoder"] = train_encoder(golds, out, log=log)
    log("fitting cue")
    fit(cue, c=config["C"]).save(out / "cue.npz")
    log("fitting cue extent")
    fit(extend, c=config["C"]).save(out / "extend.npz")
    for name, ex in (("source", source), ("content", content)):
        log(f"fitting {name}")
        fit_ranker(ex).save(out / f"{name}.npz")
    meta = {**config, "documents": len(golds), "data": str(data),
            "examples": {"cue": len(cue.rows), "extend": len(extend.rows), "source": len(source.groups),
                         "content": len(content.groups)},
            "seconds": round(time.time() - started, 1)}
    save_meta(out, meta)
    return meta
