"""Event grouping on ECB+: B-cubed and pairwise scores for newsdossier and two baselines, and throughput.

    .venv/bin/python bench/stories.py [--orders N] [--batch N] [--cache FILE] [--write-model]

ECB+ (../shared/bench/ecbplus, loaded by bench/ecbplus.py): 982 documents, 43 topics, each topic two
similar but different events (the 'ecb' and 'ecbplus' halves), so 86 gold events.  Each document is
rebuilt as text (first line = title, one paragraph per sentence, no page date) and goes through our
understand stage (spaCy names, dates), as in the pipeline.

The documents have no reliable dates, so the stream is a fixed shuffle: documents in order of the
SHA-256 of "<order>:<file name>", which interleaves all topics (order 0 is the headline; --orders N
runs orders 0..N-1 and prints each, their mean and their worst).  newsdossier is scored by
cross-validation over topics: five folds (topic number mod 5); each document is placed by a model
trained on the other folds' topics only (weights and both thresholds chosen on those topics' documents),
in one pass over the whole 982-document stream, then the batch refinement (`cluster_stream`); the pass
alone and the stream split into batches of --batch documents (each refined alone, earlier events kept
as stored, as repeated `build` runs do) are printed beside it.  Baselines, on the same TF-IDF body
vectors, do not depend on the order: single-link clustering of cosine at the best threshold (chosen on
the test data itself, which favours the baseline) and k-means given the gold number of clusters (86).

Throughput: `assign_events` (the pipeline's entry point, shipped model, refinement included) on the
first 250, 500 and 982 documents of the stream, best of three, one process.  --write-model trains on all
982 documents and writes src/newsdossier/data/stories_model.json (weights only, no corpus text).
Exits 0 with a message when the data is absent.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from math import comb
from pathlib import Path

import numpy as np
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import KMeans

from ecbplus import DATA, EcbDocument, load_corpus
from newsdossier import stories
from newsdossier.model import Document, Paragraph, content_id
from newsdossier.understand.analyze import DEFAULT_NER, NerBackend, load_nlp, understand_many

ROOT = Path(__file__).resolve().parents[1]
MODEL_OUT = ROOT / "src" / "newsdossier" / "data" / stories.MODEL_FILE
FOLDS = 5


def as_document(ecb: EcbDocument) -> Document:
    """An ECB+ file as the pipeline's Document: title line, one paragraph per sentence, no date."""
    paragraphs = [Paragraph(start=s, end=e, kind="title" if n == 0 else "body")
                  for n, (s, e) in enumerate(ecb.sentences)]
    return Document(id=content_id(ecb.name), source=ecb.name, kind="text", title=ecb.title, text=ecb.text,
                    paragraphs=paragraphs)


def understood(corpus: Sequence[EcbDocument], cache: Path | None, ner: NerBackend = DEFAULT_NER) -> list[Document]:
    if cache and cache.is_file():
        docs = [Document.model_validate_json(line) for line in cache.read_text(encoding="utf-8").splitlines()]
        if [d.source for d in docs] == [e.name for e in corpus]:
            return docs
    nlp = load_nlp()
    started = time.perf_counter()
    docs = understand_many([as_document(e) for e in corpus], nlp, ner=ner)
    print(f"understand stage: {len(docs)} documents in {time.perf_counter() - started:.0f} s (not part of the "
          "grouping timings below)", file=sys.stderr)
    if cache:
        cache.write_text("\n".join(d.model_dump_json() for d in docs) + "\n", encoding="utf-8")
    return docs


def stream_order(corpus: Sequence[EcbDocument], seed: int) -> list[int]:
    return sorted(range(len(corpus)), key=lambda i: hashlib.sha256(f"{seed}:{corpus[i].name}".encode()).hexdigest())


