"""Stories: documents grouped into events, online and with stable ids."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from newsdossier import stories
from newsdossier.model import DateMention, Document, Event, Paragraph, content_id
from newsdossier.stories import (
    EVENT_FEATURES,
    MAX_SWEEPS,
    PAIR_FEATURES,
    Linear,
    StoryModel,
    _Batch,
    _cluster,
    _Views,
    assign_events,
    bcubed,
    cluster_stream,
    event_date,
    load_model,
    train_model,
)
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
QUAKE_WITH_SIDEBAR = (
    "Aftershocks rattle Kayseri after deadly earthquake",
    "Strong aftershocks shook Kayseri on March 5, 2025, two days after the magnitude 6.8 earthquake that killed "
    "43 people in central Turkey. Rescue teams in Kayseri finished searching collapsed buildings.\n\n"
    "More stories: Real Madrid beat Bayern Munich in the Champions League final; Vinicius Junior scores late.",
    5, "g.com")
NEXT_YEAR_QUAKE = ("Strong earthquake strikes central Turkey",
                   "A magnitude 6.1 earthquake struck central Turkey on March 20, 2026, killing 12 people and "
                   "collapsing buildings in Malatya. Rescue teams searched the rubble through the night.", 20, "h.com")
ELECTION = ("Ruling party wins Portuguese election",
            "Portugal's ruling Democratic Alliance won the most seats in Sunday's parliamentary election, but fell "
            "short of a majority on Sunday, May 18, 2025.", 19, "f.com")


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def make_doc(nlp: Language, title: str, text: str, day: int, site: str, month: int = 3, year: int = 2025) -> Document:
    full = f"{title}\n\n{text}"
    paragraphs = [Paragraph(start=0, end=len(title), kind="title")]
    start = len(title) + 2
    for block in text.split("\n\n"):
        paragraphs.append(Paragraph(start=start, end=start + len(block)))
        start += len(block) + 2
    doc = Document(
        id=content_id(site + full), source=f"https://{site}/story", kind="html", site=site, title=title, text=full,
        paragraphs=paragraphs, date=dt.date(year, month, day),
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


def test_page_naming_other_stories_in_passing_stays_with_its_main_story(
    nlp: Language, quake: list[Document], final: list[Document]
) -> None:
    sidebar = make_doc(nlp, *QUAKE_WITH_SIDEBAR)
    result = assign_events([*quake, *final, sidebar], [])
    by_doc = {d: frozenset(e.doc_ids) for e in result.events for d in e.doc_ids}
    assert by_doc[sidebar.id] == frozenset([*(d.id for d in quake), sidebar.id])
    assert by_doc[final[0].id] == frozenset(d.id for d in final)


def test_same_kind_of_event_a_year_later_is_a_new_event(nlp: Language, quake: list[Document]) -> None:
    later = make_doc(nlp, *NEXT_YEAR_QUAKE, year=2026)
    result = assign_events([*quake, later], [])
    assert groups(result.events) == {frozenset(d.id for d in quake), frozenset([later.id])}


def test_pages_added_in_batches_group_as_in_one_run(
    nlp: Language, quake: list[Document], final: list[Document]
) -> None:
    late = make_doc(nlp, *LATE_QUAKE)
    sidebar = make_doc(nlp, *QUAKE_WITH_SIDEBAR)
    everything = [*quake, *final, late, sidebar]
    once = assign_events(everything, [])
    stored: list[tuple[Event, list[Document]]] = []
    for batch in ([quake[0], final[0]], [quake[1], final[1]], [late, sidebar]):
        update = assign_events(batch, stored)
        changed = {e.id: e for e in update.events}
        stored = [(changed.get(ev.id, ev), docs) for ev, docs in stored]
        stored = [(ev, [d for d in everything if d.id in ev.doc_ids]) for ev, _ in stored]
        stored += [(e, [d for d in everything if d.id in e.doc_ids]) for e in update.events
                   if e.id in update.new_event_ids]
    assert {(ev.id, frozenset(ev.doc_ids)) for ev, _ in stored} == {(e.id, frozenset(e.doc_ids)) for e in once.events}


def test_shipped_model_says_how_it_was_made_and_round_trips() -> None:
    model = load_model()
    assert "ECB+" in model.about and "trained" in model.about.lower()
    assert len(model.pair.weights) == len(PAIR_FEATURES)
    assert len(model.rank.weights) == len(model.accept.weights) == len(EVENT_FEATURES)
    assert StoryModel.from_json(model.to_json()) == model


def synthetic(event: int, n: int) -> Document:
    """Pages of three made-up events: shared topic words, each event its own names and numbers."""
    place, person, count = [("Arlen", "Kovacs", 17), ("Brisa", "Okafor", 230), ("Cadmo", "Lindqvist", 4)][event]
    text = (f"Fire in {place} {n}\n\nA fire destroyed a warehouse in {place} and {count} people were hurt, "
            f"fire chief {person} said. Crews fought the fire in {place} for hours; {person} said {count} workers "
            f"were treated. Report number {n * 7 + event}.")
    title = text.split("\n", 1)[0]
    return Document(id=content_id(text), source=f"s{event}-{n}", kind="text", title=title, text=text,
                    paragraphs=[Paragraph(start=0, end=len(title), kind="title"),
                                Paragraph(start=len(title) + 2, end=len(text))])


def test_a_model_trained_on_a_labelled_stream_groups_it() -> None:
    stream = [(e, n) for n in range(5) for e in range(3)]
    docs = [synthetic(e, n) for e, n in stream]
    gold = [f"event{e}" for e, _ in stream]
    model = train_model(docs, gold, thresholds=(0.0, 0.5), merge_offsets=(0.0, 1.0))
    assert model.accept_threshold in (0.0, 0.5)
    assert model.merge_threshold in (None, model.accept_threshold, model.accept_threshold + 1.0)
    labels = cluster_stream(docs, model)
    assert bcubed(labels, gold)[2] == pytest.approx(1.0)
    assert cluster_stream([], model) == []


@given(st.lists(st.integers(0, 4), min_size=1, max_size=30), st.permutations(range(5)))
def test_bcubed_is_one_for_the_gold_clustering_and_ignores_names(labels: list[int], names: list[int]) -> None:
    assert bcubed(labels, labels) == pytest.approx((1.0, 1.0, 1.0))
    renamed = [names[x] for x in labels]
    assert bcubed(renamed, labels) == pytest.approx((1.0, 1.0, 1.0))
    p, r, f = bcubed([0] * len(labels), labels)
    assert r == pytest.approx(1.0) and 0 < p <= 1 and min(p, r) <= f <= max(p, r)


def test_bcubed_known_values() -> None:
    p, r, f = bcubed([1, 1, 1, 2], ["a", "a", "b", "b"])
    assert p == pytest.approx((2 / 3 * 2 + 1 / 3 + 1) / 4)
    assert r == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)
    assert f == pytest.approx(2 * p * r / (p + r))


# ---------------------------------------------------------------- batch refinement (hand-made model)

# Pages 0-2 are one story told three ways (0 and 2 share less than half their words; 1 bridges them),
# pages 3-4 another.  With the hand-made model a page joins when its mean body cosine with an event's
# pages reaches 0.5, so the online pass alone splits the first story when 2 comes before 1.
BRIDGED = [
    "harbour crane collapse dockers injured morning",
    "harbour crane collapse dockers injured inquiry union safety",
    "crane collapse inquiry union safety dockers",
    "orchestra premiere symphony composer applause",
    "orchestra premiere symphony composer critics",
]
BRIDGED_GOLD = {frozenset({0, 1, 2}), frozenset({3, 4})}


def plain(text: str) -> Document:
    return Document(id=content_id(text), source=text[:24], kind="text", text=text,
                    paragraphs=[Paragraph(start=0, end=len(text))])


def handmade(accept: float, merge: float | None = None) -> StoryModel:
    """Pair logit 10 x body cosine - 5; rank and decision on the mean pair logit alone."""
    pair = Linear(tuple(10.0 if f == "body" else 0.0 for f in PAIR_FEATURES), -5.0)
    mean_pair = Linear((1.0, 0.0, 0.0), 0.0)
    return StoryModel(pair, mean_pair, mean_pair, accept, merge_threshold=merge)


def partition(labels: list[int], names: list[int]) -> set[frozenset[int]]:
    return {frozenset(n for n, lab in zip(names, labels, strict=True) if lab == k) for k in set(labels)}


@pytest.fixture(scope="module")
def bridged() -> list[Document]:
    return [plain(t) for t in BRIDGED]


def test_refinement_makes_grouping_independent_of_arrival_order(bridged: list[Document]) -> None:
    model = handmade(0.0)
    late_bridge = [0, 2, 1, 3, 4]
    docs = [bridged[i] for i in late_bridge]
    assert partition(cluster_stream(docs, model, refine=False), late_bridge) == {
        frozenset({0}), frozenset({1, 2}), frozenset({3, 4})}
    for order in itertools.permutations(range(len(bridged))):
        labels = cluster_stream([bridged[i] for i in order], model)
        assert partition(labels, list(order)) == BRIDGED_GOLD, order


def test_merge_joins_new_events_best_first(bridged: list[Document]) -> None:
    never = handmade(100.0)  # the pass and the re-placement open an event per page
    assert len(set(cluster_stream(bridged, never))) == len(bridged)
    assert partition(cluster_stream(bridged, handmade(100.0, merge=0.0)), list(range(5))) == BRIDGED_GOLD
    # {1, 2} (cosine 0.85) merge first; {0} then joins them at mean cosine 0.52, not at a higher bar
    assert partition(cluster_stream(bridged, handmade(100.0, merge=1.0)), list(range(5))) == {
        frozenset({0}), frozenset({1, 2}), frozenset({3, 4})}


def test_new_pages_merge_into_a_stored_event_which_keeps_its_id(bridged: list[Document]) -> None:
    model = handmade(100.0, merge=0.0)
    stored = Event(id="ev-stored", title="crane", doc_ids=[bridged[0].id])
    result = assign_events(bridged[1:], [(stored, [bridged[0]])], model)
    assert groups(result.events) == {frozenset(d.id for d in bridged[:3]), frozenset(d.id for d in bridged[3:])}
    joined = next(e for e in result.events if bridged[0].id in e.doc_ids)
    assert joined.id == "ev-stored" and result.new_event_ids == [e.id for e in result.events if e is not joined]


def test_stored_events_are_never_merged_or_emptied(bridged: list[Document]) -> None:
    model = handmade(0.0, merge=-100.0)  # would merge anything it may
    first = Event(id="ev-first", title="a", doc_ids=[bridged[0].id])
    second = Event(id="ev-second", title="b", doc_ids=[bridged[2].id])
    result = assign_events([bridged[1]], [(first, [bridged[0]]), (second, [bridged[2]])], model)
    assert result.new_event_ids == []
    assert [(e.id, set(e.doc_ids)) for e in result.events] == [("ev-second", {bridged[2].id, bridged[1].id})]


def test_batches_keep_earlier_events_as_stored(bridged: list[Document]) -> None:
    model = handmade(0.0)
    order = [0, 2, 1, 3, 4]
    docs = [bridged[i] for i in order]
    assert partition(cluster_stream(docs, model), order) == BRIDGED_GOLD
    # 0 and 2 arrive together and part; 1 then joins 2 and cannot merge the two stored events
    assert partition(cluster_stream(docs, model, batch_size=2), order) == {
        frozenset({0}), frozenset({1, 2}), frozenset({3, 4})}
    assert cluster_stream(docs, model, batch_size=len(docs)) == cluster_stream(docs, model)


@settings(max_examples=30, deadline=None)
@given(st.permutations(range(len(BRIDGED))), st.sampled_from([None, -2.0, 0.5, 3.0]), st.sampled_from([0.0, 2.0]))
def test_refinement_keeps_its_running_sums_exact(order: list[int], merge: float | None, accept: float) -> None:
    docs = [plain(BRIDGED[i]) for i in order]
    models = [handmade(accept, merge=merge)] * len(docs)
    views = _Views(docs)
    passed = _cluster(views, docs, range(len(docs)), np.full(len(docs), -1), models)
    batch = _Batch(views, docs, passed, range(len(docs)), models, 0)
    batch.reassign(MAX_SWEEPS)
    batch.merge()
    labels = batch.result(int(passed.max()) + 1)
    fresh = _Batch(views, docs, labels, range(len(docs)), models, 0)
    names = np.concatenate([batch.touched, int(passed.max()) + 1 + np.arange(batch.used - len(batch.touched))])
    live = np.flatnonzero(batch.size[: batch.used] > 0)
    assert sorted(names[live]) == sorted(fresh.touched)
    for c in live:
        f = int(np.flatnonzero(fresh.touched == names[c])[0])
        assert batch.size[c] == fresh.size[f]
        assert batch.norm2[c] == pytest.approx(fresh.norm2[f])
        assert batch.pair_sums[:, c] == pytest.approx(fresh.pair_sums[:, f])
        assert batch.body_sums[:, c] == pytest.approx(fresh.body_sums[:, f])


def test_model_without_merge_threshold_loads_and_skips_merging() -> None:
    data = load_model().to_json()
    data.pop("merge_threshold")
    assert StoryModel.from_json(data).merge_threshold is None
    model = handmade(0.25, merge=0.75)
    assert StoryModel.from_json(model.to_json()) == model


def test_refinement_gives_the_same_events_with_or_without_the_pass_scores_kept(
    bridged: list[Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    order = [0, 2, 1, 3, 4]
    docs = [bridged[i] for i in order]
    model = handmade(0.0, merge=0.5)
    kept = cluster_stream(docs, model)
    monkeypatch.setattr(stories, "_KEPT_CELLS", 0)
    assert cluster_stream(docs, model) == kept
