"""hearsay's spaCy components and the learned attribution model."""

# The learned model (PolNeAR-trained, with its contextual encoder) unless ``rules`` is asked for:
# the rules are the ``--fast`` profile (docs/attribution.md compares the two). Here, not in
# ``pipeline``, so that the CLI can show it without importing spaCy.
DEFAULT_ATTRIBUTION = "learned"
