"""Page metadata from HTML: title, author, site, dates, language, and whether there is an article at all.

Signals are read in the order a site vouches for them: structured data (JSON-LD, then
meta tags: OpenGraph, Twitter, Dublin Core, citation_*, Parse.ly), then microdata and
the page's own markup (bylines, <time>, <title>), and only then the slow or guessing
fallbacks (htmldate's search, stopword language detection).  The page is parsed once
with lxml and every loop is capped, so a huge or hostile page costs bounded time, and
bad input yields empty metadata instead of an exception.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree
from pydantic import BaseModel, ConfigDict

from newsdossier.clean.language import detect_language
from newsdossier.clean.lines import BYLINE_PREFIX

MAX_HTML_CHARS = 3_000_000
MAX_JSONLD_CHARS = 400_000
MAX_JSONLD_SCRIPTS = 40
MAX_JSONLD_DEPTH = 12
MAX_META_TAGS = 2_000
MAX_SCANNED_ELEMENTS = 20_000
MAX_FIELD_CHARS = 300

ARTICLE_TYPES = frozenset(
    t.lower()
    for t in (
        "Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
        "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "AskPublicQuestion",
        "LiveBlogPosting", "TechArticle", "ScholarlyArticle", "SocialMediaPosting", "Report",
        "SatiricalArticle", "AdvertiserContentArticle", "DiscussionForumPosting", "Blog", "Review",
    )
)
_PAGE_TYPES = frozenset({"webpage", "itempage", "medicalwebpage", "aboutpage", "faqpage", "qapage"})
_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|»|·|•|/|~)\s+|\s*[|｜]\s*|\s+_\s*")
_BYLINE = re.compile(
    rf"^\s*(?:(?:written|posted|reported|story|words|text|photos?|video)\s+by\b|{BYLINE_PREFIX}(?=[\s:]|$))\s*:?\s*",
    re.IGNORECASE,
)
_WS = re.compile(r"\s+")
_TRAILING_SEPARATOR = re.compile(r"(?:\s+(?:\||-|–|—|::|»|·|•|/|~|_)|\s*[|｜])\s*$")
_LEADING_SEPARATOR = re.compile(r"^\s*(?:\||-|–|—|::|»|·|•|/|~|｜|_)\s*")
_URL_START = re.compile(r"^(?:https?:)?//|^www\.", re.IGNORECASE)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]?(\d\d)[/-]?(\d\d)(?:/|[-_.]|$)")
_YEAR = re.compile(r"\d{4}")
_NUMBER = re.compile(r"\d{3,}")
_PAREN = re.compile(r"\([^)]*\)")
_WORD = re.compile(r"[^\W_]+")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:$|[T\s])")
_UNLIKELY = re.compile(
    r"comment|sidebar|footer|nav|menu|masthead|banner|share|social|related|promo|advert|sponsor|cookie|"
    r"newsletter|subscribe|popup|modal|breadcrumb|pagination|disqus|widget",
    re.IGNORECASE,
)
_LIKELY = re.compile(r"article|body|content|main|story|post|entry|text", re.IGNORECASE)
_AUTHOR_HINT = re.compile(r"byline|author(?!i[sz])|writer|contributor|by-line|reporter", re.IGNORECASE)
_STRONG_AUTHOR = re.compile(r"\bauthor\b|\bcreator\b", re.IGNORECASE)
_AUTHOR_NOT = re.compile(
    r"bio|avatar|image|img|photo|more-by|other|related|comment|profile-pic|follow|social|share", re.IGNORECASE
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_NAME_STOP = re.compile(
    rf"\s*(?:\||•|·|—|–|\bon\s+\w+day\b|(?:\blast\s+)?\bupdated\b|\bpublished\b|\bposted\b|\bemail\b|\bfollow\b"
    rf"|\bfor\s+the\b|\d{{1,2}}[:/.]\d{{2}}|\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\.?\s+{_MONTH}\s+\d{{4}}|\d{{4}}-\d\d-\d\d)",
    re.IGNORECASE,
)
_TRAILING_PAREN = re.compile(r"\s*\((?:[^()]*(?:https?:|www\.|@|\.com|\d)[^()]*)\)\s*$", re.IGNORECASE)
_PUBLISHED_KEYS = (
    "article:published_time", "og:published_time", "article:published", "published_time", "published-date",
    "citation_publication_date", "citation_date", "citation_online_date", "dc.date.issued", "dcterms.issued",
    "dc.date.created", "dcterms.created", "dc.date", "dc:date", "dcterms.date", "parsely-pub-date",
    "sailthru.date", "pubdate", "publishdate", "publish-date", "publish_date", "date", "article.published",
    "datepublished", "original-publish-date", "og:article:published_time", "bt:pubdate", "dc.date.published",
)
_UPDATED_KEYS = (
    "article:modified_time", "og:updated_time", "article:modified", "og:modified_time", "modified_time",
    "dcterms.modified", "dc.date.modified", "last-modified", "lastmod", "article.updated", "datemodified",
    "og:article:modified_time", "bt:moddate",
)
_AUTHOR_KEYS = (
    "dc.creator", "dc:creator", "dcterms.creator", "dcterm:creator", "author", "article:author_name",
    "parsely-author", "sailthru.author", "byl", "citation_author", "dc.contributor", "article:author",
    "og:article:author", "twitter:creator:name", "cxenseparse:author",
)
_TITLE_KEYS = (
    "dc.title", "dc:title", "dcterms.title", "dcterm:title", "og:title", "twitter:title", "citation_title",
    "parsely-title", "sailthru.title", "title", "headline",
)
_SITE_KEYS = ("og:site_name", "application-name", "al:ios:app_name", "al:android:app_name", "dc.publisher",
              "dcterms.publisher", "citation_publisher", "publisher")
_DESCRIPTION_KEYS = (
    "og:description", "description", "twitter:description", "dc.description", "dc:description",
    "dcterms.description", "parsely-description",
)
_ITEMPROP_PUBLISHED = '//*[@itemprop="datePublished" or @itemprop="dateCreated"][position() <= 3]'
_ITEMPROP_MODIFIED = '//*[@itemprop="dateModified"][position() <= 3]'
PROSE_SCORE = 20.0
_NOT_ARTICLE_OG_TYPES = frozenset({"website", "product", "profile", "video.other", "music.song", "book", "place"})
_LANG_KEYS = ("content-language", "language", "dc.language", "dcterms.language", "og:locale")


class PageMetadata(BaseModel):
    """What the page says about itself; None where no signal was found."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    author: str | None = None
    site_name: str | None = None
    published: dt.date | None = None
    updated: dt.date | None = None
    language: str | None = None
    is_article: bool = False
    description: str | None = None


