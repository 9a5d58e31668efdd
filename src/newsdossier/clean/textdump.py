"""Article text, title, date and comments from a page saved as plain text.

A browser's copy of a page keeps no markup, so structure is inferred from the line
labels of `lines`: the article is the longest run of prose lines that page furniture
does not interrupt; the title is a heading near its start (pages repeat it); the
dateline sits in the header; comments are what follows a comment-section marker, or
the posts after the first one when the page is a forum thread (a short line such as
"Posted" that recurs before several prose blocks).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from itertools import pairwise

from newsdossier.clean.extracted import CleanError, Extracted
from newsdossier.clean.language import detect_language
from newsdossier.clean.lines import Kind, Line, breadcrumb_tail, classify, ends_sentence
from newsdossier.model import Comment, ParagraphKind
from newsdossier.understand.time import parse_date

# What a non-prose line costs a run of prose; a run ends when the gap costs more than MAX_GAP.
GAP_COST = {
    Kind.JUNK: 0,
    Kind.META: 0,
    Kind.CAPTION: 0,
    Kind.TABLE: 0,
    Kind.REACTION: 1,
    Kind.HEADING: 1,
    Kind.SHORT: 1,
    Kind.NAV: 2,
    Kind.UI: 2,
}
MAX_GAP = 3
_QUOTE_HEADER = re.compile(r"(?:^|,\s*)([\w.@-]{2,40})\s+(?:said|wrote|says)\s*:\s*$", re.IGNORECASE)
_COMMENT_MARKER = re.compile(r"\b(comments?|replies|responses|discussion)\b", re.IGNORECASE)
_BYLINE = re.compile(r"^by\s+([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})\b")
_UPDATED = re.compile(r"\b(updated|modified)\b", re.IGNORECASE)
_DATE_SPLIT = re.compile(r"\s*\|\s*")


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def find_post_markers(lines: list[Line]) -> list[int]:
    """Positions of a short line that recurs before several prose blocks (forum 'Posted')."""
    counts = Counter(_norm(ln.text) for ln in lines if ln.kind in (Kind.SHORT, Kind.UI) and ln.words <= 3)
    for text, count in counts.most_common():
        if count < 2 or not text:
            break
        positions = [i for i, ln in enumerate(lines) if _norm(ln.text) == text]
        followed = 0
        for i in positions:
            ahead = [ln for ln in lines[i + 1 : i + 6] if ln.kind not in (Kind.JUNK, Kind.REACTION, Kind.META)]
            if any(ln.kind is Kind.GOOD for ln in ahead[:3]):
                followed += 1
        if followed >= 2:
            return positions
    return []


def best_run(lines: list[Line], markers: set[int]) -> tuple[int, int] | None:
    """The run of prose lines with the most text, as (first, last) positions."""
    best: tuple[int, int, int] | None = None
    start = end = -1
    size = gap = 0
    seen_headings: set[str] = set()

    def close() -> None:
        nonlocal best, start
        if start >= 0 and (best is None or size > best[2]):
            best = (start, end, size)
        start = -1

    for i, ln in enumerate(lines):
        if i in markers:
            close()
            continue
        if ln.kind is Kind.GOOD:
            if start < 0:
                start, size = i, 0
            end, gap = i, 0
            size += len(ln.text)
        elif start >= 0:
            key = _norm(ln.text)
            repeated_heading = ln.kind is Kind.HEADING and key in seen_headings
            gap += 0 if repeated_heading else GAP_COST.get(ln.kind, 1)
            if gap > MAX_GAP:
                close()
                gap = 0
        if ln.kind is Kind.HEADING:
            seen_headings.add(_norm(ln.text))
    close()
    return (best[0], best[1]) if best else None


def find_title(lines: list[Line], run_start: int) -> tuple[int, str] | None:
    """A heading near the article start; one the page repeats (breadcrumb, banner) wins."""
    texts = Counter(_norm(ln.text) for ln in lines)
    tails = Counter(_norm(breadcrumb_tail(ln.text)) for ln in lines if ln.kind is Kind.NAV)
    candidates = []
    for i, ln in enumerate(lines[: run_start + 6]):
        if ln.kind is Kind.HEADING and ln.words >= 3 and not ln.bullet:
            key = _norm(ln.text)
            repeated = texts[key] + tails[key] >= 2
            candidates.append((not repeated, i, ln.text))
    if not candidates:
        return None
    _, index, text = min(candidates)
    return index, text


def page_dates(lines: list[Line]) -> tuple[date | None, date | None, str | None]:
    """Published date, updated date and author from the header's datelines and bylines."""
    published = updated = None
    author = None
    for ln in lines:
        if ln.kind is Kind.META:
            for part in _DATE_SPLIT.split(ln.text):
                found = parse_date(part)
                if found is None:
                    if author is None and not re.search(r"\d", part) and 1 <= len(part.split()) <= 5:
                        author = part.strip() or None
                    continue
                if _UPDATED.search(part):
                    updated = updated or found
                else:
                    published = published or found
        m = _BYLINE.match(ln.text)
        if m and author is None and ln.words <= 8:
            author = m.group(1)
    return published or updated, updated, author


