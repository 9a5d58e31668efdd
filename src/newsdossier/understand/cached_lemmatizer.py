"""spaCy's rule lemmatizer with its per-token work replaced by one array pass.

spaCy already caches a lemma per (word, POS, morphology), but still visits every token in
Python (reading its POS and morphology, checking the cache, writing the lemma): a sixth of
understanding time.  This reads those three columns with `Doc.to_array`, looks each row up
in the same kind of cache, and writes all lemmas back at once.  A row not yet seen is
lemmatized by the model's own lemmatizer, so the output is spaCy's, token by token.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

import numpy as np
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc
from thinc.types import Ints2d


class CachedLemmatizer:
    """Lemmas as `lemmatizer` gives them, looked up per (word, POS, morphology)."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.cache: dict[tuple[int, int, int], int] = {}

    @property
    def lookups(self) -> Lookups:
        return self.lemmatizer.lookups

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        overwrite = bool(self.lemmatizer.overwrite)
        lemmas = rows[:, 3].copy()
        cache, strings = self.cache, doc.vocab.strings
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            found = cache.get(key)
            if found is None:
                found = cache[key] = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = found
        doc.from_array([LEMMA], cast(Ints2d, lemmas.reshape(-1, 1).astype(np.uint64)))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("cached_lemmatizer")
def make_cached_lemmatizer(nlp: Language, name: str) -> CachedLemmatizer:
    """A placeholder; `cache_lemmatizer` gives it the model's lemmatizer."""
    return CachedLemmatizer(Lemmatizer(nlp.vocab, None, name, mode="lookup"))


def cache_lemmatizer(nlp: Language, name: str = "lemmatizer") -> bool:
    """Swap the pipeline's rule lemmatizer for the cached one (same output); False when it has none."""
    if name not in nlp.pipe_names:
        return False
    lemmatizer = nlp.get_pipe(name)
    if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.mode != "rule":
        return False
    index_as_sets(lemmatizer)
    cached = nlp.replace_pipe(name, "cached_lemmatizer")
    assert isinstance(cached, CachedLemmatizer)
    cached.lemmatizer = lemmatizer
    return True


def index_as_sets(lemmatizer: Lemmatizer) -> None:
    """Hold the word lists of the lemma index as sets: spaCy only asks whether a form is in them, and a
    list of 57,000 nouns made each new word's lemma cost a scan (same answers either way)."""
    table = lemmatizer.lookups.get_table("lemma_index", {})
    for pos, words in list(table.items()):
        table[pos] = frozenset(words)
