"""Find numbers with their units in text, with regular expressions.

A quantity is read left to right from a number (digits, words, or a currency
sign and digits): a scale word, then a unit from a fixed table, or failing that
a plural noun that makes it a count.  Afterwards an "of X" phrase names what is
measured and a rate phrase ("a year", "per day") gives the denominator.  Numbers
that are labels, ids, clock times, phone numbers, ordinals or parts of dates are
not quantities and are dropped.  Everything here is a regex plus a few table
lookups, so it keeps up with whole pages.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsdossier.model import DateMention, QuantityMention
from newsdossier.understand.time import all_cases, find_dates, word_trie

__all__ = ["find_quantities", "singular"]

_SP = r"[^\S\n]"

_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9,
}
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "bln": 1e9, "tn": 1e12, "trn": 1e12,
    "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7,
}
_NUMBER_WORDS = [*_UNITS_WORDS, *_TEENS, *_TENS, "hundred", "thousand", "million", "billion", "trillion",
                 "dozen"]
_NUMBER_SET = frozenset(_NUMBER_WORDS)
_WORD = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))

_CURRENCY_SIGNS = {
    "$": "USD", "us$": "USD", "us $": "USD", "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD",
    "hk$": "HKD", "s$": "SGD", "nz$": "NZD", "€": "EUR", "£": "GBP", "₹": "INR", "₽": "RUB", "rs": "INR",
    "rs.": "INR", "usd": "USD", "eur": "EUR", "gbp": "GBP", "rub": "RUB", "cny": "CNY", "rmb": "CNY",
    "inr": "INR", "jpy": "JPY",
}

_DIGITS = re.compile(r"\d\d*(?:,\d{3})*(?:\.\d+)?")
_NUMBER_WORDS_RE = re.compile(
    rf"{word_trie(all_cases(_NUMBER_WORDS))}(?:(?:-|{_SP}{{1,3}}(?:(?i:and){_SP}{{1,3}})?)(?i:{_WORD})){{0,8}}\b"
)
_DECADE_WORDS = re.compile(rf"{word_trie(all_cases(['decade', 'decades', 'century']))}\b")
_CURRENCY_BEFORE = re.compile(
    r"(?P<cur>(?:US|AU|CA|HK|NZ|[ACS])?\$|US \$|[€£₹₽]|(?<![A-Za-z])Rs\.?"
    r"|(?<![A-Za-z])(?:USD|EUR|GBP|RUB|CNY|RMB|INR|JPY))[^\S\n]?\Z"
)
_ARTICLE_BEFORE = re.compile(rf"(?<![A-Za-z])(?i:(?:half{_SP}+)?an?){_SP}+\Z")


@dataclass
class _Number:
    """A number as written: where it starts (sign or currency included), where its digits or words end."""

    start: int
    end: int
    value: float
    digits: str = ""
    currency: str | None = None
    words: str = ""


@dataclass(frozen=True)
class _Unit:
    unit: str
    dimension: str
    factor: float = 1.0
    per: str | None = None


# (regex fragment, unit); fragments are tried in order, so longer forms come first.
_UNIT_TABLE: list[tuple[str, _Unit]] = [
    (r"(?i:percentage[ -]points?)", _Unit("percentage point", "percent")),
    (r"(?i:per[ -]?cent\b|pct\b)|%", _Unit("percent", "percent")),
    (r"(?i:cubic[ -]met(?:re|er)s?|cu\.?[ ]?m\b)|m3\b|m³", _Unit("cubic metre", "volume")),
    (r"(?i:bcm)\b", _Unit("cubic metre", "volume", 1e9)),
    (r"(?i:tcm)\b", _Unit("cubic metre", "volume", 1e12)),
    (r"(?i:bpd|b/d)\b", _Unit("barrel", "volume", per="day")),
    (r"(?i:barrels?|bbls?)\b", _Unit("barrel", "volume")),
    (r"(?i:lit(?:re|er)s?)\b", _Unit("litre", "volume")),
    (r"(?i:gallons?)\b", _Unit("gallon", "volume")),
    (r"(?i:mtpa)\b", _Unit("tonne", "mass", 1e6, "year")),
    (r"(?i:tonnes?|metric[ ]tons?|tons?)\b", _Unit("tonne", "mass")),
    (r"(?i:kilo(?:gram)?s?|kgs?)\b", _Unit("kilogram", "mass")),
    (r"(?i:lbs?)\b", _Unit("pound", "mass")),
    (r"(?i:km/h|kph|kmh|kilomet(?:re|er)s[ ]per[ ]hour)\b", _Unit("kilometre per hour", "speed")),
    (r"(?i:mph|miles[ ]per[ ]hour)\b", _Unit("mile per hour", "speed")),
    (r"(?i:square[ ]kilomet(?:re|er)s?|sq\.?[ ]?km)\b|km2\b|km²", _Unit("square kilometre", "area")),
    (r"(?i:square[ ]miles?|sq\.?[ ]?mi)\b", _Unit("square mile", "area")),
    (r"(?i:square[ ]met(?:re|er)s?|sq\.?[ ]?m)\b|m2\b|m²", _Unit("square metre", "area")),
    (r"(?i:hectares?)\b", _Unit("hectare", "area")),
    (r"(?i:acres?)\b", _Unit("acre", "area")),
    (r"(?i:kilomet(?:re|er)s?|kms?)\b", _Unit("kilometre", "length")),
    (r"(?i:nautical[ ]miles?)\b", _Unit("nautical mile", "length")),
    (r"(?i:miles?)\b", _Unit("mile", "length")),
    (r"(?i:centimet(?:re|er)s?)\b|cm\b", _Unit("centimetre", "length")),
    (r"(?i:millimet(?:re|er)s?)\b|mm\b", _Unit("millimetre", "length")),
    (r"(?i:met(?:re|er)s?)\b", _Unit("metre", "length")),
    (r"(?i:feet|foot|ft)\b", _Unit("foot", "length")),
    (r"(?i:kilowatt[- ]?hours?)\b|kWh\b", _Unit("kilowatt hour", "energy")),
    (r"(?i:megawatt[- ]?hours?)\b|MWh\b", _Unit("megawatt hour", "energy")),
    (r"(?i:gigawatt[- ]?hours?)\b|GWh\b", _Unit("gigawatt hour", "energy")),
    (r"(?i:terawatt[- ]?hours?)\b|TWh\b", _Unit("terawatt hour", "energy")),
    (r"(?i:kilowatts?)\b|kWe?\b", _Unit("kilowatt", "power")),
    (r"(?i:megawatts?)\b|MWe?\b", _Unit("megawatt", "power")),
    (r"(?i:gigawatts?)\b|GWe?\b", _Unit("gigawatt", "power")),
    (r"(?i:degrees?[ ]celsius)\b|°C\b|ºC\b", _Unit("degree Celsius", "temperature")),
    (r"(?i:degrees?[ ]fahrenheit)\b|°F\b|ºF\b", _Unit("degree Fahrenheit", "temperature")),
    (r"(?i:decades?)\b", _Unit("year", "duration", 10)),
    (r"(?i:centur(?:y|ies))\b", _Unit("year", "duration", 100)),
    (r"(?i:years?|yrs?)\b", _Unit("year", "duration")),
    (r"(?i:months?)\b", _Unit("month", "duration")),
    (r"(?i:weeks?)\b", _Unit("week", "duration")),
    (r"(?i:days?)\b", _Unit("day", "duration")),
    (r"(?i:hours?|hrs?)\b", _Unit("hour", "duration")),
    (r"(?i:minutes?|mins?)\b", _Unit("minute", "duration")),
    (r"(?i:seconds?|secs?)\b", _Unit("second", "duration")),
    (r"(?i:(?:us[ ])?dollars?)\b|USD\b", _Unit("USD", "money")),
    (r"(?i:euros?)\b|EUR\b", _Unit("EUR", "money")),
    (r"(?i:pounds?(?:[ ]sterling)?|sterling)\b|GBP\b", _Unit("GBP", "money")),
    (r"(?i:roubles?|rubles?)\b|RUB\b", _Unit("RUB", "money")),
    (r"(?i:yuan|renminbi)\b|CNY\b|RMB\b", _Unit("CNY", "money")),
    (r"(?i:rupees?)\b|INR\b", _Unit("INR", "money")),
    (r"(?i:yen)\b|JPY\b", _Unit("JPY", "money")),
    (r"(?i:rials?)\b|IRR\b", _Unit("IRR", "money")),
]
_UNIT_RE = re.compile(
    rf"(?P<sep>{_SP}{{0,2}}|-)(?:"
    + "|".join(f"(?P<u{i}>{frag})" for i, (frag, _) in enumerate(_UNIT_TABLE))
    + ")"
)
_GLUED_METRE = re.compile(r"m(?![A-Za-z0-9²³])")
_SCALE_RE = re.compile(
    rf"(?:{_SP}?|-)(?P<scale>(?i:thousand|million|billion|trillion|bn|mn|mln|bln|tn|trn|lakhs?|crores?))"
    r"(?![A-Za-z])"
)
_GLUED_SCALE = re.compile(r"(?P<scale>[kKmM])(?![A-Za-z0-9])")
_WORD_AFTER = re.compile(rf"({_SP}+|-)([A-Za-z][A-Za-z]*(?:-[A-Za-z]+)*)")
_OF_PHRASE = re.compile(rf"(?:{_SP}*\([^()\n]{{1,24}}\))?{_SP}+of{_SP}+(?:(?:the|a|an){_SP}+)?")
_PHRASE_WORD = re.compile(rf"({_SP}*)([A-Za-z][A-Za-z'’-]*)")
_RATE = re.compile(
    rf"(?:{_SP}+|-|/)(?:(?i:a|an|each|every|per)(?:{_SP}+|-)(?P<unit>(?i:year|month|week|day|hour|annum))\b"
    rf"(?!{_SP}+(?i:earlier|before|ago|later|after|on)\b)"
    rf"|(?i:per){_SP}+(?P<noun>[a-z]+)\b|(?P<adv>(?i:annually|yearly|daily|monthly|weekly|hourly))\b)"
    rf"|/(?P<slash>(?i:yr|y|year|day|d|month|week|h|hr))\b"
)
_CLOCK_AFTER = re.compile(
    rf"{_SP}*(?:(?i:a\.m\.|p\.m\.|am\b|pm\b)|(?:GMT|UTC|IST|BST|CET|EST|EDT|PST|MSK)\b)"
)
_APPROX = re.compile(
    rf"(?:\b(?i:about|around|roughly|nearly|almost|some|approximately|approx\.|(?:an{_SP}+)?estimated"
    rf"|up{_SP}+to"
    rf"|more{_SP}+than|over|at{_SP}+least|less{_SP}+than|fewer{_SP}+than|close{_SP}+to|upwards{_SP}+of"
    rf"|as{_SP}+(?:many|much){_SP}+as|circa|under|below|above|just{_SP}+(?:over|under))|~){_SP}*\Z"
)
_DIGIT_GROUP_BEFORE = re.compile(r"\d[^\S\n]\Z")
_DIGIT_GROUP_AFTER = re.compile(r"[^\S\n]\d")
_LABEL_BEFORE = re.compile(
    rf"(?:(?<![\w.])(?i:article|art\.|section|sec\.|chapter|clause|paragraph|para\.?|resolution|rule|page"
    rf"|pp?\.|no\.|nos\.|number|flight|route|room|level|phase|stage|part|volume|vol\.|episode|season"
    rf"|table|figure|fig\.|item|amendment|title|category|grade|class|gate|terminal|platform|block|highway"
    rf"|road|street|avenue|channel|version|model|step|question|appendix|annex|protocol|district|zone"
    rf"|sector|exit|apartment|suite|floor|row|seat|tier|division|unit|pillar|principle)|#|№){_SP}*\Z"
)
_YEAR_CONTEXT_BEFORE = re.compile(
    rf"\b(?i:the|its|their|his|her|our|this|that|last|next|in|of|for|since|by|from|to|until|during|after"
    rf"|before|at|on){_SP}+\Z"
)

_FUNCTION_WORD_LINES = """
a an the of to in on at by for with and or but nor so yet if as than then that which who whom whose this
these those it its he she they them their his her hers our ours we you your i me my us is are was were be
been being has have had do does did will would can could may might must shall should not no from into onto
upon per about over under after before since until during while up down out off more most less least very
also just only even still again each every all any some such other another own same both either neither
here there where when why how what whatever one ones am pm times time others percent way ways plus minus
says said means seems remains includes becomes comes goes makes takes gets gives shows looks needs wants
knows thinks tells asks believes appears allows requires represents marks suggests involves aims hopes
per cent against between among across through toward towards via within without ago later earlier
hundreds thousands millions billions dozens tens thus yes
"""
_FUNCTION_WORDS = frozenset(_FUNCTION_WORD_LINES.split())
_MODIFIERS = frozenset({"more", "other", "new", "further", "extra", "additional", "full", "straight"})
_NOT_COUNT_NOUNS = frozenset({
    "hundreds", "thousands", "millions", "billions", "dozens", "tens", "times", "ones", "others", "ago",
    "series", "news", "percent", "apiece", "odds", "days", "years", "months", "weeks", "hours",
})
_FRACTIONS = frozenset({
    "half", "halves", "third", "thirds", "quarter", "quarters", "fourth", "fourths", "fifth", "fifths",
    "sixth", "sixths", "seventh", "eighth", "ninth", "tenth", "tenths", "fold", "hundredth", "thousandth",
    "time", "on", "off", "way", "to", "of", "and", "or", "by", "for", "in",
})
_IRREGULAR = {
    "people": "person", "children": "child", "men": "man", "women": "woman", "feet": "foot",
    "teeth": "tooth", "mice": "mouse", "geese": "goose", "lives": "life", "wives": "wife",
    "knives": "knife", "leaves": "leaf", "thieves": "thief", "wolves": "wolf", "shelves": "shelf",
    "analyses": "analysis", "crises": "crisis", "theses": "thesis", "diagnoses": "diagnosis",
    "criteria": "criterion", "phenomena": "phenomenon", "police": "police", "staff": "staff",
    "personnel": "personnel", "aircraft": "aircraft", "spacecraft": "spacecraft", "cattle": "cattle",
    "sheep": "sheep", "fish": "fish", "deer": "deer", "troops": "troop", "movies": "movie",
    "cookies": "cookie", "calories": "calorie", "ties": "tie", "lies": "lie", "pies": "pie",
    "species": "species", "series": "series", "shoes": "shoe", "canoes": "canoe", "toes": "toe",
    "buses": "bus", "gases": "gas", "taxes": "tax", "boxes": "box", "indices": "index",
    "bases": "base", "cases": "case", "houses": "house", "horses": "horse", "courses": "course",
    "phases": "phase", "purposes": "purpose", "releases": "release", "responses": "response",
    "clauses": "clause", "causes": "cause", "uses": "use", "doses": "dose", "nurses": "nurse",
    "promises": "promise", "exercises": "exercise", "premises": "premises", "licenses": "license",
    "expenses": "expense", "senses": "sense", "noses": "nose", "vases": "vase", "franchises": "franchise",
    "enterprises": "enterprise", "databases": "database", "warehouses": "warehouse",
    "gas": "gas", "bias": "bias", "atlas": "atlas", "canvas": "canvas", "alias": "alias", "lens": "lens",
    "chaos": "chaos", "physics": "physics", "economics": "economics", "politics": "politics",
}
_PLURAL_ONLY = frozenset({"police", "staff", "personnel", "aircraft", "spacecraft", "cattle"})


def singular(word: str) -> str:
    """English singular of a plural noun by rule, with the common irregular cases listed."""
    low = word.lower()
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    if low.endswith("ies") and len(low) > 4:
        return low[:-3] + "y"
    if low.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return low[:-2]
    if low.endswith("oes") and len(low) > 4:
        return low[:-2]
    if low.endswith("s") and not low.endswith(("ss", "us", "is")):
        return low[:-1]
    return low


_PLURALS: dict[str, str] = {}
for _plural, _single in _IRREGULAR.items():
    if _plural != _single and not _plural.endswith("ies"):
        _PLURALS.setdefault(_single, _plural)


def plural(word: str) -> str:
    """English plural of a singular noun, the inverse of `singular` (diagnosis -> diagnoses, country -> countries)."""
    low = word.lower()
    if low in _PLURALS:
        return _PLURALS[low]
    if _IRREGULAR.get(low) == low and (not low.endswith("s") or low.endswith("es")):
        return word  # the same in both numbers: aircraft, sheep, species, premises
    if low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        return word[:-1] + "ies"
    if low.endswith("is") and len(low) > 3:
        return word[:-2] + "es"
    if low.endswith(("s", "sh", "ch", "x", "z")):
        return word + "es"
    return word + "s"


def _is_plural(word: str) -> bool:
    low = word.lower()
    if low in _FUNCTION_WORDS or low in _NOT_COUNT_NOUNS:
        return False
    if low in _IRREGULAR:
        return low in _PLURAL_ONLY or low != _IRREGULAR[low]
    return (
        len(low) > 2 and low.endswith("s") and not low.endswith(("ss", "us", "is", "ous", "'s", "’s"))
    )


@dataclass
class _Reading:
    start: int
    end: int
    value: float
    unit: str
    dimension: str
    per: str | None = None


def _word_value(text: str) -> tuple[float, int] | None:
    """Value of a run of number words and the length of its valid prefix ('two three' reads 'two')."""
    total, current, last, used, half = 0.0, 0.0, "", 0, False
    for tok in re.finditer(r"[A-Za-z]+", text):
        w = tok.group(0).lower()
        if w == "half" and not last:
            half, last = True, "half"
        elif w in ("a", "an") and last in ("", "half"):
            current, last = 1, "a"
        elif w == "and":
            if last not in ("hundred", "scale"):
                break
            continue
        elif w in _UNITS_WORDS and last in ("", "tens", "hundred", "scale"):
            current += _UNITS_WORDS[w]
            last = "unit"
        elif w in _TEENS and last in ("", "hundred", "scale"):
            current += _TEENS[w]
            last = "teen"
        elif w in _TENS and last in ("", "hundred", "scale"):
            current += _TENS[w]
            last = "tens"
        elif w == "hundred" and last in ("", "a", "unit"):
            current = (current or 1) * 100
            last = "hundred"
        elif w == "dozen" and last in ("", "a", "unit", "teen", "tens"):
            current = (current or 1) * 12
            last = "dozen"
        elif w in ("thousand", "million", "billion", "trillion") and last in (
            "", "a", "unit", "teen", "tens", "hundred", "dozen"
        ):
            total += (current or 1) * _SCALES[w]
            current = 0
            last = "scale"
        else:
            break
        used = tok.end()
    if used == 0:
        return None
    value = total + current
    return (value / 2 if half else value), used


def _in_spans(starts: list[int], ends: list[int], s: int, e: int) -> bool:
    i = bisect.bisect_right(starts, s) - 1
    if i >= 0 and ends[i] > s:
        return True
    j = bisect.bisect_left(starts, s)
    return j < len(starts) and starts[j] < e


def _digits_excluded(text: str, s: int, e: int) -> bool:
    """Ids, phone numbers, clock times, ranges, citations and labels around a run of digits."""
    before = text[s - 1] if s > 0 else ""
    before2 = text[s - 2] if s > 1 else ""
    after = text[e] if e < len(text) else ""
    after2 = text[e + 1] if e + 1 < len(text) else ""
    if before in "+[#№" and before:
        return True
    if before and before in "-–‐" and before2 and (before2.isalnum() or before2 in "-+"):
        return True
    if before in "/:." and before and before2.isdigit():
        return True
    if after and after in ":/-–.,_" and after2.isdigit():
        return True
    if before == "(" and after == ")":
        return True
    digits = text[s:e]
    if digits.isdigit() and (len(digits) >= 8 or (len(digits) > 1 and digits[0] == "0")):
        return True
    if _DIGIT_GROUP_BEFORE.search(text, max(0, s - 2), s) or _DIGIT_GROUP_AFTER.match(text, e):
        return True
    if _CLOCK_AFTER.match(text, e) and int(float(digits.replace(",", ""))) <= 24:
        return True
    return bool(_LABEL_BEFORE.search(text, max(0, s - 16), s))


def _read_unit(text: str, pos: int) -> tuple[_Unit, int] | None:
    m = _UNIT_RE.match(text, pos)
    if m is None or m.lastgroup is None:
        return None
    return _UNIT_TABLE[int(m.lastgroup[1:])][1], m.end()


def _read_noun(text: str, pos: int, value: float) -> tuple[_Unit, int] | None:
    """A counted noun: a singular word after a hyphen ('47-article'), else a plural within 3 words.

    A unit after modifiers ('two more years') is read as that unit.
    """
    m = _WORD_AFTER.match(text, pos)
    if m is None:
        return None
    if m.group(1) == "-":
        word = m.group(2).split("-")[0]
        low = word.lower()
        if (value == 1 or low in _FUNCTION_WORDS or low in _FRACTIONS or len(low) < 3
                or low.endswith(("ed", "ing", "ly", "er", "est"))):
            return None
        return _Unit(singular(word), "count"), m.start(2) + len(word)
    for i in range(3):
        if i > 0 and (unit := _read_unit(text, m.start())) is not None:
            return unit
        word = m.group(2)
        low = word.lower()
        if (low in _FUNCTION_WORDS and low not in _MODIFIERS) or low in _NOT_COUNT_NOUNS | _NUMBER_SET:
            return None
        if _is_plural(word):
            return (_Unit(singular(word), "count"), m.end()) if value != 1 else None
        m = _WORD_AFTER.match(text, m.end())
        if m is None or m.group(1) == "-":
            return None
    return None


def _read_measured(text: str, pos: int) -> tuple[str, int] | None:
    """The head of an 'of X' phrase: the last word before a function word, verb-like word or break."""
    m = _OF_PHRASE.match(text, pos)
    if m is None:
        return None
    p, head, end = m.end(), "", pos
    for i in range(4):
        w = _PHRASE_WORD.match(text, p)
        if w is None or (i == 0 and w.group(1)) or (i > 0 and not w.group(1)):
            break
        word = w.group(2)
        low = word.lower()
        if low in _FUNCTION_WORDS or low.endswith("ly") or (i > 0 and low.endswith(("ed", "ing"))):
            break
        possessive = low.endswith(("'s", "’s"))
        head, end, p = ("" if possessive else low.rstrip("'’")), w.end(), w.end()
    return (head, end) if head else None


def _read_rate(text: str, pos: int) -> str | None:
    m = _RATE.match(text, pos)
    if m is None:
        return None
    if m["unit"]:
        u = m["unit"].lower()
        return "year" if u == "annum" else u
    if m["noun"]:
        noun = m["noun"].lower()
        if noun in _FUNCTION_WORDS or noun == "cent":
            return None
        return "person" if noun in ("capita", "head") else singular(noun)
    if m["adv"]:
        return {"annually": "year", "yearly": "year", "daily": "day", "monthly": "month",
                "weekly": "week", "hourly": "hour"}[m["adv"].lower()]
    return {"yr": "year", "y": "year", "year": "year", "day": "day", "d": "day", "month": "month",
            "week": "week", "h": "hour", "hr": "hour"}[m["slash"].lower()]


def _numbers(text: str) -> list[_Number]:
    """Candidate numbers in order: digit runs, number words, and 'a decade' / 'half a century'."""
    found: list[_Number] = []
    for m in _DIGITS.finditer(text):
        s, e = m.span()
        before = text[s - 1] if s > 0 else ""
        if before and (before.isalnum() or before in "_."):
            continue
        if _digits_excluded(text, s, e):
            continue
        number = _Number(s, e, float(m.group(0).replace(",", "")), digits=m.group(0))
        cur = _CURRENCY_BEFORE.search(text, max(0, s - 5), s)
        if cur is not None:
            number.start, number.currency = cur.start(), _CURRENCY_SIGNS.get(cur["cur"].lower())
        elif before and before in "-−" and (s < 2 or not text[s - 2].isalnum()):
            number.start, number.value = s - 1, -number.value
        found.append(number)
    pos = 0
    while (w := _NUMBER_WORDS_RE.search(text, pos)) is not None:
        pos = w.end()
        if w.start() > 0 and text[w.start() - 1].isalpha():
            continue
        start = w.start()
        first = w.group(0).split()[0].split("-")[0].lower()
        if first in ("dozen", "hundred", "thousand", "million", "billion", "trillion"):
            article = _ARTICLE_BEFORE.search(text, max(0, start - 10), start)
            start = article.start() if article else start
        parsed = _word_value(text[start:w.end()])
        if parsed is not None:
            found.append(_Number(start, start + parsed[1], parsed[0], words=text[start:start + parsed[1]]))
            pos = max(w.start() + 1, start + parsed[1])
    for m in _DECADE_WORDS.finditer(text):
        article = _ARTICLE_BEFORE.search(text, max(0, m.start() - 10), m.start())
        if article is not None and (parsed := _word_value(article.group(0))) is not None:
            a = article.start()
            found.append(_Number(a, a + parsed[1], parsed[0], words=article.group(0)))
    found.sort(key=lambda n: n.start)
    return found


def _read(text: str, number: _Number) -> _Reading | None:
    """One quantity from a number, or None when the number is not a quantity."""
    value, start, pos = number.value, number.start, number.end
    scaled = False
    if number.digits or not number.words.lower().endswith(("thousand", "million", "billion", "trillion")):
        sm = _SCALE_RE.match(text, pos)
        if sm is not None:
            value *= _SCALES[sm["scale"].lower()]
            pos, scaled = sm.end(), True
        elif number.digits and (gm := _GLUED_SCALE.match(text, pos)) is not None:
            letter = gm["scale"].lower()
            if number.currency or letter == "k" or _read_noun(text, gm.end(), 2) is not None:
                value *= _SCALES[letter]
                pos, scaled = gm.end(), True
    if number.currency:
        return _Reading(start, pos, value, number.currency, "money")
    unit = _read_unit(text, pos)
    if unit is None and number.digits and not scaled and _GLUED_METRE.match(text, pos):
        unit = (_Unit("metre", "length"), pos + 1)
    if unit is None:
        if number.digits and pos < len(text) and text[pos].isalpha():
            return None
        unit = _read_noun(text, pos, value)
        if unit is None:
            return None
        digits = number.digits
        if (unit[0].dimension == "count" and len(digits) == 4 and digits.isdigit()
                and 1800 <= int(digits) <= 2100
                and _YEAR_CONTEXT_BEFORE.search(text, max(0, start - 12), start)):
            return None
    u, end = unit
    return _Reading(start, end, value * u.factor, u.unit, u.dimension, u.per)


def find_quantities(text: str, dates: Sequence[DateMention] | None = None) -> list[QuantityMention]:
    """Every quantity in `text`, in order, with spans covering number, scale and unit.

    Numbers inside date expressions are not quantities; pass the text's `dates` if already found.
    """
    if dates is None:
        dates = find_dates(text, None)
    starts = [d.start for d in dates]
    ends = [d.end for d in dates]
    found: list[QuantityMention] = []
    pos = 0
    for number in _numbers(text):
        if number.start < pos or _in_spans(starts, ends, number.start, number.end):
            continue
        reading = _read(text, number)
        if reading is None:
            continue
        per = reading.per
        measured = None
        after = reading.end
        if reading.dimension not in ("count", "duration"):
            got = _read_measured(text, after)
            if got is not None:
                measured, after = got
        if per is None:
            per = _read_rate(text, after)
        approximate = _APPROX.search(text, max(0, reading.start - 24), reading.start) is not None
        found.append(QuantityMention(
            text=text[reading.start:reading.end], start=reading.start, end=reading.end, value=reading.value,
            unit=reading.unit, dimension=reading.dimension, approximate=approximate, per=per,
            measured=measured,
        ))
        pos = reading.end
    return found
