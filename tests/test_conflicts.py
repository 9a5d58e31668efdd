"""Date and place facts from coded events: agreement, contradiction, compatibility, independence, statuses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdossier.clean import join_blocks
from newsdossier.conflicts import act_noun, act_words, dates_compatible, event_facts, place_of, places_compatible
from newsdossier.corroborate import outlet_map
from newsdossier.faithfulness import check_dossier
from newsdossier.model import (
    Citation,
    CodedEvent,
    Document,
    DocumentView,
    Dossier,
    Event,
    EventActor,
    EventPlace,
    EventStatus,
    EventTime,
    Fact,
    PloverType,
    Stats,
    content_id,
)
from newsdossier.store import Store
from newsdossier.understand.analyze import load_nlp, understand
from newsdossier.understand.entities import resolve_entities
from newsdossier.understand.events import code_events
from tests.conftest import SeedBuild

RU_IR = (("Russia", "RU"), ("Iran", "IR"))


@dataclass
class Page:
    doc_id: str
    outlet: str
    text: str
    date: dt.date | None = dt.date(2025, 1, 17)


def cite(page: Page, part: str) -> Citation:
    start = page.text.index(part)
    return Citation(doc_id=page.doc_id, start=start, end=start + len(part), quote=part, outlet=page.outlet)


def coded(page: Page, trigger: str, *, lemma: str = "sign", plover: PloverType = "SUPPORT",
          status: EventStatus = "done", obj: str | None = "the treaty",
          actors: tuple[tuple[str, str], ...] = RU_IR, date: tuple[str, str] | None = None,
          place: tuple[str, str | None] | None = None, intended: PloverType | None = None,
          basis: str = "stated") -> CodedEvent:
    """A coded event of the page's one sentence: `date` is (text, ISO value), `place` (text, country)."""
    if date is None:
        when = EventTime(value="unknown", basis="unknown", relation="unknown")
    elif basis == "page-date":
        when = EventTime(value=date[1], basis="page-date", relation="on or before", citation=cite(page, trigger))
    else:
        when = EventTime(value=date[1], basis="stated", citation=cite(page, date[0]))
    return CodedEvent(
        id=f"evt-{page.doc_id}-{trigger}", doc_id=page.doc_id, sentence=cite(page, page.text),
        trigger=cite(page, trigger), lemma=lemma, plover=plover, intended=intended,
        actors=[EventActor(text=name, country=code, citation=cite(page, name)) for name, code in actors],
        targets=[], object=cite(page, obj) if obj else None, when=when,
        where=EventPlace(text=place[0], country=place[1], citation=cite(page, place[0])) if place else None,
        status=status,
    )


def facts_of(*events: CodedEvent, pages: list[Page]) -> list[Fact]:
    return event_facts(events, {p.doc_id: p.outlet for p in pages})


def by_kind(facts: list[Fact], kind: str) -> dict[str, Fact]:
    return {f.key.value: f for f in facts if f.key.kind == kind}


def dossier_of(pages: list[Page], facts: list[Fact]) -> Dossier:
    docs = [DocumentView(id=p.doc_id, source=p.doc_id, url=None, site=p.outlet, outlet=p.outlet, title=None,
                         date=p.date, language="en", text=p.text, paragraphs=[], comments=[], repeated_paragraphs=0,
                         duplicate_of=None) for p in pages]
    return Dossier(event=Event(id="ev-1", title="t", doc_ids=[p.doc_id for p in pages]),
                   stats=Stats(articles=len(pages), independent_outlets=len({p.outlet for p in pages}),
                               facts=len(facts), corroborated=0, single_source=0, contested=0, comments=0),
                   summary=[], facts=facts, entities=[], timeline=[], cautions=[], documents=docs)


A = Page("doc-a", "a.example", "Russia and Iran signed the treaty in Moscow on 17 January 2025.")
B = Page("doc-b", "b.example", "On Friday, Russia and Iran signed the pact in Moscow.")
C = Page("doc-c", "c.example", "Russia and Iran signed the treaty on 18 January 2025 in St Petersburg.")


