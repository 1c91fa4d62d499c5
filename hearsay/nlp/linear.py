"""A linear classifier over hashed string features, with numpy only at inference.

Why not scikit-learn at run time: the default install stays light (numpy comes
with spaCy); scikit-learn is needed only to train (the ``train`` extra). Feature
strings are hashed with CRC-32, which is stable across processes and platforms.
"""
from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np

N_HASH = 1 << 20


def hash_features(features: list[str], n_hash: int = N_HASH) -> np.ndarray:
    return np.fromiter((zlib.crc32(f.encode("utf-8")) & (n_hash - 1) for f in features), dtype=np.int64,
                       count=len(features))


class LinearModel:
    """``score = w[hash(f)] summed over features + dense · v + bias``."""

    def __init__(self, weights: np.ndarray, dense: np.ndarray, bias: float, n_hash: int = N_HASH) -> None:
        self.weights = weights.astype(np.float32)
        self.dense = dense.astype(np.float32)
        self.bias = float(bias)
        self.n_hash = n_hash

    def logits(self, rows: list[list[str]], dense: np.ndarray | None = None) -> np.ndarray:
        """One score per row; all rows are hashed in one pass and summed with ``np.add.reduceat``."""
        if not rows:
            return np.zeros(0, dtype=np.float32)
        lengths = np.fromiter((len(f) for f in rows), dtype=np.int64, count=len(rows))
        values = self.weights[hash_features([f for feats in rows for f in feats], self.n_hash)]
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        out = np.add.reduceat(values, starts).astype(np.float32) if values.size else np.zeros(len(rows), np.float32)
        out[lengths == 0] = 0.0
        out += self.bias
        if dense is not None and self.dense.size and len(rows):
            out += dense @ self.dense
        return out

    def save(self, path: Path) -> None:
        nz = np.flatnonzero(self.weights)
        np.savez_compressed(path, idx=nz.astype(np.int32), val=self.weights[nz].astype(np.float16),
                            dense=self.dense, bias=np.array([self.bias]), n_hash=np.array([self.n_hash]))

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        data = np.load(path)
        n_hash = int(data["n_hash"][0])
        weights = np.zeros(n_hash, dtype=np.float32)
        weights[data["idx"]] = data["val"].astype(np.float32)
        return cls(weights, data["dense"], float(data["bias"][0]), n_hash)


def save_meta(folder: Path, meta: dict) -> None:
    (folder / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def load_meta(folder: Path) -> dict:
    return json.loads((folder / "meta.json").read_text(encoding="utf-8"))

