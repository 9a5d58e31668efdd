"""Site-level boilerplate: furniture that pages of one site repeat around their articles."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdossier.clean import join_blocks
from newsdossier.clean.site import block_key, drop_site_boilerplate, learn_site_boilerplate, remove_site_boilerplate
from newsdossier.model import Document, ParagraphKind, content_id
from newsdossier.pipeline import build
from newsdossier.store import Store

BIO = (
    "Jane Roe covers transport and infrastructure for the paper and has reported from "
    "twelve countries since joining the newsroom in 2015."
)
PITCH = "Sign up for our morning briefing and get the day's most important stories in your inbox every day."
BRIDGE = [
    "The new bridge over the river will open in June, two years later than planned, the council said on Monday.",
    "Engineers blamed the delay on flooding in the spring of last year and on a shortage of steel.",
]
STRIKE = [
    "Bus drivers in the city will strike for three days next week after pay talks with the operator failed.",
    "The union said the operator's offer of a two per cent rise did not keep pace with rents and food prices.",
]
FLOOD = [
    "Heavy rain flooded the lower town overnight and closed two schools and the main road to the coast.",
    "Residents were told to stay away from the riverbank until the water falls, which may take two days.",
]
BACKGROUND = "The council has spent more than 40 million on roads and bridges since the last election."


def page(title: str, body: list[str], site: str | None = "example.com", n: int = 0) -> Document:
    blocks: list[tuple[ParagraphKind, str]] = [("title", title), *(("body", b) for b in body)]
    text, paragraphs = join_blocks(blocks)
    return Document(
        id=content_id(f"{site}{n}{text}"), source=f"p{n}.html", kind="html", site=site, title=title,
        text=text, paragraphs=paragraphs,
    )


def bodies(doc: Document) -> list[str]:
    return [doc.text[p.start : p.end] for p in doc.paragraphs if p.kind != "title"]


def assert_offsets(doc: Document) -> None:
    assert all(0 <= p.start < p.end <= len(doc.text) for p in doc.paragraphs)
    assert "\n\n".join(doc.text[p.start : p.end] for p in doc.paragraphs) == doc.text


def test_furniture_around_two_different_articles_is_removed_and_kept_aside() -> None:
    a = page("Bridge opening delayed to June", [*BRIDGE, BIO, PITCH], n=1)
    b = page("Bus drivers to strike next week", [PITCH, *STRIKE, BIO], n=2)
    out = remove_site_boilerplate([a, b])
    assert [bodies(d) for d in out] == [BRIDGE, STRIKE]
    assert sorted(out[0].site_boilerplate) == sorted([BIO, PITCH])
    assert sorted(out[1].site_boilerplate) == sorted([BIO, PITCH])
    for doc in out:
        assert_offsets(doc)
        assert doc.title and doc.text.startswith(doc.title)


def test_a_passage_the_articles_share_inside_their_text_is_kept() -> None:
    a = page("Bridge opening delayed to June", [BRIDGE[0], BACKGROUND, BRIDGE[1], BIO], n=1)
    b = page("Roads budget questioned", [FLOOD[0], BACKGROUND, FLOOD[1], BIO], n=2)
    out = remove_site_boilerplate([a, b])
    assert [bodies(d) for d in out] == [[BRIDGE[0], BACKGROUND, BRIDGE[1]], [FLOOD[0], BACKGROUND, FLOOD[1]]]


def test_copies_of_one_article_teach_nothing() -> None:
    a = page("Bridge opening delayed to June", [*BRIDGE, BIO], n=1)
    b = page("Bridge opening delayed to June, council says", [*BRIDGE, BIO, STRIKE[0]], n=2)
    assert learn_site_boilerplate([a, b]) == {}
    assert remove_site_boilerplate([a, b]) == [a, b]


def test_pages_of_different_sites_or_without_a_site_teach_nothing() -> None:
    a = page("Bridge opening delayed to June", [*BRIDGE, BIO], site="one.example", n=1)
    b = page("Bus drivers to strike next week", [*STRIKE, BIO], site="two.example", n=2)
    c = page("Floods close schools", [*FLOOD, BIO], site=None, n=3)
    d = page("Floods close the coast road", [*FLOOD[::-1], BIO], site=None, n=4)
    assert learn_site_boilerplate([a, b, c, d]) == {}


def test_a_stored_page_is_evidence_and_is_left_unchanged() -> None:
    stored = remove_site_boilerplate([
        page("Bridge opening delayed to June", [*BRIDGE, BIO, PITCH], n=1),
        page("Bus drivers to strike next week", [*STRIKE, BIO, PITCH], n=2),
    ])
    new = page("Floods close schools", [*FLOOD, PITCH, BIO], n=3)
    [out] = remove_site_boilerplate([new], known=stored)
    assert bodies(out) == FLOOD
    assert learn_site_boilerplate([new], known=stored[:1])["example.com"] == {block_key(BIO), block_key(PITCH)}


def test_a_page_that_would_be_left_with_no_text_keeps_its_blocks() -> None:
    a = page("Bridge opening delayed to June", [*BRIDGE, BIO, PITCH], n=1)
    brief = page("About us", [BIO, PITCH], n=2)
    out = remove_site_boilerplate([a, brief])
    assert bodies(out[0]) == BRIDGE
    assert out[1] == brief


def test_drop_with_no_keys_is_identity() -> None:
    a = page("Bridge opening delayed to June", [*BRIDGE, BIO], n=1)
    assert drop_site_boilerplate(a, frozenset()) is a


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from([*BRIDGE, *STRIKE, *FLOOD, BIO, PITCH, BACKGROUND]), min_size=1, max_size=6),
                min_size=1, max_size=5))
def test_removal_only_takes_whole_blocks_and_never_empties_a_page(pages: list[list[str]]) -> None:
    docs = [page(f"Story number {i}", body, n=i) for i, body in enumerate(pages)]
    for before, after in zip(docs, remove_site_boilerplate(docs), strict=True):
        assert_offsets(after)
        assert bodies(after), "a page keeps some text"
        kept, removed = bodies(after), after.site_boilerplate
        assert sorted(kept + removed) == sorted(bodies(before))


def test_build_learns_the_site_furniture_of_jsonl_pages(tmp_path: Path) -> None:
    rows = [
        {"url": "https://news.example/bridge", "title": "Bridge opening delayed to June",
         "text": "\n\n".join(["Bridge opening delayed to June", *BRIDGE, BIO, PITCH]), "date": "2025-01-13"},
        {"url": "https://news.example/strike", "title": "Bus drivers to strike next week",
         "text": "\n\n".join(["Bus drivers to strike next week", *STRIKE, BIO, PITCH]), "date": "2025-01-14"},
    ]
    src = tmp_path / "pages.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    build([src], db=tmp_path / "nd.db", out_dir=tmp_path / "out")
    with Store(tmp_path / "nd.db") as store:
        docs = list(store.all_documents())
    assert len(docs) == 2
    for doc in docs:
        assert doc.site == "news.example"
        assert BIO not in doc.text and PITCH not in doc.text
        assert BIO in doc.site_boilerplate  # the pitch is page furniture by itself: the cleaner drops it first
