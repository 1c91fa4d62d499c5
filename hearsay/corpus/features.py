"""What a story is made of: the terms of an article, by family, for clustering.

Families are kept apart because they carry different evidence: two reports of
*a* rehab check-in share words, two reports of *the same* check-in share names,
numbers and dates. The story model (``stories.py``) weighs each family's
cosine similarity separately; the weights were fitted on ECB+ topics 1–35
(``scripts/fit_story_model.py``).
"""
from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc

FAMILIES = ("word", "propn", "pername", "num", "ent", "dateword", "year", "verb", "noun", "lead", "leadp")
LEAD_TOKENS = 60  # the headline and first sentence: where a report names *its* event
_CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}
_POS_FAMILY = {"PROPN": "propn", "VERB": "verb", "NOUN": "noun", "NUM": "num"}
_HAS_ALNUM = re.compile(r"[a-z0-9]")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def story_terms(doc: Doc) -> dict[str, dict[str, int]]:
    """Term counts per family for one analysed article (plain dicts, so they serialise as JSON)."""
    fams: dict[str, Counter] = {f: Counter() for f in FAMILIES}
    for tok in doc:
        lemma = tok.lemma_.lower()
        if tok.is_stop or tok.pos_ not in _CONTENT_POS or not _HAS_ALNUM.search(lemma):
            continue
        fams["word"][lemma] += 1
        if tok.i < LEAD_TOKENS:
            fams["lead"][lemma] += 1
            if tok.pos_ == "PROPN":
                fams["leadp"][lemma] += 1
        family = _POS_FAMILY.get(tok.pos_)
        if family:
            fams[family][lemma] += 1
    for ent in doc.ents:
        text = ent.text.lower()
        fams["ent"][text] += 1
        if ent.label_ == "PERSON":
            fams["pername"].update(text.split())
        elif ent.label_ == "DATE":
            fams["year"].update(_YEAR.findall(text))
            fams["dateword"].update(text.split())
    return {f: dict(c) for f, c in fams.items() if c}
