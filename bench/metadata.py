"""Page metadata accuracy per field: newsdossier beside trafilatura and htmldate, in one run.

    .venv/bin/python bench/metadata.py [--show-misses FIELD] [--system NAME]

Reads ../shared/bench/readability-metadata/ (130 pages from mozilla/readability's tests,
each with expected title, byline, siteName, publishedTime, lang, readerable) and prints
markdown tables: accuracy per field for all pages and for each half of the sorted page
list (the halves show whether a figure generalises or rests on a few pages), plus pages/s
on one core.  Title/author/site: exact match after whitespace normalisation over all pages
(an expected null or empty value must be matched by no value), and a lenient match (~:
case-insensitive, surrounding punctuation ignored).  The expected bylines are readability's
raw byline text ('By\n  Jane Doe\n  March 3'), so `author*` also compares names only: a
leading 'By'/'Par'/'Written by' and every line after the first dropped, on both sides.
Date and language are scored where the expected value is not null (date: calendar day as
written; language: primary subtag).
Exits 0 with a message when the data is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import re
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "bench" / "readability-metadata"
NEWS = ROOT.parent / "shared" / "bench" / "article-extraction"
FIELDS = ("title", "author", "site", "date", "lang", "readerable")
_BY_PREFIX = re.compile(r"^(?:(?:written|posted|reported)\s+)?(?:by|par|von|por|di|door)\b\s*:?\s*", re.IGNORECASE)


@dataclass
class Page:
    name: str
    html: str
    expected: dict[str, Any]


@dataclass
class Prediction:
    title: str | None = None
    author: str | None = None
    site: str | None = None
    date: dt.date | None = None
    lang: str | None = None
    readerable: bool | None = None


@dataclass
class System:
    name: str
    run: Callable[[str], Prediction]
    fields: tuple[str, ...]
    predictions: dict[str, Prediction] = field(default_factory=dict)
    seconds: float = 0.0


def load_pages(data: Path = DATA) -> list[Page]:
    """Every benchmark page, sorted by name."""
    pages = []
    for folder in sorted((data / "pages").iterdir()):
        source = folder / "source.html.gz"
        expected = folder / "expected-metadata.json"
        if source.exists() and expected.exists():
            html = gzip.decompress(source.read_bytes()).decode("utf-8", errors="replace")
            pages.append(Page(folder.name, html, json.loads(expected.read_text(encoding="utf-8"))))
    return pages


def halves(pages: list[Page]) -> tuple[list[Page], list[Page]]:
    mid = len(pages) // 2
    return pages[:mid], pages[mid:]


def norm(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def lenient(value: object) -> str | None:
    text = norm(value)
    if text is None:
        return None
    text = re.sub(r"^[\W_]+|[\W_]+$", "", text.casefold())
    return text or None


def expected_date(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def primary(lang: object) -> str | None:
    if not isinstance(lang, str) or not lang.strip():
        return None
    return re.split(r"[-_]", lang.strip().lower())[0]


def expected_of(page: Page) -> Prediction:
    e = page.expected
    return Prediction(
        title=e.get("title"),
        author=e.get("byline"),
        site=e.get("siteName"),
        date=expected_date(e.get("publishedTime")),
        lang=primary(e.get("lang")),
        readerable=e.get("readerable"),
    )


def names_only(value: object) -> str | None:
    """A byline as names: without a leading 'By'/'Par'/'Written by' and lines after the first, then lenient."""
    if not isinstance(value, str):
        return None
    text = _BY_PREFIX.sub("", value.strip())
    first = next((line for line in text.splitlines() if line.strip()), "")
    return lenient(first)


def score(field_name: str, pred: Prediction, exp: Prediction, mode: str = "exact") -> bool | None:
    """True/False for a scored page, None where the field is not scored on this page."""
    got, want = getattr(pred, field_name), getattr(exp, field_name)
    if field_name in ("title", "author", "site"):
        f = {"exact": norm, "lenient": lenient, "names": names_only}[mode]
        return f(got) == f(want)
    if field_name in ("date", "lang"):
        if want is None:
            return None
        return (primary(got) == want) if field_name == "lang" else got == want
    return bool(got) == bool(want)


# ---------------------------------------------------------------- systems


def newsdossier_run(html: str) -> Prediction:
    from newsdossier.clean.metadata import extract_metadata

    m = extract_metadata(html)
    return Prediction(m.title, m.author, m.site_name, m.published, m.language, m.is_article)


def _iso(value: object) -> dt.date | None:
    return expected_date(value)


def trafilatura_meta_run(html: str) -> Prediction:
    import trafilatura

    m = trafilatura.extract_metadata(html)
    return Prediction(m.title, m.author, m.sitename, _iso(m.date), None, None)


def trafilatura_bare_run(html: str) -> Prediction:
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True)
    if doc is None:
        return Prediction(readerable=False)
    data = doc if isinstance(doc, dict) else doc.as_dict()
    return Prediction(
        data.get("title"), data.get("author"), data.get("sitename"), _iso(data.get("date")),
        data.get("language"), bool((data.get("text") or "").strip()),
    )


def htmldate_run(extensive: bool) -> Callable[[str], Prediction]:
    def run(html: str) -> Prediction:
        from htmldate import find_date

        return Prediction(date=_iso(find_date(html, extensive_search=extensive, original_date=True)))

    return run


def systems() -> list[System]:
    return [
        System("newsdossier", newsdossier_run, FIELDS),
        System("trafilatura extract_metadata", trafilatura_meta_run, ("title", "author", "site", "date")),
        System("trafilatura bare_extraction", trafilatura_bare_run, ("title", "author", "site", "date", "readerable")),
        System("htmldate (extensive)", htmldate_run(True), ("date",)),
        System("htmldate (fast)", htmldate_run(False), ("date",)),
    ]


_SENTENCE = "The council voted on Tuesday to approve the budget after a long debate about the bridge. "
_PROSE = f"<p>{_SENTENCE * 4}</p>"
# Pages that take every lazy path (text dates, language guess, htmldate) once, so that one-time imports are not timed.
WARMUP = (
    f"<html><head><meta name='date' content='March 3, 2021'></head><body>{_PROSE * 3}</body></html>",
    f"<html><head><title>No date here</title></head><body>{_PROSE * 3}</body></html>",
)


def run_system(system: System, pages: list[Page]) -> None:
    for html in (*WARMUP, *(p.html for p in pages[:5])):  # lazy imports outside the timing
        system.run(html)
    start = time.perf_counter()
    for page in pages:
        system.predictions[page.name] = system.run(page.html)
    system.seconds = time.perf_counter() - start


def accuracy(system: System, pages: list[Page], field_name: str, mode: str = "exact") -> tuple[float, int]:
    marks = [score(field_name, system.predictions[p.name], expected_of(p), mode) for p in pages]
    scored = [m for m in marks if m is not None]
    return (sum(scored) / len(scored) if scored else 0.0), len(scored)


def table(all_systems: list[System], pages: list[Page], label: str) -> str:
    head = ["system", "title", "title~", "author", "author~", "author*", "site", "site~", "date", "lang", "readerable"]
    rows = [f"**{label}** ({len(pages)} pages)", "", "| " + " | ".join(head) + " |", "|---" + "|---:" * 10 + "|"]
    counts: dict[str, int] = {}
    for system in all_systems:
        cells = [system.name]
        for col in head[1:]:
            name = col.rstrip("~*")
            if name not in system.fields:
                cells.append("—")
                continue
            value, n = accuracy(system, pages, name, {"~": "lenient", "*": "names"}.get(col[-1], "exact"))
            counts[name] = n
            cells.append(f"{value:.3f}")
        rows.append("| " + " | ".join(cells) + " |")
    rows.append("")
    rows.append("Scored pages: " + ", ".join(f"{k} {v}" for k, v in counts.items() if k in ("date", "lang")) + ".")
    return "\n".join(rows)


def news_check() -> str:
    """Unseen news pages with no metadata ground truth: how often each field is found, and speed."""
    truth = json.loads((NEWS / "ground-truth.json").read_text(encoding="utf-8"))
    pages = [
        (gzip.decompress((NEWS / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", errors="replace"), v["url"])
        for key, v in sorted(truth.items())
    ]
    import trafilatura

    from newsdossier.clean.metadata import extract_metadata

    rows = [
        f"**Unseen news pages** ({len(pages)} pages of ../shared/bench/article-extraction, every one an article;"
        " no metadata ground truth): share of pages where each field is found.",
        "",
        "| system | title | author | site | date | lang | is_article | pages/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    start = time.perf_counter()
    ours = [extract_metadata(html, url=url) for html, url in pages]
    speed = len(pages) / (time.perf_counter() - start)
    fields = [[m.title, m.author, m.site_name, m.published, m.language, m.is_article or None] for m in ours]
    shares = [sum(f[i] is not None for f in fields) / len(pages) for i in range(6)]
    rows.append("| newsdossier | " + " | ".join(f"{x:.3f}" for x in shares) + f" | {speed:.1f} |")
    start = time.perf_counter()
    theirs = [trafilatura.extract_metadata(html, default_url=url) for html, url in pages]
    speed = len(pages) / (time.perf_counter() - start)
    tfields = [[d.title, d.author, d.sitename, d.date] for d in theirs]
    shares = [sum(bool(f[i]) for f in tfields) / len(pages) for i in range(4)]
    cells = " | ".join(f"{x:.3f}" for x in shares)
    rows.append(f"| trafilatura extract_metadata | {cells} | — | — | {speed:.1f} |")
    return "\n".join(rows)


def show_misses(system: System, pages: list[Page], field_name: str) -> None:
    for page in pages:
        pred, exp = system.predictions[page.name], expected_of(page)
        if score(field_name, pred, exp) is False:
            print(f"{page.name:32} got={getattr(pred, field_name)!r:60.60} want={getattr(exp, field_name)!r:.60}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show-misses", choices=FIELDS, help="list newsdossier's misses on one field")
    parser.add_argument("--system", action="append", help="run only systems whose name starts with this")
    args = parser.parse_args()
    if not (DATA / "pages").is_dir():
        print(f"benchmark data not found at {DATA}; skipping")
        return
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    warnings.simplefilter("ignore")
    import logging

    logging.disable(logging.CRITICAL)
    pages = load_pages()
    chosen = [s for s in systems() if not args.system or any(s.name.startswith(p) for p in args.system)]
    for system in chosen:
        run_system(system, pages)
        print(f"ran {system.name}: {len(pages) / system.seconds:.1f} pages/s", file=sys.stderr)
    if args.show_misses:
        show_misses(chosen[0], pages, args.show_misses)
        return
    first, second = halves(pages)
    print(table(chosen, pages, "All pages"))
    print()
    print(table(chosen, first, f"First half ({first[0].name} … {first[-1].name})"))
    print()
    print(table(chosen, second, f"Second half ({second[0].name} … {second[-1].name})"))
    print()
    print("| system | pages/s (one core) |")
    print("|---|---:|")
    for system in chosen:
        print(f"| {system.name} | {len(pages) / system.seconds:.1f} |")
    if (NEWS / "ground-truth.json").exists() and not args.system:
        print()
        print(news_check())


if __name__ == "__main__":
    main()
