"""Entity resolution: mentions across documents and spellings become one Entity each.

Countries resolve through ISO 3166 (pycountry) plus a shipped alias/demonym table
("Iranian" -> Iran).  People and other names cluster on a transliteration key that
folds the usual romanisation variants (German sch/z/w/j vs English sh/s/v/y, ou/u,
doubled letters); two full names match when both surname and given name match word
by word (fuzzy, or the same consonants), so "Jake" and "Kate Sullivan" stay two people.
A surname alone joins the one full name that shares it; after a title ("Mr Kim", "President
Xi") it may also be the first word, as in family-name-first names.  Entity ids are stable: they
derive from the canonical key, and clustering does not depend on input order.

A shipped gazetteer (data/gazetteer.tsv, sources and dates in its header) gives Wikidata QIDs to
countries, international organisations and current heads of state and government, adds
demonyms, capitals and aliases to the country index, and lets a title phrase ("the Iranian
president") stand for the leader the gazetteer names when the documents also name that person.

Mentions that are not names (a caller's common-noun phrases, pronouns and time expressions; the
NER stage gives names only) resolve too: a description joins the one named entity the documents
describe with its head noun ("the actress" -> "actress Lindsay Lohan"), else descriptions cluster by
head lemma; he, she, who, it, they and there take an antecedent on their page; time expressions
cluster by the value the date normaliser (understand/time.py) gives them.  Whether a capitalised
word is a name or a common noun at a sentence start or in a headline ("Rehab") is read from how the
documents themselves write it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import pycountry
from rapidfuzz import fuzz

from newsdossier.model import Document, Entity, Mention
from newsdossier.understand.time import find_dates

if TYPE_CHECKING:
    from spacy.language import Language

NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"}
PLACE_LABELS = {"GPE", "LOC", "NORP", "FAC", "ORG"}
# Labels the small NER model often gives a person's bare surname ("Lavrov" as ORG).
MISLABELS = {"NORP", "ORG", "GPE", "LOC", "FAC"}
TITLES = {
    "president", "mr", "mrs", "ms", "dr", "prof", "prime", "minister", "king", "queen", "leader", "chancellor",
    "sir", "general", "gen", "senator", "sen", "rep", "secretary", "foreign", "defence", "defense", "supreme",
    "ayatollah", "sheikh", "prince", "princess", "emperor", "premier", "vice", "pope", "chairman", "ceo",
}
# Ordered rewrite rules folding common romanisation variants onto one spelling.
TRANSLIT_RULES = (
    ("tsch", "ch"), ("dsch", "j"), ("sch", "sh"), ("tch", "ch"), ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"),
    ("ou", "u"), ("oo", "u"), ("ph", "f"), ("ck", "k"), ("q", "k"), ("w", "v"), ("y", "i"), ("z", "s"),
    ("ee", "i"), ("ie", "i"), ("ey", "i"), ("x", "ks"),
)
FUZZY_MATCH = 88


def fold(text: str) -> str:
    """Lowercase ASCII letters and spaces only."""
    return _fold_short(text) if len(text) <= 64 else _fold(text)


@lru_cache(maxsize=1 << 16)
def _fold_short(text: str) -> str:
    """`fold` of the names and words it is called on again and again (long texts are not kept)."""
    return _fold(text)


def _fold(text: str) -> str:
    nfkd = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in nfkd if not unicodedata.combining(c)).lower()
    return re.sub(r"\s+", " ", re.sub(r"[^a-z ]+", " ", ascii_text)).strip()


def translit_key(name: str) -> str:
    """A spelling-independent key: German 'Sergej Lawrow' and English 'Sergey Lavrov' agree."""
    words = []
    for word in fold(name).split():
        for old, new in TRANSLIT_RULES:
            word = word.replace(old, new)
        word = re.sub(r"(?<=[aeiou])j$", "i", word)
        word = re.sub(r"(.)\1+", r"\1", word)
        words.append(word)
    return " ".join(words)


def strip_name(text: str) -> str:
    """The name without possessive, leading article and titles."""
    text = re.sub(r"['’]s?$", "", text.strip()).strip(" .,;:\"'“”‘’()")
    words = text.split()
    while words and (words[0].lower() in {"the", "a", "an"} or words[0].lower().strip(".") in TITLES):
        words = words[1:]
    return " ".join(words)


def _demonyms(base: str) -> list[str]:
    """Regular English demonyms of a one-word country name, most likely first."""
    stem = base[:-1] if base[-1] in "aeiouy" else base
    forms = [base + "n", base + "ian", base + "i", stem + "ian", stem + "ese", base + "ese", stem + "an"]
    if len(stem) > 4:
        forms.append(stem)
    return [f for f in forms if len(f) > 3 and f.lower() != base.lower()]


@lru_cache(maxsize=1)
def _alias_rows() -> list[tuple[str, str, str]]:
    """(alias, ISO code or '-', flag) from the shipped alias table: flag '*' preferred name, '?' only in context."""
    text = resources.files("newsdossier.data").joinpath("country_aliases.tsv").read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if line and not line.startswith("#") and "\t" in line:
            cells = line.split("\t")
            rows.append((cells[0].strip(), cells[1].strip(), cells[2].strip() if len(cells) > 2 else ""))
    return rows


def _aliases() -> list[tuple[str, str, bool]]:
    """(alias, ISO code, preferred name?) for the aliases that name a country wherever they occur."""
    return [(a, c, flag == "*") for a, c, flag in _alias_rows() if c != "-" and flag != "?"]


@dataclass(frozen=True)
class GazetteerEntry:
    """One row of the shipped gazetteer: a country, an international organisation or a leader."""

    kind: str
    code: str
    qid: str | None
    name: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capital: str = ""
    country: str = ""
    office: str = ""


@lru_cache(maxsize=1)
def gazetteer() -> tuple[GazetteerEntry, ...]:
    """The rows of data/gazetteer.tsv (countries, organisations, heads of state and government)."""
    text = resources.files("newsdossier.data").joinpath("gazetteer.tsv").read_text("utf-8")
    lines = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    header, body = lines[0], lines[1:]
    out = []
    for cells in body:
        row = dict(zip(header, cells, strict=False))

        def many(col: str, row: dict[str, str] = row) -> tuple[str, ...]:
            return tuple(v for v in row.get(col, "").split("|") if v)

        out.append(GazetteerEntry(
            kind=row["kind"], code=row.get("code", ""), qid=row.get("qid") or None, name=row["name"],
            aliases=many("aliases"), demonyms=many("demonyms"), capital=row.get("capital", ""),
            country=row.get("country", ""), office=row.get("office", ""),
        ))
    return tuple(out)


@lru_cache(maxsize=1)
def _countries_by_code() -> dict[str, GazetteerEntry]:
    return {e.code: e for e in gazetteer() if e.kind == "country"}


def country_qid(code: str) -> str | None:
    """The Wikidata QID the gazetteer gives a country (ISO alpha-2), if any."""
    entry = _countries_by_code().get(code)
    return entry.qid if entry else None


@lru_cache(maxsize=1)
def country_index() -> dict[str, str]:
    """Folded name, alias, demonym or capital -> ISO alpha-2 code.

    Lower priority numbers win; a name that two countries claim at the same best priority, or that
    the alias table marks '-', names no country.
    """
    index: dict[str, str] = {}
    rank: dict[str, int] = {}
    clash: set[str] = set()

    def put(name: str, code: str, priority: int) -> None:
        key = fold(name)
        if not key:
            return
        if key not in index or priority < rank[key]:
            index[key], rank[key] = code, priority
            clash.discard(key)
        elif priority == rank[key] and index[key] != code:
            clash.add(key)

    bases: list[tuple[str, str]] = []
    for country in pycountry.countries:
        names = {country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)}
        for name in filter(None, names):
            put(name, country.alpha_2, 1)
            base = name.split(",")[0].strip()
            put(base, country.alpha_2, 3)
            bases.append((base, country.alpha_2))
    for alias, code, _ in _aliases():
        put(alias, code, 0)
        bases.append((alias, code))
    for entry in _countries_by_code().values():
        put(entry.name, entry.code, 1)
        for alias in entry.aliases:
            if "," not in alias:
                put(alias, entry.code, 2)
        for demonym in entry.demonyms:
            put(demonym, entry.code, 2)
        if entry.capital:
            put(entry.capital, entry.code, 4)
    for base, code in bases:
        if " " not in base and not base.isupper():
            for rule, demonym in enumerate(_demonyms(base)):
                put(demonym, code, 10 + rule)
    blocked = {fold(a) for a, c, _ in _alias_rows() if c == "-"}
    return {k: v for k, v in index.items() if k not in clash and k not in blocked}


@lru_cache(maxsize=1)
def _context_aliases() -> dict[str, str]:
    """Abbreviations that stand for a country only on a page that also names that country (NK)."""
    return {fold(a): c for a, c, flag in _alias_rows() if flag == "?" and c != "-"}


def country_name(code: str) -> str:
    """The usual English name: the alias table's preferred one, else ISO's common or short name."""
    preferred = next((alias for alias, c, star in _aliases() if c == code and star), None)
    if preferred:
        return preferred
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name.split(",")[0])


@lru_cache(maxsize=1 << 14)
def country_of(text: str) -> str | None:
    """ISO alpha-2 code of a country named, abbreviated or described by a demonym."""
    index = country_index()
    name = strip_name(text)
    for candidate in (name, re.sub(r"s$", "", name)):
        code = index.get(fold(candidate))
        if code:
            return code
    return None


def _strip_article(text: str) -> str:
    """The phrase without possessive, surrounding punctuation and a leading article (titles kept)."""
    text = re.sub(r"['’]s?$", "", text.strip()).strip(" ,;:\"'“”‘’()")
    return re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.IGNORECASE)


def _is_acronym(name: str) -> bool:
    """'NATO', 'U.N.', 'G7', 'AfDB': matched only in the same case, so the pronoun 'who' is not the WHO."""
    return " " not in name and sum(c.isupper() for c in name) >= 2


@lru_cache(maxsize=1)
def _org_index() -> tuple[dict[str, GazetteerEntry], dict[str, GazetteerEntry]]:
    """(acronym in its case without dots, folded name) -> organisation entry."""
    exact: dict[str, GazetteerEntry] = {}
    folded: dict[str, GazetteerEntry] = {}
    for entry in gazetteer():
        if entry.kind != "org":
            continue
        for name in (entry.name, *entry.aliases):
            stripped = _strip_article(name)
            if _is_acronym(stripped):
                exact.setdefault(stripped.replace(".", ""), entry)
            else:
                folded.setdefault(fold(stripped), entry)
    return exact, folded


def org_of(text: str) -> GazetteerEntry | None:
    """The international organisation or alliance a mention names ('NATO', 'the U.N.', 'African Union')."""
    name = _strip_article(text)
    exact, folded = _org_index()
    if _is_acronym(name):
        return exact.get(name.replace(".", ""))
    return folded.get(fold(name))


@lru_cache(maxsize=1)
def _leader_keys() -> tuple[tuple[str, GazetteerEntry], ...]:
    """(transliteration key of a name or variant, leader entry) for every gazetteer leader."""
    return tuple((translit_key(name), e) for e in gazetteer() if e.kind == "leader" for name in (e.name, *e.aliases))


@lru_cache(maxsize=1 << 14)
def leader_of(key: str) -> GazetteerEntry | None:
    """The one gazetteer leader a full-name key spells (transliteration-tolerant), else None."""
    if " " not in key:
        return None
    found = {e.name: e for k, e in _leader_keys() if " " in k and same_person(key, k)}
    return next(iter(found.values())) if len(found) == 1 else None


def leader_by_surname(word: str, countries: set[str]) -> GazetteerEntry | None:
    """The one leader whose surname is `word`, if that leader's country is among `countries` (the page's).

    A bare 'Putin' on a page about Russia is the Russian president; a bare 'Ali' is nobody in particular.
    """
    entry = _leader_with_surname(word)
    return entry if entry is not None and entry.country in countries else None


@lru_cache(maxsize=1 << 14)
def _leader_with_surname(word: str) -> GazetteerEntry | None:
    if len(word) < 4:
        return None
    found = {e.name: e for k, e in _leader_keys() if " " in k and same_word(word, k.split()[-1])}
    return next(iter(found.values())) if len(found) == 1 else None


_OFFICES = r"(?i:president|prime\s+minister|premier|chancellor|king|emir|sultan|supreme\s+leader|leader)"
_NOT_CURRENT = re.compile(r"(?i:former|late|then|ex|previous|next|future|outgoing|incoming|vice|deputy)[-\s]+\Z")
_TITLE_BEFORE = re.compile(rf"(?<![\w-])((?:[A-Z][\w'’.-]*\s+){{1,3}})({_OFFICES})\b(?![^\S\n]+[A-Z])")
_TITLE_OF = re.compile(
    rf"\b(?i:the)\s+({_OFFICES})\s+of\s+((?:the\s+)?[A-Z][\w'’.-]*(?:[^\S\n]+[A-Z][\w'’.-]*){{0,3}})")


def _office_fits(word: str, office: str) -> bool:
    word = " ".join(word.lower().split())
    office = office.lower()
    if "leader" in word:
        return True
    if word in ("prime minister", "premier"):
        return "prime minister" in office or "premier" in office
    return word in office


def title_phrases(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, ISO code, office word) for 'the Iranian president', 'Russia's leader', 'the president of Iran'.

    Only a current holder is meant: 'former', 'vice', 'next' and the like before the office rule a phrase out,
    and so does a capitalised name right after it (that name is the mention).
    """
    out = []
    for m in _TITLE_BEFORE.finditer(text):
        words = m.group(1).split()
        for i in range(len(words)):
            code = country_of(" ".join(words[i:]))
            if code:
                start = m.start(1) + m.group(1).index(words[i])
                if text[max(0, start - 4):start].lower() == "the ":
                    start -= 4
                if not _NOT_CURRENT.search(text, max(0, start - 12), start):
                    out.append((start, m.end(), code, m.group(2)))
                break
    for m in _TITLE_OF.finditer(text):
        words = m.group(2).split()
        for j in range(len(words), 0, -1):
            phrase = " ".join(words[:j])
            code = country_of(phrase)
            if code:
                if phrase.count(".") == 1:
                    phrase = phrase.rstrip(".,;:")
                if not _NOT_CURRENT.search(text, max(0, m.start() - 12), m.start()):
                    out.append((m.start(), m.start(2) + len(phrase), code, m.group(1)))
                break
    return sorted(set(out))


