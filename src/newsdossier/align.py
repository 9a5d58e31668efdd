"""Align statements: sentences of different outlets that say the same thing, without a key to meet on.

Keys (a quantity, a thing said to be absent, an act with its object, date or place) let only
what they normalise meet.  "The pact aims to deepen economic ties" has no key; its paraphrase
in another outlet shares its content words and its names, not its wording.  Two statements are
taken to say the same thing when their TF-IDF cosine over content words is high enough, a name
counting as the entity it resolves to (so two spellings of one name meet, "Moscow" meets
"the Kremlin" where the resolver joined them), and nothing they state disagrees: no other
amount of the same unit, no date apart, not one negated and the other not.  Statements are
grouped greedily, best pair first, two groups joining only while their average similarity
stays above the threshold (one loose pair does not chain two topics together).

A group stated by two or more independent outlets becomes a fact of kind "statement".  Its
statement is the text of one member, verbatim, chosen so that the others share most of its words
and every one states its numbers, dates and names (the faithfulness check's rule for such facts);
a member that does not is left out of it (and tried with the others left out).  Two groups kept
apart only by a different number, date or a negation while their sentences are otherwise
near-identical state the same thing differently: both become contested facts, each naming the other.

The threshold was chosen on ECB+ training topics (bench/align.py).  Sentence embeddings
(all-MiniLM-L6-v2) were measured there too and not adopted: within one event they score every
on-topic pair alike, and mixed into this cosine they did not raise recall at the same precision.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from newsdossier.corroborate import date_range, fact_id
from newsdossier.faithfulness import SpanSources, statement_span_problems
from newsdossier.model import Citation, Claim, Document, Entity, Fact, FactKey, FactStatus
from newsdossier.understand.claims import normal_word
from newsdossier.understand.entities import fold
from newsdossier.understand.quantities import singular

__all__ = ["CONTEST_SIMILARITY", "SAME_STATEMENT", "statement_facts", "statement_groups", "statement_similarity"]

SAME_STATEMENT = 0.35
"""TF-IDF cosine from which two statements (and the average over two groups) are taken to say the same thing."""
CONTEST_SIMILARITY = 0.8
"""Cosine from which two statements that disagree on a value or a negation contest each other."""
MIN_COVERAGE = 0.5
"""Share of the chosen statement's words and names that each statement cited for it must have."""
MIN_WORDS = 4
MAX_CHARS = 400
PROSE_KINDS = ("body", "title")
# Representatives tried per group, the most central first (each is checked against every member).
REPRESENTATIVES_TRIED = 8

_WORD = re.compile(r"[^\W_]+(?:[’'][^\W_]+)*")
_NEGATIONS = frozenset({"not", "n't", "never", "no", "nor"})
_STOP = frozenset(str.split("""
a an the of to in on at by for with and or but nor so as than then that which who whom whose this these those
it its he she they them their his her we you i me my our your is are was were be been being has have had do does
did will would can could may might must shall should from into onto upon about over under after before since
until during while up out off also just only even still all any some such other another own same both either
neither here there where when why how what not no s said says say told according more most very
"""))


@dataclass(frozen=True)
class _Unit:
    """One candidate statement with what it says, read once."""

    doc: Document
    claim: Claim
    outlet: str
    tokens: tuple[str, ...]
    amounts: frozenset[tuple[str, str, float]]
    dates: tuple[tuple[dt.date, dt.date], ...]
    negated: bool

    @property
    def key(self) -> tuple[str, int]:
        return self.doc.id, self.claim.start


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """A crude stem that maps a word's inflections to one form (signed, signing, signs -> sign)."""
    w = normal_word(singular(word))
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]
            break
    return w[:-1] if len(w) > 3 and w.endswith("e") else w


