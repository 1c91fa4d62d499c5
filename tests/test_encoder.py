"""The contextual token encoder of the learned attribution model (hearsay/nlp/encoder.py)."""
from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from conftest import DATA

from hearsay.nlp.encoder import Piece, TokenEncoder, token_logits, windows
from hearsay.nlp.learned import MODEL_DIR


@pytest.mark.parametrize("n", [1, 253, 254, 255, 600, 1000])
def test_windows_cover_every_wordpiece_and_fit_the_model(n):
    spans = windows(n)
    covered = set()
    for s, e in spans:
        assert 0 <= s < e <= n and e - s <= 254
        covered |= set(range(s, e))
    assert covered == set(range(n))


def test_wordpieces_are_averaged_into_the_token_they_start_in():
    from hearsay.nlp.pipeline import load_base

    doc = load_base()("Officials unveiled it.")
    ps = [Piece(1, 0, 5), Piece(2, 5, 9), Piece(3, 10, 18), Piece(4, 19, 21), Piece(5, 21, 22)]
    logits = np.array([[1.0, 0, 0], [3.0, 0, 0], [0, 2.0, 0], [0, 0, 4.0], [5.0, 5.0, 5.0]], dtype=np.float32)
    out = token_logits(doc, ps, logits)
    assert out.shape == (4, 3)
    assert out[0].tolist() == [2.0, 0.0, 0.0]  # "Officials" = "Offic" + "ials"
    assert out[1].tolist() == [0.0, 2.0, 0.0] and out[3].tolist() == [5.0, 5.0, 5.0]


def test_the_shipped_encoder_rates_a_speech_verb_as_a_cue_and_its_speaker_as_a_source():
    from hearsay.nlp.pipeline import load_base

    doc = load_base()("The mayor said on Monday that the bridge would close for repairs.")
    enc = TokenEncoder(MODEL_DIR)(doc)
    said, bridge, mayor = doc[2], doc[7], doc[1]
    assert enc[said.i, 0] > 0 > enc[bridge.i, 0]
    assert enc[mayor.i, 1] > 0 > enc[bridge.i, 1]
    assert enc[bridge.i, 2] > 0 > enc[mayor.i, 2]


def test_an_empty_or_odd_text_does_not_break_the_encoder():
    from hearsay.nlp.pipeline import load_base

    nlp = load_base()
    encoder = TokenEncoder(MODEL_DIR)
    assert encoder(nlp("")).shape == (0, 3)
    assert encoder(nlp("\u200b\u200b  \n")).shape[1] == 3
    long = nlp("The minister said the plan would work. " * 200)
    assert encoder(long).shape == (len(long), 3)


@pytest.mark.skipif(importlib.util.find_spec("torch") is None or importlib.util.find_spec("onnx") is None,
                    reason="fine-tuning the encoder needs the train extra (torch, onnx)")
def test_smoke_fine_tuning_writes_a_loadable_quantised_encoder(tmp_path):
    from hearsay.nlp.pipeline import load_base
    from hearsay.nlp.polnear import read_corpus
    from hearsay.train_encoder import train_encoder

    meta = train_encoder(read_corpus(DATA / "mini-polnear"), tmp_path, epochs=1, log=lambda _: None)
    assert meta["windows"] >= 3
    assert {p.name for p in tmp_path.iterdir()} == {"encoder.onnx", "tokenizer.json"}
    doc = load_base()("The governor said that the road would reopen in May.")
    assert TokenEncoder(tmp_path)(doc).shape == (len(doc), 3)
