"""Stance (agree / disagree / discuss / unrelated) on FNC-1, ours against a TF-IDF + logistic-regression baseline.

    .venv/bin/python bench/stance.py [--folds 5] [--split body|topic] [--limit N] [--save PATH [--no-eval]]

Reads ../shared/bench/fnc1 (the competition test pairs, the only labelled ones there)
and splits the pairs by Body ID into folds (GroupKFold), so no article is seen in
training and scoring; both systems are trained on the other folds and scored on each
fold in turn (`--split topic` instead keeps whole topics, claims included, out of
training).  Prints macro-F1, per-class F1 and the FNC-1 weighted score as a share
of the best possible, averaged over folds, and pairs/s of prediction.  The unlabelled
`train_bodies.csv` only widens our model's idf statistics.  `--save PATH` then trains
on every pair and writes the model (JSON, gzipped if PATH ends in .gz).  Exits 0 with
a message when the data is absent.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

from newsdossier.stance import STANCES, Pair, Stance, StanceModel, fnc_score

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "bench" / "fnc1"

csv.field_size_limit(sys.maxsize)


def load(data: Path) -> tuple[list[Pair], list[Stance], list[str], list[str]]:
    """Pairs (headline, body), their stances, their Body IDs, and the unlabelled training bodies."""
    with (data / "competition_test_bodies.csv").open(encoding="utf-8", newline="") as f:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(f)}
    pairs: list[Pair] = []
    labels: list[Stance] = []
    body_ids: list[str] = []
    with (data / "competition_test_stances.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            stance = row["Stance"]
            if stance not in STANCES:
                raise ValueError(f"unknown stance {stance!r}")
            pairs.append((row["Headline"], bodies[row["Body ID"]]))
            labels.append(cast(Stance, stance))
            body_ids.append(row["Body ID"])
    background: list[str] = []
    if (data / "train_bodies.csv").exists():
        with (data / "train_bodies.csv").open(encoding="utf-8", newline="") as f:
            background = [row["articleBody"] for row in csv.DictReader(f)]
    return pairs, labels, body_ids, background


class Baseline:
    """TF-IDF of headline and body (one vectorizer fitted on the training texts), their cosine, logistic regression."""

    def fit(self, pairs: Sequence[Pair], labels: Sequence[Stance]) -> Baseline:
        self.vectorizer = TfidfVectorizer(max_features=5000, stop_words="english", sublinear_tf=True)
        self.vectorizer.fit(sorted({h for h, _ in pairs} | {b for _, b in pairs}))
        self.lr = LogisticRegression(C=1.0, max_iter=1000)
        self.lr.fit(self._x(pairs), list(labels))
        return self

    def _x(self, pairs: Sequence[Pair]) -> sparse.csr_matrix:
        h = self.vectorizer.transform([p[0] for p in pairs])
        b = self.vectorizer.transform([p[1] for p in pairs])
        cos = np.asarray(h.multiply(b).sum(axis=1))
        return sparse.hstack([h, b, sparse.csr_matrix(cos)]).tocsr()

    def predict(self, pairs: Sequence[Pair]) -> list[Stance]:
        return list(self.lr.predict(self._x(pairs)))


def topics(pairs: Sequence[Pair], labels: Sequence[Stance], body_ids: Sequence[str]) -> list[str]:
    """Each pair's topic: the connected group of headlines and bodies linked by related pairs.

    Splitting by topic keeps a claim's related articles and the claim itself out of training,
    as for claims the pipeline has never seen (splitting by Body ID lets a headline recur).
    """
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (headline, _), label, body in zip(pairs, labels, body_ids, strict=True):
        a, b = root("h:" + headline), root("b:" + body)
        if label != "unrelated":
            parent[a] = b
    return [root("b:" + body) for body in body_ids]


def evaluate(name: str, make: Callable[[list[Pair], list[Stance]], Callable[[list[Pair]], list[Stance]]],
             pairs: list[Pair], labels: list[Stance], folds: list[tuple[np.ndarray, np.ndarray]]) -> dict[str, float]:
    scores: dict[str, list[float]] = {}
    predict_s = train_s = 0.0
    for k, (train, test) in enumerate(folds):
        t0 = time.perf_counter()
        predict = make([pairs[i] for i in train], [labels[i] for i in train])
        t1 = time.perf_counter()
        predicted = predict([pairs[i] for i in test])
        t2 = time.perf_counter()
        train_s += t1 - t0
        predict_s += t2 - t1
        gold = [labels[i] for i in test]
        per_class = f1_score(gold, predicted, labels=list(STANCES), average=None, zero_division=0)
        row: dict[str, float] = {"fnc": fnc_score(gold, predicted), "macro_f1": float(np.mean(per_class))}
        row.update({str(s): float(f) for s, f in zip(STANCES, per_class, strict=True)})
        for key, v in row.items():
            scores.setdefault(key, []).append(v)
        print(f"  {name} fold {k + 1}: FNC {row['fnc']:.3f}  macro-F1 {row['macro_f1']:.3f}", flush=True)
    out = {key: float(np.mean(v)) for key, v in scores.items()}
    out["pairs_per_s"] = sum(len(t) for _, t in folds) / predict_s
    out["train_s"] = train_s / len(folds)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--split", choices=["body", "topic"], default="body",
                        help="group folds by Body ID (the FNC protocol) or by topic (claims unseen in training)")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N pairs (a quick check)")
    parser.add_argument("--save", type=Path, help="then train on all pairs and write the model here")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--no-eval", action="store_true", help="only train on all pairs and --save")
    args = parser.parse_args()
    if not (args.data / "competition_test_stances.csv").exists():
        print(f"FNC-1 data not found in {args.data}: skipping the stance benchmark")
        return
    threadpool_limits(limits=1)
    t0 = time.perf_counter()
    pairs, labels, body_ids, background = load(args.data)
    if args.limit:
        pairs, labels, body_ids = pairs[:args.limit], labels[:args.limit], body_ids[:args.limit]
    groups = body_ids if args.split == "body" else topics(pairs, labels, body_ids)
    folds = list(GroupKFold(n_splits=args.folds).split(pairs, groups=groups))
    print(f"{len(pairs)} pairs, {len(set(body_ids))} bodies, {len(set(groups))} groups, "
          f"{args.folds} folds by {'Body ID' if args.split == 'body' else 'topic'}")

    def ours(train: list[Pair], y: list[Stance]) -> Callable[[list[Pair]], list[Stance]]:
        return StanceModel().fit(train, y, background=background).predict

    def baseline(train: list[Pair], y: list[Stance]) -> Callable[[list[Pair]], list[Stance]]:
        return Baseline().fit(train, y).predict

    results: dict[str, dict[str, float]] = {}
    if not args.no_eval:
        results["ours (StanceModel)"] = evaluate("ours", ours, pairs, labels, folds)
    if not (args.skip_baseline or args.no_eval):
        results["TF-IDF + logistic regression"] = evaluate("baseline", baseline, pairs, labels, folds)
    print()
    print("| system | FNC score (% of best) | macro-F1 | " + " | ".join(f"F1 {s}" for s in STANCES)
          + " | train s/fold | pairs/s |")
    print("|---|---:|---:|" + "---:|" * len(STANCES) + "---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {100 * r['fnc']:.1f} | {r['macro_f1']:.3f} | "
              + " | ".join(f"{r[s]:.3f}" for s in STANCES)
              + f" | {r['train_s']:.1f} | {r['pairs_per_s']:,.0f} |")
    if args.save:
        import datetime as dt

        import sklearn

        provenance = (
            f"Trained {dt.date.today()} by bench/stance.py --save on all {len(pairs)} labelled pairs of FNC-1 "
            "(competition_test_stances.csv and competition_test_bodies.csv from the FakeNewsChallenge/fnc-1 "
            "repository, derived from the Emergent dataset, Ferreira & Vlachos 2016); the unlabelled "
            f"train_bodies.csv only widened the idf statistics. scikit-learn {sklearn.__version__}."
        )
        StanceModel().fit(pairs, labels, background=background).save(args.save, provenance)
        print(f"\nsaved the model trained on all {len(pairs)} pairs to {args.save} "
              f"({args.save.stat().st_size / 1024:.0f} KiB)")
    print(f"total {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
