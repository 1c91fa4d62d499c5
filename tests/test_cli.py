"""The command line, run as a user runs it (a real subprocess)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import DATA, SEED, SHARED


def hearsay(*args, stdin: str | None = None):
    return subprocess.run([sys.executable, "-m", "hearsay.cli", *args], input=stdin,
                          capture_output=True, text=True, timeout=300)


def test_json_output_of_the_seed_meets_the_contract():
    proc = hearsay("analyze", str(SEED), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    art = json.loads(proc.stdout)
    assert art["schema"] == "hearsay.article/1"
    assert art["site"] == "al-monitor.com"
    assert {"id", "url", "title", "author", "published", "language", "text", "removed", "entities",
            "attributions"} <= set(art)
    from hearsay.nlp.certainty import CERTAINTIES
    from hearsay.nlp.sources import KINDS

    for att in art["attributions"]:
        assert {"id", "parent", "quote", "certainty", "source", "cue", "content"} <= set(att)
        assert att["certainty"] in CERTAINTIES
        assert att["source"] is None or att["source"]["kind"] in KINDS
        assert art["text"][att["cue"]["start"]:att["cue"]["end"]] == att["cue"]["text"]


@pytest.mark.skipif(not (SHARED / "tools" / "check_seed.py").exists(), reason="../shared/tools is not present")
def test_seed_check_passes(tmp_path):
    proc = hearsay("analyze", str(SEED), "--format", "json")
    path = tmp_path / "seed.json"
    path.write_text(proc.stdout)
    check = subprocess.run([sys.executable, str(SHARED / "tools" / "check_seed.py"), str(path)],
                           capture_output=True, text=True)
    assert "seed: 40/40" in check.stdout, check.stdout


def test_report_shows_provenance():
    proc = hearsay("analyze", str(SEED))
    assert proc.returncode == 0, proc.stderr
    for expected in ("Provenance", "Jerusalem Post", "Removed page chrome", "Leave a review", "speculative"):
        assert expected in proc.stdout


def test_stdin_text():
    proc = hearsay("analyze", "-", "--as", "text", "--format", "json",
                   stdin="The minister said that the bridge would reopen in May.")
    art = json.loads(proc.stdout)
    assert art["attributions"][0]["cue"]["text"] == "said"


def test_batch_with_failures_keeps_going(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text("Police said that the road was closed after the crash.")
    (inputs / "empty.txt").write_text("")
    (inputs / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (inputs / "page.html").write_bytes((DATA / "article.html").read_bytes())
    out = tmp_path / "out"
    proc = hearsay("analyze", str(inputs), "--out", str(out), "-j", "2")
    assert proc.returncode == 2
    assert sorted(p.name for p in out.glob("*.json")) == ["good.json", "page.json"]
    failures = [json.loads(line) for line in (out / "failures.jsonl").read_text().splitlines()]
    assert {f["input"].rsplit("/", 1)[-1]: f["reason"] for f in failures} == {
        "binary.txt": "binary data, not text or HTML", "empty.txt": "empty input"}
    assert "analyzed 2, failed 2" in proc.stderr
    assert "empty.txt: empty input" in proc.stderr


def test_one_line_error_and_exit_code():
    proc = hearsay("analyze", "/nonexistent/file.txt")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "hearsay: /nonexistent/file.txt: no such file"


def test_non_english_is_analysed_with_a_warning(tmp_path):
    path = tmp_path / "de.txt"
    path.write_text("Die Regierung hat am Montag erklärt, dass die Verhandlungen mit den Gewerkschaften "
                    "fortgesetzt werden, und der Minister sagte, dass eine Einigung bald möglich sei.")
    proc = hearsay("analyze", str(path), "--format", "json")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["language"] == "de"
    assert "not English" in proc.stderr


def test_unknown_format_is_a_usage_error():
    proc = hearsay("analyze", str(SEED), "--as", "pdf")
    assert proc.returncode == 2
    assert "--as must be one of" in proc.stderr


def test_bench_analyze_reports_both_speeds_and_their_ratio():
    proc = hearsay("bench", "analyze", str(SEED), "--repeat", "2")
    assert proc.returncode == 0, proc.stderr
    assert "fastest of 2 runs each" in proc.stdout
    ratio = next(line for line in proc.stdout.splitlines() if line.startswith("ratio"))
    assert 0 < float(ratio.split()[1].rstrip("x")) < 5
