"""How sure is a claim, as the article presents it?

Precedence, strongest first: ``denied`` (the cue rejects the content),
``speculative`` (a modal or a word of possibility on the claim, or a cue of
prediction), ``hedged`` (a hedging cue or adverb), ``asserted`` (a factive cue:
"confirmed", "revealed"), else ``reported``. The analyzer describes how a claim
is framed; it never judges whether the claim is true.
"""
from __future__ import annotations

from spacy.tokens import Span

from hearsay.nlp import lexicon

CERTAINTIES = ("asserted", "reported", "hedged", "speculative", "denied")


def certainty_of(cue: Span, content: Span) -> str:
    cue_lemmas = {t.lemma_.lower() for t in cue} | {t.lower_ for t in cue}
    if cue_lemmas & lexicon.DENIAL_CUES:
        return "denied"
    if cue_lemmas & lexicon.SPECULATIVE_CUES or _speculative(content):
        return "speculative"
    if cue_lemmas & lexicon.HEDGE_CUES or any(t.lower_ in lexicon.HEDGE_WORDS for t in content):
        return "hedged"
    if cue_lemmas & lexicon.ASSERTIVE_CUES and not any(t.dep_ == "neg" for t in cue):
        return "asserted"
    return "reported"


def _speculative(content: Span) -> bool:
    """A possibility modal on the content's main verb, or a word of possibility anywhere in it."""
    for tok in content:
        if tok.lower_ in lexicon.SPECULATIVE_WORDS:
            return True
        if tok.dep_ == "aux" and tok.lower_ in lexicon.SPECULATIVE_MODALS and _is_main(tok.head, content):
            return True
    return False


def _is_main(verb, content: Span) -> bool:
    """Is this verb the top of the content (not buried in a relative clause)?"""
    return verb.head.i < content.start or verb.head.i >= content.end or verb.head.i == verb.i or verb.dep_ in (
        "ccomp", "ROOT", "conj")
