"""Entity resolution: mentions across documents and spellings become one Entity each.

Countries resolve through ISO 3166 (pycountry) plus a shipped alias/demonym table
("Iranian" -> Iran).  People and other names cluster on a transliteration key that
folds the usual romanisation variants (German sch/z vs English sh/s, ou/u, doubled
letters), with fuzzy matching on the key; a surname alone joins the one full name
that shares it.  Entity ids are stable: they derive from the canonical key, not run order.
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

import pycountry
from rapidfuzz import fuzz

from newsdossier.model import Document, Entity, Mention

NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"}
PLACE_LABELS = {"GPE", "LOC", "NORP", "FAC", "ORG"}
TITLES = {
    "president", "mr", "mrs", "ms", "dr", "prof", "prime", "minister", "king", "queen", "leader", "chancellor",
    "sir", "general", "gen", "senator", "sen", "rep", "secretary", "foreign", "defence", "defense", "supreme",
    "ayatollah", "sheikh", "prince", "princess", "emperor", "premier", "vice", "pope", "chairman", "ceo",
}
# Ordered rewrite rules folding common romanisation variants onto one spelling.
TRANSLIT_RULES = (
    ("tsch", "ch"), ("sch", "sh"), ("tch", "ch"), ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"),
    ("ou", "u"), ("oo", "u"), ("ph", "f"), ("ck", "k"), ("q", "k"), ("w", "v"), ("y", "i"), ("z", "s"),
    ("ee", "i"), ("ie", "i"), ("ey", "i"),
)
FUZZY_MATCH = 88


def fold(text: str) -> str:
    """Lowercase ASCII letters and spaces only."""
    nfkd = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in nfkd if not unicodedata.combining(c)).lower()
    return re.sub(r"\s+", " ", re.sub(r"[^a-z ]+", " ", ascii_text)).strip()


def translit_key(name: str) -> str:
    """A spelling-independent key: 'Massud Peseschkian' and 'Masoud Pezeshkian' agree."""
    words = []
    for word in fold(name).split():
        for old, new in TRANSLIT_RULES:
            word = word.replace(old, new)
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
    forms = (base + "n", base + "ian", base + "i", stem + "ian", stem + "ese", base + "ese", stem + "an", stem)
    return [f for f in forms if len(f) > 3 and f.lower() != base.lower()]


@lru_cache(maxsize=1)
def _aliases() -> list[tuple[str, str, bool]]:
    """(alias, ISO code, preferred name?) from the shipped alias table."""
    text = resources.files("newsdossier.data").joinpath("country_aliases.tsv").read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if line and not line.startswith("#") and "\t" in line:
            cells = line.split("\t")
            rows.append((cells[0].strip(), cells[1].strip(), len(cells) > 2 and cells[2].strip() == "*"))
    return rows


@lru_cache(maxsize=1)
def country_index() -> dict[str, str]:
    """Folded name, alias or demonym -> ISO alpha-2 code."""
    index: dict[str, str] = {}
    rank: dict[str, int] = {}

    def put(name: str, code: str, priority: int) -> None:
        key = fold(name)
        if key and (key not in index or priority < rank[key]):
            index[key], rank[key] = code, priority

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
    for base, code in bases:
        if " " not in base and not base.isupper():
            for rule, demonym in enumerate(_demonyms(base)):
                put(demonym, code, 10 + rule)
    return index


def country_name(code: str) -> str:
    """The usual English name: the alias table's preferred one, else ISO's common or short name."""
    preferred = next((alias for alias, c, star in _aliases() if c == code and star), None)
    if preferred:
        return preferred
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name.split(",")[0])


def country_of(text: str) -> str | None:
    """ISO alpha-2 code of a country named, abbreviated or described by a demonym."""
    index = country_index()
    name = strip_name(text)
    for candidate in (name, re.sub(r"s$", "", name)):
        code = index.get(fold(candidate))
        if code:
            return code
    return None


@dataclass
class _Cluster:
    label: str
    key: str
    variants: Counter[str] = field(default_factory=Counter)
    docs: set[str] = field(default_factory=set)
    country: str | None = None
    canonical: str | None = None

    @property
    def name(self) -> str:
        if self.canonical:
            return self.canonical
        full = [v for v in self.variants if len(v.split()) >= len(self.key.split())] or list(self.variants)
        return max(full, key=lambda v: (self.variants[v], len(v)))


def _entity_id(label: str, key: str) -> str:
    return "ent-" + hashlib.sha1(f"{label}|{key}".encode()).hexdigest()[:12]


def _person_cluster(clusters: list[_Cluster], key: str) -> _Cluster | None:
    tokens = key.split()
    if len(tokens) == 1:
        matches = [c for c in clusters if fuzz.ratio(c.key.split()[-1], tokens[0]) >= FUZZY_MATCH]
        return matches[0] if len(matches) == 1 else None
    for c in clusters:
        ck = c.key.split()
        if len(ck) == 1 and fuzz.ratio(ck[0], tokens[-1]) >= FUZZY_MATCH:
            c.key = key
            return c
        if len(ck) > 1 and fuzz.ratio(ck[-1], tokens[-1]) >= FUZZY_MATCH and fuzz.ratio(c.key, key) >= FUZZY_MATCH:
            return c
    return None


def resolve_entities(docs: Sequence[Document]) -> tuple[list[Entity], list[Document]]:
    """Entities across `docs`, and the documents with each mention's `entity_id` set."""
    countries: dict[str, _Cluster] = {}
    people: list[_Cluster] = []
    others: dict[tuple[str, str], _Cluster] = {}
    assignment: dict[tuple[str, int], _Cluster] = {}
    for doc in docs:
        for i, m in enumerate(doc.mentions):
            surface = strip_name(m.text)
            if not surface:
                continue
            code = country_of(m.text) if m.label in PLACE_LABELS else None
            if code:
                if code not in countries:
                    countries[code] = _Cluster("GPE", code, country=code, canonical=country_name(code))
                cluster = countries[code]
            elif m.label == "PERSON":
                key = translit_key(surface)
                found = _person_cluster(people, key)
                if found is None:
                    found = _Cluster("PERSON", key)
                    people.append(found)
                cluster = found
            else:
                key = translit_key(surface)
                cluster = others.setdefault((m.label, key), _Cluster(m.label, key))
            cluster.variants[surface] += 1
            cluster.docs.add(doc.id)
            assignment[(doc.id, i)] = cluster
    entities: dict[int, Entity] = {}
    all_clusters = [*countries.values(), *people, *others.values()]
    for c in all_clusters:
        ident = _entity_id(c.label, c.country or c.key)
        entities[id(c)] = Entity(
            id=ident,
            name=c.name,
            label=c.label,
            variants=sorted(c.variants),
            country_code=c.country,
            doc_ids=sorted(c.docs),
            mention_count=sum(c.variants.values()),
        )
    out_docs = []
    for doc in docs:
        mentions: list[Mention] = []
        for i, m in enumerate(doc.mentions):
            assigned = assignment.get((doc.id, i))
            mentions.append(m.model_copy(update={"entity_id": entities[id(assigned)].id}) if assigned else m)
        out_docs.append(doc.model_copy(update={"mentions": mentions}))
    ordered = sorted(entities.values(), key=lambda e: (-len(e.doc_ids), -e.mention_count, e.name))
    return ordered, out_docs


def mentions_from_spans(spans: Sequence[tuple[str, int, int, str]]) -> list[Mention]:
    """Mentions from (text, start, end, label) spans, keeping the labels that name things."""
    return [Mention(text=t, start=s, end=e, label=lab) for t, s, e, lab in spans if lab in NAME_LABELS]


def group_by_entity(mentions: Sequence[Mention]) -> dict[str, list[Mention]]:
    grouped: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.entity_id:
            grouped[m.entity_id].append(m)
    return grouped