def _clean(value: object, limit: int = MAX_FIELD_CHARS) -> str | None:
    if not isinstance(value, str):
        return None
    text = _WS.sub(" ", value.replace("\u200b", "")).strip()
    if not text or len(text) > limit or text.lower() in {"null", "none", "undefined", "false"}:
        return None
    return text


def _fold(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


# ---------------------------------------------------------------- parsing


def _parse(html: str | bytes) -> lxml.html.HtmlElement | None:
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not isinstance(html, str):
        return None
    html = html[:MAX_HTML_CHARS].replace("\x00", "")
    if html.lstrip().startswith("<?xml"):
        html = html.split("?>", 1)[-1]
    if not html.strip():
        return None
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, collect_ids=False)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return root if isinstance(root, lxml.html.HtmlElement) else None


def _bounded(root: lxml.html.HtmlElement, *tags: str) -> Iterator[lxml.html.HtmlElement]:
    for n, el in enumerate(root.iter(*tags)):
        if n >= MAX_SCANNED_ELEMENTS:
            return
        if isinstance(el, lxml.html.HtmlElement):
            yield el


def _metas(root: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """meta tags by lowercased name/property (space-separated lists split), in page order."""
    found: dict[str, list[str]] = {}
    for n, el in enumerate(root.iter("meta")):
        if n >= MAX_META_TAGS:
            break
        content = el.get("content")
        if content is None:
            continue
        keys = " ".join(el.get(a) or "" for a in ("property", "name", "http-equiv")).lower().split()
        for key in keys:
            found.setdefault(key, []).append(content)
    return found


def _first_meta(metas: dict[str, list[str]], keys: tuple[str, ...], limit: int = MAX_FIELD_CHARS) -> str | None:
    for key in keys:
        for value in metas.get(key, ()):
            text = _clean(value, limit)
            if text:
                return text
    return None


# ---------------------------------------------------------------- JSON-LD


_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


def _load_json(text: str) -> Any:
    """Parsed JSON, after light repairs (CDATA wrapper, trailing commas) if needed; None if hopeless."""
    try:
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):
        pass
    repaired = _TRAILING_COMMA.sub(r"\1", _CDATA.sub("", text)).strip().rstrip(";")
    try:
        return json.loads(repaired, strict=False)
    except (ValueError, RecursionError):
        return None


