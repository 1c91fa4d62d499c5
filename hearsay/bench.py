"""Speed benchmarks: the full hearsay pipeline against bare spaCy on the same texts.

Why compare against bare ``nlp.pipe``: the machine varies, the ratio does not
much; it tells what hearsay's own components cost on top of the parser.
"""
from __future__ import annotations

import platform
import time
from dataclasses import dataclass

from hearsay.ingest import read_input
from hearsay.nlp import DEFAULT_ATTRIBUTION


@dataclass
class SpeedResult:
    documents: int
    words: int
    bare_seconds: float
    full_seconds: float

    @property
    def bare_wps(self) -> float:
        return self.words / self.bare_seconds

    @property
    def full_wps(self) -> float:
        return self.words / self.full_seconds

    @property
    def ratio(self) -> float:
        return self.bare_seconds / self.full_seconds


def machine() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def bench_analyze(sources: list[str], as_: str | None = None, model: str | None = None,
                  attribution: str = DEFAULT_ATTRIBUTION, repeat: int = 3) -> SpeedResult:
    """Time bare ``nlp.pipe`` and the full pipeline over the same texts (one process each, warm).

    The two are run in turn ``repeat`` times and the fastest run of each is kept, as ``timeit``
    does: on a shared machine the slow runs measure the neighbours, not the code."""
    from hearsay.nlp.pipeline import load, load_base

    texts = [read_input(s, as_=as_).text for s in sources]
    words = sum(len(t.split()) for t in texts)
    bare, full = load_base(model), load(model, attribution)
    list(bare.pipe(texts[:2]))
    list(full.pipe(texts[:2]))
    bare_seconds = full_seconds = float("inf")
    for _ in range(max(1, repeat)):
        bare_seconds = min(bare_seconds, _timed(bare, texts))
        full_seconds = min(full_seconds, _timed(full, texts))
    return SpeedResult(len(texts), words, bare_seconds, full_seconds)


def _timed(nlp, texts: list[str]) -> float:
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=8):
        pass
    return time.perf_counter() - start
