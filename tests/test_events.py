"""PLOVER event coding: type, mode, CAMEO code, actors, targets, time, place and status, each cited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from spacy.language import Language

from newsdossier.ingest import read_inputs
from newsdossier.model import Citation, Document, Paragraph, RawPage, content_id
from newsdossier.pipeline import process_page
from newsdossier.understand.analyze import load_nlp, understand
from newsdossier.understand.entities import resolve_entities
from newsdossier.understand.events import PLOVER_TYPES, CodedEvent, code_events, has_trigger_word, lexicon

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"
PAGE_DATE = dt.date(2025, 1, 17)  # a Friday
# Modes per type, as the PLOVER codebook lists them (types without modes are coded by context only).
CODEBOOK_MODES = {
    "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "AID": {"economic", "military", "humanitarian", "asylum"},
    "RETREAT": {"withdraw", "release", "return", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate"},
    "THREATEN": {"restrict", "ban", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike-gen", "strike-lim", "strike-hun", "boycott", "obstruct"},
    "SANCTION": {"convict", "cancel", "expel", "withdraw", "sever"},
    "MOBILIZE": {"troops", "weapons", "police"},
    "COERCE": {"confiscate", "restrict", "ban", "censor", "curfew", "martial-law", "arrest", "deport", "withhold"},
    "ASSAULT": {"abduct", "beat", "torture", "execute", "sexual", "assassinate", "destroy", "primitive", "firearms",
                "explosives", "suicide-attack", "heavy-weapons"},
}


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def make_doc(*paragraphs: str, date: dt.date | None = PAGE_DATE) -> Document:
    parts, paras, pos = [], [], 0
    for text in paragraphs:
        paras.append(Paragraph(start=pos, end=pos + len(text)))
        parts.append(text)
        pos += len(text) + 2
    text = "\n\n".join(parts)
    return Document(id=content_id(text), source="t.txt", kind="text", text=text, paragraphs=paras, date=date,
                    site="example.org")


def events_of(nlp: Language, *paragraphs: str, date: dt.date | None = PAGE_DATE) -> list[CodedEvent]:
    doc = understand(make_doc(*paragraphs, date=date), nlp)
    entities, [doc] = resolve_entities([doc])
    events = code_events(doc, nlp, entities)
    for event in events:
        assert_cited(doc, event)
    return events


def assert_cited(doc: Document, event: CodedEvent) -> None:
    """Every citation quotes the document exactly, and every field comes from the event's own sentence."""
    cites: list[Citation] = [event.sentence, event.trigger]
    cites += [a.citation for a in (*event.actors, *event.targets)]
    cites += [c for c in (event.object, event.when.citation, event.status_cue) if c is not None]
    if event.where is not None:
        cites.append(event.where.citation)
    for c in cites:
        assert c.quote == doc.text[c.start:c.end]
        assert c.doc_id == doc.id and c.outlet == doc.outlet
    for c in cites[1:]:
        if c is not event.when.citation or event.when.basis != "page-date":
            assert event.sentence.start <= c.start and c.end <= event.sentence.end, (c, event.sentence)


def one(events: list[CodedEvent], lemma: str) -> CodedEvent:
    found = [e for e in events if e.lemma == lemma]
    assert len(found) == 1, [(e.lemma, e.trigger.quote) for e in events]
    return found[0]


def countries(actors: list) -> set[str | None]:
    return {a.country for a in actors}


def test_signing_done_with_actors_place_and_date(nlp: Language) -> None:
    event = one(events_of(nlp, "Armenia and France signed a defence cooperation agreement in Paris on Monday."), "sign")
    assert (event.plover, event.cameo, event.cameo_root, event.status) == ("SUPPORT", "057", "05", "done")
    assert countries(event.actors) == {"AM", "FR"} and event.targets == []
    assert event.where is not None and event.where.text == "Paris" and event.where.country == "FR"
    assert (event.when.value, event.when.basis) == ("2025-01-13", "stated")
    assert event.when.citation is not None and event.when.citation.quote == "Monday"
    assert event.object is not None and event.object.quote == "a defence cooperation agreement"


def test_future_cooperation_is_an_intention(nlp: Language) -> None:
    event = one(events_of(nlp, "Germany will sign the accord with France in Berlin next week."), "sign")
    assert (event.plover, event.intended, event.cameo_root, event.status) == ("AGREE", "SUPPORT", "03", "planned")
    assert event.status_cue is not None and event.status_cue.quote == "will"
    assert countries(event.actors) == {"DE"} and countries(event.targets) == {"FR"}


@pytest.mark.parametrize(("text", "lemma", "status", "cue"), [
    ("France did not sign the agreement with Germany.", "sign", "denied", "not"),
    ("Japan could impose sanctions on North Korea.", "sanction", "hypothetical", "could"),
    ("If Egypt attacks Sudan, the region will suffer.", "attack", "hypothetical", "If"),
    ("China reportedly sent drones to Russia.", "send", "reported", "reportedly"),
    ("Turkey refused to withdraw its troops from Syria.", "withdraw", "denied", "refused"),
    ("Brazil and Argentina are set to sign a trade pact.", "sign", "planned", "set"),
])
def test_status_from_negation_modality_and_tense(nlp: Language, text: str, lemma: str, status: str, cue: str) -> None:
    event = one(events_of(nlp, text), lemma)
    assert event.status == status
    assert event.status_cue is not None and event.status_cue.quote == cue


