"""The typed records that flow through the pipeline.

One `Document` goes through every stage (ingest -> clean -> dedup -> understand);
each stage returns a new copy with its fields filled.  Cross-document results
(`Entity`, `Fact`, `Event`) and the final `Dossier` are built from documents.
Every value a stage states about the text carries a `Citation`: a document id and
a character span into that document's clean `text`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

PageKind = Literal["html", "text"]
ParagraphKind = Literal["title", "heading", "body", "table", "credit"]
FactStatus = Literal["corroborated", "single-source", "contested"]
ClaimKind = Literal["statement", "quote", "opinion"]
Modality = Literal["done", "planned", "denied", "reported", "hypothetical"]


class Record(BaseModel):
    """Base for all records: strict fields, no silent extras."""

    model_config = ConfigDict(extra="forbid")


def content_id(content: str, prefix: str = "doc") -> str:
    """A stable id from content, so the same page read twice is the same document."""
    digest = hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{prefix}-{digest[:16]}"


class RawPage(Record):
    """A page as ingest found it: decoded, not yet cleaned."""

    source: str = Field(description="Input file path relative to the argument given, or the page URL.")
    content: str
    kind: PageKind
    url: str | None = None
    site: str | None = None
    date: dt.date | None = Field(default=None, description="A date the container gave (JSONL field, WARC-Date).")
    encoding: str | None = None

    @property
    def id(self) -> str:
        return content_id(self.content)


class Skipped(Record):
    """An input that was not processed, and why (one line a user can act on)."""

    source: str
    reason: str


class Paragraph(Record):
    start: int
    end: int
    kind: ParagraphKind = "body"


class Comment(Record):
    """A reader comment: kept apart from the article, never a source of facts."""

    text: str
    author: str | None = None
    posted: str | None = None


class RepeatedParagraph(Record):
    """A paragraph the page repeats; the copy is dropped from `text`, the first kept."""

    text: str
    first_start: int = Field(description="Start of the kept copy in the clean text.")


class Span(Record):
    start: int
    end: int


class Mention(Record):
    """A named-entity mention in one document's clean text."""

    text: str
    start: int
    end: int
    label: str = Field(description="PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, LAW, PRODUCT, ...")
    entity_id: str | None = Field(default=None, description="The resolved Entity this mention refers to.")


class DateMention(Record):
    """A date expression normalised against the page's own date."""

    text: str
    start: int
    end: int
    value: str | None = Field(description="ISO 8601 date (2025-01-17), month (2025-01) or year; None if unresolvable.")
    relative: bool = Field(description="True when resolved against the page date (today, on Friday, last June).")


class QuantityMention(Record):
    """A number with its unit and what it measures."""

    text: str
    start: int
    end: int
    value: float
    unit: str = Field(description="Normalised unit: year, month, day, percent, cubic metre, USD, or a counted noun.")
    dimension: str = Field(description="duration, volume, money, percent, count, mass, length, energy, ...")
    approximate: bool = False
    per: str | None = Field(default=None, description="Rate denominator, e.g. 'year' for '... a year'.")
    measured: str | None = Field(default=None, description="What is measured, e.g. 'gas'.")


class FactKey(Record):
    """What a claim asserts, normalised so that paraphrases share a key.

    `kind` quantity: slot = dimension[:unit[:measured]], value = normalised amount.
    `kind` absence:  slot = the concept said to be missing, value = 'absent' or 'present'.
    `kind` relation: slot = action class + object, value = '' where the act is asserted, 'denied' where negated,
                     'by:<doer>' for an act only one doer can have done (claims.EXCLUSIVE_ACTIONS).
    `kind` date:     slot = the act (e.g. 'sign:agreement'), value = when it happened (ISO date, month or year).
    `kind` place:    slot = the act, value = where it happened (the place's entity id, else its name).
    `kind` statement: slot = the group of paraphrases stating it, value = '' (no single value to contest).
    """

    kind: Literal["quantity", "absence", "relation", "date", "place", "statement"]
    slot: str
    value: str
    label: str = Field(description="Readable statement of the key, e.g. 'duration: 20 years'.")


