"""Near-duplicate detection: MinHash signatures, LSH bands kept in the store.

Why bands in the store rather than an in-memory ``MinHashLSH``: ingest runs
come and go (and resume), and a new article must find its copies among
everything stored before, without loading every signature at start-up. A band
is a hash of ``ROWS`` consecutive MinHash values; two texts whose estimated
Jaccard similarity of word 5-shingles is ≥ ``THRESHOLD`` are copies.
"""
from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
BANDS, ROWS = 32, 4  # catches pairs with Jaccard well below THRESHOLD; the signature check decides
THRESHOLD = 0.8
SHINGLE = 5
_WORD = re.compile(r"\w+")


def signature(text: str) -> np.ndarray:
    words = _WORD.findall(text.lower())
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    mh = MinHash(num_perm=NUM_PERM, seed=1)
    mh.update_batch([s.encode("utf-8") for s in shingles])
    return mh.hashvalues.astype(np.uint64)


def bands(sig: np.ndarray) -> list[tuple[int, int]]:
    """(band number, 63-bit band hash) pairs: fits a signed BIGINT in both SQLite and PostgreSQL."""
    out = []
    for b in range(BANDS):
        digest = hashlib.blake2b(sig[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).digest()
        out.append((b, int.from_bytes(digest, "big") >> 1))
    return out


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.mean(a == b))