def _tokens(doc: Document, start: int, end: int) -> list[str]:
    """Content-word stems of doc.text[start:end], and for each name the entity it resolves to (else its
    folded text): the words keep a name's weight, the entity lets its other spellings meet."""
    names = [(m.start, m.end, "ent:" + (m.entity_id or fold(m.text))) for m in doc.mentions
             if start <= m.start and m.end <= end]
    out: list[str] = []
    seen_names: set[int] = set()
    for match in _WORD.finditer(doc.text, start, end):
        inside = next((k for k, (s, e, _) in enumerate(names) if s <= match.start() < e), None)
        if inside is not None and inside not in seen_names:
            seen_names.add(inside)
            out.append(names[inside][2])
        word = match.group(0).lower().replace("’", "'")
        word = word[:-2] if word.endswith("'s") else word
        if word not in _STOP and len(word) > 1:
            out.append(_stem(word))
    return out


def _unit(doc: Document, claim: Claim, outlet: str) -> _Unit:
    amounts = frozenset((q.dimension, q.unit, q.value) for q in doc.quantities
                        if claim.start <= q.start < claim.end)
    dates = tuple(r for d in doc.dates if d.value and claim.start <= d.start < claim.end
                  for r in [date_range(d.value)] if r)
    words = {w.lower().replace("’", "'") for w in _WORD.findall(claim.text)}
    negated = claim.modality == "denied" or bool(words & _NEGATIONS) or any(w.endswith("n't") for w in words)
    return _Unit(doc, claim, outlet, tuple(_tokens(doc, claim.start, claim.end)), amounts, dates, negated)


def _candidate(doc: Document, claim: Claim, taken: Collection[tuple[str, int]]) -> bool:
    """A plain statement of running text (or a title), not yet cited by a keyed fact, long enough to say something."""
    if claim.kind != "statement" or (doc.id, claim.start) in taken or len(claim.text) > MAX_CHARS:
        return False
    if doc.paragraphs and not any(p.kind in PROSE_KINDS and p.start <= claim.start < p.end for p in doc.paragraphs):
        return False
    return sum(w.lower() not in _STOP for w in _WORD.findall(claim.text)) >= MIN_WORDS


def _values_conflict(a: _Unit, b: _Unit) -> bool:
    """Different amounts of one unit, or dates of which none meets the other's."""
    for dim, unit in {(d, u) for d, u, _ in a.amounts} & {(d, u) for d, u, _ in b.amounts}:
        va = [v for d, u, v in a.amounts if (d, u) == (dim, unit)]
        vb = [v for d, u, v in b.amounts if (d, u) == (dim, unit)]
        if not any(math.isclose(x, y, rel_tol=1e-4) for x in va for y in vb):
            return True
    return bool(a.dates and b.dates) and not any(
        lo1 <= hi2 and lo2 <= hi1 for lo1, hi1 in a.dates for lo2, hi2 in b.dates)


def _conflict(a: _Unit, b: _Unit) -> bool:
    return a.negated != b.negated or _values_conflict(a, b)


def _similarity(docs: Sequence[Document], units: Sequence[_Unit]) -> np.ndarray:
    """Cosine of the units' TF-IDF vectors, IDF taken over every claim of the documents."""
    mine = {u.key: u.tokens for u in units}
    corpus = [mine.get((d.id, c.start)) or tuple(_tokens(d, c.start, c.end)) for d in docs for c in d.claims]
    vectorizer = TfidfVectorizer(analyzer=list, sublinear_tf=True)
    vectorizer.fit(corpus)
    matrix = vectorizer.transform([u.tokens for u in units])
    return np.asarray((matrix @ matrix.T).toarray(), dtype=float)


