#!/usr/bin/env python3
"""Derive hearsay's cue lexicon from the PolNeAR *train* split.

Why: hand-written speech-verb lists miss most of what news uses to attribute
("argued", "pointed to", "declined", "is expected"). Counting, for every lemma,
how often a token with that lemma sits inside a gold cue gives a data-backed
lexicon with a probability per lemma, which the rule engine combines with
syntax. Only the train split is read; dev stays for measurement.

Usage: python scripts/derive_cue_lexicon.py ../shared/data/polnear/train \
           hearsay/nlp/data/cue_lexicon.json
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path


def gold_cue_chars(ann: Path) -> set[int]:
    """Character offsets covered by gold Cue spans of one annotator file."""
    chars: set[int] = set()
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if not line.startswith("T") or len(parts) < 2 or " " not in parts[1]:
            continue
        kind, offsets = parts[1].split(" ", 1)
        if kind != "Cue":
            continue
        for frag in offsets.split(";"):
            start, end = (int(x) for x in frag.split())
            chars.update(range(start, end))
    return chars


def main(train: str, out: str) -> None:
    from hearsay.nlp.pipeline import load_base

    nlp = load_base()
    root = Path(train)
    docs = []
    for text_path in sorted((root / "text").glob("*.txt")):
        anns = sorted((root / "attributions").glob(text_path.stem + "_*.ann"))
        if anns:
            docs.append((text_path.read_text(encoding="utf-8"), gold_cue_chars(anns[0])))
    total: Counter[str] = Counter()
    cue: Counter[str] = Counter()
    for doc, (_, chars) in zip(nlp.pipe((t for t, _ in docs), batch_size=16), docs):
        for tok in doc:
            if tok.pos_ not in ("VERB", "NOUN", "ADV", "ADP", "ADJ", "AUX"):
                continue
            key = f"{tok.pos_}:{tok.lemma_.lower()}"
            total[key] += 1
            if tok.idx in chars:
                cue[key] += 1
    lexicon = {
        key: {"p": round(cue[key] / total[key], 3), "n": total[key]}
        for key in sorted(cue)
        if cue[key] >= 2
    }
    Path(out).write_text(json.dumps(lexicon, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(lexicon)} lemmas from {len(docs)} documents -> {out}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
