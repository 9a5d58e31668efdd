"""Find and normalise date expressions with regular expressions.

The finders run on every page, so they are plain regexes (no parser, no model).
A cheap scan finds anchors (digits, month and weekday names, words like 'today'
or 'ago'); the patterns run only near them.  Each pattern starts with a literal
or a digit so the regex engine can skip ahead, and optional words in front
('Friday,', 'last', 'in') are checked backwards by the handler.  A handler turns
a match into an ISO value; overlapping candidates are settled for the longest.
Relative expressions (today, on Friday, last June) are resolved against the page
date; without one their value is None.  `dateparser` is a last resort inside
`parse_date`, on one short string, never a search over text.
"""

from __future__ import annotations

import bisect
import itertools
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
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


def word_trie(words: Iterable[str]) -> str:
    """An alternation built as a trie, so the engine tests each first character once, not once a word."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = "(?:" + "|".join(alts) + ")"
        return body + "?" if "" in node else body

    return build(root)


def all_cases(words: Iterable[str]) -> list[str]:
    return sorted({form for w in words for form in (w, w.capitalize(), w.upper())})


def _capital_cases(words: Iterable[str]) -> list[str]:
    """Title and upper case only: lower-case 'may', 'march' or 'sun' are ordinary words."""
    return sorted({form for w in words for form in (w.capitalize(), w.upper())})


def _with_dots(abbreviations: Iterable[str]) -> list[str]:
    return [form for a in abbreviations for form in (a, a + ".")]


_S = r"[^\S\n]+"
_S0 = r"[^\S\n]*"
_MON = rf"(?P<mon>{word_trie(_capital_cases([*_MONTH_FULL, *_with_dots(_MONTH_ABBR)]))})(?![A-Za-z])"
_MON_NAMED = (
    rf"(?P<mon>{word_trie(_capital_cases([*_MONTH_FULL, *(a + '.' for a in _MONTH_ABBR)]))})(?![A-Za-z])"
)
_WD_ANY = rf"(?:{word_trie(_capital_cases([*_WEEKDAY_FULL, *_with_dots(_WEEKDAY_ABBR)]))})(?![A-Za-z])"
_WD_FULL = rf"(?P<wd>{word_trie(_capital_cases(_WEEKDAY_FULL))})(?![A-Za-z])"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_DAY_FIRST = r"(?P<day>\d\d?)(?P<ord>st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:1[89]\d\d|2[01]\d\d)(?!\d)"
_RANGE = (
    rf"(?:(?:{_S0}[-–]{_S0}|{_S}(?:to|through){_S})(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:.,]\d))?"
)
_PREP = r"in|since|by|until|till|from|before|after|during|through|throughout|around|circa|of|for|to|between"
_NUMBER_WORDS = "|".join(sorted(_SMALL_NUMBERS, key=len, reverse=True))

_WD_BEFORE = re.compile(rf"(?<![A-Za-z])(?P<wd>{_WD_ANY}),?{_S}\Z")
_WD_MOD_BEFORE = re.compile(rf"(?<![A-Za-z])(?P<mod>(?i:last|next|this(?:{_S}coming)?|coming)){_S}\Z")
_MONTH_MOD_BEFORE = re.compile(
    rf"(?<![A-Za-z])(?P<mod>(?i:last|next|this|{_PREP})){_S}(?:(?i:early|mid|late)(?:-|{_S}))?\Z"
)
_YEAR_PREP_BEFORE = re.compile(
    rf"(?<![A-Za-z])(?P<prep>(?i:{_PREP})){_S}(?:(?i:early|mid|late)(?:-|{_S}))?\Z"
)
_EARLIER_BEFORE = re.compile(rf"(?<![A-Za-z])(?i:earlier|later){_S}\Z")
_YEAR_WORD_AFTER = re.compile(rf"{_S}(?P<mod>(?i:next|last|this)){_S}(?i:year)\b")
_LINK_AFTER = re.compile(rf"{_S0}(?:[-–]|(?i:to|until|till|through|and)){_S0}")
_OF_AFTER = re.compile(rf"{_S}(?i:of)\b")
_NUMBER_BEFORE = re.compile(rf"(?<![\w.,])(?P<n>\d{{1,4}}|(?i:{_NUMBER_WORDS})){_S}\Z")

_FUTURE_CUES = re.compile(
    r"\b(?:will|shall|(?:is|are|was|were)\s+(?:set|due|scheduled|slated|going|expected|planning)\s+to"
    r"|(?:is|are)\s+(?:set|due|scheduled|slated)\s+(?:for|on|in)"
    r"|is\s+to|are\s+to|expected|scheduled|plans?\s+to|next|upcoming|this\s+coming"
    r"|opens|begins|starts|ends|meets|convenes|resumes|expires?|(?:go|goes)\s+to\s+the\s+polls)\b|['’]ll\b",
    re.IGNORECASE,
)
_REPORTED_PAST = re.compile(
    r"(?<!be )(?<!been )(?<!to )\b(?:said|announced|told|stated|confirmed|reported|added|wrote|declared"
    r"|noted|revealed|insisted|denied|warned|met|signed|held|arrived|visited)\b"
    r"(?:[^\S\n]+\w+)?[^\S\n]+(?:on[^\S\n]+)?\Z",
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
    month_day: tuple[int, int] | None = None


@dataclass
class _Context:
    """What handlers need besides the match: the text and the page date."""

    text: str
    page: date | None

    def before(self, pattern: re.Pattern[str], start: int, width: int = 32) -> re.Match[str] | None:
        """`pattern` (ending in \\Z) matched against the text just before `start`."""
        return pattern.search(self.text, max(0, start - width), start)

    def char_before(self, start: int) -> str:
        return self.text[start - 1] if start > 0 else ""

    def sentence(self, start: int, end: int) -> str:
        """The sentence around a span, looking at most 400 characters either way."""
        lo = max(0, start - 400)
        for m in _SENTENCE_END.finditer(self.text, lo, start):
            lo = m.end()
        m_end = _SENTENCE_END.search(self.text, end, end + 400)
        return self.text[lo:m_end.end() if m_end else min(len(self.text), end + 400)]

    def future(self, start: int, end: int) -> bool:
        """A future cue in the sentence, unless a past reporting verb governs the expression."""
        if self.before(_REPORTED_PAST, start, 40):
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
    for full, index in _WEEKDAYS.items():
        if full.startswith(key):
            return index
    return None


def _clean_number_start(ctx: _Context, start: int) -> bool:
    """A number that is not the tail of a longer number, decimal, id or date."""
    return not ctx.char_before(start) or ctx.char_before(start) not in "0123456789.,-/–"


def _with_weekday(m: re.Match[str], ctx: _Context) -> tuple[int, int | None]:
    """Start of the expression and its weekday, when a weekday name comes first ('Fri 17th Jan')."""
    wd = ctx.before(_WD_BEFORE, m.start())
    if wd is None:
        return m.start(), None
    return wd.start(), _weekday_of(wd["wd"])


# Handlers: each turns one regex match into a candidate (or None to drop it).


def _full_date(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    if m.re is _DMY and not _clean_number_start(ctx, m.start()):
        return None
    d = _safe_date(int(m["year"]), _month_num(m["mon"]), _day_num(m["day"]))
    if d is None:
        return None
    start, _ = _with_weekday(m, ctx)
    return _Candidate(start, m.end(), d.isoformat(), False)


def _numeric_ymd(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    if not _clean_number_start(ctx, m.start()):
        return None
    d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    return None if d is None else _Candidate(m.start(), m.end(), d.isoformat(), False)


def _numeric_dmy(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    """dd-mm-yyyy unless that is impossible and mm-dd-yyyy is not."""
    if not _clean_number_start(ctx, m.start()):
        return None
    a, b, year = int(m["a"]), int(m["b"]), int(m["y"])
    d = _safe_date(year, b, a) or _safe_date(year, a, b)
    return None if d is None else _Candidate(m.start(), m.end(), d.isoformat(), False)


def _nearest_day(ctx: _Context, start: int, end: int, month: int, day: int, wanted: int | None) -> _Candidate:
    """A day and month without a year.

    'next year' / 'last year' / 'this year' right after it decide; otherwise the occurrence nearest the
    page date, except that a future cue in the sentence moves a past nearest occurrence to the next one.
    """
    if ctx.page is None:
        return _Candidate(start, end, None, True, (month, day))
    page = ctx.page
    if (year_word := _YEAR_WORD_AFTER.match(ctx.text, end)) is not None:
        step = {"next": 1, "last": -1}.get(year_word["mod"].lower(), 0)
        when = _safe_date(page.year + step, month, day)
        if when is not None:
            return _Candidate(start, year_word.end(), when.isoformat(), True)
    options = [d for y in (page.year - 1, page.year, page.year + 1) if (d := _safe_date(y, month, day))]
    if wanted is not None and any(d.weekday() == wanted for d in options):
        options = [d for d in options if d.weekday() == wanted]
    best = min(options, key=lambda d: abs((d - page).days))
    if best < page and ctx.future(start, end):
        best = min((d for d in options if d >= page), default=best)
    return _Candidate(start, end, best.isoformat(), True, (month, day))


def _day_month(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    """A day and month without a year (see `_nearest_day`)."""
    if m.re is _DM and not _clean_number_start(ctx, m.start()):
        return None
    month, day = _month_num(m["mon"]), _day_num(m["day"])
    if _safe_date(2000, month, day) is None:
        return None
    start, wanted = _with_weekday(m, ctx)
    return _nearest_day(ctx, start, m.end(), month, day, wanted)


_HOLIDAYS = {
    "new year's day": (1, 1), "new year’s day": (1, 1), "new year's eve": (12, 31), "new year’s eve": (12, 31),
    "christmas eve": (12, 24), "christmas day": (12, 25), "boxing day": (12, 26), "valentine's day": (2, 14),
    "valentine’s day": (2, 14), "halloween": (10, 31),
}


def _holiday(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    """Fixed-date holidays ('on Christmas Eve') resolve like a day and month."""
    month, day = _HOLIDAYS[" ".join(m.group(0).lower().split())]
    return _nearest_day(ctx, m.start(), m.end(), month, day, None)


def _month_year(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    return _Candidate(m.start(), m.end(), _ym(int(m["year"]), _month_num(m["mon"])), False)


def _prep_year(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    """A bare year only after a preposition ('in 2013'), and not when it counts something."""
    year = int(m["year"])
    prep = ctx.before(_YEAR_PREP_BEFORE, m.start())
    if prep is None or not 1900 <= year <= 2100 or _NOT_A_YEAR_AFTER.match(ctx.text, m.end()):
        return None
    counting = prep["prep"].lower() in {"of", "for", "to", "around", "between", "from"}
    if counting and (after := _WORD_AFTER.match(ctx.text, m.end())) and _looks_plural(after[1]):
        return None
    return _Candidate(prep.start(), m.end(), str(year), False)


def _relative_day(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    before = ctx.char_before(m.start())
    if before and (before.isalnum() or before in "-./@_"):
        return None
    if ctx.page is None:
        return _Candidate(m.start(), m.end(), None, True)
    word = m.group(0).lower()
    if word.startswith("day"):
        offset = -2 if word.endswith("yesterday") else 2
    else:
        offset = -1 if word.startswith(("yesterday", "last")) else 1 if word.startswith("tomorrow") else 0
    return _Candidate(m.start(), m.end(), (ctx.page + timedelta(days=offset)).isoformat(), True)


def _weekday(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    """'last', 'next' and 'this' (same week; the coming one when that day has passed and the sentence looks
    ahead) decide; else the page's own weekday is the page date, and otherwise future cues in the sentence
    point to the next occurrence, their absence to the last one."""
    if ctx.char_before(m.start()).isalpha():
        return None
    mod_match = ctx.before(_WD_MOD_BEFORE, m.start())
    start = mod_match.start() if mod_match else m.start()
    if ctx.page is None:
        return _Candidate(start, m.end(), None, True)
    wanted = _weekday_of(m["wd"])
    if wanted is None:
        return None
    mod = mod_match["mod"].lower().split() if mod_match else []
    back = (ctx.page.weekday() - wanted) % 7
    ahead = (wanted - ctx.page.weekday()) % 7
    if mod[:1] == ["last"]:
        offset = -(back or 7)
    elif mod[:1] in (["next"], ["coming"]) or mod == ["this", "coming"]:
        offset = ahead or 7
    elif mod == ["this"]:
        offset = wanted - ctx.page.weekday()
        if offset < 0 and ctx.future(start, m.end()):
            offset += 7
    elif back == 0:
        offset = 0
    elif ctx.future(start, m.end()):
        offset = ahead
    else:
        offset = -back
    return _Candidate(start, m.end(), (ctx.page + timedelta(days=offset)).isoformat(), True)


def _relative_month(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    """A month without a year after 'last', 'next', 'this' or a preposition."""
    mod_match = ctx.before(_MONTH_MOD_BEFORE, m.start())
    if mod_match is None or ctx.char_before(m.start()).isalpha():
        return None
    start = mod_match.start()
    if ctx.page is None:
        return _Candidate(start, m.end(), None, True)
    month = _month_num(m["mon"])
    mod = mod_match["mod"].lower()
    year, page_month = ctx.page.year, ctx.page.month
    if mod == "last":
        year = year if month < page_month else year - 1
    elif mod == "next":
        year = year if month > page_month else year + 1
    elif mod == "this":
        pass
    elif ctx.future(start, m.end()):
        year = year if month >= page_month else year + 1
    else:
        year = year if month <= page_month else year - 1
    return _Candidate(start, m.end(), _ym(year, month), True)


def _relative_period(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    """last/next/this year, month or week (weeks resolve to their month)."""
    if ctx.char_before(m.start()).isalpha():
        return None
    earlier = ctx.before(_EARLIER_BEFORE, m.start()) if m["mod"].lower() == "this" else None
    start = earlier.start() if earlier else m.start()
    if ctx.page is None:
        return _Candidate(start, m.end(), None, True)
    mod = m["mod"].lower()
    unit = m["unit"].lower()
    step = -1 if mod == "last" else 1 if mod == "next" else 0
    page = ctx.page
    if unit == "year":
        return _Candidate(start, m.end(), _year(page.year + step), True)
    if unit == "month":
        return _Candidate(start, m.end(), _ym(*_shift_month(page.year, page.month, step)), True)
    week = page + timedelta(days=7 * step)
    return _Candidate(start, m.end(), _ym(week.year, week.month), True)


def _shifted(page: date, n: int, unit: str) -> str:
    """The page date moved by `n` units (negative: back): a day for hours, days and weeks, a month for
    months, a year for years and decades.  Under a day ('3 hours ago') is the page date."""
    if unit in ("minute", "hour"):
        whole_days = int(n / (24 if unit == "hour" else 1440))
        return (page + timedelta(days=whole_days)).isoformat()
    if unit in ("day", "week"):
        return (page + timedelta(days=n * (7 if unit == "week" else 1))).isoformat()
    if unit == "month":
        return _ym(*_shift_month(page.year, page.month, n))
    return _year(page.year + n * (10 if unit == "decade" else 1))


def _count(raw: str) -> int:
    raw = raw.lower()
    return int(raw) if raw.isdigit() else _SMALL_NUMBERS[raw]


def _ago(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    """'N days ago' to a day, 'N months ago' to a month, 'N years (decades) ago' to a year."""
    number = ctx.before(_NUMBER_BEFORE, m.start(), 16)
    if number is None:
        return None
    if ctx.page is None:
        return _Candidate(number.start(), m.end(), None, True)
    return _Candidate(number.start(), m.end(), _shifted(ctx.page, -_count(number["n"]), m["unit"].lower()), True)


def _ahead(m: re.Match[str], ctx: _Context) -> _Candidate | None:
    """'N days from now' always; 'in N weeks' only where the sentence looks ahead and it is no duration
    ('advanced 20 km in two weeks', 'in three days of talks')."""
    if ctx.char_before(m.start()).isalnum():
        return None
    if m["in"] and (not ctx.future(m.start(), m.end()) or _OF_AFTER.match(ctx.text, m.end())):
        return None
    if ctx.page is None:
        return _Candidate(m.start(), m.end(), None, True)
    return _Candidate(m.start(), m.end(), _shifted(ctx.page, _count(m["n"]), m["unit"].lower()), True)


_Handler = Callable[[re.Match[str], _Context], _Candidate | None]

_MDY = re.compile(rf"{_MON}{_S0}(?P<day>{_DAY}){_RANGE}(?:,{_S0}|{_S}|{_S0}/{_S0})(?P<year>{_YEAR})")
_DMY = re.compile(rf"{_DAY_FIRST}{_RANGE}{_S}(?:of{_S})?{_MON},?{_S}(?P<year>{_YEAR})")
_MD = re.compile(rf"{_MON}{_S0}(?P<day>{_DAY}){_RANGE}(?![^\S\n]*[/:]\d)")
_DM = re.compile(rf"{_DAY_FIRST}{_RANGE}{_S}(?:of{_S})?{_MON}")
_PATTERNS: list[tuple[re.Pattern[str], _Handler]] = [
    (_MDY, _full_date),
    (_DMY, _full_date),
    (re.compile(
        r"(?P<y>1[89]\d\d|2[01]\d\d)(?P<sep>[-/.])(?P<m>1[0-2]|0?[1-9])(?P=sep)"
        r"(?P<d>3[01]|[12]\d|0?[1-9])(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?(?!\d)"
    ), _numeric_ymd),
    (re.compile(
        r"(?P<a>\d\d?)(?P<sep>[-/.])(?P<b>\d\d?)(?P=sep)(?P<y>1[89]\d\d|2[01]\d\d)(?!\d|[-/.]\d)"
    ), _numeric_dmy),
    (_MD, _day_month),
    (_DM, _day_month),
    (re.compile(rf"{_MON}{_S}(?:of{_S})?(?P<year>{_YEAR})(?![.,]\d)"), _month_year),
    (re.compile(r"(?P<year>\d\d\d\d)(?!\d|[.,]\d)"), _prep_year),
    (re.compile(
        word_trie(all_cases([
            "today", "tonight", "tomorrow", "yesterday", "this morning", "this afternoon", "this evening",
            "last night", "day before yesterday", "day after tomorrow",
        ])) + r"(?![A-Za-z]|[-./@]\w)"
    ), _relative_day),
    (re.compile(_WD_FULL), _weekday),
    (re.compile(rf"{_MON_NAMED}(?![^\S\n]*,?[^\S\n]*\d)"), _relative_month),
    (re.compile(
        rf"(?P<mod>{word_trie(all_cases(['last', 'next', 'this']))}){_S}(?P<unit>(?i:year|month|week))\b"
    ), _relative_period),
    (re.compile(
        rf"(?P<unit>{word_trie(all_cases(['minute', 'hour', 'day', 'week', 'month', 'year', 'decade']))})"
        rf"(?i:s)?{_S}"
        r"(?i:ago)\b"
    ), _ago),
    (re.compile(
        rf"(?:(?P<in>(?i:in)){_S})?(?P<n>\d{{1,3}}|(?i:{_NUMBER_WORDS})){_S}"
        rf"(?P<unit>(?i:day|week|month|year))(?i:s)?(?(in)|{_S}(?i:from{_S}now))\b"
    ), _ahead),
    (re.compile(
        r"(?i:new[^\S\n]+year['’]s[^\S\n]+(?:day|eve)|christmas[^\S\n]+(?:eve|day)|boxing[^\S\n]+day"
        r"|valentine['’]s[^\S\n]+day|halloween)\b"
    ), _holiday),
]

# Every expression contains one of these; the patterns only run near them.
_ANCHORS = re.compile(
    r"\d+|"
    + word_trie(_capital_cases([*_MONTH_ABBR, "may", *_WEEKDAY_ABBR])
            + all_cases(["today", "tonight", "tomorrow", "yesterday", "ago", "last", "next", "this", "now",
                         "christmas", "day", "week", "month", "year", "boxing", "valentine", "halloween"]))
)
_MARGIN = 48


def _windows(text: str, anchors: re.Pattern[str], margin: int) -> list[tuple[int, int]]:
    """Merged stretches of text around anchor matches, wide enough to hold any whole expression."""
    spans: list[tuple[int, int]] = []
    for m in anchors.finditer(text):
        lo, hi = max(0, m.start() - margin), min(len(text), m.end() + margin)
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], hi)
        else:
            spans.append((lo, hi))
    return spans


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
    windows = _windows(text, _ANCHORS, _MARGIN)
    for pattern, handler in _PATTERNS:
        for lo, hi in windows:
            for m in pattern.finditer(text, lo, hi):
                try:
                    cand = handler(m, ctx)
                except (ValueError, OverflowError, KeyError):
                    cand = None
                if cand is not None:
                    candidates.append(cand)
    chosen = _settle(candidates)
    _years_from_range_partner(text, chosen)
    return [
        DateMention(text=text[c.start:c.end], start=c.start, end=c.end, value=c.value, relative=c.relative)
        for c in chosen
    ]


def _years_from_range_partner(text: str, chosen: list[_Candidate]) -> None:
    """A day and month linked to a dated end of a range take that year: 'from 1 January to 30 June 2024'.

    The start is in the partner's year, or the year before when its day falls after the partner's.
    """
    for first, second in itertools.pairwise(chosen):
        if first.month_day is None or second.relative or second.value is None or len(second.value) != 10:
            continue
        link = _LINK_AFTER.match(text, first.end)
        if link is None or link.end() != second.start:
            continue
        end = date.fromisoformat(second.value)
        month, day = first.month_day
        year = end.year if (month, day) <= (end.month, end.day) else end.year - 1
        when = _safe_date(year, month, day)
        if when is not None:
            first.value, first.relative = when.isoformat(), False


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
