"""Throughput of the per-page stages on one core: pages/s and words/s, stage by stage.

    .venv/bin/python bench/throughput.py [PATH ...] [--repeat N]

Defaults to examples/seeds; `../shared/bench/article-extraction/html` gives 181 real
HTML news pages.  Loads the model first (not timed), then times each stage over every
page `--repeat` times and prints a table; record results in bench/RESULTS.md with the
date and machine.  Cleaning and dedup are timed page by page; understanding as `build`
runs it, `understand_many` over batches of `pipeline.UNDERSTAND_BATCH` pages.  The last
line is the understanding time over the cleaning time (issue 4 asks for at most 2).  Times are the
process's CPU time (one thread), so other jobs on the machine disturb them little.
"""

from __future__ import annotations

import os

# One core means one BLAS thread too: set before numpy loads, or its threads keep using every core.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import contextlib  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402

from newsdossier.clean import CleanError, clean_page  # noqa: E402
from newsdossier.dedup import drop_repeated_paragraphs  # noqa: E402
from newsdossier.ingest import read_inputs  # noqa: E402
from newsdossier.model import RawPage  # noqa: E402
from newsdossier.pipeline import UNDERSTAND_BATCH  # noqa: E402
from newsdossier.understand import parse_cache  # noqa: E402
from newsdossier.understand.analyze import DEFAULT_NER, load_nlp, understand, understand_many  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "examples" / "seeds")])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--ner", choices=["static", "spacy"], default=DEFAULT_NER, help="named-entity recogniser")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    pages = [p for p in read_inputs(args.paths) if isinstance(p, RawPage)]
    nlp = load_nlp()
    for page in pages:  # warm caches and lazy imports outside the timing
        with contextlib.suppress(CleanError):
            understand(drop_repeated_paragraphs(clean_page(page)), nlp, args.ner)
    seconds: dict[str, float] = defaultdict(float)
    words = done = 0
    for _ in range(args.repeat):
        docs = []
        for page in pages:
            t0 = time.process_time()
            try:
                doc = clean_page(page)
            except CleanError:
                continue
            t1 = time.process_time()
            docs.append(drop_repeated_paragraphs(doc))
            seconds["clean"] += t1 - t0
            seconds["dedup"] += time.process_time() - t1
        parse_cache.clear()  # each pass parses afresh, as a first build of these pages does
        t2 = time.process_time()
        for i in range(0, len(docs), UNDERSTAND_BATCH):
            understand_many(docs[i : i + UNDERSTAND_BATCH], nlp, ner=args.ner)
        seconds["understand"] += time.process_time() - t2
        words += sum(len(doc.text.split()) for doc in docs)
        done += len(docs)
    total = sum(seconds.values())
    print(f"{done} pages ({len(pages)} distinct x {args.repeat}), {words} words, one core")
    print(f"{'stage':<12}{'seconds':>10}{'pages/s':>10}{'words/s':>12}")
    for stage, sec in [*seconds.items(), ("total", total)]:
        print(f"{stage:<12}{sec:>10.3f}{done / sec:>10.1f}{words / sec:>12.0f}")
    print(f"understand / clean time: {seconds['understand'] / seconds['clean']:.1f}x")


if __name__ == "__main__":
    main()
