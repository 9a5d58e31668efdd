"""Article text, title, dateline and comments from a page saved as plain text.

A browser's copy of a page keeps no markup, so structure is inferred from the line
labels of `lines`:

* the article is the longest run of prose lines that page furniture does not
  interrupt; on a page split into posts (a forum thread, a blog with dated
  comments) it is the first post with a real run of prose;
* a post starts at a header that recurs before several prose blocks: the same
  short line ("Posted", "Top"), or a dateline / a short date that sits under a
  poster's name ("Maria Lopez" / "October 12, 2023 at 6:41 pm");
* the title is a heading near the article start (one the page repeats wins);
* comments are the posts after the article, else what follows a comment-section
  marker ("3 Comments", "Kommentare"); a reply's quote of an earlier post is dropped.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from newsdossier.clean.extracted import CleanError, Extracted
from newsdossier.clean.language import detect_language
from newsdossier.clean.lines import (
    BYLINE_PREFIX,
    Kind,
    Line,
    author_in,
    breadcrumb_tail,
    classify,
    ends_sentence,
    find_full_date,
    is_credit,
)
from newsdossier.model import Comment, ParagraphKind

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
    Kind.UI: 1,
}
MAX_GAP = 3
# How far under the article a credit line ("Based on a report by ...") may sit.
CREDIT_LINES = 3
GAP_UNIT = 80
# How far above the article its header (title, standfirst, byline, dateline) may reach.
HEADER_LINES = 8
# A post before the longest one is the article when its prose is at least this long (a forum's opening post).
FIRST_POST_CHARS = 250
# The article above a comment section longer than itself has at least this share of that section's prose.
BEFORE_COMMENTS_SHARE = 0.1
COMMENTS_GAP = 12
_QUOTE_HEADER = re.compile(
    r"(?:^|,\s*)([\w.@-]{2,40})\s+(?:said|wrote|schrieb|a écrit|escribió|ha scritto)\s*:(.*)$", re.IGNORECASE
)
_COMMENT_MARKER = re.compile(
    r"\b(comments?|replies|kommentare?|leserkommentare|commentaires?|comentarios?|commenti|reacties)\b"
    r"|\bjoin the (discussion|conversation)\b|\d\s+(responses|réactions|reactions)\b",
    re.IGNORECASE,
)
# A run is a list of teasers, not an article, when most of its prose lines sit under their own headline
# and are as short as a teaser.
LISTING_PAIRS = 3
LISTING_SHARE = 0.75
LISTING_CHARS = 180
# "2 thoughts on “Library branch to close”", "14 responses to ...": a count of comments on the article.
_COMMENTS_ON = re.compile(r"^\d+\s+(?:comments?|responses|replies|thoughts?)\s+(?:on|to)\b", re.IGNORECASE)
_BYLINE_START = re.compile(rf"^{BYLINE_PREFIX}\s+")
_SAYS = re.compile(
    r"\s+(?:says|said|wrote|schreibt|schrieb|dit|a écrit|dice|escribe|scrive)\s*:?\s*$", re.IGNORECASE
)
_UPDATED = re.compile(
    r"\b(updated|modified|aktualisiert|mis à jour|actualizado|aggiornato|bijgewerkt)\b", re.IGNORECASE
)
_NOT_PUBLISHED = re.compile(r"\b(joined|registered|member since|mitglied seit|inscrit)\b", re.IGNORECASE)
_PART_SPLIT = re.compile(r"\s+[|»·•]\s+|\s*\|\s*")
_DIGIT = re.compile(r"\d+")
_HANDLE = re.compile(r"^[\w.@-]{2,30}$")
# A page is split into posts when at least this many headers are followed by prose (a thread has replies;
# a photo credit or a dateline twice in an article is no thread).
MIN_POSTS = 3
INNER_WORDS = 2
REPEATED_PASSAGE = 3
_MARKER_KINDS = (Kind.SHORT, Kind.UI, Kind.HEADING, Kind.REACTION)
# After a post's text, a line of these kinds that is not prose ends the post (buttons, the page footer).
_POST_END = (Kind.UI, Kind.NAV, Kind.SHORT, Kind.HEADING)
_SKIP_AHEAD = (Kind.JUNK, Kind.REACTION, Kind.META, Kind.CAPTION)


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _quote_header(ln: Line) -> str | None:
    """The quoted poster when the line introduces a quote ('bob said:', 'bob wrote: ↑Mar 4, 2024')."""
    m = _QUOTE_HEADER.search(ln.text) if ln.words <= 12 else None
    if m is None:
        return None
    tail = m.group(2).strip()
    return m.group(1) if not tail or (len(tail) <= 40 and re.search(r"\d", tail)) else None


def name_like(ln: Line) -> str | None:
    """A poster's name on a line of its own ('Maria Lopez', 'coastie', 'Anna K. says:')."""
    if ln.kind not in (Kind.SHORT, Kind.HEADING) or ln.bullet or len(ln.text) > 40 or _COMMENT_MARKER.search(ln.text):
        return None
    name = _SAYS.sub("", ln.text).strip()
    tokens = name.split()
    if not 1 <= len(tokens) <= 3 or ends_sentence(name.rstrip(".")) or ":" in name:
        return None
    if len(tokens) == 1:
        return name if _HANDLE.match(name) and not name.isdigit() else None
    return name if all(t[0].isupper() for t in tokens) else None


