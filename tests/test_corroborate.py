"""Corroboration: claim keys across documents become facts with status and citations."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from newsdossier.corroborate import build_facts, date_range, outlet_map
from newsdossier.model import Comment, Document, Fact, Paragraph, content_id
from newsdossier.understand.analyze import load_nlp, understand
from newsdossier.understand.entities import resolve_entities


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def make_doc(nlp: Language, text: str, site: str, page: str = "a", **extra: object) -> Document:
    fields: dict[str, object] = {"date": dt.date(2025, 1, 17), **extra}
    doc = Document(
        id=content_id(f"{site}/{page}|{text}"), source=f"https://{site}/{page}", kind="html", site=site,
        url=f"https://{site}/{page}", text=text, paragraphs=[Paragraph(start=0, end=len(text))], **fields,
    )
    return understand(doc, nlp)


def facts_of(docs: list[Document]) -> list[Fact]:
    _, resolved = resolve_entities(docs)
    return build_facts(resolved)


def fact(facts: list[Fact], slot: str, value: str | None = None) -> Fact:
    found = [f for f in facts if f.key.slot == slot and (value is None or f.key.value == value)]
    assert len(found) == 1, [(f.key.slot, f.key.value) for f in facts]
    return found[0]


def check_citations(f: Fact, docs: list[Document]) -> None:
    by_id = {d.id: d for d in docs}
    for cit in f.citations:
        assert cit.quote == by_id[cit.doc_id].text[cit.start : cit.end]
        assert cit.doc_id in f.doc_ids


def test_two_outlets_corroborate(nlp: Language) -> None:
    docs = [
        make_doc(nlp, "Iran has supplied drones to Russia, officials said. The deal runs for 20 years.", "one.com"),
        make_doc(nlp, "Iran is a major supplier of drones to Russia. The pact lasts two decades.", "two.org"),
    ]
    facts = facts_of(docs)
    drones = fact(facts, "provide:drone")
    assert drones.status == "corroborated"
    assert drones.statement == "Supply of drones"
    assert drones.doc_ids == [d.id for d in docs]
    assert drones.outlets == ["one.com", "two.org"]
    assert [c.outlet for c in drones.citations] == ["one.com", "two.org"]
    assert drones.contradicted_by == []
    check_citations(drones, docs)
    assert drones.citations[1].quote == "Iran is a major supplier of drones to Russia."
    duration = fact(facts, "duration:year", "20")
    assert duration.status == "corroborated" and duration.statement == "Duration: 20 years"
    check_citations(duration, docs)
    assert facts[0].status == "corroborated"


def test_one_outlet_is_single_source(nlp: Language) -> None:
    docs = [
        make_doc(nlp, "Iran has supplied drones to Russia.", "one.com"),
        make_doc(nlp, "The agreement comprises 47 articles.", "two.org"),
    ]
    facts = facts_of(docs)
    articles = fact(facts, "count:article", "47")
    assert articles.status == "single-source"
    assert articles.doc_ids == [docs[1].id] and articles.outlets == ["two.org"]
    check_citations(articles, docs)
    assert not [f for f in facts if f.key.slot == "provide:drone"], "one outlet's action+object is not listed as a fact"


def test_syndicated_copy_and_same_site_count_once(nlp: Language) -> None:
    origin = make_doc(nlp, "The treaty has 47 articles, the ministry said.", "wire.com")
    copy = make_doc(nlp, "The treaty has 47 articles, the ministry said.", "paper.net",
                    duplicate_of=origin.id, duplicate_similarity=0.97)
    second_page = make_doc(nlp, "The pact comprises 47 articles.", "wire.com", page="b")
    docs = [origin, copy, second_page]
    assert outlet_map(docs) == {origin.id: "wire.com", copy.id: "wire.com", second_page.id: "wire.com"}
    articles = fact(facts_of(docs), "count:article", "47")
    assert articles.status == "single-source"
    assert articles.outlets == ["wire.com"]
    assert articles.doc_ids == [origin.id, copy.id, second_page.id]
    assert {c.outlet for c in articles.citations} == {"wire.com"}
    check_citations(articles, docs)
    independent = make_doc(nlp, "The accord runs to 47 articles.", "other.org")
    assert fact(facts_of([*docs, independent]), "count:article", "47").status == "corroborated"


def test_copy_of_a_copy_counts_as_its_origin(nlp: Language) -> None:
    a = make_doc(nlp, "Iran has supplied drones to Russia.", "a.com")
    b = make_doc(nlp, "Iran has supplied drones to Russia.", "b.com", duplicate_of=a.id)
    c = make_doc(nlp, "Iran has supplied drones to Russia.", "c.com", duplicate_of=b.id)
    assert set(outlet_map([c, b, a]).values()) == {"a.com"}


def test_present_against_absent_is_contested(nlp: Language) -> None:
    docs = [
        make_doc(nlp, "The treaty between Russia and Iran lacks a mutual defence clause.", "one.com"),
        make_doc(nlp, "The Russia-Iran treaty includes a mutual defense clause, Iran said.", "two.org"),
        make_doc(nlp, "Iran and Russia will not include a mutual defence clause.", "three.net"),
    ]
    facts = facts_of(docs)
    absent = fact(facts, "atop:defense", "absent")
    present = fact(facts, "atop:defense", "present")
    assert absent.status == present.status == "contested"
    assert absent.contradicted_by == [present.id]
    assert present.contradicted_by == [absent.id]
    assert absent.outlets == ["one.com", "three.net"] and present.outlets == ["two.org"]
    assert absent.statement == "No mutual defence" and present.statement == "Includes mutual defence"
    check_citations(absent, docs)


def test_unnamed_present_against_absent_is_contested(nlp: Language) -> None:
    docs = [
        make_doc(nlp, "The treaty lacks a mutual defence clause.", "one.com"),
        make_doc(nlp, "The treaty includes a mutual defense clause.", "two.org"),
    ]
    facts = facts_of(docs)
    assert {f.status for f in facts if f.key.slot == "atop:defense"} == {"contested"}


def test_present_about_other_participants_is_no_contradiction(nlp: Language) -> None:
    docs = [
        make_doc(nlp, "The treaty between Russia and Iran lacks a mutual defence clause.", "one.com"),
        make_doc(nlp, "Russia's pact with North Korea includes a mutual defence clause.", "two.org"),
    ]
    facts = facts_of(docs)
    absent = fact(facts, "atop:defense", "absent")
    assert absent.status == "single-source" and absent.contradicted_by == []


def test_present_alone_is_not_a_fact(nlp: Language) -> None:
    facts = facts_of([make_doc(nlp, "The treaty includes a mutual defence clause.", "one.com")])
    assert [f for f in facts if f.key.kind == "absence"] == []


def test_different_values_for_one_quantity_slot_are_contested(nlp: Language) -> None:
    docs = [
        make_doc(nlp, "Russia and Iran signed a 20-year treaty.", "one.com"),
        make_doc(nlp, "Iran and Russia signed a treaty that runs for 25 years.", "two.org"),
        make_doc(nlp, "The Russia-Iran pact lasts two decades.", "three.net"),
    ]
    facts = facts_of(docs)
    twenty, twenty_five = fact(facts, "duration:year", "20"), fact(facts, "duration:year", "25")
    assert twenty.status == twenty_five.status == "contested"
    assert twenty.contradicted_by == [twenty_five.id] and twenty_five.contradicted_by == [twenty.id]
    assert twenty.outlets == ["one.com", "three.net"]


def test_different_values_about_different_participants_are_not_contested(nlp: Language) -> None:
    docs = [
        make_doc(nlp, "Russia and Iran signed a 20-year treaty.", "one.com"),
        make_doc(nlp, "Russia and Iran signed a 20-year treaty.", "three.net"),
        make_doc(nlp, "France and Germany signed a 50-year treaty in 1963.", "two.org"),
    ]
    facts = facts_of(docs)
    assert fact(facts, "duration:year", "20").status == "corroborated"
    assert fact(facts, "duration:year", "50").status == "single-source"


def test_one_outlet_disagreeing_with_itself_is_not_contested(nlp: Language) -> None:
    doc = make_doc(nlp, "Russia and Iran signed a 20-year treaty. Russia and Iran plan a 25-year treaty.", "one.com")
    assert {f.status for f in facts_of([doc]) if f.key.slot == "duration:year"} == {"single-source"}


def test_comments_never_produce_facts(nlp: Language) -> None:
    comments = [Comment(text="Iran supplied drones to Russia for 30 years, everyone knows.", author="troll"),
                Comment(text="The treaty lacks a mutual defence clause.")]
    docs = [
        make_doc(nlp, "Putin met Pezeshkian in Moscow on Friday.", "one.com", comments=comments),
        make_doc(nlp, "The two leaders met in Moscow.", "two.org",
                 comments=[Comment(text="Iran has supplied drones to Russia.")]),
    ]
    assert all(c.text not in d.text for d in docs for c in d.comments)
    facts = facts_of(docs)
    slots = {f.key.slot for f in facts}
    assert not slots & {"provide:drone", "atop:defense", "duration:year"}
    for f in facts:
        check_citations(f, docs)


def test_fact_ids_stable_and_modality_is_the_majority(nlp: Language) -> None:
    docs = [
        make_doc(nlp, "Putin will sign the treaty on Friday.", "one.com"),
        make_doc(nlp, "Putin is set to sign the agreement in Moscow.", "two.org"),
        make_doc(nlp, "Putin signed the treaty.", "three.net"),
    ]
    facts = facts_of(docs)
    signing = fact(facts, "sign:agreement")
    assert signing.modality == "planned" and signing.statement == "Signing of agreement"
    assert [f.id for f in facts_of(docs)] == [f.id for f in facts]
    assert {f.id for f in facts_of(list(reversed(docs)))} == {f.id for f in facts}
    assert len({f.id for f in facts}) == len(facts)


def test_an_act_dated_on_another_occasion_does_not_support_the_event(nlp: Language) -> None:
    docs = [
        make_doc(nlp, "Iran and Russia signed the agreement in Moscow on Friday.", "one.com"),
        make_doc(nlp, "Russia and Iran signed the agreement on January 17, 2025.", "two.org"),
        make_doc(nlp, "Last June, Russia signed a similar agreement with North Korea.", "three.net"),
    ]
    _, resolved = resolve_entities(docs)
    signing = fact(build_facts(resolved, "2025-01-17"), "sign:agreement")
    assert signing.doc_ids == [docs[0].id, docs[1].id]
    assert fact(build_facts(resolved), "sign:agreement").doc_ids == [d.id for d in docs]


def test_on_an_undated_page_relative_dates_are_read_against_the_event_day(nlp: Language) -> None:
    undated = [make_doc(nlp, text, site, date=None) for text, site in (
        ("Iran and Russia will sign the agreement this Friday.", "one.com"),
        ("Russia and Iran are set to sign the agreement on Friday.", "two.org"),
        ("Last June, Russia signed a similar agreement with North Korea.", "three.net"),
    )]
    signing = fact(build_facts(undated, "2025-01-17"), "sign:agreement")
    assert signing.doc_ids == [undated[0].id, undated[1].id]


@pytest.mark.parametrize(("value", "expected"), [
    ("2025-01-17", (dt.date(2025, 1, 17), dt.date(2025, 1, 17))),
    ("2024-02", (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
    ("2013", (dt.date(2013, 1, 1), dt.date(2013, 12, 31))),
    ("2025-13", None), ("P20Y", None), ("", None),
])
def test_date_range(value: str, expected: tuple[dt.date, dt.date] | None) -> None:
    assert date_range(value) == expected


def test_an_act_one_outlet_asserts_and_another_denies_is_contested(nlp: Language) -> None:
    facts = facts_of([
        make_doc(nlp, "Iran has supplied drones to Russia, Ukrainian officials said.", "a.org"),
        make_doc(nlp, "Iran supplied hundreds of drones to Russia last year.", "b.org"),
        make_doc(nlp, "Iran denied supplying drones to Russia.", "c.org"),
        make_doc(nlp, "Tehran has never sent drones to Russia, the foreign ministry said.", "d.org"),
    ])
    asserted = fact(facts, "provide:drone", "")
    denied = fact(facts, "provide:drone", "denied")
    assert asserted.outlets == ["a.org", "b.org"] and denied.outlets == ["c.org", "d.org"]
    assert asserted.status == denied.status == "contested"
    assert asserted.contradicted_by == [denied.id] and denied.contradicted_by == [asserted.id]
    assert denied.modality == "denied" and asserted.modality != "denied"


def test_a_denial_alone_from_one_outlet_is_no_fact(nlp: Language) -> None:
    facts = facts_of([make_doc(nlp, "The army did not attack the village.", "a.org"),
                      make_doc(nlp, "Talks on the ceasefire resumed on Monday.", "b.org")])
    assert not [f for f in facts if f.key.kind == "relation"]


def test_an_absence_one_outlet_alone_states_is_no_fact_unless_an_atop_provision(nlp: Language) -> None:
    facts = facts_of([
        make_doc(nlp, "The ministry had no immediate comment on the treaty.", "a.org"),
        make_doc(nlp, "The treaty has no non-aggression clause.", "b.org"),
        make_doc(nlp, "The agreement does not include an extradition clause.", "c.org"),
        make_doc(nlp, "There is no extradition clause in the agreement, officials said.", "d.org"),
    ])
    absences = {f.key.slot: f for f in facts if f.key.kind == "absence"}
    assert set(absences) == {"atop:nonagg", "extradition"}
    assert absences["atop:nonagg"].status == "single-source"
    assert absences["extradition"].outlets == ["c.org", "d.org"]


def test_an_approximate_figure_supports_the_same_exact_one(nlp: Language) -> None:
    facts = facts_of([
        make_doc(nlp, "The two banks will cut 4,000 jobs.", "a.org"),
        make_doc(nlp, "Some 4,000 jobs will go at the two banks.", "b.org"),
        make_doc(nlp, "About 9,000 staff work at the two banks.", "c.org"),
    ])
    jobs = [f for f in facts if f.key.kind == "quantity" and "job" in f.key.slot]
    assert [(f.key.value, f.outlets, f.status) for f in jobs] == [("4000", ["a.org", "b.org"], "corroborated")]
    staff = [f for f in facts if f.key.kind == "quantity" and "staff" in f.key.slot]
    assert [f.key.value for f in staff] == ["~9000"]


def test_outlets_naming_different_doers_of_one_act_contest_each_other(nlp: Language) -> None:
    facts = facts_of([
        make_doc(nlp, "Islamic Jihad claimed responsibility for the attack on the checkpoint.", "a.org"),
        make_doc(nlp, "The attack was perpetrated by Islamic Jihad, police said.", "b.org"),
        make_doc(nlp, "Hamas claimed responsibility for the attack on the checkpoint.", "c.org"),
        make_doc(nlp, "The group claimed responsibility for the attack.", "d.org"),
    ])
    doers = [f for f in facts if f.key.slot == "perpetrate:attack"]
    assert sorted((f.outlets, f.status) for f in doers) == [
        (["a.org", "b.org"], "contested"), (["c.org"], "contested")]
    jihad = next(f for f in doers if len(f.outlets) == 2)
    assert jihad.statement == "Responsibility for attack by Islamic Jihad"
    assert jihad.contradicted_by == [f.id for f in doers if f is not jihad]


def test_acts_many_can_do_have_no_doer_to_contest(nlp: Language) -> None:
    facts = facts_of([
        make_doc(nlp, "Germany supplied tanks to Ukraine.", "a.org"),
        make_doc(nlp, "France supplied tanks to Ukraine.", "b.org"),
        make_doc(nlp, "Jonas Verhoeven won a seat in parliament.", "c.org"),
        make_doc(nlp, "Marta Kowalczyk won a seat in parliament.", "d.org"),
    ])
    assert not [f for f in facts if f.status == "contested"]
