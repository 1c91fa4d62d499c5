"""``hearsay bench ingest``: ingest speed and query latency on a fresh store.

Why a fresh store per run: re-ingesting into a used store measures the
"already stored" shortcut, not ingest. Queries are timed after the ingest, each
repeated, and reported as p50/p95 in milliseconds.
"""
from __future__ import annotations

import itertools
import statistics
import time
from dataclasses import dataclass, field
from typing import Callable

from hearsay.corpus import queries
from hearsay.corpus.ingest import ingest
from hearsay.ingest.sources import expand
from hearsay.store import Store


@dataclass
class IngestBench:
    articles: int
    failed: int
    seconds: float
    queries: dict[str, tuple[float, float]] = field(default_factory=dict)  # name -> (p50 ms, p95 ms)

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def bench_ingest(store: Store, inputs: list[str], limit: int | None, jobs: int, repeat: int = 50,
                 words: tuple[str, ...] = ("police", "election", "said", "fire", "court")) -> IngestBench:
    """Ingest the first ``limit`` articles of ``inputs`` into ``store`` and time the queries."""
    import json
    import tempfile

    items = list(itertools.islice((i for i in expand(inputs) if i.raw is not None or i.error is None), limit))
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        for item in items:
            if item.raw is None:  # a file or URL: read it now so the timed part is the same for all
                from hearsay.ingest import read_input

                item.raw = read_input(item.key)
            raw = item.raw
            fh.write(json.dumps({"id": item.external_id or item.key, "text": raw.text, "title": raw.title,
                                 "url": raw.url, "site": raw.site, "published": raw.published}) + "\n")
        path = fh.name
    start = time.perf_counter()
    stats = ingest(store, [path], jobs=jobs)
    seconds = time.perf_counter() - start
    result = IngestBench(stats.stored, stats.failed, seconds)
    story_ids = [s["id"] for s in queries.list_stories(store, limit=repeat)]
    probes: dict[str, Callable[[int], object]] = {
        "search": lambda n: queries.search(store, words[n % len(words)]),
        "search --since": lambda n: queries.search(store, words[n % len(words)], since="2019-06-01"),
        "story": lambda n: queries.story(store, story_ids[n % len(story_ids)]),
        "stories": lambda n: queries.list_stories(store),
        "sources": lambda n: queries.sources(store),
    }
    for name, probe in probes.items():
        times = []
        for n in range(repeat):
            t0 = time.perf_counter()
            probe(n)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        result.queries[name] = (statistics.median(times), times[max(0, int(round(0.95 * len(times))) - 1)])
    return result
