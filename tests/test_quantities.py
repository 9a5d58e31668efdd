"""Quantity finding: a labelled table, exclusions, and properties."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdossier.understand.quantities import find_quantities, plural, singular
from newsdossier.understand.time import find_dates

# (sentence, mention text, value, unit, dimension, approximate, per, measured)
CASES: list[tuple[str, str, float, str, str, bool, str | None, str | None]] = [
    # durations
    ("Russia and Iran Forge Two-Decade Strategic Partnership", "Two-Decade", 20, "year", "duration",
     False, None, None),
    ("Presidents Sign 20-Year Strategic Treaty to Boost Defense", "20-Year", 20, "year", "duration",
     False, None, None),
    ("strengthening their collaboration over the next 20 years.", "20 years", 20, "year", "duration",
     False, None, None),
    ("a landmark agreement set to last for two decades.", "two decades", 20, "year", "duration",
     False, None, None),
    ("for over two decades, Osborn has reported on Russia", "two decades", 20, "year", "duration",
     True, None, None),
    ("The ceasefire calls for a five-day pause.", "five-day", 5, "day", "duration", False, None, None),
    ("The treaty is valid for a decade.", "a decade", 10, "year", "duration", False, None, None),
    ("Relations have been tense for half a century.", "half a century", 50, "year", "duration",
     False, None, None),
    ("Talks lasted 24 hours.", "24 hours", 24, "hour", "duration", False, None, None),
    ("A twenty-five-year-old soldier was hurt.", "twenty-five-year", 25, "year", "duration",
     False, None, None),
    ("He spent two more years in custody.", "two more years", 2, "year", "duration", False, None, None),
    ("The lease runs 99 years.", "99 years", 99, "year", "duration", False, None, None),
    # counts
    ("the agreement comprises 47 articles, addressing various areas", "47 articles", 47, "article", "count",
     False, None, None),
    ("the 47-article treaty covers defence", "47-article", 47, "article", "count", False, None, None),
    ("currently building two more reactors [[2]]", "two more reactors", 2, "reactor", "count",
     False, None, None),
    ("Osborn reported for two prominent British newspapers", "two prominent British newspapers", 2,
     "newspaper", "count", False, None, None),
    ("About 2,000 people attended the rally.", "2,000 people", 2000, "person", "count", True, None, None),
    ("A dozen drones struck the city.", "A dozen drones", 12, "drone", "count", False, None, None),
    ("a hundred missiles were launched", "a hundred missiles", 100, "missile", "count", False, None, None),
    ("two hundred and fifty soldiers crossed", "two hundred and fifty soldiers", 250, "soldier", "count",
     False, None, None),
    ("Iran supplied 20 Shahed drones last month.", "20 Shahed drones", 20, "drone", "count",
     False, None, None),
    ("Nearly 5m people were displaced.", "5m people", 5e6, "person", "count", True, None, None),
    ("There were 15 countries at the summit.", "15 countries", 15, "country", "count", False, None, None),
    # money
    ("The deal is worth $5 billion.", "$5 billion", 5e9, "USD", "money", False, None, None),
    ("He paid US$1.2bn for the stake.", "US$1.2bn", 1.2e9, "USD", "money", False, None, None),
    ("a loan of €300m from the bank", "€300m", 3e8, "EUR", "money", False, None, None),
    ("a fine of £300,000 was imposed", "£300,000", 3e5, "GBP", "money", False, None, None),
    ("trade of 500 million roubles", "500 million roubles", 5e8, "RUB", "money", False, None, None),
    ("investment of 3 billion yuan", "3 billion yuan", 3e9, "CNY", "money", False, None, None),
    ("a budget of Rs 500 crore", "Rs 500 crore", 5e9, "INR", "money", False, None, None),
    ("assets worth 10 billion dollars", "10 billion dollars", 1e10, "USD", "money", False, None, None),
    ("aid of 40 million euros", "40 million euros", 4e7, "EUR", "money", False, None, None),
    ("nearly $2m a month in fees", "$2m", 2e6, "USD", "money", True, "month", None),
    ("The oil is priced at $75 per barrel.", "$75", 75, "USD", "money", False, "barrel", None),
    # percent
    ("Exports rose 3.5% last year.", "3.5%", 3.5, "percent", "percent", False, None, None),
    ("Inflation hit 12 per cent in December.", "12 per cent", 12, "percent", "percent", False, None, None),
    ("more than 40 percent of GDP", "40 percent", 40, "percent", "percent", True, None, "gdp"),
    ("Rates rose 2 percentage points.", "2 percentage points", 2, "percentage point", "percent",
     False, None, None),
    # volume, mass, length, energy
    ("supply Iran with an estimated 55 billion cubic meters of gas annually.", "55 billion cubic meters",
     5.5e10, "cubic metre", "volume", True, "year", "gas"),
    ("The pipeline will carry 55 bcm of natural gas per year.", "55 bcm", 5.5e10, "cubic metre", "volume",
     False, "year", "gas"),
    ("Output reached 10 million barrels of oil a day.", "10 million barrels", 1e7, "barrel", "volume",
     False, "day", "oil"),
    ("Exports fell to 300,000 bpd in March.", "300,000 bpd", 3e5, "barrel", "volume", False, "day", None),
    ("Some 1,200 tonnes of wheat were shipped.", "1,200 tonnes", 1200, "tonne", "mass", True, None, "wheat"),
    ("Police seized 5kg of cocaine.", "5kg", 5, "kilogram", "mass", False, None, "cocaine"),
    ("The LNG plant will produce 7.5 mtpa.", "7.5 mtpa", 7.5e6, "tonne", "mass", False, "year", None),
    ("The 1,000 km pipeline crosses Azerbaijan.", "1,000 km", 1000, "kilometre", "length", False, None, None),
    ("a 1,000-km pipeline", "1,000-km", 1000, "kilometre", "length", False, None, None),
    ("The border runs 50 miles.", "50 miles", 50, "mile", "length", False, None, None),
    ("The reactor has 1,200 MW of capacity.", "1,200 MW", 1200, "megawatt", "power", False, None, "capacity"),
    ("The new units add 1.2GW.", "1.2GW", 1.2, "gigawatt", "power", False, None, None),
    ("Consumption reached 5 TWh a year.", "5 TWh", 5, "terawatt hour", "energy", False, "year", None),
    ("The zone covers 20 sq km.", "20 sq km", 20, "square kilometre", "area", False, None, None),
]


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit", "dimension", "approximate", "per", "measured"), CASES,
    ids=[f"{i:02d}-{c[1]}" for i, c in enumerate(CASES)],
)
def test_labelled_quantity(sentence: str, text: str, value: float, unit: str, dimension: str,
                           approximate: bool, per: str | None, measured: str | None) -> None:
    found = find_quantities(sentence)
    matching = [q for q in found if q.text == text]
    assert matching, f"{text!r} not found in {[q.text for q in found]}"
    q = matching[0]
    assert sentence[q.start:q.end] == text
    assert q.value == pytest.approx(value)
    assert (q.unit, q.dimension, q.approximate, q.per, q.measured) == (unit, dimension, approximate, per,
                                                                        measured)


# (sentence, a piece of text no quantity may overlap)
NOT_QUANTITIES = [
    ("Putin met Pezeshkian in Moscow on January 17, 2025, to sign.", "January 17, 2025"),
    ("constructing its first nuclear plant in 2013 and more", "2013"),
    ("His election in July 2024 changed things.", "2024"),
    ("Updated: 17-01-2025 11:18 IST", "11:18"),
    ("The talks began at 10 am local time.", "10"),
    ("Phone: +91-720-6444012, +91-7027739813", "+91-720-6444012, +91-7027739813"),
    ("Call +44 20 7946 0958 now", "20 7946 0958"),
    ("similar to the NATO article 5 clause", "5"),
    ("Article 51 of the UN Charter", "51"),
    ("UN Security Council Resolution 2231 remains", "2231"),
    ("see No. 7 and #4 for details", "7 and #4"),
    ("COVID-19 cases rose", "19"),
    ("the A320 jets and F-16 fighters", "A320 jets and F-16"),
    ("5G networks and MH17 victims", "5G"),
    ("the 17th visit and the 2nd rounds", "17th visit and the 2nd"),
    ("during the 1990s reforms", "1990s"),
    ("the 2024 elections were held", "2024 elections"),
    ("after the 2015 nuclear accord", "2015"),
    ("used in the conflict in Ukraine [[3]].", "3"),
    ("Posted 8 minutes ago, he said", "8 minutes"),
    ("two-thirds of voters agreed", "two-thirds"),
    ("One of the reasons NK soldiers are here", "One"),
    ("Like 1\n  • Thumbs Up 1", "1"),
    ("a score of 10-15 points", "10-15"),
    ("© Copyright 2025Jump to content", "2025"),
]


@pytest.mark.parametrize(("sentence", "piece"), NOT_QUANTITIES, ids=[p for _, p in NOT_QUANTITIES])
def test_not_a_quantity(sentence: str, piece: str) -> None:
    start = sentence.index(piece)
    end = start + len(piece)
    for q in find_quantities(sentence):
        assert q.end <= start or q.start >= end, q


def test_seed_page_gas_sentence() -> None:
    seeds = Path(__file__).resolve().parents[1] / "examples" / "seeds"
    page = next(seeds.glob("004_*.txt")).read_text(encoding="utf-8")
    gas = [q for q in find_quantities(page) if q.dimension == "volume"]
    assert gas
    assert {(q.value, q.unit, q.measured, q.per, q.approximate) for q in gas} == {
        (5.5e10, "cubic metre", "gas", "year", True)
    }


def test_quantities_in_order_without_overlap() -> None:
    text = "Some 500 soldiers, $5 billion, 20 years and 3.5% of GDP, 47 articles."
    found = find_quantities(text)
    assert [q.text for q in found] == ["500 soldiers", "$5 billion", "20 years", "3.5%", "47 articles"]
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start


@pytest.mark.parametrize(("plural", "expected"), [
    ("articles", "article"), ("countries", "country"), ("people", "person"), ("buses", "bus"),
    ("churches", "church"), ("heroes", "hero"), ("species", "species"), ("gas", "gas"), ("crises", "crisis"),
])
def test_singular(plural: str, expected: str) -> None:
    assert singular(plural) == expected


_PIECES = ["$", "US$", "€", "5", "47", "1,200", "3.5", "2025", "-", ":", "%", " ", "\n", "bn", "m", "k",
           "million", "two", "a dozen", "decade", "years", "of gas", "per day", "a year", "about", "Article",
           "cubic meters", "bcm", "people", "20-year", "+91", "th", "(", ")", "[", "]", ".", ",", "half a",
           "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25).map("".join) | st.text(max_size=150))
def test_never_raises_and_spans_slice(text: str) -> None:
    last_end = 0
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.text
        assert q.start >= last_end
        last_end = q.end
        assert q.unit and q.dimension
        assert math.isfinite(q.value)


def test_given_dates_are_used_for_exclusion() -> None:
    text = "In 2013 the plant had 2013 workers."
    assert [q.text for q in find_quantities(text)] == ["2013 workers"]
    assert find_quantities(text, dates=find_dates(text, None)) == find_quantities(text)


@pytest.mark.parametrize(("word", "expected"), [
    ("witness", "witnesses"), ("country", "countries"), ("diagnosis", "diagnoses"), ("person", "people"),
    ("day", "days"), ("aircraft", "aircraft"), ("species", "species"), ("box", "boxes"), ("key", "keys"),
])
def test_plural(word: str, expected: str) -> None:
    assert plural(word) == expected and singular(plural(word)) == word


@given(st.from_regex(r"[a-z]{3,12}", fullmatch=True))
def test_plural_keeps_the_stem_and_never_shortens(word: str) -> None:
    out = plural(word)
    assert out.isalpha()
    if out.endswith("s"):  # not an irregular plural (people, mice)
        assert out.startswith(word[:-2]) and len(out) >= len(word)
