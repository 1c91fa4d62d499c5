"""Certainty labels, source kinds and canonical names."""
from __future__ import annotations

import pytest
from conftest import find


@pytest.mark.parametrize(
    "sentence,cue,expected",
    [
        ("The ministry confirmed that the plant was closed.", "confirmed", "asserted"),
        ("The ministry said that the plant was closed.", "said", "reported"),
        ("Officials believe that the plant was closed.", "believe", "hedged"),
        ("The ministry said that the plant may close next year.", "said", "speculative"),
        ("The ministry denied that the plant was closed.", "denied", "denied"),
    ],
)
def test_certainty(attributions, sentence, cue, expected):
    assert find(attributions(sentence), cue)["certainty"] == expected


@pytest.mark.parametrize(
    "sentence,cue,kind",
    [
        ("Angela Merkel said that the deal was done.", "said", "person"),
        ("The World Health Organization said that cases were rising.", "said", "organization"),
        ("The New York Times reported that the deal was done.", "reported", "media"),
        ("Senior officials said that the deal was done.", "said", "anonymous"),
        ("Reports suggest that the deal was done.", "suggest", "unspecified"),
        ("A letter from the governor warned that the deal was off.", "warned", "document"),
    ],
)
def test_source_kind(attributions, sentence, cue, kind):
    assert find(attributions(sentence), cue)["source"]["kind"] == kind


def test_definite_description_resolves_to_outlet(attributions):
    atts = attributions("The Washington Post reported the merger on Monday. "
                        "The newspaper said that the deal was worth $2 billion.")
    att = find(atts, "said")
    assert att["source"]["kind"] == "media"
    assert att["source"]["canonical"] == "Washington Post"


def test_pronoun_resolves_to_person(attributions):
    atts = attributions("Jacinda Ardern visited the town on Friday. She said that help was on the way.")
    att = find(atts, "said")
    assert att["source"]["kind"] == "person"
    assert att["source"]["canonical"] == "Jacinda Ardern"


def test_entities_share_a_canonical_name(nlp):
    doc = nlp("German Chancellor Angela Merkel arrived in Paris on Monday. Later, Merkel met French President "
              "Emmanuel Macron. The Wall Street Journal reported the meeting; the Journal said Macron was pleased.")
    names = {e.text: e._.canonical for e in doc.ents}
    assert names["Merkel"] == names["Angela Merkel"] == "Angela Merkel"
    assert names["Macron"] == "Emmanuel Macron"
    assert names["Journal"] == names["The Wall Street Journal"] == "Wall Street Journal"


def test_a_named_authority_is_an_organization_but_authorities_are_anonymous(attributions):
    from conftest import find

    port = find(attributions("According to the port authority, more than forty ships are waiting."), "According")
    assert port["source"]["kind"] == "organization"
    unnamed = find(attributions("Authorities said the road would reopen on Monday."), "said")
    assert unnamed["source"]["kind"] == "anonymous"


def test_an_ambiguous_short_name_gets_the_same_canonical_name_in_every_process():
    """"Korea" fits both "North Korea" and "South Korea": the choice must not depend on hash order."""
    import os
    import subprocess
    import sys

    script = ("from hearsay.nlp.pipeline import load\n"
              "doc = load(attribution='rules')('North Korea fired a missile. South Korea protested. "
              "Korea was discussed at the UN.')\n"
              "print([e._.canonical for e in doc.ents if e.text == 'Korea'])")
    outputs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "4")}
    assert len(outputs) == 1 and "Korea" in outputs.pop()
