"""Claims and their fact keys: quantities, absences, relations, modality and spans."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from newsdossier.model import Claim, Document, FactKey, Paragraph, ParagraphKind, content_id
from newsdossier.understand.analyze import load_nlp, understand
from newsdossier.understand.claims import normal_word


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def make_doc(*blocks: str | tuple[ParagraphKind, str]) -> Document:
    """A document of paragraphs (body unless given as (kind, text)), separated by blank lines."""
    paragraphs, parts, pos = [], [], 0
    for block in blocks:
        kind, text = block if isinstance(block, tuple) else ("body", block)
        paragraphs.append(Paragraph(start=pos, end=pos + len(text), kind=kind))
        parts.append(text)
        pos += len(text) + 2
    text = "\n\n".join(parts)
    return Document(id=content_id(text), source="t.txt", kind="text", text=text, paragraphs=paragraphs,
                    date=dt.date(2025, 1, 17))


def claims_of(nlp: Language, *blocks: str | tuple[ParagraphKind, str]) -> list[Claim]:
    return understand(make_doc(*blocks), nlp).claims


def only_claim(nlp: Language, sentence: str) -> Claim:
    claims = claims_of(nlp, sentence)
    assert len(claims) == 1, claims
    return claims[0]


def keys_of(nlp: Language, sentence: str, kind: str) -> list[FactKey]:
    return [k for k in only_claim(nlp, sentence).keys if k.kind == kind]


def ident(key: FactKey) -> tuple[str, str, str]:
    return key.kind, key.slot, key.value


@pytest.mark.parametrize(
    "sentence",
    [
        "The treaty between Russia and Iran will run for two decades.",
        "Russia and Iran signed a 20-year treaty on Friday.",
        "The agreement is valid for 20 years.",
        "The pact, which lasts twenty years, was signed in Moscow.",
    ],
)
def test_duration_paraphrases_share_a_key(nlp: Language, sentence: str) -> None:
    keys = keys_of(nlp, sentence, "quantity")
    assert [ident(k) for k in keys] == [("quantity", "duration:year", "20")]
    assert keys[0].label == "duration: 20 years"


def test_approximate_and_rate_quantities(nlp: Language) -> None:
    (about,) = keys_of(nlp, "The deal will last about 20 years.", "quantity")
    assert ident(about) == ("quantity", "duration:year", "~20")
    (gas,) = keys_of(nlp, "Russia could supply Iran with 55 billion cubic metres of gas a year.", "quantity")
    assert gas.slot == "volume:cubic metre:gas/year" and float(gas.value) == 55e9
    assert gas.label == "55 billion cubic metres of gas per year"


def test_definite_counts_are_not_claims_of_number(nlp: Language) -> None:
    assert keys_of(nlp, "Relations between the two nations have improved.", "quantity") == []
    (count,) = keys_of(nlp, "The agreement comprises 47 articles.", "quantity")
    assert ident(count) == ("quantity", "count:article", "47")


MUTUAL_DEFENCE_ABSENT = ("absence", "atop:defense", "absent")


@pytest.mark.parametrize(
    "sentence",
    [
        "The treaty will not include a mutual defence clause.",
        "However, the agreement lacks a mutual defense clause.",
        "Analysts noted the absence of a mutual defence clause in the pact.",
        "There is no mutual defence clause in the agreement.",
        "The document does not contain any mutual defence clause.",
        "The treaty fails to include a mutual defence clause.",
        "The pact was signed without a mutual defence clause.",
        "The treaty's lack of a mutual defense provision worried analysts.",
        "Despite the absence of a formal defence commitment, the partnership is expected to grow.",
        "The accord has no collective defence obligation.",
    ],
)
def test_absence_paraphrases_share_a_key(nlp: Language, sentence: str) -> None:
    assert MUTUAL_DEFENCE_ABSENT in [ident(k) for k in keys_of(nlp, sentence, "absence")]


def test_inclusion_gives_value_present_for_the_same_slot(nlp: Language) -> None:
    keys = keys_of(nlp, "The treaty includes a mutual defence clause.", "absence")
    assert [ident(k) for k in keys] == [("absence", "atop:defense", "present")]
    assert keys[0].label == "includes mutual defence"
    absent = keys_of(nlp, "The treaty lacks a mutual defence clause.", "absence")[0]
    assert absent.label == "no mutual defence"


def test_no_mention_of_is_about_the_thing_not_mentioned(nlp: Language) -> None:
    keys = only_claim(nlp, "There is no explicit mention of arms transfers.").keys
    assert [k.slot for k in keys if k.kind == "absence"] == ["atop:milaid"]
    assert [k for k in keys if k.kind == "relation"] == []


def test_spelling_variants_normalise() -> None:
    assert normal_word("defence") == normal_word("defense") == "defense"
    assert normal_word("centre") == normal_word("center")
    assert normal_word("Treaty") == normal_word("pact") == "agreement"


DRONES = ("relation", "provide:drone", "")


@pytest.mark.parametrize(
    "sentence",
    [
        "Iran supplied drones to Russia.",
        "Iran is a supplier of drones to Russia.",
        "Ukraine accused Iran of helping Russia through the provision of drones.",
        "Iran has been supplying Russia with drones.",
        "Drones were delivered to Russia by Iran.",
        "Iran sent a large batch of drones to Russia.",
        "Drone deliveries from Iran continued.",
    ],
)
def test_relation_paraphrases_share_a_key(nlp: Language, sentence: str) -> None:
    assert DRONES in [ident(k) for k in keys_of(nlp, sentence, "relation")]


def test_relation_object_of_a_measure_is_what_is_measured(nlp: Language) -> None:
    keys = keys_of(nlp, "Russia could supply Iran with 55 billion cubic metres of gas annually.", "relation")
    assert [k.slot for k in keys] == ["provide:gas"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Iran did not supply drones to Russia.",
        "Iran has never supplied drones to Russia.",
        "Iran refused to supply drones to Russia.",
        "Iran did not agree to supply drones to Russia.",
        "Iran denied supplying drones to Russia.",
    ],
)
def test_negated_actions_give_a_denied_relation_key(nlp: Language, sentence: str) -> None:
    assert [(k.slot, k.value) for k in keys_of(nlp, sentence, "relation")] == [("provide:drone", "denied")]


@pytest.mark.parametrize(
    "sentence",
    [
        "There have been no deliveries of drones.",
        "The treaty lacks any provision on drone deliveries.",
        "Kyiv noted the absence of drone shipments.",
    ],
)
def test_action_nouns_said_to_be_missing_give_no_relation_key(nlp: Language, sentence: str) -> None:
    assert keys_of(nlp, sentence, "relation") == []


def test_counted_objects_are_what_is_counted(nlp: Language) -> None:
    assert [k.slot for k in keys_of(nlp, "Iran supplied hundreds of drones to Russia.", "relation")] == [
        "provide:drone"]


def test_negated_sentence_is_denied(nlp: Language) -> None:
    assert only_claim(nlp, "Iran did not supply drones to Russia.").modality == "denied"


@pytest.mark.parametrize(
    "text",
    [
        "Did Iran supply drones to Russia?",
        "Will the treaty include a mutual defence clause?",
        "“Will Russia sign the treaty?”",
    ],
)
def test_questions_give_no_claim(nlp: Language, text: str) -> None:
    assert claims_of(nlp, text) == []


def test_question_among_statements_is_dropped(nlp: Language) -> None:
    claims = claims_of(nlp, "Iran supplied drones to Russia. Will it supply missiles too? Nobody knows.")
    assert [c.text for c in claims] == ["Iran supplied drones to Russia.", "Nobody knows."]


@pytest.mark.parametrize(
    ("sentence", "modality"),
    [
        ("Putin will sign the treaty on Friday.", "planned"),
        ("Putin is set to sign the treaty in Moscow.", "planned"),
        ("Putin and Pezeshkian are expected to sign the agreement.", "planned"),
        ("According to officials, Putin signed the treaty.", "reported"),
        ("Iran has reportedly supplied drones to Russia.", "reported"),
        ("Putin could sign the treaty next week.", "hypothetical"),
        ("The deal might cost 5 billion dollars.", "hypothetical"),
        ("Putin signed the treaty on Friday.", "done"),
    ],
)
def test_modality(nlp: Language, sentence: str, modality: str) -> None:
    assert only_claim(nlp, sentence).modality == modality


def test_a_keyless_sentence_is_not_parsed_for_its_modality_alone(nlp: Language) -> None:
    assert only_claim(nlp, "The deal might collapse.").modality is None
    assert only_claim(nlp, "The leaders did not smile for the cameras.").modality is None
    assert only_claim(nlp, "The leaders smiled for the cameras.").modality == "done"
    assert only_claim(nlp, "The leaders will smile for the cameras.").modality == "planned"


def test_claim_kinds(nlp: Language) -> None:
    claims = claims_of(
        nlp,
        "Dr. Alexander Petrov: The treaty lacks a mutual defence clause.",
        "Emily Carter: Why was it left out.",
        "Dr. alexander Petrov: Both sides wanted room to manoeuvre.",
        "“We will sign the agreement,” the minister said.",
        "I think the deal will hold.",
        "The treaty was signed in Moscow.",
        "Update: The treaty was ratified on Monday.",
    )
    assert [c.kind for c in claims] == ["quote", "statement", "quote", "quote", "opinion", "statement", "statement"]


def test_claim_spans_slice_the_text_exactly(nlp: Language) -> None:
    doc = understand(make_doc(
        ("title", "Russia and Iran sign 20-year treaty"),
        "  Russia and Iran signed a treaty on Friday.   It lacks a mutual defence clause. ",
        "Iran supplied drones to Russia, according to Western officials. The pact runs for two decades.",
        ("table", "| Aspect | Details |\n|---|---|\n| Duration | 20 years |\n| Mutual defence | Not included |"),
        "Is the deal historic? Analysts disagree.",
    ), nlp)
    assert len(doc.claims) >= 7
    for claim in doc.claims:
        assert doc.text[claim.start : claim.end] == claim.text
        assert claim.text == claim.text.strip() and claim.doc_id == doc.id
        para = next(p for p in doc.paragraphs if p.start <= claim.start < p.end)
        assert claim.end <= para.end
    texts = [c.text for c in doc.claims]
    assert "It lacks a mutual defence clause." in texts
    assert not any(t.endswith("?") for t in texts)
    assert [c.start for c in doc.claims] == sorted(c.start for c in doc.claims)


def test_table_rows_give_keys(nlp: Language) -> None:
    table = "\n".join([
        "| Aspect | Details |",
        "|---|---|",
        "| Duration | 20 years |",
        "| Mutual defence clause | Not included |",
        "| Arms transfers | Not explicitly mentioned |",
        "| Territorial use | No use of territory to threaten the other side |",
        "| Joint exercises | Yes |",
    ])
    doc = understand(make_doc(("table", table)), nlp)
    keys = {c.text: [ident(k) for k in c.keys] for c in doc.claims}
    assert keys["| Duration | 20 years |"] == [("quantity", "duration:year", "20")]
    assert keys["| Mutual defence clause | Not included |"] == [MUTUAL_DEFENCE_ABSENT]
    assert keys["| Arms transfers | Not explicitly mentioned |"] == [("absence", "atop:milaid", "absent")]
    assert keys["| Joint exercises | Yes |"] == [("absence", "joint exercise", "present")]
    # A cell that says more than a verdict is no absence of its row.
    assert "| Territorial use | No use of territory to threaten the other side |" not in keys
    for claim in doc.claims:
        assert doc.text[claim.start : claim.end] == claim.text


def test_paraphrases_across_documents_meet(nlp: Language) -> None:
    a = understand(make_doc("Iran will not include a mutual defence clause in the 20-year pact."), nlp)
    b = understand(make_doc("The two-decade treaty lacks a mutual defense clause."), nlp)
    ka = {ident(k) for c in a.claims for k in c.keys}
    kb = {ident(k) for c in b.claims for k in c.keys}
    assert {MUTUAL_DEFENCE_ABSENT, ("quantity", "duration:year", "20")} <= ka & kb


def test_every_atop_column_has_a_key_name() -> None:
    from newsdossier.understand.atop import ATOP, ATOP_NAMES, KEYED

    assert set(ATOP_NAMES) == set(ATOP) and set(KEYED) <= set(ATOP)


@pytest.mark.parametrize(("sentence", "restated"), [
    ("The pact binds Russia and Iran, two nations increasingly aligned.", True),
    ("Apple, Google and Microsoft, three companies that dominate search, objected.", True),
    ("In Kyiv and Kharkiv, two soldiers were killed.", False),
    ("Apple and Google, three companies said.", False),
    ("Russia is building two more reactors.", False),
])
def test_a_count_that_restates_the_names_listed_is_no_figure(sentence: str, restated: bool) -> None:
    from newsdossier.understand.claims import quantity_keys, restates_list
    from newsdossier.understand.quantities import find_quantities

    quantities = find_quantities(sentence)
    assert [restates_list(sentence, q) for q in quantities] == [restated]
    assert bool(quantity_keys(sentence, 0, len(sentence), quantities)) is not restated
