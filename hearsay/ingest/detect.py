"""Reading raw bytes safely and deciding which reader applies.

Bad input is caught here, before any NLP: empty, binary, undecodable and
oversized inputs each get a one-line ``InputError``.
"""
from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

from hearsay.errors import InputError
from hearsay.ingest.model import RawArticle

FORMATS = ("html", "dump", "text", "json")
MAX_INPUT_BYTES = 10 * 1024 * 1024  # 10 MiB: far above any article, far below a memory problem
_DOMAIN_LINE = re.compile(r"^(?:www\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.[a-z]{2,}$", re.I)
_HTML_HINT = re.compile(rb"<(?:!doctype\s+html|html|head|body|article|div|p)[\s>]", re.I)


def read_input(source: str, as_: str | None = None, allow_private: bool = False) -> RawArticle:
    """Read one input: a URL, ``-`` for stdin, or a file path."""
    if as_ is not None and as_ not in FORMATS:
        raise InputError(f"unknown format {as_!r} (choose from {', '.join(FORMATS)})", "usage")
    if re.match(r"^https?://", source, re.I):
        from hearsay.ingest.fetch import fetch

        data, url, content_type = fetch(source, allow_private=allow_private)
        fmt = as_ or ("html" if "html" in content_type or _HTML_HINT.search(data[:4096]) else None)
        return parse_bytes(data, name=source, as_=fmt, url=url)
    if source == "-":
        return parse_bytes(_read_capped(sys.stdin.buffer), name="<stdin>", as_=as_)
    path = Path(source)
    if not path.exists():
        raise InputError("no such file", "read")
    if path.is_dir():
        raise InputError("is a folder (pass --out DIR to analyze every file in it)", "usage")
    if path.stat().st_size > MAX_INPUT_BYTES and not path.name.endswith(".gz"):
        raise InputError(f"too large ({path.stat().st_size} bytes; the cap is {MAX_INPUT_BYTES})", "read")
    with path.open("rb") as fh:
        data = _read_capped(fh)
    if path.name.endswith(".gz"):
        data = _gunzip(data)
    return parse_bytes(data, name=str(source), as_=as_ or _format_from_suffix(path))


def parse_bytes(data: bytes, name: str, as_: str | None = None, url: str | None = None) -> RawArticle:
    """Decode and dispatch bytes to the right reader."""
    if not data.strip():
        raise InputError("empty input", "read")
    if _looks_binary(data):
        raise InputError("binary data, not text or HTML", "read")
    fmt = as_ or sniff(data)
    if fmt == "html":
        from hearsay.ingest.html import read_html

        return read_html(data, url=url, name=name)
    text = decode_bytes(data)
    if fmt == "json":
        return _read_json(text, name)
    if fmt == "dump":
        from hearsay.ingest.dump import read_dump

        article = read_dump(text)
    else:
        article = RawArticle(text=text, format="text")
    article.input, article.url = name, url
    return article


def sniff(data: bytes) -> str:
    """Guess the format from content: HTML tags, a JSON object, a site line, else bare text."""
    head = data[:4096].lstrip()
    if head.startswith(b"{"):
        return "json"
    if head.startswith(b"<") or _HTML_HINT.search(head):
        return "html"
    first = head.split(b"\n", 1)[0].strip().decode("utf-8", "replace")
    if _DOMAIN_LINE.match(first):
        return "dump"
    return "text"


def decode_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; otherwise a confident charset guess; otherwise fail."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError("cannot decode: not UTF-8 and no other encoding fits", "decode")
    return str(best)


def _read_capped(fh) -> bytes:
    data = fh.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"too large (over the cap of {MAX_INPUT_BYTES} bytes)", "read")
    return data


def _gunzip(data: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=__import__("io").BytesIO(data)) as gz:
            out = gz.read(MAX_INPUT_BYTES + 1)
    except (OSError, EOFError) as err:
        raise InputError(f"broken gzip file ({err})", "read") from err
    if len(out) > MAX_INPUT_BYTES:
        raise InputError(f"too large once decompressed (cap {MAX_INPUT_BYTES} bytes)", "read")
    return out


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters mean this is not text."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control > len(sample) * 0.05


def _format_from_suffix(path: Path) -> str | None:
    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if name.endswith(".json"):
        return "json"
    return None


def _read_json(text: str, name: str) -> RawArticle:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"invalid JSON ({err.msg} at line {err.lineno})", "parse") from err
    if not isinstance(obj, dict):
        raise InputError("JSON input must be an object with a 'text' field", "parse")
    text_value = obj.get("text")
    if not isinstance(text_value, str) or not text_value.strip():
        raise InputError("JSON object has no non-empty 'text' field", "parse")
    meta = {k: obj.get(k) if isinstance(obj.get(k), str) else None
            for k in ("url", "site", "title", "author", "published")}
    return RawArticle(text=text_value, input=name, format="json", **meta)
