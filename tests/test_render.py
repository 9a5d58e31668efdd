"""Rendering a dossier as JSON (against the committed schema), Markdown and standalone HTML."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdossier.model import (
    Caution,
    Citation,
    Comment,
    DocumentView,
    Dossier,
    Entity,
    Event,
    Fact,
    FactKey,
    Paragraph,
    ParagraphKind,
    Stats,
    SummarySentence,
    TimelineEntry,
)
from newsdossier.render._refs import SourceIndex, SourceRef, safe_web_url
from newsdossier.render.html import highlight, text_blocks, to_html, write_dossier
from newsdossier.render.json import SCHEMA_PATH, dossier_schema, schema_text, to_json
from newsdossier.render.markdown import COMMENTS_HEADING, to_markdown

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
COMMENT_TEXT = f"First! {SCRIPT} readers-only remark about tolls"
COMMENT_PROBE = "readers-only remark about tolls"


def _view(
    doc_id: str,
    source: str,
    site: str,
    title: str,
    url: str | None,
    paragraphs: list[tuple[ParagraphKind, str]],
    comments: list[Comment] | None = None,
) -> DocumentView:
    text, spans = "", []
    for kind, body in paragraphs:
        if text:
            text += "\n\n"
        start = len(text)
        text += body
        spans.append(Paragraph(start=start, end=len(text), kind=kind))
    return DocumentView(
        id=doc_id,
        source=source,
        url=url,
        site=site,
        outlet=site,
        title=title,
        date=date(2025, 1, 17),
        language="en",
        text=text,
        paragraphs=spans,
        comments=comments or [],
        repeated_paragraphs=0,
        duplicate_of=None,
    )


def _cite(doc: DocumentView, phrase: str) -> Citation:
    start = doc.text.index(phrase)
    return Citation(doc_id=doc.id, start=start, end=start + len(phrase), quote=phrase, outlet=doc.outlet)


DOC_A = _view(
    "doc-aaaaaaaaaaaaaaaa",
    "pages/a.html",
    "alpha.example",
    f"Pipeline deal signed {SCRIPT}",
    "https://alpha.example/news/deal?x=1&y=2",
    [
        ("title", f"Pipeline deal signed {SCRIPT}"),
        (
            "body",
            'Officials said the pipeline deal runs for 20 years. "It is a fair deal," the minister said.',
        ),
        (
            "body",
            f"The deal covers 5 billion cubic metres of gas a year. {IMG} Tolls | fees\nstay unchanged.",
        ),
    ],
    comments=[Comment(text=COMMENT_TEXT, author=f"troll {IMG}", posted="2025-01-17 10:00")],
)
DOC_B = _view(
    "doc-bbbbbbbbbbbbbbbb",
    "pages/b.txt",
    "beta.example",
    IMG,
    JS_URL,
    [
        ("heading", "Gas transit agreement"),
        (
            "body",
            f"The agreement lasts 20 years, the ministry said. </mark>{SCRIPT} It starts in March 2025.",
        ),
        ("body", "A spokesman denied that the deal lasts 15 years."),
    ],
)

SPAN_LONG = _cite(DOC_A, "the pipeline deal runs for 20 years")
SPAN_CROSSING = _cite(DOC_A, 'runs for 20 years. "It is a fair deal,"')
SPAN_NESTED = _cite(DOC_A, "20 years")
SPAN_SAME_START = _cite(DOC_A, "the pipeline deal")
SPAN_VOLUME = _cite(DOC_A, "5 billion cubic metres of gas a year")
SPAN_B_DURATION = _cite(DOC_B, "The agreement lasts 20 years")
SPAN_B_HOSTILE = _cite(DOC_B, f"</mark>{SCRIPT} It starts in March 2025")
SPAN_B_DENIAL = _cite(DOC_B, "the deal lasts 15 years")

FACT_DURATION = Fact(
    id="fact-duration",
    key=FactKey(kind="quantity", slot="duration:year", value="20", label="duration: 20 years"),
    statement="The deal runs for 20 years",
    status="corroborated",
    citations=[SPAN_LONG, SPAN_NESTED, SPAN_B_DURATION],
    doc_ids=[DOC_A.id, DOC_B.id],
    outlets=[DOC_A.outlet, DOC_B.outlet],
    contradicted_by=["fact-15"],
)
FACT_VOLUME = Fact(
    id="fact-volume",
    key=FactKey(kind="quantity", slot="volume:cubic metre:gas", value="5e9", label="gas: 5 bcm"),
    statement="Gas volume is 5 billion cubic metres | year\nper annum",
    status="single-source",
    citations=[SPAN_VOLUME],
    doc_ids=[DOC_A.id],
    outlets=[DOC_A.outlet],
)
FACT_15 = Fact(
    id="fact-15",
    key=FactKey(kind="quantity", slot="duration:year", value="15", label="duration: 15 years"),
    statement="The deal lasts 15 years",
    status="contested",
    citations=[SPAN_B_DENIAL],
    doc_ids=[DOC_B.id],
    outlets=[DOC_B.outlet],
    contradicted_by=["fact-duration"],
    modality="denied",
)
STATEMENTS = ["The deal runs for 20 years", "The deal lasts 15 years"]


@pytest.fixture
def dossier() -> Dossier:
    return Dossier(
        event=Event(
            id="event-1", title=f"Gas transit deal {SCRIPT}", date="2025-01-17", doc_ids=[DOC_A.id, DOC_B.id]
        ),
        stats=Stats(
            articles=2,
            independent_outlets=2,
            facts=3,
            corroborated=1,
            single_source=1,
            contested=1,
            comments=1,
        ),
        summary=[
            SummarySentence(
                text="A 20-year gas transit deal was signed.", citations=[SPAN_LONG, SPAN_B_DURATION]
            ),
            SummarySentence(text=f"Officials were upbeat {IMG}", citations=[SPAN_CROSSING, SPAN_SAME_START]),
        ],
        facts=[FACT_DURATION, FACT_VOLUME, FACT_15],
        entities=[
            Entity(
                id="ent-1",
                name="Gazprom",
                label="ORG",
                variants=["Gazprom", "Газпром"],
                qid="Q102673",
                doc_ids=[DOC_A.id],
                mention_count=2,
            ),
            Entity(
                id="ent-2",
                name=IMG,
                label="ORG",
                variants=[SCRIPT],
                qid=JS_URL,
                doc_ids=[DOC_B.id],
                mention_count=1,
            ),
        ],
        timeline=[TimelineEntry(date="2025-03", text="Transit starts", citations=[SPAN_B_HOSTILE])],
        cautions=[
            Caution(
                kind="contested",
                message=f"Sources disagree on the duration {SCRIPT}",
                doc_id=DOC_B.id,
                citations=[SPAN_B_DENIAL],
            )
        ],
        documents=[DOC_A, DOC_B],
    )


class _Walker(HTMLParser):
    """Collects tags, attributes, and the text inside each cited-span mark."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.marks: list[str] = []
        self.mark_text: dict[str, str] = {}
        self.ids: list[str] = []
        self.unbalanced = 0
        self.enclosing: dict[str, list[tuple[str, ...]]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.append(attributes["id"] or "")
        if tag == "mark":
            number = attributes.get("data-src") or ""
            self.enclosing.setdefault(number, []).append(tuple(self.marks))
            self.marks.append(number)

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            if not self.marks:
                self.unbalanced += 1
            else:
                self.marks.pop()

    def handle_data(self, data: str) -> None:
        for number in set(self.marks):
            self.mark_text[number] = self.mark_text.get(number, "") + data


def _walk(page: str) -> _Walker:
    walker = _Walker()
    walker.feed(page)
    walker.close()
    return walker


class TestJson:
    def test_output_validates_against_committed_schema_and_round_trips(self, dossier: Dossier) -> None:
        text = to_json(dossier)
        assert text.endswith("}\n")
        data = json.loads(text)
        schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.Draft202012Validator(schema).validate(data)
        assert list(data) == list(Dossier.model_fields)
        assert list(data["documents"][0]) == list(DocumentView.model_fields)
        assert Dossier.model_validate_json(text) == dossier

    def test_schema_rejects_a_broken_dossier(self, dossier: Dossier) -> None:
        data = json.loads(to_json(dossier))
        data["facts"][0]["citations"][0].pop("quote")
        data["stats"]["surprise"] = 1
        errors = list(jsonschema.Draft202012Validator(dossier_schema()).iter_errors(data))
        assert len(errors) == 2

    def test_committed_schema_matches_the_model(self) -> None:
        hint = "schema/dossier.schema.json is stale: regenerate it with `python -m newsdossier.render.json`"
        assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == dossier_schema(), hint
        assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), hint

    def test_schema_header(self) -> None:
        schema = dossier_schema()
        assert list(schema)[:4] == ["$schema", "$id", "title", "description"]
        assert schema["$schema"].endswith("2020-12/schema")


