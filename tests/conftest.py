"""Shared fixtures: the real pipeline (loaded once), paths to bundled and shared data."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"
SEED = ROOT / "examples" / "seed-article.txt"


@pytest.fixture(scope="session")
def nlp():
    from hearsay.nlp.pipeline import load

    return load(attribution="rules")  # the rule tagger; tests of the learned model load it themselves


@pytest.fixture
def attributions(nlp):
    """Analyse a sentence with the default pipeline and return its attribution records as dicts."""
    from dataclasses import asdict

    def run(text: str) -> list[dict]:
        return [asdict(a) for a in nlp(text)._.attributions]

    return run


def find(atts: list[dict], cue: str) -> dict:
    """The attribution whose cue contains ``cue`` (fails the test when absent)."""
    for att in atts:
        if cue in att["cue"]["text"]:
            return att
    raise AssertionError(f"no attribution with cue {cue!r} in {[a['cue']['text'] for a in atts]}")
