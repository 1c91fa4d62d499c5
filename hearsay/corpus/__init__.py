"""The corpus: near-duplicates, stories, corroboration, queries, over a ``hearsay.store``."""
