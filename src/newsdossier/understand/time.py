"""Find and normalise date expressions with regular expressions.

The finders run on every page, so they are plain regexes (no parser, no model):
each pattern proposes candidate spans, a small handler turns a candidate into an
ISO value, and overlapping candidates are settled in favour of the longest.
Relative expressions (today, on Friday, last June) are resolved against the
page date; without one their value is None.  `dateparser` is used only as a last
resort inside `parse_date`, on one short string, never to search text.
"""

from __future__ import annotations

import bisect
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from newsdossier.model import DateMention

__all__ = ["find_dates", "parse_date"]

_MONTH_FULL = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]
_MONTH_ABBR = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTHS: dict[str, int] = {name: i + 1 for i, name in enumerate(_MONTH_FULL)} | _MONTH_ABBR

_WEEKDAY_FULL = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY_ABBR = ["mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"]
_WEEKDAYS: dict[str, int] = {name: i for i, name in enumerate(_WEEKDAY_FULL)}

_SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
}


def _cased(words: list[str] | dict[str, int]) -> str:
    """Title- and upper-case forms only: lower-case 'may', 'march' or 'sun' are ordinary words."""
    forms: list[str] = []
    for word in sorted(words, key=len, reverse=True):
        forms += [word.capitalize(), word.upper()]
    return "|".join(forms)