def _entity_id(label: str, key: str) -> str:
    return "ent-" + hashlib.sha1(f"{label}|{key}".encode()).hexdigest()[:12]


@lru_cache(maxsize=1 << 14)
def _skeleton(word: str) -> str:
    return word[:1] + re.sub(r"[aeiou]+", "", word[1:])


@lru_cache(maxsize=1 << 16)
def same_word(a: str, b: str) -> bool:
    """Two transliteration keys of one name word: equal, one edit apart in a long word, or same consonants.

    The consonant test (Mohamed/Muhamad, Husein/Husain) needs three consonants, so short
    distinct names (Jan/Jon, Anna/Anne) stay apart.
    """
    if a == b or fuzz.ratio(a, b) >= FUZZY_MATCH:
        return True
    skeleton = _skeleton(a)
    return len(skeleton) >= 3 and skeleton == _skeleton(b)


def _same_given(a: str, b: str) -> bool:
    """Two given names of one person: equal initials, a spelling variant, or a short form ('fred', 'frederik')."""
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return same_word(a, b) or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def same_person(a: str, b: str) -> bool:
    """Two full-name keys of one person: the surnames agree and so do the first given names (or initials).

    Where one name has more words, its tail may be the other ('lo presti' of 'gaetano lo presti') or the
    other's first given name may be its middle name ('mark felt' of 'w mark felt').
    """
    wa, wb = a.split(), b.split()
    if not same_word(wa[-1], wb[-1]):
        return False
    if _same_given(wa[0], wb[0]):
        return True
    short, long = sorted((wa, wb), key=len)
    if len(short) == len(long):
        return False
    if short == long[-len(short):]:
        return True
    return len(short[0]) > 1 and any(same_word(short[0], given) for given in long[1:-1])


