"""HTML pages: main text and metadata through trafilatura."""
from __future__ import annotations

from urllib.parse import urlsplit

import trafilatura

from hearsay.errors import InputError
from hearsay.ingest.model import RawArticle


def read_html(html: str | bytes, url: str | None = None, name: str = "") -> RawArticle:
    """Extract the article body and its metadata (title, author, date, site)."""
    if isinstance(html, bytes):
        html = decode_html(html)
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, deduplicate=False
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise InputError("no article text found in the HTML (broken page or not an article)", "extract")
    title = getattr(doc, "title", None)
    first, _, rest = text.partition("\n")
    if title and rest.strip() and first.strip() == title.strip():
        text = rest.strip()  # the headline is in `title`; the body should not repeat it
    site = getattr(doc, "sitename", None) or getattr(doc, "hostname", None)
    if not site and url:
        site = urlsplit(url).hostname
    return RawArticle(
        text=text,
        input=name or url or "",
        format="html",
        url=getattr(doc, "url", None) or url,
        site=site,
        title=title,
        author=getattr(doc, "author", None),
        published=getattr(doc, "date", None),
    )


def decode_html(data: bytes) -> str:
    """Decode HTML bytes: declared/BOM UTF-8 first, then charset detection."""
    from hearsay.ingest.detect import decode_bytes

    return decode_bytes(data)