def test_two_outlets_agree_on_the_date_and_place() -> None:
    facts = facts_of(coded(A, "signed", date=("17 January 2025", "2025-01-17"), place=("Moscow", "RU")),
                     coded(B, "signed", obj="the pact", date=("Friday", "2025-01-17"), place=("Moscow", "RU")),
                     pages=[A, B])
    date, place = by_kind(facts, "date")["2025-01-17"], by_kind(facts, "place")["moscow"]
    for fact in (date, place):
        assert fact.status == "corroborated" and not fact.contradicted_by
        assert fact.outlets == ["a.example", "b.example"] and fact.doc_ids == ["doc-a", "doc-b"]
        assert [c.quote for c in fact.citations] == [A.text, B.text]
    assert date.statement == "Signing of the agreement on 17 January 2025"
    assert place.statement == "Signing of the agreement in Moscow"
    assert check_dossier(dossier_of([A, B], facts)) == []


def test_same_act_on_different_days_is_contested_both_ways() -> None:
    facts = facts_of(coded(A, "signed", date=("17 January 2025", "2025-01-17"), place=("Moscow", "RU")),
                     coded(C, "signed", date=("18 January 2025", "2025-01-18"), place=("St Petersburg", "RU")),
                     pages=[A, C])
    dates, places = by_kind(facts, "date"), by_kind(facts, "place")
    assert {f.status for f in facts} == {"contested"}
    assert dates["2025-01-17"].contradicted_by == [dates["2025-01-18"].id]
    assert dates["2025-01-18"].contradicted_by == [dates["2025-01-17"].id]
    assert places["moscow"].contradicted_by == [places["st petersburg"].id]
    assert places["st petersburg"].contradicted_by == [places["moscow"].id]
    assert check_dossier(dossier_of([A, C], facts)) == []


def test_a_day_and_its_month_or_year_do_not_contest() -> None:
    month = Page("doc-m", "m.example", "Russia and Iran signed the treaty in January 2025.")
    year = Page("doc-y", "y.example", "Russia and Iran signed the treaty in 2025.")
    facts = facts_of(coded(A, "signed", date=("17 January 2025", "2025-01-17")),
                     coded(month, "signed", date=("January 2025", "2025-01")),
                     coded(year, "signed", date=("2025", "2025")), pages=[A, month, year])
    assert {f.key.value: f.status for f in facts} == {
        "2025-01-17": "single-source", "2025-01": "single-source", "2025": "single-source"}
    assert check_dossier(dossier_of([A, month, year], facts)) == []


def test_copies_of_one_outlet_count_once() -> None:
    copy = Page("doc-a2", "a.example", A.text)
    other_day = Page("doc-a3", "a.example", "Russia and Iran signed the treaty on 18 January 2025.")
    facts = facts_of(coded(A, "signed", date=("17 January 2025", "2025-01-17")),
                     coded(copy, "signed", date=("17 January 2025", "2025-01-17")),
                     coded(other_day, "signed", date=("18 January 2025", "2025-01-18")),
                     pages=[A, copy, other_day])
    dates = by_kind(facts, "date")
    assert dates["2025-01-17"].status == "single-source"
    assert dates["2025-01-17"].outlets == ["a.example"] and dates["2025-01-17"].doc_ids == ["doc-a", "doc-a2"]
    assert dates["2025-01-18"].status == "single-source" and not dates["2025-01-18"].contradicted_by


def test_a_city_and_its_country_do_not_contest() -> None:
    country = Page("doc-r", "r.example", "Russia and Iran signed the treaty in Russia.")
    facts = facts_of(coded(A, "signed", place=("Moscow", "RU")), coded(country, "signed", place=("Russia", "RU")),
                     pages=[A, country])
    assert {f.status for f in facts} == {"single-source"}
    assert {f.key.value for f in facts} == {"moscow", "country:RU"}
    assert check_dossier(dossier_of([A, country], facts)) == []


def test_cities_of_two_countries_contest_and_a_building_does_not() -> None:
    tehran = Page("doc-t", "t.example", "Russia and Iran signed the treaty in Tehran.")
    facts = facts_of(coded(A, "signed", place=("Moscow", "RU")), coded(tehran, "signed", place=("Tehran", "IR")),
                     pages=[A, tehran])
    assert {f.status for f in facts} == {"contested"}
    moscow, tehran_place = place_of(A_PLACE), place_of(EventPlace(text="Tehran", country="IR", citation=A_CIT))
    kremlin = place_of(EventPlace(text="Kremlin", country="RU", citation=A_CIT), label="FAC")
    assert not places_compatible(moscow, tehran_place)
    assert places_compatible(moscow, kremlin) and not places_compatible(kremlin, tehran_place)
    assert places_compatible(moscow, place_of(EventPlace(text="Moscow Oblast", citation=A_CIT)))


