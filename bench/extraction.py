"""Main-text extraction on the article-extraction benchmark: newsdossier beside trafilatura and others.

    .venv/bin/python bench/extraction.py [--limit N] [--repeat K] [--json-out FILE] [--full]

Reads ../shared/bench/article-extraction (181 news pages with their article text) and scores
every extractor with the benchmark's own metric from ../shared/bench/eval_extraction.py
(word 4-gram F1, precision, recall; pages/s on one pinned core, median of --repeat passes), in
one run, so that speeds compare.  Rows:

* newsdossier html      `dom.main_text`: the article text the HTML path of `clean_page` keeps;
* newsdossier clean_page `clean.clean_page` on the page (article, comments and metadata: the whole
                        clean stage for HTML), with --full;
* newsdossier text      the page's whole visible text (`visible.visible_text`, menus and footers
                        and all, as a browser's select-all copy) through `textdump.extract_text_dump`;
                        only the text path is timed, the rendering is input preparation;
* visible text          that whole-page text as it is (the text path's starting point);
* trafilatura default / fast, readability-lxml, resiliparse, html-text: the benchmark's adapters
  (bench extras, not dependencies of newsdossier; skipped when not installed).

A second table scores site-level boilerplate learning (`clean.site`): the benchmark's pages grouped by
host (55 hosts have two pages each), each page through `clean_page` as a text dump and as HTML, then
`remove_site_boilerplate` over the whole set; F1 on the paired pages and on all, before and after.

The A/B columns are the F1 on the two halves of the pages (ids starting with an even / odd hex
digit); the extractor's thresholds were tuned on A.  Exits 0 with a message when ../shared is absent.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "bench"
EVAL = SHARED / "eval_extraction.py"
DATA = SHARED / "article-extraction"


UNTIMED = frozenset(("visible text (whole page)",))  # input as it is: nothing to time


def load_eval() -> ModuleType | None:
    """The benchmark's scorer module, or None where ../shared is absent."""
    if not EVAL.is_file() or not (DATA / "ground-truth.json").is_file():
        return None
    spec = importlib.util.spec_from_file_location("eval_extraction", EVAL)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_extraction"] = module
    spec.loader.exec_module(module)
    return module


def half(page_id: str) -> str:
    """The half a page belongs to: A (tuning) when its id starts with an even hex digit, else B."""
    return "A" if int(page_id[0], 16) % 2 == 0 else "B"


def newsdossier_html(html: str) -> str:
    from newsdossier.clean.dom import main_text

    return main_text(html)


def newsdossier_full(html: str, url: str | None = None) -> str:
    from newsdossier.clean import CleanError, clean_page
    from newsdossier.model import RawPage

    try:
        doc = clean_page(RawPage(source="page.html", content=html, kind="html", url=url))
    except CleanError:
        return ""
    return "\n\n".join(doc.text[p.start : p.end] for p in doc.paragraphs if p.kind != "title")


def text_path(dump: str) -> str:
    from newsdossier.clean import CleanError
    from newsdossier.clean.textdump import extract_text_dump

    try:
        extracted = extract_text_dump(dump)
    except CleanError:
        return ""
    return "\n\n".join(text for kind, text in extracted.blocks if kind != "title")


def identity(text: str) -> str:
    return text


def run(ev: ModuleType, name: str, fn: Callable[..., Any], pages: list[tuple[str, str | None, str, str]],
        repeat: int) -> dict[str, Any]:
    """Score one extractor with the benchmark's runner and metric, plus the F1 of each half."""
    preds, errors, spent = ev.run_extractor(fn, pages)
    passes = [spent] + [ev.run_extractor(fn, pages, warmup=False)[2] for _ in range(max(1, repeat) - 1)]
    seconds = statistics.median(passes)
    truths = [p[3] for p in pages]
    result: dict[str, Any] = {
        "pages": len(pages),
        "errors": errors,
        "pages_per_s": len(pages) / seconds if seconds else None,
        "n4": ev.score(truths, preds, 4, n_bootstrap=0),
    }
    for part in "AB":
        idx = [i for i, p in enumerate(pages) if half(p[0]) == part]
        result[part] = ev.score([truths[i] for i in idx], [preds[i] for i in idx], 4, n_bootstrap=0)["f1"]
    print(f"# done {name} in {seconds:.1f}s", flush=True)
    return result


