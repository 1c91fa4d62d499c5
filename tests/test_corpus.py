"""The corpus store, end to end: ingest, near-copies, stories, claims, queries, exports.

Every test runs against SQLite and, when ``HEARSAY_TEST_DATABASE_URL`` names a PostgreSQL
database, against PostgreSQL too (in a schema of its own per test).
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import shutil

import pytest
from conftest import DATA, SEED, SHARED

from hearsay.corpus import queries
from hearsay.corpus.ingest import ingest
from hearsay.errors import InputError
from hearsay.store import open_store

ARTICLES = DATA / "corpus" / "articles.jsonl"
PG_URL = os.environ.get("HEARSAY_TEST_DATABASE_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh store URL. PostgreSQL gets a schema of its own per test (dropped afterwards), so runs
    sharing one database — a developer's and CI's — never see each other's tables."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'corpus.db'}"
        return
    if not PG_URL:
        pytest.skip("HEARSAY_TEST_DATABASE_URL is not set: PostgreSQL store not tested here")
    import uuid

    from sqlalchemy import create_engine, text

    from hearsay.store import database_url

    schema = f"hearsay_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database_url(PG_URL))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    joiner = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{joiner}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def store(db_url):
    s = open_store(db_url)
    yield s
    s.close()


def _ids(store):
    return {row["id"]: row["cluster"] for row in queries.story_assignments(store)}


def test_jsonl_ingest_groups_stories_and_finds_the_copy(store):
    stats = ingest(store, [str(ARTICLES)])
    assert (stats.stored, stats.duplicates, stats.failed) == (5, 1, 0)
    stories = _ids(store)
    assert stories["s1"] == stories["s2"] == stories["s3"] == stories["s1copy"]
    assert stories["q1"] != stories["s1"]
    story = queries.story(store, stories["s1"])
    outlets = {a["outlet"]: a for a in story["articles"]}
    original = outlets["harbourtondaily.example"]["id"]
    assert outlets["wireservice.example"]["copy_of"] == original
    assert outlets["harbourtondaily.example"]["copies"] == [outlets["wireservice.example"]["id"]]
    assert [a["published"] for a in story["articles"]] == sorted(a["published"] for a in story["articles"])


def test_claims_are_corroborated_across_outlets_but_copies_do_not_count(store):
    ingest(store, [str(ARTICLES)])
    story = queries.story(store, _ids(store)["s1"])
    strike = next(c for c in story["claims"] if "until the port authority improved" in c["text"])
    by_outlet = {r["outlet"]: r for r in strike["reports"]}
    assert {"harbourtondaily.example", "coastalherald.example", "businessweekly.example"} <= set(by_outlet)
    assert by_outlet["wireservice.example"]["independent"] is False
    assert strike["independent"] == 3  # three outlets on their own; the wire copy is not a fourth
    assert strike["first"]["outlet"] == "harbourtondaily.example"
    assert strike["original_source"] == "Maria Lindqvist"
    assert story["events"] and all(e["story_id"] == story["id"] for e in story["events"])
    quake = [c for c in story["claims"] if "earthquake" in c["text"].lower()]
    assert not quake  # the other story's claims stay in their own story


def test_merged_stories_keep_their_claims_and_counts(store):
    """What a regroup does to the store, here a merge (as when a later article is confirmed to
    belong to both stories): one story holds every article, the emptied one is gone, and the
    claims of the moved article are grouped in the story it moved to."""
    from hearsay.corpus.cache import WriterCache
    from hearsay.corpus.story_index import regroup

    ingest(store, [str(ARTICLES)])
    ids = _ids(store)
    strike, quake = ids["s1"], ids["q1"]
    with store.engine.begin() as conn:
        assert regroup(conn, strike, {quake}, WriterCache()) == {strike, quake}
    assert set(_ids(store).values()) == {strike}
    assert [(s["id"], s["articles"]) for s in queries.list_stories(store)] == [(strike, 5)]
    merged = queries.story(store, strike)
    assert len(merged["articles"]) == 5
    assert (merged["first_published"], merged["last_published"]) == ("2024-03-04", "2024-03-07")
    assert any("earthquake" in c["text"].lower() for c in merged["claims"])
    _assert_stories_agree_with_articles(store)
    with pytest.raises(InputError):
        queries.story(store, quake)


def test_reingesting_changes_nothing(store):
    ingest(store, [str(ARTICLES)])
    before = list(queries.export_rows(store, "articles"))
    again = ingest(store, [str(ARTICLES)])
    assert (again.stored, again.already) == (0, 5)
    assert list(queries.export_rows(store, "articles")) == before


def test_folder_with_broken_files(store, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.txt")
    shutil.copy(DATA / "article.html", folder / "port.html")
    (folder / "notes.txt").write_text("The council said on Monday that the bridge would reopen in May, "
                                      "officials told the Harbourton Daily.\n", encoding="utf-8")
    (folder / "picture.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.jsonl").write_text('{"id": "ok1", "text": "Police said the road was closed."}\n'
                                         '{"id": "bad", "text": \n'
                                         '{"id": "notext", "title": "no body"}\n', encoding="utf-8")
    (folder / "nothing.html").write_text("<html><body><script>var a=1;</script></body></html>", encoding="utf-8")
    stats = ingest(store, [str(folder)])
    assert stats.stored == 4  # seed, port page, notes, the good JSONL line
    fails = {f["input"].rsplit("/", 1)[-1]: f for f in queries.failures(store)}
    assert set(fails) == {"picture.jpg", "empty.txt", "broken.jsonl#2", "broken.jsonl#3", "nothing.html"}
    assert "binary" in fails["picture.jpg"]["reason"]
    assert "empty" in fails["empty.txt"]["reason"]
    assert "not valid JSON" in fails["broken.jsonl#2"]["reason"]
    assert all(f["reason"] and f["stage"] for f in fails.values())
    seed = next(r for r in queries.export_rows(store, "articles") if r["outlet"] == "al-monitor.com")
    assert "Leave a review" not in seed["text"]


def test_search_filters_and_sources(store):
    ingest(store, [str(ARTICLES)])
    hits = queries.search(store, "ships unload")
    assert {h["external_id"] for h in hits} >= {"s1", "s2"}
    assert "q1" not in {h["external_id"] for h in hits}
    since = queries.search(store, "strike", since="2024-03-06")
    assert {h["external_id"] for h in since} == {"s3"}
    cited = queries.search(store, "strike", source="Chamber of Commerce")
    assert {h["external_id"] for h in cited} == {"s3"}
    top = {r["canonical"]: r for r in queries.sources(store)}
    assert top["Maria Lindqvist"]["kind"] == "person"
    assert top["Maria Lindqvist"]["articles"] >= 3
    assert not {"he", "she", "they", "i"} & {name.lower() for name in top}


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_formats(store, tmp_path, fmt):
    ingest(store, [str(ARTICLES)])
    expected = len(list(queries.export_rows(store, "attributions")))
    out = tmp_path / f"attributions.{fmt}"
    assert queries.export(store, "attributions", fmt, out) == expected > 0
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text().splitlines()]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.read_text())))
    else:
        import pyarrow.parquet as pq

        rows = pq.read_table(out).to_pylist()
    assert len(rows) == expected
    assert any(r["source"] == "Maria Lindqvist" for r in rows)


def test_warc_and_stdin_and_gzipped_jsonl(store, tmp_path, monkeypatch):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    warc = tmp_path / "crawl.warc.gz"
    with warc.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for uri, ctype, body in [("https://harbourdaily.example/a", "text/html", (DATA / "article.html").read_bytes()),
                                 ("https://harbourdaily.example/logo.png", "image/png", b"\x89PNG....")]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    packed = tmp_path / "more.jsonl.gz"
    packed.write_bytes(gzip.compress(ARTICLES.read_bytes()))
    stats = ingest(store, [str(warc), str(packed)])
    assert stats.stored == 6 and stats.failed == 0  # one HTML page (the PNG is skipped) + five lines
    urls = {r["url"] for r in queries.export_rows(store, "articles")}
    assert "https://harbourdaily.example/news/port-strike-talks" in urls  # the page's canonical URL
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b'{"id": "x1", "text": "Police said the bridge '
                                                                  b'was shut."}\n{"id": "x2", "text": "The mayor '
                                                                  b'said it would reopen."}\n')))
    assert ingest(store, ["-"]).stored == 2


def test_feed_entries_are_followed(store, tmp_path):
    import http.server
    import threading

    page = (DATA / "article.html").read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            if self.path == "/feed.xml":
                body = FEED.format(base=base).encode()
                ctype = "application/rss+xml"
            elif self.path == "/story":
                body, ctype = page, "text/html"
            else:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        stats = ingest(store, [base + "/feed.xml"], allow_private=True)
    finally:
        httpd.shutdown()
    assert stats.stored == 1 and stats.failed == 1
    assert "HTTP 404" in queries.failures(store)[0]["reason"]


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour</title>
<item><title>Port strike talks</title><link>{base}/story</link><pubDate>Mon, 04 Mar 2024 10:00:00 GMT</pubDate></item>
<item><title>Gone</title><link>{base}/gone</link></item></channel></rss>"""


