"""Which sentences need a dependency parse.

Parsing is the costliest part of understanding, and most sentences do not need it: a claim
takes keys from the parse only when the sentence has an action word, an include/lack verb, an
absence noun, "no" or "without"; a negation or modal verb changes its modality, which matters
for a claim with keys, so it makes a sentence with a quantity (a key without the parse) parsed.
A sentence with none of these gets the same keys without a parse (its modality from its wording,
or not assessed where it has a negation or modal verb), so only the others are parsed.

Lemmas are not known before tagging, so a word form is a cue when any lemma spaCy's English
rules could give it (as verb, noun or adjective, exceptions included) is a cue lemma: a
superset, which costs a few needless parses and never misses one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from newsdossier.understand.claims import (
    MODAL_CUE_WORDS,
    PARSE_CUE_WORDS,
    POSSESSION_VERB,
    agreement_cue_lemmas,
    parse_cue_lemmas,
)

_POSES = ("verb", "noun", "adj")
# What a word form can be for the selection: nothing, a cue, the possession verb, an agreement noun, a
# negation or modal verb (a cue only where the sentence has a quantity, the one key it can qualify).
NONE, CUE, POSSESSION, AGREEMENT, MODAL = 0, 1, 2, 3, 4


def candidate_lemmas(form: str, nlp: Language) -> set[str]:
    """Every lemma the English rule lemmatizer could give `form`, whatever its part of speech."""
    lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    rules = lookups.get_table("lemma_rules", {})
    exceptions = lookups.get_table("lemma_exc", {})
    lower = form.lower()
    found = {form, lower}
    for pos in _POSES:
        found.update(exceptions.get(pos, {}).get(lower, []))
        for old, new in rules.get(pos, []):
            if lower.endswith(old) and len(lower) > len(old):
                found.add(lower[: len(lower) - len(old)] + new)
    return found


def cue_test(nlp: Language) -> Callable[[int], int]:
    """A cached classifier of word forms (by their hash in the vocab) into NONE, CUE, POSSESSION or AGREEMENT."""
    cues, agreements = parse_cue_lemmas(), agreement_cue_lemmas()
    strings = nlp.vocab.strings

    @lru_cache(maxsize=200_000)
    def kind(orth: int) -> int:
        form = strings[orth]
        if form.lower() in PARSE_CUE_WORDS:
            return CUE
        if form.lower() in MODAL_CUE_WORDS:
            return MODAL
        lemmas = candidate_lemmas(form, nlp)
        if not cues.isdisjoint(lemmas):
            return CUE
        if POSSESSION_VERB in lemmas:
            return POSSESSION
        return AGREEMENT if not agreements.isdisjoint(lemmas) else NONE

    return kind


def needs_parse(kinds: Iterable[int], has_quantity: bool = True) -> bool:
    """True when a sentence with words of these kinds has one whose parse could change its claim's keys."""
    found = set(kinds)
    return CUE in found or {POSSESSION, AGREEMENT} <= found or (MODAL in found and has_quantity)


def sentences_to_parse(doc: Doc, kind_of: Callable[[int], int], sents: Sequence[Span] | None = None,
                       quantities: Sequence[tuple[int, int]] | None = None) -> list[Span]:
    """The sentences of `doc` (already split; `sents` if listed before) that need a parse.

    `quantities` are (start, end) character offsets in `doc` of the quantities found in it; None
    treats every sentence as having one.
    """
    kinds = [kind_of(orth) for orth in doc.to_array(ORTH).tolist()]
    return [s for s in (doc.sents if sents is None else sents)
            if needs_parse(kinds[s.start : s.end], quantities is None
                           or any(s.start_char <= a and b <= s.end_char for a, b in quantities))]
