"""From a ``RawArticle`` to the ``hearsay.article/1`` JSON contract."""
from __future__ import annotations

import hashlib
from dataclasses import asdict
from datetime import date
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from hearsay.errors import InputError
from hearsay.ingest.model import RawArticle
from hearsay.language import detect_language

SCHEMA = "hearsay.article/1"
MAX_TEXT_CHARS = 1_000_000  # spaCy's own default max_length; beyond it an "article" is not one


def check_text(raw: RawArticle) -> None:
    """Reject texts the pipeline cannot analyse meaningfully."""
    if not raw.text.strip():
        raise InputError("no text left to analyse after removing page chrome", "analyze")
    if len(raw.text) > MAX_TEXT_CHARS:
        raise InputError(f"text too long ({len(raw.text)} characters; the cap is {MAX_TEXT_CHARS})", "analyze")


def analyze(nlp: Language, raw: RawArticle) -> dict[str, Any]:
    check_text(raw)
    return to_json(raw, nlp(raw.text))


def to_json(raw: RawArticle, doc: Doc) -> dict[str, Any]:
    """The article JSON; offsets are character offsets into ``text``."""
    language = detect_language(raw.text)
    warnings = []
    if language != "en":
        name = "an unrecognised language" if language == "und" else f"language {language!r}"
        warnings.append(f"text is not English ({name}): analysed anyway, entities and attributions may be poor")
    return {
        "schema": SCHEMA,
        "id": hashlib.sha256(raw.text.encode("utf-8")).hexdigest(),
        "input": raw.input,
        "format": raw.format,
        "url": raw.url,
        "site": raw.site,
        "title": raw.title,
        "author": raw.author,
        "published": raw.published,
        "language": language,
        "warnings": warnings,
        "text": raw.text,
        "removed": [asdict(r) for r in raw.removed],
        "entities": [
            {"text": e.text, "label": e.label_, "start": e.start_char, "end": e.end_char,
             "canonical": e._.canonical or e.text}
            for e in doc.ents
        ],
        "attributions": [asdict(a) for a in doc._.attributions],
        "events": events_json(doc, raw.published),
    }


def events_json(doc: Doc, published: str | None) -> list[dict[str, Any]]:
    """The article's events, their date expressions resolved against the publication date."""
    from hearsay.nlp.timex import resolve

    day = _publication_day(published)
    out = []
    for event in getattr(doc._, "events", []):
        record = asdict(event)
        record.pop("depth")
        if event.date is not None:
            record["date"] = resolve(event.date["text"], day).as_json()
        out.append(record)
    return out


def _publication_day(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None