def _types(obj: dict[str, Any]) -> set[str]:
    raw = obj.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)}


def _walk(obj: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Top-level objects, @graph members and main entities; not list items, which are other pages' stories."""
    if depth > MAX_JSONLD_DEPTH:
        return
    if isinstance(obj, list):
        for item in obj[:200]:
            yield from _walk(item, depth + 1)
    elif isinstance(obj, dict):
        yield obj
        for key in ("@graph", "mainEntity"):
            if key in obj:
                yield from _walk(obj[key], depth + 1)


def _jsonld(root: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for n, script in enumerate(root.xpath('//script[contains(translate(@type,"JSONLD","jsonld"),"ld+json")]')):
        if n >= MAX_JSONLD_SCRIPTS:
            break
        text = script.text or ""
        if not text.strip() or len(text) > MAX_JSONLD_CHARS:
            continue
        objects.extend(_walk(_load_json(text)))
    return objects


def _names(value: Any, depth: int = 0) -> list[str]:
    """Person/organisation names from a schema.org author/publisher value (string, object or list)."""
    if depth > 3:
        return []
    if isinstance(value, list):
        return [n for v in value[:10] for n in _names(v, depth + 1)]
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, (list, dict)):
            return _names(name, depth + 1)
        if not isinstance(name, str):
            given, family = value.get("givenName"), value.get("familyName")
            name = f"{given} {family}" if isinstance(given, str) and isinstance(family, str) else None
        return _names(name, depth + 1) if isinstance(name, str) else []
    if isinstance(value, str):
        text = _clean(value, 120)
        return [text] if text and not _is_url(text) else []
    return []


def _is_url(text: str) -> bool:
    return bool(_URL_START.match(text))


class _Structured:
    """The article object and site name found in a page's JSON-LD."""

    def __init__(self, objects: list[dict[str, Any]]) -> None:
        articles = [o for o in objects if _types(o) & ARTICLE_TYPES]
        pages = [o for o in objects if _types(o) & _PAGE_TYPES]
        self.is_article = bool(articles)
        best = articles[0] if articles else (pages[0] if pages else {})
        self.titles = [t for t in (_clean(best.get("headline")), _clean(best.get("name"))) if t]
        self.authors = _names(best.get("author")) or _names(best.get("creator"))
        self.published = best.get("datePublished") or best.get("dateCreated")
        self.updated = best.get("dateModified")
        self.description = _clean(best.get("description"), 2000)
        lang = best.get("inLanguage")
        self.language = lang if isinstance(lang, str) else None
        publisher = _names(best.get("publisher")) or _names(best.get("sourceOrganization"))
        sites = [n for o in objects if _types(o) & {"website"} for n in _names(o)]
        self.site = publisher[0] if publisher else (sites[0] if sites else None)


# ---------------------------------------------------------------- dates


def parse_meta_date(value: object) -> dt.date | None:
    """A calendar date from a machine-written date string (ISO 8601, RFC 2822, 20240131); else a parser's guess."""
    text = _clean(value, 80) if isinstance(value, str) else None
    if text is None:
        return None
    for pattern in (_ISO_DATE, _COMPACT_DATE):
        m = pattern.search(text) if pattern is _ISO_DATE else pattern.match(text)
        if m:
            return _valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    try:
        parsed = parsedate_to_datetime(text)
        return _valid_date(parsed.year, parsed.month, parsed.day)
    except (TypeError, ValueError, IndexError):
        pass
    if not _YEAR.search(text):
        return None
    from newsdossier.understand.time import parse_date

    found = parse_date(text)
    return _valid_date(found.year, found.month, found.day) if found else None


_UTC = re.compile(r"(?:Z|[+-]00:?00|\bUTC|\bGMT)\s*$", re.IGNORECASE)
_OFFSET = re.compile(r"T?\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*[+-]\d{2}:?\d{2}$")


def _pick_date(values: list[object]) -> dt.date | None:
    """The first date the page declares, but in the publisher's own time zone where another field gives it.

    Sites often state the same moment twice, once in UTC (JSON-LD) and once with
    their local offset; the local calendar day is the one readers saw.
    """
    parsed = [(v, d) for v in values[:40] if isinstance(v, str) and (d := parse_meta_date(v)) is not None]
    if not parsed:
        return None
    first_raw, first = parsed[0]
    if _UTC.search(first_raw.strip()):
        for raw, found in parsed[1:]:
            text = raw.strip()
            if abs((found - first).days) <= 1 and _OFFSET.search(text) and not _UTC.search(text):
                return found
    return first


def _valid_date(year: int, month: int, day: int) -> dt.date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _itemprop_value(el: lxml.html.HtmlElement) -> str | None:
    for attr in ("content", "datetime", "value"):
        if el.get(attr):
            return el.get(attr)
    return _clean(el.text_content(), MAX_FIELD_CHARS)


def _time_elements(root: lxml.html.HtmlElement) -> tuple[dt.date | None, dt.date | None]:
    """Published/updated dates from <time datetime> elements, preferring those marked as such."""
    first: dt.date | None = None
    published: dt.date | None = None
    updated: dt.date | None = None
    for el in _bounded(root, "time"):
        found = parse_meta_date(el.get("datetime") or el.text_content())
        if found is None:
            continue
        marks = " ".join(el.get(a) or "" for a in ("class", "itemprop", "id", "name")).lower()
        parent = el.getparent()
        if parent is not None:
            marks += " " + (parent.get("class") or "").lower()
        if "modif" in marks or "updat" in marks:
            updated = updated or found
        elif "pubdate" in el.attrib or "publish" in marks or "posted" in marks or "created" in marks:
            published = published or found
        elif first is None and not _UNLIKELY.search(marks) and not _outside_article(el):
            first = found
    return published or first, updated


# ---------------------------------------------------------------- authors


def clean_author(value: str | None) -> str | None:
    """A byline reduced to its names: prefix ('By', 'Von', ...), its first line, no trailing date or role."""
    if not isinstance(value, str):
        return None
    text = _BYLINE.sub("", value.replace("\u200b", "").strip())
    text = next((line for line in text.splitlines() if line.strip()), "")
    text = _WS.sub(" ", text).strip()
    if _is_url(text) or "@" in text.split(" ", 1)[0]:
        return None
    text = _NAME_STOP.split(text, maxsplit=1)[0]
    text = _TRAILING_PAREN.sub("", text).strip(" ,;:-–—|")
    if text.endswith(".") and len(text.rsplit(" ", 1)[-1]) > 3:
        text = text[:-1]
    letters = sum(1 for ch in text if ch.isalpha())
    if not text or len(text) > 100 or letters < 0.6 * len(text.replace(" ", "")) or _NUMBER.search(text):
        return None
    return text if _name_words(text) <= 10 else None


def _name_words(name: str) -> int:
    """Words in a byline outside parentheses: 'Jane Doe (with John Roe)' is a two-word name."""
    return len(_PAREN.sub(" ", name).split())


def _join_names(names: list[str]) -> str | None:
    """Distinct names joined by ', ' (by '; ' when a name is written 'Last, First')."""
    seen: list[str] = []
    for name in names:
        cleaned = clean_author(name)
        if cleaned and _fold(cleaned) not in {_fold(s) for s in seen}:
            seen.append(cleaned)
    if not seen:
        return None
    return ("; " if any("," in s for s in seen) else ", ").join(seen[:6])


def _marks(el: lxml.html.HtmlElement) -> str:
    get = el.get
    return f"{get('class') or ''} {get('id') or ''} {get('rel') or ''} {get('itemprop') or ''}"


_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
        "table", "td", "th", "tr", "ul",
    }
)
_PARAGRAPH_TAGS = frozenset({"p", "pre", "blockquote"})
_CONTAINER_TAGS = frozenset({"div", "td", "li", "section", "article", "dd", "center", "main"})
_BLOCK_TAGS_NO_BR = _BLOCK_TAGS - {"br"}
_BYLINE_INITIALS = frozenset("BbVvPpDdAaWwSsTtRr")
_OUTSIDE_ARTICLE = frozenset({"aside", "footer", "nav", "form"})


