"""The corpus commands as a user runs them: a real ``hearsay`` subprocess on a SQLite file."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import DATA

ARTICLES = DATA / "corpus" / "articles.jsonl"


def hearsay(*args, env=None):
    return subprocess.run([sys.executable, "-m", "hearsay.cli", *args], capture_output=True, text=True,
                          timeout=300, env=env)


def test_ingest_then_query_from_the_command_line(tmp_path):
    db = str(tmp_path / "news.db")
    done = hearsay("ingest", str(ARTICLES), str(tmp_path / "missing.html"), "--db", db, "-q")
    assert done.returncode == 0, done.stderr
    assert "stored 5 (1 near-copies)" in done.stderr and "failed 1" in done.stderr
    rows = [json.loads(line) for line in hearsay("stories", "--db", db, "--format", "jsonl").stdout.splitlines()]
    assert {r["id"] for r in rows} == {"s1", "s2", "s3", "s1copy", "q1"}
    assert len({r["cluster"] for r in rows}) == 2
    story = json.loads(hearsay("story", "largest", "--db", db, "--format", "json").stdout)
    assert len(story["articles"]) == 4 and story["claims"][0]["independent"] >= 2
    hits = [json.loads(line) for line in
            hearsay("search", "ships", "--db", db, "--since", "2024-03-05", "--format", "jsonl").stdout.splitlines()]
    assert {h["external_id"] for h in hits} == {"s2", "s1copy", "s3"}  # s1 (03-04) and q1 (no ships) left out
    failures = hearsay("failures", "--db", db, "--format", "jsonl")
    assert json.loads(failures.stdout)["reason"] == "no such file"
    table = hearsay("sources", "--db", db)
    assert "Maria Lindqvist" in table.stdout
    out = tmp_path / "entities.csv"
    exported = hearsay("export", "--table", "entities", "--format", "csv", "--out", str(out), "--db", db)
    assert exported.returncode == 0 and out.read_text().startswith("article_id,text,label,canonical")


def test_default_store_comes_from_the_environment(tmp_path):
    import os

    env = dict(os.environ, HEARSAY_DB=str(tmp_path / "env.db"))
    assert hearsay("ingest", str(ARTICLES), "-q", env=env).returncode == 0
    assert (tmp_path / "env.db").exists()


def test_bad_database_url_is_one_line():
    proc = hearsay("stories", "--db", "nosuchdriver://x/y")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "not a usable database URL" in proc.stderr


def test_unwritable_sqlite_path_is_one_line(tmp_path):
    proc = hearsay("stories", "--db", str(tmp_path / "no" / "such" / "dir.db"))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "cannot open the store" in proc.stderr


def test_a_second_ingest_into_the_same_store_is_refused_while_the_first_runs(tmp_path):
    import time

    db = str(tmp_path / "busy.db")
    lines = [json.dumps({"id": f"d{n}", "text": f"Officials said on Monday that berth {n} would close. " * 5})
             for n in range(200)]
    source = tmp_path / "many.jsonl"
    source.write_text("\n".join(lines) + "\n")
    first = subprocess.Popen([sys.executable, "-m", "hearsay.cli", "ingest", str(source), "--db", db, "-q"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        import sqlite3

        deadline = time.time() + 120
        started = False
        while time.time() < deadline and not started and first.poll() is None:
            try:  # read-only peek: opening the store here would race the first process's migration
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                    rows = conn.execute("SELECT options FROM runs WHERE status = 'running'").fetchall()
                started = any(json.loads(o).get("pid") == first.pid for (o,) in rows)
            except sqlite3.Error:
                pass
            time.sleep(0.1)
        assert started, "the first ingest never started"
        second = hearsay("ingest", str(ARTICLES), "--db", db, "-q")
        assert second.returncode == 2 and f"pid {first.pid}" in second.stderr
    finally:
        first.kill()
        first.wait()
