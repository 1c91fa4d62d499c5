"""Event coding: who did what to whom, where and when, in the PLOVER ontology.

A spaCy component (``hearsay_events``, after ``hearsay_attribution``). Per
sentence it finds trigger words from a hand-written PLOVER lexicon
(``data/plover_triggers.json``), keeps the triggers that head their clause
(CAMEO's rule: "agreed to cooperate" is AGREE, not COOPERATE), reads light-verb
constructions through their object ("held talks" is CONSULT), and takes actors
from the trigger's subject, targets from its object or a with/against/on
phrase, the place from an in/at phrase, and the date expression from the
clause. Dates are resolved later against the publication date (``timex``), and
each event records the innermost attribution it sits in: an event reported by
KAN is KAN's claim, not a fact.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from hearsay.nlp.actors import AGENT_NOUNS, ATTACKS, Actor, code_spans, longest_match, lookup
from hearsay.nlp.places import Place, place_in

CATEGORIES = ("AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "ACCUSE", "REQUEST", "REJECT",
              "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
MODES = ("asserted", "hypothetical", "future", "negated", "past")
LIGHT_VERBS = {"hold", "have", "make", "launch", "carry", "stage", "conduct", "give", "take", "begin", "start",
               "continue", "resume", "renew", "open", "mount", "issue", "reach", "sign", "convene", "impose",
               "announce", "order", "declare", "complete", "speed", "step", "call", "press",
               "organize", "organise", "undertake", "establish", "upgrade", "restore", "normalize", "extend", "lead"}
# A nominal trigger as the subject of these verbs is the event ("riots continued", "fighting erupted").
ASPECTUAL = {"continue", "begin", "start", "end", "erupt", "escalate", "intensify", "resume", "spread", "break",
             "take", "occur", "happen", "rage"}
SPEECH = {"say", "tell", "state", "announce", "declare", "add", "insist", "report", "claim", "write", "conclude",
          "reiterate", "issue", "stress", "confirm", "remind", "repeat"}
# Conflictual acts announced for the future are threats in PLOVER ("will boycott", "would blockade").
CONFLICTUAL = {"PROTEST", "SANCTION", "COERCE", "ASSAULT", "MOBILIZE"}
# Ending or cutting a cooperative act is a SANCTION ("ended mediation", "cut aid", "suspended talks").
REDUCERS = {"end", "halt", "suspend", "stop", "cut", "reduce", "break", "freeze", "withdraw"}
COOPERATIVE = {"CONSULT", "SUPPORT", "COOPERATE", "AID", "AGREE"}
# "block" is REJECT for a decision, PROTEST for a road.
DECISIONS = {"resolution", "bill", "proposal", "plan", "deal", "measure", "move", "law", "nomination", "motion",
             "agreement", "draft", "reform", "appointment", "sale", "merger"}
# A negated cooperative act is a rejection in PLOVER ("will not accept refugees" is REJECT).
# Nature is not an actor: "an earthquake struck the province" is not an ASSAULT.
NATURAL = {"earthquake", "quake", "storm", "hurricane", "typhoon", "cyclone", "flood", "fire", "wildfire", "tornado",
           "tsunami", "landslide", "avalanche", "drought", "heatwave", "eruption", "aftershock", "rain", "snow", "wind",
           "virus", "disease", "outbreak", "pandemic", "epidemic"}
MILITARY_STRIKE = {"air", "missile", "drone", "military", "rocket", "artillery", "nuclear", "naval", "precision",
                   "retaliatory", "israeli", "pre-emptive", "preemptive"}
NEGATED_TO_REJECT = {"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"}
TARGET_PREPS = {"with", "against", "on", "to", "toward", "towards", "at", "from", "into", "upon"}
PLACE_PREPS = {"in", "at", "near", "inside", "outside", "across", "throughout"}
SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
# Passive forms that state the subject's own stance: "Israel is opposed to", "Vietnam is committed to".
STATIVE = {"oppose", "commit", "determine", "prepare", "resolve", "dedicate", "engage", "involve"}
HYPOTHETICAL = {"may", "might", "could", "would", "should", "can"}
# Heads that make the clause below them an intention ("ready to contribute troops").
INTENT = {"plan", "intend", "expect", "schedule", "prepare", "ready", "willing", "prepared", "pledge", "promise",
          "offer", "aim", "hope", "want", "decide", "agree"}
# Priority when one word is listed under several categories (the lexicon is hand-written):
# the more specific reading first.
PRIORITY = ("ASSAULT", "COERCE", "PROTEST", "THREATEN", "REJECT", "REQUEST", "ACCUSE", "SANCTION", "MOBILIZE",
            "RETREAT", "CONCEDE", "AID", "COOPERATE", "SUPPORT", "CONSULT", "AGREE")


@dataclass
class Event:
    id: str
    code: str
    mode: str
    trigger: dict
    actors: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)
    location: dict | None = None
    date: dict | None = None  # {"text", "start", "end"} of the expression; resolved in analyze.to_json
    attribution: str | None = None
    depth: int = 0  # of the trigger in its sentence's tree; the main event of a sentence has the smallest


@lru_cache(maxsize=1)
def lexicon() -> tuple[dict[str, str], dict[tuple[str, ...], str]]:
    """Single lemmas → category, and multi-word lemma sequences → category."""
    raw = json.loads(resources.files("hearsay.nlp").joinpath("data/plover_triggers.json").read_text())
    single: dict[str, str] = {}
    multi: dict[tuple[str, ...], str] = {}
    for category in reversed(PRIORITY):  # higher priority written last wins
        for entry in raw[category]:
            words = tuple(entry.lower().split())
            if len(words) == 1:
                single[words[0]] = category
            else:
                multi[words] = category
    return single, multi


@lru_cache(maxsize=1)
def _multi_by_first() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """The multi-word triggers indexed by their first lemma, in lexicon order."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for words, category in lexicon()[1].items():
        index.setdefault(words[0], []).append((words, category))
    return index


