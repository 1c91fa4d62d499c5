"""Entity canonicalisation: one name per real thing within an article.

spaCy's NER finds mentions; this component links mentions that name the same
thing ("David Barney" … "Barney", "the Jerusalem Post" … "Jerusalem Post",
"Mossad" in "Israeli intelligence service Mossad" … "Mossad") and gives every
mention the fullest name used in the article as ``span._.canonical``.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

# Labels that name real things worth canonicalising; numbers and dates keep their text.
NAMED = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"}
_FAMILY = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}

if not Span.has_extension("canonical"):
    Span.set_extension("canonical", default=None)


def normalise(text: str) -> str:
    """Comparable form of a name: no leading article, no possessive, single spaces."""
    text = re.sub(r"\s+", " ", text.strip())
    text = re.sub(r"^(?:the|The|THE)\s+", "", text)
    text = re.sub(r"(?:'s|’s|'|’)$", "", text)
    return text


def _family(label: str) -> str:
    return _FAMILY.get(label, label)


def _acronym(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def _same_thing(short: str, long: str, label: str) -> bool:
    """Does the shorter name refer to the longer one?"""
    if short == long:
        return True
    short_words, long_words = short.lower().split(), long.lower().split()
    if label == "PERSON":
        # "Barney" → "David Barney"; "Al-Thani" → "Mohammed bin Abdulrahman Al-Thani"
        return len(short_words) < len(long_words) and (
            short_words == long_words[-len(short_words):] or short_words == long_words[: len(short_words)]
        )
    if len(short) >= 2 and short.isupper() and short == _acronym(long):
        return True
    return len(short_words) < len(long_words) and short_words == long_words[-len(short_words):]


@Language.component("hearsay_entities")
def canonicalise_entities(doc: Doc) -> Doc:
    """Set ``ent._.canonical`` on every entity: the longest name of its cluster."""
    clusters: list[tuple[str, str]] = []  # (family, canonical name)
    names = sorted(
        {(_family(e.label_), normalise(e.text)) for e in doc.ents if e.label_ in NAMED},
        key=lambda item: (-len(item[1]), item[1], item[0]),  # ties by name: the same result in every process
    )
    for family, name in names:
        if not any(f == family and _same_thing(name, c, family) for f, c in clusters):
            clusters.append((family, name))
    for ent in doc.ents:
        if ent.label_ not in NAMED:
            ent._.canonical = ent.text
            continue
        name, family = normalise(ent.text), _family(ent.label_)
        match = next((c for f, c in clusters if f == family and _same_thing(name, c, family)), name)
        ent._.canonical = match
    return doc