def _person_groups(
    mentions: Sequence[tuple[int, str]], titled: frozenset[tuple[int, str]] = frozenset()
) -> dict[tuple[int, str], str]:
    """(doc index, person key) -> cluster key, independent of document and mention order.

    Full names cluster first, most frequent spelling first; a lone word then joins the one
    full name whose surname it is (preferring full names in its own document); a lone word
    that fits several full names, or none, stays an entity of its own.  A lone word that came
    with a title (`titled`: 'Mr Kim', 'President Xi') and fits no surname may also join by the
    first word, as family-name-first names are written.
    """
    counts = Counter(key for _, key in mentions)
    members: dict[str, list[str]] = {}
    rep_of: dict[str, str] = {}
    for key in sorted((k for k in counts if " " in k), key=lambda k: (-counts[k], k)):
        rep = next((r for r, ks in members.items() if any(same_person(key, k) for k in ks)), key)
        members.setdefault(rep, []).append(key)
        rep_of[key] = rep
    in_doc: dict[int, set[str]] = defaultdict(set)
    for doc_i, key in mentions:
        if key in rep_of:
            in_doc[doc_i].add(rep_of[key])
    singles: dict[str, list[str]] = {}
    out: dict[tuple[int, str], str] = {}
    for doc_i, key in sorted(set(mentions), key=lambda m: (-counts[m[1]], m[1], m[0])):
        if key in rep_of:
            out[(doc_i, key)] = rep_of[key]
            continue
        fits = {r for r, ks in members.items() if any(same_word(key, k.split()[-1]) for k in ks)}
        if not fits and (doc_i, key) in titled:
            fits = {r for r, ks in members.items() if any(same_word(key, k.split()[0]) for k in ks)}
        local = fits & in_doc[doc_i]
        if len(local) == 1 or (not local and len(fits) == 1):
            out[(doc_i, key)] = next(iter(local or fits))
            continue
        rep = next((r for r, ks in singles.items() if any(same_word(key, k) for k in ks)), key)
        singles.setdefault(rep, []).append(key)
        out[(doc_i, key)] = rep
    return out


_HONORIFIC_BEFORE = re.compile(
    r"(?<![\w-])(?i:mr|mrs|ms|dr|president|premier|chairman|king|queen|prince|emir|sultan|leader|chancellor)\.?"
    r"[^\S\n]+\Z"
)


def _titled(text: str, mention: Mention) -> bool:
    """The mention carries or follows a title or honorific ('Mr Kim', 'President Xi')."""
    words = _strip_article(mention.text).split()
    if len(words) > 1 and words[0].lower().strip(".") in TITLES:
        return True
    return _HONORIFIC_BEFORE.search(text, max(0, mention.start - 16), mention.start) is not None


def _org_key(entry: GazetteerEntry) -> str:
    return "org:" + entry.code.lower()


