"""Article text and reader comments of an HTML page, by our DOM extractor.

`dom.extract_main` finds the article's blocks and the comment threads (faster than trafilatura
and more exact on news, see bench/RESULTS.md).  Here the blocks become the Document's
paragraphs (headings, body, tables as '| a | b |' rows) and each comment gets the name and
date its thread prints above it.  Dates, author and the site's name come from the page's own
metadata, which `clean_page` adds.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

from lxml import etree

from newsdossier.clean.dom import HEADING_TAGS, Block, MainContent, extract_main
from newsdossier.clean.extracted import CleanError, Extracted
from newsdossier.clean.lines import Kind, classify, find_full_date
from newsdossier.clean.metadata import strip_site_suffix
from newsdossier.clean.textdump import name_like
from newsdossier.model import Comment, ParagraphKind

_WS = re.compile(r"\s+")
_CELL_TAGS = frozenset(("td", "th"))
# A comment's author line: the name alone, or with the date or a "says" after it.
_AUTHOR_LINE_WORDS = 6
_NOT_COMMENT_TEXT = (Kind.UI, Kind.NAV, Kind.JUNK, Kind.REACTION, Kind.META)


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip().lower()


def _cell(b: Block) -> tuple[etree._Element, etree._Element] | None:
    """The row and table of a block that sits in a table cell."""
    row = table = None
    for el in b.chain:
        if el.tag == "tr" and row is None:
            row = el
        elif el.tag == "table":
            table = el
            break
    return (row, table) if row is not None and table is not None and b.chain[0].tag in _CELL_TAGS else None


def _blocks(main: MainContent, title: str | None) -> list[tuple[ParagraphKind, str]]:
    """Paragraph kinds for the article's blocks: a table's cells become rows of one 'table' block."""
    out: list[tuple[ParagraphKind, str]] = []
    if title:
        out.append(("title", title))
    skip = {_norm(title or "")}
    rows: list[list[str]] = []
    current: tuple[etree._Element, etree._Element] | None = None

    def close_table() -> None:
        if rows:
            out.append(("table", "\n".join("| " + " | ".join(cells) + " |" for cells in rows)))
            rows.clear()

    for b in main.blocks:
        cell = _cell(b)
        if cell is not None:
            if current is None or cell[1] is not current[1]:
                close_table()
            if current is None or cell[0] is not current[0] or not rows:
                rows.append([])
            rows[-1].append(b.text.replace("|", "/"))
            current = cell
            continue
        close_table()
        current = None
        if _norm(b.text) in skip:
            continue
        out.append(("heading" if b.tag in HEADING_TAGS or b.tag == "h1" else "body", b.text))
    close_table()
    return out


def _dateline(text: str, lang: str | None) -> tuple[str, str | None]:
    """The date part of a comment's header line, and the poster's name when it comes first
    ('Stephanie September 17, 2014 - 1:01 pm')."""
    found = find_full_date(text)
    if found is None or found[1] == 0:
        return text, None
    name = name_like(classify(0, text[: found[1]].strip(" ,-|·•"), lang))
    return (text[found[1] :].strip(), name) if name else (text, None)


def _comment(blocks: list[Block], lang: str | None) -> Comment | None:
    """One comment: its prose (no form notes or buttons), the poster's name and the date printed above it."""
    author: str | None = None
    posted: str | None = None
    texts: list[str] = []
    for b in blocks:
        line = classify(0, b.text, lang)
        if line.kind in _NOT_COMMENT_TEXT:
            if not texts and posted is None and line.kind is Kind.META:
                posted, named = _dateline(b.text, lang)
                author = author or named
            continue
        if b.prose > 0 or (texts and b.words >= 4):
            texts.append(b.text)
        elif not texts and author is None and b.words <= _AUTHOR_LINE_WORDS:
            author = name_like(line)
    return Comment(text="\n".join(texts), author=author, posted=posted) if texts else None


def _host(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def extract_html(html: str, url: str | None = None) -> Extracted:
    """Main text and comments of an HTML page; CleanError when there is no article.

    The title is the article's headline (else the <title> without the site's name); dates and the
    author come from the page's metadata, which `clean_page` adds (`metadata.extract_metadata`).
    """
    main = extract_main(html)
    if main is None or not any(b.prose > 0 for b in main.blocks):
        raise CleanError("no article text found in the HTML: no block of running prose")
    title = main.headline
    if title is None and main.title:
        title = strip_site_suffix(unescape(main.title), None, _host(url))[0] or None
    blocks = _blocks(main, title)
    comments = [c for c in (_comment(group, main.language) for group in main.comments) if c is not None]
    kept = len(main.blocks) + sum(len(group) for group in main.comments)
    return Extracted(
        title=title,
        blocks=blocks,
        comments=comments,
        site=_host(url),
        language=main.language,
        removed_lines=max(0, main.total_blocks - kept),
    )