if not Doc.has_extension("events"):
    Doc.set_extension("events", default=[])


@Language.factory("hearsay_events", default_config={})
def make_events(nlp: Language, name: str) -> EventCoder:
    return EventCoder()


class EventCoder:
    """Codes the events of each sentence; see the module docstring."""

    def __call__(self, doc: Doc) -> Doc:
        events: list[Event] = []
        attributions = list(doc._.attributions) if doc.has_extension("attributions") else []
        for sent in doc.sents:
            triggers = self._triggers(sent)
            ents = list(sent.ents) if triggers else []  # Span.ents scans the whole document: once
            for trigger, code in triggers:
                events.append(self._event(doc, sent, ents, trigger, code, attributions, len(events) + 1))
        doc._.events = events
        return doc

    def _triggers(self, sent: Span) -> list[tuple[Token, str]]:
        single, multi = lexicon()
        found: dict[int, tuple[Token, str]] = {}
        lemmas = [_lemma(t) for t in sent]
        for i, tok in enumerate(sent):
            if tok.pos_ not in ("VERB", "NOUN", "PROPN", "ADJ") or tok.ent_type_ in ("GPE", "PERSON", "ORG", "NORP"):
                continue
            code = None
            for words, category in _multi_by_first().get(lemmas[i], ()):
                if tuple(lemmas[i:i + len(words)]) == words:
                    code = category
                    break
            code = code or single.get(lemmas[i])
            if lemmas[i] == "block":
                obj = next((c for c in tok.children if c.dep_ in ("dobj", "obj")), None)
                code = "REJECT" if obj is not None and obj.lemma_.lower() in DECISIONS else "PROTEST"
            if tok.pos_ == "VERB" and lemmas[i] in LIGHT_VERBS:
                obj = next((c for c in tok.children if c.dep_ in ("dobj", "obj")), None)
                if lemmas[i] == "hold" and not _held_people(tok, obj):
                    code = None  # "hold elections", "hold a press conference": no detention
                code = _noun_category(obj) or code
            if tok.pos_ == "VERB" and lemmas[i] in REDUCERS:
                obj = next((c for c in tok.children if c.dep_ in ("dobj", "obj")), None)
                if _noun_category(obj) in COOPERATIVE:
                    code = "SANCTION"
            if code and tok.pos_ != "VERB" and not _nominal_event(tok):
                code = None
            if code == "ASSAULT" and tok.pos_ == "NOUN" and lemmas[i] == "strike" and not any(
                    c.lower_ in MILITARY_STRIKE for c in tok.children):
                code = "PROTEST"  # a strike with no weapon is a walkout
            if code and _natural_subject(tok):
                code = None
            if code is None and tok.pos_ == "VERB" and _must_under_speech(tok):
                code = "REQUEST"  # "declared that China must drop barriers"
            if code:
                found[tok.i] = (tok, code)
        # Keep triggers that head their clause: drop one governed by another trigger
        # (xcomp/ccomp/dobj chains), except across a conjunction ("attacked and killed").
        kept = []
        for tok, code in found.values():
            governed = False
            for anc in tok.ancestors:
                if anc.i in found and tok.dep_ != "conj":
                    governed = True
                    break
                if anc.dep_ in ("ccomp", "advcl", "relcl", "acl"):
                    break
            if not governed:
                kept.append((tok, code))
        return kept

    def _event(self, doc: Doc, sent: Span, ents: list[Span], trigger: Token, code: str, attributions,
               number: int) -> Event:
        verb = trigger if trigger.pos_ == "VERB" else (trigger.head if trigger.dep_ in ("dobj", "obj") else trigger)
        actors = [a for s in _subjects(verb) for a in code_spans(s)]
        targets = [a for s in _objects(verb, trigger) for a in code_spans(s, agent=False)]
        place = _place(verb, trigger)
        date = _date(ents, verb)
        actors = _infer_countries(actors, targets, place, sent, ents, verb)
        mode = _mode(verb, trigger)
        if mode == "negated" and code in NEGATED_TO_REJECT:
            code, mode = "REJECT", "asserted"
        elif mode == "future" and (code in CONFLICTUAL or _conditional(verb)):
            code = "THREATEN"  # "will boycott", "will withdraw its force unless ..."
        elif mode == "future" and code in NEGATED_TO_REJECT:
            code = "AGREE"  # PLOVER's AGREE is the *intent* to cooperate: "will provide aid", "ready to meet"
        speaker = _speaker(verb)
        if speaker is not None and any(c.dep_ == "aux" and c.lower_ in ("must", "should")
                                       for c in (*verb.children, *_clause_head(verb).children)):
            # "X said Y must return the helicopter": X demands it of Y (CAMEO's convention)
            code, targets = "REQUEST", actors
            actors = [a for t in _conjuncts(speaker) for a in code_spans(_phrase(t))]
        return Event(
            id=f"e{number}", code=code, mode=mode,
            trigger={"text": trigger.text, "start": trigger.idx, "end": trigger.idx + len(trigger.text)},
            actors=[_actor_json(a) for a in actors], targets=[_actor_json(a) for a in targets],
            location=_place_json(place), date=date, attribution=_enclosing(attributions, trigger.idx),
            depth=len(list(trigger.ancestors)))


