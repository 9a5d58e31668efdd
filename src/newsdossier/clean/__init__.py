"""Clean stage: a RawPage becomes a Document with clean text, paragraphs and comments apart.

Reads `RawPage.content`; adds title, date, author, language, `text` (the title and
article blocks joined by blank lines), `paragraphs` (offsets into `text`) and
`comments`.  Pages with no article raise `CleanError` with a one-line reason.
"""

from __future__ import annotations

from newsdossier.clean.extracted import CleanError, Extracted, join_blocks
from newsdossier.clean.html import extract_html
from newsdossier.clean.textdump import extract_text_dump
from newsdossier.model import Document, RawPage

__all__ = ["CleanError", "assemble", "clean_page", "join_blocks"]


def assemble(page: RawPage, extracted: Extracted) -> Document:
    """Join the extracted blocks into one text and record each block's offsets."""
    text, paragraphs = join_blocks(extracted.blocks)
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
    extracted = extract_html(page.content, page.url) if page.kind == "html" else extract_text_dump(page.content)
    return assemble(page, extracted)