def site_learning(ev: ModuleType, pages: list[tuple[str, str | None, str, str]], dumps: list[tuple[str, str | None,
                  str, str]]) -> dict[str, dict[str, float]]:
    """F1 of the text and HTML paths before and after learning each host's boilerplate from its other pages."""
    from collections import Counter
    from urllib.parse import urlsplit

    from newsdossier.clean import CleanError, clean_page
    from newsdossier.clean.site import remove_site_boilerplate
    from newsdossier.model import Document, RawPage

    def body(doc: Document | None) -> str:
        if doc is None:
            return ""
        return "\n\n".join(doc.text[p.start : p.end] for p in doc.paragraphs if p.kind != "title")

    hosts = [urlsplit(url or "").hostname or pid for pid, url, _, _ in pages]
    paired = {i for i, h in enumerate(hosts) if Counter(hosts)[h] > 1}
    truths = [p[3] for p in pages]
    out: dict[str, dict[str, float]] = {}
    for kind, data in (("text", dumps), ("html", pages)):
        docs: list[Document | None] = []
        for (pid, url, content, _), host in zip(data, hosts, strict=True):
            try:
                docs.append(clean_page(RawPage(source=pid, content=content, kind=kind, url=url, site=host)))
            except CleanError:
                docs.append(None)
        learned = iter(remove_site_boilerplate([d for d in docs if d is not None]))
        after = [None if d is None else next(learned) for d in docs]
        for label, chosen in (("paired", sorted(paired)), ("all", range(len(pages)))):
            t = [truths[i] for i in chosen]
            out[f"{kind} {label}"] = {
                "pages": len(t),
                "before": ev.score(t, [body(docs[i]) for i in chosen], 4, n_bootstrap=0)["f1"],
                "after": ev.score(t, [body(after[i]) for i in chosen], 4, n_bootstrap=0)["f1"],
                "pages_changed": sum(1 for i in chosen if after[i] is not None and after[i] is not docs[i]),
            }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--full", action="store_true", help="also time the whole clean_page (comments, metadata)")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args()
    ev = load_eval()
    if ev is None:
        print(f"skipped: benchmark data not found under {SHARED}")
        return 0
    pinned = ev.pin_cpu(0)
    pages = ev.load_bench(DATA, args.limit)
    print(f"# pages={len(pages)} pinned_cpu={pinned} python={sys.version.split()[0]}", flush=True)

    from newsdossier.clean.visible import visible_text

    dumps = [(pid, url, visible_text(html), truth) for pid, url, html, truth in pages]
    runs: list[tuple[str, Callable[..., Any], list[tuple[str, str | None, str, str]]]] = [
        ("newsdossier html", newsdossier_html, pages),
    ]
    if args.full:
        runs.append(("newsdossier clean_page", newsdossier_full, pages))
    runs += [("newsdossier text", text_path, dumps), ("visible text (whole page)", identity, dumps)]
    for builtin in ("trafilatura_default", "trafilatura_fast", "readability_lxml", "resiliparse_main",
                    "html_text_full"):
        dist, fn = ev.BUILTINS[builtin]
        if importlib.util.find_spec(ev._IMPORT_NAME.get(dist, dist)) is None:
            print(f"# skip {builtin}: {dist} not installed", flush=True)
            continue
        runs.append((f"{builtin} {ev.version_of(dist)}", fn, pages))

    results = {name: run(ev, name, fn, data, args.repeat) for name, fn, data in runs}
    print(f"\n{'extractor':<32} {'F1':>6} {'P':>6} {'R':>6} {'F1 A':>6} {'F1 B':>6} {'pages/s':>8}")
    for name, res in results.items():
        m = res["n4"]
        pps = f"{res['pages_per_s']:8.1f}" if res["pages_per_s"] and name not in UNTIMED else "       -"
        print(f"{name:<32} {m['f1']:6.3f} {m['precision']:6.3f} {m['recall']:6.3f} {res['A']:6.3f} "
              f"{res['B']:6.3f} {pps}")
    site = site_learning(ev, pages, dumps)
    print(f"\n{'site boilerplate (clean_page)':<32} {'pages':>6} {'before':>7} {'after':>7} {'changed':>8}")
    for name, row in site.items():
        print(f"{name:<32} {row['pages']:6d} {row['before']:7.3f} {row['after']:7.3f} {row['pages_changed']:8d}")
    if args.json_out:
        args.json_out.write_text(json.dumps({**results, "site": site}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