def _lemma(tok: Token) -> str:
    """The lemma, repaired where the lemmatizer trips on a regular verb ("staged" → "stag")."""
    single, _ = lexicon()
    lemma = tok.lemma_.lower()
    if tok.pos_ != "VERB" or lemma in single or lemma in LIGHT_VERBS:
        return lemma
    word = tok.lower_
    for suffix, repl in (("ed", "e"), ("ed", ""), ("d", ""), ("ing", "e"), ("ing", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix):
            stem = word[: -len(suffix)] + repl
            if stem in single or stem in LIGHT_VERBS:
                return stem
    return lemma


def _natural_subject(tok: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in NATURAL for c in tok.children)


HELD = {"prisoner", "hostage", "suspect", "detainee", "captive", "people", "man", "woman", "journalist", "activist",
        "soldier", "civilian", "citizen", "national", "member", "leader", "worker", "child", "student"}


def _held_people(verb: Token, obj: Token | None) -> bool:
    """"held 12 prisoners", "prisoners held by Israel", "he was held": detention, not a meeting."""
    if obj is None:
        return verb.dep_ == "acl" or any(c.dep_ == "nsubjpass" for c in verb.children)
    return obj.ent_type_ == "PERSON" or obj.lemma_.lower() in HELD or obj.pos_ == "PRON"


def _must_under_speech(verb: Token) -> bool:
    return _speaker(verb) is not None and any(c.dep_ == "aux" and c.lower_ in ("must", "should")
                                              for c in verb.children)


def _nominal_event(tok: Token) -> bool:
    """A noun is an event only as a headline's root, the object of a light verb ("held talks")
    or the subject of an aspectual one ("riots continued")."""
    if tok.dep_ == "ROOT":
        return True
    if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lemma_.lower() in ASPECTUAL:
        return True
    return tok.dep_ in ("dobj", "obj") and tok.head.lemma_.lower() in LIGHT_VERBS


def _noun_category(noun: Token | None) -> str | None:
    """The category of an event noun, its compounds included ("hunger strike", "mediation effort")."""
    if noun is None:
        return None
    single, multi = lexicon()
    words = [c.lemma_.lower() for c in noun.children if c.dep_ == "compound" and c.i < noun.i] + [noun.lemma_.lower()]
    for size in range(len(words), 1, -1):
        if tuple(words[-size:]) in multi:
            return multi[tuple(words[-size:])]
    for word in reversed(words):
        if word in single:
            return single[word]
    return None


def _infer_countries(actors: list[Actor], targets: list[Actor], place: Place | None, sent: Span,
                     ents: list[Span], verb: Token) -> list[Actor]:
    """A person or office with no country ("President Omar El Bashir") takes the country where the
    event happens, else that of the domestic opponents it acts on ("banned Ugandan opposition
    candidates"), else the one country the sentence names that is not a target's — as a human
    coder would. Never guessed when the sentence names several. An ethnic group takes the country
    where it acts ("ethnic Albanians demonstrated in Serbia": SRB), CAMEO's rule for peoples; an
    unclaimed bomb or blast, the country where it went off; "their forces", the speaker's."""
    target_countries = {t.country for t in targets if not t.located}
    candidates = _named_countries(sent, ents) - target_countries - {"IGO", "NGO", "IMG"}
    domestic = {t.country for t in targets if t.sector in DOMESTIC and t.country}
    fallback = place.country if place and place.country and place.country not in target_countries else (
        next(iter(candidates)) if len(candidates) == 1 else next(iter(domestic)) if len(domestic) == 1 else None)
    out = []
    for actor in actors:
        if actor.country is None and fallback and (actor.sector or _is_person(actor, ents) or
                                                   actor.head in AGENT_NOUNS):
            actor = replace(actor, country=fallback)
        elif actor.country is None and place and place.country and actor.head in ATTACKS:
            actor = replace(actor, country=place.country)
        elif place and place.country and "ethnic" in actor.text.lower().split():
            actor = replace(actor, country=place.country)
        elif actor.country is None and actor.text.split()[0].lower() in ("their", "its"):
            speaker = _speaker(verb)
            if speaker is not None:
                coded = code_spans(_phrase(speaker))[0]
                actor = replace(actor, canonical=coded.canonical, country=coded.country,
                                sector=actor.sector or coded.sector)
        out.append(actor)
    return out


# Targets that can only be the actor's own compatriots: a president bans *his* opposition.
DOMESTIC = {"OPP", "PTY", "REB", "CVL"}


def _named_countries(sent: Span, ents: list[Span]) -> set[str]:
    """Every country the sentence names, through its entities and its capitalised words
    ("the Kenya Anti-Corruption Commision", which the tagger does not see as one). A news
    outlet's country is not one: "Al Jazeera reported that Widodo…" says nothing of Widodo."""
    spans = [e for e in ents if e.label_ in ("GPE", "NORP", "ORG")]
    spans += [sent.doc[t.i:t.i + 1] for t in sent if t.pos_ == "PROPN" or t.ent_type_ in ("GPE", "NORP")]
    return {e.country for span in spans for e in [longest_match(span)] if e and e.country and e.sector != "MED"}


def _is_person(actor: Actor, ents: list[Span]) -> bool:
    return any(ent.label_ == "PERSON" and ent.text in actor.text for ent in ents)


def _actor_json(actor: Actor) -> dict:
    return {"text": actor.text, "canonical": actor.canonical, "country": actor.country, "sector": actor.sector}


def _place_json(place: Place | None) -> dict | None:
    if place is None:
        return None
    return {"text": place.text, "country": place.country, "city": place.city, "lat": place.lat, "lon": place.lon}


def _phrase(tok: Token) -> Span:
    """A noun phrase without its relative clauses and appositions, so actors stay short."""
    def cut(t: Token) -> bool:  # inside a relative clause, apposition or non-"of" phrase of the head
        for a in [t, *t.ancestors]:
            if a == tok:
                return False
            if a.head == tok and (a.dep_ in ("relcl", "acl", "appos", "punct", "cc", "conj")
                                  or (a.dep_ == "prep" and a.lower_ != "of")):
                return True
        return False

    keep = [t for t in tok.subtree if not cut(t)]
    start, end = min(t.i for t in keep), max(t.i for t in keep) + 1
    return tok.doc[start:end]


def _conjuncts(tok: Token) -> list[Token]:
    return [tok, *[c for c in tok.conjuncts if c.pos_ in ("NOUN", "PROPN", "PRON")]]


def _subjects(verb: Token) -> list[Span]:
    """The doer: the subject of the verb, or of the verb it is an infinitive/conjunct of; a passive's agent."""
    node = verb
    for _ in range(6):
        agent = next((c for c in node.children if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return [_phrase(t) for t in _conjuncts(pobj)]
        subj = next((c for c in node.children if c.dep_ in SUBJECTS and (c.dep_ != "nsubjpass" or
                                                                        node.lemma_.lower() in STATIVE)), None)
        if subj is not None and subj.pos_ == "PRON" and subj.lower_ in ("it", "they", "he", "she", "we"):
            speaker = _speaker(node)  # "The United States announced it would ..." -> the United States
            if speaker is not None:
                subj = speaker
        if subj is not None:
            return [_phrase(t) for t in _conjuncts(subj)]
        if node.dep_ in ("xcomp", "conj", "advcl", "acomp", "csubj") and node.head != node:
            node = node.head
            continue
        if node.dep_ == "pcomp" and node.head.dep_ == "prep" and node.head.head.dep_ in ("acomp", "ROOT"):
            node = node.head.head  # "are guilty of violating the ceasefire"
            continue
        if node.dep_ in ("acl", "relcl") and (node.head.dep_ in ("dobj", "obj") or _infinitive(node)):
            # "reached a consensus to exchange", "converging for a rally to protest"
            node = node.head.head if node.head.dep_ in ("dobj", "obj") else node.head
            while node.dep_ in ("pobj", "prep") and node.head != node:
                node = node.head
            continue
        break
    return _nominal_actors(verb)


def _infinitive(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _nominal_actors(tok: Token) -> list[Span]:
    """The doer of an event noun: "Palestinian riots", "Israel's blockade"."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return []
    for child in tok.children:
        if child.dep_ == "poss" or (child.dep_ in ("amod", "compound") and (lookup(child.text) or
                                                                             child.ent_type_ in ("NORP", "GPE"))):
            return [tok.doc[child.left_edge.i:child.right_edge.i + 1]]
    return []


def _conditional(verb: Token) -> bool:
    """An "unless"/"if" clause attached to the verb: a condition on a promised act makes it a threat."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("unless", "if") for m in c.children)
               for c in verb.children)


def _speaker(clause: Token) -> Token | None:
    """The subject of the speech verb a clause is reported by, if any."""
    node = _clause_head(clause)
    if node.dep_ == "ccomp" and node.head.lemma_.lower() in SPEECH:
        speech = node.head
        subject = next((c for c in speech.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None and speech.dep_ == "pcomp" and speech.head.lower_ == "as":
            # "King Hassan was quoted as saying he would ...": the one quoted
            subject = next((c for c in speech.head.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return subject
    return None


def _clause_head(verb: Token) -> Token:
    """The verb heading the clause: "must be ready to mediate" → "be"."""
    node = verb
    while node.dep_ in ("conj", "xcomp", "acomp") and node.head != node:
        node = node.head
    return node


def _objects(verb: Token, trigger: Token) -> list[Span]:
    """The target: PLOVER's target is who the act is done to, so a candidate that names a country or
    an organisation ("aid to Mozambique", "talks with Hamas") beats a bare object ("aid", "weapons").
    Candidates, nearest first: objects of the verb, with/against/to/on… phrases of the trigger, the
    verb and its objects, then the same inside the verb's infinitive complements."""
    single, _ = lexicon()
    candidates: list[Token] = []
    frontier = [verb] + ([trigger] if trigger != verb else [])
    for _ in range(3):
        nxt = []
        for node in frontier:
            objs = [c for c in node.children if c.dep_ in ("dobj", "obj", "nsubjpass", "dative") and c != trigger
                    and not (node.lemma_.lower() in LIGHT_VERBS and c.lemma_.lower() in single)
                    and not (c.dep_ == "nsubjpass" and node.lemma_.lower() in STATIVE)]
            candidates.extend(objs)
            for holder in (node, *objs, *[c for c in node.children if c.dep_ in ("dobj", "obj")]):
                for prep in holder.children:
                    if prep.dep_ == "prep" and prep.lower_ in TARGET_PREPS:
                        candidates.extend(c for c in prep.children if c.dep_ == "pobj" and c.ent_type_ not in
                                          ("DATE", "TIME"))
            nxt.extend(c for c in node.children if c.dep_ in ("xcomp", "ccomp") or
                       (c.dep_ == "acl" and c.head.dep_ in ("dobj", "obj")))
            nxt.extend(a for o in node.children if o.dep_ in ("dobj", "obj") for a in o.children if a.dep_ == "acl")
        frontier = nxt
    seen, ordered = set(), []
    for cand in candidates:
        if cand.i not in seen:
            seen.add(cand.i)
            ordered.append(cand)
    for cand in ordered:
        if any(a.country for a in code_spans(_phrase(cand), agent=False)):
            return [_phrase(t) for t in _conjuncts(cand)]
    return [_phrase(t) for t in _conjuncts(ordered[0])] if ordered else []


def _place(verb: Token, trigger: Token) -> Place | None:
    """The in/at/near phrase of the trigger, its verb, the verb's object or the act the verb
    announces ("threatened to institute a curfew in Algiers")."""
    complements = [c for c in verb.children if c.dep_ == "xcomp"]
    holders = [trigger, verb, *complements]
    holders += [c for h in (verb, *complements) for c in h.children if c.dep_ in ("dobj", "obj")]
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ in PLACE_PREPS:
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                found = place_in(pobj.doc[pobj.left_edge.i:pobj.right_edge.i + 1]) if pobj is not None else None
                if found is not None:
                    return found
    return None


def _date(ents: list[Span], verb: Token) -> dict | None:
    """The date expression of the trigger's clause, else the nearest one in the sentence."""
    dates = [e for e in ents if e.label_ in ("DATE", "TIME") and any(ch.isalnum() for ch in e.text)]
    if not dates:
        return None
    clause = {t.i for t in verb.subtree}
    inside = [e for e in dates if e.root.i in clause]
    chosen = min(inside or dates, key=lambda e: abs(e.root.i - verb.i))
    return {"text": chosen.text, "start": chosen.start_char, "end": chosen.end_char}


def _mode(verb: Token, trigger: Token) -> str:
    heads = [verb, trigger, *verb.ancestors]
    if any(c.dep_ == "neg" for h in (verb, trigger) for c in h.children) or \
            any(h.lemma_.lower() in ("refuse", "deny", "fail") for h in verb.ancestors):
        return "negated"
    aux = [c for h in heads[:2] for c in h.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in HYPOTHETICAL - {"would"} for a in aux) or \
            (any(a.lower_ == "would" for a in aux) and _speaker(verb) is None) or \
            any(c.dep_ == "mark" and c.lower_ == "if" for c in verb.children):
        return "hypothetical"
    if any(a.lower_ in ("will", "shall", "'ll") for a in aux) or \
            any(h.lemma_.lower() in INTENT for h in verb.ancestors) or \
            (any(a.lower_ == "would" for a in aux) and _speaker(verb) is not None):
        return "future"
    if verb.tag_ in ("VBD", "VBN") or any(a.tag_ == "VBD" or a.lower_ in ("has", "have", "had") for a in aux):
        return "past"
    return "asserted"


def _enclosing(attributions, offset: int) -> str | None:
    """The innermost attribution whose content holds the trigger, preferring one with a source."""
    holding = [a for a in attributions if a.content.start <= offset < a.content.end]
    if not holding:
        return None
    sourced = [a for a in holding if a.source is not None]
    pool = sourced or holding
    return min(pool, key=lambda a: a.content.end - a.content.start).id