class TestHtml:
    def test_no_script_and_no_live_hostile_markup(self, dossier: Dossier) -> None:
        page = to_html(dossier)
        assert "<script" not in page.lower()
        assert "<img" not in page.lower()
        assert IMG not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        walker = _walk(page)
        names = {tag for tag, _ in walker.tags}
        assert not names & {"script", "img", "iframe", "object", "embed", "form", "input", "base"}
        for tag, attributes in walker.tags:
            assert not [a for a in attributes if a.startswith("on")], (tag, attributes)
            assert "javascript" not in (attributes.get("src") or "").lower()

    def test_links_are_anchors_or_http(self, dossier: Dossier) -> None:
        walker = _walk(to_html(dossier))
        hrefs = [attrs["href"] or "" for tag, attrs in walker.tags if tag == "a" and "href" in attrs]
        assert hrefs
        for href in hrefs:
            assert href.startswith(("#", "http://", "https://")), href
            assert "javascript:" not in href.lower()
        assert "https://alpha.example/news/deal?x=1&y=2" in hrefs
        assert "https://www.wikidata.org/wiki/Q102673" in hrefs
        internal = {href[1:] for href in hrefs if href.startswith("#")}
        assert internal <= set(walker.ids), internal - set(walker.ids)

    def test_marks_are_balanced_and_enclose_exactly_each_quote(self, dossier: Dossier) -> None:
        page = to_html(dossier)
        walker = _walk(page)
        assert walker.unbalanced == 0 and walker.marks == []
        assert page.count("<mark") == page.count("</mark>")
        index = SourceIndex(dossier)
        assert len(index.refs) == 8
        for ref in index.refs:
            assert ref.verified
            assert walker.mark_text[str(ref.number)] == ref.citation.quote
            assert walker.ids.count(f"src-{ref.number}") == 1
        assert len(walker.ids) == len(set(walker.ids))

    def test_overlapping_spans_nest_or_split(self, dossier: Dossier) -> None:
        walker = _walk(to_html(dossier))
        index = SourceIndex(dossier)
        long, crossing, nested, same_start = (
            str(index.ref(c).number) for c in (SPAN_LONG, SPAN_CROSSING, SPAN_NESTED, SPAN_SAME_START)
        )
        assert walker.enclosing[long] == [()]
        assert walker.enclosing[same_start] == [(long,)]
        assert walker.enclosing[crossing] == [(long,), ()]
        assert walker.enclosing[nested] == [(long, crossing)]

    def test_paragraphs_and_comments(self, dossier: Dossier) -> None:
        page = to_html(dossier)
        article = page.split('id="doc-1"', 1)[1].split("</article>", 1)[0]
        text_part, comments_part = article.split('class="comments"', 1)
        assert text_part.count("<p class=") == len(DOC_A.paragraphs)
        assert COMMENT_PROBE in comments_part and COMMENT_PROBE not in page.replace(comments_part, "")
        assert "not counted as sources" in comments_part.lower()
        assert 'class="badge corroborated"' in page
        assert 'class="badge single-source"' in page
        assert 'class="badge contested"' in page
        assert "<details>" in page and "<summary>" in page

    def test_span_across_paragraphs_is_split_per_paragraph(self, dossier: Dossier) -> None:
        phrase = "It starts in March 2025.\n\nA spokesman"
        start = DOC_B.text.index(phrase)
        across = Citation(
            doc_id=DOC_B.id, start=start, end=start + len(phrase), quote=phrase, outlet="beta.example"
        )
        changed = dossier.model_copy(
            update={"summary": [SummarySentence(text="Across.", citations=[across])]}
        )
        walker = _walk(to_html(changed))
        assert walker.unbalanced == 0
        assert walker.mark_text["1"] == phrase.replace("\n\n", "")
        assert walker.ids.count("src-1") == 1

    def test_unverified_span_is_not_linked(self, dossier: Dossier) -> None:
        bad = SPAN_VOLUME.model_copy(update={"quote": "something else"})
        broken = dossier.model_copy(update={"summary": [SummarySentence(text="Bad cite.", citations=[bad])]})
        page = to_html(broken)
        walker = _walk(page)
        assert walker.unbalanced == 0
        assert "span not found" in page
        assert 'href="#src-1"' not in page