class Claim(Record):
    """One checkable sentence of an article, with the keys it asserts."""

    doc_id: str
    start: int
    end: int
    text: str
    kind: ClaimKind = "statement"
    modality: Modality | None = Field(default="done", description=(
        "None where not assessed: a sentence with no keys whose only parse cues are negations or modal verbs "
        "is not parsed, so the scope of its 'not' or 'would' is unknown."))
    speaker: str | None = Field(default=None, description="Who says it, for a quote from an interview transcript.")
    keys: list[FactKey] = Field(default_factory=list)


class Document(Record):
    """The central record: one page, cleaned and understood."""

    id: str
    source: str
    kind: PageKind
    url: str | None = None
    site: str | None = None
    title: str | None = None
    date: dt.date | None = None
    date_origin: str | None = Field(default=None, description="Where the page date came from: meta, header, container.")
    updated: dt.date | None = None
    author: str | None = None
    language: str | None = None
    text: str = ""
    paragraphs: list[Paragraph] = Field(default_factory=list)
    comments: list[Comment] = Field(default_factory=list)
    repeated: list[RepeatedParagraph] = Field(default_factory=list)
    site_boilerplate: list[str] = Field(
        default_factory=list,
        description="Blocks removed because other pages of the same site repeat them around their articles.",
    )
    boilerplate_lines: int = Field(default=0, description="How many input lines cleaning removed.")
    duplicate_of: str | None = Field(
        default=None, description="Id of an earlier near-identical document (syndication)."
    )
    duplicate_similarity: float | None = None
    mentions: list[Mention] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    quantities: list[QuantityMention] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)

    @property
    def outlet(self) -> str:
        """The outlet that counts once for independence: its site, else its source."""
        return self.site or self.source


class Citation(Record):
    doc_id: str
    start: int
    end: int
    quote: str = Field(description="The cited text, exactly doc.text[start:end].")
    outlet: str


class Entity(Record):
    """An entity resolved across documents and spellings."""

    id: str
    name: str
    label: str
    variants: list[str]
    qid: str | None = None
    country_code: str | None = None
    doc_ids: list[str]
    mention_count: int


class Fact(Record):
    id: str
    key: FactKey
    statement: str
    status: FactStatus
    citations: list[Citation]
    doc_ids: list[str]
    outlets: list[str]
    contradicted_by: list[str] = Field(default_factory=list, description="Ids of facts that state another value.")
    modality: Modality = "done"


class SummarySentence(Record):
    text: str
    citations: list[Citation]


class TimelineEntry(Record):
    date: str
    text: str
    citations: list[Citation]


class Caution(Record):
    kind: str
    message: str
    doc_id: str | None = None
    citations: list[Citation] = Field(default_factory=list)


class Event(Record):
    id: str
    title: str
    date: str | None = None
    doc_ids: list[str]


class DocumentView(Record):
    """What a dossier shows of each document."""

    id: str
    source: str
    url: str | None
    site: str | None
    outlet: str
    title: str | None
    date: dt.date | None
    language: str | None
    text: str
    paragraphs: list[Paragraph]
    comments: list[Comment]
    repeated_paragraphs: int
    duplicate_of: str | None


class Stats(Record):
    articles: int
    independent_outlets: int
    facts: int
    corroborated: int
    single_source: int
    contested: int
    comments: int


# Event coding (PLOVER/CAMEO) and agreement records (ATOP provisions): understand/events.py, agreements.py

PloverType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
    "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]
EventStatus = Literal["done", "planned", "denied", "hypothetical", "reported"]


class EventActor(Record):
    """A participant as written, with the entity and country it resolves to where the text settles them."""

    text: str
    entity_id: str | None = None
    name: str | None = None
    country: str | None = None
    citation: Citation


class EventTime(Record):
    """When: a date stated in the sentence, else the page date for a done/reported act, else 'unknown'."""

    value: str
    basis: Literal["stated", "page-date", "unknown"]
    relation: Literal["on", "on or before", "unknown"] = "on"
    citation: Citation | None = None


class EventPlace(Record):
    text: str
    entity_id: str | None = None
    country: str | None = None
    citation: Citation