def _pairs_from(sim: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """The pairs (i < j) whose similarity reaches `threshold`, most similar first."""
    rows, cols = np.nonzero(np.triu(sim >= threshold, k=1))
    order = np.argsort(-sim[rows, cols], kind="stable")
    return [(int(rows[k]), int(cols[k])) for k in order]


def _group(units: Sequence[_Unit], sim: np.ndarray, threshold: float) -> list[list[int]]:
    """Greedy average-link grouping over the pairs at or above `threshold`; conflicting units never join."""
    n = len(units)
    group_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    for i, j in _pairs_from(sim, threshold):
        a, b = group_of[i], group_of[j]
        if a == b:
            continue
        left, right = members[a], members[b]
        if sim[np.ix_(left, right)].mean() < threshold:
            continue
        if any(_conflict(units[x], units[y]) for x in left for y in right):
            continue
        for x in right:
            group_of[x] = a
        members[a] = left + right
        del members[b]
    return [sorted(m) for m in members.values()]


def _cite(unit: _Unit) -> Citation:
    c = unit.claim
    return Citation(doc_id=unit.doc.id, start=c.start, end=c.end, quote=unit.doc.text[c.start:c.end],
                    outlet=unit.outlet)


def _entities_of(docs: Sequence[Document]) -> list[Entity]:
    """The resolved entities as the mentions give them (id and spellings), for the name check."""
    variants: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for doc in docs:
        for m in doc.mentions:
            if m.entity_id:
                variants.setdefault(m.entity_id, set()).add(m.text)
                labels.setdefault(m.entity_id, m.label)
    return [Entity(id=eid, name=min(names), label=labels[eid], variants=sorted(names), doc_ids=[], mention_count=0)
            for eid, names in variants.items()]


def _coverage(rep: _Unit, other: _Unit) -> float:
    """Share of the representative's words and names the other statement also has."""
    have = set(other.tokens)
    return sum(t in have for t in rep.tokens) / len(rep.tokens) if rep.tokens else 0.0


def _represented(members: list[int], units: Sequence[_Unit], sim: np.ndarray,
                 sources: SpanSources) -> tuple[int, list[int]]:
    """The member whose text the others state best, and the members that have most of its words and give
    its numbers, dates and names.

    Tried in order of how much of it the others share (the statement should say no more than they do),
    then how central it is.
    """
    def rank(i: int) -> tuple[float, float, int]:
        others = [j for j in members if j != i]
        return (-float(np.mean([_coverage(units[i], units[j]) for j in others])),
                -float(sim[i, others].mean()), len(units[i].claim.text))

    best: tuple[int, list[int]] | None = None
    for rep in sorted(members, key=rank)[:REPRESENTATIVES_TRIED]:
        text, date = units[rep].claim.text, units[rep].doc.date
        kept = [i for i in members if i == rep or (
            _coverage(units[rep], units[i]) >= MIN_COVERAGE
            and not statement_span_problems(text, date, _cite(units[i]), sources))]
        if best is None or len({units[i].outlet for i in kept}) > len({units[i].outlet for i in best[1]}):
            best = rep, kept
        if len(kept) == len(members):
            break
    assert best is not None
    return best


def _stated(members: list[int], units: Sequence[_Unit], sim: np.ndarray,
            sources: SpanSources) -> list[tuple[int, list[int]]]:
    """A group as (representative, members stating it) parts: the members one representative leaves out
    are tried again among themselves."""
    out = []
    while len(members) > 1:
        rep, kept = _represented(members, units, sim, sources)
        out.append((rep, kept))
        members = [i for i in members if i not in kept]
    return [*out, (members[0], members)] if members else out


def _aligned(docs: Sequence[Document], outlets: Mapping[str, str], taken: Collection[tuple[str, int]],
             threshold: float) -> tuple[list[_Unit], np.ndarray, list[list[int]]]:
    units = [_unit(doc, claim, outlets.get(doc.id, doc.outlet)) for doc in docs for claim in doc.claims
             if _candidate(doc, claim, taken)]
    if len(units) < 2:
        return units, np.zeros((len(units), len(units))), [[i] for i in range(len(units))]
    sim = _similarity(docs, units)
    return units, sim, _group(units, sim, threshold)


def statement_similarity(docs: Sequence[Document], outlets: Mapping[str, str],
                         taken: Collection[tuple[str, int]] = ()) -> tuple[list[tuple[str, int]], np.ndarray]:
    """The candidate statements, as (doc id, claim start), and the cosine of every pair of them."""
    units, sim, _ = _aligned(docs, outlets, taken, 1.0)
    return [u.key for u in units], sim


def statement_groups(docs: Sequence[Document], outlets: Mapping[str, str], taken: Collection[tuple[str, int]] = (),
                     *, threshold: float = SAME_STATEMENT) -> list[list[tuple[str, int]]]:
    """The candidate statements grouped by what they say, as (doc id, claim start), before a representative
    is chosen and checked (see `statement_facts`); every candidate is in one group, most alone."""
    units, _, groups = _aligned(docs, outlets, taken, threshold)
    return [[units[i].key for i in members] for members in groups]


def statement_facts(docs: Sequence[Document], outlets: Mapping[str, str], taken: Collection[tuple[str, int]] = (),
                    *, threshold: float = SAME_STATEMENT, contest: float = CONTEST_SIMILARITY,
                    entities: Sequence[Entity] | None = None) -> list[Fact]:
    """Facts of kind "statement" from the plain statements two or more independent outlets make.

    `outlets` maps document id to the independent outlet it counts as (`corroborate.outlet_map`; a document
    it lacks counts as its own outlet);
    a claim whose (doc id, start) is in `taken` (already cited by a keyed fact) is left out;
    `entities` (the resolved ones) widen the name check to an entity's other spellings.
    """
    if len({outlets.get(d.id, d.outlet) for d in docs}) < 2:
        return []  # a statement fact needs two outlets, agreeing or contesting
    units, sim, groups = _aligned(docs, outlets, taken, threshold)
    if len(units) < 2:
        return []
    sources = SpanSources(docs, _entities_of(docs) if entities is None else entities)
    shaped = [part for members in groups for part in _stated(members, units, sim, sources)]
    group_of = {i: g for g, (_, kept) in enumerate(shaped) for i in kept}
    against: dict[int, set[int]] = {}
    for i, j in _pairs_from(sim, contest):
        gi, gj = group_of.get(i), group_of.get(j)
        if (gi is not None and gj is not None and gi != gj
                and units[i].outlet != units[j].outlet and _conflict(units[i], units[j])):
            against.setdefault(gi, set()).add(gj)
            against.setdefault(gj, set()).add(gi)
    ids = {g: fact_id(("statement", _slot(units[rep]), "")) for g, (rep, _) in enumerate(shaped)}
    facts = []
    order = {d.id: i for i, d in enumerate(docs)}
    for g, (rep, kept) in enumerate(shaped):
        fact_outlets = sorted({units[i].outlet for i in kept})
        if len(fact_outlets) < 2 and g not in against:
            continue
        status: FactStatus = "contested" if g in against else "corroborated"
        ordered = sorted(kept, key=lambda i: (order[units[i].doc.id], units[i].claim.start))
        text = _cite(units[rep]).quote
        modality = Counter(units[i].claim.modality or "done" for i in ordered).most_common(1)[0][0]
        facts.append(Fact(
            id=ids[g], key=FactKey(kind="statement", slot=_slot(units[rep]), value="", label=text),
            statement=text, status=status, citations=[_cite(units[i]) for i in ordered],
            doc_ids=sorted({units[i].doc.id for i in ordered}, key=order.__getitem__), outlets=fact_outlets,
            contradicted_by=sorted(ids[o] for o in against.get(g, ())), modality=modality,
        ))
    facts.sort(key=lambda f: (-len(f.outlets), order[f.citations[0].doc_id], f.citations[0].start))
    return facts


def _slot(unit: _Unit) -> str:
    """A stable id of a group: its representative sentence's place."""
    return "s-" + hashlib.sha1(f"{unit.doc.id}:{unit.claim.start}:{unit.claim.end}".encode()).hexdigest()[:10]
