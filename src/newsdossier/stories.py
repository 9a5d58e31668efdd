"""Stories stage: group documents into events, online, keeping existing events stable.

One pass over new documents in date order: each joins the existing event whose
documents it resembles most (TF-IDF cosine of title and text, blended with overlap
of named entities) when that resemblance clears `JOIN_THRESHOLD`, else it founds a
new event.  Event ids derive from the founding document, so re-running on the same
pages gives the same ids and adding pages never renames an event.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from newsdossier.model import Document, Event

JOIN_THRESHOLD = 0.22
ENTITY_WEIGHT = 0.3


@dataclass
class Assignment:
    events: list[Event]  # every event that gained documents, with its full membership
    new_event_ids: list[str]


def _doc_text(doc: Document) -> str:
    title = doc.title or ""
    return f"{title}\n{title}\n{doc.text}"


def _names(doc: Document) -> set[str]:
    return {m.text.lower() for m in doc.mentions if m.label in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")}


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


def assign_events(new_docs: Sequence[Document], existing: Sequence[tuple[Event, Sequence[Document]]]) -> Assignment:
    """Events that `new_docs` join or found, given the events already stored."""
    members: dict[str, list[Document]] = {ev.id: list(docs) for ev, docs in existing}
    titles = {ev.id: ev for ev, _ in existing}
    pool = [d for docs in members.values() for d in docs] + list(new_docs)
    if not new_docs:
        return Assignment([], [])
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1)
    vectorizer.fit([_doc_text(d) for d in pool])
    vec = {d.id: vectorizer.transform([_doc_text(d)]) for d in pool}
    touched: list[str] = []
    created: list[str] = []
    for doc in sorted(new_docs, key=_date_order):
        best_id, best_score = None, 0.0
        names = _names(doc)
        for ev_id, docs in members.items():
            cos = max(float((vec[doc.id] @ vec[m.id].T).toarray()[0, 0]) for m in docs)
            other = set().union(*(_names(m) for m in docs))
            overlap = len(names & other) / len(names | other) if names and other else 0.0
            score = (1 - ENTITY_WEIGHT) * cos + ENTITY_WEIGHT * overlap
            if score > best_score:
                best_id, best_score = ev_id, score
        if best_id is None or best_score < JOIN_THRESHOLD:
            best_id = event_id_for(doc)
            members[best_id] = []
            created.append(best_id)
        members[best_id].append(doc)
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
