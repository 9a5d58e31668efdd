"""The faithfulness check: silent on the real seed dossier, loud on deliberately broken copies."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdossier.faithfulness import Problem, check_dossier
from newsdossier.model import (
    Citation,
    DocumentView,
    Dossier,
    Entity,
    Event,
    Fact,
    FactKey,
    Stats,
    SummarySentence,
    TimelineEntry,
)
from tests.conftest import SeedBuild


def kinds(problems: list[Problem]) -> set[str]:
    return {p.kind for p in problems}


@pytest.fixture
def seed(seed_build: SeedBuild) -> Dossier:
    return seed_build.dossier.model_copy(deep=True)


def test_seed_dossier_is_faithful(seed: Dossier) -> None:
    assert seed.facts and seed.summary and seed.timeline
    assert check_dossier(seed) == []


def quantity_fact(d: Dossier) -> Fact:
    return next(f for f in d.facts if f.key.kind == "quantity" and re.search(r"\d", f.statement))


def test_changed_number_in_fact_statement(seed: Dossier) -> None:
    fact = quantity_fact(seed)
    fact.statement = re.sub(r"\d+", lambda m: str(int(m.group(0)) + 5), fact.statement, count=1)
    problems = check_dossier(seed)
    assert "fact-statement" in kinds(problems)
    assert all(fact.id in p.where for p in problems)


def test_changed_fact_value_in_key(seed: Dossier) -> None:
    fact = quantity_fact(seed)
    value = float(fact.key.value.lstrip("~"))
    fact.key = fact.key.model_copy(update={"value": f"{value * 3:g}"})
    assert "fact-value" in kinds(check_dossier(seed))


def test_summary_sentence_citing_another_sentence(seed: Dossier) -> None:
    seed.summary[0].citations = seed.summary[1].citations
    problems = check_dossier(seed)
    assert problems and all(p.where == "summary sentence 1" for p in problems)
    assert "unsupported-words" in kinds(problems)


def test_timeline_entry_citing_another_sentence(seed: Dossier) -> None:
    seed.timeline[0].citations = seed.timeline[-1].citations
    assert {"timeline-date", "unsupported-date"} <= kinds(check_dossier(seed))


def test_span_shifted_keeping_the_quote(seed: Dossier) -> None:
    cit = seed.facts[0].citations[0]
    seed.facts[0].citations[0] = cit.model_copy(update={"start": cit.start + 3, "end": cit.end + 3})
    assert "quote-mismatch" in kinds(check_dossier(seed))


def shifted(cit: Citation, text: str, by: int, requote: bool) -> Citation:
    start, end = max(0, cit.start + by), min(len(text), cit.end + by)
    return cit.model_copy(update={"start": start, "end": end, "quote": text[start:end] if requote else cit.quote})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(by=st.integers(-40, 40).filter(lambda k: k != 0), which=st.integers(0, 200))
def test_any_shifted_span_keeping_its_quote_is_caught(seed_build: SeedBuild, by: int, which: int) -> None:
    d = seed_build.dossier.model_copy(deep=True)
    fact = d.facts[which % len(d.facts)]
    i = which % len(fact.citations)
    fact.citations[i] = shifted(fact.citations[i], seed_build.text_of(fact.citations[i].doc_id), by, False)
    assert "quote-mismatch" in kinds(check_dossier(d))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(by=st.integers(-3, 3).filter(lambda k: k != 0), which=st.integers(0, 200))
def test_span_shifted_a_few_characters_is_caught_even_requoted(seed_build: SeedBuild, by: int, which: int) -> None:
    """Its quote matches again, but the span now cuts a word, starts on a space or crosses a line."""
    d = seed_build.dossier.model_copy(deep=True)
    items: list[Fact | SummarySentence | TimelineEntry] = [*d.facts, *d.summary, *d.timeline]
    item = items[which % len(items)]
    i = which % len(item.citations)
    item.citations[i] = shifted(item.citations[i], seed_build.text_of(item.citations[i].doc_id), by, True)
    assert check_dossier(d), item.citations[i].quote


def test_quote_that_does_not_match(seed: Dossier) -> None:
    cit = seed.summary[0].citations[0]
    seed.summary[0].citations[0] = cit.model_copy(update={"quote": cit.quote.replace("e", "a", 1)})
    assert [p.kind for p in check_dossier(seed)] == ["quote-mismatch"]


def test_name_swapped_in_summary_and_timeline(seed: Dossier) -> None:
    swapped = 0
    items: list[SummarySentence | TimelineEntry] = [*seed.summary, *seed.timeline]
    for item in items:
        names = re.findall(r"(?<=\s)(Iran|Russia|Putin|Ukraine|Moscow|Pezeshkian)\b", item.text)
        if names:
            item.text = item.text.replace(names[0], "Venezuela", 1)
            swapped += 1
    assert swapped >= 2
    problems = check_dossier(seed)
    assert len([p for p in problems if p.kind == "unsupported-name" and "Venezuela" in p.message]) == swapped


def test_timeline_date_changed(seed: Dossier) -> None:
    entry = seed.timeline[-1]
    entry.date = "1999-05-04"
    assert "timeline-date" in kinds(check_dossier(seed))


def test_absence_fact_citing_a_sentence_without_the_absence(seed: Dossier) -> None:
    fact = next(f for f in seed.facts if f.key.kind == "absence")
    fact.citations[0] = seed.summary[1].citations[0]
    assert {"fact-concept", "fact-absence"} & kinds(check_dossier(seed))


def test_status_that_its_citations_do_not_support(seed: Dossier) -> None:
    fact = next(f for f in seed.facts if f.status == "single-source")
    fact.status = "corroborated"
    assert kinds(check_dossier(seed)) == {"fact-status"}


def test_relation_fact_with_another_object(seed: Dossier) -> None:
    fact = next(f for f in seed.facts if f.key.kind == "relation")
    action = fact.key.slot.partition(":")[0]
    fact.key = fact.key.model_copy(update={"slot": f"{action}:submarine"})
    assert "fact-concept" in kinds(check_dossier(seed))


# --- small hand-made dossiers: normalised values --------------------------------------------

TEXT = ("The two countries signed a pact for two decades. "
        "Russia could supply Iran with an estimated 55 bn cubic meters of gas annually. "
        "The pact does not include a mutual defence clause. "
        "Despite the absence of a formal defense commitment, ties grew. "
        "Moscow denied supplying gas to the region. "
        "Hamas claimed responsibility for the attack. The attack killed two guards.")


def cite(text: str, sentence: str) -> Citation:
    start = text.index(sentence)
    return Citation(doc_id="doc-1", start=start, end=start + len(sentence), quote=sentence, outlet="a.example")


def dossier(facts: list[Fact], summary: list[SummarySentence] | None = None,
            timeline: list[TimelineEntry] | None = None, text: str = TEXT) -> Dossier:
    doc = DocumentView(id="doc-1", source="a.html", url=None, site="a.example", outlet="a.example", title=None,
                       date=dt.date(2025, 1, 17), language="en", text=text, paragraphs=[], comments=[],
                       repeated_paragraphs=0, duplicate_of=None)
    return Dossier(
        event=Event(id="ev-1", title="t", doc_ids=["doc-1"]),
        stats=Stats(articles=1, independent_outlets=1, facts=len(facts), corroborated=0,
                    single_source=len(facts), contested=0, comments=0),
        summary=summary or [], facts=facts, entities=[], timeline=timeline or [], cautions=[], documents=[doc],
    )


KeyKind = Literal["quantity", "absence", "relation", "date", "place"]


def fact(kind: KeyKind, slot: str, value: str, statement: str, sentence: str) -> Fact:
    key = FactKey(kind=kind, slot=slot, value=value, label=statement.lower())
    return Fact(id=f"fact-{slot}", key=key, statement=statement, status="single-source",
                citations=[cite(TEXT, sentence)], doc_ids=["doc-1"], outlets=["a.example"])


DECADES = "The two countries signed a pact for two decades."
GAS = "Russia could supply Iran with an estimated 55 bn cubic meters of gas annually."
DEFENCE = "The pact does not include a mutual defence clause."


@pytest.mark.parametrize(("f", "ok"), [
    (fact("quantity", "duration:year", "20", "Duration: 20 years", DECADES), True),
    (fact("quantity", "duration:year", "20", "Duration: twenty years", DECADES), True),
    (fact("quantity", "duration:year", "25", "Duration: 25 years", DECADES), False),
    (fact("quantity", "duration:year", "20", "Duration: 20 months", DECADES), False),
    (fact("quantity", "volume:cubic metre:gas/year", "~5.5e+10",
          "About 55 billion cubic metres of gas per year", GAS), True),
    (fact("quantity", "volume:cubic metre:gas/year", "~5.5e+10",
          "About 55 million cubic metres of gas per year", GAS), False),
    (fact("quantity", "volume:cubic metre:oil/year", "~5.5e+10",
          "About 55 billion cubic metres of oil per year", GAS), False),
    (fact("absence", "atop:defense", "absent", "No mutual defence", DEFENCE), True),
    (fact("absence", "atop:defense", "absent", "No mutual defence", GAS), False),
    (fact("absence", "atop:defense", "absent", "No mutual defence",
          "Despite the absence of a formal defense commitment, ties grew."), True),
    (fact("absence", "atop:defense", "absent", "No non-aggression", DEFENCE), False),
    (fact("absence", "atop:nonagg", "absent", "No non-aggression", DEFENCE), False),
    (fact("absence", "atop:bogus", "absent", "No bogus", DEFENCE), False),
    (fact("absence", "nuclear umbrella", "absent", "No nuclear umbrella", DEFENCE), False),
    (fact("relation", "sign:agreement", "", "Signing of agreement", DECADES), True),
    (fact("relation", "provide:gas", "", "Supply of gas", GAS), True),
    (fact("relation", "provide:gas", "", "Supply of gas", DECADES), False),
    (fact("relation", "provide:gas", "denied", "Supply of gas", "Moscow denied supplying gas to the region."), True),
    (fact("relation", "provide:gas", "denied", "Supply of gas", GAS), False),
    (fact("relation", "perpetrate:attack", "by:ent-1", "Responsibility for attack by Hamas",
          "Hamas claimed responsibility for the attack."), True),
    (fact("relation", "perpetrate:attack", "by:ent-1", "Responsibility for attack by Hamas",
          "The attack killed two guards."), False),
    (fact("relation", "perpetrate:attack", "by:ent-1", "Responsibility for attack",
          "Hamas claimed responsibility for the attack."), False),
])
def test_fact_values_are_compared_normalised(f: Fact, ok: bool) -> None:
    problems = check_dossier(dossier([f]))
    assert (problems == []) is ok, problems


SIGNED = "On Friday, the presidents signed the pact in Moscow."


@pytest.mark.parametrize(("kind", "slot", "value", "statement", "ok"), [
    ("date", "sign:agreement:IR+RU", "2025-01-17", "Signing of the agreement on 17 January 2025", True),
    ("date", "sign:agreement:IR+RU", "2025-01", "Signing of the agreement in January 2025", False),
    ("date", "sign:agreement:IR+RU", "2025-01-18", "Signing of the agreement on 18 January 2025", False),
    ("date", "sign:agreement:IR+RU", "2025-01-17", "Signing of the agreement on 18 January 2025", False),
    ("date", "meet::IR+RU", "2025-01-17", "Meeting on 17 January 2025", False),
    ("place", "sign:agreement:IR+RU", "moscow", "Signing of the agreement in Moscow", True),
    ("place", "sign:agreement:IR+RU", "tehran", "Signing of the agreement in Tehran", False),
    ("place", "sign:agreement:IR+RU", "moscow", "Signing of the agreement in Tehran", False),
    ("place", "sign:agreement:IR+RU", "country:RU", "Signing of the agreement in Russia", True),
    ("place", "sign:agreement:IR+RU", "country:IR", "Signing of the agreement in Iran", False),
])
def test_date_and_place_facts(kind: KeyKind, slot: str, value: str, statement: str, ok: bool) -> None:
    key = FactKey(kind=kind, slot=slot, value=value, label=statement.lower())
    f = Fact(id="fact-1", key=key, statement=statement, status="single-source", citations=[cite(SIGNED, SIGNED)],
             doc_ids=["doc-1"], outlets=["a.example"])
    problems = check_dossier(dossier([f], text=SIGNED))
    assert (problems == []) is ok, problems


@pytest.mark.parametrize(("text", "ok"), [
    (DECADES, True),
    ("The two countries signed a pact for 20 years.", True),
    ("The two countries signed a pact for 30 years.", False),
    ("Russia and Iran signed a pact for two decades.", False),
    ("The two countries signed a pact for two decades on 17 January 2025.", False),
])
def test_summary_numbers_dates_and_names(text: str, ok: bool) -> None:
    d = dossier([], summary=[SummarySentence(text=text, citations=[cite(TEXT, DECADES)])])
    assert (check_dossier(d) == []) is ok, check_dossier(d)


def test_timeline_date_from_a_relative_expression() -> None:
    text = "On Friday, the presidents signed the pact in Moscow."
    entry = TimelineEntry(date="2025-01-17", text=text, citations=[cite(text, text)])
    assert check_dossier(dossier([], timeline=[entry], text=text)) == []
    wrong = entry.model_copy(update={"date": "2025-01-10"})
    assert kinds(check_dossier(dossier([], timeline=[wrong], text=text))) == {"timeline-date"}


def test_unknown_document_and_span_out_of_range() -> None:
    bad = cite(TEXT, DECADES).model_copy(update={"doc_id": "doc-x"})
    far = cite(TEXT, DECADES).model_copy(update={"start": 5000, "end": 5010})
    d = dossier([], summary=[SummarySentence(text=DECADES, citations=[bad]),
                             SummarySentence(text=DECADES, citations=[far])])
    assert {"unknown-document", "span-out-of-range", "uncited"} <= kinds(check_dossier(d))


# --- statement facts (paraphrases aligned across outlets) -----------------------------------------

SAID = "Russia will supply Iran with 55 billion cubic metres of gas a year, Putin said on Friday."
ENTITIES = [
    Entity(id="ent-ru", name="Russia", label="GPE", variants=["Russia", "Moscow"], doc_ids=[], mention_count=2),
    Entity(id="ent-ir", name="Iran", label="GPE", variants=["Iran", "Tehran"], doc_ids=[], mention_count=2),
    Entity(id="ent-vp", name="Vladimir Putin", label="PERSON", variants=["Vladimir Putin", "Putin"], doc_ids=[],
           mention_count=2),
]


def statement_dossier(statement: str, other: str, entities: list[Entity] | None = None) -> Dossier:
    """A statement fact citing SAID (a.example, 17 January 2025) and `other` (b.example, 18 January 2025)."""
    views = [DocumentView(id=f"doc-{n}", source=f"{n}.html", url=None, site=site, outlet=site, title=None,
                          date=dt.date(2025, 1, 16 + n), language="en", text=text, paragraphs=[], comments=[],
                          repeated_paragraphs=0, duplicate_of=None)
             for n, site, text in ((1, "a.example", SAID), (2, "b.example", other))]
    cits = [Citation(doc_id=v.id, start=0, end=len(v.text), quote=v.text, outlet=v.outlet) for v in views]
    key = FactKey(kind="statement", slot="s-1", value="", label=statement)
    f = Fact(id="fact-s1", key=key, statement=statement, status="corroborated", citations=cits,
             doc_ids=["doc-1", "doc-2"], outlets=["a.example", "b.example"])
    return Dossier(
        event=Event(id="ev-1", title="t", doc_ids=["doc-1", "doc-2"]),
        stats=Stats(articles=2, independent_outlets=2, facts=1, corroborated=1, single_source=0, contested=0,
                    comments=0),
        summary=[], facts=[f], entities=ENTITIES if entities is None else entities, timeline=[], cautions=[],
        documents=views,
    )


PARAPHRASE = ("Moscow is to deliver 55 bn cubic meters of gas annually to Tehran, "
              "President Vladimir Putin said yesterday.")


@pytest.mark.parametrize(("statement", "other", "problems"), [
    (SAID, PARAPHRASE, set()),
    (SAID.removesuffix(", Putin said on Friday."), PARAPHRASE, set()),
    (SAID, PARAPHRASE.replace("yesterday", "on 17 January"), set()),
    (SAID, PARAPHRASE.replace("55", "50"), {"unsupported-number"}),
    (SAID, PARAPHRASE.replace("yesterday", "on Monday"), {"unsupported-date"}),
    (SAID, PARAPHRASE.replace("President Vladimir Putin", "the president"), {"unsupported-name"}),
    (SAID.replace("55", "65"), PARAPHRASE, {"fact-statement"}),
    ("Russia will supply Iran with gas.", PARAPHRASE, {"fact-statement"}),
])
def test_statement_fact(statement: str, other: str, problems: set[str]) -> None:
    assert kinds(check_dossier(statement_dossier(statement, other))) == problems


def test_statement_names_meet_other_spellings_only_through_resolved_entities() -> None:
    assert kinds(check_dossier(statement_dossier(SAID, PARAPHRASE, entities=[]))) == {"unsupported-name"}
    broken = statement_dossier(SAID, PARAPHRASE.replace("Tehran", "Baghdad"))
    expected = "'Iran' is not in the span " + repr(broken.documents[1].text[:80])
    assert [p.message for p in check_dossier(broken)] == [expected]
