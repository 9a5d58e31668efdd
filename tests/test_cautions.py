"""Cautions about dating and off-topic blocks, and the credit lines they rest on."""

from __future__ import annotations

import datetime as dt

from newsdossier.clean import join_blocks
from newsdossier.clean.lines import is_credit
from newsdossier.clean.textdump import extract_text_dump
from newsdossier.corroborate import outlet_map
from newsdossier.model import Document, Event, ParagraphKind, content_id
from newsdossier.synthesize import cautions, off_topic_blocks, stale_credits
from newsdossier.understand.analyze import understand
from tests.conftest import SeedBuild

STORY = [
    "The city council approved the new budget on Tuesday after a six-hour debate, officials said.",
    "The budget raises spending on schools by 4 percent and cuts the road maintenance fund.",
]
BIO = [
    "Maria Gonzalez has covered city politics for the paper for fifteen years and won two regional awards.",
    "Before joining the paper, Gonzalez worked as a reporter at a radio station in the north of the country.",
]


def doc(blocks: list[tuple[ParagraphKind, str]], site: str, day: dt.date | None = dt.date(2025, 3, 5)) -> Document:
    text, paragraphs = join_blocks(blocks)
    return understand(Document(id=content_id(site + text), source=f"{site}.txt", kind="text", site=site, date=day,
                               text=text, paragraphs=paragraphs))


def event(docs: list[Document], day: str = "2025-03-04") -> Event:
    return Event(id="ev-test", title="Budget approved", date=day, doc_ids=[d.id for d in docs])


def test_credit_lines_are_recognised_and_plain_sentences_are_not() -> None:
    for line in ("Based on a report by Reuters 2024-01-15", "With reporting by Jane Doe in Paris",
                 "Source: AFP", "This article was first published on Example News.", "Adapted from a longer essay"):
        assert is_credit(line), line
    for line in ("The report was based on interviews with officials.", "Sources said the talks would resume.",
                 "Based on a report by " + "very " * 40 + "long"):
        assert not is_credit(line), line


def test_a_credit_line_under_a_text_dump_article_is_kept_as_a_credit_paragraph() -> None:
    page = "\n\n".join(["Council approves budget", *STORY, "Based on a report by the Daily Example 2025-03-04",
                        "Share this article", "Comments", "Great news for schools!"])
    extracted = extract_text_dump(page)
    assert ("credit", "Based on a report by the Daily Example 2025-03-04") in extracted.blocks
    assert [t for k, t in extracted.blocks if k == "body"] == STORY


def test_a_credit_dated_long_before_the_event_is_a_dating_error_with_its_citation() -> None:
    stale = doc([("title", "Council approves budget"), *(("body", s) for s in STORY),
                 ("credit", "Based on a report by the Daily Example 2024-03-04")], "a.example")
    fresh = doc([("title", "Budget passes"), *(("body", s) for s in STORY[::-1]),
                 ("credit", "Based on a report by the Daily Example 2025-03-04")], "b.example")
    docs = [stale, fresh]
    outlets = outlet_map(docs)
    found = stale_credits(event(docs), docs, outlets)
    assert [c.doc_id for c in found] == [stale.id]
    assert found[0].kind == "dating-error" and "2024-03-04" in found[0].message and "1 year" in found[0].message
    [citation] = found[0].citations
    assert stale.text[citation.start : citation.end] == "Based on a report by the Daily Example 2024-03-04"
    assert stale_credits(event(docs, day="2024-03-10"), docs, outlets) == []
    assert not any(c.doc_id == stale.id and c.kind == "off-topic" for c in cautions(docs, [], outlets, event(docs)))


def test_a_credit_line_makes_no_claim() -> None:
    d = doc([("title", "Council approves budget"), *(("body", s) for s in STORY),
             ("credit", "Based on a report by the Daily Example 2024-03-04")], "a.example")
    credit = next(p for p in d.paragraphs if p.kind == "credit")
    assert d.claims and not any(credit.start <= c.start < credit.end for c in d.claims)


def test_a_block_about_a_person_no_other_outlet_names_is_off_topic() -> None:
    with_bio = doc([("title", "Council approves budget"), *(("body", s) for s in STORY), *(("body", s) for s in BIO)],
                   "a.example")
    other = doc([("title", "Budget passes"), ("body", STORY[0])], "b.example")
    docs = [with_bio, other]
    blocks = off_topic_blocks(docs, outlet_map(docs))
    [(start, end, person)] = blocks[with_bio.id]
    assert person == "gonzalez"
    assert with_bio.text[start:end].startswith(BIO[0]) and with_bio.text[start:end].endswith(BIO[1])
    found = [c for c in cautions(docs, [], outlet_map(docs), event(docs)) if c.kind == "off-topic"]
    assert len(found) == 1 and "Maria Gonzalez" in found[0].message
    assert [with_bio.text[c.start : c.end] for c in found[0].citations] == BIO


def test_a_person_other_outlets_also_name_is_on_topic() -> None:
    with_bio = doc([("title", "Council approves budget"), *(("body", s) for s in STORY), *(("body", s) for s in BIO)],
                   "a.example")
    other = doc([("title", "Budget passes"), ("body", STORY[0] + " Maria Gonzalez reported the vote first.")],
                "b.example")
    docs = [with_bio, other]
    assert off_topic_blocks(docs, outlet_map(docs)) == {}


def test_seed_dossier_flags_the_stale_credit_and_the_author_bio_and_keeps_the_bio_out_of_facts(
        seed_build: SeedBuild) -> None:
    dossier = seed_build.dossier
    dating = [c for c in dossier.cautions if c.kind == "dating-error"]
    assert len(dating) == 1 and dating[0].message.startswith("003_")
    assert "2024-01-15" in dating[0].message
    assert dating[0].citations[0].quote.startswith("Based on a report by")
    off = [c for c in dossier.cautions if c.kind == "off-topic"]
    assert len(off) == 1
    bio_spans = [(c.doc_id, c.start) for c in off[0].citations]
    for fact in dossier.facts:
        assert not any((c.doc_id, c.start) in bio_spans for c in fact.citations), fact.statement
    assert not [c for c in dossier.cautions if c.kind == "unfaithful"]


def test_a_page_announcing_as_future_a_date_before_its_own_date_is_a_dating_error() -> None:
    late = doc([("title", "Leaders to sign pact"),
                ("body", "The two presidents will sign the pact in Geneva on March 1, 2025, officials said.")],
               "a.example", day=dt.date(2025, 3, 9))
    timely = doc([("title", "Leaders to sign pact"),
                  ("body", "The two presidents will sign the pact in Geneva on March 1, 2025, officials said.")],
                 "b.example", day=dt.date(2025, 2, 27))
    relative = doc([("title", "Leaders to sign pact"),
                    ("body", "The two presidents will sign the pact in Geneva on Friday, officials said.")],
                   "c.example", day=dt.date(2025, 3, 9))
    docs = [late, timely, relative]
    found = [c for c in cautions(docs, [], outlet_map(docs)) if c.kind == "dating-error"]
    assert [c.doc_id for c in found] == [late.id]
    assert "dated 2025-03-09" in found[0].message and "2025-03-01" in found[0].message
    assert found[0].citations[0].quote.startswith("The two presidents will sign")
