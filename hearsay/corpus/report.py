"""Terminal views of corpus queries (Rich tables); the JSON views are the query dicts themselves."""
from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from hearsay.report import shorten


def search_table(console: Console, hits: list[dict[str, Any]]) -> None:
    table = Table("id", "published", "outlet", "story", "title / snippet", show_lines=False)
    for h in hits:
        table.add_row(str(h["id"]), h["published"] or "", h["outlet"] or "", str(h["story"] or ""),
                      f"[bold]{h['title'] or ''}[/bold]\n{h['snippet']}")
    console.print(table)


def stories_table(console: Console, stories: list[dict[str, Any]]) -> None:
    table = Table("story", "articles", "outlets", "first", "last", "title")
    for s in stories:
        table.add_row(str(s["id"]), str(s["articles"]), str(s["outlets"]), s["first_published"] or "",
                      s["last_published"] or "", s["title"] or "")
    console.print(table)


def story_view(console: Console, story: dict[str, Any], claims: int = 10) -> None:
    console.print(f"[bold]Story {story['id']}[/bold]: {story['title']}")
    span = " to ".join(filter(None, [story["first_published"], story["last_published"]])) or "dates unknown"
    console.print(f"{len(story['articles'])} articles from {len(story['outlets'])} outlets, {span}")
    timeline = Table("published", "outlet", "title", "copy of", title="Timeline", title_justify="left")
    for a in story["articles"]:
        timeline.add_row(a["published"] or "?", a["outlet"] or "unknown", a["title"] or a["external_id"] or "",
                         str(a["copy_of"] or ""))
    console.print(timeline)
    if story["entities"]:
        console.print("Entities: " + ", ".join(f"{e['name']} ({e['mentions']})" for e in story["entities"]))
    if story.get("events"):
        console.print("Events, in date order:")
        events_table(console, story["events"][:15])
    table = Table(title="Claims, most corroborated first", title_justify="left", expand=True)
    table.add_column("claim", ratio=5)
    table.add_column("reports", justify="right", no_wrap=True)
    table.add_column("indep.", justify="right", no_wrap=True)
    table.add_column("first", ratio=2)
    table.add_column("named origin", ratio=2)
    table.add_column("certainty", ratio=1)
    for c in story["claims"][:claims]:
        first = c["first"]
        table.add_row(shorten(c["text"], 90), str(len(c["reports"])), str(c["independent"]),
                      f"{first['outlet'] or 'article ' + str(first['article'])}\n{first['published'] or ''}".strip(),
                      c["original_source"] or "", "\n".join(f"{k} {v}" for k, v in c["certainty"].items()))
    console.print(table)


def events_table(console: Console, rows: list[dict[str, Any]]) -> None:
    table = Table("date", "code", "mode", "actor", "target", "place", "according to", "outlet")
    for r in rows:
        actor = " ".join(filter(None, [r["actor_country"], r["actor_sector"]])) or _names(r["actors"])
        target = " ".join(filter(None, [r["target_country"], r["target_sector"]])) or _names(r["targets"])
        table.add_row(r["date_start"] or r["published"] or "", r["code"], r["mode"], actor, target,
                      r["city"] or r["location_country"] or "", r["attribution_chain"] or "", r["outlet"] or "")
    console.print(table)


def _names(actors: list[dict]) -> str:
    return ", ".join(a["canonical"] or a["text"] for a in actors)


def sources_table(console: Console, rows: list[dict[str, Any]]) -> None:
    table = Table("source", "kind", "citations", "articles", "stories")
    for r in rows:
        table.add_row(r["canonical"], r["kind"], str(r["citations"]), str(r["articles"]), str(r["stories"]))
    console.print(table)


def failures_table(console: Console, rows: list[dict[str, Any]]) -> None:
    table = Table("run", "input", "stage", "reason")
    for r in rows:
        table.add_row(str(r["run"]), r["input"], r["stage"], r["reason"])
    console.print(table)