class CodedEvent(Record):
    """One act in one sentence.  `where` None: the sentence names no place for it."""

    id: str
    doc_id: str
    sentence: Citation
    trigger: Citation
    lemma: str
    plover: PloverType
    mode: str | None = None
    cameo: str | None = None
    cameo_root: str | None = None
    intended: PloverType | None = None
    actors: list[EventActor]
    targets: list[EventActor]
    object: Citation | None = None
    when: EventTime
    where: EventPlace | None = None
    status: EventStatus
    status_cue: Citation | None = None


ProvisionState = Literal["present", "absent", "not stated", "contested"]


Basis = Literal["absence stated", "inclusion denied", "commitment denied", "included", "committed", "aim", "named",
                "compared", "table row"]


SlotState = Literal["stated", "not stated", "contested"]


class Stated(Record):
    """One value as a source states it."""

    value: str
    status: EventStatus | None = None
    citations: list[Citation]


class Slot(Record):
    """A field of the record: 'not stated' (no values), 'stated' (one value) or 'contested' (several)."""

    state: SlotState
    values: list[Stated]

    def citations(self) -> list[Citation]:
        return [c for stated in self.values for c in stated.citations]


class Party(Record):
    name: str
    country: str | None = None
    entity_id: str | None = None
    citations: list[Citation]


class Area(Record):
    value: str
    context: str | None = None
    citations: list[Citation]


class Evidence(Record):
    """One source statement about a provision.

    basis: 'absence stated' (lacks, the absence of, no mention of, without), 'inclusion denied' (will not
    include), 'commitment denied', 'included', 'committed' (pledged to), 'aim' (the agreement aims to ...),
    'named' (the agreement is called such a pact), 'compared' (said present in it when contrasting another),
    'table row' (a table of the agreement's terms).
    """

    state: Literal["present", "absent"]
    basis: Basis
    cue: Citation | None = None
    phrase: Citation
    sentence: Citation


class Provision(Record):
    atop: str
    label: str
    state: ProvisionState
    evidence: list[Evidence]


class AgreementRecord(Record):
    """One agreement as the documents describe it; role 'comparison' for one the coverage sets beside it."""

    id: str
    role: Literal["main", "comparison"]
    name: Slot
    parties: list[Party]
    signatories: list[Party]
    signed: Slot
    place: Slot
    duration: Slot
    duration_months: int | None = None
    renewal: Slot
    articles: Slot
    areas: list[Area]
    obligations: list[Provision]
    provisions: list[Provision]
    compared_with: list[str]
    doc_ids: list[str]

    def citations(self) -> list[Citation]:
        """Every span the record rests on: parties, areas, stated fields, then provisions' evidence sentences."""
        cits = [c for p in [*self.parties, *self.signatories] for c in p.citations]
        cits += [c for area in self.areas for c in area.citations]
        for slot in (self.name, self.signed, self.place, self.duration, self.renewal, self.articles):
            cits += slot.citations()
        for provision in [*self.obligations, *self.provisions]:
            cits += [e.sentence for e in provision.evidence]
        return cits


class Dossier(Record):
    """Everything known about one event, every statement cited."""

    schema_version: str = SCHEMA_VERSION
    event: Event
    stats: Stats
    summary: list[SummarySentence]
    facts: list[Fact]
    entities: list[Entity]
    timeline: list[TimelineEntry]
    events: list[CodedEvent] = Field(default_factory=list, description="Acts coded in PLOVER/CAMEO, each field cited.")
    agreements: list[AgreementRecord] = Field(
        default_factory=list, description="Agreements the coverage describes: the main one first, then comparisons."
    )
    cautions: list[Caution]
    documents: list[DocumentView]

    def citations(self) -> list[Citation]:
        """Every citation the dossier makes: summary, facts, timeline, agreements, events, cautions."""
        cits = [c for s in self.summary for c in s.citations] + [c for f in self.facts for c in f.citations]
        cits += [c for t in self.timeline for c in t.citations]
        cits += [c for a in self.agreements for c in a.citations()]
        cits += [e.sentence for e in self.events]
        return cits + [c for k in self.cautions for c in k.citations]
