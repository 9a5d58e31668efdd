"""Date-normaliser accuracy on the labelled sets in tests/data: ours against dateparser alone.

    .venv/bin/python bench/dates.py [--misses]

Each row gives a sentence, the page date, a date expression in the sentence and the value a reader
of that page gives it (ISO date, month or year).  A row counts as a hit for a system when one of the
spans it finds in the sentence overlaps the expression and its value agrees with the label at the
label's precision (a full date that falls in the labelled month counts for a month label).  Ours is
`find_dates(sentence, page_date)`; dateparser is `dateparser.search.search_dates` with RELATIVE_BASE
set to the page date, scored with PREFER_DATES_FROM 'current_period' (its default), 'past', 'future',
and per sentence ('future' where the sentence has a future cue, else 'past').  dates.tsv prompted the
normaliser's fixes; dates_heldout.tsv was written afterwards and never used to change it.  Record
results in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import re
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from newsdossier.understand.time import find_dates

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "data" / "dates.tsv"
HELD_OUT = ROOT / "tests" / "data" / "dates_heldout.tsv"
FUTURE_CUE = re.compile(
    r"\b(?:will|shall|due|expected|scheduled|planned|plans?|set to|is to|are to|next|upcoming|coming)\b|['’]ll\b",
    re.IGNORECASE,
)

Found = list[tuple[int, int, str | None]]


@dataclass(frozen=True)
class Case:
    sentence: str
    page: date
    expression: str
    value: str

    @property
    def span(self) -> tuple[int, int]:
        start = self.sentence.index(self.expression)
        return start, start + len(self.expression)


def load_cases(path: Path = CASES) -> list[Case]:
    """The labelled rows (comment lines start with '#'; the first other line is the header)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    cases = []
    for line in lines[1:]:
        sentence, page, expression, value = line.split("\t")
        cases.append(Case(sentence, date.fromisoformat(page), expression, value))
    return cases


def is_hit(case: Case, found: Found) -> bool:
    """A found span overlapping the expression whose value agrees with the label at the label's precision."""
    start, end = case.span
    return any(s < end and start < e and value is not None and value.startswith(case.value)
               for s, e, value in found)


def ours(case: Case) -> Found:
    return [(m.start, m.end, m.value) for m in find_dates(case.sentence, case.page)]


def dateparser_system(prefer: str) -> Callable[[Case], Found]:
    """search_dates over the sentence with the page date as RELATIVE_BASE; spans located in order."""
    from dateparser.search import search_dates

    def run(case: Case) -> Found:
        mode = prefer
        if prefer == "cue":
            mode = "future" if FUTURE_CUE.search(case.sentence) else "past"
        settings = {"RELATIVE_BASE": datetime(case.page.year, case.page.month, case.page.day),
                    "PREFER_DATES_FROM": mode, "RETURN_AS_TIMEZONE_AWARE": False}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            results = search_dates(case.sentence, languages=["en"], settings=settings) or []
        found: Found = []
        cursor = 0
        for text, when in results:
            start = case.sentence.find(text, cursor)
            if start < 0:
                start = case.sentence.find(text)
            if start < 0:
                continue
            cursor = start + len(text)
            found.append((start, start + len(text), when.date().isoformat()))
        return found

    return run


def score(cases: Iterable[Case], system: Callable[[Case], Found]) -> tuple[int, list[Case], float]:
    """(hits, missed cases, seconds)."""
    t0 = time.perf_counter()
    hits, missed = 0, []
    for case in cases:
        if is_hit(case, system(case)):
            hits += 1
        else:
            missed.append(case)
    return hits, missed, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="list the rows ours gets wrong")
    args = parser.parse_args()
    systems: list[tuple[str, Callable[[Case], Found]]] = [("newsdossier find_dates", ours)]
    systems += [(f"dateparser search_dates, PREFER_DATES_FROM={p}", dateparser_system(p))
                for p in ("current_period", "past", "future", "cue")]
    for path in (CASES, HELD_OUT):
        cases = load_cases(path)
        print(f"\n{path.relative_to(ROOT)}: {len(cases)} labelled expressions")
        print(f"{'system':58} {'hits':>5} {'accuracy':>9} {'ms/sentence':>12}")
        missed_ours: list[Case] = []
        for name, system in systems:
            hits, missed, seconds = score(cases, system)
            if system is ours:
                missed_ours = missed
            print(f"{name:58} {hits:5d} {hits / len(cases):9.1%} {1000 * seconds / len(cases):12.2f}")
        if args.misses:
            for case in missed_ours:
                got = [(case.sentence[s:e], v) for s, e, v in ours(case)]
                print(f"  MISS {case.page} {case.expression!r} -> {case.value}; found {got}")


if __name__ == "__main__":
    main()
