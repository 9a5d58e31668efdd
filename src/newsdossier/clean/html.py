"""Article text and metadata from HTML, by trafilatura (main text, comments apart, metadata).

trafilatura does the DOM work (boilerplate, scripts, comment sections); its plain text
is then judged line by line like a text dump, so that leftover buttons and link lists
are dropped and a page with no running prose (an index, a login wall) is refused.
"""

from __future__ import annotations

from datetime import date

import trafilatura

from newsdossier.clean.extracted import CleanError, Extracted
from newsdossier.clean.language import detect_language
from newsdossier.clean.lines import Kind, Line, classify
from newsdossier.clean.textdump import is_comment_section, name_like
from newsdossier.model import Comment, ParagraphKind

_DROP = (Kind.BLANK, Kind.JUNK, Kind.NAV, Kind.UI, Kind.REACTION)


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _blocks(lines: list[Line], title: str | None) -> list[tuple[ParagraphKind, str]]:
    blocks: list[tuple[ParagraphKind, str]] = []
    if title:
        blocks.append(("title", title.strip()))
    table: list[str] = []
    for ln in lines:
        if ln.kind is Kind.TABLE:
            table.append(ln.text)
            continue
        if table:
            blocks.append(("table", "\n".join(table)))
            table = []
        if ln.kind in _DROP or ln.kind in (Kind.META, Kind.CAPTION) or _norm(ln.text) == _norm(title or ""):
            continue
        blocks.append(("heading" if ln.kind is Kind.HEADING and not ln.bullet else "body", ln.text))
    if table:
        blocks.append(("table", "\n".join(table)))
    return blocks


def _comments(text: str, article: str, lang: str | None) -> list[Comment]:
    """One comment per prose line; a poster's name on the line above it is its author."""
    comments: list[Comment] = []
    author: str | None = None
    for i, raw in enumerate(text.split("\n")):
        ln = classify(i, raw, lang)
        if ln.kind in _DROP or ln.kind is Kind.META or is_comment_section(ln) or ln.text in article:
            continue
        name = name_like(ln)
        if name:
            author = name
            continue
        comments.append(Comment(text=ln.text, author=author))
        author = None
    return comments


def extract_html(html: str, url: str | None = None) -> Extracted:
    """Main text, comments and metadata of an HTML page; CleanError when there is no article."""
    try:
        result = trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=True,
            include_tables=True,
            with_metadata=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # lxml raises many kinds on hostile markup
        raise CleanError(f"HTML could not be parsed: {exc}") from exc
    if result is None:
        raise CleanError("no article text found in the HTML")
    data = result.as_dict() if not isinstance(result, dict) else result
    text = data.get("text") or ""
    lang = detect_language(text)
    lines = [classify(i, raw, lang) for i, raw in enumerate(text.split("\n"))]
    if not any(ln.kind is Kind.GOOD for ln in lines):
        raise CleanError("no article text found in the HTML: no line of running prose")
    title = data.get("title")
    published = _date(data.get("date"))
    kept = sum(1 for ln in lines if ln.kind not in _DROP)
    blocks = _blocks(lines, title)
    return Extracted(
        title=title,
        blocks=blocks,
        comments=_comments(data.get("comments") or "", "\n".join(b for _, b in blocks), lang),
        date=published,
        date_origin="meta" if published else None,
        author=data.get("author"),
        site=data.get("hostname") or data.get("sitename"),
        language=data.get("language") or lang,
        removed_lines=sum(1 for ln in lines if ln.kind is not Kind.BLANK) - kept,
    )
