"""Reading PolNeAR-style gold attributions (brat standoff) for training and evaluation.

A corpus folder holds ``text/<doc>.txt`` and ``attributions/<doc>_<annotator>.ann``;
where several annotators' files exist the first in sorted order is used. Spans
may be discontinuous (``start end;start end``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

Spans = list[tuple[int, int]]


@dataclass
class GoldAttribution:
    cue: Spans
    source: Spans = field(default_factory=list)
    content: Spans = field(default_factory=list)


@dataclass
class GoldDocument:
    name: str
    text: str
    attributions: list[GoldAttribution]


def read_ann(path: Path) -> list[GoldAttribution]:
    spans: dict[str, Spans] = {}
    events: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2 and " " in parts[1]:
            _, offsets = parts[1].split(" ", 1)
            frags = []
            for frag in offsets.split(";"):
                start, end = frag.split()
                frags.append((int(start), int(end)))
            spans[parts[0]] = frags
        elif line.startswith("E") and len(parts) >= 2:
            events.append(parts[1].split())
    out = []
    for args in events:
        roles: dict[str, Spans] = {"source": [], "cue": [], "content": []}
        for arg in args:
            role, _, ref = arg.partition(":")
            role = role.rstrip("0123456789").lower()
            if role in roles and ref in spans:
                roles[role].extend(spans[ref])
        if roles["cue"]:
            out.append(GoldAttribution(cue=roles["cue"], source=roles["source"], content=roles["content"]))
    return out


def read_corpus(folder: str | Path, limit: int | None = None) -> list[GoldDocument]:
    root = Path(folder)
    docs = []
    for text_path in sorted((root / "text").glob("*.txt")):
        anns = sorted((root / "attributions").glob(text_path.stem + "_*.ann"))
        if not anns:
            continue
        docs.append(GoldDocument(text_path.stem, text_path.read_text(encoding="utf-8"), read_ann(anns[0])))
        if limit and len(docs) >= limit:
            break
    return docs
