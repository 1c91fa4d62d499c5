"""The learned attribution model: shipped model, smoke training, evaluation command."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import DATA, SHARED

from hearsay.nlp.attribution import AttributionTagger
from hearsay.nlp.learned import MODEL_DIR, LearnedAttributionTagger

MINI = DATA / "mini-polnear"


def test_the_shipped_model_by_default_and_the_rules_on_request():
    from hearsay.nlp.pipeline import load

    assert (MODEL_DIR / "meta.json").exists() and (MODEL_DIR / "encoder.onnx").exists()
    assert isinstance(load().get_pipe("hearsay_attribution"), LearnedAttributionTagger)
    assert load().get_pipe("hearsay_attribution").encoder is not None
    assert isinstance(load(attribution="rules").get_pipe("hearsay_attribution"), AttributionTagger)


def test_learned_model_finds_speech_and_keeps_explicit_patterns():
    from hearsay.nlp.pipeline import load

    nlp = load(attribution="learned")
    doc = nlp('"We will not sign this agreement," the minister said on Tuesday. '
              "The talks collapsed after midnight, according to two diplomats. "
              "The general allegedly ordered the withdrawal of his troops.")
    by_cue = {a.cue.text: a for a in doc._.attributions}
    said = next(a for cue, a in by_cue.items() if "said" in cue)
    assert said.source.text == "the minister"
    assert said.content.text.startswith('"We will not sign')
    assert by_cue["according to"].source.text == "two diplomats"
    assert by_cue["allegedly"].source is None and by_cue["allegedly"].certainty == "hedged"


def test_learned_model_keeps_a_named_sources_report_nested_in_another_content():
    from hearsay.nlp.pipeline import load

    doc = load(attribution="learned")("Reports suggest that Egyptian security services believe Israeli officials "
                                      "have shown a willingness to negotiate a new ceasefire deal.")
    by_cue = {a.cue.text: a for a in doc._.attributions}
    assert by_cue["believe"].source.text == "Egyptian security services"
    assert by_cue["believe"].parent == by_cue["suggest"].id


def test_model_card_names_data_metrics_and_license():
    card = (MODEL_DIR / "README.md").read_text(encoding="utf-8")
    for needed in ("PolNeAR", "attribution", "strict", "License", "Limits"):
        assert needed in card


def test_smoke_training_produces_a_loadable_model(tmp_path):
    from hearsay.nlp.pipeline import load
    from hearsay.train import train_attribution

    out = tmp_path / "model"
    meta = train_attribution(MINI, out, log=lambda _: None)
    assert meta["documents"] == 3
    assert {p.name for p in out.iterdir()} >= {"cue.npz", "extend.npz", "source.npz", "content.npz", "meta.json"}
    nlp = load(model_dir=str(out))
    doc = nlp("The governor said that the road would reopen in May.")
    cues = [a.cue.text for a in doc._.attributions]
    assert any("said" in c for c in cues), cues


def test_train_command(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "hearsay.cli", "train", "attribution", "--data", str(MINI),
                           "--out", str(tmp_path / "m"), "--no-encoder"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "trained on 3 documents" in proc.stdout
    assert json.loads((tmp_path / "m" / "meta.json").read_text())["documents"] == 3


@pytest.mark.skipif(not (SHARED / "tools" / "score_attributions.py").exists(), reason="../shared/tools is absent")
def test_eval_command_prints_the_reference_scores(tmp_path):
    scorer = SHARED / "tools" / "score_attributions.py"
    proc = subprocess.run([sys.executable, "-m", "hearsay.cli", "eval", "attribution", str(MINI),
                           "--pred", str(tmp_path / "pred"), "--scorer", str(scorer)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "attribution    P" in proc.stdout
    assert sorted(p.name for p in (tmp_path / "pred").iterdir()) == [
        "mini_council.json", "mini_election.json", "mini_harbour.json"]