# Mentions that are not names: pronouns by the referent they can take, time labels, and the words that
# frame a phrase.  Closed grammatical classes, not vocabulary.
PRONOUNS = {
    **dict.fromkeys(("he", "him", "his", "himself"), "he"),
    **dict.fromkeys(("she", "her", "hers", "herself"), "she"),
    **dict.fromkeys(("it", "its", "itself"), "it"),
    **dict.fromkeys(("they", "them", "their", "theirs", "themselves"), "they"),
    **dict.fromkeys(("i", "me", "my", "mine", "myself"), "i"),
    **dict.fromkeys(("we", "us", "our", "ours", "ourselves"), "we"),
    **dict.fromkeys(("you", "your", "yours", "yourself", "yourselves"), "you"),
    **dict.fromkeys(("who", "whom", "whose"), "who"),
    **dict.fromkeys(("which", "that"), "which"),
    **dict.fromkeys(("there", "here", "where"), "there"),
    **dict.fromkeys(("this", "these", "those"), "this"),
}
TIME_LABELS = {"DATE", "TIME"}
_LEADING = frozenset({
    "in", "at", "on", "to", "from", "into", "near", "inside", "outside", "of", "for", "by", "across", "throughout",
    "within", "around", "onto", "toward", "towards", "during", "after", "before", "since", "until", "about",
    "over", "under", "the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my",
    "your", "some", "another", "every", "each",
})
_PARTICLES = frozenset({
    "bin", "bint", "ibn", "al", "el", "de", "del", "della", "der", "den", "di", "da", "dos", "du", "la", "le", "van",
    "von", "ter", "y", "abu", "ben", "lo", "st", "and", "of",
})
# Where a name's own words end: a comma, a bracket, or a place or relative clause after it.
_NAME_END = re.compile(r"\s*[,;(]|\s+(?:who|whom|whose|which|that|where)\s", re.IGNORECASE)
_PLACE_END = re.compile(r"\s+(?:in|at|near|outside|from)\s", re.IGNORECASE)
_HEAD_END = re.compile(r"\s+(?:of|on|with|for|to|over|against|by|after)\s|\s+-+\s", re.IGNORECASE)
_NAME_SUFFIX = re.compile(r"(?:,?\s+(?:jr|sr|ii|iii|iv)\.?)+$", re.IGNORECASE)
_COMPANY_SUFFIX = re.compile(r"(?:,?\s+(?:inc|corp|corporation|co|ltd|llc|plc|gmbh)\.?)+$", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_DOMAIN = re.compile(r"\w\.[a-z]{2,}\b")
_LINE_OR_CELL = re.compile(r"[^\n|]+")
_SENTENCE_END = re.compile(r"\.['\"’”)]?\s*\Z")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“(\n]\s*)\Z")


def _drop_lead(text: str) -> str:
    """The phrase without a possessive ending, outer punctuation, leading prepositions and determiners."""
    text = re.sub(r"['’]s?$", "", text.strip()).strip(" .,;:\"'“”‘’()")
    words = text.split()
    while len(words) > 1 and words[0].lower() in _LEADING:
        words = words[1:]
    return " ".join(words)


def _cut(text: str, pattern: re.Pattern[str]) -> str:
    m = pattern.search(text)
    return text[: m.start()].strip() if m and m.start() > 0 else text


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _headline_style(words: Sequence[re.Match[str]]) -> bool:
    """Most long words capitalised: a headline, title or table row, where case marks no name."""
    long = [w for w in words if len(w.group()) > 3]
    return bool(long) and sum(_capitalised(w.group()) for w in long) > 0.6 * len(long)


def _headline_ranges(doc: Document) -> list[tuple[int, int]]:
    """Character ranges of the document's titles, headings, and headline-style lines and table cells
    (no full stop: a sentence full of names is not a headline), in order."""
    ranges = [(p.start, p.end) for p in doc.paragraphs if p.kind in ("title", "heading")]
    for piece in _LINE_OR_CELL.finditer(doc.text):
        line = piece.group()
        if not _SENTENCE_END.search(line) and _headline_style(list(_WORD.finditer(line))):
            ranges.append(piece.span())
    return sorted(ranges)


def _in_ranges(ranges: Sequence[tuple[int, int]], position: int) -> bool:
    return any(s <= position < e for s, e in ranges)


def _unsupported(
    docs: Sequence[Document],
    readings: dict[tuple[int, int], _Reading],
    assignment: dict[tuple[int, int], _Cluster],
    clusters: dict[tuple[str, str], _Cluster],
) -> set[int]:
    """Ids of clusters the gazetteer does not know that no mention outside a headline refers to but pronouns.

    NER leans on capitals, so in headline-style text and table cells it takes any capitalised phrase
    for a name ('Key Highlights', 'Boost Defense Cooperation'); a real name there is nearly always
    repeated in the body of some page.  Pronouns are no support: they take the nearest name.
    """
    headlines = [_headline_ranges(doc) for doc in docs]
    seen_in_body: set[int] = set()
    for (doc_i, i), cluster in assignment.items():
        if readings[(doc_i, i)].kind != "pronoun" and not _in_ranges(
                headlines[doc_i], docs[doc_i].mentions[i].start):
            seen_in_body.add(id(cluster))
    return {id(c) for c in clusters.values()
            if id(c) not in seen_in_body and not (c.qid or c.country or c.canonical)}


def _casing(docs: Sequence[Document]) -> dict[str, tuple[int, int]]:
    """Folded word -> (times written lowercase, times capitalised inside a sentence) across the documents.

    Sentence starts and headline-style lines (most long words capitalised) say nothing about a word's case.
    """
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for doc in docs:
        for line in doc.text.split("\n"):
            words = list(_WORD.finditer(line))
            if _headline_style(words):
                continue
            for w in words:
                word = w.group()
                if word.islower():
                    counts[word.lower()][0] += 1
                elif _capitalised(word) and not _SENTENCE_START.search(line, max(0, w.start() - 8), w.start()):
                    counts[word.lower()][1] += 1
    return {w: (low, cap) for w, (low, cap) in counts.items()}


@dataclass(frozen=True)
class _Reading:
    """How a mention is resolved: its kind, the words that name it, and any role words written with it."""

    kind: str  # name, nominal, pronoun or time
    phrase: str  # the mention without preposition, determiner, possessive or trailing modifiers
    head: str  # the word the phrase is about
    roles: tuple[str, ...] = ()


