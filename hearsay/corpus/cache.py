"""What the single ingest writer remembers between articles."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class WriterCache:
    """What the single writer remembers between articles, so each one costs a few statements.

    Document frequencies, the article count, candidates' term vectors and source ids only ever
    change through this writer during a run (one ingest at a time per store), so caching them
    is safe; a new run starts with an empty cache and reads what it needs from the store.
    """

    df: dict[str, int] = field(default_factory=dict)
    n: int | None = None
    features: dict[int, tuple[int, dict, str | None]] = field(default_factory=dict)  # id -> story, terms, date
    sources: dict[tuple[str, str], int] = field(default_factory=dict)

    def trim(self, max_features: int = 50_000, max_terms: int = 2_000_000) -> None:
        """Keep memory bounded on long runs: drop the oldest term vectors (recent articles are the
        likeliest candidates) and, past a vocabulary size, the document-frequency cache."""
        if len(self.features) > max_features:
            for key in list(self.features)[: len(self.features) - max_features]:
                del self.features[key]
        if len(self.df) > max_terms:
            self.df.clear()

    def reset(self) -> None:
        """Forget everything: after a rolled-back article the cache may hold counts that never landed."""
        self.df.clear()
        self.features.clear()
        self.sources.clear()
        self.n = None
