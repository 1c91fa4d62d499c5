"""What every reader returns, before any NLP."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Removed:
    """A block of page chrome that was cut from the body, kept so nothing vanishes silently."""

    kind: str  # related | prompt | navigation | other
    text: str


@dataclass
class RawArticle:
    """An article's body text plus whatever metadata the reader found."""

    text: str
    input: str = ""
    format: str = "text"
    url: str | None = None
    site: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    removed: list[Removed] = field(default_factory=list)
