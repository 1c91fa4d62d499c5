"""Analysing many inputs: the model is loaded once (per process), failures are recorded.

Why a module of its own: the CLI, and later the corpus ingester, both need
"read every input, analyse what can be, say exactly what failed".
"""
from __future__ import annotations

import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Iterable, Iterator

from hearsay.errors import InputError
from hearsay.ingest.sources import Item
from hearsay.nlp import DEFAULT_ATTRIBUTION


@dataclass
class Outcome:
    """The result for one input: the article JSON, or why it failed."""

    input: str
    article: dict[str, Any] | None = None
    stage: str | None = None
    reason: str | None = None
    terms: dict[str, dict[str, int]] | None = None  # story-clustering terms, when asked for
    external_id: str | None = None

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


def _init_worker(model: str | None, as_: str | None, allow_private: bool, attribution: str, terms: bool) -> None:
    from hearsay.nlp.pipeline import load

    _STATE.update(nlp=load(model, attribution), as_=as_, allow_private=allow_private, terms=terms)


def _run_chunk(items: list[Item]) -> list[Outcome]:
    return list(_analyze_items(_STATE["nlp"], items, _STATE["as_"], _STATE["allow_private"], _STATE["terms"]))


def _analyze_items(nlp, items: list[Item], as_: str | None, allow_private: bool, terms: bool) -> Iterator[Outcome]:
    """Read what is not read yet, then analyse; failures are reported, the rest go through ``nlp.pipe``."""
    from hearsay.analyze import check_text, to_json
    from hearsay.corpus.features import story_terms
    from hearsay.ingest import read_input

    ready, outcomes = [], {}
    for n, item in enumerate(items):
        try:
            if item.error is not None:
                raise item.error
            raw = item.raw or read_input(item.key, as_=as_, allow_private=allow_private)
            for name, value in item.defaults.items():
                if not getattr(raw, name, None):
                    setattr(raw, name, value)
            check_text(raw)
            ready.append((n, raw))
        except InputError as err:
            outcomes[n] = Outcome(item.key, stage=err.stage, reason=err.reason)
    docs = nlp.pipe((raw.text for _, raw in ready), batch_size=8)
    for (n, raw), doc in zip(ready, docs):
        outcomes[n] = Outcome(items[n].key, article=to_json(raw, doc), terms=story_terms(doc) if terms else None,
                              external_id=items[n].external_id)
    for n in range(len(items)):
        yield outcomes[n]


def analyze_items(
    items: Iterable[Item], model: str | None = None, as_: str | None = None, allow_private: bool = False,
    jobs: int = 1, chunk: int = 16, attribution: str = DEFAULT_ATTRIBUTION, terms: bool = False,
) -> Iterator[Outcome]:
    """Analyse every item, in order, with ``jobs`` processes; never raises for a bad input.

    Items are consumed lazily, a few chunks ahead of the results, so a long JSONL file or
    feed starts producing results at once and memory stays flat.
    """
    chunks = _chunks(items, chunk)
    if jobs <= 1:
        from hearsay.nlp.pipeline import load

        nlp = load(model, attribution)
        for part in chunks:
            yield from _analyze_items(nlp, part, as_, allow_private, terms)
        return
    jobs = min(jobs, os.cpu_count() or 1)
    with ProcessPoolExecutor(jobs, mp_context=get_context("fork"), initializer=_init_worker,
                             initargs=(model, as_, allow_private, attribution, terms)) as pool:
        pending: deque = deque()
        for part in chunks:
            pending.append(pool.submit(_run_chunk, part))
            if len(pending) >= 2 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    part: list[Item] = []
    for item in items:
        part.append(item)
        if len(part) >= size:
            yield part
            part = []
    if part:
        yield part


def analyze_inputs(
    sources: list[str], model: str | None = None, as_: str | None = None,
    allow_private: bool = False, jobs: int = 1, chunk: int = 16, attribution: str = DEFAULT_ATTRIBUTION,
    defaults: dict[str, str] | None = None,
) -> Iterator[Outcome]:
    """``hearsay analyze``: one article per input, each read by a worker; ``defaults`` fill metadata gaps."""
    if jobs > 1:
        # Small batches still spread over every worker.
        chunk = max(1, min(chunk, -(-len(sources) // jobs)))
    items = (Item(s, defaults=dict(defaults or {})) for s in sources)
    yield from analyze_items(items, model=model, as_=as_, allow_private=allow_private,
                             jobs=jobs, chunk=chunk, attribution=attribution)
