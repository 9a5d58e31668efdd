"""The HTML rendering of a dossier: one standalone page, no server, no JavaScript.

Page text, titles, comments and URLs are untrusted.  Everything reaches the page through
a Jinja template with autoescaping on; the only markup built here is a list of tokens
(open mark, text, close mark) that the template turns into tags, so no page string is
ever emitted unescaped.  Links to originals are kept only for http(s) URLs, and a
Content-Security-Policy in the page forbids scripts outright.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Literal

from jinja2 import Environment, PackageLoader, StrictUndefined

from newsdossier.model import DocumentView, Dossier
from newsdossier.render._refs import SourceIndex, SourceRef, safe_web_url
from newsdossier.render.json import to_json
from newsdossier.render.markdown import to_markdown

TEMPLATE = "dossier.html.j2"
STATUS_LABELS = {"corroborated": "corroborated", "single-source": "single source", "contested": "contested"}

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_QID = re.compile(r"Q[1-9][0-9]*")


@dataclass(frozen=True)
class Token:
    """One step of a highlighted paragraph: open a mark, close the innermost mark, or some text."""

    op: Literal["open", "close", "text"]
    text: str = ""
    number: int = 0
    anchor: str | None = None


@dataclass(frozen=True)
class Block:
    kind: str
    tokens: list[Token]


@dataclass(frozen=True)
class DocPanel:
    number: int
    anchor: str
    doc: DocumentView
    url: str | None
    lang: str | None
    blocks: list[Block]
    duplicate_anchor: str | None


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _gap_blocks(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Text no paragraph covers is still shown, split at blank lines, so no cited span is lost."""
    pieces, cursor = [], start
    for match in _BLANK_LINE.finditer(text, start, end):
        pieces.append((cursor, match.start()))
        cursor = match.end()
    pieces.append((cursor, end))
    blocks = []
    for a, b in pieces:
        a, b = _trimmed(text, a, b)
        if a < b:
            blocks.append((a, b, "body"))
    return blocks


def text_blocks(doc: DocumentView) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, kind) blocks in text order, from the paragraph offsets."""
    size, cursor = len(doc.text), 0
    blocks: list[tuple[int, int, str]] = []
    for paragraph in sorted(doc.paragraphs, key=lambda p: (p.start, p.end)):
        start, end = max(paragraph.start, cursor, 0), min(paragraph.end, size)
        if end <= start:
            continue
        blocks.extend(_gap_blocks(doc.text, cursor, start))
        blocks.append((start, end, paragraph.kind))
        cursor = end
    blocks.extend(_gap_blocks(doc.text, cursor, size))
    return blocks


def highlight(text: str, start: int, end: int, spans: list[SourceRef], opened: set[int]) -> list[Token]:
    """Tokens for text[start:end] with every span marked, well nested even when spans cross.

    The text is cut at every span boundary; each piece lies inside a fixed set of spans,
    kept open outermost first.  Between pieces only the marks that change are closed and
    reopened, so a span crossing another is split into several marks.  The first mark of
    each span carries its anchor id (`opened` remembers which spans already have one).
    """
    inside = [r for r in spans if r.citation.start < end and r.citation.end > start]
    cuts = {start, end}
    for ref in inside:
        cuts.update((max(ref.citation.start, start), min(ref.citation.end, end)))
    points = sorted(cuts)
    tokens: list[Token] = []
    stack: list[SourceRef] = []
    for a, b in pairwise(points):
        active = sorted(
            (r for r in inside if r.citation.start <= a and r.citation.end >= b),
            key=lambda r: (r.citation.start, -r.citation.end, r.number),
        )
        keep = 0
        while keep < min(len(stack), len(active)) and stack[keep] is active[keep]:
            keep += 1
        tokens.extend(Token("close") for _ in stack[keep:])
        del stack[keep:]
        for ref in active[keep:]:
            anchor = ref.anchor if ref.number not in opened else None
            opened.add(ref.number)
            tokens.append(Token("open", number=ref.number, anchor=anchor))
            stack.append(ref)
        tokens.append(Token("text", text=text[a:b]))
    tokens.extend(Token("close") for _ in stack)
    return tokens


def _panel(number: int, doc: DocumentView, index: SourceIndex) -> DocPanel:
    spans = index.spans_in(number - 1)
    opened: set[int] = set()
    blocks = [Block(kind, highlight(doc.text, a, b, spans, opened)) for a, b, kind in text_blocks(doc)]
    duplicate = index.doc_positions.get(doc.duplicate_of) if doc.duplicate_of else None
    return DocPanel(
        number=number,
        anchor=f"doc-{number}",
        doc=doc,
        url=safe_web_url(doc.url),
        lang=doc.language if doc.language and _LANGUAGE_TAG.fullmatch(doc.language) else None,
        blocks=blocks,
        duplicate_anchor=f"doc-{duplicate + 1}" if duplicate is not None else None,
    )


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """Templates ship inside the package, so the page renders the same when installed."""
    return Environment(
        loader=PackageLoader("newsdossier.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def to_html(dossier: Dossier) -> str:
    """The whole dossier as one self-contained HTML page (inline CSS, no scripts)."""
    index = SourceIndex(dossier)
    panels = [_panel(n, doc, index) for n, doc in enumerate(dossier.documents, start=1)]
    fact_anchors = {fact.id: f"fact-{n}" for n, fact in enumerate(dossier.facts, start=1)}
    fact_numbers = {fact.id: n for n, fact in enumerate(dossier.facts, start=1)}
    doc_anchors = {doc_id: f"doc-{pos + 1}" for doc_id, pos in index.doc_positions.items()}
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(
            dossier=dossier,
            index=index,
            panels=panels,
            fact_anchors=fact_anchors,
            fact_numbers=fact_numbers,
            doc_anchors=doc_anchors,
            status_labels=STATUS_LABELS,
            wikidata_qid=lambda qid: bool(qid) and _QID.fullmatch(qid) is not None,
        )
    )


def write_dossier(dossier: Dossier, out_dir: Path) -> list[Path]:
    """Write dossier.json, dossier.md and dossier.html into out_dir (created if missing)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = {
        "dossier.json": to_json(dossier),
        "dossier.md": to_markdown(dossier),
        "dossier.html": to_html(dossier),
    }
    paths = []
    for name, text in outputs.items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8", newline="\n")
        paths.append(path)
    return paths
