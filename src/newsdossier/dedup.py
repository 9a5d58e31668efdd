"""Dedup stage: repeated paragraphs inside a page, near-identical pages across pages.

`drop_repeated_paragraphs` keeps the first copy of a paragraph the page repeats and
records the others in `Document.repeated`.  `link_duplicates` finds pages whose text
is near-identical to an earlier page (syndication, wire copy, mirrors) with MinHash
LSH and records the lineage in `duplicate_of`, so independence counts it once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from datasketch import MinHash, MinHashLSH

from newsdossier.clean import join_blocks
from newsdossier.model import Document, ParagraphKind, RepeatedParagraph

_WORD = re.compile(r"\w+", re.UNICODE)
NUM_PERM = 128
SHINGLE = 5
PARAGRAPH_SIMILARITY = 0.9
PAGE_SIMILARITY = 0.8


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    words = _words(text)
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def drop_repeated_paragraphs(doc: Document) -> Document:
    """The document without the later copies of paragraphs it repeats (exact or near-exact)."""
    kept: list[tuple[ParagraphKind, str]] = []
    kept_shingles: list[tuple[set[str], int]] = []
    repeats: list[tuple[str, int]] = []
    for para in doc.paragraphs:
        body = doc.text[para.start : para.end]
        sh = shingles(body, 3)
        twin = next(
            (idx for s, idx in kept_shingles if len(_words(body)) >= 6 and jaccard(sh, s) >= PARAGRAPH_SIMILARITY),
            None,
        )
        if twin is not None and para.kind != "title":
            repeats.append((body, twin))
            continue
        kept_shingles.append((sh, len(kept)))
        kept.append((para.kind, body))
    if not repeats:
        return doc
    text, paragraphs = join_blocks(kept)
    repeated = [RepeatedParagraph(text=body, first_start=paragraphs[idx].start) for body, idx in repeats]
    return doc.model_copy(update={"text": text, "paragraphs": paragraphs, "repeated": doc.repeated + repeated})


def _minhash(text: str) -> MinHash:
    m = MinHash(num_perm=NUM_PERM)
    m.update_batch([s.encode("utf-8") for s in shingles(text)])
    return m


def link_duplicates(docs: Sequence[Document], known: Iterable[Document] = ()) -> list[Document]:
    """`docs` with `duplicate_of` set where an earlier (known or listed) page has near-identical text."""
    lsh = MinHashLSH(threshold=PAGE_SIMILARITY, num_perm=NUM_PERM)
    hashes: dict[str, MinHash] = {}
    order: dict[str, tuple[str, str]] = {}

    def add(doc: Document) -> None:
        if doc.id in hashes:
            return
        hashes[doc.id] = _minhash(doc.text)
        order[doc.id] = (doc.date.isoformat() if doc.date else "9999", doc.id)
        lsh.insert(doc.id, hashes[doc.id])

    for doc in known:
        add(doc)
    out: list[Document] = []
    for doc in docs:
        mh = _minhash(doc.text)
        close = [c for c in lsh.query(mh) if c != doc.id and mh.jaccard(hashes[c]) >= PAGE_SIMILARITY]
        if close and doc.duplicate_of is None:
            origin = min(close, key=lambda c: order[c])
            similarity = round(mh.jaccard(hashes[origin]), 3)
            doc = doc.model_copy(update={"duplicate_of": origin, "duplicate_similarity": similarity})
        out.append(doc)
        add(doc)
    return out