class TestHighlight:
    def test_crossing_spans_are_split_into_well_nested_marks(self) -> None:
        text = "abcdefghij"
        spans = [_ref(1, 1, 6), _ref(2, 3, 9), _ref(3, 4, 5)]
        tokens = highlight(text, 0, len(text), spans, set())
        html = "".join(
            f"<{t.number}>" if t.op == "open" else "</>" if t.op == "close" else t.text for t in tokens
        )
        assert html == "a<1>bc<2>d<3>e</>f</></><2>ghi</>j"
        assert [t.anchor for t in tokens if t.op == "open"] == ["src-1", "src-2", "src-3", None]

    @settings(max_examples=150, deadline=None)
    @given(
        text=st.text(alphabet="ab <>&\"'\n", min_size=1, max_size=40),
        raw=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=6),
    )
    def test_any_spans_give_balanced_exact_highlights(self, text: str, raw: list[tuple[int, int]]) -> None:
        spans = [
            _ref(n, min(a, b) % len(text), max(a, b) % (len(text) + 1)) for n, (a, b) in enumerate(raw, 1)
        ]
        spans = [s for s in spans if s.citation.start < s.citation.end]
        tokens = highlight(text, 0, len(text), spans, set())
        assert "".join(t.text for t in tokens) == text
        depth, inside, collected = 0, [], {s.number: "" for s in spans}
        for token in tokens:
            if token.op == "open":
                inside.append(token.number)
            elif token.op == "close":
                inside.pop()
            else:
                for number in inside:
                    collected[number] += token.text
            depth = len(inside)
            assert len(set(inside)) == depth
        assert depth == 0
        for span in spans:
            assert collected[span.number] == text[span.citation.start : span.citation.end]
        anchors = [t.anchor for t in tokens if t.anchor]
        assert sorted(anchors) == sorted(f"src-{s.number}" for s in spans)

    def test_text_outside_paragraphs_is_kept(self) -> None:
        doc = DOC_A.model_copy(update={"paragraphs": [DOC_A.paragraphs[1]], "text": DOC_A.text})
        blocks = text_blocks(doc)
        assert [doc.text[a:b] for a, b, _ in blocks] == [doc.text[p.start : p.end] for p in DOC_A.paragraphs]


