"""Entity resolution: spellings, surnames, demonyms and stable ids."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from newsdossier.model import Document, Entity, Mention, Paragraph, content_id
from newsdossier.understand.analyze import load_nlp, understand
from newsdossier.understand.entities import (
    country_name,
    country_of,
    country_qid,
    gazetteer,
    leader_of,
    org_of,
    resolve_entities,
    same_person,
    strip_name,
    title_phrases,
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
         ("Reuters", "ORG"), ("Mohammed bin Salman", "PERSON"), ("Muhammad bin Salman", "PERSON"),
         ("NATO", "ORG"), ("Putin", "PERSON"), ("Kremlin", "ORG"), ("NK", "ORG"), ("North Korea", "GPE")]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4), min_size=1, max_size=4), st.randoms())
def test_resolution_does_not_depend_on_order(spans: list[list[tuple[str, str]]], rnd: random.Random) -> None:
    docs = [hand_doc(f"s{i}.com", s) for i, s in enumerate(spans)]
    shuffled = list(docs)
    rnd.shuffle(shuffled)
    assert _snapshot(*resolve_entities(shuffled)) == _snapshot(*resolve_entities(docs))


# --- gazetteer: QIDs, organisations, leaders, titles --------------------------------------------

def test_gazetteer_covers_countries_organisations_and_leaders() -> None:
    rows = gazetteer()
    countries = [e for e in rows if e.kind == "country"]
    assert len(countries) >= 249
    assert sum(1 for e in countries if e.qid) >= 245
    assert sum(1 for e in countries if e.capital) >= 180
    assert sum(1 for e in countries if e.demonyms) >= 180
    orgs = {e.code: e for e in rows if e.kind == "org"}
    for code in ("UN", "NATO", "EU", "BRICS", "SCO", "CSTO", "ASEAN", "AU", "OPEC", "IAEA", "WHO", "IMF", "WTO"):
        assert re.fullmatch(r"Q\d+", orgs[code].qid or ""), code
    leaders = [e for e in rows if e.kind == "leader"]
    assert len(leaders) >= 150
    codes = {e.code for e in countries}
    assert all(e.country in codes and e.office for e in leaders)
    assert all(e.qid is None or re.fullmatch(r"Q\d+", e.qid) for e in rows)


@pytest.mark.parametrize(("text", "code"), [("Riga", "LV"), ("Swedes", "SE"), ("Burmese", "MM"), ("Kyrgyz", "KG"),
                                            ("Swaziland", "SZ"), ("Viet Nam", "VN"), ("Timor-Leste", "TL")])
def test_gazetteer_names_demonyms_and_capitals(text: str, code: str) -> None:
    assert country_of(text) == code


def test_demonym_two_countries_share_names_neither() -> None:
    assert country_of("Dominican") is None and country_of("Congolese") is None
    assert country_of("Dominican Republic") == "DO"


def test_countries_carry_qids() -> None:
    entities, _ = resolve_entities([hand_doc("a.com", [("Iranian", "NORP"), ("Tehran", "GPE"), ("Kenya", "GPE")])])
    by_code = {e.country_code: e for e in entities}
    assert by_code["IR"].qid == "Q794" and by_code["KE"].qid == "Q114"
    assert country_qid("RU") == "Q159"


def test_organisations_resolve_across_names_and_acronyms() -> None:
    docs = [hand_doc("a.com", [("NATO", "ORG"), ("the United Nations", "ORG")]),
            hand_doc("b.com", [("North Atlantic Treaty Organization", "ORG"), ("U.N.", "GPE"), ("who", "ORG")])]
    entities, _ = resolve_entities(docs)
    nato = next(e for e in entities if e.qid == "Q7184")
    un = next(e for e in entities if e.qid == "Q1065")
    assert nato.label == "ORG" and nato.mention_count == 2 and nato.doc_ids == sorted(d.id for d in docs)
    assert un.mention_count == 2 and un.name == "United Nations"
    assert not any(e.qid == "Q7817" for e in entities)  # the pronoun 'who' is not the WHO
    assert org_of("WHO") is not None and org_of("Reuters") is None


def test_leaders_carry_qids_across_spellings() -> None:
    docs = [hand_doc("a.de", [("Wladimir Putin", "PERSON")]), hand_doc("b.com", [("Vladimir Putin", "PERSON")])]
    entities, _ = resolve_entities(docs)
    assert [(e.name, e.qid) for e in people(entities)] == [("Vladimir Putin", "Q7747")]
    assert leader_of(translit_key("Wolodymyr Selenskyj")).qid == "Q3874799"  # type: ignore[union-attr]
    assert leader_of(translit_key("Jake Sullivan")) is None


def test_bare_surname_is_a_leader_only_where_the_page_names_the_country() -> None:
    with_country = resolve_entities([hand_doc("a.com", [("Putin", "PERSON"), ("Kremlin", "ORG")])])[0]
    assert next(e for e in people(with_country)).qid == "Q7747"
    without = resolve_entities([hand_doc("b.com", [("Putin", "PERSON"), ("Kenya", "GPE")])])[0]
    assert next(e for e in people(without)).qid is None


def test_title_phrase_stands_for_the_named_leader() -> None:
    named = make_doc("Iranian President Masoud Pezeshkian arrived in Moscow.", "a.com").model_copy(
        update={"mentions": [Mention(text="Masoud Pezeshkian", start=17, end=34, label="PERSON")]})
    text = "The Iranian president said the deal was fair. The former Iranian president disagreed."
    titled = make_doc(text, "b.com")
    entities, resolved = resolve_entities([named, titled])
    pezeshkian = person(entities, "Masoud Pezeshkian")
    added = [m for m in resolved[1].mentions if m.entity_id == pezeshkian.id]
    assert [m.text for m in added] == ["The Iranian president"]
    assert added[0].text == text[added[0].start:added[0].end]
    assert pezeshkian.mention_count == 2 and pezeshkian.doc_ids == sorted([named.id, titled.id])
    assert pezeshkian.variants == ["Masoud Pezeshkian"]
    # Without the person named anywhere, the phrase is left alone.
    _, alone = resolve_entities([titled])
    assert alone[0].mentions == []


def test_title_phrases_found_and_past_holders_skipped() -> None:
    text = ("Russia's leader met the president of Iran and the French president. "
            "The former Iranian president, the Iranian vice president and Russian President Vladimir Putin spoke.")
    found = [(text[s:e], code) for s, e, code, _ in title_phrases(text)]
    assert found == [("Russia's leader", "RU"), ("the president of Iran", "IR"), ("the French president", "FR")]


def test_mr_kim_joins_the_one_kim() -> None:
    text = "Kim Jong Un inspected the launch. Mr Kim said the test succeeded."
    doc = make_doc(text).model_copy(update={"mentions": [
        Mention(text="Kim Jong Un", start=0, end=11, label="PERSON"),
        Mention(text="Kim", start=text.index("Mr Kim") + 3, end=text.index("Mr Kim") + 6, label="PERSON"),
    ]})
    entities, _ = resolve_entities([doc])
    assert [(e.name, e.mention_count, e.qid) for e in people(entities)] == [("Kim Jong Un", 2, "Q56226")]
    # Without a title a bare first word does not join.
    plain = resolve_entities([hand_doc("c.com", [("Kim Jong Un", "PERSON"), ("Kim", "PERSON")])])[0]
    assert len(people(plain)) == 2


def test_context_abbreviation_needs_the_country_on_the_page() -> None:
    with_kp = resolve_entities([hand_doc("a.com", [("North Korea", "GPE"), ("NK", "ORG")])])[0]
    assert [e.country_code for e in with_kp] == ["KP"] and with_kp[0].mention_count == 2
    without = resolve_entities([hand_doc("b.com", [("NK", "ORG")])])[0]
    assert [e.country_code for e in without] == [None]


# --- names in other forms, descriptions, pronouns and times --------------------------------------------


def spanned(text: str, spans: list[tuple[str, str]], site: str = "example.org",
            date: dt.date | None = dt.date(2025, 1, 17)) -> Document:
    """A document whose mentions are the given (phrase, label) pairs, found in order in `text`."""
    mentions, pos = [], 0
    for phrase, label in spans:
        start = text.index(phrase, pos)
        mentions.append(Mention(text=phrase, start=start, end=start + len(phrase), label=label))
        pos = start + 1
    doc = make_doc(text, site=site)
    return doc.model_copy(update={"mentions": mentions, "date": date})


def ids(docs: list[Document]) -> dict[tuple[str, int], str | None]:
    return {(m.text, i): m.entity_id for d in docs for i, m in enumerate(d.mentions)}


def test_description_joins_the_person_the_pages_describe_with_it(nlp: Language) -> None:
    a = spanned("Actress Lindsay Lohan checked into rehab. The actress said she was fine.",
                [("Lindsay Lohan", "PERSON"), ("rehab", "FAC"), ("The actress", "PERSON"), ("she", "PERSON")])
    b = spanned("Lohan, the 26-year-old actress, left the clinic. Her lawyer Mark Heller spoke. The lawyer said "
                "he would appeal.", [("Lohan", "PERSON"), ("the clinic", "FAC"), ("Her", "PERSON"),
                                     ("lawyer Mark Heller", "PERSON"), ("The lawyer", "PERSON"), ("he", "PERSON")],
                site="other.org")
    entities, resolved = resolve_entities([a, b], nlp)
    lohan = person(entities, "Lindsay Lohan")
    heller = person(entities, "Mark Heller")
    assert lohan.variants == ["Lindsay Lohan", "Lohan"] and heller.variants == ["Mark Heller"]
    assert lohan.mention_count == 5 and heller.mention_count == 3
    by = {m.text: m.entity_id for d in resolved for m in d.mentions}
    assert by["The actress"] == by["she"] == by["Her"] == lohan.id
    assert by["The lawyer"] == by["he"] == heller.id
    assert by["rehab"] != by["the clinic"]


def test_description_of_a_past_holder_or_another_country_is_not_the_leader(nlp: Language) -> None:
    text = ("Iranian President Masoud Pezeshkian met Russian President Vladimir Putin. The Iranian president "
            "praised the deal; the former Iranian president did not, and the vice president stayed away.")
    doc = spanned(text, [("Masoud Pezeshkian", "PERSON"), ("Vladimir Putin", "PERSON"),
                         ("The Iranian president", "PERSON"), ("the former Iranian president", "PERSON"),
                         ("the vice president", "PERSON")])
    entities, resolved = resolve_entities([doc], nlp)
    by = {m.text: m.entity_id for m in resolved[0].mentions}
    assert by["The Iranian president"] == person(entities, "Masoud Pezeshkian").id
    assert by["the former Iranian president"] not in {e.id for e in people(entities) if e.qid}
    assert by["the vice president"] not in (by["Masoud Pezeshkian"], by["Vladimir Putin"])
    # 'The Iranian president' does not also count as a new spelling of the name.
    assert person(entities, "Masoud Pezeshkian").variants == ["Masoud Pezeshkian"]


def test_two_people_of_one_role_leave_a_bare_description_alone(nlp: Language) -> None:
    doc = spanned("Judge Ann Ray and judge Tom Fox heard the case. The judge adjourned.",
                  [("Judge Ann Ray", "PERSON"), ("judge Tom Fox", "PERSON"), ("The judge", "PERSON")])
    entities, resolved = resolve_entities([doc], nlp)
    assert {e.name for e in people(entities) if e.variants != ["judge"]} >= {"Ann Ray", "Tom Fox"}
    by = {m.text: m.entity_id for m in resolved[0].mentions}
    assert by["The judge"] not in (by["Judge Ann Ray"], by["judge Tom Fox"])


def test_common_nouns_cluster_by_head_lemma_number_and_figures(nlp: Language) -> None:
    a = spanned("The rehab center was full. Two centers closed. He ran for 205 yards.",
                [("The rehab center", "FAC"), ("Two centers", "FAC"), ("205 yards", "ORG")])
    b = spanned("A center in Malibu took her. She ran 364 yards and then 205 yards more.",
                [("A center in Malibu", "FAC"), ("364 yards", "ORG"), ("205 yards", "ORG")], site="b.org")
    _, resolved = resolve_entities([a, b], nlp)
    got = ids(resolved)
    assert got[("The rehab center", 0)] == got[("A center in Malibu", 0)]
    assert got[("Two centers", 1)] != got[("The rehab center", 0)]
    assert got[("205 yards", 2)] == got[("205 yards", 2)] != got[("364 yards", 1)]


def test_capitalised_common_word_in_a_headline_is_no_name(nlp: Language) -> None:
    doc = spanned("Tara Reid Checks Into Rehab\nThe actress went to rehab on Friday, her rep said.",
                  [("Rehab", "FAC"), ("rehab", "FAC")])
    entities, resolved = resolve_entities([doc], nlp)
    assert len({m.entity_id for m in resolved[0].mentions}) == 1
    assert [e.name.lower() for e in entities] == ["rehab"]


def test_short_forms_of_names_join_the_one_long_form() -> None:
    a = spanned("The Indianapolis Colts beat the Chiefs. The Colts won. Microsoft's Internet Explorer has a flaw; "
                "IE users must patch. Microsoft Corp. said so.",
                [("Indianapolis Colts", "ORG"), ("Chiefs", "ORG"), ("Colts", "ORG"), ("Microsoft", "ORG"),
                 ("Internet Explorer", "PRODUCT"), ("IE", "PRODUCT"), ("Microsoft Corp.", "ORG")])
    b = spanned("The Kansas City Chiefs lost to the Colt defence. The Chiefs were sad.",
                [("Kansas City Chiefs", "ORG"), ("Colt", "ORG"), ("Chiefs", "ORG")], site="b.org")
    entities, _ = resolve_entities([a, b])
    by_name = {e.name: e for e in entities}
    assert set(by_name) == {"Indianapolis Colts", "Kansas City Chiefs", "Microsoft", "Internet Explorer"}
    assert by_name["Indianapolis Colts"].variants == ["Colt", "Colts", "Indianapolis Colts"]
    assert by_name["Kansas City Chiefs"].variants == ["Chiefs", "Kansas City Chiefs"]
    assert by_name["Kansas City Chiefs"].mention_count == 3
    assert by_name["Internet Explorer"].variants == ["IE", "Internet Explorer"]


def test_short_form_that_the_pages_write_lowercase_stays_apart() -> None:
    doc = spanned("The White House said the House would vote; the house was full.",
                  [("White House", "ORG"), ("House", "ORG")])
    entities, _ = resolve_entities([doc])
    assert sorted(e.name for e in entities) == ["House", "White House"]


def test_acronym_needs_a_page_with_its_long_form() -> None:
    a = hand_doc("a.com", [("Amazon Credit", "ORG")])
    b = hand_doc("b.com", [("AC", "ORG")])
    assert len(resolve_entities([a, b])[0]) == 2


@pytest.mark.parametrize(
    ("a", "b"),
    [("in Newport Beach", "Newport Beach"),
     ("the Promises Treatment Centre in Malibu, California", "Promises Treatment Center"),
     ("at the Betty Ford Center", "Betty Ford Center")],
)
def test_place_phrases_resolve_to_the_place_name(a: str, b: str) -> None:
    entities, _ = resolve_entities([hand_doc("a.com", [(a, "FAC")]), hand_doc("b.com", [(b, "FAC")])])
    assert len(entities) == 1


@pytest.mark.parametrize(
    ("long", "short"),
    [("Frederick C. LaRue", "Fred LaRue"), ("W. Mark Felt", "Mark Felt"), ("Gaetano Lo Presti", "Lo Presti"),
     ("Arcade Joseph Comeaux Jr.", "Comeaux"), ("Mafia boss Gaetano Lo Presti", "Gaetano Lo Presti")],
)
def test_name_forms_of_one_person(long: str, short: str) -> None:
    entities, _ = resolve_entities([hand_doc("a.com", [(long, "PERSON")]), hand_doc("b.com", [(short, "PERSON")])])
    assert len(people(entities)) == 1


def test_pronouns_take_their_antecedent(nlp: Language) -> None:
    text = ("Tara Reid entered rehab. She said it helped. Her publicist Jack Ketsoyan, who spoke to People, "
            "confirmed it.")
    doc = spanned(text, [("Tara Reid", "PERSON"), ("rehab", "FAC"), ("She", "PERSON"), ("it", "FAC"),
                         ("Her", "PERSON"), ("Jack Ketsoyan", "PERSON"), ("who", "PERSON"), ("People", "ORG")])
    entities, resolved = resolve_entities([doc], nlp)
    reid, rep = person(entities, "Tara Reid"), person(entities, "Jack Ketsoyan")
    by = [(m.text, m.entity_id) for m in resolved[0].mentions]
    assert [t for t, e in by if e == reid.id] == ["Tara Reid", "She", "Her"]
    assert [t for t, e in by if e == rep.id] == ["Jack Ketsoyan", "who"]
    assert dict(by)["it"] == dict(by)["rehab"]
    assert reid.mention_count == 3 and reid.variants == ["Tara Reid"]


def test_pronoun_skips_a_person_of_the_other_learnt_gender(nlp: Language) -> None:
    text = "Tara Reid entered rehab. She was tired. She met Jack Ketsoyan. He said she was fine."
    doc = spanned(text, [("Tara Reid", "PERSON"), ("She", "PERSON"), ("She", "PERSON"), ("Jack Ketsoyan", "PERSON"),
                         ("He", "PERSON"), ("she", "PERSON")])
    entities, resolved = resolve_entities([doc], nlp)
    by = [(m.text, m.entity_id) for m in resolved[0].mentions]
    reid, rep = person(entities, "Tara Reid"), person(entities, "Jack Ketsoyan")
    assert [t for t, e in by if e == reid.id] == ["Tara Reid", "She", "She", "she"]
    assert [t for t, e in by if e == rep.id] == ["Jack Ketsoyan", "He"]


def test_first_and_second_person_pronouns_stay_unresolved(nlp: Language) -> None:
    doc = spanned("Lohan said: I am fine and we will win.", [("Lohan", "PERSON"), ("I", "PERSON"), ("we", "PERSON")])
    _, resolved = resolve_entities([doc], nlp)
    assert [m.entity_id is None for m in resolved[0].mentions] == [False, True, True]


def test_time_expressions_cluster_by_normalised_value() -> None:
    a = spanned("She was arrested on Friday and freed on Tuesday, January 14, 2025.",
                [("on Friday", "DATE"), ("on Tuesday, January 14, 2025", "DATE")], date=dt.date(2025, 1, 14))
    b = spanned("Police said the arrest came on January 10, 2025; she was freed on Tuesday.",
                [("on January 10, 2025", "DATE"), ("on Tuesday", "DATE")], site="b.org", date=dt.date(2025, 1, 15))
    _, resolved = resolve_entities([a, b])
    got = ids(resolved)
    assert got[("on Friday", 0)] == got[("on January 10, 2025", 0)]
    assert got[("on Tuesday, January 14, 2025", 1)] == got[("on Tuesday", 1)]
    assert got[("on Friday", 0)] != got[("on Tuesday", 1)]
    undated = resolve_entities([a.model_copy(update={"date": None}), b.model_copy(update={"date": None})])[1]
    assert ids(undated)[("on Friday", 0)] != ids(undated)[("on January 10, 2025", 0)]


def test_mentions_in_scripts_without_letters_to_key_get_no_entity() -> None:
    entities, resolved = resolve_entities([hand_doc("a.ru", [("оливкового масла", "PERSON"), ("Путин", "PERSON")])])
    assert entities == [] and all(m.entity_id is None for m in resolved[0].mentions)


MIXED = [("Lindsay Lohan", "PERSON"), ("actress Lindsay Lohan", "PERSON"), ("the actress", "PERSON"),
         ("she", "PERSON"), ("he", "PERSON"), ("who", "PERSON"), ("Tara Reid", "PERSON"), ("rehab", "FAC"),
         ("the Promises Treatment Center", "FAC"), ("Promises", "FAC"), ("it", "FAC"), ("Colts", "ORG"),
         ("Indianapolis Colts", "ORG"), ("on Friday", "DATE"), ("police", "ORG"), ("Police", "ORG")]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.sampled_from(MIXED), min_size=1, max_size=5), min_size=1, max_size=3), st.randoms())
def test_descriptions_and_pronouns_do_not_depend_on_order(
    spans: list[list[tuple[str, str]]], rnd: random.Random
) -> None:
    docs = [hand_doc(f"m{i}.com", s) for i, s in enumerate(spans)]
    shuffled = list(docs)
    rnd.shuffle(shuffled)
    assert _snapshot(*resolve_entities(shuffled)) == _snapshot(*resolve_entities(docs))


def test_names_only_in_headlines_and_table_cells_are_dropped() -> None:
    text = ("Key Highlights Of The Deal\n"
            "Jonas Verhoeven met Iran's envoy in Bergen on Friday.\n"
            "| Aspect | Details |\n"
            "Verhoeven Signs Landmark Accord With Iran")
    doc = spanned(text, [("Key Highlights", "PERSON"), ("Jonas Verhoeven", "PERSON"), ("Iran", "GPE"),
                         ("Bergen", "GPE"), ("Aspect", "ORG"), ("Verhoeven", "PERSON"), ("Iran", "GPE")])
    entities, resolved = resolve_entities([doc])
    assert {e.name for e in entities} == {"Jonas Verhoeven", "Iran", "Bergen"}
    kept = [m.text for m in resolved[0].mentions]
    assert "Key Highlights" not in kept and "Aspect" not in kept
    assert kept.count("Iran") == 2 and "Verhoeven" in kept


def test_a_sentence_full_of_names_is_no_headline() -> None:
    doc = spanned("Chancellor Olaf Scholz Visited Recife With President Lula On Monday.",
                  [("Olaf Scholz", "PERSON"), ("Recife", "GPE"), ("Lula", "PERSON")])
    entities, _ = resolve_entities([doc])
    assert {"Olaf Scholz", "Lula", "Recife"} <= {e.name for e in entities}


def test_a_headline_name_another_page_repeats_is_kept() -> None:
    a = spanned("Marta Kowalczyk Wins Gdynia Mayoral Race", [("Marta Kowalczyk", "PERSON"), ("Gdynia", "GPE")])
    b = spanned("Voters chose Marta Kowalczyk on Sunday.", [("Marta Kowalczyk", "PERSON")], site="b.example")
    entities, _ = resolve_entities([a, b])
    names = {e.name: e for e in entities}
    assert names["Marta Kowalczyk"].doc_ids == sorted([a.id, b.id])
    assert "Gdynia" not in names