def _poster(lines: list[Line], i: int) -> str | None:
    """Who wrote the post whose header is line i: named in the header, or on the line just above it."""
    above = lines[i - 1] if i > 0 else None
    if above and above.kind in (Kind.HEADING, Kind.SHORT) and above.words >= 4 and not ends_sentence(above.text):
        return None  # a headline above: an article's or a teaser's header, not a post's
    named = author_in(lines[i].text) if lines[i].kind is Kind.META else None
    return named or (name_like(above) if above else None)


def _followed_by_prose(lines: list[Line], i: int, directly: bool = False) -> bool:
    """Whether prose follows line i (`directly`: as the next line that counts, or after a quote's header)."""
    ahead = [ln for ln in lines[i + 1 : i + 8] if ln.kind not in _SKIP_AHEAD]
    if directly:
        return bool(ahead) and (ahead[0].kind is Kind.GOOD or _quote_header(ahead[0]) is not None)
    return any(ln.kind is Kind.GOOD for ln in ahead[:3])


def find_post_markers(lines: list[Line], relaxed: bool = False) -> list[int]:
    """Positions of the header line of each post, or [] when the page is not split into posts.

    A short line repeated verbatim before prose is a header by itself.  Datelines, and
    short lines that repeat only up to their digits ("Mar 10", "Mar 11"), are accepted
    only when posters' names come with them, so that dated teasers or a live blog's
    timestamps are not taken for posts; `relaxed` (inside a comment section) drops that
    condition and accepts a single post.
    """
    exact: dict[str, list[int]] = defaultdict(list)
    general: dict[str, list[int]] = defaultdict(list)
    for i, ln in enumerate(lines):
        if _quote_header(ln):
            continue
        if ln.kind is Kind.META and find_full_date(ln.text):
            general["\x00date"].append(i)
        elif ln.kind in _MARKER_KINDS and ln.words <= 3 and (key := _norm(ln.text)):
            if ln.kind is not Kind.UI:  # "Advertisement" between an article's paragraphs heads no post
                exact[key].append(i)
            if _DIGIT.search(key):
                general[_DIGIT.sub("0", key)].append(i)
    candidates: list[tuple[int, int, list[int]]] = []
    for group, needs_names in [*((g, False) for g in exact.values()), *((g, True) for g in general.values())]:
        # A bare label ("Posted") heads a post only if the post's text comes right under it; a section
        # label over teasers ("Business", "Video") has a headline under it.
        followed = sum(1 for i in group if _followed_by_prose(lines, i, directly=not needs_names))
        if followed < (1 if relaxed and needs_names else MIN_POSTS):
            continue
        if needs_names and not relaxed and sum(1 for i in group if _poster(lines, i)) < 2:
            continue
        candidates.append((followed, -len(group), group))
    if not candidates:
        return []
    return max(candidates, key=lambda c: (c[0], c[1]))[2]