def _comment_lines(lines: list[Line], earlier: list[str]) -> tuple[str, str | None]:
    """Text of one comment, dropping quoted earlier comments; and who the quote names."""
    kept: list[str] = []
    quoted_author = None
    earlier_norm = {_norm(t) for t in earlier}
    for ln in lines:
        header = _QUOTE_HEADER.search(ln.text)
        if header and ln.words <= 10:
            quoted_author = header.group(1)
            continue
        if _norm(ln.text) in earlier_norm:
            continue
        if ln.kind is Kind.GOOD or (ln.kind in (Kind.SHORT, Kind.HEADING) and ln.words >= 6 and not ln.bullet):
            kept.append(ln.text)
    return "\n".join(kept), quoted_author


def _comments_from_blocks(blocks: list[list[Line]]) -> list[Comment]:
    comments: list[Comment] = []
    for block in blocks:
        text, quoted_author = _comment_lines(block, [c.text for c in comments] + [
            line for c in comments for line in c.text.split("\n")
        ])
        if quoted_author:
            for i in range(len(comments) - 1, -1, -1):
                if comments[i].author is None:
                    comments[i] = comments[i].model_copy(update={"author": quoted_author})
                    break
        if text:
            comments.append(Comment(text=text))
    return comments


def extract_text_dump(content: str) -> Extracted:
    """Title, article blocks, comments and metadata from a text dump (see module doc)."""
    lang = detect_language(content)
    all_lines = [classify(i, raw, lang) for i, raw in enumerate(content.split("\n"))]
    lines = [ln for ln in all_lines if ln.kind is not Kind.BLANK]
    markers = find_post_markers(lines)
    run = best_run(lines, set(markers))
    if run is None:
        raise CleanError("no article text found: no line of running prose")
    run_start, run_end = run
    title_found = find_title(lines, run_start)
    title = title_found[1] if title_found else None
    region_start = min(title_found[0], run_start) if title_found else run_start
    if markers:
        before = [m for m in markers if m < run_start]
        if before and title_found and title_found[0] < before[-1]:
            region_start = min(region_start, title_found[0])

    blocks: list[tuple[ParagraphKind, str]] = []
    if title:
        blocks.append(("title", title))
    title_key = _norm(title or "")
    seen: set[str] = {title_key}
    table: list[str] = []
    for ln in lines[region_start : run_end + 1]:
        if ln.index in {lines[m].index for m in markers}:
            continue
        if ln.kind is Kind.TABLE:
            table.append(ln.text)
            continue
        if ln.kind is Kind.JUNK:
            continue
        if table:
            blocks.append(("table", "\n".join(table)))
            table = []
        key = _norm(ln.text)
        if ln.kind is Kind.GOOD:
            blocks.append(("body", ln.text))
        elif ln.kind is Kind.HEADING and key not in seen and not ln.bullet:
            blocks.append(("heading", ln.text))
        elif ln.kind is Kind.SHORT and ((ln.bullet and ln.words >= 4) or (ln.words >= 6 and ends_sentence(ln.text))):
            blocks.append(("body", ln.text))
        if ln.kind is Kind.HEADING:
            seen.add(key)
    if table:
        blocks.append(("table", "\n".join(table)))

    if markers:
        later = [m for m in markers if m > run_end]
        edges = [*later, len(lines)]
        post_blocks = [lines[a + 1 : b] for a, b in pairwise(edges)]
    else:
        post_blocks = []
        for i in range(run_end + 1, len(lines)):
            ln = lines[i]
            if ln.kind in (Kind.UI, Kind.SHORT, Kind.HEADING) and ln.words <= 6 and _COMMENT_MARKER.search(ln.text):
                post_blocks = [[c] for c in lines[i + 1 :] if c.kind is Kind.GOOD]
                break
    comments = _comments_from_blocks(post_blocks)

    published, updated, author = page_dates(lines[: run_start + 4])
    used = sum(len(text.split("\n")) for _, text in blocks) + sum(len(c.text.split("\n")) for c in comments)
    return Extracted(
        title=title,
        blocks=blocks,
        comments=comments,
        date=published,
        date_origin="header" if published else None,
        updated=updated,
        author=author,
        language=lang,
        removed_lines=max(0, len(lines) - used),
    )
