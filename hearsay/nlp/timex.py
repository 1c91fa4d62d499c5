"""Resolving date expressions ("last week", "on Sunday", "in October 2023") against a publication date.

Why our own resolver before a library: news dates are relative to the day of
publication and come with a *granularity* (a day, a week, a month, a year), and a
relative expression must stay unresolved when the publication date is unknown,
never guessed from today's clock. Weeks start on Sunday, as in US-style news
usage ("last week" in a Sunday paper is the Sunday-to-Saturday week before).
Absolute dates the patterns below miss go to ``dateparser`` with strict parsing.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}  # monday=0
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "several": 3, "a few": 3}
_MONTH = (r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")


@dataclass
class Resolved:
    text: str
    start: date | None
    end: date | None
    granularity: str | None  # day | week | month | year | None when unresolved

    def as_json(self) -> dict:
        return {"text": self.text, "start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None, "granularity": self.granularity}


def resolve(text: str, published: date | None) -> Resolved:
    """Resolve one expression; relative ones need ``published`` and are left unresolved without it."""
    expr = " ".join(text.lower().replace(",", " ").split())
    expr = re.sub(r"^(?:on|in|during|since|by|from|until|early|late|earlier|later|the|this past)\s+", "", expr)
    for rule in (_absolute_day, _month_year, _year_only):
        found = rule(expr)
        if found:
            return Resolved(text, *found)
    if published is not None:
        for rule in (_deictic_day, _weekday, _relative_period, _ago, _month_alone, _day_of_month):
            found = rule(expr, published)
            if found:
                return Resolved(text, *found)
    elif _looks_relative(expr):
        return Resolved(text, None, None, None)
    found = _dateparser(text) if published is None or not _looks_relative(expr) else None
    return Resolved(text, *found) if found else Resolved(text, None, None, None)


def _looks_relative(expr: str) -> bool:
    return bool(re.search(r"\b(today|tonight|yesterday|tomorrow|week|month|year|ago|last|next|this|"
                          + "|".join(WEEKDAYS) + "|" + _MONTH + r")\b", expr))


def _week(day: date) -> tuple[date, date]:
    start = day - timedelta(days=(day.weekday() + 1) % 7)  # back to Sunday
    return start, start + timedelta(days=6)


def _month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _absolute_day(expr: str):
    m = (re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", expr))
    if m:
        y, mo, d = map(int, m.groups())
        return _safe_day(y, mo, d)
    m = re.fullmatch(rf"(?:\w+day\s+)?{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\s+(\d{{4}})", expr)
    if m:
        return _safe_day(int(m.group(3)), MONTHS[m.group(1)], int(m.group(2)))
    m = re.fullmatch(rf"(?:\w+day\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\s+(\d{{4}})", expr)
    if m:
        return _safe_day(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
    return None


def _safe_day(y: int, mo: int, d: int):
    try:
        day = date(y, mo, d)
    except ValueError:
        return None
    return day, day, "day"


def _month_year(expr: str):
    m = re.fullmatch(rf"{_MONTH}\s+(?:of\s+)?(\d{{4}})", expr)
    return (*_month(int(m.group(2)), MONTHS[m.group(1)]), "month") if m else None


def _year_only(expr: str):
    m = re.fullmatch(r"(?:the\s+year\s+)?((?:19|20)\d\d)", expr)
    return (date(int(m.group(1)), 1, 1), date(int(m.group(1)), 12, 31), "year") if m else None


def _deictic_day(expr: str, pub: date):
    offsets = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
               "yesterday": -1, "last night": -1, "tomorrow": 1, "the day before yesterday": -2}
    if expr in offsets:
        day = pub + timedelta(days=offsets[expr])
        return day, day, "day"
    return None


def _weekday(expr: str, pub: date):
    days = "|".join(WEEKDAYS)
    m = re.fullmatch(r"(last|next|this|past)?\s*(" + days + r")(?:\s+(?:morning|afternoon|evening|night))?", expr)
    if not m:
        return None
    which, target = m.group(1), WEEKDAYS[m.group(2)]
    if which == "next":
        delta = (target - pub.weekday()) % 7 or 7
        day = pub + timedelta(days=delta)
    else:  # news reports the past: the most recent such day, the day of publication included
        back = (pub.weekday() - target) % 7
        if which == "last" and back == 0:
            back = 7
        day = pub - timedelta(days=back)
    return day, day, "day"


def _relative_period(expr: str, pub: date):
    m = re.fullmatch(r"(last|past|previous|this|next|coming)\s+(week|month|year)(?:end)?", expr)
    if not m:
        return None
    shift = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[m.group(1)]
    unit = m.group(2)
    if unit == "week":
        start, _ = _week(pub)
        start += timedelta(days=7 * shift)
        return start, start + timedelta(days=6), "week"
    if unit == "month":
        month_index = pub.year * 12 + pub.month - 1 + shift
        return (*_month(month_index // 12, month_index % 12 + 1), "month")
    year = pub.year + shift
    return date(year, 1, 1), date(year, 12, 31), "year"


def _ago(expr: str, pub: date):
    m = re.fullmatch(r"(\d+|a few|" + "|".join(NUMBERS) + r")\s+(day|week|month|year)s?\s+ago", expr)
    if not m:
        return None
    n = int(m.group(1)) if m.group(1).isdigit() else NUMBERS[m.group(1)]
    unit = m.group(2)
    if unit == "day":
        day = pub - timedelta(days=n)
        return day, day, "day"
    if unit == "week":
        return (*_week(pub - timedelta(days=7 * n)), "week")
    if unit == "month":
        index = pub.year * 12 + pub.month - 1 - n
        return (*_month(index // 12, index % 12 + 1), "month")
    return date(pub.year - n, 1, 1), date(pub.year - n, 12, 31), "year"


def _month_alone(expr: str, pub: date):
    m = re.fullmatch(rf"(last|next|this)?\s*{_MONTH}", expr)
    if not m:
        return None
    month = MONTHS[m.group(2)]
    year = pub.year if month <= pub.month else pub.year - 1
    if m.group(1) == "next" or (m.group(1) == "this" and month > pub.month):
        year = pub.year if month > pub.month else pub.year + 1
    return (*_month(year, month), "month")


def _day_of_month(expr: str, pub: date):
    m = re.fullmatch(rf"(?:\w+day\s+)?{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?", expr) or \
        re.fullmatch(rf"(?:\w+day\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}", expr)
    if not m:
        return None
    a, b = m.groups()
    month, day_n = (MONTHS[a], int(b)) if not a.isdigit() else (MONTHS[b], int(a))
    year = pub.year if (month, day_n) <= (pub.month, pub.day) else pub.year - 1
    return _safe_day(year, month, day_n)


def _dateparser(text: str):
    """Absolute dates in other shapes ("2024/11/17", "17.11.2024"); a year must be present."""
    if not re.search(r"\b(?:19|20)\d\d\b", text):
        return None
    try:
        import dateparser
    except ImportError:  # pragma: no cover - dateparser is a dependency
        return None
    parsed = dateparser.parse(text, settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]})
    return (parsed.date(), parsed.date(), "day") if parsed else None