@dataclass
class _Run:
    first: int
    last: int
    size: int


def best_run(lines: list[Line], markers: set[int], lo: int = 0, hi: int | None = None) -> _Run | None:
    """The stretch of lines[lo:hi] whose prose most outweighs the furniture inside it.

    Each prose line adds its length, each other line costs GAP_COST[kind] * GAP_UNIT
    characters (a heading the page repeats costs nothing); the best-scoring stretch that
    starts and ends on prose wins, so a paragraph's worth of text bridges a caption, an
    ad label or a "Read more" line, but not a menu.  Post headers end a stretch.
    """
    best: _Run | None = None
    best_score = 0.0
    start = -1
    score = 0.0
    size = 0
    seen_headings: set[str] = set()
    for i in range(lo, len(lines) if hi is None else hi):
        ln = lines[i]
        if i in markers:
            start = -1
            continue
        if ln.kind is Kind.GOOD:
            if start < 0:
                start, score, size = i, 0.0, 0
            score += len(ln.text)
            size += len(ln.text)
            if score > best_score:
                best, best_score = _Run(start, i, size), score
        elif start >= 0:
            repeated_heading = ln.kind is Kind.HEADING and _norm(ln.text) in seen_headings
            score -= 0 if repeated_heading else GAP_COST.get(ln.kind, 1) * GAP_UNIT
            if score <= 0:
                start = -1
        if ln.kind is Kind.HEADING:
            seen_headings.add(_norm(ln.text))
    return best


def article_run(lines: list[Line], markers: list[int]) -> tuple[_Run, int] | None:
    """The article's run and the end of its post (the next post header, or the page end)."""
    longest = best_run(lines, set(markers))
    if longest is None:
        return None
    edges = [0, *markers, len(lines)]
    for lo, hi in pairwise(edges):
        run = best_run(lines, set(markers), lo, hi)
        if run and (run.size >= min(longest.size, FIRST_POST_CHARS) or lo <= longest.first < hi):
            return (longest if lo <= longest.first < hi else run), hi
    return longest, len(lines)


def header_block(lines: list[Line], run_start: int) -> range:
    """The lines just above the article up to the nearest menu, breadcrumb or button: the article's header."""
    top = run_start
    while top > 0 and run_start - top < HEADER_LINES and lines[top - 1].kind not in (Kind.UI, Kind.NAV):
        top -= 1
    return range(top, run_start)


def find_title(lines: list[Line], run_start: int) -> tuple[int, str] | None:
    """The heading that names the article.

    One the page repeats (banner, breadcrumb tail) wins; then the first heading of the
    article's header (a standfirst or an author's role may follow it); then the heading
    nearest above the article (site names and section labels sit further up).
    """
    texts = Counter(_norm(ln.text) for ln in lines)
    tails = Counter(_norm(breadcrumb_tail(ln.text)) for ln in lines if ln.kind is Kind.NAV)
    header = header_block(lines, run_start)
    candidates = []
    for i, ln in enumerate(lines[: run_start + 6]):
        if ln.kind is Kind.HEADING and ln.words >= 3 and not ln.bullet:
            key = _norm(ln.text)
            repeated = texts[key] + tails[key] >= 2
            in_header = i in header
            rank = (not repeated, not in_header, i > run_start, i if in_header else abs(run_start - i))
            candidates.append((rank, i, ln.text))
    if not candidates:
        return None
    _, index, text = min(candidates)
    return index, text


def _author_part(part: str) -> str | None:
    """The author's name in a dateline part that holds no date ('By Jane Doe', 'Post by bob', 'News Desk')."""
    if re.search(r"\d", part) or not 1 <= len(part.split()) <= 6:
        return None
    named = author_in(part)
    if named:
        return named
    name = _BYLINE_START.sub("", part.strip()).strip(" ,")
    return name if name and all(t[0].isupper() for t in name.split()) else None


