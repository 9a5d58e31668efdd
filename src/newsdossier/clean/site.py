"""Site-level boilerplate: blocks that several pages of one site share around their articles.

One page alone cannot tell an author bio, a newsletter pitch or a "more from us" list from the
article's last paragraph; a second page of the same site can, because that furniture comes back
word for word while the articles differ.  Two guards keep real text:

* pages that are copies of each other (the same article twice, an update) share most of their
  text under much the same headline, so a block counts only when two pages that are *not* copies
  hold it;
* a shared block with the page's own text both before and after it, on every page that holds it,
  is a passage the articles share (a reused background paragraph, a quote), not furniture:
  furniture sits at the edges of the article.

Learning is a batch step (it needs the site's other pages), applying it is per page; pages already
stored take part as evidence through their paragraphs and the blocks they had removed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

from rapidfuzz import fuzz

from newsdossier.clean.extracted import join_blocks
from newsdossier.model import Document, ParagraphKind

_NON_WORD = re.compile(r"\W+", re.UNICODE)
# Two pages are copies when the blocks they share hold at least this share of the smaller page's text.
COPY_SHARE = 0.5
# ... and their headlines are this similar (rapidfuzz token-set ratio, 0-100): an update may reword a headline,
# two stories do not share one.
COPY_TITLE_SIMILARITY = 60
# How many holders of a block are compared pairwise to find two that are not copies (bounds the cost
# on a site's footer that every page repeats).
MAX_HOLDERS_COMPARED = 8


def block_key(text: str) -> str:
    """A block's identity across pages: its words, lower-cased, punctuation and spacing ignored."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


class _Page:
    """The blocks of one page as keys in reading order, with their sizes."""

    def __init__(self, doc: Document) -> None:
        self.keys: list[str] = []
        self.sizes: dict[str, int] = {}
        for para in doc.paragraphs:
            if para.kind == "title":
                continue
            key = block_key(doc.text[para.start : para.end])
            if key:
                self.keys.append(key)
                self.sizes[key] = len(key)
        # Blocks removed before (a stored page): furniture at an edge, never between its own text.
        self.removed = {k for k in (block_key(t) for t in doc.site_boilerplate) if k}
        self.size = sum(self.sizes.values()) or 1
        self.title = block_key(doc.title or "")

    def all_keys(self) -> set[str]:
        return set(self.keys) | self.removed

    def interior(self, key: str, shared: set[str]) -> bool:
        """Whether every occurrence of `key` has the page's own (unshared) text before and after it."""
        if key in self.removed or key not in self.sizes:
            return False
        own = [k not in shared for k in self.keys]
        return all(any(own[:i]) and any(own[i + 1 :]) for i, k in enumerate(self.keys) if k == key)


def _copies(a: _Page, b: _Page) -> bool:
    if a.title and b.title and fuzz.token_set_ratio(a.title, b.title) < COPY_TITLE_SIMILARITY:
        return False
    common = set(a.sizes) & set(b.sizes)
    shared = sum(a.sizes[k] for k in common)
    return shared >= COPY_SHARE * min(a.size, b.size)


def _site_keys(pages: Sequence[_Page]) -> frozenset[str]:
    holders: dict[str, list[int]] = defaultdict(list)
    for i, page in enumerate(pages):
        for key in page.all_keys():
            holders[key].append(i)
    copies: dict[tuple[int, int], bool] = {}

    def are_copies(i: int, j: int) -> bool:
        if (i, j) not in copies:
            copies[(i, j)] = _copies(pages[i], pages[j])
        return copies[(i, j)]

    shared = {
        key
        for key, held in holders.items()
        if len(held) >= 2 and any(not are_copies(i, j) for i, j in combinations(held[:MAX_HOLDERS_COMPARED], 2))
    }
    return frozenset(
        key for key in shared if not all(pages[i].interior(key, shared) for i in holders[key])
    )


def learn_site_boilerplate(docs: Sequence[Document], known: Iterable[Document] = ()) -> dict[str, frozenset[str]]:
    """For each site with two pages or more (listed or `known`), the keys of the blocks that are its furniture."""
    by_site: dict[str, list[_Page]] = defaultdict(list)
    for doc in [*known, *docs]:
        if doc.site:
            by_site[doc.site].append(_Page(doc))
    out: dict[str, frozenset[str]] = {}
    for site, pages in by_site.items():
        if len(pages) >= 2:
            keys = _site_keys(pages)
            if keys:
                out[site] = keys
    return out


def drop_site_boilerplate(doc: Document, keys: frozenset[str]) -> Document:
    """The document without the blocks in `keys`; they are kept in `site_boilerplate`.

    A document left with no body text keeps its blocks: a page that is all furniture by this measure
    is more likely a short article the site repeats (a brief) than nothing.
    """
    kept: list[tuple[ParagraphKind, str]] = []
    removed: list[str] = []
    for para in doc.paragraphs:
        body = doc.text[para.start : para.end]
        if para.kind != "title" and block_key(body) in keys:
            removed.append(body)
        else:
            kept.append((para.kind, body))
    if not removed or not any(kind != "title" for kind, _ in kept):
        return doc
    text, paragraphs = join_blocks(kept)
    return doc.model_copy(
        update={"text": text, "paragraphs": paragraphs, "site_boilerplate": [*doc.site_boilerplate, *removed]}
    )


def remove_site_boilerplate(docs: Sequence[Document], known: Iterable[Document] = ()) -> list[Document]:
    """`docs` without their site's furniture, learned from them and the `known` (stored) pages."""
    learned: Mapping[str, frozenset[str]] = learn_site_boilerplate(docs, known)
    return [drop_site_boilerplate(doc, learned[doc.site]) if doc.site and doc.site in learned else doc for doc in docs]
