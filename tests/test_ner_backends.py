"""Both named-entity recognisers `understand` offers give valid mentions; the static one follows spaCy's."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsdossier.model import Document
from newsdossier.understand.analyze import load_nlp, understand_many
from newsdossier.understand.entities import NAME_LABELS


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def spans(docs: list[Document]) -> set[tuple[str, int, int, str]]:
    return {(d.id, m.start, m.end, m.label) for d in docs for m in d.mentions}


def test_static_mentions_are_valid_and_mostly_spacys(nlp: Language, seed_docs: list[Document]) -> None:
    static = understand_many(seed_docs, nlp, ner="static")
    teacher = understand_many(seed_docs, nlp, ner="spacy")
    for doc in static:
        for m in doc.mentions:
            assert doc.text[m.start : m.end] == m.text and m.label in NAME_LABELS
    mine, gold = spans(static), spans(teacher)
    both = len(mine & gold)
    f1 = 2 * both / (len(mine) + len(gold))
    assert len(gold) > 100 and f1 > 0.8, f1


def test_the_backend_changes_only_the_mentions(nlp: Language, seed_docs: list[Document]) -> None:
    static = understand_many(seed_docs[:2], nlp, ner="static")
    teacher = understand_many(seed_docs[:2], nlp, ner="spacy")
    for a, b in zip(static, teacher, strict=True):
        assert [(c.start, c.end, c.keys) for c in a.claims] == [(c.start, c.end, c.keys) for c in b.claims]
        assert a.dates == b.dates and a.quantities == b.quantities
