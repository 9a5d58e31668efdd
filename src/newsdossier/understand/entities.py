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
    if len(word) < 4:
        return None
    found = {e.name: e for k, e in _leader_keys() if " " in k and same_word(word, k.split()[-1])}
    if len(found) != 1:
        return None
    entry = next(iter(found.values()))
    return entry if entry.country in countries else None


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


def resolve_entities(docs: Sequence[Document]) -> tuple[list[Entity], list[Document]]:
    """Entities across `docs`, and the documents with each mention's `entity_id` set.

    The result does not depend on the order of `docs`.  A place, group or organisation mention
    that is no country but spells exactly one person's name or surname is taken as a mislabelled
    mention of that person.  Countries, international organisations and leaders the gazetteer
    knows carry its Wikidata QID.  A title phrase ('the Iranian president') is added as a mention
    of the leader the gazetteer names for that country and office, when the documents name that
    leader; a bare abbreviation such as 'NK' counts as a country only on a page that names it.
    """
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
            surface = strip_name(m.text)
            key = translit_key(surface)
            if not key:
                continue
            code = country_of(m.text) if m.label in PLACE_LABELS else None
            if code is None and m.label in PLACE_LABELS and context.get(fold(surface)) in page_countries[doc_i]:
                code = context[fold(surface)]
            org = org_of(m.text) if code is None and m.label in PLACE_LABELS else None
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
        else:
            cluster = clusters.setdefault((label, key), _Cluster(label, key))
        cluster.variants[surface] += 1
        cluster.docs.add(docs[doc_i].id)
        assignment[(doc_i, i)] = cluster
    leaders = _link_leaders(clusters, docs, assignment, page_countries)
    extra = _title_mentions(docs, leaders)
    for doc_i, _start, _end, cluster in extra:
        cluster.titles += 1
        cluster.docs.add(docs[doc_i].id)
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
            mention_count=sum(c.variants.values()) + c.titles,
        )
    out_docs = []
    for doc_i, doc in enumerate(docs):
        mentions: list[Mention] = []
        for i, m in enumerate(doc.mentions):
            assigned = assignment.get((doc_i, i))
            mentions.append(m.model_copy(update={"entity_id": entities[id(assigned)].id}) if assigned else m)
        added = [Mention(text=doc.text[s:e], start=s, end=e, label="PERSON", entity_id=entities[id(c)].id)
                 for d, s, e, c in extra if d == doc_i]
        if added:
            mentions = sorted(mentions + added, key=lambda m: (m.start, m.end))
        out_docs.append(doc.model_copy(update={"mentions": mentions}))
    ordered = sorted(entities.values(), key=lambda e: (-len(e.doc_ids), -e.mention_count, e.name, e.id))
    return ordered, out_docs


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
    """Mentions from (text, start, end, label) spans, keeping the labels that name things."""
    return [Mention(text=t, start=s, end=e, label=lab) for t, s, e, lab in spans if lab in NAME_LABELS]
