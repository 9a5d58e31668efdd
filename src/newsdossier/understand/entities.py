"""Entity resolution: mentions across documents and spellings become one Entity each.

Countries resolve through ISO 3166 (pycountry) plus a shipped alias/demonym table
("Iranian" -> Iran).  People and other names cluster on a transliteration key that
folds the usual romanisation variants (German sch/z/w/j vs English sh/s/v/y, ou/u,
doubled letters); two full names match when both surname and given name match word
by word (fuzzy, or the same consonants), so "Jake" and "Kate Sullivan" stay two people.
A surname alone joins the one full name that shares it.  Entity ids are stable: they
derive from the canonical key, and clustering does not depend on input order.
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
        """The most used of the longest-form variants (a full name over a bare surname)."""
        if self.canonical:
            return self.canonical
        most_words = max(len(v.split()) for v in self.variants)
        full = [v for v in self.variants if len(v.split()) == most_words]
        return min(full, key=lambda v: (-self.variants[v], -len(v), v))


def _entity_id(label: str, key: str) -> str:
    return "ent-" + hashlib.sha1(f"{label}|{key}".encode()).hexdigest()[:12]


def _skeleton(word: str) -> str:
    return word[:1] + re.sub(r"[aeiou]+", "", word[1:])


def same_word(a: str, b: str) -> bool:
    """Two transliteration keys of one name word: equal, one edit apart in a long word, or same consonants.

    The consonant test (Mohamed/Muhamad, Husein/Husain) needs three consonants, so short
    distinct names (Jan/Jon, Anna/Anne) stay apart.
    """
    if a == b or fuzz.ratio(a, b) >= FUZZY_MATCH:
        return True
    skeleton = _skeleton(a)
    return len(skeleton) >= 3 and skeleton == _skeleton(b)


def same_person(a: str, b: str) -> bool:
    """Two full-name keys of one person: the surnames agree and so do the first given names (or initials)."""
    wa, wb = a.split(), b.split()
    if not same_word(wa[-1], wb[-1]):
        return False
    if len(wa[0]) == 1 or len(wb[0]) == 1:
        return wa[0][0] == wb[0][0]
    return same_word(wa[0], wb[0])


def _person_groups(mentions: Sequence[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """(doc index, person key) -> cluster key, independent of document and mention order.

    Full names cluster first, most frequent spelling first; a lone word then joins the one
    full name whose surname it is (preferring full names in its own document); a lone word
    that fits several full names, or none, stays an entity of its own.
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
        local = fits & in_doc[doc_i]
        if len(local) == 1 or (not local and len(fits) == 1):
            out[(doc_i, key)] = next(iter(local or fits))
            continue
        rep = next((r for r, ks in singles.items() if any(same_word(key, k) for k in ks)), key)
        singles.setdefault(rep, []).append(key)
        out[(doc_i, key)] = rep
    return out


def resolve_entities(docs: Sequence[Document]) -> tuple[list[Entity], list[Document]]:
    """Entities across `docs`, and the documents with each mention's `entity_id` set.

    The result does not depend on the order of `docs`.  A place, group or organisation mention
    that is no country but spells exactly one person's name or surname is taken as a mislabelled
    mention of that person.
    """
    countries: dict[str, _Cluster] = {}
    clusters: dict[tuple[str, str], _Cluster] = {}
    pending: list[tuple[int, int, str, str, str]] = []
    person_keys: list[tuple[int, str]] = []
    for doc_i, doc in enumerate(docs):
        for i, m in enumerate(doc.mentions):
            surface = strip_name(m.text)
            key = translit_key(surface)
            if not key:
                continue
            code = country_of(m.text) if m.label in PLACE_LABELS else None
            pending.append((doc_i, i, surface, "" if code else m.label, code or key))
            if m.label == "PERSON" and not code:
                person_keys.append((doc_i, key))
    people = _person_groups(person_keys)
    by_name: dict[str, set[str]] = defaultdict(set)
    for rep in people.values():
        by_name[rep].add(rep)
        by_name[rep.split()[-1]].add(rep)
    assignment: dict[tuple[int, int], _Cluster] = {}
    for doc_i, i, surface, label, key in pending:
        if not label:
            if key not in countries:
                countries[key] = _Cluster("GPE", key, country=key, canonical=country_name(key))
            cluster = countries[key]
        elif label == "PERSON" or (label in MISLABELS and len(by_name.get(key, ())) == 1):
            rep = people[(doc_i, key)] if label == "PERSON" else next(iter(by_name[key]))
            cluster = clusters.setdefault(("PERSON", rep), _Cluster("PERSON", rep))
        else:
            cluster = clusters.setdefault((label, key), _Cluster(label, key))
        cluster.variants[surface] += 1
        cluster.docs.add(docs[doc_i].id)
        assignment[(doc_i, i)] = cluster
    entities: dict[int, Entity] = {}
    for c in [*countries.values(), *clusters.values()]:
        entities[id(c)] = Entity(
            id=_entity_id(c.label, c.country or c.key),
            name=c.name,
            label=c.label,
            variants=sorted(c.variants),
            country_code=c.country,
            doc_ids=sorted(c.docs),
            mention_count=sum(c.variants.values()),
        )
    out_docs = []
    for doc_i, doc in enumerate(docs):
        mentions: list[Mention] = []
        for i, m in enumerate(doc.mentions):
            assigned = assignment.get((doc_i, i))
            mentions.append(m.model_copy(update={"entity_id": entities[id(assigned)].id}) if assigned else m)
        out_docs.append(doc.model_copy(update={"mentions": mentions}))
    ordered = sorted(entities.values(), key=lambda e: (-len(e.doc_ids), -e.mention_count, e.name, e.id))
    return ordered, out_docs


def mentions_from_spans(spans: Sequence[tuple[str, int, int, str]]) -> list[Mention]:
    """Mentions from (text, start, end, label) spans, keeping the labels that name things."""
    return [Mention(text=t, start=s, end=e, label=lab) for t, s, e, lab in spans if lab in NAME_LABELS]