A_CIT = cite(A, "Moscow")
A_PLACE = EventPlace(text="Moscow", country="RU", citation=A_CIT)


def test_planned_and_done_agree_on_one_day_and_do_not_contest_on_another() -> None:
    eve = Page("doc-p", "p.example", "Russia and Iran will sign the treaty on Friday.", dt.date(2025, 1, 16))
    facts = facts_of(coded(A, "signed", date=("17 January 2025", "2025-01-17")),
                     coded(eve, "sign", status="planned", plover="AGREE", intended="SUPPORT",
                           date=("Friday", "2025-01-17")), pages=[A, eve])
    (fact,) = facts
    assert fact.status == "corroborated" and fact.modality == "done" and fact.doc_ids == ["doc-a", "doc-p"]
    assert check_dossier(dossier_of([A, eve], facts)) == []

    earlier = Page("doc-q", "q.example", "Russia and Iran will sign the treaty on 15 January 2025.",
                   dt.date(2025, 1, 10))
    planned_other = coded(earlier, "sign", status="planned", plover="AGREE", intended="SUPPORT",
                          date=("15 January 2025", "2025-01-15"))
    facts = facts_of(coded(A, "signed", date=("17 January 2025", "2025-01-17")), planned_other, pages=[A, earlier])
    assert {f.status for f in facts} == {"single-source"}
    assert by_kind(facts, "date")["2025-01-15"].modality == "planned"

    planned_same = coded(eve, "sign", status="planned", plover="AGREE", intended="SUPPORT",
                         date=("Friday", "2025-01-17"))
    facts = facts_of(planned_same, planned_other, pages=[eve, earlier])
    assert {f.status for f in facts} == {"contested"}


def test_denied_hypothetical_and_page_dated_acts_state_nothing() -> None:
    denied = Page("doc-d", "d.example", "Russia and Iran did not sign the treaty in Minsk on 18 January 2025.")
    maybe = Page("doc-h", "h.example", "Russia and Iran could sign the treaty in Baku on 19 January 2025.")
    facts = facts_of(coded(A, "signed", date=("17 January 2025", "2025-01-17"), place=("Moscow", "RU")),
                     coded(denied, "sign", status="denied", date=("18 January 2025", "2025-01-18"),
                           place=("Minsk", None)),
                     coded(maybe, "sign", status="hypothetical", date=("19 January 2025", "2025-01-19"),
                           place=("Baku", None)),
                     coded(B, "signed", obj="the pact", date=("Friday", "2025-01-16"), basis="page-date"),
                     pages=[A, denied, maybe, B])
    assert {(f.key.kind, f.key.value, f.status) for f in facts} == {
        ("date", "2025-01-17", "single-source"), ("place", "moscow", "single-source")}


def test_another_occasion_or_other_parties_are_not_a_contradiction() -> None:
    old = Page("doc-o", "o.example", "Russia and Iran signed a treaty in Tehran in 2001.")
    korea = Page("doc-k", "k.example", "Russia and North Korea signed a pact in Pyongyang on 15 January 2025.")
    facts = facts_of(coded(A, "signed", date=("17 January 2025", "2025-01-17"), place=("Moscow", "RU")),
                     coded(old, "signed", obj="a treaty", date=("2001", "2001"), place=("Tehran", "IR")),
                     coded(korea, "signed", obj="a pact", actors=(("Russia", "RU"), ("North Korea", "KP")),
                           date=("15 January 2025", "2025-01-15"), place=("Pyongyang", "KP")),
                     pages=[A, old, korea])
    assert {f.status for f in facts} == {"single-source"}
    assert len({f.key.slot for f in facts}) == 2


