"""Stance of an article towards a claim: agree, disagree, discuss or unrelated.

Cheap lexical features, so it keeps up with whole pages on one CPU core: TF-IDF
cosine of the claim against the text and against its best-matching sentences,
word, bigram and character overlap, numbers and capitalised names of the claim
found in the text, refuting, hedging and reporting cue words near the matching
sentences and in the claim, and negation mismatch.  A gradient-boosted classifier
(scikit-learn) reads them together with the out-of-fold probabilities of a linear
model over the words of the best-matching sentences, which is how cue words the
fixed lists miss are learned.  The claim's own words are deliberately not features:
they let a model memorise the claims it was trained on, which helps on a benchmark
that reuses claims and hurts on claims never seen.

The model is trained by `StanceModel.fit`; `save` writes it as one JSON file
(vocabulary, idf, linear weights and the trees), so loading needs neither pickle
nor the scikit-learn version it was trained with.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np
from scipy import sparse

__all__ = ["SHIPPED_MODEL", "STANCES", "Pair", "Stance", "StanceModel", "fnc_score", "pair_features", "shipped_model"]

Stance = Literal["agree", "disagree", "discuss", "unrelated"]
STANCES: tuple[Stance, ...] = get_args(Stance)
RELATED: tuple[Stance, ...] = ("agree", "disagree", "discuss")
FORMAT = "newsdossier-stance/1"
SHIPPED_MODEL = "stance_fnc1.json.gz"
"""The model in newsdossier/data, written by `bench/stance.py --save` (its provenance is inside)."""
Pair = tuple[str, str]
"""(claim, article text): a headline or a claim sentence, and the text whose stance is asked."""

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CAPITAL = re.compile(r"(?<![\w’'])[A-Z][a-zA-Z’'-]+")


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_STOP = _wordset("""
a about above after again against all am an and any are as at be because been before being below between
both but by can did do does doing down during each few for from further had has have having he her here
hers herself him himself his how i if in into is it its itself just me more most my myself now of off on
once only or other our ours ourselves out over own same she should so some such than that the their
theirs them themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with you your yours yourself s t
""")
_NEGATION = _wordset("""
not no never none nobody nothing neither nor without cannot can't isn't wasn't aren't weren't don't
doesn't didn't won't wouldn't hasn't haven't hadn't shouldn't couldn't n't
""")
_REFUTE = _wordset("""
fake fraud hoax false falsely deny denies denied denial denying debunk debunked debunks bogus untrue
myth doubt doubts doubtful dubious retract retracted retraction prank pranks satire satirical fabricated
fabrication misleading refute refuted refutes dismiss dismissed dismisses rejects rejected contrary
incorrect wrong baseless unfounded lie lies lied phony nonsense
""")
_HEDGE = _wordset("""
reportedly allegedly alleged alleges claim claims claimed claiming purportedly purported supposedly
apparently rumor rumored rumors rumour rumours rumoured unconfirmed unverified may might could possibly possible
perhaps speculation speculate speculated suggest suggests suggested appears appear seems seem believed
believe believes likely unclear whether if report reports reported according sources
""")
_ASSERT = _wordset("""
confirmed confirms confirm confirming announced announces official officially indeed revealed reveals
true proof proven evidence verified verify video footage photos shows showed shown
""")
_CUES = {"negation": _NEGATION, "refute": _REFUTE, "hedge": _HEDGE, "assert": _ASSERT}

_STEM_SUFFIXES = ("ational", "ization", "fulness", "ousness", "iveness", "ement", "ments", "ment", "ation",
                  "ingly", "ness", "ings", "ing", "ies", "ied", "edly", "ed", "ly", "es", "s")


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """A crude suffix-stripping stem, enough to match 'denies' with 'denied' and 'missiles' with 'missile'."""
    for suffix in _STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _words(text: str) -> list[str]:
    return [m.group(0).lower().replace("’", "'") for m in _WORD.finditer(text)]


def _content(words: Iterable[str]) -> list[str]:
    return [_stem(w) for w in words if w not in _STOP and len(w) > 1]


def _sentences(text: str) -> list[str]:
    parts = [s.strip() for s in _SENTENCE_END.split(text)]
    return [s for s in parts if _WORD.search(s)] or [text]


def _char_grams(text: str, n: int = 4) -> set[str]:
    flat = " ".join(_words(text))
    return {flat[i:i + n] for i in range(max(0, len(flat) - n + 1))}


def _ngrams(words: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def _numbers(text: str) -> set[str]:
    return {m.group(0).replace(",", "") for m in _NUMBER.finditer(text)}


def _names(text: str) -> set[str]:
    """Capitalised words other than common ones: a cheap proxy for names."""
    return {w for m in _CAPITAL.finditer(text) if (w := m.group(0).lower().replace("’", "'")) not in _STOP}


class _Idf:
    """Inverse document frequency of content stems, learned from the training texts."""

    def __init__(self, idf: dict[str, float], default: float) -> None:
        self.idf = idf
        self.default = default

    @classmethod
    def fit(cls, texts: Iterable[str], min_df: int = 2) -> _Idf:
        df: Counter[str] = Counter()
        n = 0
        for text in texts:
            df.update(set(_content(_words(text))))
            n += 1
        idf = {t: round(math.log((1 + n) / (1 + c)) + 1, 3) for t, c in df.items() if c >= min_df}
        return cls(idf, round(math.log((1 + n) / 2) + 1, 3))

    def vector(self, stems: Sequence[str]) -> dict[str, float]:
        counts = Counter(stems)
        vec = {t: (1 + math.log(c)) * self.idf.get(t, self.default) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}


def _cos(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


@dataclass
class _Text:
    """What the features need of one article, computed once however many claims it is paired with."""

    sentences: list[str]
    sent_words: list[list[str]]
    sent_stems: list[list[str]]
    sent_vecs: list[dict[str, float]]
    vec: dict[str, float]
    stems: set[str]
    bigrams: set[tuple[str, ...]]
    chars: set[str]
    numbers: set[str]
    names: set[str]
    length: int
    cue_density: dict[str, float] = field(default_factory=dict)


def _read_text(text: str, idf: _Idf) -> _Text:
    sentences = _sentences(text)
    sent_words = [_words(s) for s in sentences]
    sent_stems = [_content(w) for w in sent_words]
    all_words = [w for ws in sent_words for w in ws]
    all_stems = [s for ss in sent_stems for s in ss]
    n = max(1, len(all_words))
    return _Text(
        sentences=sentences, sent_words=sent_words, sent_stems=sent_stems,
        sent_vecs=[idf.vector(s) for s in sent_stems], vec=idf.vector(all_stems), stems=set(all_stems),
        bigrams=_ngrams(_content(all_words), 2), chars=_char_grams(text), numbers=_numbers(text),
        names=_names(text), length=len(all_words),
        cue_density={k: 100 * sum(w in cues for w in all_words) / n for k, cues in _CUES.items()},
    )


FEATURE_NAMES: tuple[str, ...] = (
    "cos_text", "cos_best", "cos_second", "cos_top3", "cos_first", "best_position", "best_is_first",
    "share_stems", "share_stems_idf", "jaccard_stems", "share_best_sentence", "share_bigrams",
    "share_chars", "share_chars_first", "numbers_claim", "share_numbers", "names_claim", "share_names",
    "claim_words", "log_text_words",
    "claim_negation", "claim_refute", "claim_hedge", "claim_assert", "claim_question",
    "top_negation", "top_refute", "top_hedge", "top_assert",
    "lead_negation", "lead_refute", "lead_hedge", "lead_assert",
    "text_negation", "text_refute", "text_hedge", "text_assert",
    "negation_mismatch", "refute_parity_claim", "refute_parity_top",
)


def _cue_counts(words: Iterable[str]) -> dict[str, int]:
    c = dict.fromkeys(_CUES, 0)
    for w in words:
        for k, cues in _CUES.items():
            if w in cues:
                c[k] += 1
    return c


def _pair_features(claim: str, t: _Text, idf: _Idf) -> tuple[list[float], list[int]]:
    """The dense features of one pair, and the indices of its best-matching sentences."""
    cwords = _words(claim)
    cstems = _content(cwords)
    cset = set(cstems)
    cvec = idf.vector(cstems)
    sims = [_cos(cvec, sv) for sv in t.sent_vecs]
    order = sorted(range(len(sims)), key=lambda i: -sims[i])
    top = order[:3]
    best = order[0] if order else 0
    top_sims = [sims[i] for i in top] + [0.0, 0.0, 0.0]
    weights = {s: idf.idf.get(s, idf.default) for s in cset}
    wsum = sum(weights.values()) or 1.0
    share = len(cset & t.stems) / len(cset) if cset else 0.0
    share_idf = sum(w for s, w in weights.items() if s in t.stems) / wsum
    jacc = len(cset & t.stems) / len(cset | t.stems) if cset | t.stems else 0.0
    best_share = len(cset & set(t.sent_stems[best])) / len(cset) if cset and t.sent_stems else 0.0
    cbig = _ngrams(cstems, 2)
    share_big = len(cbig & t.bigrams) / len(cbig) if cbig else 0.0
    cchars = _char_grams(claim)
    share_chars = len(cchars & t.chars) / len(cchars) if cchars else 0.0
    first_chars = _char_grams(" ".join(t.sentences[:2]))
    share_first = len(cchars & first_chars) / len(cchars) if cchars else 0.0
    cnums = _numbers(claim)
    cnames = _names(claim)
    ccue = _cue_counts(cwords)
    top_words = [w for i in top for w in t.sent_words[i]]
    tcue = _cue_counts(top_words)
    lcue = _cue_counts(w for ws in t.sent_words[:3] for w in ws)
    claim_neg = ccue["negation"] > 0
    top_neg = tcue["negation"] > 0
    feats = [
        _cos(cvec, t.vec), top_sims[0], top_sims[1], sum(top_sims[:3]) / 3, sims[0] if sims else 0.0,
        best / max(1, len(sims) - 1), float(best == 0),
        share, share_idf, jacc, best_share, share_big, share_chars, share_first,
        float(len(cnums)), len(cnums & t.numbers) / len(cnums) if cnums else -1.0,
        float(len(cnames)), len(cnames & t.names) / len(cnames) if cnames else -1.0,
        float(len(cwords)), math.log1p(t.length),
        *(float(ccue[k]) for k in _CUES), float("?" in claim),
        *(float(tcue[k]) for k in _CUES),
        *(float(lcue[k]) for k in _CUES),
        *(t.cue_density[k] for k in _CUES),
        float(claim_neg != top_neg), float(ccue["refute"] % 2), float(tcue["refute"] % 2),
    ]
    return feats, top


def pair_features(claim: str, text: str, idf: dict[str, float] | None = None) -> dict[str, float]:
    """The named features of one pair (for inspection; `StanceModel` computes them in bulk)."""
    model = _Idf(idf or {}, 1.0)
    feats, _ = _pair_features(claim, _read_text(text, model), model)
    return dict(zip(FEATURE_NAMES, feats, strict=True))


class _Vocabulary:
    """Word and bigram indices for the linear model's sparse bag of words."""

    def __init__(self, index: dict[str, int]) -> None:
        self.index = index

    @classmethod
    def fit(cls, docs: Iterable[list[str]], min_df: int = 3, size: int = 8000) -> _Vocabulary:
        df: Counter[str] = Counter()
        for terms in docs:
            df.update(set(terms))
        kept = [t for t, c in df.most_common(size) if c >= min_df]
        return cls({t: i for i, t in enumerate(sorted(kept))})

    def rows(self, docs: Sequence[list[str]], offset: int = 0) -> sparse.csr_matrix:
        data: list[float] = []
        cols: list[int] = []
        ptr = [0]
        for terms in docs:
            counts = Counter(terms)
            norm = math.sqrt(sum(c * c for c in counts.values())) or 1.0
            for term, c in counts.items():
                col = self.index.get(term)
                if col is not None:
                    cols.append(col + offset)
                    data.append(c / norm)
            ptr.append(len(cols))
        return sparse.csr_matrix((data, cols, ptr), shape=(len(docs), offset + len(self.index)))


