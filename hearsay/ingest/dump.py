"""Splitting a plain-text page dump into site, headline, body and chrome.

A dump is what a scraper saves of a page: a site line, the headline, then all
visible text — navigation, the article, related-headline boxes, prompts. We
score every line for "prose-ness" and take the best-scoring contiguous run of
lines as the body (a maximum-subarray search), then cut it where a labelled
box of related headlines begins. Everything not kept is returned as
``Removed`` blocks with a kind, so nothing disappears silently.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from hearsay.ingest.model import RawArticle, Removed

_DOMAIN = re.compile(r"^(?:www\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.[a-z]{2,}$", re.I)
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
_BULLET = re.compile(r"^[-–—•*·|>»]+$")
_END = re.compile(r"[.!?…:\"”’')\]]$")
_PROMPT = re.compile(
    r"^(?:leave a (?:review|comment|reply)|(?:post|add|write) a comment|comments?\b|\d+ comments?|"
    r"share(?: this| on| via|:)?\b|tweet\b|email\b|print\b|subscribe|sign (?:up|in)|log ?in|register\b|"
    r"follow us|newsletter|click here|read more|continue reading|advertisement|sponsored|"
    r"related(?: articles| stories| posts)?:?$|more from|recommended|you (?:may|might) also like|"
    r"copyright|©|all rights reserved|cookie|privacy policy|terms of (?:use|service)|"
    r"photo(?:graph)?:|image:|credit:|getty images|story continues below|skip to|back to top)",
    re.I,
)

# Headings after which a page's article never continues: comment sections.
_HARD_STOP = re.compile(
    r"^(?:\[?\s*\d*\s*comments?\s*\]?|top (?:rated )?comments|(?:view|show|load|read|see) (?:all )?comments.*|"
    r"(?:leave|post|add|write) a (?:comment|reply|review)|join the (?:conversation|discussion)|"
    r"comments? (?:are )?closed\.?|\d+ (?:responses|replies)|discussion)$",
    re.I,
)
# Headings of boxes that interrupt or follow an article (related links, popular lists, tags).
_BOX_HEADING = re.compile(
    r"^(?:related(?: articles| stories| posts| coverage| content| news| reading| roundup.*)?:?|"
    r"(?:more|most) (?:from|popular|read|viewed|shared|stories|news|in|on).*|you (?:may|might) also (?:like|enjoy)|"
    r"recommended(?: for you| stories| articles)?|trending(?: now| stories)?|read (?:more|next|this next|also):?|"
    r"about the author|share this (?:article|story|post)|tags?:.*|filed under.*|sponsored(?: content| stories)?|"
    r"around the web|what to read next|in other news|latest (?:news|stories|articles)|editor'?s picks|"
    r"see also|also read|watch:?|listen:?)$",
    re.I,
)
# Comment and widget metadata: "2 days ago at 07:52 am", "Rating: 36 Votes".
_META = re.compile(r"\b\d+ (?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?) ago\b|"
                   r"^rating: -?\d+|^\d+ (?:votes?|likes?|replies|points)$|^(?:reply|report|like|flag)$", re.I)


@dataclass
class _Line:
    text: str
    words: int
    score: float


def read_dump(text: str) -> RawArticle:
    """Parse a dump; the first line is the site when it looks like a domain name."""
    lines = text.splitlines()
    site = None
    if lines and _DOMAIN.match(lines[0].strip()):
        site = lines.pop(0).strip()
    while lines and not lines[0].strip():
        lines.pop(0)
    title = lines.pop(0).strip() if lines else None
    body, removed = split_body(lines)
    return RawArticle(text="\n".join(body), format="dump", site=site, title=title, removed=removed)


def split_body(lines: list[str]) -> tuple[list[str], list[Removed]]:
    """Return (body lines, removed blocks) for the lines after the headline."""
    scored = [_score(line) for line in lines]
    start, end = _best_run(scored)
    end = _cut_at_box(scored, start, end)
    end = _cut_at_stop(scored, start, end)
    boxed = _boxes(scored, start, end)
    body, removed, pending = [], [], []
    for i, line in enumerate(scored):
        inside = start <= i < end and i not in boxed
        if inside and not _PROMPT.match(line.text.strip()) and not _BULLET.match(line.text.strip()):
            if pending:
                removed.extend(_blocks(pending))
                pending = []
            if line.text.strip():
                body.append(line.text.strip())
        else:
            pending.append(line)
    removed.extend(_blocks(pending))
    return body, removed


def _score(line: str) -> _Line:
    stripped = line.strip()
    words = len(_WORD.findall(stripped))
    if not stripped:
        return _Line(line, 0, 0.0)
    if _PROMPT.match(stripped) and words <= 12:
        return _Line(line, words, -6.0)
    if _META.search(stripped) and words <= 12:
        return _Line(line, words, -8.0)
    ends = bool(_END.search(stripped))
    if words >= 10 and ends:
        score = float(words)
    elif words >= 6 and ends:
        score = words / 2
    elif words >= 20:
        score = words / 2
    else:
        score = -3.0 - (words <= 3) * 1.0
    return _Line(line, words, score)


def _best_run(lines: list[_Line]) -> tuple[int, int]:
    """Maximum-sum contiguous run of line scores (Kadane); empty when nothing scores."""
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, 0
    for i, line in enumerate(lines):
        if total <= 0:
            total, start = 0.0, i
        total += line.score
        if total > best:
            best, best_span = total, (start, i + 1)
    if best_span == (0, 0) and lines:
        # No prose at all: keep the longest line so short notes still analyse.
        longest = max(range(len(lines)), key=lambda i: lines[i].words)
        return longest, longest + 1
    return best_span


def _cut_at_box(lines: list[_Line], start: int, end: int) -> int:
    """End the body at a short label line followed by a bulleted list (a related-headlines box)."""
    for i in range(start + 1, end - 1):
        label = lines[i].text.strip()
        if not label or lines[i].words > 5 or _END.search(label):
            continue
        after = [ln.text.strip() for ln in lines[i + 1:end] if ln.text.strip()]
        if after and _BULLET.match(after[0]):
            return i
    return end


def _cut_at_stop(lines: list[_Line], start: int, end: int, min_words: int = 40) -> int:
    """End the body at a comments/related heading once some article text has been seen."""
    seen = 0
    for i in range(start, end):
        text = lines[i].text.strip()
        if seen >= min_words and lines[i].words <= 6 and _HARD_STOP.match(text) and not _in_button_row(lines, i):
            return i
        seen += lines[i].words if lines[i].score > 0 else 0
    return end


def _in_button_row(lines: list[_Line], i: int) -> bool:
    """"Facebook / Twitter / Comments / Print": a one-word line among one-word lines is a button."""
    def neighbour(step: int) -> _Line | None:
        j = i + step
        while 0 <= j < len(lines) and not lines[j].text.strip():
            j += step
        return lines[j] if 0 <= j < len(lines) else None

    around = [neighbour(-1), neighbour(1)]
    return all(n is not None and n.words <= 2 for n in around)


def _boxes(lines: list[_Line], start: int, end: int) -> set[int]:
    """Lines of boxes inside the body: a box heading and the non-prose lines under it."""
    out: set[int] = set()
    i = start
    while i < end:
        if lines[i].words <= 6 and _BOX_HEADING.match(lines[i].text.strip()):
            out.add(i)
            i += 1
            while i < end and lines[i].score <= 0:
                out.add(i)
                i += 1
        else:
            i += 1
    return out


def _blocks(lines: list[_Line]) -> list[Removed]:
    """Group removed lines into blocks of one kind each."""
    blocks: list[Removed] = []
    run: list[_Line] = []

    def flush() -> None:
        texts = [ln.text.strip() for ln in run if ln.text.strip()]
        if texts:
            blocks.append(Removed(kind=_kind(run), text="\n".join(texts)))
        run.clear()

    for line in lines:
        stripped = line.text.strip()
        if _PROMPT.match(stripped) and line.words <= 12:
            flush()
            blocks.append(Removed(kind="prompt", text=stripped))
        else:
            run.append(line)
    flush()
    return blocks


def _kind(lines: list[_Line]) -> str:
    texts = [ln for ln in lines if ln.text.strip() and not _BULLET.match(ln.text.strip())]
    headlines = sum(1 for ln in texts if ln.words >= 6)
    short = sum(1 for ln in texts if ln.words <= 4)
    if headlines >= 2 and headlines >= len(texts) / 2:
        return "related"
    if short >= max(2, len(texts) * 0.6):
        return "navigation"
    return "other"