def _block_text(el: lxml.html.HtmlElement) -> str:
    """Text with a line break at every block boundary, so that 'Name' and 'Role' in two divs stay apart."""
    parts: list[str] = []
    for node in el.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag in _BLOCK_TAGS:
            parts.append("\n")
        if node.text and node.tag not in ("script", "style"):
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return "".join(parts)


def _outside_article(el: lxml.html.HtmlElement) -> bool:
    """In a comment thread, or in an aside/footer/nav/form that is not part of an <article>: not the story's."""
    furniture = False
    for n, parent in enumerate(el.iterancestors()):
        if n > 15 or parent.tag in ("body", "html"):
            break
        if "comment" in (parent.get("class") or "").lower():
            return True
        if parent.tag in _OUTSIDE_ARTICLE:
            furniture = True
        elif parent.tag == "article" and furniture:
            return False
    return furniture


def _strong_author_mark(el: lxml.html.HtmlElement) -> bool:
    return bool(_STRONG_AUTHOR.search(" ".join((el.get("itemprop") or "", el.get("rel") or ""))))


def _page_author(root: lxml.html.HtmlElement) -> str | None:
    """The author named in the page's markup.

    In order of trust: microdata or rel=author, then an element whose class or id says
    byline/author (the innermost such element, so a wrapper's other lines are not read),
    then a short 'By Jane Doe' line; always the first in page order outside sidebars,
    footers and comment threads.
    """
    body = root.find("body")
    if body is None:
        return None
    marked: list[lxml.html.HtmlElement] = []
    by_lines: list[lxml.html.HtmlElement] = []
    for el in _bounded(body):
        marks = _marks(el)
        if _AUTHOR_HINT.search(marks):
            if not _AUTHOR_NOT.search(marks) and len(marked) < 200:
                marked.append(el)
            continue
        text = el.text
        if text and text.lstrip()[:1] in _BYLINE_INITIALS and _BYLINE.match(text) and len(by_lines) < 50:
            by_lines.append(el)
    wrappers = {id(a) for el in marked for a in el.iterancestors()}
    strong = [el for el in marked if _strong_author_mark(el)]
    weak = [el for el in marked if id(el) not in wrappers and not _strong_author_mark(el)]
    for el in strong + weak:
        names = el.xpath('.//*[@itemprop="name"]') if el.get("itemprop") else []
        raw = _itemprop_value(names[0]) if names else (el.get("content") or _block_text(el))
        found = clean_author(raw)
        if found and _name_words(found) <= 6 and not _outside_article(el):
            return found
    for el in by_lines:
        text = _block_text(el)
        found = clean_author(text) if len(text) <= 200 else None
        if found and 2 <= _name_words(found) <= 6 and found[0].isupper() and not _outside_article(el):
            return found
    return None


