"""Date and place facts: when and where each act happened, as the pages' coded events state it.

The claims pipeline (corroborate.py) keys numbers and presence; here the slot is an act and the value its
date or its place, so two outlets that give the same act different days or cities contest each other.

An act is the coded events that describe one occurrence: the same kind of act (the PLOVER type before any
intent recoding, with the CAMEO code of its trigger word, so 'sign', 'ink' and 'formalize' meet), the same
object concept (its head noun, normalised as claims normalise words, so 'treaty' and 'pact' meet) and the
same participants (the countries, else entities, of actors and targets).  A statement that names fewer
participants, or no object, joins the one act it fits; one that fits several is left out rather than guessed.

Only a date the sentence states counts (a page-date fallback is not a statement).  A fact holds one value of
one act; statuses are kept apart this way: done and reported statements contest only done and reported
ones, planned ones only planned ones (a plan that moved is not a contradiction), and a plan and a report
that give the same value support one fact, since both say the act is on that day.  Denied and hypothetical
acts state no date or place at which anything happened and give no facts.

Values contest only when incompatible: a day fits its month and year, 'on or before' fits any date up to
it, a place fits its own country, a building or area fits any place of a country that does not clash, names
that contain one another fit.  Dates further apart than a month, and places stated with dates that far
apart, are taken to be other occurrences of the act ('signed a similar treaty in 2001'), not contradictions.
Only acts that happen once to one object can be contested (signing an agreement, imposing sanctions);
talks, visits, attacks, protests and deliveries recur and last, so different days or places for them are
not a contradiction and their facts are never contested; one outlet's date or place for such an act is
mostly background ('hosted the games in 2004') and gives no fact.
"""

from __future__ import annotations

import datetime as dt
import re
from calendar import month_name
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from newsdossier.corroborate import OTHER_OCCASION_DAYS, date_range, fact_id
from newsdossier.model import Citation, CodedEvent, Document, EventPlace, Fact, FactKey, FactStatus, Modality
from newsdossier.understand.claims import normal_word
from newsdossier.understand.entities import country_of, fold, gazetteer, same_word, strip_name, translit_key
from newsdossier.understand.events import lexicon
from newsdossier.understand.quantities import singular

__all__ = ["Place", "act_noun", "act_words", "dates_compatible", "event_facts", "place_of", "places_compatible"]

# PLOVER types of acts that happen once to one object; the others recur or last several days.
ONE_OFF_TYPES = frozenset({"AGREE", "SUPPORT", "CONCEDE", "RETREAT", "SANCTION"})
# Mention labels of places inside a city or across borders (a building, a sea, a region).
UNBOUNDED_LABELS = frozenset({"FAC", "LOC", "ORG"})
# Share of a statement's participants the act it joins must include (2 of 3 tolerates one stray participant).
PARTICIPANT_COVER = 2 / 3
STATED_STATUSES = {"done": "done", "reported": "done", "planned": "planned"}
MODALITY_RANK: tuple[Modality, ...] = ("done", "reported", "planned")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_PRONOUNS = frozenset({"it", "its", "them", "they", "this", "that", "these", "those", "which", "what", "who", "whom",
                       "one", "ones", "itself", "themselves", "him", "her", "us"})


def _trigger_row(lemma: str) -> tuple[str, str | None] | None:
    triggers = lexicon().triggers
    entry = triggers.get((lemma, "V")) or triggers.get((lemma, "N"))
    return (entry.plover, entry.cameo) if entry else None


