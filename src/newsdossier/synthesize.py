"""Synthesize stage: one Dossier per event from its understood documents.

Everything written here is extractive: summary sentences and timeline entries are
sentences of the articles themselves, each with the citation of the span it is, so
the dossier never says what no source said.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import partial

from newsdossier.align import statement_facts
from newsdossier.conflicts import event_facts
from newsdossier.corroborate import build_facts, cite, fact_order, iso_day, outlet_map
from newsdossier.faithfulness import check_dossier
from newsdossier.model import (
    Caution,
    Claim,
    Document,
    DocumentView,
    Dossier,
    Event,
    Fact,
    Stats,
    SummarySentence,
    TimelineEntry,
)
from newsdossier.understand.agreements import agreement_of
from newsdossier.understand.analyze import load_nlp
from newsdossier.understand.claims import anonymous_attribution
from newsdossier.understand.entities import fold, resolve_entities, strip_name
from newsdossier.understand.events import code_events

# Per document id, (start, end, person) of its off-topic blocks.
OffTopic = dict[str, list[tuple[int, int, str]]]
SUMMARY_SENTENCES = 5
TIMELINE_ENTRIES = 12
MAX_SENTENCE_CHARS = 400
# An off-topic block: at least this many consecutive prose paragraphs each naming one person no other outlet names.
OFF_TOPIC_PARAGRAPHS = 2
# A credit line dated this long before the event retells an older report, or carries a wrong date.
STALE_CREDIT_DAYS = 90


def in_prose(doc: Document, claim: Claim) -> bool:
    """The claim is a sentence of running text (not a table row, title or heading)."""
    return any(p.kind == "body" and p.start <= claim.start < p.end for p in doc.paragraphs)


def _claim_of(fact: Fact, docs: dict[str, Document]) -> Claim | None:
    """The fact's most quotable claim: a plain statement in running text, the shortest."""
    claims = [
        (docs[cit.doc_id], c) for cit in fact.citations for c in docs[cit.doc_id].claims
        if (c.start, c.end) == (cit.start, cit.end)
    ]
    usable = [c for d, c in claims if c.kind == "statement" and len(c.text) <= MAX_SENTENCE_CHARS and in_prose(d, c)]
    return min(usable, key=lambda c: len(c.text)) if usable else None


def summarize(event: Event, docs: Sequence[Document], facts: Sequence[Fact], outlets: dict[str, str]) -> list[
        SummarySentence]:
    """A lead sentence from the most representative page, then the best-supported facts."""
    by_id = {d.id: d for d in docs}
    out: list[SummarySentence] = []
    used: set[tuple[str, int]] = set()

    def add(doc: Document, claim: Claim) -> None:
        if (doc.id, claim.start) in used or len(out) >= SUMMARY_SENTENCES:
            return
        used.add((doc.id, claim.start))
        out.append(SummarySentence(text=claim.text, citations=[cite(doc, claim.start, claim.end, outlets[doc.id])]))

    lead_doc = next((d for d in docs if d.title == event.title), docs[0] if docs else None)
    if lead_doc:
        body = [c for c in lead_doc.claims
                if c.kind == "statement" and len(c.text.split()) >= 8 and in_prose(lead_doc, c)]
        if body:
            add(lead_doc, body[0])
    ranked = sorted(facts, key=lambda f: (f.status != "corroborated", f.key.kind == "relation", -len(f.outlets)))
    for fact in ranked:
        claim = _claim_of(fact, by_id)
        if claim:
            add(by_id[claim.doc_id], claim)
    return out


