"""Entity resolution: spellings, surnames, demonyms and stable ids."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from newsdossier.model import Document, Entity, Mention, Paragraph, content_id
from newsdossier.understand.analyze import load_nlp, understand
from newsdossier.understand.entities import (
    country_name,
    country_of,
    resolve_entities,
    same_person,
    strip_name,
    translit_key,
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def make_doc(text: str, site: str = "example.org") -> Document:
    return Document(
        id=content_id(site + text), source=f"{site}/page", kind="text", site=site, text=text,
        paragraphs=[Paragraph(start=0, end=len(text))], date=dt.date(2025, 1, 17),
    )


def hand_doc(name: str, spans: list[tuple[str, str]]) -> Document:
    """A document whose mentions are given, so a test does not depend on the NER model."""
    text = " ".join(t for t, _ in spans) + "."
    mentions, pos = [], 0
    for t, label in spans:
        mentions.append(Mention(text=t, start=pos, end=pos + len(t), label=label))
        pos += len(t) + 1
    doc = make_doc(text, site=name)
    return doc.model_copy(update={"mentions": mentions})


def person(entities: list[Entity], variant: str) -> Entity:
    found = [e for e in entities if variant in e.variants]
    assert len(found) == 1, found
    return found[0]


def people(entities: list[Entity]) -> list[Entity]:
    return [e for e in entities if e.label == "PERSON"]


def test_transliteration_variants_merge_across_documents(nlp: Language) -> None:
    docs = [
        understand(make_doc("President Massud Peseschkian travelled to Moscow on Friday.", "de.example"), nlp),
        understand(make_doc("Iranian President Masoud Pezeshkian met Vladimir Putin in the Kremlin."), nlp),
    ]
    entities, resolved = resolve_entities(docs)
    ent = person(entities, "Massud Peseschkian")
    assert set(ent.variants) == {"Massud Peseschkian", "Masoud Pezeshkian"}
    assert ent.doc_ids == sorted(d.id for d in docs)
    assert ent.mention_count == 2
    by_text = {m.text: m.entity_id for d in resolved for m in d.mentions}
    assert by_text["Massud Peseschkian"] == by_text["Masoud Pezeshkian"] == ent.id
    assert by_text["Vladimir Putin"] == person(entities, "Vladimir Putin").id != ent.id


@pytest.mark.parametrize(
    ("german", "english"),
    [
        ("Massud Peseschkian", "Masoud Pezeshkian"),
        ("Sergej Lawrow", "Sergey Lavrov"),
        ("Wolodymyr Selenskyj", "Volodymyr Zelenskyy"),
        ("Michail Gorbatschow", "Mikhail Gorbachev"),
        ("Mahmud Ahmadinedschad", "Mahmoud Ahmadinejad"),
        ("Mohammed bin Salman", "Muhammad bin Salman"),
        ("Saddam Hussein", "Saddam Husain"),
        ("Aleksandr Lukaschenko", "Alexander Lukashenko"),
    ],
)
def test_romanisation_pairs_are_one_person(german: str, english: str) -> None:
    assert same_person(translit_key(german), translit_key(english))
    entities, _ = resolve_entities([hand_doc("a.de", [(german, "PERSON")]), hand_doc("b.com", [(english, "PERSON")])])
    assert len(people(entities)) == 1
    assert set(people(entities)[0].variants) == {german, english}


@pytest.mark.parametrize(
    ("a", "b"),
    [("Jake Sullivan", "Kate Sullivan"), ("Jan Smith", "Jon Smith"), ("Anna Novak", "Anne Novak"),
     ("Sergey Lavrov", "Sergey Ryabkov"), ("Vladimir Putin", "Vladimir Medinsky")],
)
def test_different_people_stay_apart(a: str, b: str) -> None:
    assert not same_person(translit_key(a), translit_key(b))
    entities, _ = resolve_entities([hand_doc("a.com", [(a, "PERSON"), (b, "PERSON")])])
    assert len(people(entities)) == 2


def test_ner_variants_of_foreign_minister(nlp: Language) -> None:
    docs = [
        understand(make_doc("Foreign Minister Sergej Lawrow spoke to reporters.", "de.example"), nlp),
        understand(make_doc("Russian Foreign Minister Sergey Lavrov said talks went well."), nlp),
    ]
    entities, _ = resolve_entities(docs)
    assert [sorted(e.variants) for e in people(entities)] == [["Sergej Lawrow", "Sergey Lavrov"]]


def test_surname_alone_joins_the_one_full_name(nlp: Language) -> None:
    doc = understand(make_doc(
        "Jake Sullivan met reporters in Washington on Monday. Sullivan said the talks were useful."), nlp)
    entities, resolved = resolve_entities([doc])
    ent = person(entities, "Jake Sullivan")
    assert set(ent.variants) == {"Jake Sullivan", "Sullivan"}
    assert ent.name == "Jake Sullivan"
    assert ent.mention_count == 2
    assert len(people(entities)) == 1
    person_mentions = [m for m in resolved[0].mentions if m.label == "PERSON"]
    assert {m.entity_id for m in person_mentions} == {ent.id}


def test_surname_in_another_document_joins_and_title_is_dropped() -> None:
    docs = [hand_doc("a.com", [("Masoud Pezeshkian", "PERSON")]),
            hand_doc("b.com", [("President Pezeshkian's", "PERSON")])]
    entities, _ = resolve_entities(docs)
    assert len(people(entities)) == 1
    assert people(entities)[0].variants == ["Masoud Pezeshkian", "Pezeshkian"]
    assert people(entities)[0].doc_ids == sorted(d.id for d in docs)


def test_same_surname_two_people_not_merged(nlp: Language) -> None:
    doc = understand(make_doc("Jake Sullivan and Kate Sullivan attended the dinner in Paris."), nlp)
    alone = hand_doc("c.com", [("Sullivan", "PERSON")])
    entities, _ = resolve_entities([doc, alone])
    jake, kate = person(entities, "Jake Sullivan"), person(entities, "Kate Sullivan")
    assert jake.id != kate.id
    assert jake.variants == ["Jake Sullivan"] and kate.variants == ["Kate Sullivan"]
    # The bare surname could be either, so it joins neither.
    bare = person(entities, "Sullivan")
    assert bare.id not in (jake.id, kate.id)


def test_ambiguous_surname_prefers_the_full_name_of_its_own_document() -> None:
    docs = [
        hand_doc("a.com", [("Jake Sullivan", "PERSON"), ("Sullivan", "PERSON")]),
        hand_doc("b.com", [("Kate Sullivan", "PERSON"), ("Sullivan", "PERSON")]),
    ]
    entities, resolved = resolve_entities(docs)
    assert person(entities, "Jake Sullivan").mention_count == 2
    assert person(entities, "Kate Sullivan").mention_count == 2
    for doc in resolved:
        assert len({m.entity_id for m in doc.mentions}) == 1


def test_mislabelled_surname_joins_the_person() -> None:
    docs = [hand_doc("a.com", [("Sergey Lavrov", "PERSON"), ("Lavrov", "ORG")]),
            hand_doc("b.com", [("Lavrov", "NORP")])]
    entities, _ = resolve_entities(docs)
    assert len(entities) == 1
    assert entities[0].label == "PERSON" and entities[0].mention_count == 3


@pytest.mark.parametrize(
    ("text", "code"),
    [("Iranian", "IR"), ("Iranians", "IR"), ("Chinese", "CN"), ("Israeli", "IL"), ("Ukrainian", "UA"),
     ("British", "GB"), ("North Korean", "KP"), ("the United States", "US"), ("U.S.", "US"), ("Tehran", "IR"),
     ("Kyiv", "UA"), ("Moscow", "RU"), ("Germany", "DE"), ("French", "FR"), ("Brazilian", "BR"),
     ("Kenyan", "KE"), ("Egypt", "EG"), ("Türkiye", "TR"), ("Russian Federation", "RU")],
)
def test_country_of_demonyms_capitals_names(text: str, code: str) -> None:
    assert country_of(text) == code


@pytest.mark.parametrize("text", ["Reuters", "Shahed", "Western", "Middle East", "Chin", "Tong", ""])
def test_country_of_non_countries(text: str) -> None:
    assert country_of(text) is None


def test_demonym_mentions_resolve_to_countries(nlp: Language) -> None:
    doc = understand(make_doc(
        "The Chinese foreign ministry criticised Israeli and North Korean officials, while British and "
        "Ukrainian diplomats met Iranian envoys in Tehran."), nlp)
    entities, resolved = resolve_entities([doc])
    codes = {e.country_code for e in entities if e.country_code}
    assert {"CN", "IL", "KP", "GB", "UA", "IR"} <= codes
    iran = next(e for e in entities if e.country_code == "IR")
    assert iran.name == "Iran" and iran.label == "GPE"
    assert {"Iranian", "Tehran"} <= set(iran.variants)
    assert country_name("GB") == "United Kingdom" and country_name("KP") == "North Korea"
    by_text = {m.text: m.entity_id for m in resolved[0].mentions}
    assert by_text["Tehran"] == by_text["Iranian"] == iran.id


def test_strip_name_and_translit_key() -> None:
    assert strip_name("President Putin's") == "Putin"
    assert strip_name("the Kremlin") == "Kremlin"
    assert strip_name("Dr. Alexander Petrov") == "Alexander Petrov"
    assert translit_key("Massud Peseschkian") == translit_key("Masoud Pezeshkian")
    assert translit_key("Sergej") == translit_key("Sergey")
    assert translit_key("Zelenskyy") == translit_key("Selenskyj")
    assert translit_key("Jake") != translit_key("Kate")


def _snapshot(entities: list[Entity], docs: list[Document]) -> tuple[object, ...]:
    ents = sorted((e.id, e.name, e.label, tuple(e.variants), tuple(e.doc_ids), e.mention_count) for e in entities)
    mentions = sorted((d.id, m.start, m.entity_id or "") for d in docs for m in d.mentions)
    return tuple(ents), tuple(mentions)


def test_ids_stable_across_runs_and_input_order(nlp: Language) -> None:
    texts = [
        "Russian Foreign Minister Sergey Lavrov said talks with Iran went well.",
        "Foreign Minister Sergej Lawrow spoke to reporters in Moscow.",
        "Jake Sullivan met reporters in Washington on Monday. Sullivan said the talks were useful.",
        "Iranian President Masoud Pezeshkian met Vladimir Putin.",
    ]
    docs = [understand(make_doc(t, f"site{i}.com"), nlp) for i, t in enumerate(texts)]
    first = _snapshot(*resolve_entities(docs))
    assert _snapshot(*resolve_entities(docs)) == first
    assert _snapshot(*resolve_entities(list(reversed(docs)))) == first
    assert _snapshot(*resolve_entities([docs[2], docs[0], docs[3], docs[1]])) == first
    lavrov = [e for e in resolve_entities(docs)[0] if "Sergey Lavrov" in e.variants]
    alone = [e for e in resolve_entities(docs[:1])[0] if "Sergey Lavrov" in e.variants]
    assert lavrov[0].id == alone[0].id


NAMES = [("Sergey Lavrov", "PERSON"), ("Sergej Lawrow", "PERSON"), ("Lavrov", "PERSON"), ("Jake Sullivan", "PERSON"),
         ("Kate Sullivan", "PERSON"), ("Sullivan", "PERSON"), ("Iranian", "NORP"), ("Tehran", "GPE"),
         ("Reuters", "ORG"), ("Mohammed bin Salman", "PERSON"), ("Muhammad bin Salman", "PERSON")]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4), min_size=1, max_size=4), st.randoms())
def test_resolution_does_not_depend_on_order(spans: list[list[tuple[str, str]]], rnd: random.Random) -> None:
    docs = [hand_doc(f"s{i}.com", s) for i, s in enumerate(spans)]
    shuffled = list(docs)
    rnd.shuffle(shuffled)
    assert _snapshot(*resolve_entities(shuffled)) == _snapshot(*resolve_entities(docs))
