"""One test per attribution pattern, on sentences written for the purpose."""
from __future__ import annotations

from conftest import find


def test_direct_quote_after_verb(attributions):
    atts = attributions('"We will not sign this agreement," the minister said on Tuesday.')
    att = find(atts, "said")
    assert att["source"]["text"] == "the minister"
    assert att["content"]["text"].startswith('"We will not sign')
    assert att["quote"] == "direct"


def test_indirect_speech(attributions):
    att = find(attributions("The company said that profits fell by a third last year."), "said")
    assert att["source"]["text"] == "The company"
    assert att["content"]["text"] == "that profits fell by a third last year"
    assert att["quote"] == "indirect"


def test_mixed_quote(attributions):
    att = find(attributions('The mayor said the plan was "a disaster for the city" and must be dropped.'), "said")
    assert att["quote"] == "mixed"
    assert "a disaster for the city" in att["content"]["text"]


def test_quote_running_over_sentences(attributions):
    att = find(attributions('"This is the end. We are leaving now," he said.'), "said")
    assert att["content"]["text"].startswith('"This is the end.')


def test_according_to(attributions):
    att = find(attributions("According to Reuters, the talks collapsed after midnight."), "According to")
    assert att["source"]["text"] == "Reuters"
    assert att["content"]["text"] == "the talks collapsed after midnight"


def test_according_to_at_the_end(attributions):
    att = find(attributions("The talks collapsed after midnight, according to two diplomats."), "according to")
    assert att["source"]["text"] == "two diplomats"
    assert att["source"]["kind"] == "anonymous"
    assert "talks collapsed" in att["content"]["text"]


def test_as_revealed_by(attributions):
    att = find(attributions("The envoy met rebel leaders in Geneva, as revealed by Swiss media."), "revealed")
    assert att["source"]["text"] == "Swiss media"
    assert att["source"]["kind"] == "media"
    assert "met rebel leaders in Geneva" in att["content"]["text"]


def test_reports_suggests_notes_disclosed_that(attributions):
    for verb in ("reports", "suggests", "notes", "disclosed"):
        att = find(attributions(f"The Guardian {verb} that the minister will resign."), verb)
        assert att["source"]["canonical"] == "Guardian", verb
        assert att["source"]["kind"] == "media", verb
        assert att["content"]["text"] == "that the minister will resign", verb


def test_noun_cue_statement_from(attributions):
    att = find(attributions("A statement from the ministry stressed that the border remains closed."), "stressed")
    assert att["source"]["text"] == "A statement from the ministry"
    assert att["source"]["kind"] == "document"


def test_adverbial_cue_without_source(attributions):
    for adverb in ("reportedly", "allegedly"):
        att = find(attributions(f"The general {adverb} ordered the withdrawal of his troops."), adverb)
        assert att["source"] is None
        assert att["certainty"] == "hedged"
        assert "ordered the withdrawal" in att["content"]["text"]


def test_nested_attribution(attributions):
    atts = attributions("Reports suggest that the police believe the fire was started deliberately.")
    outer, inner = find(atts, "suggest"), find(atts, "believe")
    assert outer["source"]["kind"] == "unspecified"
    assert inner["source"]["text"] == "the police"
    assert inner["parent"] == outer["id"]
    assert outer["parent"] is None


def test_dash_signature(attributions):
    att = find(attributions("“We came to vote and we will vote again.” ― Maria Lopez\n"), "―")
    assert att["source"]["text"] == "Maria Lopez"
    assert att["content"]["text"].startswith("“We came to vote")


def test_dash_glued_to_the_closing_quote(attributions):
    att = find(attributions("“I am truly afraid.”― Carla Sanchez\n"), "―")
    assert att["source"]["text"] == "Carla Sanchez"
    assert att["content"]["text"] == "“I am truly afraid."


def test_no_attribution_in_plain_narration(attributions):
    assert attributions("The bridge was closed for repairs on Monday morning.") == []


def test_offsets_point_into_text(nlp):
    text = "Officials said the storm had passed. According to the BBC, ten people were hurt."
    for att in nlp(text)._.attributions:
        for span in (att.cue, att.content, att.source):
            if span is not None:
                assert text[span.start:span.end] == span.text
