"""Readers: HTML, URL, dump, text, JSON; the dump splitter; bad inputs."""
from __future__ import annotations

import gzip
import http.server
import json
import socket
import threading

import pytest
from conftest import DATA, SEED

from hearsay.errors import InputError
from hearsay.ingest import MAX_INPUT_BYTES, read_input
from hearsay.ingest.dump import read_dump


def test_html_file_gives_body_and_metadata():
    raw = read_input(str(DATA / "article.html"))
    assert raw.format == "html"
    assert raw.title.startswith("Port strike talks stall")
    assert raw.author == "Dana Whitfield"
    assert raw.published == "2024-03-14"
    assert raw.site == "Harbour Daily"
    assert "rejected a revised pay offer" in raw.text
    assert "Subscribe to our newsletter" not in raw.text
    assert "Council approves new bike lanes" not in raw.text


def test_gzipped_html(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress((DATA / "article.html").read_bytes()))
    assert "rejected a revised pay offer" in read_input(str(path)).text


def test_dump_splits_site_headline_body_and_chrome():
    raw = read_input(str(SEED))
    assert raw.format == "dump"
    assert raw.site == "al-monitor.com"
    assert raw.title.startswith("Secret Hamas Meeting in Turkey")
    assert raw.text.startswith("Senior representatives")
    assert raw.text.endswith("conflicts in the region.")
    kinds = {r.kind: r.text for r in raw.removed}
    assert "Vladimir Putin" in kinds["related"] and "vetoed" in kinds["related"]
    assert kinds["prompt"] == "Leave a review"


def test_splitter_reports_navigation_and_prompts():
    dump = "\n".join([
        "example.org", "A long headline about the council budget vote",
        "Home", "News", "Sport", "Weather", "",
        "The city council approved a budget of four million dollars on Tuesday evening after a long debate.",
        "Share on Facebook",
        "Councillors said the money would go to schools, roads and the new library on the river front.",
        "The vote passed by nine votes to four, with two members absent from the chamber that night.",
        "Sign up for our newsletter",
    ])
    raw = read_dump(dump)
    assert raw.text.splitlines()[0].startswith("The city council approved")
    assert "Share on Facebook" not in raw.text
    removed = {(r.kind, r.text) for r in raw.removed}
    assert ("navigation", "Home\nNews\nSport\nWeather") in removed
    assert ("prompt", "Share on Facebook") in removed
    assert ("prompt", "Sign up for our newsletter") in removed


def test_splitter_loses_no_line():
    dump = SEED.read_text(encoding="utf-8")
    raw = read_dump(dump)
    kept = raw.text.splitlines() + [ln for r in raw.removed for ln in r.text.splitlines()]
    original = [ln.strip() for ln in dump.splitlines()[2:] if ln.strip()]
    assert sorted(kept) == sorted(original)


def test_text_is_verbatim(tmp_path):
    body = "  Line one.\n\nLine two, with  double spaces.\n"
    path = tmp_path / "a.txt"
    path.write_text(body, encoding="utf-8")
    raw = read_input(str(path), as_="text")
    assert raw.text == body


def test_json_object(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"text": "The minister said it was over.", "url": "https://x.example/a",
                                "title": "Over", "site": "x.example", "published": "2024-01-02"}))
    raw = read_input(str(path))
    assert (raw.format, raw.title, raw.site, raw.published) == ("json", "Over", "x.example", "2024-01-02")


def test_cp1252_text_is_decoded(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("The café owner said the rent had doubled since last year.".encode("cp1252"))
    assert "café" in read_input(str(path), as_="text").text


@pytest.mark.parametrize(
    "content,reason",
    [
        (b"", "empty input"),
        (b"   \n\n ", "empty input"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary"),
        (bytes(range(0x80, 0x100)) * 20, "cannot decode"),
    ],
)
def test_bad_bytes(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=reason):
        read_input(str(path))


def test_huge_file(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(MAX_INPUT_BYTES + 10)
    with pytest.raises(InputError, match="too large"):
        read_input(str(path))


def test_broken_html_without_text(tmp_path):
    path = tmp_path / "broken.html"
    path.write_text("<html><head><title>x</title></head><body><div><script>var a = 1;</script></span></html",
                    encoding="utf-8")
    with pytest.raises(InputError, match="no article text"):
        read_input(str(path))


def test_unclosed_tags_still_read(tmp_path):
    html = (DATA / "article.html").read_text(encoding="utf-8").replace("</p>", "").replace("</article>", "")
    path = tmp_path / "unclosed.html"
    path.write_text(html[: len(html) - 200], encoding="utf-8")
    assert "rejected a revised pay offer" in read_input(str(path)).text


def test_invalid_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"text": "unterminated', encoding="utf-8")
    with pytest.raises(InputError, match="invalid JSON"):
        read_input(str(path))


def test_missing_file():
    with pytest.raises(InputError, match="no such file"):
        read_input("/nonexistent/article.html")


@pytest.fixture
def server():
    """A local HTTP server with an article page, a redirect and a 404."""
    page = (DATA / "article.html").read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            if self.path == "/article":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(page)
            elif self.path == "/moved":
                self.send_response(301)
                self.send_header("Location", "/article")
                self.end_headers()
            else:
                self.send_response(404)
                self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_url_fetch_with_redirect(server):
    raw = read_input(server + "/moved", allow_private=True)
    assert raw.format == "html"
    assert raw.url == "https://harbourdaily.example/news/port-strike-talks"  # the page's canonical URL
    assert "rejected a revised pay offer" in raw.text


def test_url_private_address_refused(server):
    with pytest.raises(InputError, match="private or loopback"):
        read_input(server + "/article")


def test_url_http_error(server):
    with pytest.raises(InputError, match="HTTP 404"):
        read_input(server + "/missing", allow_private=True)


def test_dead_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(InputError, match="cannot fetch"):
        read_input(f"http://127.0.0.1:{port}/", allow_private=True)


def test_splitter_removes_inline_box_and_stops_at_comments():
    para = "The council voted on Tuesday to approve the new budget for schools, roads and the river front."
    dump = "\n".join([
        "example.org", "Council passes budget",
        para, para.replace("Tuesday", "Monday"),
        "Related articles", "Mayor opens new bridge", "Library hours to be extended",
        "The budget now goes to the regional government, which has thirty days to review the plans.",
        "[ 12 comments ]", "Top Rated Comments", "jdoe", "2 days ago at 07:52 am",
        "I think this budget is a disgrace and the council should resign over the whole thing today.",
        "Rating: 14 Votes",
    ])
    raw = read_dump(dump)
    assert raw.text.endswith("thirty days to review the plans.")
    assert "Mayor opens new bridge" not in raw.text
    assert "disgrace" not in raw.text
    removed = " ".join(r.text for r in raw.removed)
    assert "Mayor opens new bridge" in removed and "disgrace" in removed