# ---------------------------------------------------------------- title and site


def _split_title(title: str) -> list[str]:
    return [p for p in (s.strip() for s in _SEPARATORS.split(title)) if p]


def _site_from_host(host: str | None) -> str | None:
    if not host:
        return None
    labels = [label for label in host.lower().split(".") if label not in {"www", "m", "amp", "mobile"}]
    return labels[-2] if len(labels) >= 2 else (labels[0] if labels else None)


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def _closest(candidates: list[str], reference: str | None) -> str | None:
    """Of several names for the article (JSON-LD headline and name), the one sharing more words with <title>."""
    if len(candidates) < 2 or not reference:
        return candidates[0] if candidates else None
    ref = _words(reference)
    return max(candidates, key=lambda c: len(_words(c) & ref))


def strip_site_suffix(title: str, site: str | None, host: str | None = None) -> tuple[str, str | None]:
    """A <title> without the site name before or after a separator; also returns the part removed."""
    parts = _split_title(title)
    if len(parts) < 2:
        return title, None
    known = {_fold(s) for s in (site, _site_from_host(host)) if s}
    known.discard("")
    for index in (len(parts) - 1, 0):
        part = _fold(parts[index])
        similar = any(min(len(k), len(part)) >= 4 and (part.startswith(k) or k.startswith(part)) for k in known)
        if part and (part in known or similar):
            rest = _without(title, parts[index], at_end=index > 0)
            if rest:
                return rest, parts[index]
    last = parts[-1]
    rest = _without(title, last, at_end=True)
    if rest and len(last.split()) <= 4 and len(rest.split()) >= 3 and len(last) < len(rest):
        return rest, last
    return title, None