def timeline(docs: Sequence[Document], outlets: dict[str, str]) -> list[TimelineEntry]:
    """Dated statements, one entry per date: the shortest sentence naming it, cited with all that do."""
    by_date: dict[str, list[tuple[Document, Claim]]] = {}
    for doc in docs:
        for claim in doc.claims:
            if claim.kind == "quote" or len(claim.text) > MAX_SENTENCE_CHARS or not in_prose(doc, claim):
                continue
            for d in doc.dates:
                if d.value and len(d.value) >= 7 and claim.start <= d.start < claim.end:
                    by_date.setdefault(d.value, []).append((doc, claim))
    entries = []
    for value in sorted(by_date)[:TIMELINE_ENTRIES]:
        pairs = list({(d.id, c.start): (d, c) for d, c in by_date[value]}.values())
        doc, claim = min(pairs, key=lambda p: len(p[1].text))
        citations = [cite(doc, claim.start, claim.end, outlets[doc.id])]
        entries.append(TimelineEntry(date=value, text=claim.text, citations=citations))
    return entries


def _surname(name: str) -> str:
    """The last word of a person's name without titles, folded for comparison ('' when none)."""
    return (fold(strip_name(name)).split() or [""])[-1]


def _other_outlets_text(doc: Document, docs: Sequence[Document], outlets: dict[str, str]) -> str:
    """The folded text of every page from another outlet, space-padded for whole-word tests."""
    return f" {' '.join(fold(d.text) for d in docs if outlets[d.id] != outlets[doc.id])} "


def unverifiable_speakers(docs: Sequence[Document], outlets: dict[str, str]) -> list[Caution]:
    """Interview speakers whose surname no other outlet's page mentions: nothing corroborates who they are."""
    out = []
    for doc in docs:
        quoted: dict[str, list[Claim]] = {}
        for claim in doc.claims:
            if claim.speaker:
                quoted.setdefault(claim.speaker.lower(), []).append(claim)
        others = _other_outlets_text(doc, docs, outlets)
        for claims in quoted.values():
            speaker = Counter(c.speaker for c in claims).most_common(1)[0][0] or ""
            surname = _surname(speaker)
            if surname and f" {surname} " not in others:
                first = claims[0]
                out.append(Caution(
                    kind="unverifiable-source", doc_id=doc.id,
                    message=f"{doc.source}: {len(claims)} statement(s) come from an interview with "
                            f"'{speaker}', whom no other outlet mentions",
                    citations=[cite(doc, first.start, first.end, outlets[doc.id])],
                ))
    return out


def _names(named: list[set[str]], texts: list[str], k: int, person: str) -> bool:
    return k < len(texts) and (person in named[k] or person in texts[k])


def off_topic_blocks(docs: Sequence[Document], outlets: dict[str, str]) -> OffTopic:
    """Per document, (start, end, person) of runs of paragraphs about a person no other outlet names.

    An author's bio, a profile or another story pasted under the article reads as a block that keeps
    naming someone the rest of the coverage never mentions; interview speakers are cautioned apart.
    """
    out: OffTopic = {}
    for doc in docs:
        speakers = {fold(c.speaker) for c in doc.claims if c.speaker}
        others = _other_outlets_text(doc, docs, outlets)
        prose = [p for p in doc.paragraphs if p.kind in ("body", "table", "heading")]
        named: list[set[str]] = []
        for para in prose:
            people = set()
            for m in doc.mentions:
                if m.label == "PERSON" and para.start <= m.start < para.end:
                    surname = _surname(m.text)
                    if len(surname) > 2 and f" {surname} " not in others and not any(surname in s for s in speakers):
                        people.add(surname)
            named.append(people)
        texts = [fold(doc.text[p.start : p.end]) for p in prose]
        names = partial(_names, named, texts)
        blocks: list[tuple[int, int, str]] = []
        i = 0
        while i < len(prose):
            for person in sorted(named[i]):
                j = i
                while names(j + 1, person) or (prose[j + 1 : j + 2] and prose[j + 1].kind != "body"
                                                and names(j + 2, person)):
                    j += 1 if names(j + 1, person) else 2
                if j - i + 1 >= OFF_TOPIC_PARAGRAPHS:
                    first = min(m.start for m in doc.mentions if m.label == "PERSON"
                                and prose[i].start <= m.start < prose[i].end and person in fold(m.text))
                    start = max((c.start for c in doc.claims if prose[i].start <= c.start <= first),
                                default=prose[i].start)
                    blocks.append((start, prose[j].end, person))
                    i = j
                    break
            i += 1
        if blocks:
            out[doc.id] = blocks
    return out