_S = r"[^\S\n]+"
_S0 = r"[^\S\n]*"
_MON = rf"(?:(?:{_cased(_MONTH_FULL)})\b|(?:{_cased(_MONTH_ABBR)})(?:\.|\b))"
_MON_FULL = rf"(?:(?:{_cased(_MONTH_FULL)})\b)"
_WD_ANY = rf"(?:(?:{_cased(_WEEKDAY_FULL)})\b|(?:{_cased(_WEEKDAY_ABBR)})(?:\.|\b))"
_WD_FULL = rf"(?:{_cased(_WEEKDAY_FULL)})\b"
_DAY = r"(?<![\d.,])(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d])"
_YEAR = r"(?:1[89]\d\d|2[01]\d\d)(?![\d])"
_WD_PREFIX = rf"(?:(?P<wd>{_WD_ANY}),?{_S})?"
_RANGE = rf"(?:{_S0}[-–]{_S0}(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?)?"
_PREP = r"in|since|by|until|till|from|before|after|during|through|throughout|around|circa|of|for|to|between"
_FUTURE_CUES = re.compile(
    r"\b(?:will|shall|(?:is|are|was|were)\s+(?:set|due|scheduled|slated|going|expected|planning)\s+to"
    r"|is\s+to|are\s+to|expected|scheduled|plans?\s+to|next|upcoming|this\s+coming)\b|['’]ll\b",
    re.IGNORECASE,
)
_REPORTED_PAST = re.compile(
    r"\b(?:said|announced|told|stated|confirmed|reported|added|wrote|declared|noted|revealed|insisted"
    r"|denied|warned|met|signed|held|arrived|visited)\b(?:[^\S\n]+\w+)?[^\S\n]+(?:on[^\S\n]+)?$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
_NOT_A_YEAR_AFTER = re.compile(
    r"[^\S\n]*(?:%|per[^\S\n]?cent\b|percent\b|(?i:thousand|million|billion|trillion|bn|mn|tonnes?|tons?"
    r"|barrels?|km|kg|mw|gw|dollars?|euros?|pounds?|people|troops|soldiers)\b)"
)
_WORD_AFTER = re.compile(r"[^\S\n]+([a-z]+)\b")
_NOT_PLURAL = frozenset({"as", "is", "was", "has", "this", "its", "his", "hers", "us", "thus", "plus"})
_PLURAL_IRREGULAR = frozenset({"people", "men", "women", "children", "police", "personnel", "staff"})


def _looks_plural(word: str) -> bool:
    """Counted things ('of 2000 people') rather than a year ('from 2010 to 2015')."""
    if word in _PLURAL_IRREGULAR:
        return True
    return word.endswith("s") and not word.endswith(("ss", "us", "is")) and word not in _NOT_PLURAL


@dataclass
class _Candidate:
    start: int
    end: int
    value: str | None
    relative: bool


@dataclass
class _Context:
    """What handlers need besides the match: the text, the page date, and sentence bounds (lazily)."""

    text: str
    page: date | None
    _bounds: list[int] | None = field(default=None)

    def sentence(self, start: int, end: int) -> str:
        if self._bounds is None:
            self._bounds = [m.end() for m in _SENTENCE_END.finditer(self.text)]
        i = bisect.bisect_right(self._bounds, start)
        lo = self._bounds[i - 1] if i > 0 else 0
        j = bisect.bisect_left(self._bounds, end)
        hi = self._bounds[j] if j < len(self._bounds) else len(self.text)
        return self.text[lo:hi]

    def future(self, start: int, end: int) -> bool:
        """A future cue in the sentence, unless a past reporting verb governs the expression."""
        if _REPORTED_PAST.search(self.text, max(0, start - 40), start):
            return False
        return _FUTURE_CUES.search(self.sentence(start, end)) is not None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_num(word: str) -> int:
    return _MONTHS[word.rstrip(".").lower()]


def _day_num(word: str) -> int:
    return int(word.rstrip("stndrh"))


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def _year(year: int) -> str:
    if not 1 <= year <= 9999:
        raise ValueError(f"year {year} out of range")
    return f"{year:04d}"


def _ym(year: int, month: int) -> str:
    return f"{_year(year)}-{month:02d}"


def _weekday_of(word: str) -> int | None:
    key = word.rstrip(".").lower()
    if key in _WEEKDAYS:
        return _WEEKDAYS[key]
    for full, index in _WEEKDAYS.items():
        if full.startswith(key):
            return index
    return None


# Handlers: each turns one regex match into a candidate (or None to drop it).


def _full_date(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    d = _safe_date(int(m["year"]), _month_num(m["mon"]), _day_num(m["day"]))
    if d is None:
        return None
    return _Candidate(m.start(), m.end(), d.isoformat(), False)


def _numeric_ymd(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    return None if d is None else _Candidate(m.start(), m.end(), d.isoformat(), False)


def _day_first(a: int, b: int, year: int) -> date | None:
    """dd-mm-yyyy unless that is impossible and mm-dd-yyyy is not."""
    return _safe_date(year, b, a) or _safe_date(year, a, b)


def _numeric_dmy(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    d = _day_first(int(m["a"]), int(m["b"]), int(m["y"]))
    return None if d is None else _Candidate(m.start(), m.end(), d.isoformat(), False)


def _day_month(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    month, day = _month_num(m["mon"]), _day_num(m["day"])
    if _safe_date(2000, month, day) is None:
        return None
    if ctx.page is None:
        return _Candidate(m.start(), m.end(), None, True)
    wanted = _weekday_of(m["wd"]) if m["wd"] else None
    options = [d for y in (ctx.page.year - 1, ctx.page.year, ctx.page.year + 1)
               if (d := _safe_date(y, month, day)) is not None]
    if wanted is not None and any(d.weekday() == wanted for d in options):
        options = [d for d in options if d.weekday() == wanted]
    page = ctx.page
    best = min(options, key=lambda d: abs((d - page).days))
    return _Candidate(m.start(), m.end(), best.isoformat(), True)


def _month_year(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    return _Candidate(m.start(), m.end(), _ym(int(m["year"]), _month_num(m["mon"])), False)


def _prep_year(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    year = int(m["year"])
    if not 1900 <= year <= 2100:
        return None
    if _NOT_A_YEAR_AFTER.match(ctx.text, m.end()):
        return None
    counting = m["prep"].lower() in {"of", "for", "to", "around", "between", "from"}
    if counting and (after := _WORD_AFTER.match(ctx.text, m.end())) and _looks_plural(after[1]):
        return None
    return _Candidate(m.start(), m.end(), str(year), False)


def _relative_day(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    if ctx.page is None:
        return _Candidate(m.start(), m.end(), None, True)
    word = m.group(0).lower()
    offset = -1 if word.startswith(("yesterday", "last")) else 1 if word.startswith("tomorrow") else 0
    return _Candidate(m.start(), m.end(), (ctx.page + timedelta(days=offset)).isoformat(), True)


def _weekday(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    if ctx.page is None:
        return _Candidate(m.start(), m.end(), None, True)
    wanted = _weekday_of(m["wd"])
    if wanted is None:
        return None
    mod = (m["mod"] or "").lower().split()
    back = (ctx.page.weekday() - wanted) % 7
    ahead = (wanted - ctx.page.weekday()) % 7
    if mod[:1] == ["last"]:
        offset = -(back or 7)
    elif mod[:1] in (["next"], ["coming"]) or mod == ["this", "coming"]:
        offset = ahead or 7
    elif back == 0:
        offset = 0
    elif ctx.future(m.start(), m.end()):
        offset = ahead
    else:
        offset = -back
    return _Candidate(m.start(), m.end(), (ctx.page + timedelta(days=offset)).isoformat(), True)


def _relative_month(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    if ctx.page is None:
        return _Candidate(m.start(), m.end(), None, True)
    month = _month_num(m["mon"])
    mod = m["mod"].split()[0].lower()
    year, page_month = ctx.page.year, ctx.page.month
    if mod == "last":
        year = year if month < page_month else year - 1
    elif mod == "next":
        year = year if month > page_month else year + 1
    elif mod == "this":
        pass
    elif ctx.future(m.start(), m.end()):
        year = year if month >= page_month else year + 1
    else:
        year = year if month <= page_month else year - 1
    return _Candidate(m.start(), m.end(), _ym(year, month), True)


def _relative_period(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    if ctx.page is None:
        return _Candidate(m.start(), m.end(), None, True)
    mod = m["mod"].split()[0].lower()
    unit = m["unit"].lower()
    step = -1 if mod == "last" else 1 if mod == "next" else 0
    page = ctx.page
    if unit == "year":
        return _Candidate(m.start(), m.end(), _year(page.year + step), True)
    if unit == "month":
        return _Candidate(m.start(), m.end(), _ym(*_shift_month(page.year, page.month, step)), True)
    week = page + timedelta(days=7 * step)
    return _Candidate(m.start(), m.end(), _ym(week.year, week.month), True)


def _ago(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    if ctx.page is None:
        return _Candidate(m.start(), m.end(), None, True)
    raw = m["n"].lower()
    n = int(raw) if raw.isdigit() else _SMALL_NUMBERS[raw]
    unit = m["unit"].lower()
    page = ctx.page
    try:
        if unit in ("minute", "hour"):
            value = page.isoformat()
        elif unit in ("day", "week"):
            value = (page - timedelta(days=n * (7 if unit == "week" else 1))).isoformat()
        elif unit == "month":
            value = _ym(*_shift_month(page.year, page.month, -n))
        else:
            value = _year(page.year - n)
    except (OverflowError, ValueError):
        return None
    return _Candidate(m.start(), m.end(), value, True)


_Handler = Callable[[re.Match[str], _Context], _Candidate | None]

_NUMBER_WORDS = "|".join(sorted(_SMALL_NUMBERS, key=len, reverse=True))
_PATTERNS: list[tuple[re.Pattern[str], _Handler]] = [
    (re.compile(
        rf"{_WD_PREFIX}(?P<mon>{_MON}){_S0}(?P<day>{_DAY}){_RANGE}(?:,{_S0}|{_S}|{_S0}/{_S0})(?P<year>{_YEAR})"
    ), _full_date),
    (re.compile(
        rf"{_WD_PREFIX}(?P<day>{_DAY}){_RANGE}{_S}(?:of{_S})?(?P<mon>{_MON}),?{_S}(?P<year>{_YEAR})"
    ), _full_date),
    (re.compile(
        r"(?<![\d.\-/])(?P<y>1[89]\d\d|2[01]\d\d)(?P<sep>[-/.])(?P<m>1[0-2]|0?[1-9])(?P=sep)"
        r"(?P<d>3[01]|[12]\d|0?[1-9])(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?(?![\d])"
    ), _numeric_ymd),
    (re.compile(
        r"(?<![\d.\-/])(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>1[89]\d\d|2[01]\d\d)"
        r"(?![\d]|[-/.]\d)"
    ), _numeric_dmy),
    (re.compile(rf"{_WD_PREFIX}(?P<mon>{_MON}){_S0}(?P<day>{_DAY}){_RANGE}(?![^\S\n]*[/:]\d)"), _day_month),
    (re.compile(rf"{_WD_PREFIX}(?P<day>{_DAY}){_RANGE}{_S}(?:of{_S})?(?P<mon>{_MON})"), _day_month),
    (re.compile(rf"(?P<mon>{_MON}){_S}(?:of{_S})?(?P<year>{_YEAR})(?![.,]\d)"), _month_year),
    (re.compile(
        rf"\b(?P<prep>(?i:{_PREP})){_S}(?:(?i:early|mid|late)(?:-|{_S}))?(?P<year>\d{{4}})(?![\d]|[.,]\d)"
    ), _prep_year),
    (re.compile(
        r"(?<![-./@])\b(?i:today|tonight|yesterday|tomorrow|this[^\S\n]+(?:morning|afternoon|evening)"
        r"|last[^\S\n]+night)\b(?![-./@]\w)"
    ), _relative_day),
    (re.compile(
        rf"(?:\b(?P<mod>(?i:last|next|this(?:{_S}coming)?|coming)){_S})?\b(?P<wd>{_WD_FULL})"
    ), _weekday),
    (re.compile(
        rf"\b(?P<mod>(?i:last|next|this|{_PREP})){_S}(?:(?i:early|mid|late)(?:-|{_S}))?(?P<mon>{_MON_FULL}"
        rf"|(?:{_cased(_MONTH_ABBR)})\.)(?![^\S\n]*,?[^\S\n]*\d)"
    ), _relative_month),
    (re.compile(
        rf"\b(?P<mod>(?i:(?:earlier|later){_S}this|last|next|this)){_S}(?P<unit>(?i:year|month|week))\b"
    ), _relative_period),
    (re.compile(
        rf"\b(?P<n>\d{{1,4}}|(?i:{_NUMBER_WORDS})){_S}(?P<unit>(?i:minute|hour|day|week|month|year))"
        rf"(?i:s)?{_S}(?i:ago)\b"
    ), _ago),
]


def _settle(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep non-overlapping candidates, longest first; earlier start breaks ties."""
    chosen_starts: list[int] = []
    chosen: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.start - c.end, c.start)):
        i = bisect.bisect_left(chosen_starts, cand.start)
        if i > 0 and chosen[i - 1].end > cand.start:
            continue
        if i < len(chosen) and chosen[i].start < cand.end:
            continue
        chosen_starts.insert(i, cand.start)
        chosen.insert(i, cand)
    return chosen


def find_dates(text: str, page_date: date | None) -> list[DateMention]:
    """Every date expression in `text`, in order, with ISO values (relative ones via `page_date`)."""
    ctx = _Context(text, page_date)
    candidates: list[_Candidate] = []
    for pattern, handler in _PATTERNS:
        for m in pattern.finditer(text):
            try:
                cand = handler(m, ctx)
            except (ValueError, OverflowError, KeyError):
                cand = None
            if cand is not None:
                candidates.append(cand)
    return [
        DateMention(text=text[c.start:c.end], start=c.start, end=c.end, value=c.value, relative=c.relative)
        for c in _settle(candidates)
    ]


_HAS_YEAR = re.compile(r"(?<!\d)(?:1[89]|2[01])\d\d(?!\d)")


def parse_date(value: str) -> date | None:
    """One date from a header or metadata string; None unless it names a full day."""
    text = value.strip()
    if not text:
        return None
    for mention in find_dates(text, None):
        if not mention.relative and mention.value and len(mention.value) == 10:
            return date.fromisoformat(mention.value)
    if len(text) > 120 or not _HAS_YEAR.search(text):
        return None
    return _dateparser_fallback(text)


def _dateparser_fallback(text: str) -> date | None:
    """Other languages and odd layouts; absolute dates only, so the answer never depends on today."""
    try:
        import dateparser

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = dateparser.parse(
                text,
                settings={
                    "DATE_ORDER": "DMY",
                    "PARSERS": ["absolute-time"],
                    "REQUIRE_PARTS": ["day", "month", "year"],
                    "STRICT_PARSING": True,
                },
            )
    except Exception:
        return None
    return parsed.date() if parsed is not None else None