def _ref(number: int, start: int, end: int) -> SourceRef:
    citation = Citation(doc_id="d", start=start, end=end, quote="", outlet="o")
    return SourceRef(number=number, citation=citation, doc=None, doc_index=0, verified=True)


class TestMarkdown:
    def test_sections_facts_and_statuses(self, dossier: Dossier) -> None:
        md = to_markdown(dossier)
        for heading in [
            "## Summary",
            "## Facts",
            "## Timeline",
            "## Entities",
            "## Cautions",
            "## Sources",
            "## Documents",
        ]:
            assert f"\n{heading}\n" in md
        for statement in STATEMENTS:
            assert statement in md
        for status in ["corroborated", "single-source", "contested"]:
            assert f"| {status}" in md
        assert "**2** articles from **2** independent outlets" in md
        assert "A 20-year gas transit deal was signed. [1][2]" in md
        assert "\n1. **alpha.example** — pages/a.html" in md

    def test_hostile_text_is_escaped(self, dossier: Dossier) -> None:
        md = to_markdown(dossier)
        assert not re.search(r"(?<!\\)<(?!br>|https://)", md)
        assert "\\<script\\>alert(1)\\</script\\>" in md
        assert "](javascript" not in md and "<javascript" not in md
        assert "<https://alpha.example/news/deal?x=1&y=2>" in md

    def test_table_cells_keep_the_table_shape(self, dossier: Dossier) -> None:
        md = to_markdown(dossier)
        facts = md.split("## Facts\n\n", 1)[1].split("\n\n", 1)[0]
        rows = facts.splitlines()
        assert len(rows) == 2 + len(dossier.facts)
        for row in rows:
            assert len(re.findall(r"(?<!\\)\|", row)) == 7, row
        assert "5 billion cubic metres \\| year<br>per annum" in facts

    def test_comment_only_under_reader_comments_heading(self, dossier: Dossier) -> None:
        md = to_markdown(dossier)
        assert md.count(COMMENT_PROBE) == 1
        doc_a = md.split("### 1. ", 1)[1].split("### 2. ", 1)[0]
        article, comments = doc_a.split(f"#### {COMMENTS_HEADING}", 1)
        assert COMMENT_PROBE in comments and COMMENT_PROBE not in article
        assert "Officials said the pipeline deal runs for 20 years." in article

    def test_page_text_cannot_open_markdown_blocks(self) -> None:
        doc = _view(
            "doc-c", "c.txt", "c.example", "C", None, [("body", "# not a heading\n- not a list\n1. no")]
        )
        summary = [SummarySentence(text="1. Not a list", citations=[])]
        md = to_markdown(_minimal([doc]).model_copy(update={"summary": summary}))
        assert "\n1\\. Not a list\n" in md
        assert "\\# not a heading\\\n\\- not a list\\\n1\\. no" in md