def without_off_topic(docs: Sequence[Document], blocks: OffTopic) -> list[Document]:
    """The documents without the claims that sit in their off-topic `blocks` (from `off_topic_blocks`)."""
    return [
        doc.model_copy(update={"claims": [c for c in doc.claims
                                          if not any(s <= c.start < e for s, e, _ in blocks[doc.id])]})
        if doc.id in blocks else doc
        for doc in docs
    ]


def _gap(days: int) -> str:
    if days >= 365:
        years = round(days / 365.25, 1)
        return f"{years:g} year{'s' if years != 1 else ''}"
    return f"{days // 30} months" if days >= 60 else f"{days} days"


def stale_credits(event: Event, docs: Sequence[Document], outlets: dict[str, str]) -> list[Caution]:
    """Credit lines ("Based on a report by ...") dated long before the event the page covers.

    Either the page retells an older report as news, or the date it gives for its source is wrong;
    either way a reader should not take its dates on trust.
    """
    event_day = iso_day(event.date)
    if event_day is None:
        return []
    out = []
    for doc in docs:
        for para in (p for p in doc.paragraphs if p.kind == "credit"):
            for mention in doc.dates:
                day = iso_day(mention.value)
                if day is None or mention.relative or not para.start <= mention.start < para.end:
                    continue
                gap = (event_day - day).days
                if gap > STALE_CREDIT_DAYS:
                    out.append(Caution(
                        kind="dating-error", doc_id=doc.id,
                        message=f"{doc.source} credits a report dated {mention.value}, {_gap(gap)} before the event "
                                f"it covers ({event.date}): that date is wrong, or the page retells an older report",
                        citations=[cite(doc, para.start, para.end, outlets[doc.id])],
                    ))
    return out


def future_in_the_past(docs: Sequence[Document], outlets: dict[str, str]) -> list[Caution]:
    """Pages that announce as still to come something on a date before their own page date.

    "will sign on 17 January" under a page dated after 17 January: the page date is wrong, or the
    text is older than its date says.  Only written-out dates count; relative ones are resolved
    against the page date and cannot disagree with it.
    """
    out = []
    for doc in docs:
        if doc.date is None:
            continue
        late = [(claim, day) for claim in doc.claims if claim.modality == "planned" and claim.kind != "quote"
                for d in doc.dates if not d.relative and claim.start <= d.start < claim.end
                for day in [iso_day(d.value)] if day and (doc.date - day).days > 1]
        if late:
            claim, day = late[0]
            out.append(Caution(
                kind="dating-error", doc_id=doc.id,
                message=f"{doc.source} is dated {doc.date.isoformat()} but announces as still to come something "
                        f"on {day.isoformat()}"
                        + (f" ({len(late)} statements)" if len(late) > 1 else "")
                        + ": its date is wrong, or its text is older than its date",
                citations=[cite(doc, claim.start, claim.end, outlets[doc.id])],
            ))
    return out


