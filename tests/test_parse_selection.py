"""Parsing only the sentences that need it gives the claims a full parse gives; lemmas stay spaCy's."""

from __future__ import annotations

import datetime as dt

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.pipeline import Lemmatizer

from newsdossier.model import Claim, Document
from newsdossier.understand.analyze import MODEL, load_nlp, understand_many
from newsdossier.understand.cached_lemmatizer import CachedLemmatizer, cache_lemmatizer
from newsdossier.understand.claims import absence_keys, modality, relation_keys, sentence_claims, speakers
from newsdossier.understand.parse_selection import candidate_lemmas, cue_test, needs_parse, sentences_to_parse
from newsdossier.understand.quantities import find_quantities
from newsdossier.understand.time import find_dates


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def fully_parsed_claims(doc: Document, nlp: Language) -> list[Claim]:
    """The claims with every sentence parsed: what the selection must reproduce."""
    text = doc.text
    quantities = find_quantities(text, dates=find_dates(text, doc.date))
    voices = speakers([text[p.start : p.end] for p in doc.paragraphs])
    senter = nlp.get_pipe("senter")
    claims: list[Claim] = []
    for para in doc.paragraphs:
        if para.kind in ("table", "credit"):
            continue
        para_text = text[para.start : para.end]
        sentences = []
        for sent in senter(nlp.make_doc(para_text)).sents:
            parsed = nlp(sent.text)
            sentences += [(sent.start_char + s.start_char, sent.start_char + s.end_char, s) for s in parsed.sents]
        claims += sentence_claims(doc.id, text, para.start, para_text, sentences, quantities, voices)
    return claims


def keyed(claims: list[Claim]) -> set[tuple[str, str, str, str]]:
    """Every key with its claim's modality (a parse may split an unselected sentence, so not spans)."""
    return {(k.kind, k.slot, k.value, c.modality) for c in claims for k in c.keys}


def test_selected_parsing_gives_the_claims_of_a_full_parse(nlp: Language, seed_docs: list[Document]) -> None:
    understood = understand_many(seed_docs, nlp)
    compared = 0
    for doc in understood:
        full = fully_parsed_claims(doc, nlp)
        tables = [p for p in doc.paragraphs if p.kind == "table"]
        mine = [c for c in doc.claims if not any(c.start >= p.start and c.end <= p.end for p in tables)]
        assert keyed(mine) == keyed(full)
        assert {c.start for c in mine} <= {c.start for c in full}
        compared += len(keyed(full))
    assert compared > 30


def test_every_sentence_whose_parse_matters_is_selected(nlp: Language, seed_docs: list[Document]) -> None:
    is_cue = cue_test(nlp)
    mattered = 0
    for doc in seed_docs:
        for parsed in nlp.pipe(doc.text[p.start : p.end] for p in doc.paragraphs):
            for sent in parsed.sents:
                if absence_keys(sent) or relation_keys(sent) or modality(sent) in ("hypothetical", "denied"):
                    mattered += 1
                    assert needs_parse(is_cue(t.orth) for t in sent), sent.text
    assert mattered > 20


def test_plain_sentences_are_not_parsed(nlp: Language) -> None:
    is_cue = cue_test(nlp)
    text = ("The talks lasted three hours in the capital. The company has 500 employees. "
            "The pact has a clause on defence. Iran sold drones. They would meet again.")
    doc = nlp.get_pipe("senter")(nlp.make_doc(text))
    assert [s.text for s in sentences_to_parse(doc, is_cue)] == [
        "The pact has a clause on defence.", "Iran sold drones.", "They would meet again."]


def test_candidate_lemmas_cover_irregular_and_regular_forms(nlp: Language) -> None:
    assert "sell" in candidate_lemmas("sold", nlp)
    assert "give" in candidate_lemmas("Gave", nlp)
    assert "delivery" in candidate_lemmas("deliveries", nlp)
    assert "supply" in candidate_lemmas("supplying", nlp)
    assert "have" in candidate_lemmas("has", nlp)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_spacys_lemma_is_always_a_candidate(nlp: Language, seed_docs: list[Document], seed: int) -> None:
    doc = seed_docs[seed % len(seed_docs)]
    para = doc.paragraphs[seed % len(doc.paragraphs)]
    for token in nlp(doc.text[para.start : para.end]):
        if token.pos_ in ("VERB", "NOUN", "ADJ", "AUX"):
            assert token.lemma_.lower() in candidate_lemmas(token.text, nlp), (token.text, token.pos_)


def test_possession_is_not_inclusion_but_an_agreement_that_has_a_clause_is(nlp: Language) -> None:
    def absences(sentence: str) -> set[tuple[str, str]]:
        doc = Document(id="d", source="t", kind="text", text=sentence, date=dt.date(2025, 1, 17),
                       paragraphs=[{"start": 0, "end": len(sentence)}])
        return {(k.slot, k.value) for c in understand_many([doc], nlp)[0].claims for k in c.keys
                if k.kind == "absence"}

    assert absences("The company has 500 employees and a new office.") == set()
    assert absences("He does not have the right to leave.") == set()
    assert ("atop:defense", "present") in absences("The treaty has a mutual defence clause.")
    assert ("atop:defense", "absent") in absences("Russia and Iran do not have a mutual defence pact.")


def test_cached_lemmatizer_gives_spacys_lemmas(nlp: Language, seed_docs: list[Document]) -> None:
    assert isinstance(nlp.get_pipe("lemmatizer"), CachedLemmatizer)
    stock = spacy.load(MODEL)
    text = "\n\n".join(d.text for d in seed_docs)
    assert [t.lemma_ for t in stock(text)] == [t.lemma_ for t in nlp(text)]


def test_only_a_rule_lemmatizer_is_swapped() -> None:
    blank = spacy.blank("en")
    assert not cache_lemmatizer(blank)
    blank.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert not cache_lemmatizer(blank)
    assert isinstance(blank.get_pipe("lemmatizer"), Lemmatizer)
