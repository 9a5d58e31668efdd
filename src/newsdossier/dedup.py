"""Dedup stage: repeated paragraphs inside a page, near-identical pages across pages.

`drop_repeated_paragraphs` keeps the first copy of a paragraph the page repeats and
records the others in `Document.repeated`.  `link_duplicates` finds pages whose
article text is near-identical to an earlier page (syndication, wire copy, mirrors)
and records the lineage in `duplicate_of`, so independence counts it once: MinHash
LSH proposes candidates cheaply, the exact shingle overlap decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from datasketch import MinHash, MinHashLSH
from rapidfuzz.distance import Levenshtein

from newsdossier.clean import join_blocks
from newsdossier.model import Document, ParagraphKind, RepeatedParagraph

_WORD = re.compile(r"\w+", re.UNICODE)
NUM_PERM = 128
SHINGLE = 5
# Paragraphs: a later paragraph is a copy when it has this many words or more and differs from an
# earlier one by at most one misspelt word per TYPO_EVERY words.
PARAGRAPH_MIN_WORDS = 6
TYPO_EVERY = 20
# Pages: LSH recall threshold (estimated Jaccard), then the share of the smaller page's shingles found in
# the other page that makes a copy (robust to a changed sentence, an added paragraph or a cut ending).
CANDIDATE_SIMILARITY = 0.3
PAGE_SIMILARITY = 0.8


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Overlapping word n-grams; a text shorter than n is one shingle."""
    words = _words(text)
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def overlap(a: set[str], b: set[str]) -> float:
    """Share of the smaller set found in the other (overlap coefficient)."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _typo(a: str, b: str) -> bool:
    """Two spellings of one word: a character or two apart, never a different number."""
    if a.isdigit() or b.isdigit():
        return False
    return Levenshtein.distance(a, b) <= max(1, min(len(a), len(b)) // 4)


def same_paragraph(a: list[str], b: list[str]) -> bool:
    """Whether two paragraphs (as lower-cased words) are one text: equal, or apart by a few typos only.

    A changed word that is not a misspelling (Monday/Tuesday, two/three, did/did not) makes
    them different paragraphs: they may state different facts.
    """
    if a == b:
        return True
    if len(a) != len(b) or len(a) < PARAGRAPH_MIN_WORDS:
        return False
    ops = Levenshtein.editops(a, b)
    if len(ops) > max(1, len(a) // TYPO_EVERY):
        return False
    return all(op.tag == "replace" and _typo(a[op.src_pos], b[op.dest_pos]) for op in ops)


def drop_repeated_paragraphs(doc: Document) -> Document:
    """The document without the later copies of paragraphs it repeats (exact or near-exact)."""
    kept: list[tuple[ParagraphKind, str]] = []
    kept_words: list[tuple[list[str], int]] = []
    repeats: list[tuple[str, int]] = []
    for para in doc.paragraphs:
        body = doc.text[para.start : para.end]
        words = _words(body)
        twin = None
        if para.kind != "title" and len(words) >= PARAGRAPH_MIN_WORDS:
            twin = next((idx for other, idx in kept_words if same_paragraph(words, other)), None)
        if twin is not None:
            repeats.append((body, twin))
            continue
        kept_words.append((words, len(kept)))
        kept.append((para.kind, body))
    if not repeats:
        return doc
    text, paragraphs = join_blocks(kept)
    repeated = [RepeatedParagraph(text=body, first_start=paragraphs[idx].start) for body, idx in repeats]
    return doc.model_copy(update={"text": text, "paragraphs": paragraphs, "repeated": doc.repeated + repeated})


def article_text(doc: Document) -> str:
    """The text that identifies a copy: the article without its title, which syndicating sites rewrite."""
    body = [doc.text[p.start : p.end] for p in doc.paragraphs if p.kind != "title"]
    return "\n\n".join(body) if body else doc.text


def _minhash(sh: set[str]) -> MinHash:
    m = MinHash(num_perm=NUM_PERM)
    m.update_batch([s.encode("utf-8") for s in sorted(sh)])
    return m


def _age(doc: Document, position: int) -> tuple[str, int]:
    """Sort key for 'earlier': the page date, then the order the pages came in."""
    return (doc.date.isoformat() if doc.date else "9999-99-99", position)


def link_duplicates(docs: Sequence[Document], known: Iterable[Document] = ()) -> list[Document]:
    """`docs` with `duplicate_of` set where an earlier (known or listed) page has near-identical text.

    Pages are compared in date order, so the earliest copy is the origin whatever the
    input order; a copy of a copy points to the origin.  `known` pages (already stored)
    are origins only; they are never changed.  The result keeps the order of `docs`.
    """
    lsh = MinHashLSH(threshold=CANDIDATE_SIMILARITY, num_perm=NUM_PERM)
    sets: dict[str, set[str]] = {}
    age: dict[str, tuple[str, int]] = {}
    root: dict[str, str] = {}

    def add(doc: Document, key: tuple[str, int], sh: set[str]) -> None:
        if doc.id in sets or not sh:
            return
        sets[doc.id], age[doc.id] = sh, key
        root[doc.id] = doc.duplicate_of or doc.id
        lsh.insert(doc.id, _minhash(sh))

    for position, doc in enumerate(known):
        add(doc, _age(doc, -1_000_000 + position), shingles(article_text(doc)))
    order = sorted(range(len(docs)), key=lambda i: _age(docs[i], i))
    out: list[Document] = list(docs)
    for i in order:
        doc = docs[i]
        sh = shingles(article_text(doc))
        if doc.duplicate_of is None and sh and doc.id not in sets:
            scored = [(overlap(sh, sets[c]), c) for c in lsh.query(_minhash(sh)) if c != doc.id]
            close = [(score, c) for score, c in scored if score >= PAGE_SIMILARITY]
            if close:
                score, origin = min(close, key=lambda sc: age[sc[1]])
                origin = root.get(origin, origin)
                doc = doc.model_copy(update={"duplicate_of": origin, "duplicate_similarity": round(score, 3)})
                out[i] = doc
        add(doc, _age(doc, i), sh)
    return out
