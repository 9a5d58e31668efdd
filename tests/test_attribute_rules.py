"""The indexed attribute ruler sets exactly what spaCy's AttributeRuler sets."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from newsdossier.understand.analyze import MODEL, load_nlp
from newsdossier.understand.attribute_rules import IndexedAttributeRuler, index_attribute_ruler

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"
WORDS = ["I", "ai", "n't", "gon", "na", "got", "ta", "let", "'s", "y'", "all", "there", "is", "nothin'", "the",
         "treaty", "was", "signed", "by", "Iran", "and", "Russia", "which", "that", "will", "not", "be", "\n\n",
         "c'm", "on", "it", "'em", ",", ".", "$", "20", "years", "doin'", "you", "ol'", "somethin'"]


@pytest.fixture(scope="module")
def stock() -> Language:
    return spacy.load(MODEL)


def analyses(doc: Doc) -> list[tuple[str, str, str, str]]:
    return [(t.text, t.pos_, str(t.morph), t.lemma_) for t in doc]


def both(stock: Language, text: str) -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str, str, str]]]:
    return analyses(stock(text)), analyses(load_nlp()(text))


def test_the_pipeline_uses_the_indexed_ruler_and_needs_no_matcher_for_the_model() -> None:
    ruler = load_nlp().get_pipe("attribute_ruler")
    assert isinstance(ruler, IndexedAttributeRuler)
    assert ruler.matcher_rules == 0


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_same_pos_morph_and_lemmas_as_spacy_on_the_seed_pages(stock: Language, path: Path) -> None:
    before, after = both(stock, path.read_text(encoding="utf-8"))
    assert len(before) > 200
    assert before == after


def test_same_on_multi_token_and_regex_rules(stock: Language) -> None:
    text = "Y'all ain't gonna believe it. Let's go, c'm on, there is nothin' gotta stop 'em."
    before, after = both(stock, text)
    assert before == after
    assert {"go", "be"} <= {lemma for *_, lemma in after}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30))
def test_same_on_any_sequence_of_tricky_words(stock: Language, words: list[str]) -> None:
    before, after = both(stock, " ".join(words))
    assert before == after


def test_rules_with_operators_fall_back_to_a_matcher() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    ruler.add([[{"LOWER": "very", "OP": "+"}, {"LOWER": "big"}]], {"LEMMA": "huge"}, index=-1)
    ruler.add([[{"LOWER": "big"}]], {"NORM": "large"})
    expected = [(t.lemma_, t.norm_) for t in nlp("a very very big dog")]
    assert index_attribute_ruler(nlp)
    indexed = nlp.get_pipe("attribute_ruler")
    assert isinstance(indexed, IndexedAttributeRuler) and indexed.matcher_rules == 1
    assert [(t.lemma_, t.norm_) for t in nlp("a very very big dog")] == expected
    assert expected[-2] == ("huge", "large")


def test_a_pipeline_without_a_ruler_is_left_alone() -> None:
    assert not index_attribute_ruler(spacy.blank("en"))
