"""Agreement records: name, parties, date, place, duration, articles, areas and ATOP provisions with evidence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language

from newsdossier.ingest import read_inputs
from newsdossier.model import Citation, Document, Paragraph, ParagraphKind, RawPage, content_id
from newsdossier.pipeline import process_page
from newsdossier.understand.agreements import ATOP, OBLIGATIONS, AgreementRecord, agreement_of, name_key
from newsdossier.understand.analyze import load_nlp, understand
from newsdossier.understand.entities import resolve_entities

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def make_doc(*blocks: str | tuple[ParagraphKind, str]) -> Document:
    parts, paras, pos = [], [], 0
    for block in blocks:
        kind, text = block if isinstance(block, tuple) else ("body", block)
        paras.append(Paragraph(start=pos, end=pos + len(text), kind=kind))
        parts.append(text)
        pos += len(text) + 2
    text = "\n\n".join(parts)
    return Document(id=content_id(text), source="t.txt", kind="text", text=text, paragraphs=paras,
                    date=dt.date(2025, 1, 17), site="example.org")


def records_of(nlp: Language, *blocks: str | tuple[ParagraphKind, str]) -> list[AgreementRecord]:
    docs = [understand(make_doc(*blocks), nlp)]
    entities, docs = resolve_entities(docs)
    records = agreement_of(docs, nlp, entities)
    for record in records:
        assert_cited(docs, record)
    return records


def citations(record: AgreementRecord) -> list[Citation]:
    out = [c for p in (*record.parties, *record.signatories) for c in p.citations]
    for slot in (record.name, record.signed, record.place, record.duration, record.renewal, record.articles):
        out += [c for v in slot.values for c in v.citations]
    out += [c for a in record.areas for c in a.citations]
    for p in (*record.obligations, *record.provisions):
        out += [c for e in p.evidence for c in (e.phrase, e.sentence, e.cue) if c is not None]
    return out


def assert_cited(docs: list[Document], record: AgreementRecord) -> None:
    texts = {d.id: d.text for d in docs}
    for c in citations(record):
        assert c.quote == texts[c.doc_id][c.start:c.end]
    for p in (*record.obligations, *record.provisions):
        for e in p.evidence:
            assert e.sentence.start <= e.phrase.start and e.phrase.end <= e.sentence.end


def main_of(records: list[AgreementRecord]) -> AgreementRecord:
    mains = [r for r in records if r.role == "main"]
    assert len(mains) == 1, records
    return mains[0]


def obligation(record: AgreementRecord, atop: str) -> str:
    return next(p.state for p in (*record.obligations, *record.provisions) if p.atop == atop)


def countries(record: AgreementRecord) -> set[str | None]:
    return {p.country for p in record.parties}


def test_absence_is_kept_apart_from_silence(nlp: Language) -> None:
    silent = main_of(records_of(nlp, "Chile and Peru signed a trade treaty."))
    absent = main_of(records_of(nlp, "The treaty between Chile and Peru lacks a mutual defence clause."))
    assert [p.atop for p in silent.obligations] == list(OBLIGATIONS)
    assert all(p.state == "not stated" and not p.evidence for p in silent.obligations)
    defence = absent.obligations[0]
    assert (defence.atop, defence.state) == ("defense", "absent")
    [evidence] = defence.evidence
    assert evidence.basis == "absence stated" and evidence.cue is not None and evidence.cue.quote == "lacks"
    assert evidence.phrase.quote == "mutual defence"
    assert countries(absent) == {"CL", "PE"}


@pytest.mark.parametrize(("sentence", "state", "basis"), [
    ("Their agreement will not include a mutual defence clause.", "absent", "inclusion denied"),
    ("Despite the absence of a formal defence commitment, the treaty deepens ties.", "absent", "absence stated"),
    ("The treaty includes a mutual defence clause.", "present", "included"),
    ("The treaty obliges the parties to come to each other's aid if attacked.", "present", "included"),
])
def test_defence_present_or_absent(nlp: Language, sentence: str, state: str, basis: str) -> None:
    record = main_of(records_of(nlp, "Chile and Peru signed a treaty in Lima.", sentence))
    defence = record.obligations[0]
    assert defence.state == state
    assert [e.basis for e in defence.evidence] == [basis]


def test_paraphrased_obligations_map_to_atop_columns(nlp: Language) -> None:
    record = main_of(records_of(
        nlp,
        "Armenia and France signed a defence cooperation agreement in Paris on Monday.",
        "Both countries pledged not to allow their territory to be used against the other.",
        "The two states promised not to attack each other.",
        "The parties will consult each other in the event of a threat to their security.",
    ))
    assert obligation(record, "neutral") == "present"
    assert obligation(record, "nonagg") == "present"
    assert obligation(record, "consul") == "present"
    assert obligation(record, "defense") == "not stated"
    assert obligation(record, "offense") == "not stated"
    assert obligation(record, "milcon") == "present"
    neutral = next(p for p in record.obligations if p.atop == "neutral")
    assert neutral.evidence[0].basis == "committed" and neutral.evidence[0].cue is not None
    assert neutral.evidence[0].cue.quote == "pledged"


def test_negation_inside_a_pledge_is_not_absence(nlp: Language) -> None:
    record = main_of(records_of(
        nlp, "Chile and Peru signed a treaty.", "Both sides pledged not to provide aid to aggressors."))
    assert obligation(record, "neutral") == "present"


def test_comparison_agreement_is_recorded_apart(nlp: Language) -> None:
    records = records_of(
        nlp,
        "Armenia and France signed a defence cooperation agreement in Paris on Monday.",
        "The agreement does not include a mutual defence clause, a feature present in France's treaty with Germany.",
        "Last year, Armenia signed a similar agreement with Georgia, which included a mutual defence clause.",
    )
    main = main_of(records)
    others = {frozenset(countries(r)): r for r in records if r.role == "comparison"}
    assert countries(main) == {"AM", "FR"} and obligation(main, "defense") == "absent"
    assert set(others) == {frozenset({"FR", "DE"}), frozenset({"AM", "GE"})}
    german, georgian = others[frozenset({"FR", "DE"})], others[frozenset({"AM", "GE"})]
    assert obligation(german, "defense") == "present"
    assert german.obligations[0].evidence[0].basis == "compared"
    assert obligation(georgian, "defense") == "present"
    assert georgian.obligations[0].evidence[0].cue is not None
    assert main.id in german.compared_with and german.id in main.compared_with
    assert main.signed.values[0].value == "2025-01-13" and georgian.signed.values[0].value == "2024"


def test_name_duration_articles_renewal_place_and_date(nlp: Language) -> None:
    record = main_of(records_of(
        nlp,
        "Chile and Peru signed the Treaty on Friendship and Cooperation in Lima on Monday.",
        "The treaty has 12 articles and will remain in force for ten years.",
        "It will be automatically renewed for further five-year periods unless either party gives notice.",
        "The Treaty of friendship and Cooperation covers trade, energy and cultural exchanges.",
    ))
    assert record.name.state == "stated"
    assert [v.value for v in record.name.values] == ["Treaty on Friendship and Cooperation",
                                                     "Treaty of friendship and Cooperation"]
    assert (record.duration.state, record.duration.values[0].value, record.duration_months) == (
        "stated", "10 years", 120)
    assert record.articles.values[0].value == "12"
    assert record.renewal.state == "stated" and "five-year periods" in record.renewal.values[0].value
    assert record.place.values[0].value == "Lima" and record.signed.values[0].value == "2025-01-13"
    assert record.signed.values[0].status == "done"
    assert {(a.value, a.context) for a in record.areas} == {("trade", "economic"), ("energy", "economic"),
                                                            ("culture", "culture")}


def test_table_of_terms(nlp: Language) -> None:
    record = main_of(records_of(
        nlp,
        "Chile and Peru signed a treaty in Lima.",
        ("heading", "Key terms of the treaty"),
        ("table", "| Provision | Details |\n| Mutual defence | Not included |\n| Duration | 15 years |\n"
                  "| Arms transfers | Yes |"),
    ))
    defence = record.obligations[0]
    assert defence.state == "absent" and defence.evidence[0].basis == "table row"
    assert defence.evidence[0].cue is not None and defence.evidence[0].cue.quote == "Not included"
    assert record.duration.values[0].value == "15 years"
    assert obligation(record, "milaid") == "present"


def test_sources_that_disagree_are_contested(nlp: Language) -> None:
    docs = [understand(make_doc("Chile and Peru signed a treaty.", text), nlp) for text in (
        "The treaty includes a mutual defence clause.", "The treaty lacks a mutual defence clause.")]
    entities, docs = resolve_entities(docs)
    record = main_of(agreement_of(docs, nlp, entities))
    assert record.obligations[0].state == "contested"
    assert {e.state for e in record.obligations[0].evidence} == {"present", "absent"}
    assert len(record.doc_ids) == 2


def test_atop_table_columns_exist_in_the_codebook_data() -> None:
    header = SEEDS.parents[2] / "shared" / "data" / "atop" / "atop-alliance-level-v4.01.csv"
    if not header.exists():
        pytest.skip("ATOP data not available in ../shared")
    columns = header.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert set(ATOP) <= set(columns)


@given(st.lists(st.sampled_from(["Treaty", "on", "of", "Comprehensive", "comprehensive", "Strategic", "the",
                                 "Partnership", "PARTNERSHIP", "20-year"]), max_size=8))
def test_name_key_ignores_case_and_function_words(words: list[str]) -> None:
    key = name_key(" ".join(words))
    assert key == name_key(" ".join(w.upper() for w in words))
    assert key == name_key(" ".join(w for w in words if w.lower() not in ("on", "of", "the")))
    assert not key & {"on", "of", "the", "treaty"}


@pytest.fixture(scope="module")
def seed_records(nlp: Language) -> tuple[list[Document], list[AgreementRecord]]:
    pages = [p for p in read_inputs([SEEDS]) if isinstance(p, RawPage)]
    entities, docs = resolve_entities([process_page(p, nlp) for p in pages])
    return docs, agreement_of(docs, nlp, entities)


def test_seed_treaty(seed_records: tuple[list[Document], list[AgreementRecord]]) -> None:
    docs, records = seed_records
    main = main_of(records)
    assert countries(main) == {"RU", "IR"}
    assert "Comprehensive Strategic Partnership" in main.name.values[0].value
    assert (main.duration.state, main.duration.values[0].value, main.duration_months) == ("stated", "20 years", 240)
    assert (main.articles.state, main.articles.values[0].value) == ("stated", "47")
    assert main.signed.values[0].value == "2025-01-17" and main.place.values[0].value == "Moscow"
    defence = main.obligations[0]
    assert defence.state == "absent"
    assert len(defence.evidence) >= 3 and len({e.sentence.doc_id for e in defence.evidence}) >= 2
    assert all("defen" in e.sentence.quote.lower() for e in defence.evidence)
    assert {"Vladimir Putin", "Masoud Pezeshkian"} <= {p.name for p in main.signatories}
    for record in records:
        assert_cited(docs, record)


def test_seed_comparison_with_north_korea(seed_records: tuple[list[Document], list[AgreementRecord]]) -> None:
    _, records = seed_records
    main = main_of(records)
    korean = [r for r in records if r.role == "comparison" and "KP" in countries(r)]
    assert len(korean) == 1
    assert countries(korean[0]) == {"RU", "KP"}
    assert obligation(korean[0], "defense") == "present"
    assert korean[0].id in main.compared_with and main.id in korean[0].compared_with
    assert not any("North Kor" in e.sentence.quote and e.state == "present"
                   for e in main.obligations[0].evidence)