def _without(title: str, part: str, at_end: bool) -> str | None:
    if at_end:
        cut = title.rfind(part)
        rest = title[:cut] if cut > 0 else ""
        rest = _TRAILING_SEPARATOR.sub("", rest.rstrip())
    else:
        rest = title[len(part):] if title.startswith(part) else ""
        rest = _LEADING_SEPARATOR.sub("", rest)
    rest = rest.strip()
    return rest if len(rest) >= 3 else None


# ---------------------------------------------------------------- language


@cache
def _iso639_1(code: str) -> str | None:
    primary = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    if not primary.isalpha():
        return None
    import pycountry

    if len(primary) == 2:
        return primary if pycountry.languages.get(alpha_2=primary) is not None else None
    if len(primary) == 3:
        found = pycountry.languages.get(alpha_3=primary)
        return getattr(found, "alpha_2", None) if found is not None else None
    return None


def _declared_language(root: lxml.html.HtmlElement, metas: dict[str, list[str]], structured: _Structured) -> str | None:
    candidates = [root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang"), root.get("xml:lang")]
    body = root.find("body")
    if body is not None:
        candidates.append(body.get("lang"))
    candidates += [v for key in _LANG_KEYS for v in metas.get(key, ())]
    candidates.append(structured.language)
    for value in candidates:
        if value:
            found = _iso639_1(value)
            if found:
                return found
    return None


# ---------------------------------------------------------------- prose


def _prose(root: lxml.html.HtmlElement) -> tuple[float, str]:
    """How much running prose the page has (after readability's 'readerable' score) and a sample of it.

    A paragraph is a p/pre/blockquote, or any container holding only inline content
    (text in a bare div, lines split by <br>); each of at least 140 characters scores
    sqrt(length - 140), unless hidden, marked as page furniture, or mostly link text.
    """
    body = root.find("body")
    if body is None:
        return 0.0, ""
    score = 0.0
    sample: list[str] = []
    sample_len = 0
    for n, el in enumerate(body.iter(*_PARAGRAPH_TAGS, *_CONTAINER_TAGS)):
        if n >= MAX_SCANNED_ELEMENTS:
            break
        if el.tag in _CONTAINER_TAGS and any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS_NO_BR for c in el):
            continue
        marks = _marks(el)
        if marks and _UNLIKELY.search(marks) and not _LIKELY.search(marks):
            continue
        style = (el.get("style") or "").replace(" ", "").lower()
        if el.get("hidden") is not None or "display:none" in style or el.get("aria-hidden") == "true":
            continue
        text = _WS.sub(" ", el.text_content()).strip()
        if len(text) < 140:
            continue
        links = sum(len(a.text_content()) for a in el.iter("a"))
        if links > 0.5 * len(text):
            continue
        score += math.sqrt(len(text) - 140)
        if sample_len < 8000:
            sample.append(text)
            sample_len += len(text)
    return score, " ".join(sample)