def _read(m: Mention, common: frozenset[str]) -> _Reading:
    """Name, common-noun phrase, pronoun or time expression, by labels, casing and the documents' own use of words.

    A capitalised single word counts as a common noun when the documents mostly write it lowercase
    ('Rehab' in a headline); a lowercase head ('Mafia boss', 'the rehab center') makes a common-noun phrase.
    """
    if m.label in TIME_LABELS:
        core = _drop_lead(m.text)
        return _Reading("time", core, (core.split() or [""])[-1])
    core = _drop_lead(m.text)
    if not fold(core) and not any(c.isdigit() for c in core):
        return _Reading("name", core, core)
    if core.lower() in PRONOUNS and not (core.isupper() and len(core) > 1):
        return _Reading("pronoun", core.lower(), core.lower())
    if m.label in PLACE_LABELS and (country_of(m.text) or org_of(m.text)):
        return _Reading("name", core, core)
    name_part = _cut(core, _NAME_END)
    head_part = _cut(_cut(name_part, _PLACE_END), _HEAD_END)
    if m.label in ("GPE", "LOC", "FAC"):
        name_part = _cut(name_part, _PLACE_END)
    lettered = [w for w in head_part.split() if any(c.isalpha() for c in w)] or head_part.split() or [""]
    head = lettered[-1]
    if not any(c.isupper() for c in head) and not _DOMAIN.search(head):
        return _Reading("nominal", head_part, head)
    words = name_part.split()
    if sum(_capitalised(w) or w[:1].isdigit() for w in words) < 2 and fold(head) in common:
        return _Reading("nominal", head_part, head)
    if m.label == "PERSON":
        return _person_reading(name_part, common)
    while len(words) > 1 and words[0].islower():
        words = words[1:]
    return _Reading("name", " ".join(words), head)


def _person_reading(name: str, common: frozenset[str]) -> _Reading:
    """A person's name with the descriptors before it ('Mafia boss Gaetano Lo Presti') moved to its roles."""
    name = _NAME_SUFFIX.sub("", name)
    words = name.split()

    def descriptor(j: int) -> bool:
        word, key, rest = words[j], fold(words[j]), words[j + 1:]
        if word.islower():
            return key not in _PARTICLES and any(_capitalised(w) for w in rest)
        if key in TITLES:
            return True
        return key in common and not word.isupper() and sum(_capitalised(w) for w in rest) >= 2

    split = max((j for j in range(len(words) - 1) if descriptor(j)), default=-1)
    rest = words[split + 1:]
    if split < 0:
        return _Reading("name", name, words[-1] if words else "")
    roles = tuple(fold(w) for w in words[: split + 1] if fold(w) and fold(w) not in _PARTICLES)
    return _Reading("name", " ".join(rest), rest[-1], roles)


def _name_key(surface: str) -> str:
    """The transliteration key, with any numbers kept ('IE8' is not 'IE9'; a score '20-13' is all digits)."""
    key = translit_key(surface)
    digits = re.findall(r"\d+", surface)
    return f"{key} {' '.join(digits)}".strip() if digits else key


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _name_groups(names: set[str]) -> dict[str, str]:
    """Key -> the key standing for all spellings of one name: plurals ('Colt', 'Colts') and, for names of
    several words, word-by-word spelling variants ('Treatment Centre', 'Treatment Center')."""
    reps: list[tuple[list[str], str]] = []
    out: dict[str, str] = {}
    for key in sorted(names):
        words = [_singular(w) for w in key.split()]
        rep = next((r for ws, r in reps if ws == words or (
            len(ws) == len(words) > 1 and all(same_word(a, b) for a, b in zip(ws, words, strict=True)))), None)
        if rep is None:
            reps.append((words, key))
            rep = key
        out[key] = rep
    return out


def _short_forms(
    keys: dict[str, set[str]], surfaces: dict[str, str], where: dict[str, set[int]], lowercase: frozenset[str]
) -> dict[str, str]:
    """Label|key -> label|key of the longer name it shortens: 'Colts' of 'Indianapolis Colts', 'IE'.

    Spelling variants of one name are one name (`_name_groups`).  A short form is the last words of one
    longer name of the same label (not words the pages also write in lowercase: 'House' is not 'White House'),
    or an acronym of its initials, and it shares a page with that name (`where`: the pages of each
    label|key); where two longer names fit, it stays apart.
    """
    out: dict[str, str] = {}
    for label, names in keys.items():
        rep = _name_groups(names)
        pages: dict[str, set[int]] = defaultdict(set)
        for key in names:
            pages[rep[key]] |= where[f"{label}|{key}"]
        endings: dict[tuple[str, ...], set[str]] = defaultdict(set)
        initials: dict[str, set[str]] = defaultdict(set)
        for other in pages:
            longer = tuple(_singular(w) for w in other.split())
            for n in range(1, len(longer)):
                endings[longer[-n:]].add(other)
            initials["".join(w[0] for w in fold(surfaces[f"{label}|{other}"]).split())].add(other)
        for key in names:
            words = tuple(_singular(w) for w in key.split())
            surface = surfaces[f"{label}|{key}"]
            fits = set() if fold(surface) in lowercase else set(endings.get(words, ()))
            if surface.isalpha() and surface.isupper() and 2 <= len(surface) <= 5:
                fits |= {o for o in initials.get(fold(surface), ()) if len(o.split()) > 1}
            fits = {o for o in fits if o != rep[key] and pages[o] & pages[rep[key]]}
            target = fits.pop() if len(fits) == 1 else rep[key]
            if target != key:
                out[f"{label}|{key}"] = f"{label}|{target}"
    return out


_ROLE_BEFORE = re.compile(r"(?:([A-Za-z][\w-]*)\s+)?([A-Za-z][A-Za-z-]*),?\s+\Z")
_APPOSITION = re.compile(r",\s+(?:the|a|an)\s+([^,.;:()\n]{1,60})")
_CLAUSE = re.compile(r"\s(?:who|whom|whose|which|that|and|but|with)\s")
_PAST_OR_OTHER = frozenset({
    "former", "late", "then", "ex", "previous", "next", "future", "outgoing", "incoming", "vice", "deputy", "acting",
})


def _context_roles(text: str, m: Mention, nouns: set[str]) -> set[str]:
    """Role nouns (and a nationality before one) the text writes with a name: 'French president Emmanuel
    Macron', 'actress Lindsay Lohan', 'Lohan, the 26-year-old actress,'."""
    out = set()
    before = _ROLE_BEFORE.search(text, max(0, m.start - 60), m.start)
    if before and fold(before.group(2)) in nouns:
        out.add(fold(before.group(2)))
        if before.group(1) and country_of(before.group(1)):
            out.add(fold(before.group(1)))
    after = _APPOSITION.match(text, m.end)
    if after:
        words = fold(_cut(after.group(1), _CLAUSE)).split()
        if words and words[-1] in nouns:
            out.update([words[-1], *(w for w in words[:-1] if country_of(w))])
    return out


def _describes(phrase: str, text: str, start: int, cluster: _Cluster) -> bool:
    """A common-noun phrase can stand for the entity: no 'former' or 'vice' before its head, and any
    nationality it names ('the Iranian president') is one the entity's roles or office carry."""
    modifiers = fold(phrase).split()[:-1]
    if _PAST_OR_OTHER & set(modifiers) or _NOT_CURRENT.search(text, max(0, start - 12), start):
        return False
    nations = {code for w in modifiers if (code := country_of(w))}
    return not nations or bool(nations & (cluster.nations | {c for r in cluster.roles if (c := country_of(r))}))