def test_a_statement_naming_fewer_parties_joins_the_act_it_fits() -> None:
    putin = Page("doc-v", "v.example", "Putin signed the agreement on 18 January 2025.")
    facts = facts_of(coded(A, "signed", date=("17 January 2025", "2025-01-17")),
                     coded(B, "signed", obj="the pact", date=("Friday", "2025-01-17")),
                     coded(putin, "signed", obj="the agreement", actors=(("Putin", "RU"),),
                           date=("18 January 2025", "2025-01-18")), pages=[A, B, putin])
    dates = by_kind(facts, "date")
    assert dates["2025-01-17"].status == dates["2025-01-18"].status == "contested"
    assert dates["2025-01-17"].outlets == ["a.example", "b.example"]


def test_wording_of_the_act_and_its_object_may_differ() -> None:
    formal = Page("doc-f", "f.example", "Russia and Iran formalized a partnership on 17 January 2025.")
    facts = facts_of(coded(A, "signed", date=("17 January 2025", "2025-01-17")),
                     coded(formal, "formalized", lemma="formalize", obj="a partnership",
                           date=("17 January 2025", "2025-01-17")), pages=[A, formal])
    (fact,) = facts
    assert fact.status == "corroborated" and fact.key.slot == "formalize:agreement:IR+RU"
    assert check_dossier(dossier_of([A, formal], facts)) == []


def test_recurring_acts_are_never_contested_and_one_outlets_background_is_no_fact() -> None:
    met = Page("doc-1", "a.example", "Russia and Iran met in Moscow on 17 January 2025.")
    met2 = Page("doc-2", "b.example", "Russia and Iran met in Tehran on 19 January 2025.")
    met3 = Page("doc-3", "c.example", "Russia and Iran met in Moscow on 17 January 2025.")

    def meeting(page: Page, day: str, iso: str, city: str, country: str) -> CodedEvent:
        return coded(page, "met", lemma="meet", plover="CONSULT", obj=None, date=(day, iso), place=(city, country))

    assert facts_of(meeting(met, "17 January 2025", "2025-01-17", "Moscow", "RU"),
                    meeting(met2, "19 January 2025", "2025-01-19", "Tehran", "IR"), pages=[met, met2]) == []
    facts = facts_of(meeting(met, "17 January 2025", "2025-01-17", "Moscow", "RU"),
                     meeting(met2, "19 January 2025", "2025-01-19", "Tehran", "IR"),
                     meeting(met3, "17 January 2025", "2025-01-17", "Moscow", "RU"), pages=[met, met2, met3])
    assert len(facts) == 2 and {f.status for f in facts} == {"corroborated"}
    assert facts[0].statement.startswith("Meeting ")
    assert check_dossier(dossier_of([met, met2, met3], facts)) == []


def test_act_words_and_nouns() -> None:
    assert {"sign", "ink", "formalize", "signing"} <= act_words("sign")
    assert "met" in act_words("meet")
    assert [act_noun(w) for w in ("sign", "meet", "host", "invasion", "formalize", "supply", "ban")] == [
        "signing", "meeting", "hosting", "invasion", "formalizing", "supplying", "banning"]


days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))


@given(days, days)
def test_date_compatibility(a: dt.date, b: dt.date) -> None:
    assert dates_compatible(a.isoformat(), a.isoformat()[:7]) and dates_compatible(a.isoformat()[:4], a.isoformat())
    assert dates_compatible(a.isoformat(), b.isoformat()) is (a == b)
    assert dates_compatible(a.isoformat(), b.isoformat(), relation_b="on or before") is (a <= b)
    assert dates_compatible(a.isoformat(), b.isoformat()[:7]) is (a.isoformat()[:7] == b.isoformat()[:7])


# --- a deliberately broken date or place fact fails the faithfulness check ------------------------


def test_broken_date_or_place_facts_are_caught() -> None:
    facts = facts_of(coded(A, "signed", date=("17 January 2025", "2025-01-17"), place=("Moscow", "RU")),
                     coded(B, "signed", obj="the pact", date=("Friday", "2025-01-17"), place=("Moscow", "RU")),
                     pages=[A, B])
    date, place = by_kind(facts, "date")["2025-01-17"], by_kind(facts, "place")["moscow"]
    wrong_day = date.model_copy(update={"key": date.key.model_copy(update={"value": "2025-01-18"}),
                                        "statement": "Signing of the agreement on 18 January 2025"})
    wrong_statement = date.model_copy(update={"statement": "Signing of the agreement on 18 January 2025"})
    wrong_city = place.model_copy(update={"key": place.key.model_copy(update={"value": "tehran"}),
                                          "statement": "Signing of the agreement in Tehran"})
    wrong_act = date.model_copy(update={"key": date.key.model_copy(update={"slot": "attack::IR+RU"})})
    for broken, kind in ((wrong_day, "fact-value"), (wrong_statement, "fact-statement"),
                         (wrong_city, "fact-value"), (wrong_act, "fact-action")):
        problems = check_dossier(dossier_of([A, B], [broken]))
        assert kind in {p.kind for p in problems}, (broken.statement, problems)