def page_dates(lines: list[Line]) -> tuple[date | None, date | None, str | None]:
    """Published date, updated date and author from the header's datelines and bylines."""
    published = updated = None
    author = None
    for ln in lines:
        if ln.kind is not Kind.META:
            continue
        for part in _PART_SPLIT.split(ln.text):
            found = find_full_date(part)
            if found is not None and _NOT_PUBLISHED.search(part):
                continue
            if found is None:
                author = author or _author_part(part)
            elif _UPDATED.search(part):
                updated = updated or found[0]
            else:
                published = published or found[0]
        author = author or author_in(ln.text)
    return published or updated, updated, author


def _posted(ln: Line) -> str | None:
    """When a post header says the post was written: its date part, as printed."""
    if not re.search(r"\d", ln.text):
        return None
    parts = [p for p in _PART_SPLIT.split(ln.text) if re.search(r"\d", p)]
    return parts[-1].strip() if parts else None


def _comment_text(block: list[Line], earlier: set[str]) -> tuple[str, str | None]:
    """Text of one post, without quotes of earlier posts and what follows its prose; and the name a quote gives."""
    kept: list[str] = []
    quoted_author = None
    for ln in block:
        if name := _quote_header(ln):
            quoted_author = name
            continue
        if _norm(ln.text) in earlier:
            continue
        if ln.kind is Kind.GOOD or (
            ln.kind in (Kind.SHORT, Kind.HEADING)
            and not ln.bullet
            and (ln.words >= 6 or (ln.words >= 3 and ends_sentence(ln.text)))
        ):
            kept.append(ln.text)
        elif kept and ln.kind in _POST_END:
            break
    return "\n".join(kept), quoted_author


def _comments(posts: list[tuple[Line | None, str | None, list[Line]]], article: list[str]) -> list[Comment]:
    """Comments from (header, poster, lines) posts; a quote names the poster of the post it repeats."""
    comments: list[Comment] = []
    earlier = {_norm(t) for t in article}
    for header, poster, block in posts:
        text, quoted_author = _comment_text(block, earlier)
        if quoted_author:
            quoted = {_norm(ln.text) for ln in block} & earlier
            for k, c in enumerate(comments):
                if c.author is None and quoted & {_norm(t) for t in c.text.split("\n")}:
                    comments[k] = c.model_copy(update={"author": quoted_author})
        if text:
            posted = _posted(header) if header else None
            comments.append(Comment(text=text, author=poster, posted=posted))
            earlier |= {_norm(t) for t in text.split("\n")}
    return comments


def _posts_after(lines: list[Line], markers: list[int], start: int) -> list[tuple[Line | None, str | None, list[Line]]]:
    later = [m for m in markers if m >= start]
    edges = [*later, len(lines)]
    return [(lines[a], _poster(lines, a), lines[a + 1 : b]) for a, b in pairwise(edges)]


def comment_posts(lines: list[Line], markers: list[int], post_end: int, run_end: int) -> list[
    tuple[Line | None, str | None, list[Line]]
]:
    """The posts after the article: forum replies, or the entries under a comment-section marker."""
    if markers and any(m >= post_end for m in markers):
        return _posts_after(lines, markers, post_end)
    for i in range(run_end + 1, len(lines)):
        ln = lines[i]
        if is_comment_section(ln):
            region = lines[i + 1 :]
            inner = find_post_markers(region, relaxed=True)
            if inner:
                return _posts_after(region, inner, 0)
            return [(None, None, [c]) for c in region if c.kind is Kind.GOOD]
    return []


def _ends_with_bio(lines: list[Line], run: _Run, author: str | None) -> int:
    """Last line of the article before an author box (the byline's name alone on a line, then a bio)."""
    if not author:
        return run.last
    key = _norm(author)
    for i in range(run.first + 1, run.last + 1):
        if lines[i].kind is not Kind.GOOD and _norm(lines[i].text) == key:
            return max(j for j in range(run.first, i) if lines[j].kind is Kind.GOOD)
    return run.last


