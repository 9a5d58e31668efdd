"""Corroborate stage: claims that assert the same key across documents become one Fact.

A fact's sources are every document with a claim carrying its key; its outlets are
the independent ones (a syndicated copy counts as its origin's outlet, two pages of
one site count once).  Status: contested when another fact states a different value
for the same slot about the same participants; corroborated with two or more
independent outlets; otherwise single-source.  Reader comments are never claims, so
they can never support a fact.

An action and its object from one outlet alone ("send a message") is too often
figurative to list as a fact, and a thing one outlet alone says is missing ("no immediate
comment", "no need") too often incidental: relation and absence facts need two outlets or a
contradiction, except the absence of an ATOP provision ('no mutual defence'), which is what
coverage of an agreement is read for.  An act
one outlet asserts and another denies ("Iran supplied drones" / "Iran denied supplying
drones") is contested: a denied relation is a value of its own.  For acts only one doer can
have done to a given object (winning the election, carrying out the attack: `claims.EXCLUSIVE_ACTIONS`), the
doer is the value, resolved to its entities, and outlets naming different doers contest each other.
An approximate figure ('some 4,000 jobs') supports the same exact one ('4,000 jobs') where an outlet gives it.

Given the event's date, an action or provision stated in a sentence dated well away
from it ("Last June, Putin signed a similar agreement with ...") is another occasion:
it does not support the event's own relation and absence facts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from calendar import monthrange
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import combinations

from newsdossier.model import Citation, Claim, Document, Fact, FactKey, FactStatus
from newsdossier.understand.entities import fold
from newsdossier.understand.time import find_dates

ACTION_PHRASES = {
    "provide": "Supply of", "sign": "Signing of", "meet": "Meeting on", "attack": "Attack with",
    "accuse": "Accusation over", "sanction": "Sanctions on", "build": "Construction of", "threaten": "Threat of",
    "negotiate": "Negotiation of", "kill": "Killing of", "arrest": "Arrest of", "protest": "Protest over",
    "cooperate": "Cooperation on", "win": "Victory in", "perpetrate": "Responsibility for",
}
KIND_ORDER = {"quantity": 0, "absence": 1, "relation": 2, "date": 3, "place": 4, "statement": 5}

GroupKey = tuple[str, str, str]
# A sentence dated this far from the event (nearest day of its date's month or year) is about another occasion.
OTHER_OCCASION_DAYS = 31
OCCASION_KINDS = ("relation", "absence")


def date_range(value: str) -> tuple[dt.date, dt.date] | None:
    """The days an ISO date, month (2025-01) or year (2025) covers; None for anything else."""
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return day, day
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:])
            return dt.date(year, month, 1), dt.date(year, month, monthrange(year, month)[1])
        if len(value) == 4 and value.isdigit():
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
    except ValueError:
        return None
    return None


def iso_day(value: str | None) -> dt.date | None:
    """The day a full ISO date (2025-01-17) names; None for a month, a year or anything else."""
    span = date_range(value) if value else None
    return span[0] if span and len(value or "") == 10 else None


def other_occasion(doc: Document, claim: Claim, event_day: dt.date) -> bool:
    """The claim's sentence carries dates, and none is within OTHER_OCCASION_DAYS of the event's day.

    On an undated page, relative dates ("last June") are read against the event's day: the page is
    in the event because it was written around then.
    """
    mentions = [d for d in doc.dates if claim.start <= d.start < claim.end]
    if doc.date is None and any(d.relative for d in mentions):
        mentions = find_dates(claim.text, event_day)
    ranges = [r for d in mentions if d.value for r in [date_range(d.value)] if r]
    if not ranges:
        return False
    return all(min(abs((event_day - lo).days), abs((event_day - hi).days)) > OTHER_OCCASION_DAYS
               and not lo <= event_day <= hi for lo, hi in ranges)


def outlet_map(docs: Sequence[Document]) -> dict[str, str]:
    """Document id -> the independent outlet it counts as (its origin's, if it is a copy)."""
    by_id = {d.id: d for d in docs}
    out: dict[str, str] = {}
    for doc in docs:
        origin, seen = doc, {doc.id}
        while origin.duplicate_of and origin.duplicate_of in by_id and origin.duplicate_of not in seen:
            origin = by_id[origin.duplicate_of]
            seen.add(origin.id)
        out[doc.id] = origin.outlet
    return out


def cite(doc: Document, start: int, end: int, outlet: str) -> Citation:
    return Citation(doc_id=doc.id, start=start, end=end, quote=doc.text[start:end], outlet=outlet)


def statement(key: FactKey) -> str:
    if key.kind == "relation":
        action, _, obj = key.slot.partition(":")
        said = key.label.partition(" ")[2] or obj
        return f"{ACTION_PHRASES.get(action, action.capitalize() + ' of')} {said}"
    return key.label[:1].upper() + key.label[1:]


def fact_id(key: GroupKey) -> str:
    return "fact-" + hashlib.sha1("|".join(key).encode()).hexdigest()[:10]


def _claim_entities(docs: Sequence[Document]) -> dict[tuple[str, int], frozenset[str]]:
    """(doc id, claim start) -> entity ids mentioned inside the claim."""
    out: dict[tuple[str, int], frozenset[str]] = {}
    for doc in docs:
        for claim in doc.claims:
            ids = {m.entity_id for m in doc.mentions if m.entity_id and claim.start <= m.start < claim.end}
            out[(doc.id, claim.start)] = frozenset(ids)
    return out


def _same_subject(a: list[Claim], b: list[Claim], outlets: dict[str, str],
                  entities: dict[tuple[str, int], frozenset[str]], unnamed_match: bool) -> bool:
    """Two claims from different outlets about the same participants.

    With `unnamed_match`, two claims that name no one are taken to be about the event itself
    ("the treaty lacks X" against "the treaty includes X").
    """
    for ca in a:
        for cb in b:
            if outlets[ca.doc_id] == outlets[cb.doc_id]:
                continue
            ea, eb = entities[(ca.doc_id, ca.start)], entities[(cb.doc_id, cb.start)]
            if ea and eb and len(ea & eb) / len(ea | eb) >= 0.5:
                return True
            if unnamed_match and not ea and not eb:
                return True
    return False


def _doer(doc: Document, claim: Claim, who: str) -> str:
    """A relation value 'by:<entity ids>' for the doer named `who` in the claim: its resolved entities, so that
    two spellings of one doer agree; its folded name where no mention resolves."""
    ids = sorted({m.entity_id for m in doc.mentions
                  if m.entity_id and claim.start <= m.start < claim.end and m.text in who})
    return "by:" + ("+".join(ids) if ids else fold(who))


def _doers_differ(a: str, b: str) -> bool:
    return a.startswith("by:") and b.startswith("by:") and not set(a[3:].split("+")) & set(b[3:].split("+"))


def contested_groups(groups: dict[GroupKey, list[Claim]], outlets: dict[str, str],
                     entities: dict[tuple[str, int], frozenset[str]]) -> dict[GroupKey, set[GroupKey]]:
    """Groups that state different values for one slot about the same participants."""
    by_slot: dict[tuple[str, str], list[GroupKey]] = defaultdict(list)
    for key in groups:
        if not key[2].startswith("~"):
            by_slot[(key[0], key[1])].append(key)
    against: dict[GroupKey, set[GroupKey]] = defaultdict(set)
    for keys in by_slot.values():
        for a, b in combinations(keys, 2):
            if a[0] == "relation" and (a[2].startswith("by:") or b[2].startswith("by:")):
                if _doers_differ(a[2], b[2]) and any(outlets[x.doc_id] != outlets[y.doc_id]
                                                     for x in groups[a] for y in groups[b]):
                    against[a].add(b)
                    against[b].add(a)
                continue  # an act with a named doer neither contradicts nor confirms the bare act
            if _same_subject(groups[a], groups[b], outlets, entities, unnamed_match=a[0] in ("absence", "relation")):
                against[a].add(b)
                against[b].add(a)
    return against


def fact_order(fact: Fact) -> tuple[int, int, str, str]:
    """Most outlets first, then by kind, slot and value."""
    return -len(fact.outlets), KIND_ORDER[fact.key.kind], fact.key.slot, fact.key.value


def build_facts(docs: Sequence[Document], event_date: str | None = None) -> list[Fact]:
    """Facts of one event from its documents' claims (see module doc)."""
    event_day = iso_day(event_date)
    by_id = {d.id: d for d in docs}
    order = {d.id: i for i, d in enumerate(docs)}
    outlets = outlet_map(docs)
    groups: dict[GroupKey, list[Claim]] = defaultdict(list)
    labels: dict[GroupKey, Counter[str]] = defaultdict(Counter)
    by_label: dict[tuple[GroupKey, str], FactKey] = {}
    for doc in docs:
        for claim in doc.claims:
            elsewhere = event_day is not None and other_occasion(doc, claim, event_day)
            for key in claim.keys:
                if elsewhere and key.kind in OCCASION_KINDS:
                    continue
                if key.kind == "relation" and key.value.startswith("by:"):
                    key = key.model_copy(update={"value": _doer(doc, claim, key.value[3:])})
                group: GroupKey = (key.kind, key.slot, key.value)
                groups[group].append(claim)
                labels[group][key.label] += 1
                by_label.setdefault((group, key.label), key)
    for kind, slot, value in list(groups):
        exact = (kind, slot, value.removeprefix("~"))
        if kind == "quantity" and value.startswith("~") and exact in groups:
            groups[exact] += groups.pop((kind, slot, value))  # 'some 4,000 jobs' supports '4,000 jobs'
            del labels[(kind, slot, value)]
    keys = {group: by_label[(group, counts.most_common(1)[0][0])] for group, counts in labels.items()}
    absent_slots = {slot for kind, slot, value in groups if kind == "absence" and value == "absent"}
    groups = {k: v for k, v in groups.items() if not (k[0] == "absence" and k[1] not in absent_slots)}
    against = contested_groups(groups, outlets, _claim_entities(docs))

    facts = []
    for gk, claims in groups.items():
        unique = {(c.doc_id, c.start, c.end): c for c in claims}
        ordered = sorted(unique.values(), key=lambda c: (order[c.doc_id], c.start))
        citations = [cite(by_id[c.doc_id], c.start, c.end, outlets[c.doc_id]) for c in ordered]
        doc_ids = sorted({c.doc_id for c in ordered}, key=order.__getitem__)
        fact_outlets = sorted({outlets[d] for d in doc_ids})
        status: FactStatus = (
            "contested" if gk in against else "corroborated" if len(fact_outlets) >= 2 else "single-source"
        )
        incidental = gk[0] == "relation" or (gk[0] == "absence" and not gk[1].startswith("atop:"))
        if status == "single-source" and incidental:
            continue
        modality = ("denied" if gk[0] == "relation" and gk[2] == "denied"
                    else Counter(c.modality or "done" for c in ordered).most_common(1)[0][0])
        facts.append(Fact(
            id=fact_id(gk), key=keys[gk], statement=statement(keys[gk]), status=status, citations=citations,
            doc_ids=doc_ids, outlets=fact_outlets, contradicted_by=sorted(fact_id(o) for o in against.get(gk, ())),
            modality=modality,
        ))
    facts.sort(key=fact_order)
    return facts
