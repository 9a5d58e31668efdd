"""Article text and metadata from HTML, by trafilatura (main text, comments apart, metadata)."""

from __future__ import annotations

import re
from datetime import date

import trafilatura

from newsdossier.clean.extracted import CleanError, Extracted
from newsdossier.clean.language import detect_language
from newsdossier.model import Comment, ParagraphKind

_TABLE_ROW = re.compile(r"^\|.*\|$")


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _blocks(text: str, title: str | None) -> list[tuple[ParagraphKind, str]]:
    blocks: list[tuple[ParagraphKind, str]] = []
    if title:
        blocks.append(("title", title.strip()))
    table: list[str] = []
    for line in (ln.strip() for ln in text.split("\n")):
        if _TABLE_ROW.match(line):
            table.append(line)
            continue
        if table:
            blocks.append(("table", "\n".join(table)))
            table = []
        if line and line != (title or "").strip():
            blocks.append(("body", line))
    if table:
        blocks.append(("table", "\n".join(table)))
    return blocks


def extract_html(html: str, url: str | None = None) -> Extracted:
    """Main text, comments and metadata of an HTML page; CleanError when there is no article."""
    try:
        extraction = trafilatura.bare_extraction(
            html, url=url, include_comments=True, include_tables=True, with_metadata=True
        )
    except Exception as exc:  # lxml raises many kinds on hostile markup
        raise CleanError(f"HTML could not be parsed: {exc}") from exc
    result = extraction.as_dict() if extraction is not None and not isinstance(extraction, dict) else extraction
    if not isinstance(result, dict) or not (result.get("text") or "").strip():
        raise CleanError("no article text found in the HTML")
    text = result["text"]
    title = result.get("title")
    comments = [Comment(text=c.strip()) for c in (result.get("comments") or "").split("\n") if c.strip()]
    published = _date(result.get("date"))
    return Extracted(
        title=title,
        blocks=_blocks(text, title),
        comments=comments,
        date=published,
        date_origin="meta" if published else None,
        author=result.get("author"),
        site=result.get("hostname") or result.get("sitename"),
        language=result.get("language") or detect_language(text),
        removed_lines=0,
    )