def is_comment_section(ln: Line) -> bool:
    """A comment-section heading: 'Comments (2)', '3 Comments', 'Leave a reply', 'Kommentare'."""
    if ln.kind not in _MARKER_KINDS or ends_sentence(ln.text):
        return False
    if _COMMENTS_ON.match(ln.text):
        return True
    return bool(_COMMENT_MARKER.search(ln.text)) and len(re.findall(r"[^\W\d_]+", ln.text)) <= 3


def _cut_at_comments(lines: list[Line], run: _Run) -> _Run:
    """The run without a comment section that follows the article with no furniture between."""
    for i in range(run.first + 1, run.last + 1):
        if is_comment_section(lines[i]):
            last = max(j for j in range(run.first, i) if lines[j].kind is Kind.GOOD)
            return _Run(run.first, last, sum(len(ln.text) for ln in lines[run.first : last + 1]))
    return run


def _before_comments(lines: list[Line], markers: list[int], run: _Run) -> _Run:
    """The article run when the longest run is a comment section: the run before its heading."""
    sections = [
        i for i in range(run.first) if is_comment_section(lines[i]) and any(ln.kind is Kind.GOOD for ln in lines[:i])
    ]
    if not sections:
        return run
    before = best_run(lines, set(markers), 0, sections[-1])
    # A comment count in the page header is no comment section: the text before it must be an article,
    # and end just above it.
    if before is None or before.size < min(FIRST_POST_CHARS, run.size * BEFORE_COMMENTS_SHARE):
        return run
    return before if sections[-1] - before.last <= COMMENTS_GAP else run


def is_listing(lines: list[Line], run: _Run) -> bool:
    """Whether the run is a list of headlines with one-line teasers (an index page) rather than an article.

    The teasers around the run count too: a run may hold only one of them.
    """
    lo = max(0, run.first - 2 * LISTING_PAIRS)
    hi = min(len(lines), run.last + 1 + 2 * LISTING_PAIRS)
    prose = [i for i in range(lo, hi) if lines[i].kind is Kind.GOOD]
    under_headline = sum(1 for i in prose if i > 0 and lines[i - 1].kind is Kind.HEADING)
    mean = sum(len(lines[i].text) for i in prose) / len(prose)
    return under_headline >= LISTING_PAIRS and under_headline >= LISTING_SHARE * len(prose) and mean < LISTING_CHARS


def _body_line(ln: Line) -> bool:
    """A short line that still belongs to the article: a list item, a sentence, a list's lead-in."""
    if ln.kind is not Kind.SHORT:
        return False
    if ln.bullet:
        return ln.words >= 4
    return ln.words >= 6 and (ends_sentence(ln.text) or ln.text.endswith(":"))


def _inner_line(ln: Line) -> bool:
    """A short line between two paragraphs of the article: a question, a list item, a short sentence."""
    return ln.kind is Kind.SHORT and ln.words >= INNER_WORDS


def _repeated_lines(lines: list[Line]) -> set[int]:
    """Sentences the page shows twice on their own (a caption in a gallery and its lightbox, a teaser).

    A passage repeated whole, REPEATED_PASSAGE prose lines or more in the same order, is not one of
    them: it is left for `dedup` to record.
    """
    sentences = [i for i, ln in enumerate(lines) if ln.words >= 6]
    keys = [_norm(lines[i].text) for i in sentences]
    where: dict[str, list[int]] = defaultdict(list)
    for k, key in enumerate(keys):
        where[key].append(k)
    out: set[int] = set()
    for k, key in enumerate(keys):
        copies = where[key]
        if len(copies) < 2:
            continue
        longest = 0
        for other in copies:
            if other == k:
                continue
            span = 0
            while k + span < len(keys) and other + span < len(keys) and keys[k + span] == keys[other + span]:
                span += 1
            back = 0
            while k - back > 0 and other - back > 0 and keys[k - back - 1] == keys[other - back - 1]:
                back += 1
            prose = {keys[j] for j in range(k - back, k + span) if lines[sentences[j]].kind is Kind.GOOD}
            longest = max(longest, len(prose))
        if longest < REPEATED_PASSAGE:
            out.add(sentences[k])
    return out


