"""Synthesize: extractive summary and timeline, cautions, stats."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from newsdossier.clean import join_blocks
from newsdossier.model import Document, Event, ParagraphKind, content_id
from newsdossier.synthesize import make_dossier, self_checked
from newsdossier.understand.analyze import load_nlp, understand


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def make_doc(nlp: Language, site: str, blocks: list[tuple[ParagraphKind, str]],
             date: dt.date | None = dt.date(2024, 3, 8)) -> Document:
    text, paragraphs = join_blocks(blocks)
    doc = Document(id=content_id(site + text), source=f"https://{site}/a", kind="html", site=site, text=text,
                   paragraphs=paragraphs, date=date, title=blocks[0][1])
    return understand(doc, nlp)


def dossier_of(docs: list[Document]):  # type: ignore[no-untyped-def]
    event = Event(id="ev-test", title=docs[0].title or "", date=None, doc_ids=[d.id for d in docs])
    return make_dossier(event, docs)


def test_interview_with_a_speaker_no_other_outlet_names(nlp: Language) -> None:
    interview = make_doc(nlp, "a.com", [
        ("title", "Port strike enters third week"),
        ("body", "Dockworkers in Rotterdam extended their strike on Friday, the union said."),
        ("body", "Jane Roe: The strike will cost the port 40 million euros a week."),
        ("body", "Max Mustermann: Why has it lasted so long"),
        ("body", "Jane Roe: Neither side has moved on wages since the talks began."),
    ])
    other = make_doc(nlp, "b.org", [
        ("title", "Rotterdam strike goes on"),
        ("body", "The dockworkers' strike in Rotterdam continued on Friday after talks with employers failed."),
    ])
    cautions = [c for c in dossier_of([interview, other]).cautions if c.kind == "unverifiable-source"]
    assert len(cautions) == 1
    assert "Jane Roe" in cautions[0].message and "2 statement(s)" in cautions[0].message
    cit = cautions[0].citations[0]
    assert interview.text[cit.start : cit.end] == cit.quote and cit.quote.startswith("The strike will cost")

    named = make_doc(nlp, "c.net", [
        ("title", "Economist warns on strike costs"),
        ("body", "The economist Jane Roe estimated the strike's cost for the port in Rotterdam on Friday."),
    ])
    assert not [c for c in dossier_of([interview, named]).cautions if c.kind == "unverifiable-source"]


def test_summary_and_timeline_are_cited_sentences_of_the_sources(nlp: Language) -> None:
    docs = [
        make_doc(nlp, "a.com", [
            ("title", "Volcano erupts in Iceland"),
            ("body", "A volcano on the Reykjanes peninsula erupted on Friday, the Icelandic Met Office said."),
            ("body", "Lava flowed about 3 kilometres towards the town of Grindavik, which was evacuated in 2023."),
        ]),
        make_doc(nlp, "b.org", [
            ("title", "Iceland eruption forces evacuation"),
            ("body", "An eruption began on the Reykjanes peninsula on Friday, according to the Met Office."),
            ("body", "The town of Grindavik had been evacuated in November 2023."),
        ]),
    ]
    dossier = dossier_of(docs)
    texts = {d.id: d.text for d in docs}
    assert dossier.summary
    for sentence in dossier.summary:
        assert sentence.citations
        assert any(c.quote == sentence.text for c in sentence.citations)
        for c in sentence.citations:
            assert texts[c.doc_id][c.start : c.end] == c.quote
    assert dossier.timeline
    assert [t.date for t in dossier.timeline] == sorted(t.date for t in dossier.timeline)
    for entry in dossier.timeline:
        assert entry.citations[0].quote == entry.text
    assert "2024-03-08" in {t.date for t in dossier.timeline}


def test_cautions_for_undated_pages_and_single_source_figures(nlp: Language) -> None:
    dated = make_doc(nlp, "a.com", [
        ("title", "Bridge reopens"),
        ("body", "The bridge reopened to traffic on Monday after repairs costing 12 million dollars."),
    ])
    undated = make_doc(nlp, "b.org", [
        ("title", "Bridge open again"),
        ("body", "The city's main bridge reopened on Monday, officials said."),
    ], date=None)
    dossier = dossier_of([dated, undated])
    kinds = {c.kind: c for c in dossier.cautions}
    assert "undated-page" in kinds and kinds["undated-page"].doc_id == undated.id
    assert "single-source-figure" in kinds
    assert kinds["single-source-figure"].citations[0].doc_id == dated.id
    assert dossier.stats.articles == 2 and dossier.stats.independent_outlets == 2


def test_a_dossier_that_says_more_than_its_spans_is_flagged(nlp: Language) -> None:
    docs = [
        make_doc(nlp, "a.com", [("title", "Dam opens"), ("body", "The dam will supply 40 million people with water.")]),
        make_doc(nlp, "b.org", [("title", "Dam opened"), ("body", "The new dam is to supply 40 million people.")]),
    ]
    dossier = dossier_of(docs)
    assert not [c for c in dossier.cautions if c.kind == "unfaithful"]
    fact = next(f for f in dossier.facts if f.key.kind == "quantity" and f.key.value == "4e+07")
    broken_fact = fact.model_copy(update={"statement": fact.statement.replace("40", "45")})
    broken = dossier.model_copy(update={"facts": [broken_fact if f.id == fact.id else f for f in dossier.facts]})
    flagged = [c for c in self_checked(broken).cautions if c.kind == "unfaithful"]
    assert flagged and any("45" in c.message for c in flagged)


def test_a_fact_resting_only_on_unnamed_sources_is_flagged(nlp: Language) -> None:
    a = make_doc(nlp, "a.com", [
        ("title", "Merger talks advance"),
        ("body", "The two banks will cut 4,000 jobs, according to people familiar with the plan."),
        ("body", "The banks confirmed on Monday that the merger talks had advanced."),
    ])
    b = make_doc(nlp, "b.org", [
        ("title", "Banks near deal"),
        ("body", "Some 4,000 jobs will go, sources said, speaking on condition of anonymity."),
        ("body", "The banks confirmed on Monday that their merger talks had advanced."),
    ])
    dossier = dossier_of([a, b])
    flagged = [c for c in dossier.cautions if c.kind == "anonymous-source"]
    assert len(flagged) == 1 and "4,000 jobs" in flagged[0].message
    assert {c.doc_id for c in flagged[0].citations} == {a.id, b.id}


@pytest.mark.parametrize(("sentence", "anonymous"), [
    ("Three people familiar with the matter said the deal was close.", True),
    ("An official who asked not to be named said the talks failed.", True),
    ("According to diplomatic sources, the talks stalled.", True),
    ("Sources close to the Kremlin said the visit is on.", True),
    ("Iranian officials said the deal lacks a defence clause.", False),
    ("The company said its sources of revenue grew.", False),
    ("People close to the river were evacuated.", False),
])
def test_anonymous_attribution(sentence: str, anonymous: bool) -> None:
    from newsdossier.understand.claims import anonymous_attribution

    assert anonymous_attribution(sentence) is anonymous
