"""Main content of an HTML page from its DOM, without trafilatura: fast, and tuned for news.

The page is cut into text blocks at block-level elements; each block is judged by what
any page's prose has (length, sentence punctuation, stopwords, little link text).  Then:

* class/id/role vocabulary marks template regions (comments, sidebars, share rows,
  related links); a region that wraps most of the page's prose is a false alarm
  ("theiaStickySidebar" around the article) and is kept;
* the article's container is chosen as readability does (each prose block credits its
  parent fully and its ancestors less), then widened to an ancestor while the prose it
  adds outweighs the link lists and furniture it brings (an article split around ads);
* inside the container, captions, bylines, datelines, headers, figures, link lists and
  UI lines are dropped, and so are credit lines set in italics at the article's end.

Everything is bounded: the input is cut at MAX_HTML_CHARS, libxml2 caps the depth, and
every pass is linear in the number of elements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from newsdossier.clean.language import detect_language, stopwords
from newsdossier.clean.lines import is_meta, is_ui

MAX_HTML_CHARS = 4_000_000
MAX_BLOCKS = 30_000

# Never visible as text, or never article text.  (<footer> stays: a comment's footer names its author.)
DROP_TAGS = frozenset(
    (
        "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas",
        "video", "audio", "button", "select", "option", "input", "textarea", "head", "link", "meta", "nav",
        "aside", "label", "dialog", "map", "area", "source", "track", "param",
    )
)
BLOCK_TAGS = frozenset(
    (
        "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4",
        "h5", "h6", "table", "tr", "td", "th", "tbody", "thead", "tfoot", "caption", "blockquote", "pre",
        "figure", "figcaption", "header", "address", "center", "hr", "body", "html", "details", "summary",
        "fieldset", "legend", "form", "menu", "nav", "aside", "footer",
    )
)
HEADING_TAGS = frozenset(("h2", "h3", "h4", "h5", "h6"))
# Blocks never part of the article body, and elements whose insides are not.
DROP_BLOCKS = frozenset(("figcaption", "caption", "legend"))
# Inside the article's container: a nested <article> is a teaser card, a <header> holds title and byline.
DROP_INSIDE = frozenset(("figure", "figcaption", "header", "article"))
_LIST_TAGS = frozenset(("li", "dt", "dd"))  # teaser lists and tickers: never what elects the container
_EMPHASIS = frozenset(("em", "i"))
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_SENTENCE_PUNCT = re.compile(r"[.!?;:](?=\s|$)|[。！？；]")
_COMMA = re.compile(r"[,，、]")
_END = re.compile(r"[.!?。！？…][\"'”’)\]]*$")
_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")

# Class/id vocabulary of page templates, matched on name tokens ("commentList" -> comment, list).
_COMMENT_WORDS = ("comment", "disqus", "respond", "reply", "replies", "discussion", "discuss")
_FURNITURE_WORDS = (
    "sidebar", "related", "share", "sharing", "social", "footer", "masthead", "menu", "navbar", "navigation",
    "breadcrumb", "newsletter", "subscribe", "subscription", "promo", "sponsor", "advert", "ad", "ads", "banner",
    "popup", "modal", "cookie", "consent", "gdpr", "pagination", "pager", "recommend", "popular", "trending",
    "outbrain", "taboola", "toolbar", "signup", "login", "rating", "most", "more", "next", "prev", "previous",
    "widget", "nav", "skip", "hidden", "print", "tools", "follow", "teaser", "signin", "cta",
)
_INLINE_WORDS = (
    "caption", "credit", "byline", "author", "meta", "tags", "tag", "keywords", "date", "time", "timestamp",
    "dateline", "bio", "disclaimer", "source", "photo", "figure", "image", "img", "attribution",
)
_POSITIVE_WORDS = ("article", "body", "content", "entry", "main", "post", "story", "text", "blog", "hentry", "prose")
# "has-sidebar", "no-comments", "with-image": a state of the element, not what it is.
_MODIFIERS = frozenset(("has", "no", "with", "without", "enable", "enabled", "disable", "disabled", "show", "allow"))
_TOKEN = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_SUFFIXES = r"(?:s|es|list|area|box|bar|s?section|wrap(?:per)?|block|container|link|links|item|items)?"


def _vocabulary(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"^(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")" + _SUFFIXES + "$")


# Words distinctive enough to be found inside run-together names ("relatedpoststitle", "sharebar").
_COMMENT_PART = re.compile("comment|disqus")
_FURNITURE_PART = re.compile(
    "sidebar|related|share|social|footer|masthead|breadcrumb|newsletter|subscri|advert|sponsor|outbrain|taboola"
    "|cookie|recommend|popular|trending|pagination"
)
_COMMENT_RE = _vocabulary(_COMMENT_WORDS)
_FURNITURE_RE = _vocabulary(_FURNITURE_WORDS)
_INLINE_RE = _vocabulary(_INLINE_WORDS)
_POSITIVE_RE = _vocabulary(_POSITIVE_WORDS)

COMMENT, FURNITURE, INLINE, POSITIVE = 1, 2, 4, 8
NEGATIVE = COMMENT | FURNITURE

# Tuned on half the benchmark pages (ids starting with an even hex digit), confirmed on the other half.
LINK_DENSE = 0.5  # a block with more link text than this is a link list (unless it reads as a sentence)
ASCEND_RATIO = 3.0  # widen the container while the prose it adds is this many times the junk
REGION_COST = 0.25  # how much of a template region's text counts against widening the container
PROTECT_SHARE = 0.5  # a marked region holding this share of the prose (and PROTECT_BLOCKS blocks) is the article
PROTECT_BLOCKS = 3
TAIL_BLOCKS = 3
# An index page: at least LISTING_CARDS prose blocks, and LISTING_SHARE of them, each alone in a card whose
# text is LISTING_LINKS or more link text (its headline).
LISTING_CARDS = 3
LISTING_SHARE = 0.75
LISTING_LINKS = 0.15  # how many blocks at the article's end are checked for italic credit lines


@dataclass
class Block:
    """A run of text between block-level boundaries, with the element that holds it."""

    owner: etree._Element
    text: str
    chars: int
    link_chars: int
    em_chars: int
    words: int
    tag: str
    chain: list[etree._Element] = field(default_factory=list)  # owner and its ancestors, innermost first
    prose: float = 0.0  # > 0 for prose (its weight), < 0 for link lists and furniture, 0 for short text

    @property
    def link_density(self) -> float:
        return self.link_chars / self.chars if self.chars else 1.0


@dataclass
class MainContent:
    """The article's blocks in page order, the reader comments (each a list of its blocks), the page's
    <title> and headline, the language of its text and how many blocks the page had."""

    blocks: list[Block]
    comments: list[list[Block]]
    title: str | None
    language: str | None
    total_blocks: int = 0
    headline: str | None = None  # the <h1> above the article, dropped from its blocks


def parse_html(html: str) -> etree._Element | None:
    """An lxml tree of the page, or None for input that is not HTML."""
    if not html or not html.strip():
        return None
    data = html[:MAX_HTML_CHARS].encode("utf-8", "replace")
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, encoding="utf-8")
    try:
        root = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return root


def _hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _link_popup(el: etree._Element) -> bool:
    """An inline element that is a list of links (a hover card, a tag list) inside running text."""
    links = el.findall(".//a")
    if len(links) < 3:
        return False
    text = "".join(el.itertext())
    link_text = sum(len("".join(a.itertext())) for a in links)
    return len(text.split()) >= 10 and link_text >= 0.9 * len(text.strip())


def prune(root: etree._Element) -> dict[etree._Element, int]:
    """Remove what a reader never sees as text (scripts, styles, widgets' controls, hidden elements).

    Returns the class/id hints of the elements that stay, read in the same pass.
    """
    doomed = []
    hints: dict[etree._Element, int] = {}
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str) or tag in DROP_TAGS:
            doomed.append(el)
            continue
        if not el.attrib:
            if tag in ("article", "main"):
                hints[el] = POSITIVE
            elif tag == "footer":
                hints[el] = FURNITURE
            continue
        if _hidden(el) or (tag == "span" and _link_popup(el)):
            doomed.append(el)
            continue
        flags = hint(el) | (FURNITURE if tag == "footer" else 0)
        if flags:
            hints[el] = flags
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        tail = el.tail
        if tail and tail.strip():
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        parent.remove(el)
    return hints


def segment(root: etree._Element) -> list[Block]:
    """The page's text blocks in document order."""
    blocks: list[Block] = []
    stack: list[etree._Element] = []
    parts: list[str] = []
    counts = [0, 0]  # link chars, emphasised chars
    depth = [0, 0]  # open <a>, open <em>/<i>

    def add(text: str) -> None:
        parts.append(text)
        if depth[0] or depth[1]:
            n = len(text.strip())
            if depth[0]:
                counts[0] += n
            if depth[1]:
                counts[1] += n

    def flush() -> None:
        if parts and stack and len(blocks) < MAX_BLOCKS:
            text = _WS.sub(" ", "".join(parts)).strip()
            if text:
                owner = stack[-1]
                n = len(text)
                blocks.append(
                    Block(owner, text, n, min(counts[0], n), min(counts[1], n), len(_WORD.findall(text)), owner.tag)
                )
        parts.clear()
        counts[0] = counts[1] = 0

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag in BLOCK_TAGS:
                flush()
                stack.append(el)
            elif tag == "a":
                depth[0] += 1
            elif tag in _EMPHASIS:
                depth[1] += 1
            elif tag == "br":
                parts.append(" ")
            if el.text:
                add(el.text)
        else:
            if tag in BLOCK_TAGS:
                flush()
                stack.pop()
            elif tag == "a":
                depth[0] -= 1
            elif tag in _EMPHASIS:
                depth[1] -= 1
            if el.tail:
                add(el.tail)
    flush()
    return blocks


def attrs_of(el: etree._Element) -> str:
    """The element's class, id, itemprop and role, space-separated."""
    attrib = el.attrib
    out = attrib.get("class") or ""
    for key in ("id", "itemprop", "role"):
        value = attrib.get(key)
        if value:
            out = f"{out} {value}" if out else value
    return out


_hint_cache: dict[str, int] = {}


def hint(el: etree._Element) -> int:
    """What the element's class, id, itemprop and role name: a set of COMMENT, FURNITURE, INLINE, POSITIVE."""
    attrs = attrs_of(el)
    if el.tag in ("article", "main"):
        attrs += " article"
    if not attrs:
        return 0
    cached = _hint_cache.get(attrs)
    if cached is not None:
        return cached
    flags = 0
    prev = ""
    for tok in _TOKEN.findall(attrs):
        t = tok.lower()
        modifier, prev = prev in _MODIFIERS, t
        if modifier:
            continue
        if _COMMENT_RE.match(t) or (len(t) > 8 and _COMMENT_PART.search(t)):
            flags |= COMMENT
        elif _FURNITURE_RE.match(t) or (len(t) > 8 and _FURNITURE_PART.search(t)):
            flags |= FURNITURE
        elif _INLINE_RE.match(t):
            flags |= INLINE
        elif _POSITIVE_RE.match(t):
            flags |= POSITIVE
    if len(_hint_cache) < 50_000:
        _hint_cache[attrs] = flags
    return flags


def prose_weight(b: Block, sw: frozenset[str]) -> float:
    """How much a block counts as article prose: its size if prose, negative for link lists, else 0."""
    size = b.chars / 6
    ld = b.link_density
    if ld > LINK_DENSE:
        return -size - 3
    if not _SENTENCE_PUNCT.search(b.text) and not _COMMA.search(b.text):
        return 0.0
    if sw:
        words = _WORD.findall(b.text.lower())
        if len(words) < 8 or sum(1 for w in words if w in sw) < 0.15 * len(words):
            return 0.0
    elif b.chars < 40:
        return 0.0
    return size * (1 - ld)


POS, GAIN, NEG, COUNT, CHARS, LINKS = range(6)
_ZERO = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


def totals_of(blocks: list[Block], skip: list[bool]) -> dict[etree._Element, list[float]]:
    """Per element, sums over the blocks below it: prose, prose outside lists, junk, prose blocks,
    characters and link characters.  A skipped block (in a template region) counts as junk only.

    Each block is added to its owner, then rows are added to the parent's in reverse document
    order (children before parents): one step per element instead of one per block and ancestor.
    """
    acc: dict[etree._Element, list[float]] = {}
    for b, s in zip(blocks, skip, strict=True):
        p = b.prose if b.prose > 0 and not s else 0.0
        row = acc.get(b.owner)
        if row is None:
            row = acc[b.owner] = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
        row[POS] += p
        row[GAIN] += p if b.tag not in _LIST_TAGS else 0.0
        row[NEG] += abs(b.prose) * REGION_COST if s else max(-b.prose, 0.0)
        row[COUNT] += 1.0 if p else 0.0
        row[CHARS] += b.chars
        row[LINKS] += b.link_chars
    if not blocks:
        return acc
    root = blocks[0].chain[-1]
    for el in reversed(list(root.iter())):
        row = acc.get(el)
        if row is None:
            continue
        parent = el.getparent()
        if parent is None:
            continue
        up = acc.get(parent)
        if up is None:
            acc[parent] = row[:]
        else:
            for k in range(6):
                up[k] += row[k]
    return acc


def _item_kind(el: etree._Element) -> tuple[object, str]:
    classes = (el.get("class") or "").split()
    return el.tag, classes[0] if classes else _DIGITS.sub("", el.get("id") or "")


class _Page:
    """One page's blocks with the class/id hints and subtree sums the decisions read."""

    def __init__(self, body: etree._Element, blocks: list[Block], hints: dict[etree._Element, int]) -> None:
        self.body = body
        self.blocks = blocks
        self.hints = hints
        self.totals = totals_of(blocks, [False] * len(blocks))
        self._items: dict[etree._Element, bool] = {}

    def row(self, el: etree._Element) -> list[float] | tuple[float, ...]:
        return self.totals.get(el, _ZERO)

    def quote_wrapper(self, el: etree._Element) -> bool:
        """A widget that only wraps a quotation: an embedded post (tweet) that the article quotes."""
        if self.hints.get(el, 0) & COMMENT:
            return False
        quote = el.find(".//blockquote")
        return quote is not None and self.row(quote)[CHARS] >= 0.8 * self.row(el)[CHARS]

    def negative_regions(self) -> set[etree._Element]:
        """Elements named as comments or furniture, less those that wrap the article."""
        page = self.row(self.body)[POS]
        protected: set[etree._Element] = set()
        negative: list[etree._Element] = []
        for el, h in self.hints.items():
            if el.tag in ("body", "html"):
                continue
            if h & NEGATIVE:
                negative.append(el)
            elif h & POSITIVE and self.row(el)[COUNT] >= PROTECT_BLOCKS:
                mass = self.row(el)[POS]
                for anc in el.iterancestors():
                    if anc is self.body or mass < PROTECT_SHARE * self.row(anc)[POS]:
                        break
                    protected.add(anc)
                    if self.hints.get(anc, 0) & COMMENT:
                        break
        regions = set()
        for el in negative:
            if el in protected:
                continue
            h = self.hints[el]
            row = self.row(el)
            many = row[COUNT] >= PROTECT_BLOCKS or h & POSITIVE
            if many and row[POS] >= PROTECT_SHARE * page and not h & COMMENT:
                continue
            if row[CHARS] and self.quote_wrapper(el):
                continue
            regions.add(el)
        return regions

    def candidate_scores(self, outside: list[bool]) -> dict[etree._Element, float]:
        """Readability's scores: a prose block credits its parent fully, the grandparent half, and so on less."""
        scores: dict[etree._Element, float] = {}
        for b, out in zip(self.blocks, outside, strict=True):
            if b.prose <= 0 or out or b.tag in _LIST_TAGS:
                continue
            credit = 1 + len(_COMMA.findall(b.text)) + min(b.chars / 100, 3.0)
            for level, el in enumerate(b.chain[1:6]):
                scores[el] = scores.get(el, 0.0) + credit / (1 if level == 0 else 2 if level == 1 else level * 3)
        return scores

    def choose_container(self, outside: list[bool]) -> tuple[etree._Element, etree._Element] | None:
        """The best readability candidate, and the ancestor it widens to while that pays (the container)."""
        scores = self.candidate_scores(outside)
        if not scores:
            return None

        def final(el: etree._Element) -> float:
            row = self.row(el)
            return scores[el] * (1 - row[LINKS] / row[CHARS] if row[CHARS] else 1.0)

        core = max(scores, key=final)
        best = core
        p0, n0 = self.row(core)[GAIN], self.row(core)[NEG]
        for anc in core.iterancestors():
            gained = self.row(anc)[GAIN] - p0
            cost = self.row(anc)[NEG] - n0
            if gained > 0 and gained >= ASCEND_RATIO * cost:
                best = anc
        return core, best

    def inside(self, b: Block, container: etree._Element, frame: set[etree._Element]) -> bool:
        """Whether a block belongs to the article: below the container, under no caption, byline or widget.

        `frame` (the core candidate and its ancestors) is never questioned: it holds the article.
        """
        whole = self.row(container)[POS]
        quoted = False
        for el in b.chain:
            if el is container:
                return True
            if el.tag == "blockquote":
                quoted = True
            if el in frame or (quoted and self.quote_wrapper(el)):
                continue
            if el.tag in DROP_INSIDE or self.hints.get(el, 0) & (INLINE | NEGATIVE):
                row = self.row(el)
                if row[COUNT] >= PROTECT_BLOCKS and row[POS] >= 0.3 * whole:
                    continue
                return False
        return False

    def is_listing(self, article: list[Block], container: etree._Element) -> bool:
        """Whether the 'article' is an index of teasers: most prose blocks sit alone in a card with a linked
        headline (a wrapper below the container that holds that one prose block and link text)."""
        prose = [b for b in article if b.prose > 0]
        cards = 0
        for b in prose:
            card = None
            for el in b.chain[1:]:
                if el is container or self.row(el)[COUNT] > 1:
                    break
                card = el
            if card is not None and self.row(card)[LINKS] >= LISTING_LINKS * self.row(card)[CHARS]:
                cards += 1
        return cards >= LISTING_CARDS and cards >= LISTING_SHARE * len(prose)

    def _repeated(self, el: etree._Element) -> bool:
        """Whether a sibling is made like the element (same tag, same first class or id but for digits):
        an item of a list of comments, not one part of a comment."""
        parent = el.getparent()
        if parent is None:
            return False
        kind = _item_kind(el)
        return any(sib is not el and _item_kind(sib) == kind for sib in parent.iterchildren())

    def comment_item(self, b: Block) -> etree._Element | None:
        """The element holding one comment of a thread: the innermost comment-named element that repeats
        among its siblings; else the outermost comment-named element (a thread of one)."""
        named = [el for el in b.chain if self.hints.get(el, 0) & COMMENT]
        if not named:
            return None
        for el in named:
            known = self._items.get(el)
            if known is None:
                known = self._items[el] = self._repeated(el)
            if known:
                return el
        return named[-1]

    def comments(self, outside: list[bool]) -> list[list[Block]]:
        """The blocks of each comment with prose, grouped by the element that holds one comment."""
        items: dict[etree._Element, list[Block]] = {}
        for b, out in zip(self.blocks, outside, strict=True):
            item = self.comment_item(b) if out else None
            if item is not None:
                items.setdefault(item, []).append(b)
        return [group for group in items.values() if any(b.prose > 0 for b in group)]


def link_heavy(b: Block) -> bool:
    """Mostly link text, unless it reads as a sentence in a paragraph (an article's own links)."""
    ld = b.link_density
    if ld <= LINK_DENSE:
        return False
    return not (b.tag == "p" and b.words >= 10 and ld < 0.9 and _END.search(b.text) is not None)


def furniture_line(b: Block) -> bool:
    """A dateline, or a short line of UI vocabulary ('Advertisement', 'You may also like:')."""
    if b.words > 24:
        return False
    words = _WORD.findall(b.text)
    if b.words <= 5 and is_ui(b.text, words):
        return True
    return bool(_DIGIT.search(b.text)) and is_meta(b.text, words)


def _without_headline(kept: list[Block], title: str | None) -> list[Block]:
    """Drop the headline: the first <h1>, and any <h1> the <title> repeats; a later <h1> is a section heading."""
    first = next((i for i, b in enumerate(kept) if b.tag == "h1"), -1)
    page_title = _WS.sub(" ", title or "").lower()
    return [b for i, b in enumerate(kept) if b.tag != "h1" or (i != first and b.text.lower() not in page_title)]


def _trim_tail(kept: list[Block]) -> list[Block]:
    """Drop italic credit and promotion lines at the article's end ('Reporting by ...', 'Follow us ...')."""
    end = len(kept)
    while end > 0 and len(kept) - end < TAIL_BLOCKS:
        b = kept[end - 1]
        if b.em_chars >= 0.9 * b.chars and b.words < 80:
            end -= 1
        else:
            break
    return kept[:end] if end > 0 else kept


def _title(root: etree._Element) -> str | None:
    el = root.find(".//title")
    if el is None:
        return None
    text = _WS.sub(" ", "".join(el.itertext())).strip()
    return text or None


def extract_main(html: str) -> MainContent | None:
    """The article's blocks and the comment blocks of a page; None when the page has no prose container."""
    root = parse_html(html)
    if root is None:
        return None
    title = _title(root)
    hints = prune(root)
    body = root.find("body")
    if body is None:
        body = root
    blocks = segment(body)
    if not blocks:
        return None
    lang = detect_language(" ".join(b.text for b in sorted(blocks, key=lambda b: -b.chars)[:40]))
    sw = stopwords(lang) if lang else frozenset()
    for b in blocks:
        b.chain = [b.owner, *b.owner.iterancestors()]
        b.prose = prose_weight(b, sw)
    page = _Page(body, blocks, hints)
    regions = page.negative_regions()
    outside = [any(el in regions for el in b.chain) for b in blocks]
    page.totals = totals_of(blocks, outside)
    chosen = page.choose_container(outside)
    if chosen is None:
        return None
    core, container = chosen
    frame = {core, *core.iterancestors()}
    kept = [
        b
        for b, out in zip(blocks, outside, strict=True)
        if not out
        and b.tag not in DROP_BLOCKS
        and not link_heavy(b)
        and page.inside(b, container, frame)
        and not furniture_line(b)
    ]
    headline = next((b.text for b in kept if b.tag == "h1"), None)
    article = _trim_tail(_without_headline(kept, title))
    if page.is_listing(article, container):
        return None
    return MainContent(article, page.comments(outside), title, lang, len(blocks), headline)


def main_text(html: str) -> str:
    """The article text of a page, one block a line ('' when none): the benchmark's entry point."""
    main = extract_main(html)
    return "\n".join(b.text for b in main.blocks) if main else ""
