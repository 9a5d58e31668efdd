"""Stories stage: group documents into events in one pass over a stream, keeping stored events stable.

After Miranda et al. (2018, "Multilingual clustering of streaming news"): documents arrive in date
order and each is compared with every event open so far; a learned ranking picks the best event and a
second learned model decides whether the document belongs to it or opens a new event.  Nothing is a
hand-set similarity threshold; every weight and both thresholds (join, merge) come from labelled streams
(`train_model`), and the shipped weights (data/stories_model.json) say how they were made.

How alike two documents are is one learned pair score (a logistic regression) over cosines of several
views: body words, title, title against body, lead, and, read from the lead (title and first three
paragraphs) only, the names a page mentions (spelled one way whatever the page's spelling; countries
left out), the numbers it states (counts, ages, scores: what tells two similar events apart) and its
capitalised words; plus agreement of the years and days they name (disagreement counts against,
missing dates count for nothing) and two products (numbers and years agreeing on the same subject).
A document's features against an event are its mean pair score with the event's pages, its cosine with
the event's body centroid, and the event's size; sums over pages are kept per event, so each step costs
one sparse product with the pool and no loop over pairs.  A page that names other stories in passing
(a sidebar, a "more stories" list) keeps them out of its lead views, so it stays with its main story.
Time proximity: a dated page can join only an event with a page within `window_days` of its own date
(the training corpus has no page dates, so this is the one stated constant, not learned).  The word
statistics come from the pool being grouped (new and stored pages), so a small first batch weighs words
less surely than a large one.

One pass depends on arrival order (a page that comes before its story's typical pages opens an event
of its own), so each batch is then refined (`_Batch`): every new page is re-placed as if it came last,
until none moves, and new events are merged, best first, into the event their pages would join, at a
learned merge threshold.  Only the batch's pages move and stored events are never merged, so stored
event ids stay stable; new pages are taken in date order, ties by content id, so a batch gives the
same events whatever order its pages came in.  Event ids derive from the founding document (the
earliest new page), so re-running on the same pages gives the same ids and adding pages never renames
an event.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from newsdossier.model import Document, Event
from newsdossier.understand.entities import NAME_LABELS, country_of, strip_name, translit_key

PAIR_FEATURES = ("body", "title", "title_body", "lead", "names", "numbers", "capitals", "years", "days",
                 "numbers_body", "years_body")
EVENT_FEATURES = ("mean_pair", "centroid_body", "log_size")
LEAD_PARAGRAPHS = 4  # the title and the first three paragraphs
MODEL_FILE = "stories_model.json"

_NUMBER = re.compile(r"\b\d[\d,.]*\d\b|\b\d\b")
_CLOCK = re.compile(r":\d\d|\s?[ap]\.?m\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"\b[A-Z][a-zA-Z]+\b")
_CHUNK_CELLS = 4_000_000  # pair scores computed per block: rows x pool size
_KEPT_CELLS = 4_000_000  # the pass's pair scores are kept for the refinement up to this many (new x pool)
MAX_SWEEPS = 5  # re-placement sweeps over a batch after the pass (it stops as soon as nothing moves)


@dataclass
class Assignment:
    events: list[Event]  # every event that gained documents, with its full membership
    new_event_ids: list[str]


@dataclass(frozen=True)
class Linear:
    """A logistic-regression scorer: logit = features . weights + bias."""

    weights: tuple[float, ...]
    bias: float

    def logit(self, features: np.ndarray) -> np.ndarray:
        return np.asarray(features @ np.asarray(self.weights) + self.bias)


@dataclass(frozen=True)
class StoryModel:
    """Learned weights of the pair score, the event ranking and the join-or-open decision."""

    pair: Linear
    rank: Linear
    accept: Linear
    accept_threshold: float  # join the best event when accept.logit >= this
    window_days: int = 14
    about: str = ""
    merge_threshold: float | None = None  # after the pass, merge a new event whose pages would join at this logit

    def with_thresholds(self, accept: float, merge: float | None) -> StoryModel:
        return StoryModel(self.pair, self.rank, self.accept, accept, self.window_days, self.about, merge)

    def to_json(self) -> dict[str, Any]:
        def lin(m: Linear, names: Sequence[str]) -> dict[str, Any]:
            return {"weights": dict(zip(names, (round(w, 6) for w in m.weights), strict=True)),
                    "bias": round(m.bias, 6)}
        return {
            "about": self.about,
            "pair": lin(self.pair, PAIR_FEATURES),
            "rank": lin(self.rank, EVENT_FEATURES),
            "accept": lin(self.accept, EVENT_FEATURES),
            "accept_threshold": self.accept_threshold,
            "merge_threshold": self.merge_threshold,
            "window_days": self.window_days,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoryModel:
        def lin(d: dict[str, Any], names: Sequence[str]) -> Linear:
            return Linear(tuple(float(d["weights"][n]) for n in names), float(d["bias"]))
        return cls(
            pair=lin(data["pair"], PAIR_FEATURES), rank=lin(data["rank"], EVENT_FEATURES),
            accept=lin(data["accept"], EVENT_FEATURES), accept_threshold=float(data["accept_threshold"]),
            window_days=int(data.get("window_days", 14)), about=str(data.get("about", "")),
            merge_threshold=None if data.get("merge_threshold") is None else float(data["merge_threshold"]),
        )


@lru_cache(maxsize=1)
def load_model() -> StoryModel:
    """The shipped model (trained on a labelled event corpus; see its `about`)."""
    text = resources.files("newsdossier").joinpath("data", MODEL_FILE).read_text(encoding="utf-8")
    return StoryModel.from_json(json.loads(text))


# ---------------------------------------------------------------- document views


@lru_cache(maxsize=65536)
def _is_country(name: str) -> bool:
    return country_of(name) is not None


def _capitals(text: str) -> list[str]:
    return [w for w in _CAPITALISED.findall(text) if not _is_country(w)]


def _names(doc: Document) -> list[str]:
    """Spelling keys of the names the lead mentions, with a person's surname as a key of its own.  Countries
    (and their capitals and demonyms) are left out: one country hosts many stories, and in a small pool
    nothing would discount them."""
    out = []
    end = _lead_end(doc)
    for m in doc.mentions:
        if m.start >= end or m.label not in NAME_LABELS or (m.label != "PERSON" and _is_country(m.text)):
            continue
        key = translit_key(strip_name(m.text))
        if not key:
            continue
        out.append(key.replace(" ", "_"))
        if m.label == "PERSON" and " " in key:
            out.append(key.rsplit(" ", 1)[-1])
    return out


def _numbers(doc: Document) -> list[str]:
    """The numbers the lead states, leaving out those inside its dates and clock times (the date views
    weigh those): counts, ages, scores and amounts are what tell two similar events apart."""
    spans = sorted((d.start, d.end) for d in doc.dates)
    out = []
    for m in _NUMBER.finditer(doc.text, 0, _lead_end(doc)):
        if _CLOCK.match(doc.text, m.end()) or (m.start() > 0 and doc.text[m.start() - 1] == ":"):
            continue
        if any(s <= m.start() < e for s, e in spans):
            continue
        out.append(m.group().replace(",", ""))
    return out


def _lead_end(doc: Document) -> int:
    paras = doc.paragraphs
    return paras[min(LEAD_PARAGRAPHS, len(paras)) - 1].end if paras else min(len(doc.text), 1000)


def _lead(doc: Document) -> str:
    return doc.text[: _lead_end(doc)]


def _tfidf(texts: Sequence[str], **options: Any) -> tuple[sp.csr_matrix, TfidfVectorizer | None]:
    """L2-normalised TF-IDF rows fitted on `texts`; all-zero rows when there is no vocabulary at all."""
    vectorizer = TfidfVectorizer(sublinear_tf=True, **options)
    try:
        return sp.csr_matrix(vectorizer.fit_transform(texts)), vectorizer
    except ValueError:  # nothing but stop words or symbols
        return sp.csr_matrix((len(texts), 1)), None


def _binary(sets: Sequence[set[str]]) -> sp.csr_matrix:
    vocab = {v: i for i, v in enumerate(sorted(set().union(*sets)))} if sets else {}
    rows = [i for i, s in enumerate(sets) for _ in s]
    cols = [vocab[v] for s in sets for v in sorted(s)]
    matrix = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sets), max(1, len(vocab))))
    return sp.csr_matrix(normalize(matrix))


class _Views:
    """The pool's documents as sparse rows, one matrix per view, fitted on the pool itself."""

    def __init__(self, docs: Sequence[Document]) -> None:
        texts = [d.text for d in docs]
        self.body, words = _tfidf(texts, stop_words="english")
        if words is None:
            self.title = self.lead = sp.csr_matrix(self.body.shape)
        else:
            self.title = sp.csr_matrix(normalize(words.transform([d.title or "" for d in docs])))
            self.lead = sp.csr_matrix(normalize(words.transform([_lead(d) for d in docs])))
        token = {"token_pattern": r"\S+", "lowercase": False}
        self.names, _ = _tfidf([" ".join(_names(d)) for d in docs], **token)
        self.numbers, _ = _tfidf([" ".join(_numbers(d)) for d in docs], **token)
        self.capitals, _ = _tfidf([" ".join(_capitals(_lead(d))) for d in docs], **token)
        self.years = _binary([{v.value[:4] for v in d.dates if v.value} for d in docs])
        self.days = _binary([{v.value for v in d.dates if v.value and len(v.value) == 10} for d in docs])
        self.has_years = np.asarray(self.years.sum(axis=1)).ravel() > 0
        self.has_days = np.asarray(self.days.sum(axis=1)).ravel() > 0
        self.self_body = np.asarray(self.body.multiply(self.body).sum(axis=1)).ravel()
        self._t = {name: sp.csr_matrix(getattr(self, name).T) for name in
                   ("body", "title", "lead", "names", "numbers", "capitals", "years", "days")}

    def __len__(self) -> int:
        return int(self.body.shape[0])

    def columns(self, cols: np.ndarray) -> dict[str, Any]:
        """What `block` needs to compare rows with documents `cols` only (the pool when not given)."""
        out: dict[str, Any] = {name: sp.csr_matrix(t[:, cols]) for name, t in self._t.items()}
        out["has_years"], out["has_days"] = self.has_years[cols], self.has_days[cols]
        return out

    def block(self, rows: np.ndarray, cols: dict[str, Any] | None = None) -> dict[str, np.ndarray]:
        """Every pair feature of documents `rows` against the whole pool, or against `columns(...)` (rows x cols)."""
        t = cols if cols is not None else {**self._t, "has_years": self.has_years, "has_days": self.has_days}

        def dot(view: str, other: str | None = None) -> np.ndarray:
            return np.asarray((getattr(self, view)[rows] @ t[other or view]).toarray())

        years = 2 * dot("years") - np.outer(self.has_years[rows], t["has_years"])
        days = 2 * dot("days") - np.outer(self.has_days[rows], t["has_days"])
        body = dot("body")
        numbers = dot("numbers")
        return {
            "numbers_body": numbers * body, "years_body": years * body,
            "body": body, "title": dot("title"), "title_body": (dot("title", "body") + dot("body", "title")) / 2,
            "lead": dot("lead"), "names": dot("names"), "numbers": numbers, "capitals": dot("capitals"),
            "years": years, "days": days,
        }

    def pairs(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Pair features of documents left[k] and right[k] (k pairs x features)."""
        def rowdot(a: sp.csr_matrix, b: sp.csr_matrix) -> np.ndarray:
            return np.asarray(a[left].multiply(b[right]).sum(axis=1)).ravel()

        both_years = self.has_years[left] & self.has_years[right]
        both_days = self.has_days[left] & self.has_days[right]
        cols = {
            "body": rowdot(self.body, self.body), "title": rowdot(self.title, self.title),
            "title_body": (rowdot(self.title, self.body) + rowdot(self.body, self.title)) / 2,
            "lead": rowdot(self.lead, self.lead), "names": rowdot(self.names, self.names),
            "numbers": rowdot(self.numbers, self.numbers), "capitals": rowdot(self.capitals, self.capitals),
            "years": 2 * rowdot(self.years, self.years) - both_years,
            "days": 2 * rowdot(self.days, self.days) - both_days,
        }
        cols["numbers_body"] = cols["numbers"] * cols["body"]
        cols["years_body"] = cols["years"] * cols["body"]
        return np.stack([cols[f] for f in PAIR_FEATURES], axis=1)


# ---------------------------------------------------------------- the stream


def _pair_logits(block: dict[str, np.ndarray], weights: np.ndarray, biases: np.ndarray) -> np.ndarray:
    """Pair scores of a block (rows x columns) given each row's pair weights (rows x features)."""
    total = np.repeat(biases[:, None], block["body"].shape[1], axis=1)
    for f, name in enumerate(PAIR_FEATURES):
        total += weights[:, f][:, None] * block[name]
    return total


@dataclass
class _Trace:
    """Per-step event features and labels, recorded while clustering a labelled stream."""

    features: list[np.ndarray] = field(default_factory=list)
    labels: list[np.ndarray] = field(default_factory=list)


def _ordinal(doc: Document) -> float:
    return float(doc.date.toordinal()) if doc.date else math.nan


def _cluster(
    views: _Views,
    docs: Sequence[Document],
    order: Sequence[int] | np.ndarray,
    labels: np.ndarray,
    models: Sequence[StoryModel],
    gold: Sequence[str] | None = None,
    teacher: bool = False,
    trace: _Trace | None = None,
    nearest: np.ndarray | None = None,
    blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None,
) -> np.ndarray:
    """Event index of every pool document after `order` (unlabelled positions) have been placed in turn.

    `labels` holds the stored events' members (-1 elsewhere); `models[i]` decides for document i.  With
    `gold`, `trace` records each step's candidates and whether each holds the document's gold event;
    `teacher` then places every document in its gold event (as training by teacher forcing needs).
    `nearest[i]`, when given, receives the event ranked first for document i, joined or not, and
    `blocks` each block's rows, pair scores and body cosines against the pool (for the refinement).
    """
    labels = labels.copy()
    n_events = int(labels.max()) + 1 if len(labels) and labels.max() >= 0 else 0
    capacity = max(16, 2 * (n_events + len(order)))
    size = np.zeros(capacity)
    norm2 = np.zeros(capacity)
    first = np.full(capacity, math.nan)
    last = np.full(capacity, math.nan)
    majority: list[Counter[str]] = [Counter() for _ in range(capacity)]
    dates = np.array([_ordinal(d) for d in docs])
    for k in range(n_events):
        members = np.flatnonzero(labels == k)
        size[k] = len(members)
        total = np.asarray(views.body[members].sum(axis=0)).ravel()
        norm2[k] = float(total @ total)
        dated = dates[members][~np.isnan(dates[members])]
        if len(dated):
            first[k], last[k] = dated.min(), dated.max()
        if gold is not None:
            majority[k].update(gold[int(j)] for j in members)
    weights = np.array([m.pair.weights for m in models])
    biases = np.array([m.pair.bias for m in models])
    step = max(1, _CHUNK_CELLS // max(1, len(views)))
    order = list(order)
    for start in range(0, len(order), step):
        rows = np.array(order[start : start + step], dtype=int)
        block = views.block(rows)
        scores = _pair_logits(block, weights[rows], biases[rows])
        body = block["body"]
        if blocks is not None:
            blocks.append((rows, scores, body))
        for r, i in enumerate(rows):
            placed = labels >= 0
            placed[i] = False
            lab = labels[placed]
            body_sums = np.bincount(lab, weights=body[r][placed], minlength=n_events)
            live = np.flatnonzero(size[:n_events] > 0)
            event = -1
            if len(live):
                sums = np.bincount(lab, weights=scores[r][placed], minlength=n_events)[live]
                feats = np.stack([
                    sums / size[live],
                    np.where(norm2[live] > 0, body_sums[live] / np.sqrt(np.maximum(norm2[live], 1e-12)), 0.0),
                    np.log(size[live]),
                ], axis=1)
                model = models[i]
                allowed = np.ones(len(live), dtype=bool)
                if not math.isnan(dates[i]):
                    window = model.window_days
                    allowed = np.isnan(first[live]) | ((dates[i] >= first[live] - window)
                                                       & (dates[i] <= last[live] + window))
                hit = np.array([bool(majority[k]) and majority[k].most_common(1)[0][0] == gold[i] for k in live],
                               dtype=bool) if gold is not None else np.zeros(len(live), dtype=bool)
                if trace is not None and gold is not None and allowed.any():
                    trace.features.append(feats[allowed])
                    trace.labels.append(hit[allowed].astype(int))
                if teacher:
                    hits = np.flatnonzero(hit & allowed)
                    event = int(live[hits[0]]) if len(hits) else -1
                elif allowed.any():
                    best = int(np.argmax(np.where(allowed, model.rank.logit(feats), -np.inf)))
                    if nearest is not None:
                        nearest[i] = live[best]
                    if float(model.accept.logit(feats[best])) >= model.accept_threshold:
                        event = int(live[best])
            if event < 0:
                event = n_events
                n_events += 1
                norm2[event] = views.self_body[i]
            else:
                norm2[event] += 2 * body_sums[event] + views.self_body[i]
            labels[i] = event
            size[event] += 1
            if not math.isnan(dates[i]):
                first[event] = np.fmin(first[event], dates[i])
                last[event] = np.fmax(last[event], dates[i])
            if gold is not None:
                majority[event][gold[i]] += 1
    return labels


# ---------------------------------------------------------------- refining the batch


def _event_features(pair_sums: np.ndarray, body_sums: np.ndarray, size: np.ndarray, norm2: np.ndarray) -> np.ndarray:
    """EVENT_FEATURES of one document (or one group of pages) against events, from its sums over their pages."""
    centroid = np.where(norm2 > 0, body_sums / np.sqrt(np.maximum(norm2, 1e-12)), 0.0)
    return np.stack(np.broadcast_arrays(pair_sums / size, centroid, np.log(size)), axis=-1)


class _Batch:
    """The events this batch's documents belong to after the online pass, refined without the pass's order.

    A one-pass placement depends on arrival order: a document that arrives before its event's typical
    pages founds an event of its own, and the first page of a new story can join a similar story when
    nothing else is open yet.  Two bounded steps undo most of that, over the events the batch's pages
    joined or had ranked first (stored pages never move and stored events are never merged, so their
    ids stay stable): `reassign` re-places each new document, left out of its event, by the same ranking
    and decision as the pass, until nothing moves (at most `sweeps` rounds); `merge` then joins, best
    first, a new event to the event its pages would, on average, join (the decision's own features,
    averaged over its pages) when the decision's logit reaches the model's `merge_threshold`, learned
    like the pass's threshold.  Each new document keeps its sums of pair scores and cosines against
    every such event, so a move or a merge updates columns and nothing is recomputed; memory is
    new documents x events.
    """

    def __init__(self, views: _Views, docs: Sequence[Document], labels: np.ndarray, rows: Sequence[int] | np.ndarray,
                 models: Sequence[StoryModel], fixed: int, nearest: np.ndarray | None = None,
                 blocks: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]] = ()) -> None:
        self.views, self.models = views, models
        self.labels = labels.copy()
        self.rows = np.asarray(rows, dtype=int)
        near = nearest[self.rows] if nearest is not None else np.zeros(0, dtype=int)
        touched = np.unique(np.concatenate([labels[self.rows], near[near >= 0]])).astype(int)
        self.touched = touched
        n_cols = len(touched) + min(len(self.rows), 16)  # room for events the reassignment opens
        lookup = np.full(int(labels.max()) + 2 if len(labels) else 1, -1)
        lookup[touched] = np.arange(len(touched))
        self.col = lookup[labels]  # labels of -1 read the last slot, -1
        pooled = np.flatnonzero(self.col >= 0)
        member = sp.csr_matrix((np.ones(len(pooled)), (pooled, self.col[pooled])), shape=(len(labels), n_cols))
        self.size = np.asarray(member.sum(axis=0)).ravel()
        totals = sp.csr_matrix(member.T @ views.body)
        self.norm2 = np.asarray(totals.multiply(totals).sum(axis=1)).ravel()
        self.stored = np.zeros(n_cols, dtype=bool)
        self.stored[: len(touched)] = touched < fixed
        self.used = len(touched)
        self.dates = np.array([_ordinal(d) for d in docs])
        self.first = np.full(n_cols, math.nan)
        self.last = np.full(n_cols, math.nan)
        dated = pooled[~np.isnan(self.dates[pooled])]
        np.fmin.at(self.first, self.col[dated], self.dates[dated])
        np.fmax.at(self.last, self.col[dated], self.dates[dated])
        self.weights = np.array([m.pair.weights for m in models])
        self.biases = np.array([m.pair.bias for m in models])
        self.rank_w, self.rank_b = np.array([m.rank.weights for m in models]), np.array([m.rank.bias for m in models])
        self.accept_w = np.array([m.accept.weights for m in models])
        self.accept_b = np.array([m.accept.bias for m in models])
        self.accept_t = np.array([m.accept_threshold for m in models])
        self.window = np.array([m.window_days for m in models], dtype=float)
        self.new_columns: dict[str, Any] | None = None
        self.pair_sums = np.zeros((len(self.rows), n_cols))
        self.body_sums = np.zeros((len(self.rows), n_cols))
        if not blocks:
            step = max(1, _CHUNK_CELLS // max(1, len(labels)))
            blocks = [self._block(self.rows[start : start + step]) for start in range(0, len(self.rows), step)]
        start = 0
        for chunk, scores, body in blocks:
            local = np.arange(len(chunk))
            scores[local, chunk] = 0.0
            body[local, chunk] = 0.0
            self.pair_sums[start : start + len(chunk)] = (member.T @ scores.T).T
            self.body_sums[start : start + len(chunk)] = (member.T @ body.T).T
            start += len(chunk)

    def _block(self, chunk: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        block = self.views.block(chunk)
        return chunk, _pair_logits(block, self.weights[chunk], self.biases[chunk]), block["body"]

    def copy(self) -> _Batch:
        other = object.__new__(_Batch)
        other.__dict__.update({k: v.copy() if isinstance(v, np.ndarray) else v for k, v in self.__dict__.items()})
        return other

    def _allowed(self, date: float, window: int, cols: np.ndarray) -> np.ndarray:
        if math.isnan(date):
            return np.ones(len(cols), dtype=bool)
        return np.isnan(self.first[cols]) | ((date >= self.first[cols] - window) & (date <= self.last[cols] + window))

    def _span(self, c: int) -> None:
        dates = self.dates[self.col == c]
        dates = dates[~np.isnan(dates)]
        self.first[c], self.last[c] = (dates.min(), dates.max()) if len(dates) else (math.nan, math.nan)

    def _move(self, r: int, source: int, target: int) -> None:
        """Document rows[r] leaves column `source` for `target`: update every new document's sums."""
        if self.new_columns is None:
            self.new_columns = self.views.columns(self.rows)
        block = self.views.block(self.rows[r : r + 1], self.new_columns)
        scores = self.biases[self.rows].copy()
        for f, name in enumerate(PAIR_FEATURES):
            scores += self.weights[self.rows, f] * block[name][0]
        body = block["body"][0].copy()
        scores[r] = body[r] = 0.0
        self.pair_sums[:, source] -= scores
        self.pair_sums[:, target] += scores
        self.body_sums[:, source] -= body
        self.body_sums[:, target] += body

    def _open(self) -> int:
        """A column for a new event, widening every per-event array when all are in use."""
        if self.used == len(self.size):
            extra = max(16, len(self.size) // 2)

            def wider(a: np.ndarray, fill: float) -> np.ndarray:
                pad = np.full((*a.shape[:-1], extra), fill, dtype=a.dtype)
                return np.concatenate([a, pad], axis=-1)
            self.size, self.norm2 = wider(self.size, 0), wider(self.norm2, 0)
            self.first, self.last = wider(self.first, math.nan), wider(self.last, math.nan)
            self.stored = wider(self.stored, False)
            self.pair_sums, self.body_sums = wider(self.pair_sums, 0), wider(self.body_sums, 0)
        self.used += 1
        return self.used - 1

    def _restless(self) -> np.ndarray:
        """Rows whose document the decision would now take out of its event, all judged on the current state
        (each left out of its own event; date windows on the events' spans as they stand)."""
        out = []
        n_cols = self.used
        step = max(1, _CHUNK_CELLS // (4 * max(1, n_cols)))
        for start in range(0, len(self.rows), step):
            rows = self.rows[start : start + step]
            local = np.arange(len(rows))
            home = self.col[rows]
            size = np.repeat(self.size[None, :n_cols], len(rows), axis=0)
            norm2 = np.repeat(self.norm2[None, :n_cols], len(rows), axis=0)
            body_sums = self.body_sums[start : start + len(rows), :n_cols]
            size[local, home] -= 1
            norm2[local, home] -= 2 * body_sums[local, home] + self.views.self_body[rows]
            feats = _event_features(self.pair_sums[start : start + len(rows), :n_cols], body_sums,
                                    np.maximum(size, 1), norm2)
            dates = self.dates[rows][:, None]
            first, last = self.first[None, :n_cols], self.last[None, :n_cols]
            window = self.window[rows][:, None]
            allowed = (size > 0) & (np.isnan(dates) | np.isnan(first)
                                    | ((dates >= first - window) & (dates <= last + window)))
            rank = np.einsum("rcf,rf->rc", feats, self.rank_w[rows]) + self.rank_b[rows][:, None]
            best = np.argmax(np.where(allowed, rank, -np.inf), axis=1)
            accept = np.einsum("rf,rf->r", feats[local, best], self.accept_w[rows]) + self.accept_b[rows]
            join = allowed[local, best] & (accept >= self.accept_t[rows])
            stays = np.where(join, best == home, size[local, home] == 0)
            out.extend((start + local[~stays]).tolist())
        return np.array(out, dtype=int)

    def reassign(self, sweeps: int) -> None:
        """Re-place, in turn, each new document the decision would take out of its event (as if it arrived
        last), until none would (at most `sweeps` rounds)."""
        self_body = self.views.self_body
        for _ in range(sweeps):
            moved = False
            for r in self._restless():
                i = int(self.rows[r])
                home = int(self.col[i])
                model = self.models[i]
                self.size[home] -= 1
                self.norm2[home] -= 2 * self.body_sums[r, home] + self_body[i]
                self.col[i] = -1
                if not math.isnan(self.dates[i]):
                    self._span(home)
                live = np.flatnonzero(self.size[: self.used] > 0)
                target = -1
                if len(live):
                    feats = _event_features(self.pair_sums[r, live], self.body_sums[r, live], self.size[live],
                                            self.norm2[live])
                    allowed = self._allowed(self.dates[i], model.window_days, live)
                    if allowed.any():
                        best = int(np.argmax(np.where(allowed, model.rank.logit(feats), -np.inf)))
                        if float(model.accept.logit(feats[best])) >= model.accept_threshold:
                            target = int(live[best])
                if target < 0:
                    target = home if self.size[home] == 0 else self._open()
                if target != home:
                    self._move(r, home, target)
                    moved = True
                self.col[i] = target
                self.size[target] += 1
                self.norm2[target] += 2 * self.body_sums[r, target] + self_body[i]
                self.first[target] = np.fmin(self.first[target], self.dates[i])
                self.last[target] = np.fmax(self.last[target], self.dates[i])
            if not moved:
                return

    def merge(self, threshold: float | None = None) -> None:
        """Join new events into other touched events, best first, while the decision says join
        (at each event's model's merge threshold, or at `threshold` when given)."""
        n_cols = self.used
        groups = sp.csr_matrix((np.ones(len(self.rows)), (self.col[self.rows], np.arange(len(self.rows)))),
                               shape=(n_cols, len(self.rows)))
        pair = np.asarray(groups @ self.pair_sums[:, :n_cols])  # pair[s, t]: sum over s's new pages x t's pages
        body = np.asarray(groups @ self.body_sums[:, :n_cols])
        owner = np.full(n_cols, len(self.rows))
        np.minimum.at(owner, self.col[self.rows], np.arange(len(self.rows)))
        while True:
            live = np.flatnonzero(self.size[:n_cols] > 0)
            movable = live[~self.stored[live]]
            if not len(movable) or len(live) < 2:
                return
            owners = [self.models[int(self.rows[owner[s]])] for s in movable]
            size_s = self.size[movable][:, None]
            feats = _event_features(pair[np.ix_(movable, live)] / size_s, body[np.ix_(movable, live)] / size_s,
                                    self.size[live][None, :], self.norm2[live][None, :])
            window = np.array([m.window_days for m in owners])[:, None]
            allowed = (movable[:, None] != live[None, :]) & (
                np.isnan(self.first[movable])[:, None] | np.isnan(self.first[live])[None, :]
                | ((self.first[movable][:, None] <= self.last[live][None, :] + window)
                   & (self.last[movable][:, None] >= self.first[live][None, :] - window)))
            rank = (np.einsum("slf,sf->sl", feats, np.array([m.rank.weights for m in owners]))
                    + np.array([m.rank.bias for m in owners])[:, None])
            best = np.argmax(np.where(allowed, rank, -np.inf), axis=1)
            picked = feats[np.arange(len(movable)), best]
            accept = (np.einsum("sf,sf->s", picked, np.array([m.accept.weights for m in owners]))
                      + np.array([m.accept.bias for m in owners]))
            limit = [threshold if threshold is not None else m.merge_threshold for m in owners]
            limits = np.array([np.inf if x is None else x for x in limit])
            margin = np.where(allowed[np.arange(len(movable)), best], accept - limits, -np.inf)
            a = int(np.argmax(margin))
            if margin[a] < 0:
                return
            s, t = int(movable[a]), int(live[best[a]])
            self.norm2[t] += self.norm2[s] + 2 * body[s, t]
            self.size[t] += self.size[s]
            self.size[s] = 0
            self.first[t] = np.fmin(self.first[t], self.first[s])
            self.last[t] = np.fmax(self.last[t], self.last[s])
            owner[t] = min(owner[t], owner[s])
            for sums in (pair, body):
                sums[t, :] += sums[s, :]
                sums[s, :] = 0.0
            for sums in (pair, body, self.pair_sums, self.body_sums):
                sums[:, t] += sums[:, s]
                sums[:, s] = 0.0
            self.col[self.col == s] = t

    def result(self, n_events: int) -> np.ndarray:
        """Event index of every pool document: touched events keep theirs, events opened here get new ones."""
        labels = self.labels.copy()
        names = np.concatenate([self.touched, n_events + np.arange(self.used - len(self.touched))])
        labels[self.rows] = names[self.col[self.rows]]
        return labels


def _passed(views: _Views, docs: Sequence[Document], labels: np.ndarray, rows: Sequence[int] | np.ndarray,
            models: Sequence[StoryModel]) -> tuple[np.ndarray, _Batch]:
    """The online pass over `rows` and the batch it leaves to refine (the events already in `labels` are
    stored).  The pass's pair scores are kept for the refinement when they fit in `_KEPT_CELLS`."""
    nearest = np.full(len(labels), -1)
    blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] | None = (
        [] if len(rows) * len(labels) <= _KEPT_CELLS else None)
    placed = _cluster(views, docs, rows, labels, models, nearest=nearest, blocks=blocks)
    fixed = int(labels.max()) + 1 if len(labels) else 0
    return placed, _Batch(views, docs, placed, rows, models, fixed, nearest, blocks or ())


def _placed(views: _Views, docs: Sequence[Document], labels: np.ndarray, rows: Sequence[int] | np.ndarray,
            models: Sequence[StoryModel], refine: bool = True) -> np.ndarray:
    """Labels after the online pass over `rows` and, unless `refine` is off, the batch refinement (the
    events already in `labels` are stored: they keep their pages and are never merged)."""
    if not refine:
        return _cluster(views, docs, rows, labels, models)
    placed, batch = _passed(views, docs, labels, rows, models)
    batch.reassign(MAX_SWEEPS)
    batch.merge()
    return batch.result(int(placed.max()) + 1)


# ---------------------------------------------------------------- the pipeline's entry point


def _date_order(doc: Document) -> tuple[str, str]:
    return (doc.date.isoformat() if doc.date else "9999", doc.id)


def event_id_for(founder: Document) -> str:
    return "ev-" + founder.id.split("-", 1)[-1][:12]


def event_date(docs: Sequence[Document]) -> str | None:
    """The day most documents name (each votes once per day), else the earliest page date."""
    votes: Counter[str] = Counter()
    for doc in docs:
        votes.update({d.value for d in doc.dates if d.value and len(d.value) == 10})
    if votes:
        best = max(votes.values())
        return min(v for v, n in votes.items() if n == best)
    dated = sorted(d.date for d in docs if d.date)
    return dated[0].isoformat() if dated else None


def central_title(docs: Sequence[Document]) -> str:
    """Title of the document most like the others (the one that best stands for the event)."""
    titled = [d for d in docs if d.title] or list(docs)
    if len(titled) <= 2:
        return titled[0].title or titled[0].source
    matrix, _ = _tfidf([f"{d.title}\n{d.title}\n{d.text}" for d in titled], stop_words="english")
    sims = (matrix @ matrix.T).toarray().sum(axis=1)
    best = titled[int(np.argmax(sims))]
    return best.title or best.source


def cluster_stream(
    docs: Sequence[Document],
    model: StoryModel | Sequence[StoryModel] | None = None,
    *,
    refine: bool = True,
    batch_size: int | None = None,
) -> list[int]:
    """Event index of each document, placing them one by one in the order given, then refining each batch.

    `model` may be one model, or one per document (cross-validation: each document decided by a model
    that never saw its labels).  By default the whole stream is one batch; with `batch_size` it arrives in
    batches of that many documents, each grouped as `assign_events` does: against the events of the
    earlier batches, which stay as they are, with word statistics from the documents seen so far.
    `refine=False` gives the online pass alone.
    """
    if not docs:
        return []
    models = [model or load_model()] * len(docs) if not isinstance(model, Sequence) else list(model)
    labels = np.full(len(docs), -1)
    size = batch_size or len(docs)
    for start in range(0, len(docs), size):
        end = min(len(docs), start + size)
        pool = docs[:end]
        views = _Views(pool)
        labels[:end] = _placed(views, pool, labels[:end], range(start, end), models[:end], refine)
    return [int(x) for x in labels]


def assign_events(
    new_docs: Sequence[Document],
    existing: Sequence[tuple[Event, Sequence[Document]]],
    model: StoryModel | None = None,
) -> Assignment:
    """Events that `new_docs` join or found, given the events already stored (which keep their ids)."""
    if not new_docs:
        return Assignment([], [])
    model = model or load_model()
    stored = [(ev, list(docs)) for ev, docs in existing if docs]
    pool = [d for _, docs in stored for d in docs] + sorted(new_docs, key=_date_order)
    labels = np.full(len(pool), -1)
    pos = 0
    for k, (_, docs) in enumerate(stored):
        labels[pos : pos + len(docs)] = k
        pos += len(docs)
    views = _Views(pool)
    result = _placed(views, pool, labels, range(pos, len(pool)), [model] * len(pool))
    members: dict[int, list[Document]] = {}
    for i, doc in enumerate(pool):
        members.setdefault(int(result[i]), []).append(doc)
    events: list[Event] = []
    created: list[str] = []
    for k in dict.fromkeys(int(result[i]) for i in range(pos, len(pool))):
        docs = members[k]
        old = stored[k][0] if k < len(stored) else None
        if old is None:
            ev_id = event_id_for(docs[0])
            created.append(ev_id)
        else:
            ev_id = old.id
        events.append(Event(
            id=ev_id,
            title=old.title if old is not None and len(docs) == 1 else central_title(docs),
            date=event_date(docs),
            doc_ids=[d.id for d in sorted(docs, key=_date_order)],
        ))
    return Assignment(events, created)


# ---------------------------------------------------------------- training


def _pair_sample(views: _Views, gold: Sequence[str], rng: np.random.Generator, hard: int = 10) -> tuple[
        np.ndarray, np.ndarray]:
    """Pairs to fit the pair score on: every same-event pair, each document's `hard` most similar
    documents of other events (the similar-but-different cases), and as many random pairs again."""
    n = len(gold)
    by_event: dict[str, list[int]] = {}
    for i, g in enumerate(gold):
        by_event.setdefault(g, []).append(i)
    left: list[int] = []
    right: list[int] = []
    for members in by_event.values():
        for m in range(len(members)):
            left += [members[m]] * (len(members) - m - 1)
            right += members[m + 1 :]
    labels = np.array(gold)
    step = max(1, _CHUNK_CELLS // max(1, n))
    for start in range(0, n, step):
        rows = np.arange(start, min(n, start + step))
        sims = np.asarray((views.body[rows] @ views.body.T).toarray())
        sims[labels[rows][:, None] == labels[None, :]] = -1
        nearest = np.argsort(-sims, axis=1)[:, :hard]
        for r, row in enumerate(rows):
            left += [int(row)] * nearest.shape[1]
            right += [int(j) for j in nearest[r]]
    count = len(left)
    first = np.concatenate([np.array(left, dtype=int), rng.integers(0, n, count)])
    second = np.concatenate([np.array(right, dtype=int), rng.integers(0, n, count)])
    keep = first != second
    return first[keep], second[keep]


def _fit(x: np.ndarray, y: np.ndarray) -> Linear:
    if len(set(y.tolist())) < 2:  # one class only: a constant scorer that says so
        return Linear(tuple(0.0 for _ in range(x.shape[1])), 5.0 if y.size and y[0] else -5.0)
    fitted = LogisticRegression(C=1.0, max_iter=5000).fit(x, y)
    return Linear(tuple(float(w) for w in fitted.coef_[0]), float(fitted.intercept_[0]))


def _fit_decisions(trace: _Trace, pair: Linear, threshold: float, about: str, window: int) -> StoryModel:
    """Ranking over all candidates of each step; the decision on the top-ranked candidate only."""
    rank = _fit(np.concatenate(trace.features), np.concatenate(trace.labels))
    tops = [int(np.argmax(rank.logit(f))) for f in trace.features]
    accept = _fit(np.stack([f[t] for f, t in zip(trace.features, tops, strict=True)]),
                  np.array([lab[t] for lab, t in zip(trace.labels, tops, strict=True)]))
    return StoryModel(pair=pair, rank=rank, accept=accept, accept_threshold=threshold, window_days=window, about=about)


def bcubed(predicted: Sequence[Any], gold: Sequence[Any]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering against gold labels."""
    pairs = Counter(zip(predicted, gold, strict=True))
    pred_size = Counter(predicted)
    gold_size = Counter(gold)
    n = len(gold)
    if not n:
        return 0.0, 0.0, 0.0
    precision = sum(c * c / pred_size[p] for (p, _), c in pairs.items()) / n
    recall = sum(c * c / gold_size[g] for (_, g), c in pairs.items()) / n
    return precision, recall, 2 * precision * recall / (precision + recall)


def _fit_weights(docs: Sequence[Document], gold: Sequence[str], rounds: int, window_days: int, about: str,
                 seed: int) -> StoryModel:
    """Pair score, ranking and decision learned from a labelled stream (thresholds left at 0)."""
    views = _Views(docs)
    left, right = _pair_sample(views, gold, np.random.default_rng(seed))
    y = (np.array(gold)[left] == np.array(gold)[right]).astype(int)
    pair = _fit(views.pairs(left, right), y)
    interim = StoryModel(pair=pair, rank=Linear((0.0,) * 3, 0.0), accept=Linear((0.0,) * 3, 0.0),
                         accept_threshold=0.0, window_days=window_days)
    empty = np.full(len(docs), -1)
    order = range(len(docs))
    trace = _Trace()
    _cluster(views, docs, order, empty, [interim] * len(docs), gold=gold, teacher=True, trace=trace)
    model = _fit_decisions(trace, pair, 0.0, about, window_days)
    for _ in range(rounds):
        _cluster(views, docs, order, empty, [model] * len(docs), gold=gold, trace=trace)
        model = _fit_decisions(trace, pair, 0.0, about, window_days)
    return model


def _threshold_scores(docs: Sequence[Document], gold: Sequence[str], model: StoryModel, thresholds: Sequence[float],
                      merge_offsets: Sequence[float], orders: int, seed: int,
                      scores: dict[tuple[float, float | None], list[float]]) -> None:
    """B-cubed F1 of pass plus refinement on `docs` for every pair of thresholds, in the given order and
    `orders - 1` shuffles of it, appended to `scores`."""
    views = _Views(docs)
    rng = np.random.default_rng(seed)
    streams = [np.arange(len(docs))] + [rng.permutation(len(docs)) for _ in range(orders - 1)]
    empty = np.full(len(docs), -1)
    for t in thresholds:
        trial = [model.with_thresholds(t, None)] * len(docs)
        for stream in streams:
            passed, batch = _passed(views, docs, empty, stream, trial)
            batch.reassign(MAX_SWEEPS)
            for merge in (None, *(t + o for o in merge_offsets)):
                merged = batch.copy()
                if merge is not None:
                    merged.merge(merge)
                f1 = bcubed(list(merged.result(int(passed.max()) + 1)), list(gold))[2]
                scores.setdefault((t, merge), []).append(f1)


def train_model(
    docs: Sequence[Document],
    gold: Sequence[str],
    *,
    rounds: int = 1,
    thresholds: Sequence[float] = (-1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 1.5),
    merge_offsets: Sequence[float] = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0),
    selection_orders: int = 5,
    window_days: int = 14,
    about: str = "",
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> StoryModel:
    """A model learned from a labelled stream (`docs` in arrival order, `gold[i]` the event of docs[i]).

    The pair score is fitted on sampled pairs; the ranking and the decision by teacher forcing (each
    document placed in its gold event) and then on the model's own placements (`rounds` times), so
    they learn from the mixed events their mistakes make.  The decision threshold and the merge
    threshold (a threshold plus one of `merge_offsets`, or no merging) are the pair that gives the best
    mean B-cubed F1, pass and batch refinement together as `cluster_stream` runs them, over this stream
    and `selection_orders - 1` shuffles of it (a choice made on one order follows that order's accidents).
    """
    model = _fit_weights(docs, gold, rounds, window_days, about, seed)
    scores: dict[tuple[float, float | None], list[float]] = {}
    _threshold_scores(docs, gold, model, thresholds, merge_offsets, selection_orders, seed, scores)
    # ties: the threshold nearest 0, then the fewest merges
    ranked = sorted(scores.items(), key=lambda kv: (-round(float(np.mean(kv[1])), 9), abs(kv[0][0]),
                                                   -(math.inf if kv[0][1] is None else kv[0][1])))
    if progress:
        for (t, merge), f1s in ranked[:5]:
            progress(f"thresholds {t:+.2f} / {'none' if merge is None else f'{merge:+.2f}'}: "
                     f"mean B-cubed F1 {np.mean(f1s):.4f} over {len(f1s)} orders")
    (accept, merge), _ = ranked[0]
    return model.with_thresholds(accept, merge)
