"""What kind of source is speaking, and which real thing it is.

``kind`` is one of person, organization, media, anonymous (unnamed officials,
sources, diplomats), unspecified ("reports", "it is believed") and document
(statements, reports, letters). ``canonical`` resolves the source through the
article: entity canonical names, definite descriptions ("the publication" →
the nearest preceding media outlet) and pronouns ("he" → the nearest person).
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from hearsay.nlp import lexicon
from hearsay.nlp.entities import normalise

KINDS = ("person", "organization", "media", "anonymous", "unspecified", "document")
_ORG_LABELS = {"ORG", "NORP", "GPE", "FAC"}


def describe_source(doc: Doc, span: Span):
    """Build the ``Source`` record of an attribution for a source span."""
    from hearsay.nlp.attribution import Source

    kind, canonical = classify(doc, span)
    return Source(text=span.text, start=span.start_char, end=span.end_char, kind=kind, canonical=canonical)


def classify(doc: Doc, span: Span) -> tuple[str, str | None]:
    """Return (kind, canonical name) for a source span."""
    head = span.root
    lemma = head.lemma_.lower()
    ents = [e for e in doc.ents if e.start >= span.start and e.end <= span.end and e.label_ != "CARDINAL"]
    named = [e for e in ents if e.label_ in _ORG_LABELS | {"PERSON"}]

    if head.pos_ == "PRON":
        antecedent = _antecedent(doc, span)
        if antecedent is not None:
            return _kind_of_entity(doc, antecedent), antecedent._.canonical or antecedent.text
        return ("person" if head.lower_ in lexicon.PERSON_PRONOUNS else "unspecified"), None
    if head.pos_ != "PROPN" and (lemma in lexicon.DOCUMENT_NOUNS or head.lower_ in lexicon.DOCUMENT_NOUNS):
        if head.tag_ == "NNS" and lemma in lexicon.UNSPECIFIED_NOUNS and not named and not _has_det(head):
            return "unspecified", None
        owner = named[0] if named else None
        return "document", (owner._.canonical or owner.text) if owner is not None else None
    if head.lower_ in lexicon.UNSPECIFIED_NOUNS and not named:
        return "unspecified", None
    person = next((e for e in named if e.label_ == "PERSON"), None)
    if person is not None:
        return "person", person._.canonical or person.text
    if _is_media(span):
        ent = next((e for e in named if e.label_ != "NORP"), None)
        if ent is not None:
            return "media", ent._.canonical or ent.text
        if head.pos_ != "PROPN" and _has_det(head, definite=True):
            antecedent = _nearest(doc, span.start, lambda e: _kind_of_entity(doc, e) == "media")
            if antecedent is not None:
                return "media", antecedent._.canonical or antecedent.text
        return "media", normalise(span.text)
    if head.lower_ == "authority" and any(c.dep_ in ("compound", "amod") for c in head.children):
        return "organization", normalise(span.text)  # "the port authority" is an institution; "authorities" are not
    if head.lower_ in lexicon.ANONYMOUS_NOUNS or lemma in lexicon.ANONYMOUS_NOUNS:
        return "anonymous", normalise(span.text)
    org = next((e for e in named if e.label_ in ("ORG", "GPE", "FAC")), None)
    if org is not None:
        return _kind_of_entity(doc, org), org._.canonical or org.text
    if lemma in lexicon.ORGANIZATION_NOUNS:
        if _has_det(head, definite=True) and not named:
            antecedent = _nearest(doc, span.start, lambda e: e.label_ == "ORG")
            if antecedent is not None:
                return _kind_of_entity(doc, antecedent), antecedent._.canonical or antecedent.text
        return "organization", normalise(span.text)
    if head.pos_ == "PROPN":
        return "person" if head.ent_type_ == "PERSON" else "organization", normalise(span.text)
    return "unspecified", normalise(span.text)


def _has_det(head, definite: bool = False) -> bool:
    for child in head.children:
        if child.dep_ == "poss":
            return True
        if child.dep_ == "det" and (not definite or child.lower_ in ("the", "this", "that", "these", "those")):
            return True
    return False


def _is_media(span: Span) -> bool:
    words = {t.lower_ for t in span} | {t.lemma_.lower() for t in span}
    if words & lexicon.MEDIA_NOUNS:
        return True
    return any(e.label_ in ("ORG", "WORK_OF_ART") and _media_name(e.text) for e in span.ents)


def _media_name(name: str) -> bool:
    words = {w.lower() for w in re.findall(r"[\w-]+", name)}
    return bool(words & lexicon.MEDIA_NAME_WORDS)


def _kind_of_entity(doc: Doc, ent: Span) -> str:
    """Kind of a named entity, using every mention of it in the article ("broadcaster KAN")."""
    if ent.label_ == "PERSON":
        return "person"
    canonical = ent._.canonical or ent.text
    for other in doc.ents:
        if (other._.canonical or other.text) != canonical:
            continue
        if _media_name(other.text):
            return "media"
        window = doc[max(other.start - 3, 0):other.start]
        if any(t.lower_ in lexicon.MEDIA_NOUNS or t.lemma_.lower() in lexicon.MEDIA_NOUNS for t in window):
            return "media"
    return "organization"


def _nearest(doc: Doc, before: int, accept) -> Span | None:
    for ent in reversed([e for e in doc.ents if e.end <= before]):
        if accept(ent):
            return ent
    return None


def _antecedent(doc: Doc, span: Span) -> Span | None:
    """The nearest preceding entity a pronoun can refer to (persons for he/she/I)."""
    word = span.root.lower_
    if word in ("he", "she", "him", "her", "his"):
        return _nearest(doc, span.start, lambda e: e.label_ == "PERSON")
    if word in ("it", "its"):
        return _nearest(doc, span.start, lambda e: e.label_ == "ORG")
    return None
