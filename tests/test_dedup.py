"""Dedup: paragraphs a page repeats, and pages that copy an earlier page."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdossier.clean import join_blocks
from newsdossier.dedup import drop_repeated_paragraphs, link_duplicates, same_paragraph
from newsdossier.model import Document, ParagraphKind, content_id

A = (
    "The government announced on Monday that the new bridge over the river would open in June, "
    "two years later than planned."
)
B = "Engineers blamed the delay on flooding in the spring of last year and on a shortage of steel."
C = "The opposition said the minister should explain why the cost of the project had doubled since 2021."
ARREST = "Police said two people were arrested on Monday in connection with the robbery at the jewellery shop."


def make(blocks: list[tuple[ParagraphKind, str]], **fields: object) -> Document:
    text, paragraphs = join_blocks(blocks)
    data: dict[str, object] = {"id": content_id(text), "source": "p.txt", "kind": "text"}
    data.update(fields)
    return Document(text=text, paragraphs=paragraphs, **data)


def slices(doc: Document) -> list[str]:
    return [doc.text[p.start : p.end] for p in doc.paragraphs]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def assert_offsets(doc: Document) -> None:
    """Paragraph offsets slice the text; each repeat points at the start of the copy that was kept."""
    assert doc.text == "\n\n".join(slices(doc))
    kept = {p.start: doc.text[p.start : p.end] for p in doc.paragraphs}
    for rep in doc.repeated:
        assert rep.first_start in kept
        assert same_paragraph(words(rep.text), words(kept[rep.first_start]))


# ---------------------------------------------------------------- repeated paragraphs


def test_exact_repeats_dropped_with_offsets() -> None:
    doc = make([("title", "Bridge opening delayed"), ("body", A), ("body", B), ("body", A), ("body", C), ("body", B)])
    out = drop_repeated_paragraphs(doc)
    assert slices(out) == ["Bridge opening delayed", A, B, C]
    assert [p.kind for p in out.paragraphs] == ["title", "body", "body", "body"]
    assert [(r.text, r.first_start) for r in out.repeated] == [(A, out.text.index(A)), (B, out.text.index(B))]
    assert_offsets(out)
    assert out.id == doc.id


def test_near_exact_repeat_with_a_typo_dropped() -> None:
    typo = A.replace("government", "goverment").replace("planned.", "planned")
    doc = make([("body", A), ("body", B), ("body", typo)])
    out = drop_repeated_paragraphs(doc)
    assert slices(out) == [A, B]
    assert len(out.repeated) == 1
    assert out.repeated[0].text == typo
    assert out.repeated[0].first_start == 0
    assert_offsets(out)


def test_distinct_paragraphs_kept() -> None:
    other_day = ARREST.replace("two", "three").replace("Monday", "Tuesday")
    negated = B.replace("blamed", "did not blame")
    changed_number = C.replace("2021", "2019")
    doc = make([("body", p) for p in (ARREST, other_day, B, negated, C, changed_number)])
    assert drop_repeated_paragraphs(doc) == doc


def test_short_paragraphs_titles_and_headings_not_dropped() -> None:
    doc = make([
        ("title", "Bridge opening delayed"),
        ("heading", "Background"),
        ("body", A),
        ("heading", "Background"),
        ("body", "Bridge opening delayed"),
        ("body", B),
    ])
    assert drop_repeated_paragraphs(doc) == doc


def test_same_paragraph_rules() -> None:
    words = A.lower().split()
    assert same_paragraph(words, list(words))
    assert same_paragraph(words, [w if w != "government" else "govenment" for w in words])
    assert not same_paragraph(words, [w if w != "june," else "july," for w in words])
    assert not same_paragraph(words, words[:-1])
    assert not same_paragraph(["a", "b"], ["a", "c"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([A, B, C, ARREST, "Short one."]), min_size=1, max_size=12))
def test_repeats_property(paragraphs: list[str]) -> None:
    doc = make([("body", p) for p in paragraphs])
    out = drop_repeated_paragraphs(doc)
    expected: list[str] = []
    for p in paragraphs:
        if p == "Short one." or p not in expected:
            expected.append(p)
    assert slices(out) == expected
    assert len(out.paragraphs) + len(out.repeated) == len(doc.paragraphs)
    assert_offsets(out)


# ---------------------------------------------------------------- near-duplicate pages

WIRE = [
    "Russia and Iran signed a twenty-year strategic partnership treaty in Moscow on Friday, deepening ties "
    "between two countries that face heavy Western sanctions.",
    "The agreement was signed by President Vladimir Putin and Iranian President Masoud Pezeshkian after talks "
    "in the Kremlin that lasted several hours.",
    "Officials said the treaty covers defence, energy, transport and trade, and commits both sides to joint "
    "military exercises and regular consultations on security.",
    "Unlike the pact Moscow signed with North Korea last year, the document does not contain a mutual defence "
    "clause obliging either side to come to the other's aid.",
    "Putin said the two countries would also work on a gas pipeline through Azerbaijan that could eventually "
    "carry up to 55 billion cubic metres a year.",
    "Western governments have accused Iran of supplying drones and missiles to Russia for use in Ukraine, "
    "which Tehran denies.",
]
EDITED = [*WIRE[:3], "Analysts in Tehran described the signing as a turning point for the Iranian economy.", *WIRE[4:]]
OTHER = [
    "Iran's president arrived in Moscow on Friday for a visit that both governments described as historic, "
    "amid tight security in the centre of the city.",
    "Thousands of police officers were deployed around the Kremlin, and several streets were closed to traffic "
    "for most of the day.",
    "Russian state television showed the two leaders walking through the Kremlin's halls before sitting down "
    "for talks with their delegations.",
    "Economists in Moscow said trade between the two countries remains small compared with Russia's trade "
    "with China and India.",
]


def article(title: str, paras: list[str], site: str, day: int) -> Document:
    return make(
        [("title", title), *(("body", p) for p in paras)], site=site, date=date(2025, 1, day), source=f"{site}.txt"
    )


def test_lightly_edited_copy_is_duplicate_of_the_earlier_page() -> None:
    original = article("Russia and Iran sign 20-year treaty", WIRE, "wire.example", 17)
    copy = article("Moscow and Tehran seal partnership", EDITED, "mirror.example", 18)
    different = article("Iranian president arrives in Moscow", OTHER, "daily.example", 17)
    out = link_duplicates([copy, different, original])
    by_site = {d.site: d for d in out}
    assert [d.site for d in out] == ["mirror.example", "daily.example", "wire.example"]
    assert by_site["mirror.example"].duplicate_of == original.id
    sim = by_site["mirror.example"].duplicate_similarity
    assert sim is not None and 0.8 <= sim < 1.0
    assert by_site["wire.example"].duplicate_of is None
    assert by_site["daily.example"].duplicate_of is None
    assert by_site["daily.example"].duplicate_similarity is None


def test_duplicates_found_against_known_documents() -> None:
    original = article("Russia and Iran sign 20-year treaty", WIRE, "wire.example", 17)
    copy = article("Moscow and Tehran seal partnership", EDITED, "mirror.example", 16)
    different = article("Iranian president arrives in Moscow", OTHER, "daily.example", 18)
    out = link_duplicates([copy, different], known=[original])
    assert len(out) == 2
    assert out[0].duplicate_of == original.id
    assert out[1].duplicate_of is None


def test_copy_of_a_copy_points_to_the_origin() -> None:
    original = article("Russia and Iran sign 20-year treaty", WIRE, "wire.example", 15)
    first = article("Moscow and Tehran seal partnership", EDITED, "mirror.example", 16)
    again = article("Treaty signed", [*EDITED[:-1], "The treaty still has to be ratified by both parliaments."],
                    "third.example", 17)
    out = link_duplicates([again, first], known=[original])
    assert [d.duplicate_of for d in out] == [original.id, original.id]


def test_same_page_twice_and_existing_lineage_kept() -> None:
    original = article("Russia and Iran sign 20-year treaty", WIRE, "wire.example", 17)
    marked = article("Moscow and Tehran seal partnership", EDITED, "mirror.example", 18).model_copy(
        update={"duplicate_of": "doc-elsewhere"}
    )
    out = link_duplicates([original, original, marked])
    assert [d.duplicate_of for d in out] == [None, None, "doc-elsewhere"]


def test_pages_without_dates_use_input_order() -> None:
    first = make([("body", p) for p in WIRE], site="a.example")
    second = make([("body", p) for p in EDITED], site="b.example")
    out = link_duplicates([first, second])
    assert out[0].duplicate_of is None and out[1].duplicate_of == first.id


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([WIRE, EDITED, OTHER, WIRE[:2], OTHER[1:]]), min_size=1, max_size=6))
def test_link_duplicates_property(texts: list[list[str]]) -> None:
    docs = [article(f"Title {i}", paras, f"s{i}.example", 10 + i) for i, paras in enumerate(texts)]
    out = link_duplicates(docs)
    assert [d.site for d in out] == [d.site for d in docs]
    ids = {d.id for d in docs}
    for doc in out:
        assert doc.duplicate_of != doc.id
        assert doc.duplicate_of is None or doc.duplicate_of in ids
        assert (doc.duplicate_of is None) == (doc.duplicate_similarity is None)
    assert out[0].duplicate_of is None