def _terms(words: Sequence[str], prefix: str) -> list[str]:
    stems = [_stem(w) for w in words]
    return [prefix + s for s in stems] + [prefix + a + "_" + b for a, b in pairwise(stems)]


def fnc_score(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """The FNC-1 weighted score as a share of the best possible.

    0.25 for each pair whose related/unrelated call is right, plus 0.75 when a related
    pair's exact stance is right.
    """
    def score(g: str, p: str) -> float:
        s = 0.25 if (g == "unrelated") == (p == "unrelated") else 0.0
        return s + (0.75 if g != "unrelated" and g == p else 0.0)

    best = sum(score(g, g) for g in gold)
    return sum(score(g, p) for g, p in zip(gold, predicted, strict=True)) / best if best else 0.0


class _Trees:
    """Gradient-boosted trees exported to arrays: predicts without scikit-learn's private state."""

    def __init__(self, baseline: list[float], trees: list[list[dict[str, list[Any]]]]) -> None:
        self.baseline = np.asarray(baseline, dtype=float)
        self.trees = [[{k: np.asarray(v) for k, v in t.items()} for t in it] for it in trees]

    @classmethod
    def from_sklearn(cls, clf: Any) -> _Trees:
        baseline = [float(v) for v in np.ravel(clf._baseline_prediction)]
        trees = []
        for per_iteration in clf._predictors:
            row = []
            for pred in per_iteration:
                nodes = pred.nodes
                row.append({
                    "feature": nodes["feature_idx"].astype(int).tolist(),
                    "threshold": [float(f"{t:.7g}") for t in nodes["num_threshold"]],
                    "left": nodes["left"].astype(int).tolist(),
                    "right": nodes["right"].astype(int).tolist(),
                    "leaf": nodes["is_leaf"].astype(bool).tolist(),
                    "missing_left": nodes["missing_go_to_left"].astype(bool).tolist(),
                    "value": [round(float(v), 5) for v in nodes["value"]],
                })
            trees.append(row)
        return cls(baseline, trees)

    def raw(self, x: np.ndarray) -> np.ndarray:
        out = np.tile(self.baseline, (x.shape[0], 1))
        rows = np.arange(x.shape[0])
        for per_iteration in self.trees:
            for k, t in enumerate(per_iteration):
                node = np.zeros(x.shape[0], dtype=int)
                leaf = t["leaf"]
                while True:
                    active = ~leaf[node]
                    if not active.any():
                        break
                    v = x[rows, t["feature"][node]]
                    left = np.where(np.isnan(v), t["missing_left"][node], v <= t["threshold"][node])
                    node = np.where(active, np.where(left, t["left"][node], t["right"][node]), node)
                out[:, k] += t["value"][node]
        return out

    def to_json(self) -> dict[str, Any]:
        return {"baseline": self.baseline.tolist(),
                "trees": [[{k: v.tolist() for k, v in t.items()} for t in it] for it in self.trees]}


def _softmax(raw: np.ndarray) -> np.ndarray:
    if raw.shape[1] == 1:
        p = 1 / (1 + np.exp(-raw[:, 0]))
        return np.stack([1 - p, p], axis=1)
    e = np.exp(raw - raw.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class _Batch:
    dense: np.ndarray
    terms: list[list[str]]


def _boosted(x: np.ndarray, y: np.ndarray, iterations: int, leaves: int, seed: int, balanced: bool) -> _Trees:
    from sklearn.ensemble import HistGradientBoostingClassifier

    clf = HistGradientBoostingClassifier(
        max_iter=iterations, learning_rate=0.1, max_leaf_nodes=leaves, early_stopping=False,
        l2_regularization=1.0, random_state=seed, class_weight="balanced" if balanced else None,
    )
    clf.fit(x, y)
    if list(clf.classes_) != list(range(int(y.max()) + 1)):
        raise ValueError("training labels must include every stance")
    return _Trees.from_sklearn(clf)


def _linear_fit(x: sparse.csr_matrix, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression over the related stances, as (weights, bias) in `RELATED` order."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=2.0, max_iter=200, tol=1e-3, class_weight="balanced")
    lr.fit(x, y)
    coef = np.zeros((len(RELATED), x.shape[1]))
    bias = np.zeros(len(RELATED))
    for row, cls in enumerate(lr.classes_):
        coef[int(cls)] = lr.coef_[row]
        bias[int(cls)] = lr.intercept_[row]
    return coef, bias


def _linear_proba(x: sparse.csr_matrix, coef: np.ndarray, bias: np.ndarray) -> np.ndarray:
    return _softmax(np.asarray(x @ coef.T) + bias)


class StanceModel:
    """Claim-vs-article stance in two stages: related or not, then agree / disagree / discuss.

    Stage one is boosted trees over the dense features; stage two adds the probabilities
    of a linear model over the words and word pairs of the text's two best-matching sentences
    (out-of-fold while training, so the trees do not trust it more than it deserves).
    `threads` caps the native thread pools while fitting: oversubscribed OpenMP threads on
    a shared machine make boosting tens of times slower.
    """

    def __init__(self, *, iterations: int = 100, max_leaf_nodes: int = 15, seed: int = 0,
                 threads: int | None = 1) -> None:
        self.iterations = iterations
        self.max_leaf_nodes = max_leaf_nodes
        self.seed = seed
        self.threads = threads
        self.idf = _Idf({}, 1.0)
        self.vocabulary = _Vocabulary({})
        self.linear: tuple[np.ndarray, np.ndarray] | None = None
        self.relatedness: _Trees | None = None
        self.stance: _Trees | None = None

    def _batch(self, pairs: Sequence[Pair]) -> _Batch:
        cache: dict[str, _Text] = {}
        dense: list[list[float]] = []
        terms: list[list[str]] = []
        for claim, text in pairs:
            t = cache.get(text)
            if t is None:
                t = cache[text] = _read_text(text, self.idf)
            feats, top = _pair_features(claim, t, self.idf)
            dense.append(feats)
            terms.append(_terms([w for i in top[:2] for w in t.sent_words[i]], "t:"))
        return _Batch(np.asarray(dense, dtype=float).reshape(len(pairs), len(FEATURE_NAMES)), terms)

    def fit(self, pairs: Sequence[Pair], labels: Sequence[Stance], background: Iterable[str] = ()) -> StanceModel:
        """Learn from labelled pairs; `background` texts (unlabelled) only widen the idf statistics."""
        from threadpoolctl import threadpool_limits

        if len(pairs) != len(labels):
            raise ValueError("one label per pair")
        if missing := set(STANCES) - set(labels):
            raise ValueError(f"training labels must include every stance; missing {sorted(missing)}")
        with threadpool_limits(limits=self.threads):
            return self._fit(pairs, labels, background)

    def _fit(self, pairs: Sequence[Pair], labels: Sequence[Stance], background: Iterable[str]) -> StanceModel:
        from sklearn.model_selection import GroupKFold

        y = np.asarray([STANCES.index(s) for s in labels])
        texts = sorted({t for _, t in pairs})
        self.idf = _Idf.fit([*texts, *sorted({c for c, _ in pairs}), *background])
        batch = self._batch(pairs)
        unrelated = STANCES.index("unrelated")
        related = np.flatnonzero(y != unrelated)
        self.vocabulary = _Vocabulary.fit(batch.terms[i] for i in related)
        x_terms = self.vocabulary.rows([batch.terms[i] for i in related])
        y_rel = y[related]
        coef, bias = _linear_fit(x_terms, y_rel)
        self.linear = (np.where(np.abs(coef) < 0.01, 0.0, coef.round(3)), bias.round(4))
        text_ids = {t: i for i, t in enumerate(texts)}
        groups = np.asarray([text_ids[pairs[int(i)][1]] for i in related])
        held_out = np.zeros((len(related), len(RELATED)))
        for train, held in GroupKFold(n_splits=min(4, len(set(groups)))).split(related, groups=groups):
            held_out[held] = _linear_proba(x_terms[held], *_linear_fit(x_terms[train], y_rel[train]))
        self.relatedness = _boosted(batch.dense, (y == unrelated).astype(int), self.iterations,
                                    self.max_leaf_nodes, self.seed, balanced=False)
        self.stance = _boosted(np.hstack([batch.dense[related], held_out]), y_rel, self.iterations,
                               self.max_leaf_nodes, self.seed, balanced=True)
        return self

    def predict_proba(self, pairs: Sequence[Pair]) -> np.ndarray:
        """Probabilities, one row per pair, columns in `STANCES` order."""
        if self.relatedness is None or self.stance is None or self.linear is None:
            raise RuntimeError("StanceModel is not trained: call fit() or load()")
        if not pairs:
            return np.zeros((0, len(STANCES)))
        batch = self._batch(pairs)
        lin = _linear_proba(self.vocabulary.rows(batch.terms), *self.linear)
        p_unrelated = _softmax(self.relatedness.raw(batch.dense))[:, 1:]
        p_stance = _softmax(self.stance.raw(np.hstack([batch.dense, lin])))
        return np.hstack([p_stance * (1 - p_unrelated), p_unrelated])

    def predict(self, pairs: Sequence[Pair]) -> list[Stance]:
        """The most probable stance of each (claim, text) pair."""
        return [STANCES[i] for i in self.predict_proba(pairs).argmax(axis=1)]

    def save(self, path: Path, provenance: str = "") -> None:
        """Write the trained model as JSON (gzipped if the name ends in .gz), with where its training data came from.

        Weights were rounded and the smallest dropped while fitting, which keeps the file small.
        """
        if self.relatedness is None or self.stance is None or self.linear is None:
            raise RuntimeError("nothing to save: the model is not trained")
        coef, bias = self.linear
        terms = sorted(self.vocabulary.index, key=self.vocabulary.index.__getitem__)
        keep = np.flatnonzero(np.abs(coef).max(axis=0) >= 0.01)
        data = {
            "format": FORMAT,
            "provenance": provenance,
            "params": {"iterations": self.iterations, "max_leaf_nodes": self.max_leaf_nodes, "seed": self.seed},
            "features": list(FEATURE_NAMES),
            "idf_default": self.idf.default,
            "idf": dict(sorted(self.idf.idf.items())),
            "terms": [terms[i] for i in keep],
            "linear": [[float(v) for v in row[keep]] for row in coef],
            "linear_bias": [float(v) for v in bias],
            "relatedness": self.relatedness.to_json(),
            "stance": self.stance.to_json(),
        }
        raw = json.dumps(data, separators=(",", ":")).encode()
        path.write_bytes(gzip.compress(raw, mtime=0) if path.name.endswith(".gz") else raw)

    @classmethod
    def load(cls, path: Path) -> StanceModel:
        """A model written by `save`."""
        raw = path.read_bytes()
        data = json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
        if data.get("format") != FORMAT or data.get("features") != list(FEATURE_NAMES):
            raise ValueError(f"{path}: not a stance model of this version")
        model = cls(**data["params"])
        model.idf = _Idf(data["idf"], data["idf_default"])
        model.vocabulary = _Vocabulary({t: i for i, t in enumerate(data["terms"])})
        coef = np.asarray(data["linear"], dtype=float).reshape(len(RELATED), len(data["terms"]))
        model.linear = (coef, np.asarray(data["linear_bias"], dtype=float))
        model.relatedness = _Trees(**data["relatedness"])
        model.stance = _Trees(**data["stance"])
        return model


@lru_cache(maxsize=1)
def shipped_model() -> StanceModel | None:
    """The model shipped in the package's data folder, loaded once; None if the package has none."""
    from importlib import resources

    ref = resources.files("newsdossier.data").joinpath(SHIPPED_MODEL)
    if not ref.is_file():
        return None
    with resources.as_file(ref) as path:
        return StanceModel.load(path)