def test_planned_and_done_differ_for_the_same_act(nlp: Language) -> None:
    done = one(events_of(nlp, "Kenya deployed troops to Somalia."), "deploy")
    planned = one(events_of(nlp, "Kenya will deploy troops to Somalia."), "deploy")
    assert (done.plover, done.mode, done.cameo, done.status) == ("MOBILIZE", "troops", "154", "done")
    assert (planned.plover, planned.status) == ("MOBILIZE", "planned")
    assert done.when.basis == "page-date" and done.when.relation == "on or before"
    assert planned.when.value == "unknown" and planned.when.citation is None


def test_object_sets_the_mode(nlp: Language) -> None:
    event = one(events_of(nlp, "China reportedly sent drones to Russia."), "send")
    assert (event.plover, event.mode, event.cameo) == ("AID", "military", "072")
    assert countries(event.actors) == {"CN"} and countries(event.targets) == {"RU"}


def test_passive_agent_is_the_actor(nlp: Language) -> None:
    event = one(events_of(nlp, "The accord will be signed by Indonesia and Malaysia."), "sign")
    assert countries(event.actors) == {"ID", "MY"}
    assert event.object is not None and event.object.quote == "The accord"


def test_host_is_the_recipient_of_a_visit(nlp: Language) -> None:
    text = "Vietnam hosted Australian Prime Minister Anthony Albanese in Hanoi on Tuesday."
    event = one(events_of(nlp, text), "host")
    assert (event.plover, event.mode) == ("CONSULT", "visit")
    assert countries(event.actors) == {"AU"} and countries(event.targets) == {"VN"}
    assert event.where is not None and event.where.text == "Hanoi"


def test_event_noun_with_possessor_and_date(nlp: Language) -> None:
    event = one(events_of(nlp, "Russia's invasion of Ukraine in February 2022 shocked Europe."), "invasion")
    assert (event.plover, event.cameo_root) == ("ASSAULT", "19")
    assert countries(event.actors) == {"RU"} and countries(event.targets) == {"UA"}
    assert (event.when.value, event.when.basis) == ("2022-02", "stated")


def test_no_field_from_another_sentence(nlp: Language) -> None:
    events = events_of(nlp, "Chile and Peru signed a trade pact. The ceremony took place in Lima on Monday.")
    event = one(events, "sign")
    assert event.where is None
    assert event.when.basis == "page-date" and event.when.value == "2025-01-17"
    assert event.sentence.quote == "Chile and Peru signed a trade pact."


def test_no_page_date_leaves_time_unknown(nlp: Language) -> None:
    event = one(events_of(nlp, "Chile and Peru signed a trade pact.", date=None), "sign")
    assert (event.when.value, event.when.basis, event.when.citation) == ("unknown", "unknown", None)


def test_act_without_a_named_actor_is_not_coded(nlp: Language) -> None:
    assert events_of(nlp, "A ceasefire was declared after the talks were held in Geneva.") == []


def test_lexicon_uses_plover_types_modes_and_cameo_codes() -> None:
    lex = lexicon()
    entries = [*lex.triggers.values(), *(e for rows in lex.objects.values() for e in rows)]
    assert {e.plover for e in lex.triggers.values()} == PLOVER_TYPES
    for e in entries:
        assert e.plover in PLOVER_TYPES
        assert e.mode is None or e.mode in CODEBOOK_MODES.get(e.plover, set()), e
        assert e.cameo is None or (e.cameo.isdigit() and 2 <= len(e.cameo) <= 4), e
    assert has_trigger_word("They met on Friday") and has_trigger_word("Troops were withdrawn")
    assert not has_trigger_word("The weather was fine")


@pytest.fixture(scope="module")
def seed_doc(nlp: Language) -> tuple[Document, list[CodedEvent]]:
    pages = [p for p in read_inputs([SEEDS]) if isinstance(p, RawPage)]
    docs = [process_page(p, nlp) for p in pages]
    entities, docs = resolve_entities(docs)
    doc = next(d for d in docs if "January 17, 2025" in d.text)
    return doc, code_events(doc, nlp, entities)


def test_seed_signing_event(seed_doc: tuple[Document, list[CodedEvent]]) -> None:
    doc, events = seed_doc
    signing = [e for e in events if e.lemma == "sign" and e.where is not None]
    assert signing, [(e.lemma, e.trigger.quote) for e in events]
    event = signing[0]
    assert event.plover in ("SUPPORT", "AGREE")
    assert countries(event.actors) | countries(event.targets) == {"RU", "IR"}
    assert event.where is not None and event.where.text == "Moscow"
    assert event.when.value == "2025-01-17" and event.when.basis == "stated"
    for e in events:
        assert_cited(doc, e)