def cautions(docs: Sequence[Document], facts: Sequence[Fact], outlets: dict[str, str],
             event: Event | None = None, off_topic: OffTopic | None = None) -> list[Caution]:
    """What a reader should be wary of; `off_topic` is `off_topic_blocks(docs, outlets)` where already found."""
    out: list[Caution] = []
    for doc in docs:
        unresolved = [d for d in doc.dates if d.relative and d.value is None]
        if doc.date is None and unresolved:
            out.append(Caution(
                kind="undated-page", doc_id=doc.id,
                message=f"{doc.source}: no publication date found, so {len(unresolved)} relative date(s) "
                        f"such as '{unresolved[0].text}' stay unresolved",
            ))
        if doc.duplicate_of:
            out.append(Caution(kind="syndicated-copy", doc_id=doc.id,
                               message=f"{doc.source} is a near-copy of {doc.duplicate_of}; counted as one outlet"))
        if doc.repeated:
            out.append(Caution(kind="repeated-paragraphs", doc_id=doc.id,
                               message=f"{doc.source} repeats {len(doc.repeated)} paragraph(s); each counted once"))
    out += unverifiable_speakers(docs, outlets)
    out += future_in_the_past(docs, outlets)
    if event is not None:
        out += stale_credits(event, docs, outlets)
    by_id = {d.id: d for d in docs}
    if off_topic is None:
        off_topic = off_topic_blocks(docs, outlets)
    for doc_id, blocks in off_topic.items():
        doc = by_id[doc_id]
        for start, end, person in blocks:
            name = next((m.text for m in doc.mentions if m.label == "PERSON" and start <= m.start < end
                         and person in fold(m.text)), person)
            spans = [(max(p.start, start), p.end) for p in doc.paragraphs
                     if p.kind == "body" and p.end > start and p.start < end]
            out.append(Caution(
                kind="off-topic", doc_id=doc_id,
                message=f"{doc.source}: {len(spans)} paragraph(s) about '{name}', whom no other outlet mentions "
                        f"(an author bio or another story?); their statements are left out of the facts",
                citations=[cite(doc, a, b, outlets[doc_id]) for a, b in spans[:3]],
            ))
    for fact in facts:
        if fact.key.kind == "quantity" and fact.status == "single-source":
            out.append(Caution(kind="single-source-figure", message=f"Only one outlet gives: {fact.statement}",
                               citations=fact.citations[:1]))
        if fact.citations and all(anonymous_attribution(c.quote) for c in fact.citations):
            out.append(Caution(kind="anonymous-source",
                               message=f"Every source of this fact rests on unnamed sources: {fact.statement}",
                               citations=fact.citations[:3]))
    return out


def view(doc: Document, outlet: str) -> DocumentView:
    return DocumentView(
        id=doc.id, source=doc.source, url=doc.url, site=doc.site, outlet=outlet, title=doc.title, date=doc.date,
        language=doc.language, text=doc.text, paragraphs=doc.paragraphs, comments=doc.comments,
        repeated_paragraphs=len(doc.repeated), duplicate_of=doc.duplicate_of,
    )


def make_dossier(event: Event, docs: Sequence[Document]) -> Dossier:
    """The dossier of `event` from its member documents (in the event's order)."""
    entities, resolved = resolve_entities(docs)
    outlets = outlet_map(resolved)
    nlp = load_nlp()
    off_topic = off_topic_blocks(resolved, outlets)
    events = [e for d in resolved for e in code_events(d, nlp, entities)]
    on_topic = [e for e in events if not any(s <= e.sentence.start < t for s, t, _ in off_topic.get(e.doc_id, []))]
    kept = without_off_topic(resolved, off_topic)
    keyed = build_facts(kept, event.date) + event_facts(on_topic, outlets, resolved)
    taken = {(c.doc_id, c.start) for f in keyed for c in f.citations}
    facts = sorted(keyed + statement_facts(kept, outlets, taken, entities=entities), key=fact_order)
    stats = Stats(
        articles=len(resolved),
        independent_outlets=len(set(outlets.values())),
        facts=len(facts),
        corroborated=sum(f.status == "corroborated" for f in facts),
        single_source=sum(f.status == "single-source" for f in facts),
        contested=sum(f.status == "contested" for f in facts),
        comments=sum(len(d.comments) for d in resolved),
    )
    dossier = Dossier(
        event=event,
        stats=stats,
        summary=summarize(event, resolved, facts, outlets),
        facts=facts,
        entities=entities,
        timeline=timeline(resolved, outlets),
        events=events,
        agreements=agreement_of(resolved, nlp, entities),
        cautions=cautions(resolved, facts, outlets, event, off_topic),
        documents=[view(d, outlets[d.id]) for d in resolved],
    )
    return self_checked(dossier)


def self_checked(dossier: Dossier) -> Dossier:
    """The dossier with a caution for every place its faithfulness check finds it saying more than its spans."""
    found = [
        Caution(kind="unfaithful", message=f"{problem.where}: {problem.message}")
        for problem in check_dossier(dossier)
    ]
    return dossier.model_copy(update={"cautions": dossier.cautions + found}) if found else dossier