# ---------------------------------------------------------------- the whole


def _page_url(url: str | None, root: lxml.html.HtmlElement, metas: dict[str, list[str]]) -> str | None:
    """The page's address: the one given, else its canonical link or og:url."""
    candidates = [url, *root.xpath('//link[@rel="canonical"]/@href')[:1], *metas.get("og:url", [])[:1]]
    return next((c.strip() for c in candidates if isinstance(c, str) and "//" in c), None)


def _host(page_url: str | None) -> str | None:
    if not page_url:
        return None
    try:
        return urlsplit(page_url).hostname
    except ValueError:
        return None


def _url_date(page_url: str | None) -> dt.date | None:
    """A full date in the URL path (/2019/11/18/, /2019-11-18-slug): the day the publisher filed the story."""
    if not page_url:
        return None
    try:
        path = urlsplit(page_url).path
    except ValueError:
        return None
    m = _URL_DATE.search(path)
    return _valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def _site(structured: _Structured, metas: dict[str, list[str]]) -> str | None:
    """The publisher's name: JSON-LD publisher, og:site_name, then a short application name."""
    site = _clean(structured.site, 120) or _first_meta(metas, ("og:site_name",), 120)
    if site is None:
        app_name = _first_meta(metas, _SITE_KEYS[1:], 120)
        site = app_name if app_name and len(app_name.split()) <= 5 else None
    return site


def _title(
    root: lxml.html.HtmlElement,
    structured: _Structured,
    metas: dict[str, list[str]],
    site: str | None,
    host: str | None,
) -> tuple[str | None, str | None]:
    """The headline, and the site name when it could only be read off the <title> element's suffix."""
    title_el = root.find("head/title")
    title_el = title_el if title_el is not None else root.find(".//title")
    page_title = _clean(title_el.text_content()) if title_el is not None else None
    title = _closest(structured.titles, page_title) or _first_meta(metas, _TITLE_KEYS)
    if title is None:
        micro = root.xpath('//*[@itemprop="headline"][position() <= 3]')
        title = _clean(_itemprop_value(micro[0])) if micro else None
    if title is None and page_title:
        return strip_site_suffix(page_title, site, host)
    if title is None:
        h1 = root.find(".//h1")
        title = _clean(h1.text_content()) if h1 is not None else None
    return title, None


def _author(root: lxml.html.HtmlElement, structured: _Structured, metas: dict[str, list[str]]) -> str | None:
    author = _join_names(structured.authors)
    if author:
        return author
    for key in _AUTHOR_KEYS:
        values = metas.get(key, ())
        if key == "citation_author" and values:
            author = _join_names(list(values))
        else:
            author = next((a for a in map(clean_author, values) if a), None)
        if author:
            return author
    return _page_author(root)


