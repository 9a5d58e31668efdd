"""Throughput of the per-page stages on one core: pages/s and words/s, stage by stage.

    .venv/bin/python bench/throughput.py [PATH ...] [--repeat N]

Defaults to examples/seeds.  Loads the model first (not timed), then times each
stage over every page `--repeat` times and prints a table; record results in
bench/RESULTS.md with the date and machine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import time
from collections import defaultdict
from pathlib import Path

from newsdossier.clean import CleanError, clean_page
from newsdossier.dedup import drop_repeated_paragraphs
from newsdossier.ingest import read_inputs
from newsdossier.model import RawPage
from newsdossier.understand.analyze import load_nlp, understand

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "examples" / "seeds")])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    pages = [p for p in read_inputs(args.paths) if isinstance(p, RawPage)]
    nlp = load_nlp()
    for page in pages:  # warm caches and lazy imports outside the timing
        with contextlib.suppress(CleanError):
            understand(drop_repeated_paragraphs(clean_page(page)), nlp)
    seconds: dict[str, float] = defaultdict(float)
    words = done = 0
    for _ in range(args.repeat):
        for page in pages:
            t0 = time.perf_counter()
            try:
                doc = clean_page(page)
            except CleanError:
                continue
            t1 = time.perf_counter()
            doc = drop_repeated_paragraphs(doc)
            t2 = time.perf_counter()
            understand(doc, nlp)
            t3 = time.perf_counter()
            seconds["clean"] += t1 - t0
            seconds["dedup"] += t2 - t1
            seconds["understand"] += t3 - t2
            words += len(doc.text.split())
            done += 1
    total = sum(seconds.values())
    print(f"{done} pages ({len(pages)} distinct x {args.repeat}), {words} words, one core")
    print(f"{'stage':<12}{'seconds':>10}{'pages/s':>10}{'words/s':>12}")
    for stage, sec in [*seconds.items(), ("total", total)]:
        print(f"{stage:<12}{sec:>10.3f}{done / sec:>10.1f}{words / sec:>12.0f}")


if __name__ == "__main__":
    main()