@dataclass
class _Cluster:
    label: str
    key: str
    variants: Counter[str] = field(default_factory=Counter)
    docs: set[str] = field(default_factory=set)
    country: str | None = None
    canonical: str | None = None
    qid: str | None = None
    titles: int = 0
    others: int = 0
    named: bool = True
    roles: set[str] = field(default_factory=set)
    nations: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        """The most used of the longest-form variants (a full name over a bare surname)."""
        if self.canonical:
            return self.canonical
        most_words = max(len(v.split()) for v in self.variants)
        full = [v for v in self.variants if len(v.split()) == most_words]
        return min(full, key=lambda v: (-self.variants[v], -len(v), v))


@dataclass(frozen=True)
class _Noun:
    """A common-noun mention's head lemma, and whether that head is plural."""

    lemma: str
    plural: bool


def _nouns(phrases: set[str], nlp: Language | None) -> dict[str, _Noun]:
    """Head lemma of each common-noun phrase (its last word with letters), by the spaCy tagger and lemmatizer."""
    if not phrases:
        return {}
    if nlp is None:
        from newsdossier.understand.analyze import load_nlp

        nlp = load_nlp()
    ordered = sorted(phrases)
    out = {}
    skip = [name for name in ("parser", "ner") if name in nlp.pipe_names]
    for phrase, parsed in zip(ordered, nlp.pipe(ordered, disable=skip), strict=True):
        words = [t for t in parsed if any(c.isalpha() for c in t.text)]
        if words:
            out[phrase] = _Noun(words[-1].lemma_.lower(), words[-1].tag_ in ("NNS", "NNPS"))
        else:
            out[phrase] = _Noun(fold(phrase) or phrase.lower(), False)
    return out


def _time_key(text: str, reading: _Reading, doc: Document) -> str:
    """A time expression's normalised value where the date normaliser settles one, else its main word."""
    for found in find_dates(text, doc.date):
        if found.value:
            return "time:" + found.value
    words = re.findall(r"[a-z0-9]+", reading.phrase.lower())
    named = [w for w in words if w in _TIME_WORDS]
    numbers = [w for w in words if w[0].isdigit()]
    return "time:" + (named[0] if named else " ".join(numbers + words[-1:]) if words else "")


_TIME_WORDS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "today",
    "yesterday", "tomorrow", "tonight",
})


def resolve_entities(
    docs: Sequence[Document], nlp: Language | None = None
) -> tuple[list[Entity], list[Document]]:
    """Entities across `docs`, and the documents with each mention's `entity_id` set.

    The result does not depend on the order of `docs`.  Names: a place, group or organisation mention
    that is no country but spells exactly one person's name or surname is taken as a mislabelled
    mention of that person; a short form joins the one longer name it shortens ('Colts', 'IE').
    Countries, international organisations and leaders the gazetteer knows carry its Wikidata QID.
    A title phrase ('the Iranian president') is added as a mention of the leader the gazetteer names
    for that country and office, when the documents name that leader; a bare abbreviation such as
    'NK' counts as a country only on a page that names it.

    Mentions that are not names (common-noun phrases, pronouns, time expressions: given by a caller
    with gold or parser spans; the NER stage gives names only) resolve too.  A common noun in the
    singular joins the one person the documents describe with it ('the actress' -> 'actress Lindsay
    Lohan'), preferring a person of its own document; else it clusters with the same head lemma
    (spaCy, `nlp` or the default model) and label.  He, she and who take the nearest person before
    them in their document; time expressions cluster by normalised value (understand/time.py).
    """
    casing = _casing(docs)
    surnames = {fold(m.text).split()[-1] for d in docs for m in d.mentions
                if m.label == "PERSON" and len(fold(m.text).split()) > 1 and _capitalised(m.text.split()[-1])}
    common = frozenset(w for w, (low, cap) in casing.items() if low and low >= cap and w not in surnames)
    lowercase = frozenset(w for w, (low, _) in casing.items() if low)
    readings = {(doc_i, i): _read(m, common) for doc_i, doc in enumerate(docs) for i, m in enumerate(doc.mentions)}
    countries: dict[str, _Cluster] = {}
    clusters: dict[tuple[str, str], _Cluster] = {}
    pending: list[tuple[int, int, str, str, str]] = []
    person_keys: list[tuple[int, str]] = []
    titled: set[tuple[int, str]] = set()
    orgs: dict[str, GazetteerEntry] = {}
    page_countries: dict[int, set[str]] = defaultdict(set)
    context = _context_aliases()
    for doc_i, doc in enumerate(docs):
        for m in doc.mentions:
            if m.label in PLACE_LABELS and (code := country_of(m.text)):
                page_countries[doc_i].add(code)
    for doc_i, doc in enumerate(docs):
        for i, m in enumerate(doc.mentions):
            reading = readings[(doc_i, i)]
            if reading.kind != "name":
                continue
            surface = strip_name(reading.phrase)
            if m.label != "PERSON":
                surface = _COMPANY_SUFFIX.sub("", surface) or surface
            key = _name_key(surface) if m.label != "PERSON" else translit_key(surface)
            if not key:
                continue
            code = (country_of(m.text) or country_of(reading.phrase)) if m.label in PLACE_LABELS else None
            if code is None and m.label in PLACE_LABELS and context.get(fold(surface)) in page_countries[doc_i]:
                code = context[fold(surface)]
            org = (org_of(m.text) or org_of(reading.phrase)) if code is None and m.label in PLACE_LABELS else None
            if org is not None:
                orgs[_org_key(org)] = org
                pending.append((doc_i, i, _strip_article(m.text), "ORG", _org_key(org)))
                continue
            pending.append((doc_i, i, surface, "" if code else m.label, code or key))
            if m.label == "PERSON" and not code:
                person_keys.append((doc_i, key))
                if " " not in key and _titled(doc.text, m):
                    titled.add((doc_i, key))
    people = _person_groups(person_keys, frozenset(titled))
    by_name: dict[str, set[str]] = defaultdict(set)
    for rep in people.values():
        by_name[rep].add(rep)
        by_name[rep.split()[-1]].add(rep)
    names: dict[str, set[str]] = defaultdict(set)
    surfaces: dict[str, str] = {}
    where: dict[str, set[int]] = defaultdict(set)
    for doc_i, _, surface, label, key in pending:
        mislabelled = label in MISLABELS and len(by_name.get(key, ())) == 1
        if label and label != "PERSON" and key not in orgs and not mislabelled:
            names[label].add(key)
            surfaces[f"{label}|{key}"] = min(surface, surfaces.get(f"{label}|{key}", surface))
            where[f"{label}|{key}"].add(doc_i)
    short = _short_forms(names, surfaces, where, lowercase)
    assignment: dict[tuple[int, int], _Cluster] = {}
    for doc_i, i, surface, label, key in pending:
        if not label:
            if key not in countries:
                countries[key] = _Cluster("GPE", key, country=key, canonical=country_name(key), qid=country_qid(key))
            cluster = countries[key]
        elif key in orgs:
            cluster = clusters.setdefault(("ORG", key), _Cluster("ORG", key, canonical=orgs[key].name,
                                                                 qid=orgs[key].qid))
        elif label == "PERSON" or (label in MISLABELS and len(by_name.get(key, ())) == 1):
            rep = people[(doc_i, key)] if label == "PERSON" else next(iter(by_name[key]))
            cluster = clusters.setdefault(("PERSON", rep), _Cluster("PERSON", rep))
            cluster.roles.update(readings[(doc_i, i)].roles)
        else:
            key = short.get(f"{label}|{key}", f"{label}|{key}").split("|", 1)[1]
            cluster = clusters.setdefault((label, key), _Cluster(label, key))
        cluster.variants[surface] += 1
        cluster.docs.add(docs[doc_i].id)
        assignment[(doc_i, i)] = cluster
    leaders = _link_leaders(clusters, docs, assignment, page_countries)
    extra = _title_mentions(docs, leaders)
    for doc_i, _start, _end, cluster in extra:
        cluster.titles += 1
        cluster.docs.add(docs[doc_i].id)
    _resolve_descriptions(docs, readings, assignment, clusters, leaders, countries, nlp)
    dropped = _unsupported(docs, readings, assignment, clusters)
    dropped_mentions = {k for k, c in assignment.items() if id(c) in dropped}
    if dropped:
        clusters = {k: c for k, c in clusters.items() if id(c) not in dropped}
        assignment = {k: c for k, c in assignment.items() if id(c) not in dropped}
    entities: dict[int, Entity] = {}
    for c in [*countries.values(), *clusters.values()]:
        entities[id(c)] = Entity(
            id=_entity_id(c.label, c.country or c.key),
            name=c.name,
            label=c.label,
            variants=sorted(c.variants),
            qid=c.qid,
            country_code=c.country,
            doc_ids=sorted(c.docs),
            mention_count=sum(c.variants.values()) + c.titles + c.others,
        )
    out_docs = []
    for doc_i, doc in enumerate(docs):
        mentions: list[Mention] = []
        for i, m in enumerate(doc.mentions):
            assigned = assignment.get((doc_i, i))
            if assigned:
                mentions.append(m.model_copy(update={"entity_id": entities[id(assigned)].id}))
            elif (doc_i, i) not in dropped_mentions:
                mentions.append(m)
        added = [Mention(text=doc.text[s:e], start=s, end=e, label="PERSON", entity_id=entities[id(c)].id)
                 for d, s, e, c in extra if d == doc_i]
        if added:
            mentions = sorted(mentions + added, key=lambda m: (m.start, m.end))
        out_docs.append(doc.model_copy(update={"mentions": mentions}))
    ordered = sorted(entities.values(), key=lambda e: (-len(e.doc_ids), -e.mention_count, e.name, e.id))
    return ordered, out_docs


