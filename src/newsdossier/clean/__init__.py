"""Clean stage: a RawPage becomes a Document with clean text, paragraphs and comments apart.

Reads `RawPage.content`; adds title, date, author, language, `text` (the title and
article blocks joined by blank lines), `paragraphs` (offsets into `text`; a credit line
such as "Based on a report by ..." is a 'credit' paragraph, not prose) and `comments`.
Pages with no article raise `CleanError` with a one-line reason.
"""

from __future__ import annotations

import html
from dataclasses import replace

from newsdossier.clean.extracted import CleanError, Extracted, join_blocks
from newsdossier.clean.html import extract_html
from newsdossier.clean.lines import is_credit
from newsdossier.clean.metadata import PageMetadata, extract_metadata
from newsdossier.clean.textdump import extract_text_dump
from newsdossier.model import Document, ParagraphKind, RawPage

__all__ = ["CleanError", "assemble", "clean_page", "join_blocks", "with_metadata"]


def with_metadata(extracted: Extracted, meta: PageMetadata) -> Extracted:
    """The extraction with the page's own metadata (structured data, meta tags, bylines) where it has any."""
    title = html.unescape(meta.title) if meta.title else extracted.title
    blocks = list(extracted.blocks)
    if title and blocks and blocks[0][0] == "title":
        blocks[0] = ("title", title)
    elif title:
        blocks.insert(0, ("title", title))
    published = meta.published or extracted.date
    return replace(
        extracted,
        title=title,
        blocks=blocks,
        date=published,
        date_origin="meta" if published else None,
        updated=meta.updated or extracted.updated,
        author=meta.author or extracted.author,
        site=extracted.site or meta.site_name,
        language=meta.language or extracted.language,
    )


def assemble(page: RawPage, extracted: Extracted) -> Document:
    """Join the extracted blocks into one text and record each block's offsets."""
    blocks: list[tuple[ParagraphKind, str]] = [
        ("credit", body) if kind == "body" and is_credit(body) else (kind, body) for kind, body in extracted.blocks
    ]
    text, paragraphs = join_blocks(blocks)
    if not any(p.kind != "title" for p in paragraphs):
        raise CleanError("no article text found: only a title")
    date, origin = extracted.date, extracted.date_origin
    if page.date and date is None:
        date, origin = page.date, "container"
    return Document(
        id=page.id,
        source=page.source,
        kind=page.kind,
        url=page.url,
        site=page.site or extracted.site,
        title=extracted.title,
        date=date,
        date_origin=origin,
        updated=extracted.updated,
        author=extracted.author,
        language=extracted.language,
        text=text,
        paragraphs=paragraphs,
        comments=extracted.comments,
        boilerplate_lines=extracted.removed_lines,
    )


def clean_page(page: RawPage) -> Document:
    """The clean Document of one page (HTML or text dump)."""
    if page.kind != "html":
        return assemble(page, extract_text_dump(page.content))
    extracted = extract_html(page.content, page.url)
    return assemble(page, with_metadata(extracted, extract_metadata(page.content, page.url)))