# --- through the understanding stage ----------------------------------------------------------------------


def test_pages_that_disagree_on_day_and_city_contest_through_the_pipeline() -> None:
    nlp = load_nlp()

    def page(site: str, body: str, date: dt.date) -> Document:
        text, paragraphs = join_blocks([("title", "Treaty signed"), ("body", body)])
        return understand(Document(id=content_id(site + text), source=f"https://{site}/a", kind="html", site=site,
                                   text=text, paragraphs=paragraphs, date=date, title="Treaty signed"), nlp)

    docs = [page("a.com", "Russian President Vladimir Putin and Iranian President Masoud Pezeshkian signed the treaty "
                          "in Moscow on 17 January 2025.", dt.date(2025, 1, 18)),
            page("b.com", "Iran and Russia signed the strategic partnership pact in Tehran on January 18, 2025, "
                          "officials said.", dt.date(2025, 1, 18)),
            page("c.com", "Putin and Pezeshkian signed the agreement on Friday.", dt.date(2025, 1, 17))]
    entities, resolved = resolve_entities(docs)
    events = [e for d in resolved for e in code_events(d, nlp, entities)]
    facts = event_facts(events, outlet_map(resolved), resolved)
    assert {(f.key.kind, f.key.value, f.status, tuple(f.outlets)) for f in facts} == {
        ("date", "2025-01-17", "contested", ("a.com", "c.com")), ("date", "2025-01-18", "contested", ("b.com",)),
        ("place", "moscow", "contested", ("a.com",)), ("place", "tehran", "contested", ("b.com",))}


# --- the seed pages, end to end ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_facts(seed_build: SeedBuild) -> tuple[Dossier, list[Fact]]:
    dossier = seed_build.dossier
    with Store(seed_build.db) as store:
        docs = store.get_documents(dossier.event.doc_ids)
    outlets = {d.id: d.outlet for d in dossier.documents}
    return dossier, event_facts(dossier.events, outlets, docs)


def test_seed_signing_date_and_place_are_corroborated(seed_facts: tuple[Dossier, list[Fact]]) -> None:
    dossier, facts = seed_facts
    signing = [f for f in facts if "sign" in act_words(f.key.slot.partition(":")[0])
               and f.key.slot.split(":")[1] == "agreement"]
    date = next(f for f in signing if f.key.kind == "date")
    assert date.key.value == "2025-01-17" and date.status == "corroborated" and len(date.outlets) >= 3
    assert len({c.doc_id for c in date.citations}) >= 3 and all("2025" in c.quote or "Friday" in c.quote
                                                                 or "today" in c.quote for c in date.citations)
    place = next(f for f in signing if f.key.kind == "place")
    assert place.statement.endswith("in Moscow") and place.status == "corroborated" and len(place.outlets) >= 3
    assert not [f for f in facts if f.status == "contested"]
    with_facts = dossier.model_copy(update={"facts": [*dossier.facts, *facts]})
    assert check_dossier(with_facts) == []


def test_seed_facts_broken_on_purpose_are_caught(seed_facts: tuple[Dossier, list[Fact]]) -> None:
    dossier, facts = seed_facts
    date = next(f for f in facts if f.key.kind == "date" and f.key.value == "2025-01-17" and len(f.outlets) >= 3)
    broken = date.model_copy(update={"key": date.key.model_copy(update={"value": "2025-01-16"}),
                                     "statement": date.statement.replace("17", "16")})
    problems = check_dossier(dossier.model_copy(update={"facts": [broken]}))
    assert {p.kind for p in problems} == {"fact-value"} and len(problems) == len(date.citations)