@lru_cache(maxsize=1)
def _irregular_forms() -> dict[str, tuple[str, ...]]:
    """Trigger word -> its irregular inflections, from the lexicon's forms= flags."""
    text = resources.files("newsdossier.data").joinpath("plover.tsv").read_text("utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        cells = line.split("\t")
        if line.startswith("#") or len(cells) < 6:
            continue
        for flag in cells[5].split("|"):
            if flag.startswith("forms="):
                out[cells[0]] = tuple(flag[6:].split(","))
    return out


@lru_cache(maxsize=512)
def act_words(lemma: str) -> frozenset[str]:
    """Every trigger word (and irregular form) that codes the same act as `lemma`: same type and CAMEO code."""
    code = _trigger_row(lemma)
    if code is None:
        return frozenset({lemma})
    words = {word for (word, _), entry in lexicon().triggers.items() if (entry.plover, entry.cameo) == code}
    forms = _irregular_forms()
    return frozenset(words | {f for w in words for f in forms.get(w, ())})


@lru_cache(maxsize=512)
def act_noun(lemma: str) -> str:
    """A noun for the act in the sources' own word: the event noun itself, else the verb's gerund ('signing')."""
    if (lemma, "N") in lexicon().triggers:
        return lemma
    if lemma.endswith("ie"):
        return lemma[:-2] + "ying"
    if lemma.endswith("e") and not lemma.endswith(("ee", "ye", "oe")):
        return lemma[:-1] + "ing"
    if re.fullmatch(r"[^aeiou]*[aeiou][^aeiouwxy]", lemma):
        return lemma + lemma[-1] + "ing"
    return lemma + "ing"


def object_concept(event: CodedEvent) -> str | None:
    """The object's head noun, singular and normalised ('the Treaty' and 'a new pact' -> 'agreement')."""
    if event.object is None:
        return None
    words = _WORD.findall(event.object.quote)
    if not words or words[-1].lower() in _PRONOUNS:
        return None
    return normal_word(singular(words[-1].lower().replace("’", "'").removesuffix("'s")))


def participants(event: CodedEvent) -> frozenset[str]:
    """Who takes part: each actor's and target's country, else entity, else folded name."""
    return frozenset(a.country or a.entity_id or fold(a.text) for a in [*event.actors, *event.targets]) - {""}


@dataclass
class _Act:
    kind: tuple[str, str]
    obj: str | None
    who: frozenset[str]
    events: list[CodedEvent] = field(default_factory=list)

    @property
    def contestable(self) -> bool:
        return self.obj is not None and self.kind[0] in ONE_OFF_TYPES

    def lemma(self) -> str:
        counts = Counter(e.lemma for e in self.events)
        return min(counts, key=lambda w: (-counts[w], w))

    def slot(self) -> str:
        return f"{self.lemma()}:{self.obj or ''}:{'+'.join(sorted(self.who))}"

    def phrase(self) -> str:
        noun = act_noun(self.lemma())
        return noun + (f" of the {self.obj}" if self.obj else "")


def _act_kind(event: CodedEvent) -> tuple[str, str]:
    row = _trigger_row(event.lemma)
    return event.intended or event.plover, (row[1] if row and row[1] else event.lemma)


def _group_acts(events: Sequence[CodedEvent]) -> list[_Act]:
    """The acts the events describe (see module doc): fullest statements first, the rest join the one they fit."""
    ordered = sorted(enumerate(events), key=lambda p: (object_concept(p[1]) is None, -len(participants(p[1])), p[0]))
    acts: list[_Act] = []
    for _, event in ordered:
        kind, obj, who = _act_kind(event), object_concept(event), participants(event)
        fits = [a for a in acts if a.kind == kind and (obj is None or a.obj == obj)
                and (not who or len(who & a.who) >= PARTICIPANT_COVER * len(who))]
        if not fits:
            acts.append(_Act(kind, obj, who, [event]))
        elif len(fits) == 1:
            fits[0].events.append(event)
    return acts


def _span(value: str, relation: str = "on") -> tuple[dt.date, dt.date] | None:
    days = date_range(value)
    if days is None:
        return None
    return (dt.date.min, days[1]) if relation == "on or before" else days


def _gap(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> int:
    """Days between two spans; zero or less where they overlap."""
    return max((b[0] - a[1]).days, (a[0] - b[1]).days)


def dates_compatible(a: str, b: str, relation_a: str = "on", relation_b: str = "on") -> bool:
    """Both can be true of one act: a day and its month, a date and an 'on or before' not earlier than it."""
    sa, sb = _span(a, relation_a), _span(b, relation_b)
    return sa is None or sb is None or _gap(sa, sb) <= 0


def _same_occasion(a: CodedEvent, b: CodedEvent) -> bool:
    """Unless both are dated more than a month apart (then they tell of two occurrences of the act)."""
    sa, sb = _span(a.when.value, a.when.relation), _span(b.when.value, b.when.relation)
    return sa is None or sb is None or _gap(sa, sb) <= OTHER_OCCASION_DAYS


@lru_cache(maxsize=1)
def _capitals() -> frozenset[str]:
    return frozenset(fold(e.capital) for e in gazetteer() if e.kind == "country" and e.capital)


@dataclass(frozen=True)
class Place:
    """A place as a fact compares it: value, name as written, country, whether it is a country or unbounded."""

    value: str
    name: str
    country: str | None
    is_country: bool
    unbounded: bool


def place_of(where: EventPlace, label: str | None = None) -> Place:
    """The place's value: a country's entity (or code); a capital or seat, which entity resolution merges into its
    country, by its own name; anything else by its entity, else its name."""
    name = strip_name(where.text) or where.text
    key = fold(name)
    code = country_of(name)
    is_country = code is not None and key not in _capitals() and label in (None, "GPE")
    if is_country:
        value = where.entity_id or f"country:{code}"
    elif code is not None:
        value = key
    else:
        value = where.entity_id or key
    country = code or where.country
    return Place(value, name, country, is_country, label in UNBOUNDED_LABELS)


def _same_name(a: Place, b: Place) -> bool:
    """One name contains the other's words ('Moscow' and 'Moscow Oblast'), or they are spellings of one name."""
    wa, wb = translit_key(a.name).split(), translit_key(b.name).split()
    if not wa or not wb:
        return False
    if set(wa) <= set(wb) or set(wb) <= set(wa):
        return True
    return len(wa) == len(wb) and all(same_word(x, y) for x, y in zip(wa, wb, strict=True))


def places_compatible(a: Place, b: Place) -> bool:
    """Both can be true of one act: the same place, a place and its country, a building or area and a place of a
    country it does not clash with.  Two different named places, or places in two countries, clash."""
    if a.value == b.value or _same_name(a, b):
        return True
    clash = a.country is not None and b.country is not None and a.country != b.country
    if a.is_country or b.is_country or a.unbounded or b.unbounded:
        return not clash
    return False


@dataclass(frozen=True)
class _Said:
    """One statement of a value: the event, its outlet, its status group and the value compared."""

    event: CodedEvent
    outlet: str
    group: str
    date: str | None = None
    place: Place | None = None


def _labels(docs: Sequence[Document] | None) -> dict[tuple[str, int, int], str]:
    return {(d.id, m.start, m.end): m.label for d in docs or () for m in d.mentions}


def _statements(act: _Act, outlets: Mapping[str, str], labels: dict[tuple[str, int, int], str]
                ) -> tuple[list[_Said], list[_Said]]:
    dates, places = [], []
    for e in act.events:
        group = STATED_STATUSES.get(e.status)
        outlet = outlets.get(e.doc_id)
        if group is None or outlet is None:
            continue
        if e.when.basis == "stated" and _span(e.when.value) is not None:
            dates.append(_Said(e, outlet, group, date=e.when.value))
        if e.where is not None:
            c = e.where.citation
            places.append(_Said(e, outlet, group, place=place_of(e.where, labels.get((c.doc_id, c.start, c.end)))))
    return dates, places


def _conflict(a: _Said, b: _Said) -> bool:
    if a.group != b.group or a.outlet == b.outlet or not _same_occasion(a.event, b.event):
        return False
    if a.date is not None and b.date is not None:
        return not dates_compatible(a.date, b.date)
    return a.place is not None and b.place is not None and not places_compatible(a.place, b.place)


def _date_words(value: str) -> str:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return f"on {parts[2]} {month_name[parts[1]]} {parts[0]}"
    return f"in {month_name[parts[1]]} {parts[0]}" if len(parts) == 2 else f"in {parts[0]}"


def _facts_of(act: _Act, kind: str, statements: list[_Said], outlets: Mapping[str, str],
              order: dict[str, int]) -> list[Fact]:
    by_value: dict[str, list[_Said]] = defaultdict(list)
    for s in statements:
        by_value[s.date if s.date is not None else s.place.value if s.place else ""].append(s)
    slot = act.slot()
    ids = {v: fact_id((kind, slot, v)) for v in by_value}
    against: dict[str, set[str]] = defaultdict(set)
    if act.contestable:
        values = list(by_value)
        for i, va in enumerate(values):
            for vb in values[i + 1:]:
                if any(_conflict(a, b) for a in by_value[va] for b in by_value[vb]):
                    against[va].add(ids[vb])
                    against[vb].add(ids[va])
    facts = []
    for value, stated in by_value.items():
        sentences = {(s.event.doc_id, s.event.sentence.start, s.event.sentence.end): s.event.sentence for s in stated}
        ordered = sorted(sentences.values(), key=lambda c: (order.get(c.doc_id, len(order)), c.start))
        citations = [Citation(doc_id=c.doc_id, start=c.start, end=c.end, quote=c.quote, outlet=outlets[c.doc_id])
                     for c in ordered]
        fact_outlets = sorted({c.outlet for c in citations})
        doc_ids = list(dict.fromkeys(c.doc_id for c in citations))
        if kind == "date":
            said = _date_words(value)
        else:
            names = Counter(s.place.name for s in stated if s.place)
            said = "in " + min(names, key=lambda n: (-names[n], n))
        phrase = act.phrase()
        countries = sorted(w for w in act.who if re.fullmatch(r"[A-Z]{2}", w))
        key = FactKey(kind="date" if kind == "date" else "place", slot=slot, value=value,
                      label=phrase + (f" ({', '.join(countries)})" if countries else "") + f": {said.split(' ', 1)[1]}")
        status: FactStatus = ("contested" if value in against else
                              "corroborated" if len(fact_outlets) >= 2 else "single-source")
        if status == "single-source" and not act.contestable:
            continue
        modality = next((m for m in MODALITY_RANK if any(s.event.status == m for s in stated)), "planned")
        facts.append(Fact(
            id=ids[value], key=key, statement=f"{phrase[:1].upper()}{phrase[1:]} {said}", status=status,
            citations=citations, doc_ids=doc_ids, outlets=fact_outlets, contradicted_by=sorted(against[value]),
            modality=modality,
        ))
    return facts


def event_facts(events: Sequence[CodedEvent], outlets: Mapping[str, str],
                docs: Sequence[Document] | None = None) -> list[Fact]:
    """Date and place facts of the acts the coded events describe (see module doc).

    `outlets` maps document id to the independent outlet it counts as (corroborate.outlet_map: copies count
    as their origin); events of documents it lacks are ignored.  `docs`, where given, supply the mention
    labels that tell a building or area from a city.  Each fact cites the sentences that state its value.
    """
    labels = _labels(docs)
    order = {doc_id: i for i, doc_id in enumerate(dict.fromkeys(e.doc_id for e in events))}
    facts: list[Fact] = []
    for act in _group_acts([e for e in events if e.doc_id in outlets]):
        dates, places = _statements(act, outlets, labels)
        facts += _facts_of(act, "date", dates, outlets, order)
        facts += _facts_of(act, "place", places, outlets, order)
    facts.sort(key=lambda f: (-len(f.outlets), f.key.kind, f.key.slot, f.key.value))
    return facts
