"""End-to-end throughput of `newsdossier build` on one core: pages/s of the whole job, and where the time goes.

    .venv/bin/python bench/build.py [PATH ...] [--ner static|spacy] [--repeat N]

Defaults to ../shared/bench/article-extraction/html (181 real HTML news pages; exits 0 with a message where
it is absent).  Each run builds into a fresh temporary store and output folder, as a first `build` on those
pages does: read, clean, understand, link duplicates, group into events, one dossier per event (entities,
events, agreements, facts, alignment, summary, faithfulness check), store, render JSON/Markdown/HTML.  The
models are loaded before timing (a process loads them once).  Times are the process's CPU time on one
core with one BLAS thread; the stage split comes from timing the pipeline's own stage functions in place.
The guide's goal is at least 10 pages/s per core.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from newsdossier import pipeline  # noqa: E402
from newsdossier.understand import parse_cache  # noqa: E402
from newsdossier.understand.analyze import DEFAULT_NER, load_nlp  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PAGES = ROOT.parent / "shared" / "bench" / "article-extraction" / "html"
STAGES = ("prepare_page", "understand_many", "link_duplicates", "assign_events", "make_dossier", "write_dossier")


def timed(name: str, fn: Callable[..., Any], seconds: dict[str, float]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            seconds[name] += time.process_time() - t0

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", default=[str(DEFAULT_PAGES)])
    parser.add_argument("--ner", choices=["static", "spacy"], default=DEFAULT_NER)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    if not all(Path(p).exists() for p in args.paths):
        print(f"input not found ({', '.join(args.paths)}): skipped")
        return
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    load_nlp()
    if args.ner == "static":
        from newsdossier.understand.static_ner import load_static_ner

        load_static_ner()
    originals = {name: getattr(pipeline, name) for name in STAGES}
    best: tuple[float, dict[str, float], int, int] | None = None
    for _ in range(args.repeat):
        parse_cache.clear()
        seconds: dict[str, float] = defaultdict(float)
        for name, fn in originals.items():
            setattr(pipeline, name, timed(name, fn, seconds))
        try:
            with tempfile.TemporaryDirectory() as tmp:
                t0 = time.process_time()
                report = pipeline.build(args.paths, db=Path(tmp) / "bench.db", out_dir=Path(tmp) / "out", ner=args.ner)
                total = time.process_time() - t0
        finally:
            for name, fn in originals.items():
                setattr(pipeline, name, fn)
        if best is None or total < best[0]:
            best = (total, dict(seconds), report.processed, len(report.dossiers))
    assert best is not None
    total, seconds, pages, dossiers = best
    print(f"{pages} pages, {dossiers} dossiers, NER {args.ner}, one core (best of {args.repeat}, CPU seconds)")
    print(f"{'stage':<22}{'seconds':>9}{'share':>8}")
    labels = {"prepare_page": "clean", "understand_many": "understand", "link_duplicates": "duplicates",
              "assign_events": "group into events", "make_dossier": "dossiers", "write_dossier": "render"}
    for name in STAGES:
        print(f"{labels[name]:<22}{seconds.get(name, 0.0):>9.2f}{seconds.get(name, 0.0) / total:>8.0%}")
    rest = total - sum(seconds.values())
    print(f"{'read, store, other':<22}{rest:>9.2f}{rest / total:>8.0%}")
    print(f"{'total':<22}{total:>9.2f}   {pages / total:.1f} pages/s")


if __name__ == "__main__":
    main()