def test_resume_after_a_killed_run(db_url, tmp_path):
    """A real ``hearsay ingest`` killed with SIGKILL mid-run; ``--resume`` stores the rest, nothing twice."""
    import signal
    import subprocess
    import sys
    import time

    from sqlalchemy import func, select

    from hearsay.store import schema as t

    lines = []
    for n in range(60):
        lines.append(json.dumps({"id": f"doc{n}", "text": f"Report number {n}. The harbour master said on Monday "
                                 f"that berth {n} would close for repairs, officials told reporters. " * 3}))
    source = tmp_path / "many.jsonl"
    source.write_text("\n".join(lines) + "\n")
    cmd = [sys.executable, "-m", "hearsay.cli", "ingest", str(source), "--db", db_url, "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    store = open_store(db_url)
    count = select(func.count()).select_from(t.articles)
    deadline = time.time() + 120
    while time.time() < deadline:
        with store.engine.connect() as conn:
            if conn.execute(count).scalar() >= 5:
                break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with store.engine.connect() as conn:
        stored_before = conn.execute(count).scalar()
    assert 5 <= stored_before < 60, "the run should have been killed mid-way"
    done = subprocess.run(cmd[:4] + ["--resume", "--db", db_url, "-q"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    ids = [row["id"] for row in queries.story_assignments(store)]
    assert sorted(ids) == sorted(f"doc{n}" for n in range(60))  # none lost, none twice
    nothing_left = subprocess.run(cmd[:4] + ["--resume", "--db", db_url], capture_output=True, text=True)
    assert nothing_left.returncode == 2 and "nothing to resume" in nothing_left.stderr
    store.close()


@pytest.mark.skipif(not (SHARED / "data" / "ecbplus-dev" / "docs.jsonl").exists(),
                    reason="../shared/data/ecbplus-dev is not present")
@pytest.mark.parametrize("number, least_recall", [(1, 0.8), (20, 0.7), (5, 0.8), (35, 0.8)])
def test_two_similar_stories_of_one_topic_are_kept_apart(store, tmp_path, number, least_recall):
    """ECB+ topic 1: two celebrity rehab check-ins, years apart; topic 20: two earthquakes on the
    same Iranian island (5.6 with five hurt, 6.1 with ten dead). Articles arrive interleaved.
    Topics 5 (the 76ers fire Maurice Cheeks; years later they hire him) and 35 (two Chargers players
    arrested for drunk driving a month apart): the second event's first report is linked to the
    first event's only report, and the story is split again once both events have reports."""
    docs = [json.loads(line) for line in (SHARED / "data/ecbplus-dev/docs.jsonl").open()]
    topic = [d for d in docs if d["topic"] == number]
    path = tmp_path / f"topic{number}.jsonl"
    path.write_text("".join(json.dumps({"id": d["id"], "text": d["text"]}) + "\n" for d in topic))
    ingest(store, [str(path)])
    pred = _ids(store)
    gold = {d["id"]: d["story"] for d in topic}
    pairs = [(a, b) for a in gold for b in gold if a < b]
    same_pred = {p for p in pairs if pred[p[0]] == pred[p[1]]}
    same_gold = {p for p in pairs if gold[p[0]] == gold[p[1]]}
    precision = len(same_pred & same_gold) / len(same_pred)
    recall = len(same_pred & same_gold) / len(same_gold)
    assert precision > 0.9 and recall > least_recall, (precision, recall)
    _assert_stories_agree_with_articles(store)


def _assert_stories_agree_with_articles(store):
    """After stories were regrouped: sizes are article counts, no story is empty, and every claim
    group holds attributions, of its own story's articles only."""
    from sqlalchemy import func, select

    from hearsay.store import schema as t

    with store.engine.connect() as conn:
        counts = dict(conn.execute(select(t.articles.c.story_id, func.count()).group_by(t.articles.c.story_id)).all())
        sizes = dict(conn.execute(select(t.stories.c.id, t.stories.c.size)).all())
        strays = conn.execute(
            select(func.count()).select_from(t.attributions)
            .join(t.claim_groups, t.claim_groups.c.id == t.attributions.c.claim_group_id)
            .join(t.articles, t.articles.c.id == t.attributions.c.article_id)
            .where(t.claim_groups.c.story_id != t.articles.c.story_id)).scalar()
        empty = conn.execute(select(func.count()).select_from(t.claim_groups).where(
            ~select(t.attributions.c.id).where(t.attributions.c.claim_group_id == t.claim_groups.c.id).exists()
        )).scalar()
    assert sizes == counts and strays == 0 and empty == 0


def test_a_story_is_split_where_one_link_joins_two_events_and_merged_where_many_do():
    from hearsay.corpus.stories import split_pool

    first, second = [1, 2, 3, 4], [5, 6, 7, 8]
    inside = {(a, b): 0.9 for part in (first, second) for a in part for b in part if a < b}
    bridged = {**inside, (1, 5): 0.7}  # one wrong link that clears the confirm bar: single link follows it
    assert split_pool(first + second, bridged, 0.45, 3) == [first, second]
    entwined = {**inside, **{(a, b): 0.6 for a in first for b in second}}
    assert split_pool(first + second, entwined, 0.45, 3) == [first + second]
    straggler = {**bridged, (6, 9): 0.7, (9, 10): 0.8}  # a pair too small to stand alone
    assert split_pool(first + second + [9, 10], straggler, 0.45, 3) == [first, second + [9, 10]]
    assert split_pool([1, 2, 3, 5, 6], bridged, 0.45, 3) == [[1, 2, 3, 5, 6]]


def test_conflicts_see_another_main_person_and_another_year(nlp):
    from hearsay.corpus.features import story_terms
    from hearsay.corpus.stories import CONFLICTS, conflicts

    texts = [
        "Chargers linebacker Tom Jackson arrested on suspicion of DUI\nSan Diego Chargers linebacker Tom Jackson "
        "was arrested early Tuesday, March 3, 2009, on suspicion of drunken driving, the California Highway "
        "Patrol said. Jackson was on probation for a previous arrest.",
        "Chargers tackle Jamal Pena arrested on suspicion of DUI\nSan Diego Chargers defensive tackle Jamal Pena "
        "was arrested early Sunday, Feb. 1, 2015, on suspicion of drunken driving, the California Highway Patrol "
        "said. Pena was booked into county jail.",
        "Chargers' Jackson held on DUI charge\nTom Jackson of the San Diego Chargers was arrested in March 2009 "
        "after failing sobriety tests, the California Highway Patrol said. The team will not discipline Jackson.",
    ]
    a, b, c = (story_terms(doc) for doc in nlp.pipe(texts))
    other, same = dict(zip(CONFLICTS, conflicts(a, b))), dict(zip(CONFLICTS, conflicts(a, c)))
    assert other["main_person"] == 0.0 and same["main_person"] == 1.0
    assert other["year_clash"] == 1.0 and same["year_clash"] == 0.0
    assert other["lead_person"] < same["lead_person"]


def test_same_claim_rule_on_paraphrases():
    from hearsay.corpus.claims import content_terms, same_claim

    a = content_terms("the strike would continue until the port authority improved its offer")
    b = content_terms("the Harbourton Dockers Union would not return to work until the port authority improved "
                      "its pay offer")
    c = content_terms("more than forty ships are waiting to unload at the terminal")
    assert same_claim(a, "Maria Lindqvist", b, "Maria Lindqvist")
    assert not same_claim(a, "Maria Lindqvist", c, "port authority")


@pytest.mark.skipif(not (SHARED / "data" / "ecbplus-dev" / "docs.jsonl").exists(),
                    reason="../shared/data/ecbplus-dev is not present")
def test_claim_grouping_on_labelled_pairs():
    from conftest import ROOT

    from hearsay.corpus.evaluate import score_claim_pairs

    result = score_claim_pairs(ROOT / "data/claim-pairs/ecbplus-dev.jsonl", SHARED / "data/ecbplus-dev/docs.jsonl")
    assert result.pairs == 80
    assert result.precision >= 0.8 and result.recall >= 0.7, (result.precision, result.recall)


def test_events_are_stored_queried_and_exported(store, tmp_path):
    ingest(store, [str(SEED), str(ARTICLES)])
    consult = queries.events(store, code="consult", country="PSE")
    seed_event = next(e for e in consult if e["outlet"] == "al-monitor.com" and e["trigger"] == "convened")
    assert seed_event["location_country"] == "TUR"
    assert seed_event["attribution_chain"] == "Israeli media outlets"
    assert seed_event["date_start"] is None  # the seed carries no publication date: "last week" stays unresolved
    assert all(e["code"] == "CONSULT" for e in consult)
    out = tmp_path / "events.csv"
    count = queries.export(store, "events", "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert count == len(rows) > 0
    assert {"url", "outlet", "published", "code", "actor_country", "target_country", "date_start",
            "attribution_chain"} <= set(rows[0])


def test_an_article_the_store_refuses_is_a_failure_and_the_run_goes_on(store, tmp_path):
    long_url = "https://example.org/" + "a" * 3000  # over the url column's 2,048 characters
    lines = [json.dumps({"id": "long", "url": long_url, "text": "Police said the bridge was closed on Monday."}),
             json.dumps({"id": "fine", "text": "The mayor said the bridge would reopen on Friday."})]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    stats = ingest(store, [str(path)])
    ids = {row["id"] for row in queries.story_assignments(store)}
    if store.dialect == "postgresql":
        assert stats.failed == 1 and ids == {"fine"}
        assert queries.failures(store)[0]["stage"] == "store"
    else:  # SQLite does not enforce lengths: both are stored
        assert stats.failed == 0 and ids == {"long", "fine"}


def test_two_processes_opening_a_new_store_at_once_both_succeed(db_url):
    """The first migration of a store is serialised; neither process sees half-made tables."""
    import subprocess
    import sys

    code = "import sys; from hearsay.store import open_store; open_store(sys.argv[1]).close()"
    procs = [subprocess.Popen([sys.executable, "-c", code, db_url], stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors


def test_writer_cache_stays_bounded():
    from hearsay.corpus.cache import WriterCache

    cache = WriterCache()
    for n in range(10):
        cache.features[n] = (1, {}, None)
        cache.df[f"word:{n}"] = 1
    cache.trim(max_features=4, max_terms=5)
    assert list(cache.features) == [6, 7, 8, 9]  # the newest articles stay
    assert cache.df == {}
