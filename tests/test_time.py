"""Date finding and normalisation: a labelled table, header strings, and properties."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdossier.understand.time import find_dates, parse_date

FRI = date(2025, 1, 17)  # a Friday
WED = date(2025, 1, 15)  # a Wednesday
MON = date(2025, 1, 13)  # a Monday
JUN = date(2024, 6, 20)  # a Thursday in June

# (sentence, page date, mention text, value, relative)
CASES: list[tuple[str, date | None, str, str | None, bool]] = [
    # absolute, full dates in the formats pages use
    ("Fri 17th Jan, 2025", None, "Fri 17th Jan, 2025", "2025-01-17", False),
    ("Putin met Pezeshkian in Moscow on January 17, 2025, to sign the treaty.", FRI,
     "January 17, 2025", "2025-01-17", False),
    ("The treaty was signed on 17 January 2025.", None, "17 January 2025", "2025-01-17", False),
    ("Posted Jan. 17, 2025 by the news desk", None, "Jan. 17, 2025", "2025-01-17", False),
    ("The ceremony took place on Friday, January 17, 2025.", WED, "Friday, January 17, 2025",
     "2025-01-17", False),
    ("He arrived on the 17th of January, 2025.", None, "17th of January, 2025", "2025-01-17", False),
    ("The summit runs January 17-18, 2025 in Moscow.", None, "January 17-18, 2025", "2025-01-17", False),
    ("Updated: 17-01-2025 11:18 IST", None, "17-01-2025", "2025-01-17", False),
    ("Created: 03/02/2025 10:53", None, "03/02/2025", "2025-02-03", False),
    ("Filed 01/13/2025 by staff", None, "01/13/2025", "2025-01-13", False),
    ("Date: 17.01.2025", None, "17.01.2025", "2025-01-17", False),
    ("published 2025-01-17T10:53:00+05:30 in Delhi", None, "2025-01-17T10:53:00+05:30", "2025-01-17", False),
    ("Based on a report by Politico 2024-01-15", None, "2024-01-15", "2024-01-15", False),
    ("Archive: 2025/01/17", None, "2025/01/17", "2025-01-17", False),
    ("MOSCOW, JANUARY 17, 2025 (AP)", None, "JANUARY 17, 2025", "2025-01-17", False),
    # month and year, years in context
    ("his first visit since his election in July 2024.", FRI, "July 2024", "2024-07", False),
    ("since Russia's full-scale invasion in February 2022.", FRI, "February 2022", "2022-02", False),
    ("Figures for Sept. 2024 were revised.", None, "Sept. 2024", "2024-09", False),
    ("constructing its first nuclear plant in 2013 and building two more", FRI, "in 2013", "2013", False),
    ("Trade has doubled since 2015, officials say.", None, "since 2015", "2015", False),
    ("The country aims to be carbon neutral by 2030.", None, "by 2030", "2030", False),
    ("Prices rose sharply in early 2022 after the invasion.", None, "in early 2022", "2022", False),
    ("The plant was built in mid-1990 with foreign help.", None, "in mid-1990", "1990", False),
    # day and month without a year: the occurrence nearest the page date
    ('"On 17 January, Vladimir Putin will hold talks," the Kremlin said.', MON, "17 January",
     "2025-01-17", True),
    ("The ceasefire began on December 30 after weeks of talks.", WED, "December 30", "2024-12-30", True),
    ("Elections are due on 5 March.", WED, "5 March", "2025-03-05", True),
    ("Results are expected on Friday 17 January.", WED, "Friday 17 January", "2025-01-17", True),
    ("The talks opened on 17 January.", None, "17 January", None, True),
    # today and its neighbours
    ("Russia and Iran are set to formalize a partnership in Moscow today.", FRI, "today", "2025-01-17", True),
    ("The leaders will dine together tonight.", FRI, "tonight", "2025-01-17", True),
    ("The minister said this morning that talks went well.", FRI, "this morning", "2025-01-17", True),
    ("Officials met again this afternoon.", FRI, "this afternoon", "2025-01-17", True),
    ("Protesters gathered this evening outside.", FRI, "this evening", "2025-01-17", True),
    ("The agreement was initialled yesterday.", FRI, "yesterday", "2025-01-16", True),
    ("The text will be published tomorrow.", FRI, "tomorrow", "2025-01-18", True),
    ("Explosions were heard last night.", FRI, "last night", "2025-01-16", True),
    ("The deal was signed yesterday.", None, "yesterday", None, True),
    # weekdays: same day, past, future cues, modifiers
    ("On Friday, Putin is hosting Pezeshkian in Moscow.", FRI, "Friday", "2025-01-17", True),
    ("The Kremlin announced the forthcoming treaty on Monday.", WED, "Monday", "2025-01-13", True),
    ("Putin met the Iranian president on Friday.", WED, "Friday", "2025-01-10", True),
    ("The presidents will sign the treaty on Friday.", WED, "Friday", "2025-01-17", True),
    ("Ministers are scheduled to meet on Thursday.", MON, "Thursday", "2025-01-16", True),
    ("The vote is expected Saturday.", WED, "Saturday", "2025-01-18", True),
    ("They'll meet on Sunday to finalise the text.", WED, "Sunday", "2025-01-19", True),
    ("Friday's talks are expected to cover energy.", WED, "Friday", "2025-01-17", True),
    ("Tuesday's talks ended without agreement.", WED, "Tuesday", "2025-01-14", True),
    ("The two leaders are set to meet in Moscow this Friday.", MON, "this Friday", "2025-01-17", True),
    ("The delegation arrived last Friday.", FRI, "last Friday", "2025-01-10", True),
    ("The delegation arrived last Monday.", WED, "last Monday", "2025-01-13", True),
    ("A follow-up round is planned for next Friday.", WED, "next Friday", "2025-01-17", True),
    ("A follow-up round is planned for next Friday.", FRI, "next Friday", "2025-01-24", True),
    ("The parliament votes this coming Tuesday.", WED, "this coming Tuesday", "2025-01-21", True),
    ("The Kremlin said on Monday that Putin will sign the pact.", WED, "Monday", "2025-01-13", True),
    ("The talks happened on Tuesday.", None, "Tuesday", None, True),
    # months without a year
    ("Last June, Putin signed a similar agreement with Kim Jong Un.", FRI, "Last June", "2024-06", True),
    ("Last June, Putin signed a similar agreement with Kim Jong Un.", JUN, "Last June", "2023-06", True),
    ("In October, Lavrov hinted that the agreement would soon be finalized.", FRI, "In October",
     "2024-10", True),
    ("and in December, a spokesperson confirmed the deal was on track", FRI, "in December", "2024-12", True),
    ("The deal was on track for completion by the end of January.", FRI, "of January", "2025-01", True),
    ("The next round of talks will be held in October.", FRI, "in October", "2025-10", True),
    ("The new pipeline opens next March.", FRI, "next March", "2025-03", True),
    ("The new pipeline opens next January.", FRI, "next January", "2026-01", True),
    ("Prices spiked this March.", JUN, "this March", "2024-03", True),
    ("Exports slumped in mid-October.", FRI, "in mid-October", "2024-10", True),
    ("Talks stalled in October.", None, "in October", None, True),
    # periods relative to the page
    ("Trade grew 15 percent last year.", FRI, "last year", "2024", True),
    ("Elections are due next year.", FRI, "next year", "2026", True),
    ("The treaty takes effect this year.", FRI, "this year", "2025", True),
    ("The minister visited Tehran earlier this month.", FRI, "earlier this month", "2025-01", True),
    ("A second summit is planned for later this year.", FRI, "later this year", "2025", True),
    ("Inflation eased last month.", FRI, "last month", "2024-12", True),
    ("The first shipment arrives next month.", FRI, "next month", "2025-02", True),
    ("Drafts were exchanged last week.", date(2025, 1, 3), "last week", "2024-12", True),
    # N units ago
    ("The draft was leaked three days ago.", FRI, "three days ago", "2025-01-14", True),
    ("The talks began 2 weeks ago.", FRI, "2 weeks ago", "2025-01-03", True),
    ("Sanctions were tightened six months ago.", FRI, "six months ago", "2024-07", True),
    ("The plant opened two years ago.", FRI, "two years ago", "2023", True),
    ("Relations were frosty a decade ago.", FRI, "a decade ago", "2015", True),
    ("Posted 8 minutes ago, spidermike007 said:", FRI, "8 minutes ago", "2025-01-17", True),
    ("The post went up 5 hours ago.", None, "5 hours ago", None, True),
    ("The rally took place just 48 hours ago.", FRI, "48 hours ago", "2025-01-15", True),
    # further relative days, counts ahead, holidays
    ("The day before yesterday, the army shelled the town.", FRI, "day before yesterday", "2025-01-15", True),
    ("The day after tomorrow the parliament will vote.", FRI, "day after tomorrow", "2025-01-19", True),
    ("The vote will take place in two weeks.", FRI, "in two weeks", "2025-01-31", True),
    ("A decision is due in a month.", JUN, "in a month", "2024-07", True),
    ("The ceasefire ends three days from now.", FRI, "three days from now", "2025-01-20", True),
    ("The hostages were freed on New Year's Day.", FRI, "New Year's Day", "2025-01-01", True),
    ("On Christmas Eve, a missile hit the power station.", FRI, "Christmas Eve", "2024-12-24", True),
    # ranges, years that come from context
    ("A summit held from 22 to 24 October 2024 drew 36 delegations.", FRI, "22 to 24 October 2024",
     "2024-10-22", False),
    ("The report covers the period from 1 January to 30 June 2024.", FRI, "1 January", "2024-01-01", False),
    ("The season runs from 1 December to 31 March 2025.", FRI, "1 December", "2024-12-01", False),
    ("The exhibition closes on 5 January next year.", JUN, "5 January next year", "2025-01-05", True),
    # a future cue moves a past nearest occurrence or a passed 'this' weekday forward
    ("The sanctions expire on 31 December unless renewed.", date(2025, 3, 2), "31 December", "2025-12-31", True),
    ("The two leaders are set to meet this Friday.", date(2025, 3, 2), "this Friday", "2025-03-07", True),
    ("The summit opens on Monday.", date(2025, 3, 2), "Monday", "2025-03-03", True),
]


@pytest.mark.parametrize(("sentence", "page", "text", "value", "relative"), CASES,
                         ids=[f"{i:02d}-{c[2]}" for i, c in enumerate(CASES)])
def test_labelled_expression(sentence: str, page: date | None, text: str, value: str | None,
                             relative: bool) -> None:
    found = find_dates(sentence, page)
    matching = [m for m in found if m.text == text]
    assert matching, f"{text!r} not found in {[m.text for m in found]}"
    mention = matching[0]
    assert sentence[mention.start:mention.end] == text
    assert mention.value == value
    assert mention.relative is relative


# (sentence, a piece of text that must not be (part of) a date mention)
NOT_DATES = [
    ("The agreement comprises 47 articles.", "47"),
    ("Call +91-720-6444012 for details.", "720"),
    ("Posted at 11:18 by the desk.", "11:18"),
    ("He paid 2015 dollars for it.", "2015"),
    ("The 2015 nuclear accord collapsed.", "2015"),
    ("Supplies of 2000 people were cut.", "2000"),
    ("Output rose to 2030 tonnes.", "2030"),
    ("Visit world-today-news.com for more.", "today"),
    ("The march of history is slow.", "march"),
    ("It may rain in the afternoon.", "may"),
    ("A 13/13/2025 date is invalid.", "13/13/2025"),
    ("The treaty has 20-year terms.", "20"),
    ("NATO article 5 applies.", "5"),
    ("The army advanced 20 km in two weeks.", "in two weeks"),
    ("They agreed in three days of talks that the deal will hold.", "three days"),
    ("Prices rose 5 to 10 percent in March.", "5 to 10"),
]


@pytest.mark.parametrize(("sentence", "piece"), NOT_DATES, ids=[p for _, p in NOT_DATES])
def test_not_a_date(sentence: str, piece: str) -> None:
    start = sentence.index(piece)
    end = start + len(piece)
    for mention in find_dates(sentence, FRI):
        assert mention.end <= start or mention.start >= end, mention


def test_no_overlaps_and_longest_wins() -> None:
    text = "On Friday, January 17, 2025, in Moscow; last June; in 2013."
    found = find_dates(text, FRI)
    assert [m.text for m in found] == ["Friday, January 17, 2025", "last June", "in 2013"]
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start


def test_seed_page_dates() -> None:
    seeds = Path(__file__).resolve().parents[1] / "examples" / "seeds"
    page = next(seeds.glob("003_*.txt")).read_text(encoding="utf-8")
    values = {m.text: m.value for m in find_dates(page, MON)}
    assert values["this Friday"] == "2025-01-17"
    assert values["17 January"] == "2025-01-17"
    assert values["Last June"] == "2024-06"
    assert values["February 2022"] == "2022-02"


@pytest.mark.parametrize(("raw", "expected"), [
    ("Fri 17th Jan, 2025", date(2025, 1, 17)),
    ("17-01-2025 11:18 IST", date(2025, 1, 17)),
    ("Updated: 17-01-2025", date(2025, 1, 17)),
    ("Devdiscourse News Desk | Moscow | Updated: 17-01-2025 11:18 IST | Created: 17-01-2025 10:53 IST",
     date(2025, 1, 17)),
    ("2025-01-17T10:53:00+05:30", date(2025, 1, 17)),
    ("January 17, 2025", date(2025, 1, 17)),
    ("17 January 2025", date(2025, 1, 17)),
    ("Jan. 17, 2025", date(2025, 1, 17)),
    ("2025/01/17", date(2025, 1, 17)),
    ("03/02/2025", date(2025, 2, 3)),
    ("12/31/2024", date(2024, 12, 31)),
    ("Friday, 17 January 2025 at 10:00", date(2025, 1, 17)),
    ("17 janvier 2025", date(2025, 1, 17)),
    ("in 2013", None),
    ("July 2024", None),
    ("yesterday", None),
    ("no date here", None),
    ("", None),
    ("31/02/2025", None),
])
def test_parse_date(raw: str, expected: date | None) -> None:
    assert parse_date(raw) == expected


_EXPRESSIONS = [
    "January 17, 2025", "17 January 2025", "Fri 17th Jan, 2025", "17-01-2025", "2025-01-17", "2025/01/17",
    "July 2024", "in 2013", "since 2015", "by 2030", "17 January", "March 3", "today", "yesterday",
    "tomorrow", "tonight", "this morning", "last night", "on Friday", "last Friday", "next Tuesday",
    "this Sunday", "last June", "in October", "next March", "last year", "this month", "earlier this year",
    "three days ago", "2 weeks ago", "six months ago", "a decade ago", "Friday's", "day before yesterday",
    "48 hours ago", "Christmas Eve", "5 January next year", "three days from now", "22 to 24 October 2024",
]
_FILLER = ["The", "talks", "ended", "quietly", "officials", "said", "and", "then", "in", "Moscow", "with",
           "Iran", "a", "deal", "47", "articles", "of", "the", "treaty"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 -/.,:'TZ+\nJanFriMyOctodyls")), max_size=80)
       | st.text(max_size=120),
       st.one_of(st.none(), st.dates()))
def test_never_raises_and_spans_slice(text: str, page: date | None) -> None:
    found = find_dates(text, page)
    last_end = 0
    for mention in found:
        assert text[mention.start:mention.end] == mention.text
        assert mention.start >= last_end
        last_end = mention.end
        if mention.value is not None:
            assert len(mention.value) in (4, 7, 10)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FILLER), max_size=6), st.sampled_from(_EXPRESSIONS),
       st.lists(st.sampled_from(_FILLER), max_size=6), st.dates(min_value=date(1950, 1, 1),
                                                                max_value=date(2090, 12, 31)))
def test_mention_text_alone_gives_same_value(before: list[str], expression: str, after: list[str],
                                             page: date) -> None:
    """In cue-free sentences every mention means the same when read on its own."""
    sentence = " ".join([*before, expression, *after]) + "."
    for mention in find_dates(sentence, page):
        again = find_dates(mention.text, page)
        expected = [(mention.text, mention.value, mention.relative)]
        assert [(m.text, m.value, m.relative) for m in again] == expected


# --- the labelled benchmark set (bench/dates.py): accuracy must not fall below the recorded floors ----

DATA = Path(__file__).resolve().parent / "data"
# Recorded 2026-11-24 (bench/RESULTS.md): 100.0% on dates.tsv (which prompted the fixes), 98.0% held out.
FLOORS = {"dates.tsv": 0.98, "dates_heldout.tsv": 0.96}


def _labelled(name: str) -> list[tuple[str, date, str, str]]:
    lines = [line for line in (DATA / name).read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    rows = []
    for line in lines[1:]:
        sentence, page, expression, value = line.split("\t")
        rows.append((sentence, date.fromisoformat(page), expression, value))
    return rows


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_labelled_set_accuracy_floor(name: str) -> None:
    rows = _labelled(name)
    assert len(rows) >= (150 if name == "dates.tsv" else 50)
    hits = 0
    for sentence, page, expression, value in rows:
        start = sentence.index(expression)
        end = start + len(expression)
        found = find_dates(sentence, page)
        hits += any(m.start < end and start < m.end and (m.value or "").startswith(value) for m in found)
    assert hits / len(rows) >= FLOORS[name], f"{hits}/{len(rows)}"