def _minimal(documents: list[DocumentView]) -> Dossier:
    return Dossier(
        event=Event(id="e", title="t", doc_ids=[d.id for d in documents]),
        stats=Stats(
            articles=len(documents),
            independent_outlets=1,
            facts=0,
            corroborated=0,
            single_source=0,
            contested=0,
            comments=0,
        ),
        summary=[],
        facts=[],
        entities=[],
        timeline=[],
        cautions=[],
        documents=documents,
    )


def test_empty_dossier_renders_everywhere() -> None:
    empty = _minimal([])
    assert "No facts." in to_html(empty)
    assert "_No facts._" in to_markdown(empty)
    assert Dossier.model_validate_json(to_json(empty)) == empty


def test_safe_web_url() -> None:
    assert safe_web_url("https://x.example/a b") is None
    assert safe_web_url(" JavaScript:alert(1)") is None
    assert safe_web_url("java\nscript:alert(1)") is None
    assert safe_web_url("data:text/html,hi") is None
    assert safe_web_url("http:///nohost") is None
    assert safe_web_url("HTTPS://x.example/") == "HTTPS://x.example/"


def test_write_dossier_writes_three_files(dossier: Dossier, tmp_path: Path) -> None:
    out = tmp_path / "nested" / "event-1"
    paths = write_dossier(dossier, out)
    assert [p.name for p in paths] == ["dossier.json", "dossier.md", "dossier.html"]
    assert all(p.parent == out and p.is_file() for p in paths)
    assert paths[0].read_text(encoding="utf-8") == to_json(dossier)
    assert paths[1].read_text(encoding="utf-8") == to_markdown(dossier)
    assert paths[2].read_text(encoding="utf-8") == to_html(dossier)
