"""Expanding what a user names into articles: files, folders, globs, URLs, feeds, WARC, JSONL, stdin.

Why a separate step from reading: one input can hold many articles (a feed, a
WARC archive, a JSONL file), and every article needs a stable *key* so that a
failure names it and ``--resume`` can skip it. Cheap containers are opened
here, in the main process; single files and URLs are left for the workers.
"""
from __future__ import annotations

import glob
import io
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from hearsay.errors import InputError
from hearsay.ingest.detect import _gunzip, _read_capped, parse_bytes
from hearsay.ingest.model import RawArticle

_FEED_HINT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.I)
_GLOB = re.compile(r"[*?\[]")
_META = ("url", "site", "title", "author", "published")


@dataclass
class Item:
    """One article to ingest: read already (``raw``), to be read by a worker, or failed already."""

    key: str
    raw: RawArticle | None = None
    error: InputError | None = None
    external_id: str | None = None
    defaults: dict[str, str] = field(default_factory=dict)  # metadata a feed entry knows


def expand(inputs: Iterable[str], as_: str | None = None, allow_private: bool = False) -> Iterator[Item]:
    """Every article named by ``inputs``, in order."""
    for source in inputs:
        if source == "-":
            yield from _from_bytes(_stdin(), "<stdin>", as_)
        elif re.match(r"^https?://", source, re.I):
            yield from _from_url(source, as_, allow_private)
        elif Path(source).is_dir():
            for path in sorted(Path(source).rglob("*")):
                if path.is_file() and not any(p.startswith(".") for p in path.relative_to(source).parts):
                    yield from _from_file(path, as_)
        elif _GLOB.search(source) and not Path(source).exists():
            matches = sorted(glob.glob(source, recursive=True))
            if not matches:
                yield Item(source, error=InputError("no file matches this pattern", "read"))
            for match in matches:
                if Path(match).is_file():
                    yield from _from_file(Path(match), as_)
        else:
            yield from _from_file(Path(source), as_)


def _stdin() -> bytes:
    try:
        return _read_capped(sys.stdin.buffer)
    except InputError as err:
        raise InputError(err.reason, "read") from err


def _from_file(path: Path, as_: str | None) -> Iterator[Item]:
    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".jsonl", ".ndjson")):
        yield from _guard(str(path), lambda: _jsonl_file(path))
    elif name.endswith((".warc", ".arc")):
        yield from _guard(str(path), lambda: _warc_records(path))
    elif name.endswith((".rss", ".atom", ".xml")) or _is_feed_file(path):
        yield from _guard(str(path), lambda: _feed_entries(_read_file(path), str(path)))
    else:
        yield Item(str(path))  # a worker reads it


def _from_url(url: str, as_: str | None, allow_private: bool) -> Iterator[Item]:
    from hearsay.ingest.fetch import fetch

    try:
        data, final, content_type = fetch(url, allow_private=allow_private)
    except InputError as err:
        yield Item(url, error=err)
        return
    if "rss" in content_type or "atom" in content_type or _FEED_HINT.search(data[:2048]):
        yield from _guard(url, lambda: _feed_entries(data, url))
        return
    yield from _guard(url, lambda: [Item(url, raw=parse_bytes(data, name=url, as_=as_ or _html_if(content_type),
                                                               url=final))])


def _from_bytes(data: bytes, name: str, as_: str | None) -> Iterator[Item]:
    """stdin: JSONL when every line is a JSON object, a feed when it looks like one, else one article."""
    lines = [ln for ln in data.splitlines() if ln.strip()]
    if len(lines) > 1 and all(ln.lstrip().startswith(b"{") for ln in lines):
        yield from _guard(name, lambda: _jsonl_lines(data, name))
    elif _FEED_HINT.search(data[:2048]):
        yield from _guard(name, lambda: _feed_entries(data, name))
    else:
        yield from _guard(name, lambda: [Item(name, raw=parse_bytes(data, name=name, as_=as_))])


def _guard(key: str, produce) -> Iterator[Item]:
    """Run a container reader; if the container itself is broken, record one failure for it."""
    try:
        yield from produce()
    except InputError as err:
        yield Item(key, error=err)
    except Exception as err:  # noqa: BLE001 - third-party parsers raise anything on broken input
        yield Item(key, error=InputError(f"cannot read: {err.__class__.__name__}: {err}", "parse"))


def _read_file(path: Path) -> bytes:
    if not path.exists():
        raise InputError("no such file", "read")
    data = path.read_bytes()
    return _gunzip(data) if path.name.endswith(".gz") else data


def _is_feed_file(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(2048)
    except OSError:
        return False
    return head.lstrip().startswith(b"<?xml") and bool(_FEED_HINT.search(head))


def _html_if(content_type: str) -> str | None:
    return "html" if "html" in content_type else None


def _jsonl_file(path: Path) -> Iterator[Item]:
    """Streamed line by line: a JSONL dump of millions of articles never sits in memory whole."""
    import gzip

    if not path.exists():
        raise InputError("no such file", "read")
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as fh:
        try:
            yield from _jsonl_lines(fh, str(path))
        except (OSError, EOFError) as err:
            raise InputError(f"broken gzip file ({err})", "read") from err


def _jsonl_lines(data, name: str) -> Iterator[Item]:
    """One article per line, with the fields of the JSON contract; ``id`` is kept as the external id."""
    lines = io.BytesIO(data) if isinstance(data, bytes) else data
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        key = f"{name}#{number}"
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            yield Item(key, error=InputError(f"line {number} is not valid JSON ({err})", "parse"))
            continue
        text = obj.get("text") if isinstance(obj, dict) else None
        if not isinstance(text, str) or not text.strip():
            yield Item(key, error=InputError(f"line {number} has no non-empty 'text' field", "parse"))
            continue
        meta = {k: obj[k] for k in _META if isinstance(obj.get(k), str)}
        ext = obj.get("id")
        yield Item(key, raw=RawArticle(text=text, input=key, format="json", **meta),
                   external_id=str(ext) if ext is not None else None)


def _warc_records(path: Path) -> Iterator[Item]:
    """HTML responses of a WARC (or WARC.gz) file; other records are skipped."""
    from warcio.archiveiterator import ArchiveIterator

    if not path.exists():
        raise InputError("no such file", "read")
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            status = record.http_headers.get_statuscode()
            if "html" not in ctype or not str(status).startswith("2"):
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            key = f"{path}#{uri}"
            data = record.content_stream().read()
            try:
                yield Item(key, raw=parse_bytes(data, name=key, as_="html", url=uri or None))
            except InputError as err:
                yield Item(key, error=err)


def _feed_entries(data: bytes, name: str) -> Iterator[Item]:
    """Each entry's link becomes an article to fetch; the entry's title and date fill gaps."""
    import feedparser

    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        raise InputError(f"not a readable RSS/Atom feed ({feed.get('bozo_exception', 'parse error')})", "parse")
    for number, entry in enumerate(feed.entries, start=1):
        link = entry.get("link")
        defaults = {"title": entry.get("title")}
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            defaults["published"] = "{:04d}-{:02d}-{:02d}".format(*stamp[:3])
        defaults = {k: v for k, v in defaults.items() if v}
        if link:
            yield Item(link, defaults=defaults)
        else:
            yield Item(f"{name}#entry{number}", error=InputError("feed entry has no link", "parse"))
