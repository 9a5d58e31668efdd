"""Stories: documents grouped into events, online and with stable ids."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from newsdossier.model import DateMention, Document, Event, Paragraph, content_id
from newsdossier.stories import assign_events, event_date
from newsdossier.understand.analyze import load_nlp, understand

QUAKE = [
    ("Strong earthquake strikes central Turkey",
     "A magnitude 6.8 earthquake struck central Turkey on March 3, 2025, killing at least 40 people and collapsing "
     "buildings in Kayseri. Rescue teams searched the rubble through the night.", 3, "a.com"),
    ("Dozens dead as quake hits Turkish city of Kayseri",
     "At least 40 people died when a powerful earthquake hit Kayseri on March 3, 2025. Turkish rescuers pulled "
     "survivors from collapsed buildings, officials said.", 4, "b.com"),
]
FINAL = [
    ("Real Madrid win Champions League final",
     "Real Madrid beat Bayern Munich 2-1 in the Champions League final in London on March 3, 2025. Vinicius Junior "
     "scored the winning goal in extra time.", 4, "c.com"),
    ("Vinicius goal gives Madrid European title",
     "A late goal by Vinicius Junior gave Real Madrid a 2-1 win over Bayern Munich in the Champions League final "
     "at Wembley on March 3, 2025.", 5, "d.com"),
]
LATE_QUAKE = ("Turkey mourns Kayseri earthquake victims",
              "Turkey held funerals on Wednesday for the victims of the Kayseri earthquake, which killed 43 people on "
              "March 3, 2025. Rescue work ended as aftershocks shook the region.", 6, "e.com")
SAME_COUNTRY = [
    ("Erdogan's party loses Istanbul vote",
     "Turkey's ruling AK Party lost the Istanbul mayoral election on Sunday as opposition candidate Ekrem Imamoglu "
     "won a second term, official results showed.", 4, "x.com"),
    ("Turkish lira falls to record low",
     "The Turkish lira fell to a record low against the dollar on Tuesday as investors worried about inflation in "
     "Turkey, traders said.", 5, "y.com"),
]
ELECTION = ("Ruling party wins Portuguese election",
            "Portugal's ruling Democratic Alliance won the most seats in Sunday's parliamentary election, but fell "
            "short of a majority on Sunday, May 18, 2025.", 19, "f.com")


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def make_doc(nlp: Language, title: str, text: str, day: int, site: str, month: int = 3) -> Document:
    full = f"{title}\n\n{text}"
    doc = Document(
        id=content_id(site + full), source=f"https://{site}/story", kind="html", site=site, title=title, text=full,
        paragraphs=[Paragraph(start=0, end=len(title), kind="title"), Paragraph(start=len(title) + 2, end=len(full))],
        date=dt.date(2025, month, day),
    )
    return understand(doc, nlp)


@pytest.fixture(scope="module")
def quake(nlp: Language) -> list[Document]:
    return [make_doc(nlp, *a) for a in QUAKE]


@pytest.fixture(scope="module")
def final(nlp: Language) -> list[Document]:
    return [make_doc(nlp, *a) for a in FINAL]


def groups(events: list[Event]) -> set[frozenset[str]]:
    return {frozenset(e.doc_ids) for e in events}


def test_unrelated_stories_split_into_two_events(quake: list[Document], final: list[Document]) -> None:
    result = assign_events([quake[0], final[0], quake[1], final[1]], [])
    assert groups(result.events) == {frozenset(d.id for d in quake), frozenset(d.id for d in final)}
    assert sorted(result.new_event_ids) == sorted(e.id for e in result.events)
    by_doc = {d: e for e in result.events for d in e.doc_ids}
    assert by_doc[quake[0].id].title in (QUAKE[0][0], QUAKE[1][0])
    assert by_doc[final[0].id].title in (FINAL[0][0], FINAL[1][0])


def test_other_stories_from_the_same_country_stay_apart(nlp: Language, quake: list[Document]) -> None:
    others = [make_doc(nlp, *a) for a in SAME_COUNTRY]
    result = assign_events([*quake, *others], [])
    assert groups(result.events) == {frozenset(d.id for d in quake), *(frozenset([d.id]) for d in others)}


def test_same_story_pages_join_one_event(quake: list[Document]) -> None:
    result = assign_events(quake, [])
    assert len(result.events) == 1
    event = result.events[0]
    assert event.doc_ids == [d.id for d in quake]  # in date order
    assert event.date == "2025-03-03"
    assert event.id == "ev-" + quake[0].id.split("-", 1)[1][:12]


def test_event_ids_stable_when_rerun_in_any_order(quake: list[Document], final: list[Document]) -> None:
    docs = [*quake, *final]
    first = assign_events(docs, [])
    again = assign_events(list(reversed(docs)), [])
    shuffled = assign_events([final[1], quake[1], final[0], quake[0]], [])
    as_set = {(e.id, e.title, e.date, tuple(e.doc_ids)) for e in first.events}
    assert {(e.id, e.title, e.date, tuple(e.doc_ids)) for e in again.events} == as_set
    assert {(e.id, e.title, e.date, tuple(e.doc_ids)) for e in shuffled.events} == as_set


def test_added_page_joins_existing_event(nlp: Language, quake: list[Document], final: list[Document]) -> None:
    first = assign_events([*quake, *final], [])
    existing = [(e, [d for d in [*quake, *final] if d.id in e.doc_ids]) for e in first.events]
    late = make_doc(nlp, *LATE_QUAKE)
    update = assign_events([late], existing)
    assert update.new_event_ids == []
    assert len(update.events) == 1
    joined = update.events[0]
    quake_event = next(e for e in first.events if quake[0].id in e.doc_ids)
    assert joined.id == quake_event.id
    assert joined.doc_ids == [*quake_event.doc_ids, late.id]


def test_added_unrelated_page_founds_a_new_event(nlp: Language, quake: list[Document]) -> None:
    first = assign_events(quake, [])
    other = make_doc(nlp, *ELECTION, month=5)
    update = assign_events([other], [(first.events[0], quake)])
    assert len(update.events) == 1 and update.new_event_ids == [update.events[0].id]
    assert update.events[0].doc_ids == [other.id] and update.events[0].id != first.events[0].id
    assert update.events[0].title == ELECTION[0] and update.events[0].date == "2025-05-18"


def test_no_new_documents_touch_nothing(quake: list[Document]) -> None:
    first = assign_events(quake, [])
    assert assign_events([], [(first.events[0], quake)]).events == []


def test_documents_without_words_do_not_break_grouping() -> None:
    docs = [Document(id=content_id(t), source=t, kind="text", text=t, paragraphs=[Paragraph(start=0, end=len(t))])
            for t in ("a I", "- -")]
    result = assign_events(docs, [])
    assert sorted(d for e in result.events for d in e.doc_ids) == sorted(d.id for d in docs)


def dated(doc_id: str, values: list[str], page: dt.date | None = None) -> Document:
    mentions = [DateMention(text=v, start=0, end=1, value=v, relative=False) for v in values]
    return Document(id=doc_id, source=doc_id, kind="text", text="x", date=page, dates=mentions)


def test_event_date_is_the_day_most_pages_name() -> None:
    docs = [
        dated("d1", ["2025-01-17", "2025-01-16", "2013", "2025-01"], dt.date(2025, 1, 16)),
        dated("d2", ["2025-01-17", "2025-01-17", "2024-07-05"], dt.date(2025, 1, 17)),
        dated("d3", ["2025-01-17", "2025-01-16"], dt.date(2025, 1, 18)),
        dated("d4", ["2025-01-16"], dt.date(2025, 1, 18)),
    ]
    # 17th: three pages (d2 once however often it names it); 16th: three pages -> tie goes to the earlier day.
    assert event_date(docs) == "2025-01-16"
    assert event_date(docs[:3]) == "2025-01-17"
    assert event_date([docs[1], docs[3], docs[2]]) == "2025-01-16"  # two pages each: the earlier day
    assert event_date(docs[1:3]) == "2025-01-17"


def test_event_date_falls_back_to_earliest_page_date() -> None:
    docs = [dated("a", ["2025", "2025-02"], dt.date(2025, 2, 3)), dated("b", [], dt.date(2025, 2, 1)),
            dated("c", [])]
    assert event_date(docs) == "2025-02-01"
    assert event_date([dated("c", [])]) is None


def test_event_date_from_understood_pages(quake: list[Document], final: list[Document]) -> None:
    for event in assign_events([*quake, *final], []).events:
        assert event.date == "2025-03-03"
