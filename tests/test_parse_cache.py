"""The parse cache gives the parse spaCy would give, and stays within its capacity."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsdossier.understand import parse_cache
from newsdossier.understand.analyze import load_nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def _parse(doc: object) -> list[tuple[str, str, int, str]]:
    return [(t.text, t.dep_, t.head.i, t.lemma_) for t in doc]  # type: ignore[attr-defined]


def test_cached_parses_equal_fresh_ones(nlp: Language) -> None:
    parse_cache.clear()
    texts = ["Iran supplied drones to Russia.", "The treaty lacks a mutual defence clause.",
             "Iran supplied drones to Russia."]
    first = parse_cache.parse_texts(nlp, texts, ("ner",))
    again = parse_cache.parse_texts(nlp, texts[:2], ("ner",))
    fresh = list(nlp.pipe(texts, disable=["ner"]))
    assert [_parse(d) for d in first] == [_parse(d) for d in fresh]
    assert again[0] is first[0] and again[1] is first[1] and first[2] is first[0]


def test_other_components_are_another_key(nlp: Language) -> None:
    parse_cache.clear()
    with_ner = parse_cache.parse_texts(nlp, ["Putin met Pezeshkian in Moscow."])
    without = parse_cache.parse_texts(nlp, ["Putin met Pezeshkian in Moscow."], ("ner",))
    assert with_ner[0] is not without[0] and with_ner[0].ents and not without[0].ents


def test_capacity_bounds_the_cache(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    parse_cache.clear()
    monkeypatch.setattr(parse_cache, "CAPACITY", 3)
    docs = parse_cache.parse_texts(nlp, [f"Sentence number {i} is here." for i in range(5)], ("ner",))
    assert [d.text for d in docs] == [f"Sentence number {i} is here." for i in range(5)]
    assert len(parse_cache._cache) == 3
    parse_cache.clear()
