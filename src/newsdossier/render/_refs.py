"""Numbering of the cited spans of a dossier, shared by the Markdown and HTML renderings.

A span (document, start, end) gets one number however many statements cite it, in
order of first use: summary, facts, timeline, cautions.  Both renderings then agree
on what "[3]" means.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsdossier.model import Citation, DocumentView, Dossier

SpanKey = tuple[str, int, int]


@dataclass(frozen=True)
class SourceRef:
    """One numbered cited span and, when it checks out, where it lies in its document."""

    number: int
    citation: Citation
    doc: DocumentView | None
    doc_index: int | None
    verified: bool

    @property
    def anchor(self) -> str | None:
        """The id of the highlight in the documents section; None when the span cannot be shown."""
        return f"src-{self.number}" if self.verified else None


def span_key(citation: Citation) -> SpanKey:
    return (citation.doc_id, citation.start, citation.end)


def span_is_valid(citation: Citation, doc: DocumentView | None) -> bool:
    """A span is shown only when it lies in the text and the quote is exactly that text."""
    if doc is None or not 0 <= citation.start < citation.end <= len(doc.text):
        return False
    return doc.text[citation.start : citation.end] == citation.quote


class SourceIndex:
    """Numbers every cited span of a dossier once."""

    def __init__(self, dossier: Dossier) -> None:
        self.doc_positions: dict[str, int] = {}
        for position, view in enumerate(dossier.documents):
            self.doc_positions.setdefault(view.id, position)
        self._docs = dossier.documents
        self._refs: dict[SpanKey, SourceRef] = {}
        for citation in dossier.citations():
            key = span_key(citation)
            if key in self._refs:
                continue
            found = self.doc_positions.get(citation.doc_id)
            doc: DocumentView | None = None if found is None else self._docs[found]
            self._refs[key] = SourceRef(
                number=len(self._refs) + 1,
                citation=citation,
                doc=doc,
                doc_index=found,
                verified=span_is_valid(citation, doc),
            )

    @property
    def refs(self) -> list[SourceRef]:
        return list(self._refs.values())

    def ref(self, citation: Citation) -> SourceRef:
        return self._refs[span_key(citation)]

    def refs_for(self, citations: Iterable[Citation]) -> list[SourceRef]:
        """The distinct numbered spans of a list of citations, in first-use order."""
        seen: dict[int, SourceRef] = {}
        for citation in citations:
            ref = self.ref(citation)
            seen.setdefault(ref.number, ref)
        return list(seen.values())

    def spans_in(self, doc_index: int) -> list[SourceRef]:
        """The verified spans of one document, which the HTML highlights."""
        return [ref for ref in self._refs.values() if ref.doc_index == doc_index and ref.verified]


def safe_web_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) address a reader can follow, else None (never javascript:, data:)."""
    if not url:
        return None
    candidate = url.strip()
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return candidate
