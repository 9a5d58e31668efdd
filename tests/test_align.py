"""Statement alignment: paraphrases of different outlets become one cited, faithful fact."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from spacy.language import Language

from newsdossier.align import statement_facts, statement_groups
from newsdossier.clean import join_blocks
from newsdossier.clean.site import remove_site_boilerplate
from newsdossier.corroborate import build_facts, cite, outlet_map
from newsdossier.dedup import link_duplicates
from newsdossier.faithfulness import check_dossier
from newsdossier.ingest import read_inputs
from newsdossier.model import (
    Comment,
    Document,
    Dossier,
    Entity,
    Event,
    Fact,
    ParagraphKind,
    RawPage,
    Stats,
    content_id,
)
from newsdossier.pipeline import prepare_page
from newsdossier.synthesize import off_topic_blocks, view, without_off_topic
from newsdossier.understand.analyze import load_nlp, understand, understand_many
from newsdossier.understand.entities import resolve_entities

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def page(nlp: Language, site: str, *sentences: str, title: str = "Leaders meet", path: str = "a",
         comments: tuple[str, ...] = ()) -> Document:
    blocks: list[tuple[ParagraphKind, str]] = [("title", title), ("body", " ".join(sentences))]
    text, paragraphs = join_blocks(blocks)
    doc = Document(id=content_id(site + path + text), source=f"https://{site}/{path}", kind="html", site=site,
                   text=text, paragraphs=paragraphs, date=dt.date(2025, 1, 17), title=title)
    return understand(doc.model_copy(update={"comments": [Comment(text=c) for c in comments]}), nlp)


def resolved(*docs: Document) -> tuple[list[Entity], list[Document], dict[str, str]]:
    entities, out = resolve_entities(list(docs))
    return entities, out, outlet_map(out)


def dossier_of(facts: list[Fact], docs: list[Document], entities: list[Entity], outlets: dict[str, str]) -> Dossier:
    return Dossier(
        event=Event(id="ev-1", title="t", doc_ids=[d.id for d in docs]),
        stats=Stats(articles=len(docs), independent_outlets=len(set(outlets.values())), facts=len(facts),
                    corroborated=0, single_source=0, contested=0, comments=0),
        summary=[], facts=facts, entities=entities, timeline=[], cautions=[],
        documents=[view(d, outlets[d.id]) for d in docs],
    )


def quotes(fact: Fact) -> list[str]:
    return [c.quote for c in fact.citations]


AIMS = "The pact aims to deepen economic ties between the two countries."
AIMED = "The agreement is aimed at deepening economic ties between both countries."
OTHER = "Farmers in the north expect a poor harvest after a dry summer."


def test_paraphrases_from_two_outlets_make_one_corroborated_fact(nlp: Language) -> None:
    entities, docs, outlets = resolved(page(nlp, "a.com", AIMS, OTHER),
                                       page(nlp, "b.org", "Officials met on Friday.", AIMED))
    facts = statement_facts(docs, outlets)
    assert len(facts) == 1
    fact = facts[0]
    assert fact.key.kind == "statement" and fact.key.value == "" and fact.status == "corroborated"
    assert sorted(quotes(fact)) == sorted([AIMS, AIMED])
    assert fact.statement in (AIMS, AIMED) and fact.key.label == fact.statement
    assert fact.outlets == ["a.com", "b.org"] and len(fact.doc_ids) == 2
    for cit in fact.citations:
        doc = next(d for d in docs if d.id == cit.doc_id)
        assert doc.text[cit.start : cit.end] == cit.quote and cit.outlet == outlets[doc.id]
    assert check_dossier(dossier_of(facts, docs, entities, outlets)) == []
    assert statement_facts(docs, outlets) == facts, "the same input gives the same facts (ids included)"


def test_copies_of_one_outlet_count_once(nlp: Language) -> None:
    first = page(nlp, "a.com", AIMS, path="1")
    second = page(nlp, "a.com", AIMED, path="2")
    _, docs, outlets = resolved(first, second)
    assert statement_facts(docs, outlets) == [], "two pages of one site are one outlet"
    assert any(len(g) == 2 for g in statement_groups(docs, outlets)), "they are grouped all the same"

    syndicated = page(nlp, "c.net", AIMS, path="copy").model_copy(update={"duplicate_of": first.id})
    _, docs, outlets = resolved(first, syndicated)
    assert statement_facts(docs, outlets) == [], "a syndicated copy counts as its origin's outlet"

    _, docs, outlets = resolved(first, second, syndicated, page(nlp, "b.org", AIMED, path="3"))
    (fact,) = statement_facts(docs, outlets)
    assert len(fact.citations) == 4 and fact.outlets == ["a.com", "b.org"]


def test_unrelated_sentences_naming_the_same_people_do_not_group(nlp: Language) -> None:
    _, docs, outlets = resolved(
        page(nlp, "a.com", "Vladimir Putin hosted Masoud Pezeshkian at the Kremlin for talks on trade."),
        page(nlp, "b.org", "Vladimir Putin criticised European sanctions on Russian banks in a speech."),
        page(nlp, "c.net", "Masoud Pezeshkian will visit Beijing next month, his office announced."),
    )
    assert statement_facts(docs, outlets) == []
    assert all(len(g) == 1 for g in statement_groups(docs, outlets))


GAS = "The new pipeline will carry {} billion cubic metres of gas a year from Russia to Iran."


def test_different_numbers_are_kept_apart_and_contest_each_other(nlp: Language) -> None:
    entities, docs, outlets = resolved(page(nlp, "a.com", GAS.format(55)), page(nlp, "b.org", GAS.format(50)),
                                       page(nlp, "c.net", GAS.format(55)))
    facts = statement_facts(docs, outlets)
    assert len(facts) == 2
    by_text = {f.statement: f for f in facts}
    five, fifty = by_text[GAS.format(55)], by_text[GAS.format(50)]
    assert five.outlets == ["a.com", "c.net"] and fifty.outlets == ["b.org"]
    assert five.status == fifty.status == "contested"
    assert five.contradicted_by == [fifty.id] and fifty.contradicted_by == [five.id]
    assert check_dossier(dossier_of(facts, docs, entities, outlets)) == []

    _, docs, outlets = resolved(page(nlp, "a.com", "The talks will resume on 3 March in Geneva, diplomats said."),
                                page(nlp, "b.org", "The talks will resume on 9 March in Geneva, diplomats said."))
    assert not [f for f in statement_facts(docs, outlets) if f.status == "corroborated"]


def test_a_negated_statement_never_joins_its_affirmation(nlp: Language) -> None:
    clause = "a clause on mutual military assistance."
    _, docs, outlets = resolved(page(nlp, "a.com", f"The treaty includes {clause}"),
                                page(nlp, "b.org", f"The treaty does not include {clause}"))
    facts = statement_facts(docs, outlets)
    assert len(facts) == 2 and all(len(f.outlets) == 1 and f.status == "contested" for f in facts)
    assert {f.modality for f in facts} == {"done", "denied"}


def test_quotes_opinions_and_comments_are_left_out(nlp: Language) -> None:
    quoted = f"“{AIMS}”"
    _, docs, outlets = resolved(page(nlp, "a.com", quoted, "I think the pact aims to deepen economic ties."),
                                page(nlp, "b.org", "I think the agreement is aimed at deepening economic ties."),
                                page(nlp, "c.net", OTHER, comments=(AIMED, AIMS)))
    kinds = {c.kind for d in docs for c in d.claims}
    assert {"quote", "opinion"} <= kinds
    assert statement_facts(docs, outlets) == []


def test_claims_already_taken_by_a_keyed_fact_are_skipped(nlp: Language) -> None:
    _, docs, outlets = resolved(page(nlp, "a.com", AIMS), page(nlp, "b.org", AIMED), page(nlp, "c.net", AIMED))
    assert len(statement_facts(docs, outlets)[0].outlets) == 3
    taken = {(docs[0].id, docs[0].claims[-1].start)}
    (fact,) = statement_facts(docs, outlets, taken)
    assert fact.outlets == ["b.org", "c.net"]
    everything = {(d.id, c.start) for d in docs for c in d.claims}
    assert statement_facts(docs, outlets, everything) == []


def test_the_faithfulness_check_fails_a_broken_statement_fact(nlp: Language) -> None:
    entities, docs, outlets = resolved(page(nlp, "a.com", AIMS), page(nlp, "b.org", AIMED))
    (fact,) = statement_facts(docs, outlets)
    reworded = fact.model_copy(update={"statement": fact.statement.replace("economic", "military")})
    assert {p.kind for p in check_dossier(dossier_of([reworded], docs, entities, outlets))} == {"fact-statement"}

    _, more, outlets = resolved(*docs, page(nlp, "c.net", "The pact aims to deepen economic ties with 12 countries."))
    twelve = next(c for c in more[2].claims if "12" in c.text)
    numbered = fact.model_copy(update={
        "statement": twelve.text, "doc_ids": [*fact.doc_ids, more[2].id], "outlets": [*fact.outlets, "c.net"],
        "citations": [*fact.citations, cite(more[2], twelve.start, twelve.end, "c.net")]})
    problems = check_dossier(dossier_of([numbered], more, entities, outlets))
    assert {p.kind for p in problems} == {"unsupported-number"}
    assert sorted(p.where.rpartition(" ")[2] for p in problems) == ["1", "2"], "the two spans without the 12"


@pytest.fixture(scope="module")
def seeds(nlp: Language) -> tuple[list[Entity], list[Document], dict[str, str]]:
    pages = [p for p in read_inputs([SEEDS]) if isinstance(p, RawPage)]
    docs = link_duplicates(understand_many(remove_site_boilerplate([prepare_page(p) for p in pages]), nlp))
    entities, docs = resolve_entities(docs)
    outlets = outlet_map(docs)
    return entities, without_off_topic(docs, off_topic_blocks(docs, outlets)), outlets


def test_seed_pages(seeds: tuple[list[Entity], list[Document], dict[str, str]]) -> None:
    entities, docs, outlets = seeds
    facts = statement_facts(docs, outlets)
    assert facts
    by_id = {d.id: d for d in docs}
    for fact in facts:
        assert fact.status == "corroborated" and len(fact.outlets) >= 2
        assert fact.statement in quotes(fact)
        for cit in fact.citations:
            claim = next(c for c in by_id[cit.doc_id].claims if c.start == cit.start)
            assert claim.kind == "statement", "no interview answer or quote is a source"
    assert check_dossier(dossier_of(facts, docs, entities, outlets)) == []
    # Two outlets announce the signing in other words ("is hosting ... to formalize", "are set to meet ... to sign").
    announcing = next(f for f in facts if any(q.startswith("On Friday, Russian President Vladimir Putin is hosting")
                                              for q in quotes(f)))
    assert any(q.startswith("Russian President Vladimir Putin and Iranian President Masoud Pezeshkian are set to meet")
               for q in quotes(announcing))
    assert not any("Osborn" in q for f in facts for q in quotes(f)), "the author bio was left out as off-topic"

    keyed = build_facts(docs, "2025-01-17")
    taken = {(c.doc_id, c.start) for f in keyed for c in f.citations}
    assert not {(c.doc_id, c.start) for f in statement_facts(docs, outlets, taken) for c in f.citations} & taken
