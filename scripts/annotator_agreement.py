"""How far two PolNeAR annotators agree, scored like a system: the human ceiling of the metrics.

    python scripts/annotator_agreement.py ../shared/data/polnear/train \
        --scorer ../shared/tools/score_attributions.py

For every document with two or more annotation files, the first (the one the scorer takes as
gold) is the gold and the second is written out as if it were hearsay's prediction; the
reference scorer is then run unchanged on those documents. Why: issue 3's bar on cue tokens
(F1 ≥ 0.70) should be read next to how often two trained annotators mark the same cue tokens.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from hearsay.nlp.polnear import Spans, read_ann


def _spans(spans: Spans) -> list[dict]:
    return [{"start": s, "end": e} for s, e in spans]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path, help="a PolNeAR split: text/ and attributions/")
    ap.add_argument("--scorer", type=Path, required=True, help="score_attributions.py")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        gold, pred = Path(tmp, "gold"), Path(tmp, "pred")
        for sub in (gold / "text", gold / "attributions", pred):
            sub.mkdir(parents=True)
        docs = 0
        for text in sorted((args.corpus / "text").glob("*.txt")):
            anns = sorted((args.corpus / "attributions").glob(text.stem + "_*.ann"))
            if len(anns) < 2:
                continue
            docs += 1
            (gold / "text" / text.name).symlink_to(text.resolve())
            (gold / "attributions" / anns[0].name).symlink_to(anns[0].resolve())
            second = [{"cue": _spans(a.cue), "source": _spans(a.source) or None, "content": _spans(a.content)}
                      for a in read_ann(anns[1])]
            (pred / f"{text.stem}.json").write_text(json.dumps({"attributions": second}), encoding="utf-8")
        print(f"documents with two annotators: {docs}", flush=True)
        subprocess.run([sys.executable, str(args.scorer), str(gold), str(pred)], check=True)


if __name__ == "__main__":
    main()