def _leads_text(lines: list[Line], pos: int, end: int, bylines: int = 0) -> bool:
    """Whether a heading introduces text (a subheading, a standfirst) rather than heading a list of links.

    Up to `bylines` short lines (an author's name and role) may stand between.
    """
    for ln in lines[pos + 1 : end + 1]:
        if ln.kind in _SKIP_AHEAD:
            continue
        if ln.kind in (Kind.GOOD, Kind.TABLE) or _body_line(ln):
            return True
        if ln.kind not in (Kind.SHORT, Kind.HEADING) or bylines == 0:
            return False
        bylines -= 1
    return False


def _credits_after(lines: list[Line], run_end: int, markers: set[int]) -> list[Line]:
    """Credit lines ("Based on a report by ...") right under the article, before any post or comment section."""
    found = []
    for pos in range(run_end + 1, min(run_end + 1 + CREDIT_LINES, len(lines))):
        ln = lines[pos]
        if pos in markers or is_comment_section(ln) or ln.kind is Kind.GOOD:
            break
        if is_credit(ln.text):
            found.append(ln)
    return found


def extract_text_dump(content: str) -> Extracted:
    """Title, article blocks, comments and metadata from a text dump (see module doc)."""
    lang = detect_language(content)
    all_lines = [classify(i, raw, lang) for i, raw in enumerate(content.split("\n"))]
    lines = [ln for ln in all_lines if ln.kind is not Kind.BLANK]
    markers = find_post_markers(lines)
    found = article_run(lines, markers)
    if found is None:
        raise CleanError("no article text found: no line of running prose")
    run, post_end = found
    run = _cut_at_comments(lines, _before_comments(lines, markers, run))
    if is_listing(lines, run):
        raise CleanError("no article text found: the page lists headlines with teasers")
    title_found = find_title(lines, run.first)
    title = title_found[1] if title_found else None
    region_start = min(title_found[0], run.first) if title_found else run.first
    published, updated, author = page_dates(lines[: run.first + 4])
    opening = max((m for m in markers if m < run.first), default=None)
    if author is None and opening is not None:
        author = _poster(lines, opening)
    run_end = _ends_with_bio(lines, run, author)

    blocks: list[tuple[ParagraphKind, str]] = []
    if title:
        blocks.append(("title", title))
    seen: set[str] = {_norm(title or "")}
    marker_set = set(markers)
    furniture = [i for i in range(region_start, run.first) if lines[i].kind in (Kind.UI, Kind.NAV)]
    furniture_above = max(furniture, default=-1)
    table: list[str] = []
    shown_twice = _repeated_lines(lines)
    for pos in range(region_start, run_end + 1):
        ln = lines[pos]
        if pos in marker_set or pos <= furniture_above:
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
        before_run = pos < run.first
        if pos in shown_twice:
            continue
        if not before_run and is_credit(ln.text):
            blocks.append(("credit", ln.text))
            continue
        if ln.kind is Kind.GOOD or _body_line(ln) or (run.first < pos < run.last and _inner_line(ln)):
            blocks.append(("body", ln.text))
        elif (
            ln.kind is Kind.HEADING
            and key not in seen
            and not ln.bullet
            and (ln.words >= 5 if before_run else True)
            and _leads_text(lines, pos, run_end, bylines=2 if before_run else 0)
        ):
            blocks.append(("heading", ln.text))
        if ln.kind is Kind.HEADING:
            seen.add(key)
    if table:
        blocks.append(("table", "\n".join(table)))
    blocks += [("credit", ln.text) for ln in _credits_after(lines, run_end, marker_set)]

    posts = comment_posts(lines, markers, post_end, run_end)
    comments = _comments(posts, [text for _, text in blocks])
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
