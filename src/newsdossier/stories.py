"""Stories stage: group documents into events, online, keeping existing events stable.

One pass over new documents in date order: each joins the existing event whose
documents it resembles most (TF-IDF cosine of title and text, blended with overlap
of the specific names both mention, spelled one way whatever the page's spelling:
"Selenskyj" and "Zelensky" are one name) when that resemblance clears
`JOIN_THRESHOLD` and the texts share at least `MIN_COSINE`, else it founds a new
event.  Countries are left out of the names: one country hosts many stories, so
sharing it says little; and shared names alone never join two pages whose words
differ.  Event ids derive from the founding document, so re-running on the same
pages gives the same ids and adding pages never renames an event.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from newsdossier.model import Document, Event
from newsdossier.understand.entities import country_of, strip_name, translit_key

JOIN_THRESHOLD = 0.22
ENTITY_WEIGHT = 0.3
MIN_COSINE = 0.1


@dataclass
class Assignment:
    events: list[Event]  # every event that gained documents, with its full membership
    new_event_ids: list[str]


def _doc_text(doc: Document) -> str:
    title = doc.title or ""
    return f"{title}\n{title}\n{doc.text}"


def _names(doc: Document) -> set[str]:
    """Spelling keys of the specific names the page mentions (surnames for people); countries left out."""
    names = set()
    for m in doc.mentions:
        if m.label not in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"):
            continue
        if m.label != "PERSON" and country_of(m.text):
            continue
        key = translit_key(strip_name(m.text))
        if key:
            names.add(key.split()[-1] if m.label == "PERSON" else key)
    return names


def name_overlap(a: set[str], b: set[str]) -> float:
    """Shared names over the smaller set (a page full of sidebar names is not penalised), plus one
    in the denominator so that one shared name counts for less than two."""
    return len(a & b) / (min(len(a), len(b)) + 1) if a and b else 0.0


def _date_order(doc: Document) -> tuple[str, str]:
    return (doc.date.isoformat() if doc.date else "9999", doc.id)


def event_id_for(founder: Document) -> str:
    return "ev-" + founder.id.split("-", 1)[-1][:12]


def event_date(docs: Sequence[Document]) -> str | None:
    """The day most documents name (each votes once per day), else the earliest page date."""
    votes: Counter[str] = Counter()
    for doc in docs:
        votes.update({d.value for d in doc.dates if d.value and len(d.value) == 10})
    if votes:
        best = max(votes.values())
        return min(v for v, n in votes.items() if n == best)
    dated = sorted(d.date for d in docs if d.date)
    return dated[0].isoformat() if dated else None


def central_title(docs: Sequence[Document]) -> str:
    """Title of the document most like the others (the one that best stands for the event)."""
    titled = [d for d in docs if d.title] or list(docs)
    if len(titled) <= 2:
        return titled[0].title or titled[0].source
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform([_doc_text(d) for d in titled])
    sims = (matrix @ matrix.T).toarray().sum(axis=1)
    best = titled[int(np.argmax(sims))]
    return best.title or best.source


def _similarities(pool: Sequence[Document]) -> np.ndarray:
    """Cosine similarity of every pair of pool documents' TF-IDF vectors (zeros if no words)."""
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    try:
        matrix = vectorizer.fit_transform([_doc_text(d) for d in pool])
    except ValueError:  # no vocabulary at all: nothing but stop words or symbols
        return np.zeros((len(pool), len(pool)))
    return np.asarray((matrix @ matrix.T).toarray())


def assign_events(new_docs: Sequence[Document], existing: Sequence[tuple[Event, Sequence[Document]]]) -> Assignment:
    """Events that `new_docs` join or found, given the events already stored."""
    if not new_docs:
        return Assignment([], [])
    members: dict[str, list[Document]] = {ev.id: list(docs) for ev, docs in existing}
    titles = {ev.id: ev for ev, _ in existing}
    pool = [d for docs in members.values() for d in docs] + list(new_docs)
    row = {d.id: i for i, d in enumerate(pool)}
    sims = _similarities(pool)
    names = {d.id: _names(d) for d in pool}
    event_names = {ev_id: set().union(*(names[m.id] for m in docs)) for ev_id, docs in members.items()}
    touched: list[str] = []
    created: list[str] = []
    for doc in sorted(new_docs, key=_date_order):
        best_id, best_score = None, 0.0
        own = names[doc.id]
        for ev_id, docs in members.items():
            cos = max(float(sims[row[doc.id], row[m.id]]) for m in docs)
            other = event_names[ev_id]
            score = (1 - ENTITY_WEIGHT) * cos + ENTITY_WEIGHT * name_overlap(own, other)
            if cos >= MIN_COSINE and score > best_score:
                best_id, best_score = ev_id, score
        if best_id is None or best_score < JOIN_THRESHOLD:
            best_id = event_id_for(doc)
            members[best_id] = []
            event_names[best_id] = set()
            created.append(best_id)
        members[best_id].append(doc)
        event_names[best_id] |= own
        if best_id not in touched:
            touched.append(best_id)
    events = []
    for ev_id in touched:
        docs = members[ev_id]
        old = titles.get(ev_id)
        events.append(Event(
            id=ev_id,
            title=central_title(docs) if old is None or len(docs) > 1 else old.title,
            date=event_date(docs),
            doc_ids=[d.id for d in sorted(docs, key=_date_order)],
        ))
    return Assignment(events, created)
