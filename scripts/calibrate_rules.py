#!/usr/bin/env python3
"""Measure, on PolNeAR *train*, how often each kind of rule hit is a real attribution.

Why: a rule like "think + clause" is right when a politician "thinks the deal
is dead" but wrong for the "I think" that fills quoted speech. Counting
correct/total per (cue lemma, speaker person, inside a quote) on train lets the
tagger drop the hit kinds that are mostly wrong. A hit is correct when its cue
overlaps a gold cue. Dev is never read.

Usage: python scripts/calibrate_rules.py ../shared/data/polnear/train hearsay/nlp/data/rule_precision.json
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from derive_cue_lexicon import gold_cue_chars  # noqa: E402


def main(train: str, out: str) -> None:
    from hearsay.nlp import entities  # noqa: F401
    from hearsay.nlp.attribution import AttributionTagger, _dedupe, rule_key
    from hearsay.nlp.pipeline import load_base
    from hearsay.nlp.quotes import quotations

    nlp = load_base()
    nlp.add_pipe("hearsay_entities")
    tagger = AttributionTagger(calibrated=False)
    root = Path(train)
    items = []
    for text_path in sorted((root / "text").glob("*.txt")):
        anns = sorted((root / "attributions").glob(text_path.stem + "_*.ann"))
        if anns:
            items.append((text_path.read_text(encoding="utf-8"), gold_cue_chars(anns[0])))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for doc, (_, chars) in zip(nlp.pipe((t for t, _ in items), batch_size=16), items):
        quotes = quotations(doc)
        hits = []
        for sent in doc.sents:
            hits.extend(tagger._in_sentence(doc, sent, quotes))
        for hit in _dedupe(hits):
            span = doc[hit.cue[0]:hit.cue[1]]
            key = rule_key(doc, hit, quotes)
            counts[key][1] += 1
            counts[key][0] += any(i in chars for i in range(span.start_char, span.end_char))
    kept = {k: v for k, v in sorted(counts.items()) if v[1] >= 3}
    Path(out).write_text(json.dumps(kept, indent=0) + "\n", encoding="utf-8")
    print(f"{len(kept)} rule kinds from {len(items)} documents -> {out}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
