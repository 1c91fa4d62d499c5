"""A small, dependency-free language guess from function words.

Why not a model: we only need to tell English from the rest to warn the user
that the English pipeline's output will be poor; function-word ratios do that
reliably on anything longer than a sentence or two.
"""
from __future__ import annotations

import re

_STOPWORDS = {
    "en": "the of and to in is that for it was on with as by he at from his are be this have an not they which or",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden aus",
    "fr": "le de la et les des en un une du est que pour dans qui sur au par pas plus il ne se avec sont",
    "es": "de la que el en y los del se las por un para con no una su al es lo como más pero sus le",
    "it": "di che il la per un in del non una della sono con da si le al gli nel anche alla come più",
    "pt": "de que não o da em um para com uma os no se na por mais as dos como mas ao ele das",
    "nl": "de van het een en in is dat op te zijn met voor niet aan er die ook als bij door",
}
_SETS = {lang: set(words.split()) for lang, words in _STOPWORDS.items()}
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str:
    """ISO 639-1 code of the best-matching language, or ``und`` when nothing fits."""
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    if not words:
        return "und"
    if sum(1 for w in words if w.isascii()) < len(words) * 0.5 and not any(w in _SETS["en"] for w in words):
        return "und"
    scores = {lang: sum(1 for w in words if w in vocab) / len(words) for lang, vocab in _SETS.items()}
    lang, score = max(scores.items(), key=lambda kv: kv[1])
    if score < 0.05 and len(words) >= 20:
        return "und"
    return lang
