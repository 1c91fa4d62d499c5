"""Document frequencies of a background corpus, so story IDF is sensible from the first article.

    python scripts/background_df.py examples/wikinews/wikinews.jsonl --out hearsay/corpus/data/background_df.json

Without it, the first articles of a new store weigh every term as rare, and two
reports of similar events look alike. Terms seen in one document only are dropped.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from hearsay.corpus.features import story_terms
from hearsay.corpus.stories import term_key
from hearsay.nlp.pipeline import load


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path, help="JSONL with a 'text' field per line")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    texts = [json.loads(line)["text"] for line in args.corpus.open(encoding="utf-8") if line.strip()]
    df: Counter = Counter()
    for doc in load().pipe(texts, batch_size=16):
        df.update({term_key(f, t) for f, counts in story_terms(doc).items() for t in counts})
    kept = {k: v for k, v in sorted(df.items()) if v >= 2}
    args.out.write_text(json.dumps({"source": args.corpus.name, "documents": len(texts), "df": kept}) + "\n",
                        encoding="utf-8")
    print(f"{len(texts)} documents, {len(kept)} terms -> {args.out}")


if __name__ == "__main__":
    main()
