"""Quotations: which tokens stand between matching quotation marks.

Direct quotes are the strongest attribution signal and often span several
sentences, so attribution contents are grown to whole quotations. Direction of
straight quotes comes from spaCy's tagger (`` vs ''); a quotation left open at
the end of a paragraph closes there (the news convention for quotes running
over paragraphs).
"""
from __future__ import annotations

from spacy.tokens import Doc

OPENING = {"“", "«", "„"}
CLOSING = {"”", "»"}
STRAIGHT = {'"', "''", "``"}


def quotations(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges (start, end) of quotations, quotation marks included."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None

    def close(end: int) -> None:
        nonlocal open_at
        if open_at is not None and end > open_at + 1:
            spans.append((open_at, end))
        open_at = None

    for tok in doc:
        if tok.is_space:
            if "\n" in tok.text:
                close(tok.i)
            continue
        text = tok.text
        if text in OPENING or (text in STRAIGHT and open_at is None and tok.tag_ != "''"):
            close(tok.i)
            open_at = tok.i
        elif (text in CLOSING or text in STRAIGHT) and open_at is not None:
            close(tok.i + 1)
        if "\n" in tok.whitespace_:
            close(tok.i + 1)
    close(len(doc))
    return spans


def containing(quotes: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The quotation that contains the token range, if any."""
    for q in quotes:
        if q[0] <= start and end <= q[1]:
            return q
    return None