def _dates(
    root: lxml.html.HtmlElement, structured: _Structured, metas: dict[str, list[str]]
) -> tuple[dt.date | None, dt.date | None]:
    """Published and updated dates the page declares: JSON-LD, meta tags, microdata, then <time> elements."""
    published = _pick_date(
        [structured.published]
        + [v for k in _PUBLISHED_KEYS for v in metas.get(k, ())]
        + [_itemprop_value(el) for el in root.xpath(_ITEMPROP_PUBLISHED)]
    )
    updated = _pick_date(
        [structured.updated]
        + [v for k in _UPDATED_KEYS for v in metas.get(k, ())]
        + [_itemprop_value(el) for el in root.xpath(_ITEMPROP_MODIFIED)]
    )
    if published is None or updated is None:
        time_published, time_updated = _time_elements(root)
        published = published or time_published
        updated = updated or time_updated
    return published, updated


def _is_article(score: float, structured: _Structured, metas: dict[str, list[str]]) -> bool:
    """Enough running prose; half as much will do where the page declares an article, twice as much where it
    declares something else (a product, a site's home page)."""
    og_type = (_first_meta(metas, ("og:type",)) or "").lower()
    if structured.is_article or og_type == "article":
        return score > PROSE_SCORE / 2
    if og_type in _NOT_ARTICLE_OG_TYPES:
        return score > PROSE_SCORE * 2
    return score > PROSE_SCORE


def _extract(root: lxml.html.HtmlElement, url: str | None) -> PageMetadata:
    metas = _metas(root)
    structured = _Structured(_jsonld(root))
    page_url = _page_url(url, root, metas)
    site = _site(structured, metas)
    title, title_site = _title(root, structured, metas, site, _host(page_url))
    author = _author(root, structured, metas)
    if site is None and title_site and len(title_site.split()) <= 4 and _fold(title_site) != _fold(author or ""):
        site = title_site

    score, sample = _prose(root)
    is_article = _is_article(score, structured, metas)
    published, updated = _dates(root, structured, metas)
    url_date = _url_date(page_url)
    if url_date is not None and (published is None or abs((published - url_date).days) <= 1):
        published = url_date  # metadata timestamps are often UTC; the URL carries the publisher's own day
    if published is None:
        published = _htmldate(root, url, extensive=is_article)
    if updated is not None and published is not None and updated < published:
        updated = None

    return PageMetadata(
        title=title,
        author=author,
        site_name=site,
        published=published,
        updated=updated,
        language=_declared_language(root, metas, structured) or detect_language(sample),
        is_article=is_article,
        description=_clean(structured.description, 2000) or _first_meta(metas, _DESCRIPTION_KEYS, 2000),
    )


def _htmldate(root: lxml.html.HtmlElement, url: str | None, extensive: bool) -> dt.date | None:
    """htmldate's search, the slow fallback when the page's own metadata names no date.

    Its markup-only pass runs first; the free-text pass (slower, and apt to read a
    copyright year as 1 January) only for article pages, and a bare year is refused.
    """
    from htmldate import find_date

    for deep in (False, True) if extensive else (False,):
        try:
            found = find_date(root, extensive_search=deep, original_date=True, url=url, min_date="1995-01-01")
        except Exception:  # htmldate walks arbitrary markup; a failure there only means no date
            return None
        if found and not (deep and found.endswith("-01-01")):
            return parse_meta_date(found)
    return None


def extract_metadata(html: str, url: str | None = None) -> PageMetadata:
    """Metadata of an HTML page; empty metadata (never an exception) when the input is not usable HTML."""
    root = _parse(html)
    if root is None:
        return PageMetadata()
    try:
        return _extract(root, url)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, RecursionError, etree.LxmlError):
        return PageMetadata()
