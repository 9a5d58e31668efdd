"""What an extractor hands back before offsets are fixed: shared by the HTML and text paths."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from newsdossier.model import Comment, Paragraph, ParagraphKind

SEPARATOR = "\n\n"


class CleanError(Exception):
    """A page from which no article could be extracted; the message says why in one line."""


@dataclass
class Extracted:
    title: str | None
    blocks: list[tuple[ParagraphKind, str]]
    comments: list[Comment] = field(default_factory=list)
    date: dt.date | None = None
    date_origin: str | None = None
    updated: dt.date | None = None
    author: str | None = None
    site: str | None = None
    language: str | None = None
    removed_lines: int = 0


def join_blocks(blocks: list[tuple[ParagraphKind, str]]) -> tuple[str, list[Paragraph]]:
    """One text from blocks separated by blank lines, with each block's offsets."""
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    offset = 0
    for kind, raw in blocks:
        block = raw.strip()
        if not block:
            continue
        if parts:
            offset += len(SEPARATOR)
        parts.append(block)
        paragraphs.append(Paragraph(start=offset, end=offset + len(block), kind=kind))
        offset += len(block)
    return SEPARATOR.join(parts), paragraphs
