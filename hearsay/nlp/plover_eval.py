"""``hearsay eval events``: event type and actor codes against the PLOVER gold-standard records.

The records use PLOVER 0.5 names; four of them are not categories of the current
manual and are mapped onto it (``PLOVER_05``). Each record is one sentence; the
sentence's *main* event (the trigger highest in the parse) is compared with the
record's event, and each gold source/target actor's country code is looked up
among the main event's actors/targets.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

PLOVER_05 = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT", "INVESTIGATE": "ACCUSE"}
# Three records keep pre-ISO codes for a country; compared as the ISO 3166 code they stand for.
LEGACY_CODES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}


@dataclass
class EventScores:
    records: int = 0
    type_correct: int = 0
    actors: int = 0
    actors_correct: int = 0
    targets: int = 0
    targets_correct: int = 0
    confusion: Counter = field(default_factory=Counter)  # (gold, predicted) -> count

    def ratio(self, a: int, b: int) -> float:
        return a / b if b else 0.0


def gold_code(event: str) -> str:
    return PLOVER_05.get(event, event)


def _codes(actors) -> list[str]:
    if not isinstance(actors, list):
        return []
    return [LEGACY_CODES.get(a["code"], a["code"]) for a in actors if isinstance(a, dict) and a.get("code")]


def score_gsr(path: Path, nlp) -> EventScores:
    records = [r for r in json.loads(path.read_text(encoding="utf-8"))
               if r.get("event") != "DOCUMENT" and r.get("text")]
    scores = EventScores()
    for rec, doc in zip(records, nlp.pipe((r["text"] for r in records), batch_size=32)):
        events = sorted(doc._.events, key=lambda e: (e.depth, e.trigger["start"]))
        main = events[0] if events else None
        gold = gold_code(rec["event"])
        predicted = main.code if main else "NONE"
        scores.records += 1
        scores.type_correct += predicted == gold
        scores.confusion[(gold, predicted)] += 1
        actor_codes = {a["country"] for a in main.actors} if main else set()
        target_codes = {a["country"] for a in main.targets} if main else set()
        for code in _codes(rec.get("source")):
            scores.actors += 1
            scores.actors_correct += code in actor_codes
        for code in _codes(rec.get("target")):
            scores.targets += 1
            scores.targets_correct += code in target_codes
    return scores
