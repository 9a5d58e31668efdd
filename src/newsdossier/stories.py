"""Stories stage: group documents into events in one pass over a stream, keeping stored events stable.

After Miranda et al. (2018, "Multilingual clustering of streaming news"): documents arrive in date
order and each is compared with every event open so far; a learned ranking picks the best event and a
second learned model decides whether the document belongs to it or opens a new event.  Nothing is a
hand-set similarity threshold; every weight and the decision threshold come from labelled streams
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
less surely than a large one.  Event ids derive from the founding document, so re-running on the
same pages gives the same ids and adding pages never renames an event.
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

    def block(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Every pair feature of documents `rows` against the whole pool (rows x pool)."""
        t = self._t

        def dot(view: str, other: str | None = None) -> np.ndarray:
            return np.asarray((getattr(self, view)[rows] @ t[other or view]).toarray())

        years = 2 * dot("years") - np.outer(self.has_years[rows], self.has_years)
        days = 2 * dot("days") - np.outer(self.has_days[rows], self.has_days)
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
    order: Sequence[int],
    labels: np.ndarray,
    models: Sequence[StoryModel],
    gold: Sequence[str] | None = None,
    teacher: bool = False,
    trace: _Trace | None = None,
) -> np.ndarray:
    """Event index of every pool document after `order` (unlabelled positions) have been placed in turn.

    `labels` holds the stored events' members (-1 elsewhere); `models[i]` decides for document i.  With
    `gold`, `trace` records each step's candidates and whether each holds the document's gold event;
    `teacher` then places every document in its gold event (as training by teacher forcing needs).
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
    names = list(PAIR_FEATURES)
    step = max(1, _CHUNK_CELLS // max(1, len(views)))
    order = list(order)
    for start in range(0, len(order), step):
        rows = np.array(order[start : start + step])
        block = views.block(rows)
        scores = biases[rows][:, None] + sum(weights[rows, f][:, None] * block[name] for f, name in enumerate(names))
        body = block["body"]
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
    docs: Sequence[Document], model: StoryModel | Sequence[StoryModel] | None = None
) -> list[int]:
    """Event index of each document, placing them one by one in the order given (no stored events).

    `model` may be one model, or one per document (cross-validation: each document decided by a model
    that never saw its labels).
    """
    if not docs:
        return []
    models = [model or load_model()] * len(docs) if not isinstance(model, Sequence) else list(model)
    views = _Views(docs)
    labels = _cluster(views, docs, range(len(docs)), np.full(len(docs), -1), models)
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
    result = _cluster(views, pool, range(pos, len(pool)), labels, [model] * len(pool))
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


def train_model(
    docs: Sequence[Document],
    gold: Sequence[str],
    *,
    rounds: int = 1,
    thresholds: Sequence[float] = (-1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 1.5),
    window_days: int = 14,
    about: str = "",
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> StoryModel:
    """A model learned from a labelled stream (`docs` in arrival order, `gold[i]` the event of docs[i]).

    The pair score is fitted on sampled pairs; the ranking and the decision by teacher forcing (each
    document placed in its gold event) and then on the model's own placements (`rounds` times), so
    they learn from the mixed events their mistakes make; the decision threshold is the one that
    gives the best B-cubed F1 on this stream.
    """
    views = _Views(docs)
    rng = np.random.default_rng(seed)
    left, right = _pair_sample(views, gold, rng)
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
    best = (-1.0, 0.0)
    for t in thresholds:
        trial = StoryModel(model.pair, model.rank, model.accept, t, window_days, about)
        f1 = bcubed(list(_cluster(views, docs, order, empty, [trial] * len(docs))), list(gold))[2]
        if progress:
            progress(f"threshold {t:+.2f}: B-cubed F1 {f1:.4f}")
        if f1 > best[0] + 1e-9 or (abs(f1 - best[0]) <= 1e-9 and abs(t) < abs(best[1])):
            best = (f1, t)
    return StoryModel(model.pair, model.rank, model.accept, best[1], window_days, about)