def pairwise(predicted: Sequence[object], gold: Sequence[object]) -> tuple[float, float, float]:
    """Precision, recall and F1 over all pairs of documents placed together."""
    together = sum(comb(c, 2) for c in Counter(zip(predicted, gold, strict=True)).values())
    pred = sum(comb(c, 2) for c in Counter(predicted).values())
    true = sum(comb(c, 2) for c in Counter(gold).values())
    p, r = (together / pred if pred else 0.0), (together / true if true else 0.0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def fold_models(docs: list[Document], gold: list[str], topics: list[int]) -> list[stories.StoryModel]:
    """One model per document: the one trained on the other folds' topics (in this stream's order)."""
    models: list[stories.StoryModel | None] = [None] * len(docs)
    for fold in range(FOLDS):
        train = [i for i, t in enumerate(topics) if t % FOLDS != fold]
        model = stories.train_model([docs[i] for i in train], [gold[i] for i in train])
        for i, t in enumerate(topics):
            if t % FOLDS == fold:
                models[i] = model
    return [m for m in models if m is not None]


def single_link(vectors: np.ndarray, gold: list[str]) -> tuple[float, list[int]]:
    """Single-link clusters of TF-IDF cosine at the threshold with the best B-cubed F1 (an oracle choice)."""
    best: tuple[float, float, list[int]] = (-1.0, 0.0, [])
    for threshold in np.arange(0.05, 0.95, 0.01):
        _, labels = connected_components(vectors >= threshold, directed=False)
        f1 = stories.bcubed(list(labels), gold)[2]
        if f1 > best[0]:
            best = (f1, float(threshold), [int(x) for x in labels])
    return best[1], best[2]


def row(name: str, labels: Sequence[object], gold: list[str]) -> str:
    p, r, f = stories.bcubed(list(labels), gold)
    pp, pr, pf = pairwise(labels, gold)
    return f"| {name} | {len(set(labels))} | {p:.3f} | {r:.3f} | **{f:.3f}** | {pp:.3f} | {pr:.3f} | {pf:.3f} |"


def throughput(docs: list[Document], sizes: Sequence[int]) -> list[str]:
    lines = []
    for n in sizes:
        subset = docs[:n]
        best = min(_timed(subset) for _ in range(3))
        lines.append(f"| {n} | {best:.2f} | {n / best:,.0f} |")
    return lines


def _timed(docs: list[Document]) -> float:
    started = time.perf_counter()
    stories.assign_events(docs, [])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=5, help="stream orders to score (order 0 is the headline)")
    parser.add_argument("--batch", type=int, default=100, help="batch size of the incremental run")
    parser.add_argument("--cache", type=Path, help="JSONL file to keep understood documents between runs")
    parser.add_argument("--ner", choices=["static", "spacy"], default=DEFAULT_NER, help="named-entity recogniser")
    parser.add_argument("--write-model", action="store_true", help=f"train on all documents, write {MODEL_OUT.name}")
    args = parser.parse_args()
    corpus = load_corpus()
    if corpus is None:
        print(f"ECB+ not found at {DATA}: skipping the event-grouping benchmark")
        return
    ecb = corpus.documents
    all_docs = understood(ecb, args.cache, args.ner)
    results = []
    for seed in range(max(1, args.orders)):
        order = stream_order(ecb, seed)
        docs = [all_docs[i] for i in order]
        gold = [ecb[i].event for i in order]
        models = fold_models(docs, gold, [ecb[i].topic for i in order])
        runs = {
            "refined": stories.cluster_stream(docs, models),
            "pass": stories.cluster_stream(docs, models, refine=False),
            "batches": stories.cluster_stream(docs, models, batch_size=args.batch),
        }
        thresholds = sorted({(m.accept_threshold, m.merge_threshold) for m in models})
        results.append((seed, runs, gold, thresholds, docs))
        print(f"order {seed}: B-cubed F1 {stories.bcubed(runs['refined'], gold)[2]:.3f}", file=sys.stderr)
    seed, runs, gold, thresholds, docs = results[0]
    print(f"ECB+: {len(docs)} documents, {len(set(gold))} gold events; stream order 0 (SHA-256 of '0:<file>'); "
          f"newsdossier by {FOLDS}-fold cross-validation over topics (decision / merge thresholds "
          + ", ".join(f"{a:+.2f} / {'none' if m is None else f'{m:+.2f}'}" for a, m in thresholds) + ")\n")
    print("| method | clusters | B3 P | B3 R | B3 F1 | pair P | pair R | pair F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    print(row("newsdossier (online pass + batch refinement)", runs["refined"], gold))
    print(row("newsdossier, online pass alone", runs["pass"], gold))
    print(row(f"newsdossier, in batches of {args.batch} (each refined alone)", runs["batches"], gold))
    vectors = stories._Views(docs).body
    cosine = np.asarray((vectors @ vectors.T).toarray())
    threshold, linked = single_link(cosine, gold)
    print(row(f"single-link TF-IDF cosine (best threshold {threshold:.2f})", linked, gold))
    kmeans = KMeans(n_clusters=len(set(gold)), n_init=10, random_state=0).fit_predict(vectors)
    print(row(f"k-means, k = {len(set(gold))} (gold)", [int(x) for x in kmeans], gold))
    baselines = (stories.bcubed(linked, gold)[2], stories.bcubed([int(x) for x in kmeans], gold)[2])
    kinds = ("refined", "pass", "batches")
    print(f"\nB-cubed F1 per stream order (baselines do not depend on the order: single-link {baselines[0]:.3f}, "
          f"k-means {baselines[1]:.3f}):\n")
    print(f"| order | pass + refinement | pass alone | batches of {args.batch} |")
    print("|---:|---:|---:|---:|")
    table = [[stories.bcubed(r[k], g)[2] for k in kinds] for _, r, g, _, _ in results]
    for (seed, *_), scores in zip(results, table, strict=True):
        print(f"| {seed} | " + " | ".join(f"{x:.3f}" for x in scores) + " |")
    columns = list(zip(*table, strict=True))
    print("| mean | " + " | ".join(f"**{statistics.mean(c):.3f}**" for c in columns) + " |")
    if len(results) > 1:
        print("| sd | " + " | ".join(f"{statistics.stdev(c):.3f}" for c in columns) + " |")
    print("| worst | " + " | ".join(f"{min(c):.3f}" for c in columns) + " |")
    if args.write_model:
        about = (
            "Trained by `python bench/stories.py --write-model` on ECB+ 1.0 (Cybulska & Vossen 2014, CC BY 3.0): "
            f"{len(docs)} documents, {len(set(gold))} gold events (topic x ecb/ecbplus half), one stream in "
            "SHA-256 order of '0:<file name>', documents understood by newsdossier's understand stage. "
            "Pair score fitted on every same-event pair, each document's 10 most similar other-event documents "
            "and as many random pairs; ranking and decision by teacher forcing plus one round on the model's "
            "own placements; decision and merge thresholds with the best mean B-cubed F1 of pass plus batch "
            "refinement over that stream and four shuffles of it. Weights only: no corpus text is shipped."
        )
        model = stories.train_model(docs, gold, about=about)
        MODEL_OUT.write_text(json.dumps(model.to_json(), indent=2) + "\n", encoding="utf-8")
        stories.load_model.cache_clear()
        print(f"\nwrote {MODEL_OUT.relative_to(ROOT)} (decision threshold {model.accept_threshold}, merge threshold "
              f"{model.merge_threshold})")
    print("\nThroughput of assign_events (shipped model, pass and refinement, one process, best of 3):\n")
    print("| documents | seconds | documents/s |")
    print("|---:|---:|---:|")
    for line in throughput(docs, [250, 500, len(docs)]):
        print(line)


if __name__ == "__main__":
    main()
