"""Fetching a URL politely and safely.

Why the care: hearsay may run as a service fed with user URLs, so a fetch
must not reach private networks (SSRF), hang forever, or fill memory.
"""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

import httpx

from hearsay import __version__
from hearsay.errors import InputError
from hearsay.ingest.detect import MAX_INPUT_BYTES

MAX_REDIRECTS = 5
TIMEOUT = httpx.Timeout(20.0, connect=10.0)
USER_AGENT = f"hearsay/{__version__} (+https://github.com/hearsay-news/hearsay)"


def fetch(url: str, allow_private: bool = False) -> tuple[bytes, str, str]:
    """GET ``url``; return (body, final url, content type). Redirects are followed by hand
    so that every hop is checked against private addresses."""
    with httpx.Client(timeout=TIMEOUT, follow_redirects=False, headers={"User-Agent": USER_AGENT}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            _check_host(url, allow_private)
            try:
                with client.stream("GET", url) as resp:
                    if resp.is_redirect:
                        url = urljoin(url, resp.headers.get("location", ""))
                        continue
                    if resp.status_code >= 400:
                        raise InputError(f"HTTP {resp.status_code} from {url}", "fetch")
                    return _read_body(resp), str(resp.url), resp.headers.get("content-type", "").lower()
            except httpx.TimeoutException as err:
                raise InputError(f"timed out fetching {url}", "fetch") from err
            except httpx.HTTPError as err:
                raise InputError(f"cannot fetch {url}: {err.__class__.__name__}: {err}".strip(), "fetch") from err
    raise InputError(f"more than {MAX_REDIRECTS} redirects", "fetch")


def _read_body(resp: httpx.Response) -> bytes:
    declared = resp.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_INPUT_BYTES:
        raise InputError(f"too large ({declared} bytes; the cap is {MAX_INPUT_BYTES})", "fetch")
    chunks, size = [], 0
    for chunk in resp.iter_bytes():
        size += len(chunk)
        if size > MAX_INPUT_BYTES:
            raise InputError(f"too large (over the cap of {MAX_INPUT_BYTES} bytes)", "fetch")
        chunks.append(chunk)
    return b"".join(chunks)


def _check_host(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"not an http(s) URL: {url}", "fetch")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except socket.gaierror as err:
        raise InputError(f"cannot resolve host {parts.hostname}", "fetch") from err
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise InputError(
                f"refusing private or loopback address {address} for {parts.hostname} (use --allow-private)", "fetch"
            )
