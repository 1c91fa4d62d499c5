"""The terminal report: header, removed chrome, provenance tree, claims, entities."""
from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

CERTAINTY_STYLE = {
    "asserted": "bold green",
    "reported": "cyan",
    "hedged": "yellow",
    "speculative": "magenta",
    "denied": "bold red",
}


def shorten(text: str, width: int = 90) -> str:
    """One line, at most ``width`` characters, an ellipsis where cut (also used by the corpus views)."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _source_label(att: dict[str, Any]) -> Text:
    src = att["source"]
    if src is None:
        return Text("(no named source)", style="dim italic")
    name = src["text"]
    label = Text(name, style="bold")
    if src.get("canonical") and src["canonical"].lower() not in name.lower():
        label.append(f" → {src['canonical']}", style="bold")
    label.append(f"  [{src['kind']}]", style="dim")
    return label


def _claim(att: dict[str, Any]) -> Text:
    line = Text()
    line.append(att["cue"]["text"], style="underline")
    line.append(": ")
    line.append(shorten(att["content"]["text"], 110))
    line.append(f"  {att['certainty']}", style=CERTAINTY_STYLE.get(att["certainty"], ""))
    return line


def header(art: dict[str, Any]) -> Panel:
    lines = Text()
    lines.append((art.get("title") or "(untitled)") + "\n", style="bold")
    meta = [art.get(k) for k in ("site", "author", "published", "url") if art.get(k)]
    if meta:
        lines.append(" · ".join(meta) + "\n", style="dim")
    lines.append(f"{len(art['text'].split())} words · language {art['language']} · "
                 f"{len(art['attributions'])} attributions · {len(art['entities'])} entity mentions", style="dim")
    return Panel(lines, title=art.get("input") or "article", title_align="left")


def provenance_tree(art: dict[str, Any]) -> Tree:
    """Article → sources → claims, nested attributions under the claim that contains them."""
    tree = Tree(Text(f"{art.get('site') or art.get('input') or 'article'}", style="bold"))
    children: dict[str | None, list[dict[str, Any]]] = {}
    for att in art["attributions"]:
        children.setdefault(att["parent"], []).append(att)

    def add(node: Tree, att: dict[str, Any]) -> None:
        branch = node.add(_source_label(att)).add(_claim(att))
        for child in children.get(att["id"], []):
            add(branch, child)

    for att in children.get(None, []):
        add(tree, att)
    return tree


def claims_table(art: dict[str, Any]) -> Table:
    table = Table(title="Claims", show_lines=False, expand=True)
    for col, kw in (("id", {"no_wrap": True}), ("source", {"ratio": 2, "min_width": 12}),
                    ("cue", {"min_width": 10, "max_width": 14}), ("content", {"ratio": 5}),
                    ("certainty", {"no_wrap": True}), ("quote", {"no_wrap": True})):
        table.add_column(col, **kw)
    for att in art["attributions"]:
        src = att["source"]
        who = "—" if src is None else f"{src.get('canonical') or src['text']} ({src['kind']})"
        id_ = att["id"] + (f"⊂{att['parent']}" if att["parent"] else "")
        table.add_row(id_, who, att["cue"]["text"], shorten(att["content"]["text"], 160),
                      Text(att["certainty"], style=CERTAINTY_STYLE.get(att["certainty"], "")), att["quote"])
    return table


def entities_table(art: dict[str, Any]) -> Table:
    counts = Counter((e["canonical"], e["label"]) for e in art["entities"]
                     if e["label"] not in ("CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"))
    aliases: dict[tuple[str, str], set[str]] = {}
    for e in art["entities"]:
        aliases.setdefault((e["canonical"], e["label"]), set()).add(e["text"])
    table = Table(title="Entities")
    table.add_column("entity")
    table.add_column("label")
    table.add_column("mentions", justify="right")
    table.add_column("also written")
    for (name, label), n in counts.most_common():
        other = sorted(a for a in aliases[(name, label)] if a != name)
        table.add_row(name, label, str(n), ", ".join(other))
    return table


def render(console: Console, art: dict[str, Any]) -> None:
    console.print(header(art))
    if art["removed"]:
        console.print(Text("Removed page chrome", style="bold"))
        for block in art["removed"]:
            line = Text(f"  [{block['kind']}] ", style="dim") + Text(shorten(block["text"], 200))
            console.print(line, no_wrap=True, overflow="ellipsis")
    console.print(Text("\nProvenance", style="bold"))
    console.print(provenance_tree(art))
    console.print(claims_table(art))
    console.print(entities_table(art))