def _fits_label(label: str, cluster: _Cluster) -> bool:
    """A common-noun mention of `label` can denote the entity: people only people, places any place."""
    if label == "PERSON" or cluster.label == "PERSON":
        return label == cluster.label
    if cluster.country:
        return label in ("GPE", "LOC")
    return label == cluster.label


def _resolve_descriptions(
    docs: Sequence[Document],
    readings: dict[tuple[int, int], _Reading],
    assignment: dict[tuple[int, int], _Cluster],
    clusters: dict[tuple[str, str], _Cluster],
    leaders: dict[tuple[str, str], _Cluster],
    countries: dict[str, _Cluster],
    nlp: Language | None,
) -> None:
    """Assign the common-noun, time and pronoun mentions (in place), once the names are resolved.

    A named entity's role words come from its own mentions ('lawyer Mark Heller'), the text around them
    ('actress Lindsay Lohan', 'Lohan, the actress,'), a leader's office, and a place or organisation's
    last name word ('Betty Ford Center' -> 'center').  A singular common noun with one of those heads
    joins the one entity of a fitting label that has it, on its own page if one there does, else in
    the whole set; the rest cluster by head lemma, number and any figures ('205 yards' is not '364 yards').
    """
    nominal = {k: r for k, r in readings.items() if r.kind == "nominal"}
    nouns = _nouns({r.phrase for r in nominal.values()}, nlp)
    words = {n.lemma for n in nouns.values() if not n.plural} | {fold(r.head) for r in nominal.values()}
    named = {id(c): c for c in [*clusters.values(), *countries.values()] if c.named}
    on_doc: dict[int, set[int]] = defaultdict(set)
    for (doc_i, i), cluster in assignment.items():
        on_doc[doc_i].add(id(cluster))
        if cluster.label == "PERSON":
            cluster.roles |= _context_roles(docs[doc_i].text, docs[doc_i].mentions[i], words)
        else:
            cluster.roles.update(w for w in fold(readings[(doc_i, i)].phrase).split()[-1:] if w in words)
    for (country, office), cluster in leaders.items():
        cluster.roles.update(fold(office).split()[:1])
        cluster.nations.add(country)
    having: dict[str, list[_Cluster]] = defaultdict(list)
    for c in named.values():
        for role in c.roles:
            having[role].append(c)
    for (doc_i, i), reading in sorted(nominal.items()):
        m = docs[doc_i].mentions[i]
        noun = nouns[reading.phrase]
        target = None
        if not noun.plural:
            candidates = {id(c): c for role in {noun.lemma, fold(reading.head)} for c in having.get(role, ())}
            fits = {key for key, c in candidates.items()
                    if _fits_label(m.label, c) and _describes(reading.phrase, docs[doc_i].text, m.start, c)}
            local = fits & on_doc[doc_i]
            if len(local) == 1 or (not local and len(fits) == 1):
                target = named[next(iter(local or fits))]
        if target is None:
            numbers = " ".join(re.findall(r"\d+", reading.phrase))
            key = f"{numbers} {noun.lemma}" if numbers and numbers != noun.lemma else noun.lemma
            key += " +plural" if noun.plural else ""
            target = clusters.setdefault((m.label, key), _Cluster(m.label, key, named=False))
            target.variants[reading.phrase] += 1
        else:
            target.others += 1
        target.docs.add(docs[doc_i].id)
        assignment[(doc_i, i)] = target
    for (doc_i, i), reading in sorted(readings.items()):
        if reading.kind == "time":
            m = docs[doc_i].mentions[i]
            key = _time_key(m.text, reading, docs[doc_i])
            target = clusters.setdefault((m.label, key), _Cluster(m.label, key, named=False))
            target.variants[reading.phrase] += 1
            target.docs.add(docs[doc_i].id)
            assignment[(doc_i, i)] = target
    _resolve_pronouns(docs, readings, assignment)


