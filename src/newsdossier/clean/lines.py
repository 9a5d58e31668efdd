"""Classify the lines of a page dump as prose, headings, tables or page furniture.

The idea is jusText's: prose has length and a high share of stopwords, furniture is
short, repetitive or made of UI vocabulary.  Lines are judged alone here; the
structure of the page (where the article runs, where comments start) is decided in
`textdump` from these labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from importlib import resources

from newsdossier.clean.language import stopwords
from newsdossier.understand.time import find_dates, parse_date


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
_ALNUM = re.compile(r"[^\W_]", re.UNICODE)
_MARKUP = re.compile(r"</?[a-zA-Z][^>]*>|^[\w-]*\"?>$|\w+=\"|\"\s*>\s*$|^\{.*\}$|^[\w-]+\">")
_FILE = re.compile(r"^\S+\.(png|jpe?g|gif|webp|svg|bmp|ico|mp4|webm|pdf)$", re.IGNORECASE)
_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
_REACTION = re.compile(
    r"^[^\w]*[^\W\d_][^\W\d_ ]*(?: [^\W\d_]+){0,2}\s+\d{1,6}$|^\d[\d.,]*[kKmM]?\s+[^\W\d_]+$", re.UNICODE
)
_BREADCRUMB = re.compile(r"\s(?:»|›|‹|>|/|\\|→|▸|❯)\s")
_MENU_SEP = re.compile(r"\s+[|·•]\s+")
_BULLET = re.compile(r"^\s*(?:[•●▪◦·*\-–]|\d{1,2}[.)])\s+")
_MD_WRAP = re.compile(r"^(\*\*|__)(.+)\1$")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_DATE_LABEL = re.compile(
    r"\b(updated|published|posted|created|modified|date|joined|veröffentlicht|aktualisiert|publié|mis à jour"
    r"|publicado|actualizado|pubblicato|aggiornato|gepubliceerd|bijgewerkt)\b",
    re.IGNORECASE,
)
_META_SEPARATORS = ("|", "»", "·", "•")
# Dates the English finder does not read: day month year in other languages, numeric and ISO forms.
_OTHER_DATE = re.compile(
    r"\b\d{1,2}\.?\s*(?:de\s+)?[^\W\d_]{3,12}\.?,?\s*(?:de\s+)?\d{4}\b"
    r"|\b[^\W\d_]{3,12}\.?\s+\d{1,2},?\s+\d{4}\b"
    r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{4}\b",
    re.UNICODE,
)
# "By Jane Doe" in the languages of `language.LANGUAGES` whose bylines use a preposition.
BYLINE_PREFIX = r"(?:[Bb]y|BY|[Vv]on|[Pp]ar|[Pp]or|[Dd]i|[Dd]oor|[Aa]v|[Pp]rzez)"
_PARTICLE = r"(?:van|von|de|da|del|der|di|la|le|bin|ibn|al-[\w-]+)"
_NAME_CAP = rf"[A-ZÀ-Þ][\w.'’-]*(?:\s+(?:[A-ZÀ-Þ][\w.'’-]*|{_PARTICLE})){{0,3}}"
_NAME = rf"[^\W\d_][\w.'’-]*(?:\s+(?:[A-ZÀ-Þ][\w.'’-]*|{_PARTICLE})){{0,3}}"
_BYLINE_LINE = re.compile(
    rf"^{BYLINE_PREFIX}\s+{_NAME_CAP}(?:\s*(?:,|and|und|et|y|e|&)\s+{_NAME_CAP})*(?:\s*,\s*[^,]{{1,40}})?$"
)
_BY_NAME = re.compile(rf"(?:^|\s){BYLINE_PREFIX}\s+({_NAME})")
_CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+|^(?:phone|tel|fax|telefon|téléphone|teléfono|e-?mail)\s*[:.]", re.IGNORECASE
)
_CAPTION = re.compile(
    r"\b(image|photo|picture|photograph|video)\s*(credit|source|courtesy)?\s*:"
    r"|^(image|photo|picture|media|video|graphic)\s+(caption|copyright|credit|source|courtesy)s?$",
    re.IGNORECASE,
)
# Scripts written without spaces between words, and their sentence and clause marks.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]{4}")
_CJK_STOP = re.compile(r"[。！？，、.!?,]")
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
def ui_phrases() -> tuple[frozenset[str], re.Pattern[str]]:
    """Single-word UI phrases, and one pattern for all multi-word ones, from the shipped data file."""
    text = resources.files("newsdossier.data").joinpath("ui_phrases.txt").read_text("utf-8")
    phrases = [p.strip().lower() for p in text.splitlines() if p.strip() and not p.startswith("#")]
    single = frozenset(p for p in phrases if " " not in p)
    multi = sorted((p for p in phrases if " " in p), key=len, reverse=True)
    return single, re.compile(r"\b(?:" + "|".join(re.escape(p) for p in multi) + r")\b")


def is_ui(text: str, words: list[str]) -> bool:
    """Page furniture: a very short line with a UI word, or short sentences most of which use UI phrases."""
    single, multi = ui_phrases()
    if len(words) <= 4 and any(w.lower() in single for w in words):
        return True
    sentences = [s for s in _SENTENCE_SPLIT.split(text.lower()) if s.strip()]
    if not sentences or any(len(s.split()) > 30 for s in sentences):
        return False
    with_phrase = sum(1 for s in sentences if multi.search(s))
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


def find_full_date(text: str) -> tuple[date, int, int] | None:
    """The first date naming a full day in a short string, with its span; English first, then other forms."""
    for mention in find_dates(text, None):
        if not mention.relative and mention.value and len(mention.value) == 10:
            return date.fromisoformat(mention.value), mention.start, mention.end
    for m in _OTHER_DATE.finditer(text):
        found = parse_date(m.group())
        if found is not None:
            return found, m.start(), m.end()
    return None


# A credit line: where the article's information comes from ("Based on a report by Reuters", "With reporting
# by ...", "Source: ..."); kept apart from the prose as a 'credit' paragraph, because its date or outlet can
# show that a page retells an older report.
_CREDIT = re.compile(
    r"^(?:based on (?:an? )?(?:reports?|reporting|article|story|information|interview)s? (?:by|from|in|of)\b"
    r"|(?:with )?(?:additional )?reporting (?:by|from)\b|(?:writing|editing) by\b"
    r"|sources?\s*:|via\s*:|originally (?:published|appeared|posted)\b|first (?:published|appeared)\b"
    r"|this (?:article|story|report|post) (?:was |has been |first )*(?:published|appeared|adapted|republished)\b"
    r"|adapted from\b|republished (?:from|with)\b|quelle\s*:|fuente\s*:|fonte\s*:|bron\s*:)",
    re.IGNORECASE,
)
CREDIT_MAX_WORDS = 30


def is_credit(text: str) -> bool:
    """A short line naming the report or outlet the article is based on."""
    return bool(_CREDIT.match(text.strip())) and len(_WORD.findall(text)) <= CREDIT_MAX_WORDS


def is_meta(text: str, words: list[str]) -> bool:
    """A dateline: a full date with at most a label, a byline or separators beside it; never a sentence."""
    if len(words) > 24 or not re.search(r"\d", text):
        return False
    found = find_full_date(text)
    if found is None:
        return False
    _, start, end = found
    rest = [w for w in _WORD.findall(text[:start] + " " + text[end:]) if not re.search(r"\d", w)]
    if len(rest) <= 3:
        return True
    labelled = bool(_DATE_LABEL.search(text)) or any(sep in text for sep in _META_SEPARATORS)
    sentence = len(rest) > 6 and ends_sentence(text)
    return labelled and len(rest) <= 12 and not sentence


def is_byline(text: str, words: list[str]) -> bool:
    """A line that only names the author: 'By Jane Doe', 'Von Max Mustermann und Erika Muster'."""
    return len(words) <= 8 and bool(_BYLINE_LINE.match(text))


def author_in(text: str) -> str | None:
    """The name after a byline preposition ('Posted on ... by Tom Baker'), if any."""
    m = _BY_NAME.search(text)
    return m.group(1).strip() if m else None


def is_menu(text: str) -> bool:
    """A row of short links joined by separators: 'News | Business | Sport'."""
    parts = _MENU_SEP.split(text)
    return len(parts) >= 3 and all(1 <= len(_WORD.findall(p)) <= 3 for p in parts) and not ends_sentence(text)


def classify(index: int, raw: str, lang: str | None) -> Line:
    text, bullet = strip_markup(raw)
    words = _WORD.findall(text)
    n = len(words)

    def make(kind: Kind) -> Line:
        return Line(index, raw, text, kind, n, bullet)

    if not text.strip():
        return make(Kind.BLANK)
    if text.startswith("|") and text.count("|") >= 2:
        return make(Kind.TABLE if _ALNUM.search(text) else Kind.JUNK)
    cells = [c.strip() for c in raw.strip().split("\t")]
    if len(cells) >= 3 and sum(1 for c in cells if c) >= 3:
        return Line(index, raw, "| " + " | ".join(cells) + " |", Kind.TABLE, n, bullet)
    if not _LETTER.search(text) or _FILE.match(text) or _URL.match(text) or _MARKUP.search(text):
        return make(Kind.JUNK)
    if n <= 20 and len(_BREADCRUMB.findall(text)) >= 2 and not _SENTENCE_END.search(text):
        return make(Kind.NAV)
    if n <= 4 and _REACTION.match(text):
        return make(Kind.REACTION)
    if is_meta(text, words) or is_byline(text, words):
        return make(Kind.META)
    if is_menu(text):
        return make(Kind.NAV)
    if _CAPTION.search(text) and n <= 30:
        return make(Kind.CAPTION)
    if is_ui(text, words) or (n <= 12 and _CONTACT.search(text)):
        return make(Kind.UI)
    chars = len(text)
    ends = bool(_SENTENCE_END.search(text))
    sw = stopwords(lang or "en")
    if sw and (lang or not _UNSPACED.search(text)):
        density = sum(1 for w in words if w.lower() in sw) / max(n, 1)
        if (chars >= 120 and density >= 0.22) or (chars >= 50 and n >= 8 and density >= 0.28 and ends):
            return make(Kind.GOOD)
    elif _prose_without_stopwords(text, chars, ends):
        return make(Kind.GOOD)
    if 2 <= n <= 24 and not ends and text[0].isupper() and not text.endswith(":"):
        return make(Kind.HEADING)
    return make(Kind.SHORT)


def _prose_without_stopwords(text: str, chars: int, ends: bool) -> bool:
    """Prose in a language without a stopword list (Korean, Japanese, Chinese...): long, in sentences."""
    if _UNSPACED.search(text):
        return chars >= 30 and len(_CJK_STOP.findall(text)) >= 1 and (ends or chars >= 60)
    return chars >= 80 and len(_SENTENCE_SPLIT.findall(text)) + ends >= 1


def breadcrumb_tail(text: str) -> str:
    """The last segment of a breadcrumb: often the page's title."""
    return _BREADCRUMB.split(text)[-1].strip()


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))
