"""Classify the lines of a page dump as prose, headings, tables or page furniture.

The idea is jusText's: prose has length and a high share of stopwords, furniture is
short, repetitive or made of UI vocabulary.  Lines are judged alone here; the
structure of the page (where the article runs, where comments start) is decided in
`textdump` from these labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources

from newsdossier.clean.language import stopwords
from newsdossier.understand.time import parse_date


class Kind(StrEnum):
    BLANK = "blank"
    JUNK = "junk"  # no words: separators, file names, markup residue, bare numbers and URLs
    NAV = "nav"  # breadcrumbs
    UI = "ui"  # page furniture named by UI vocabulary
    META = "meta"  # byline / dateline
    CAPTION = "caption"
    REACTION = "reaction"  # "Like 3", "Thumbs Up 1"
    TABLE = "table"
    GOOD = "good"  # prose
    HEADING = "heading"
    SHORT = "short"


_WORD = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_MARKUP = re.compile(r"</?[a-zA-Z][^>]*>|^[\w-]*\"?>$|\w+=\"|\"\s*>\s*$|^\{.*\}$|^[\w-]+\">")
_FILE = re.compile(r"^\S+\.(png|jpe?g|gif|webp|svg|bmp|ico|mp4|webm|pdf)$", re.IGNORECASE)
_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
_REACTION = re.compile(r"^[^\w]*[^\W\d_][^\W\d_ ]*(?: [^\W\d_]+){0,2}\s+\d{1,6}$", re.UNICODE)
_BREADCRUMB = re.compile(r"\s(?:»|›|>|/|\\)\s")
_BULLET = re.compile(r"^\s*(?:[•●▪◦·*\-–]|\d{1,2}[.)])\s+")
_MD_WRAP = re.compile(r"^(\*\*|__)(.+)\1$")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_DATE_LABEL = re.compile(
    r"\b(updated|published|posted|created|modified|last updated|date)\b\s*(on)?\s*:?", re.IGNORECASE
)
_CAPTION = re.compile(r"\b(image|photo|picture|photograph|video)\s*(credit|source|courtesy)?\s*:", re.IGNORECASE)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+")
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)\]]*$")


@dataclass(frozen=True)
class Line:
    """One input line with what classification needs."""

    index: int
    raw: str
    text: str  # stripped of markdown wrappers and bullets
    kind: Kind
    words: int
    bullet: bool


@lru_cache(maxsize=1)
def ui_phrases() -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    """Single-word and multi-word UI phrases from the shipped data file."""
    text = resources.files("newsdossier.data").joinpath("ui_phrases.txt").read_text("utf-8")
    phrases = [p.strip().lower() for p in text.splitlines() if p.strip() and not p.startswith("#")]
    single = frozenset(p for p in phrases if " " not in p)
    multi = tuple(re.compile(r"\b" + re.escape(p) + r"\b") for p in phrases if " " in p)
    return single, multi


def is_ui(text: str, words: list[str]) -> bool:
    """Page furniture: a very short line with a UI word, or short sentences most of which use UI phrases."""
    single, multi = ui_phrases()
    if len(words) <= 4 and any(w.lower() in single for w in words):
        return True
    sentences = [s for s in _SENTENCE_SPLIT.split(text.lower()) if s.strip()]
    if not sentences or any(len(s.split()) > 30 for s in sentences):
        return False
    with_phrase = sum(1 for s in sentences if any(p.search(s) for p in multi))
    return with_phrase * 2 >= len(sentences)


def strip_markup(raw: str) -> tuple[str, bool]:
    """Remove markdown emphasis/heading marks and list bullets; say whether it was a bullet."""
    text = raw.strip().replace("\u00a0", " ")
    text = _MD_HEADING.sub("", text)
    m = _MD_WRAP.match(text)
    if m:
        text = m.group(2).strip()
    bullet = bool(_BULLET.match(text))
    if bullet:
        text = _BULLET.sub("", text, count=1).strip()
    return re.sub(r"[ \t]+", " ", text), bullet


def is_meta(text: str, words: list[str]) -> bool:
    """A dateline or byline: a date with labels or separators, and little else."""
    if len(words) > 24 or not re.search(r"\d", text):
        return False
    labelled = bool(_DATE_LABEL.search(text)) or "|" in text
    if labelled and any(parse_date(part) for part in re.split(r"\||(?<=\d)\s{2,}", text)):
        return True
    return len(words) <= 7 and parse_date(text) is not None


def classify(index: int, raw: str, lang: str | None) -> Line:
    text, bullet = strip_markup(raw)
    words = _WORD.findall(text)
    n = len(words)

    def make(kind: Kind) -> Line:
        return Line(index, raw, text, kind, n, bullet)

    if not text.strip():
        return make(Kind.BLANK)
    if text.startswith("|") and text.count("|") >= 2:
        return make(Kind.TABLE if _LETTER.search(text) else Kind.JUNK)
    if not _LETTER.search(text) or _FILE.match(text) or _URL.match(text) or _MARKUP.search(text):
        return make(Kind.JUNK)
    if len(_BREADCRUMB.findall(text)) >= 2 and not _SENTENCE_END.search(text):
        return make(Kind.NAV)
    if n <= 4 and _REACTION.match(text):
        return make(Kind.REACTION)
    if is_meta(text, words):
        return make(Kind.META)
    if _CAPTION.search(text) and n <= 30:
        return make(Kind.CAPTION)
    if is_ui(text, words):
        return make(Kind.UI)
    sw = stopwords(lang or "en") or stopwords("en")
    density = sum(1 for w in words if w.lower() in sw) / max(n, 1)
    chars = len(text)
    ends = bool(_SENTENCE_END.search(text))
    if (chars >= 120 and density >= 0.22) or (chars >= 50 and n >= 8 and density >= 0.28 and ends):
        return make(Kind.GOOD)
    if 2 <= n <= 24 and not ends and text[0].isupper() and not text.endswith(":"):
        return make(Kind.HEADING)
    return make(Kind.SHORT)


def breadcrumb_tail(text: str) -> str:
    """The last segment of a breadcrumb: often the page's title."""
    return _BREADCRUMB.split(text)[-1].strip()


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))