def _resolve_pronouns(
    docs: Sequence[Document], readings: dict[tuple[int, int], _Reading], assignment: dict[tuple[int, int], _Cluster]
) -> None:
    """Assign pronouns to their antecedents (in place), in two rounds.

    The first round takes the nearest fitting person for he and she and so learns each person's
    pronoun from the majority of theirs; the second skips a person whose learnt pronoun is the other.
    I, we, you and this stay unresolved: their referent is the speaker or the context, not a mention.
    """
    votes: dict[int, Counter[str]] = defaultdict(Counter)
    trial = dict(assignment)
    for rnd in range(2):
        gender = {c: v.most_common(1)[0][0] for c, v in votes.items()
                  if len(v) == 1 or v.most_common(2)[0][1] > v.most_common(2)[1][1]}
        trial = dict(assignment)
        for doc_i, doc in enumerate(docs):
            order = sorted(range(len(doc.mentions)), key=lambda i: (doc.mentions[i].start, doc.mentions[i].end))
            for n, i in enumerate(order):
                reading = readings[(doc_i, i)]
                if reading.kind != "pronoun":
                    continue
                kind = PRONOUNS[reading.phrase]
                target = _antecedent(doc, doc_i, order[:n], order[n + 1:], i, kind, trial, gender)
                if target is None:
                    continue
                trial[(doc_i, i)] = target
                if rnd == 0 and kind in ("he", "she"):
                    votes[id(target)][kind] += 1
                elif rnd == 1:
                    target.others += 1
                    target.docs.add(doc.id)
    assignment.update(trial)


SALIENCE_WINDOW = 200  # characters before a he/she in which the person most mentioned on the page wins


def _antecedent(
    doc: Document, doc_i: int, before: list[int], after: list[int], i: int, kind: str,
    assignment: dict[tuple[int, int], _Cluster], gender: dict[int, str],
) -> _Cluster | None:
    """The entity a pronoun refers to, from the mentions before it in its document (`before`, in text order).

    He and she: among the named people of the last few clauses, the one the page mentions most, else the
    nearest named person before (or after) it.  Who: the mention right before it.  It, which and they:
    the nearest mention of the same label in the same paragraph (not a person for it and which).
    There: the nearest place of the same label.
    """
    m = doc.mentions[i]
    line_start = doc.text.rfind("\n", 0, m.start) + 1

    def person(j: int) -> _Cluster | None:
        c = assignment.get((doc_i, j))
        ok = c is not None and c.label == "PERSON" and c.named and doc.mentions[j].label == "PERSON"
        return c if ok and gender.get(id(c), kind) == kind else None

    if kind in ("he", "she"):
        fits = [(j, c) for j in before if (c := person(j)) is not None]
        recent = [(j, c) for j, c in fits if doc.mentions[j].start >= m.start - SALIENCE_WINDOW]
        if recent:
            freq = Counter(id(c) for _, c in fits)
            return max(reversed(recent), key=lambda jc: freq[id(jc[1])])[1]
        if fits:
            return fits[-1][1]
        return next((c for j in after if (c := person(j)) is not None), None)
    if kind not in ("who", "it", "which", "they", "there"):
        return None
    for j in reversed(before):
        other = doc.mentions[j]
        cluster = assignment.get((doc_i, j))
        if cluster is None:
            continue
        if kind == "who":
            return cluster if other.label == m.label and not doc.text[other.end:m.start].strip(" ,") else None
        if kind != "there" and other.start < line_start:
            return None
        if other.label == m.label and (kind in ("they", "there") or cluster.label != "PERSON"):
            return cluster
    return None


def _link_leaders(
    clusters: dict[tuple[str, str], _Cluster],
    docs: Sequence[Document],
    assignment: dict[tuple[int, int], _Cluster],
    page_countries: dict[int, set[str]],
) -> dict[tuple[str, str], _Cluster]:
    """Give person clusters the gazetteer leader they spell; (country, office) -> the cluster of its holder.

    A full name matches by transliteration key; a bare surname only when the leader's country is
    named on a page where the surname occurs.
    """
    on_pages: dict[int, set[int]] = defaultdict(set)
    for (doc_i, _), cluster in assignment.items():
        on_pages[id(cluster)].add(doc_i)
    out: dict[tuple[str, str], _Cluster] = {}
    for (label, rep), cluster in sorted(clusters.items()):
        if label != "PERSON":
            continue
        entry = leader_of(rep)
        if entry is None and " " not in rep:
            near = set().union(*(page_countries[d] for d in on_pages[id(cluster)]))
            entry = leader_by_surname(rep, near)
        if entry is None:
            continue
        cluster.qid = entry.qid
        out.setdefault((entry.country, entry.office), cluster)
    return out


def _title_mentions(
    docs: Sequence[Document], leaders: dict[tuple[str, str], _Cluster]
) -> list[tuple[int, int, int, _Cluster]]:
    """(doc index, start, end, leader cluster) for title phrases that fit a leader the documents name."""
    if not leaders:
        return []
    out = []
    for doc_i, doc in enumerate(docs):
        taken = [(m.start, m.end) for m in doc.mentions if m.label == "PERSON"]
        for start, end, code, office in title_phrases(doc.text):
            fits = [c for (country, held), c in leaders.items() if country == code and _office_fits(office, held)]
            if len(fits) == 1 and not any(s < end and start < e for s, e in taken):
                out.append((doc_i, start, end, fits[0]))
    return out


def mentions_from_spans(spans: Sequence[tuple[str, int, int, str]]) -> list[Mention]:
    """Mentions from (text, start, end, label) spans, keeping the labels that name things.

    Built without validation: the spans come typed from spaCy, and checking thousands per page is
    measurable in understanding time.
    """
    return [Mention.model_construct(text=t, start=s, end=e, label=lab, entity_id=None)
            for t, s, e, lab in spans if lab in NAME_LABELS]
