"""Analysing many inputs: the model is loaded once (per process), failures are recorded.

Why a module of its own: the CLI, and later the corpus ingester, both need
"read every input, analyse what can be, say exactly what failed".
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Iterable, Iterator

from hearsay.errors import InputError


@dataclass
class Outcome:
    """The result for one input: the article JSON, or why it failed."""

    input: str
    article: dict[str, Any] | None = None
    stage: str | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.article is not None


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Folders become their files (sorted, hidden files skipped); other inputs pass through."""
    out: list[str] = []
    for item in inputs:
        path = Path(item)
        if item != "-" and path.is_dir():
            out.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith("."))
        else:
            out.append(item)
    return out


def output_stem(source: str) -> str:
    """``dir/page.html.gz`` → ``page``; URLs use their last path part."""
    name = source.rstrip("/").rsplit("/", 1)[-1] or "article"
    if name.endswith(".gz"):
        name = name[:-3]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in stem) or "article"


# Per-process state for workers.
_STATE: dict[str, Any] = {}


def _init_worker(model: str | None, as_: str | None, allow_private: bool, attribution: str) -> None:
    from hearsay.nlp.pipeline import load

    _STATE.update(nlp=load(model, attribution), as_=as_, allow_private=allow_private)


def _run_chunk(sources: list[str]) -> list[Outcome]:
    return list(_analyze_sources(_STATE["nlp"], sources, _STATE["as_"], _STATE["allow_private"]))


def _analyze_sources(nlp, sources: list[str], as_: str | None, allow_private: bool) -> Iterator[Outcome]:
    """Read then analyse; inputs that fail to read are reported, the rest go through ``nlp.pipe``."""
    from hearsay.analyze import check_text, to_json
    from hearsay.ingest import read_input

    ready, outcomes = [], {}
    for source in sources:
        try:
            raw = read_input(source, as_=as_, allow_private=allow_private)
            check_text(raw)
            ready.append((source, raw))
        except InputError as err:
            outcomes[source] = Outcome(source, stage=err.stage, reason=err.reason)
    docs = nlp.pipe((raw.text for _, raw in ready), batch_size=8)
    for (source, raw), doc in zip(ready, docs):
        outcomes[source] = Outcome(source, article=to_json(raw, doc))
    for source in sources:
        yield outcomes[source]


def analyze_inputs(
    sources: list[str], model: str | None = None, as_: str | None = None,
    allow_private: bool = False, jobs: int = 1, chunk: int = 16, attribution: str = "rules",
) -> Iterator[Outcome]:
    """Analyse every input, in order, with ``jobs`` processes; never raises for a bad input."""
    if jobs > 1:
        # Small batches still spread over every worker.
        chunk = max(1, min(chunk, -(-len(sources) // jobs)))
    if jobs <= 1 or len(sources) <= chunk:
        from hearsay.nlp.pipeline import load

        nlp = load(model, attribution)
        for i in range(0, len(sources), chunk):
            yield from _analyze_sources(nlp, sources[i:i + chunk], as_, allow_private)
        return
    chunks = [sources[i:i + chunk] for i in range(0, len(sources), chunk)]
    jobs = min(jobs, os.cpu_count() or 1, len(chunks))
    with ProcessPoolExecutor(jobs, mp_context=get_context("fork"), initializer=_init_worker,
                             initargs=(model, as_, allow_private, attribution)) as pool:
        for outcomes in pool.map(_run_chunk, chunks):
            yield from outcomes
