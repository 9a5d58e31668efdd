# ruff: noqa: E501  (test pages hold whole HTML snippets on one line)
"""Page metadata from HTML: structured data, meta tags, bylines, titles, language, article or not, bad input.

The pages here are small hand-written HTML, each built to exercise one signal; the eval
gate at the end runs the readability metadata benchmark (../shared) against recorded floors.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from newsdossier.clean.metadata import (
    PageMetadata,
    clean_author,
    extract_metadata,
    parse_meta_date,
    strip_site_suffix,
)

ROOT = Path(__file__).resolve().parents[1]
BENCH_DATA = ROOT.parent / "shared" / "bench" / "readability-metadata"

PROSE = (
    "The council voted on Tuesday evening to approve the new budget for the coming year, after a long debate "
    "about the cost of repairing the old bridge and the schools that the town has neglected for a decade. "
)


def page(head: str = "", body: str = "", lang: str | None = None, paragraphs: int = 4) -> str:
    """A small HTML page; `paragraphs` blocks of running prose make it an article."""
    lang_attr = f' lang="{lang}"' if lang is not None else ""
    prose = "".join(f"<p>{PROSE * 2}</p>" for _ in range(paragraphs))
    return f"<!DOCTYPE html><html{lang_attr}><head>{head}</head><body>{body}<article>{prose}</article></body></html>"


def ld(obj: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


# ---------------------------------------------------------------- JSON-LD


def test_jsonld_news_article() -> None:
    head = ld(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": "Bridge repairs approved",
            "author": {"@type": "Person", "name": "Jane Doe"},
            "publisher": {"@type": "Organization", "name": "The Valley Herald"},
            "datePublished": "2024-03-05T09:30:00+01:00",
            "dateModified": "2024-03-06T10:00:00+01:00",
            "inLanguage": "en-GB",
            "description": "The council approved the budget.",
        }
    )
    m = extract_metadata(page(head))
    assert m.title == "Bridge repairs approved"
    assert m.author == "Jane Doe"
    assert m.site_name == "The Valley Herald"
    assert m.published == date(2024, 3, 5)
    assert m.updated == date(2024, 3, 6)
    assert m.language == "en"
    assert m.description == "The council approved the budget."
    assert m.is_article


def test_jsonld_graph_with_several_authors_and_url_types() -> None:
    head = ld(
        {
            "@context": {"@vocab": "http://schema.org/"},
            "@graph": [
                {"@type": "WebSite", "name": "Herald Online"},
                {
                    "@type": ["http://schema.org/BlogPosting"],
                    "headline": "Two reporters, one story",
                    "author": [{"@type": "Person", "name": "Ana Ruiz"}, "Tom Baker", {"name": "https://x.example/a"}],
                    "datePublished": "2023-11-30",
                },
            ],
        }
    )
    m = extract_metadata(page(head))
    assert m.title == "Two reporters, one story"
    assert m.author == "Ana Ruiz, Tom Baker"
    assert m.site_name == "Herald Online"
    assert m.published == date(2023, 11, 30)


def test_jsonld_top_level_list_and_headline_versus_name() -> None:
    article = {"@type": "Article", "headline": "encyclopedia article", "name": "New Zealand"}
    head = "<title>New Zealand - Wikipedia</title>" + ld([{"@type": "Organization", "name": "X"}, article])
    assert extract_metadata(page(head)).title == "New Zealand"


def test_listing_items_are_not_the_page_article() -> None:
    items = [{"@type": "ListItem", "item": {"@type": "NewsArticle", "headline": f"Story {i}"}} for i in range(5)]
    head = "<title>Latest news</title>" + ld({"@type": "ItemList", "itemListElement": items})
    m = extract_metadata(page(head, paragraphs=0))
    assert m.title == "Latest news"
    assert not m.is_article


@pytest.mark.parametrize(
    "script",
    [
        '{"@type": "NewsArticle", "headline": "Trailing comma", "author": {"name": "Jane Doe"},}',
        '<![CDATA[\n{"@type": "NewsArticle", "headline": "Trailing comma", "author": {"name": "Jane Doe"}}\n]]>',
    ],
)
def test_jsonld_light_repairs(script: str) -> None:
    m = extract_metadata(page(f'<script type="application/ld+json">{script}</script>'))
    assert (m.title, m.author) == ("Trailing comma", "Jane Doe")


def test_malformed_jsonld_falls_back_to_meta_tags() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
        '<script type="application/ld+json">[[[[</script>'
        '<script type="application/ld+json">"just a string"</script>'
        '<meta property="og:title" content="From OpenGraph">'
    )
    assert extract_metadata(page(head)).title == "From OpenGraph"


@pytest.mark.parametrize("depth", [30, 5000])
def test_deeply_nested_jsonld_is_bounded(depth: int) -> None:
    inner = '{"@type": "NewsArticle", "headline": "Deep"}'
    nested = '{"@graph": [' * depth + inner + "]}" * depth
    head = f'<script type="application/ld+json">{nested}</script><meta property="og:title" content="Shallow">'
    assert extract_metadata(page(head)).title == "Shallow"


# ---------------------------------------------------------------- meta tags


def test_opengraph_and_article_meta() -> None:
    head = (
        "<title>Flood warning issued | River Times</title>"
        '<meta property="og:title" content="Flood warning issued">'
        '<meta property="og:site_name" content="River Times">'
        '<meta property="og:type" content="article">'
        '<meta property="og:description" content="Rain is expected.">'
        '<meta property="article:published_time" content="2022-07-01T06:00:00Z">'
        '<meta property="article:modified_time" content="2022-07-02T06:00:00Z">'
        '<meta name="author" content="By Sam Lee">'
    )
    m = extract_metadata(page(head))
    assert (m.title, m.site_name, m.author) == ("Flood warning issued", "River Times", "Sam Lee")
    assert (m.published, m.updated) == (date(2022, 7, 1), date(2022, 7, 2))
    assert m.description == "Rain is expected."


def test_space_separated_properties_and_dublin_core() -> None:
    head = (
        '<meta property="x:title dc:title" content="Preferred title">'
        '<meta property="dc:creator twitter:site_name" content="Creator Name">'
        '<meta name="citation_publication_date" content="2019/04/28">'
    )
    m = extract_metadata(page(head))
    assert (m.title, m.author, m.published) == ("Preferred title", "Creator Name", date(2019, 4, 28))


def test_citation_authors_are_joined_and_parsely_read() -> None:
    head = (
        '<meta name="citation_author" content="Curie, Marie">'
        '<meta name="citation_author" content="Curie, Pierre">'
        '<meta name="parsely-title" content="Radioactivity">'
        '<meta name="parsely-pub-date" content="1998-07-18T00:00:00Z">'
    )
    m = extract_metadata(page(head))
    assert m.author == "Curie, Marie; Curie, Pierre"
    assert m.title == "Radioactivity"
    assert m.published == date(1998, 7, 18)


def test_local_date_preferred_over_the_same_moment_in_utc() -> None:
    head = ld({"@type": "NewsArticle", "headline": "Late news", "datePublished": "2017-02-24T01:18:13Z"})
    head += '<meta property="article:published_time" content="2017-02-23T17:18:13-08:00">'
    assert extract_metadata(page(head)).published == date(2017, 2, 23)


def test_microdata_and_time_elements() -> None:
    body = (
        '<div itemscope itemtype="http://schema.org/Article"><h1 itemprop="headline">Micro headline</h1>'
        '<span itemprop="author" itemscope><span itemprop="name">Lee Chang</span></span>'
        '<time datetime="2021-09-09T08:00" class="updated">9 Sept</time>'
        '<time datetime="2021-09-01" pubdate>1 Sept</time></div>'
    )
    m = extract_metadata(page(body=body))
    assert (m.title, m.author) == ("Micro headline", "Lee Chang")
    assert (m.published, m.updated) == (date(2021, 9, 1), date(2021, 9, 9))


def test_updated_before_published_is_dropped() -> None:
    head = (
        '<meta property="article:published_time" content="2020-05-05">'
        '<meta property="article:modified_time" content="2019-01-01">'
    )
    m = extract_metadata(page(head))
    assert (m.published, m.updated) == (date(2020, 5, 5), None)


def test_date_from_url_when_the_page_has_none() -> None:
    m = extract_metadata(page("<title>Plain page</title>"), url="https://news.example.com/2023/05/17/plain-page.html")
    assert m.published == date(2023, 5, 17)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2015-07-24T05:36:09+01:00", date(2015, 7, 24)),
        ("2017-11-03 03:01:00.000000", date(2017, 11, 3)),
        ("20240131", date(2024, 1, 31)),
        ("Fri, 24 Jul 2015 05:36:09 GMT", date(2015, 7, 24)),
        ("July 24, 2015", date(2015, 7, 24)),
        ("2015-13-45", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_meta_date(raw: str, expected: date | None) -> None:
    assert parse_meta_date(raw) == expected


# ---------------------------------------------------------------- bylines


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("By\n\t\tScott Cunningham\n\t\tMarch 11, 2015", "Scott Cunningham"),
        ("Written by Rob Ewaschuk", "Rob Ewaschuk"),
        ("Par Sébastien Farcis", "Sébastien Farcis"),
        ("Jane Doe | Updated March 3, 2024", "Jane Doe"),
        ("Bradley M. Kuhn (http://ebb.org/bkuhn/)", "Bradley M. Kuhn"),
        ("Martin Untersinger (avec Damien Leloup)", "Martin Untersinger (avec Damien Leloup)"),
        ("Alon Zakai.", "Alon Zakai"),
        ("https://example.com/author/jane", None),
        ("@janedoe", None),
        ("*****Notes*****", None),
        ("By", None),
        ("Last Updated: January 7, 2025", None),
    ],
)
def test_clean_author(raw: str, expected: str | None) -> None:
    assert clean_author(raw) == expected


def test_byline_element_innermost_name_not_role() -> None:
    body = (
        '<div class="author-box"><div class="author"><a class="author-link" href="/a/ben">Ben Silverman</a>'
        '<div class="author-title">Games Editor</div></div></div>'
    )
    assert extract_metadata(page(body=body)).author == "Ben Silverman"


def test_by_line_in_text() -> None:
    body = "<h1>Storm hits coast</h1><p>By <a href='/staff/mia'>Mia Wong</a></p>"
    assert extract_metadata(page(body=body)).author == "Mia Wong"


def test_bylines_of_other_stories_and_comments_are_ignored() -> None:
    body = (
        '<aside class="related"><div class="byline">By Other Writer</div></aside>'
        '<div class="comments"><div class="comment"><p>By Angry Reader</p></div></div>'
    )
    assert extract_metadata(page(body=body)).author is None


def test_byline_in_an_aside_of_the_article_counts() -> None:
    body = '<article><aside><span class="article-author">Nicolas Perriault</span></aside></article>'
    assert extract_metadata(page(body=body)).author == "Nicolas Perriault"


# ---------------------------------------------------------------- titles and site names


@pytest.mark.parametrize(
    ("title", "site", "host", "expected", "removed"),
    [
        ("Flood warning issued for the valley | River Times", "River Times", None, "Flood warning issued for the valley", "River Times"),
        ("River Times - Flood warning issued for the valley", "River Times", None, "Flood warning issued for the valley", "River Times"),
        ("Flood warning issued today – Rivertimes", None, "www.rivertimes.co.uk", "Flood warning issued today", "Rivertimes"),
        ("Flood warning issued for the valley | RT", None, None, "Flood warning issued for the valley", "RT"),
        ("Mozilla - Wikipedia", None, None, "Mozilla - Wikipedia", None),
        ("Daring Fireball: Colophon", None, None, "Daring Fireball: Colophon", None),
        ("Plain headline with no separator", "River Times", None, "Plain headline with no separator", None),
    ],
)
def test_strip_site_suffix(title: str, site: str | None, host: str | None, expected: str, removed: str | None) -> None:
    assert strip_site_suffix(title, site, host) == (expected, removed)


def test_title_element_suffix_becomes_the_site_name() -> None:
    m = extract_metadata(page("<title>Council approves the bridge budget | Valley Herald</title>"))
    assert (m.title, m.site_name) == ("Council approves the bridge budget", "Valley Herald")


def test_title_suffix_equal_to_the_author_is_not_the_site() -> None:
    head = "<title>Notes on testing code well | Nicolas Perriault</title><meta name='author' content='Nicolas Perriault'>"
    m = extract_metadata(page(head))
    assert (m.title, m.author, m.site_name) == ("Notes on testing code well", "Nicolas Perriault", None)


def test_title_from_h1_when_nothing_else() -> None:
    assert extract_metadata(page(body="<h1>Only a heading</h1>")).title == "Only a heading"


# ---------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("head", "lang", "expected"),
    [
        ("", "de-DE", "de"),
        ("", "EN_us", "en"),
        ("", "deu", "de"),
        ('<meta http-equiv="content-language" content="fr">', None, "fr"),
        ('<meta property="og:locale" content="es_ES">', None, "es"),
        ("", "zz", "en"),  # not a language code: fall back to the text, which is English
        ("", None, "en"),
    ],
)
def test_language(head: str, lang: str | None, expected: str) -> None:
    assert extract_metadata(page(head, lang=lang)).language == expected


def test_language_detected_from_german_text() -> None:
    german = "Der Stadtrat hat am Dienstag den neuen Haushalt beschlossen, nachdem lange über die Kosten der Brücke und der Schulen gestritten wurde, die seit Jahren vernachlässigt werden. "
    html = f"<html><body><p>{german * 2}</p><p>{german * 2}</p></body></html>"
    assert extract_metadata(html).language == "de"


# ---------------------------------------------------------------- article or not


def test_article_page_is_an_article() -> None:
    assert extract_metadata(page()).is_article


def test_prose_in_bare_divs_counts() -> None:
    html = f"<html><body><div>{PROSE * 2}</div><div>{PROSE * 2}<br>{PROSE}</div></body></html>"
    assert extract_metadata(html).is_article


def test_index_page_of_links_is_not_an_article() -> None:
    links = "".join(f'<li><a href="/s/{i}">Headline number {i} about the council and the bridge budget</a></li>' for i in range(60))
    html = f"<html><head><title>News</title></head><body><nav><ul>{links}</ul></nav><div>{links}</div></body></html>"
    m = extract_metadata(html)
    assert m.title == "News"
    assert not m.is_article


def test_error_page_is_not_an_article() -> None:
    html = "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The page you requested was not found.</p></body></html>"
    assert not extract_metadata(html).is_article


def test_hidden_and_furniture_prose_does_not_count() -> None:
    body = (
        f'<p style="display: none">{PROSE * 3}</p><p hidden>{PROSE * 3}</p><p aria-hidden="true">{PROSE * 3}</p>'
        f'<div class="cookie-banner">{PROSE * 3}</div><div class="sidebar"><p class="newsletter">{PROSE * 3}</p></div>'
    )
    assert not extract_metadata(f"<html><body>{body}</body></html>").is_article


def test_paywalled_teaser_is_not_an_article_but_keeps_its_metadata() -> None:
    head = ld({"@type": "NewsArticle", "headline": "Behind the wall", "datePublished": "2024-01-09"})
    body = "<p>Subscribe to read the full story.</p><p>The council met on Tuesday.</p>"
    m = extract_metadata(page(head, body=body, paragraphs=0))
    assert (m.title, m.published, m.is_article) == ("Behind the wall", date(2024, 1, 9), False)


def test_declared_website_needs_more_prose() -> None:
    head = '<meta property="og:type" content="website">'
    assert not extract_metadata(page(head, paragraphs=1)).is_article
    assert extract_metadata(page(head, paragraphs=6)).is_article


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n\t",
        "\x00\x00\x00",
        "<<<>>>",
        "<?xml version='1.0' encoding='utf-8'?>",
        "just some words, no markup at all",
        "<html><head><title></title></head><body></body></html>",
        "<meta property='og:title' content=''><meta name='author' content='   '>",
        "&#xg; 😭 😭 \ufffd \ufffd",
        '<script type="application/ld+json">' + "{" * 10000 + "</script>",
    ],
)
def test_garbage_gives_empty_metadata(html: str) -> None:
    m = extract_metadata(html)
    assert isinstance(m, PageMetadata)
    assert not m.is_article
    assert m.author is None and m.published is None


def test_xml_declaration_is_accepted() -> None:
    html = "<?xml version='1.0' encoding='utf-8'?>" + page('<meta property="og:title" content="Declared">')
    assert extract_metadata(html).title == "Declared"


def test_bytes_are_decoded() -> None:
    html = page('<meta property="og:title" content="Bytes">').encode()
    assert extract_metadata(html).title == "Bytes"  # type: ignore[arg-type]


def test_deep_nesting_and_huge_pages_are_bounded() -> None:
    deep = "<div>" * 20000 + PROSE + "</div>" * 20000
    huge = page(body=f"<p>{PROSE}</p>" * 20000)
    for html in (deep, huge):
        start = time.perf_counter()
        assert isinstance(extract_metadata(html), PageMetadata)
        assert time.perf_counter() - start < 5


def test_model_forbids_extra_fields() -> None:
    with pytest.raises(ValidationError):
        PageMetadata(headline="x")  # type: ignore[call-arg]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcdehilmnoprstyv:{}[],@#&;\n")), max_size=300))
def test_never_raises_on_markup_noise(html: str) -> None:
    assert isinstance(extract_metadata(html), PageMetadata)


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_on_any_text(text: str) -> None:
    assert isinstance(extract_metadata(text), PageMetadata)


# ---------------------------------------------------------------- eval gate

# Floors a little under the figures recorded in bench/RESULTS.md (2026-11-23: title 0.969,
# author 0.777, author names 0.854, site 0.938, date 1.000, lang 1.000, readerable 1.000).
FLOORS = {
    ("title", "exact"): 0.95,
    ("author", "exact"): 0.75,
    ("author", "names"): 0.83,
    ("site", "exact"): 0.91,
    ("date", "exact"): 0.96,
    ("lang", "exact"): 0.97,
    ("readerable", "exact"): 0.97,
}


def _bench_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_metadata", ROOT / "bench" / "metadata.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_metadata", module)
    spec.loader.exec_module(module)
    return module


def test_eval_gate_readability_metadata() -> None:
    if not (BENCH_DATA / "pages").is_dir():
        pytest.skip(f"benchmark data absent: {BENCH_DATA}")
    bench = _bench_module()
    pages = bench.load_pages(BENCH_DATA)
    system = bench.System("newsdossier", bench.newsdossier_run, bench.FIELDS)
    bench.run_system(system, pages)
    failures = []
    for (field, mode), floor in FLOORS.items():
        value, _ = bench.accuracy(system, pages, field, mode)
        if value < floor:
            failures.append(f"{field} ({mode}): {value:.3f} < floor {floor}")
    assert not failures, failures
