"""Entity coreference on ECB+: MUC, B-cubed, CEAF-e and CoNLL F1 for newsdossier and same-head-lemma baselines.

    .venv/bin/python bench/entities.py [--quick] [--no-page-dates]

ECB+ (../shared/bench/ecbplus, loaded by bench/ecbplus.py).  Entity mentions are the non-action
markables: participants (HUMAN_PART_*, NON_HUMAN_PART_*), locations (LOC_*) and times (TIME_*), on
the validated sentences only (ECBplus_coreference_sentences.csv), as is standard.  The headline is
the usual test split (topics 36-45), all four kinds and participants + locations; the whole corpus,
the dev and train splits (Cybulska & Vossen 2015) and each kind alone are reported beside it.  Every
choice in newsdossier's resolver was made looking at the train and dev topics only.

Every system is given the GOLD mention spans, so only the clustering is scored, cross-document
within each topic (the clusters of different topics never meet).  Gold: the annotated chains
(cross-document and intra-document), every unannotated mention a singleton.  Systems:
  * head lemma (last token): mentions whose last token has the same spaCy lemma (lowercased);
  * head lemma (syntactic head): the same with the span's dependency root;
  * newsdossier: `resolve_entities` over the topic's documents, each given its gold mentions as
    `Mention`s with spaCy-like labels (LABELS below); an unassigned mention is a singleton.  ECB+
    keeps no page dates, so each document's date is the first full date it writes (its dateline), for
    the relative time expressions; `--no-page-dates` leaves them undated.
Exits 0 with a message when the data is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from ecbplus import DATA, Corpus, EcbMention, load_corpus
from newsdossier.model import Document, Mention, content_id
from newsdossier.understand.analyze import load_nlp
from newsdossier.understand.entities import resolve_entities
from newsdossier.understand.time import find_dates

Clustering = Sequence[Collection[Hashable]]
KINDS = ("HUMAN", "NON_HUMAN", "LOC", "TIME")
# ECB+ tag (NEG_ prefix removed) -> the spaCy-style label newsdossier's resolver expects.
LABELS = {
    "HUMAN_PART_PER": "PERSON", "HUMAN_PART": "PERSON", "HUMAN_PART_GENERIC": "PERSON", "HUMAN_PART_MET": "PERSON",
    "HUMAN_PART_ORG": "ORG", "HUMAN_PART_GPE": "GPE", "HUMAN_PART_FAC": "FAC", "HUMAN_PART_VEH": "PRODUCT",
    "LOC_GEO": "GPE", "LOC_FAC": "FAC", "LOC_OTHER": "LOC",
    "TIME_DATE": "DATE", "TIME_OF_THE_DAY": "TIME", "TIME_DURATION": "DATE", "TIME_REPETITION": "DATE",
    "NON_HUMAN_PART": "ORG", "NON_HUMAN_PART_GENERIC": "ORG",
}
# The usual splits (Cybulska & Vossen 2015); topics 15 and 17 are not in the corpus.
TEST_TOPICS = range(36, 46)
DEV_TOPICS = (2, 5, 12, 18, 21, 23, 34, 35)
TRAIN_TOPICS = tuple(t for t in range(1, 36) if t not in DEV_TOPICS)
PARTICIPANTS_LOCATIONS = ("HUMAN", "NON_HUMAN", "LOC")


# --- metrics --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _sets(clusters: Clustering) -> list[frozenset[Hashable]]:
    return [frozenset(c) for c in clusters if c]


def _muc_side(key: list[frozenset[Hashable]], response: list[frozenset[Hashable]]) -> tuple[int, int]:
    """(sum of |K| - |partition of K by the response|, sum of |K| - 1); a mention the response lacks is a part alone."""
    cluster_of = {m: i for i, r in enumerate(response) for m in r}
    num = den = 0
    for k in key:
        parts = {cluster_of.get(m, ("alone", m)) for m in k}
        num += len(k) - len(parts)
        den += len(k) - 1
    return num, den


def muc(key: Clustering, response: Clustering) -> Score:
    """Vilain et al. (1995): links recovered; blind to singletons."""
    k, r = _sets(key), _sets(response)
    rn, rd = _muc_side(k, r)
    pn, pd = _muc_side(r, k)
    return Score(_ratio(pn, pd), _ratio(rn, rd))


def _b3_side(key: list[frozenset[Hashable]], response: list[frozenset[Hashable]]) -> tuple[float, int]:
    cluster_of = {m: r for r in response for m in r}
    num = 0.0
    for k in key:
        for m in k:
            r = cluster_of.get(m)
            if r is not None:
                num += len(k & r) / len(k)
    return num, sum(len(k) for k in key)


def b_cubed(key: Clustering, response: Clustering) -> Score:
    """Bagga & Baldwin (1998): per-mention overlap of its key and response clusters, as in the CoNLL scorer."""
    k, r = _sets(key), _sets(response)
    rn, rd = _b3_side(k, r)
    pn, pd = _b3_side(r, k)
    return Score(_ratio(pn, pd), _ratio(rn, rd))


def ceaf_e(key: Clustering, response: Clustering) -> Score:
    """Luo (2005), entity-based (phi4 = 2|K&R| / (|K|+|R|)), best one-to-one alignment.

    The alignment splits into the connected parts of the overlap graph, so each part is solved alone:
    exact, and small even for a whole corpus.
    """
    k, r = _sets(key), _sets(response)
    owner = {m: i for i, c in enumerate(r) for m in c}
    parent = list(range(len(k) + len(r)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    overlaps: dict[tuple[int, int], int] = defaultdict(int)
    for i, c in enumerate(k):
        for m in c:
            if m in owner:
                overlaps[(i, owner[m])] += 1
    for i, j in overlaps:
        parent[find(i)] = find(len(k) + j)
    parts: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i, j in overlaps:
        parts[find(i)].append((i, j))
    total = 0.0
    for pairs in parts.values():
        rows = sorted({i for i, _ in pairs})
        cols = sorted({j for _, j in pairs})
        sim = np.zeros((len(rows), len(cols)))
        row_at = {i: n for n, i in enumerate(rows)}
        col_at = {j: n for n, j in enumerate(cols)}
        for i, j in pairs:
            sim[row_at[i], col_at[j]] = 2 * overlaps[(i, j)] / (len(k[i]) + len(r[j]))
        a, b = linear_sum_assignment(sim, maximize=True)
        total += float(sim[a, b].sum())
    return Score(_ratio(total, len(r)), _ratio(total, len(k)))


def conll_f1(key: Clustering, response: Clustering) -> float:
    """The CoNLL-2012 score: mean F1 of MUC, B-cubed and CEAF-e."""
    return (muc(key, response).f1 + b_cubed(key, response).f1 + ceaf_e(key, response).f1) / 3


# --- the data and the systems ----------------------------------------------------------------------------------


MentionKey = tuple[str, str]  # (document name, m_id)


def key_of(m: EcbMention) -> MentionKey:
    return (m.doc, m.m_id)


def entity_mentions(corpus: Corpus, kinds: Collection[str] = KINDS) -> dict[int, list[EcbMention]]:
    """Topic -> its entity mentions of `kinds` on validated sentences, in document order."""
    topic_of = {d.name: d.topic for d in corpus.documents}
    out: dict[int, list[EcbMention]] = defaultdict(list)
    for doc in corpus.documents:
        for m in doc.mentions:
            if m.kind in kinds and (doc.name, m.sentence) in corpus.validated:
                out[topic_of[m.doc]].append(m)
    return dict(out)


def gold_clusters(mentions: Iterable[EcbMention]) -> list[list[MentionKey]]:
    """The annotated chains; a mention in no chain is a singleton."""
    chains: dict[str, list[MentionKey]] = defaultdict(list)
    singles = []
    for m in mentions:
        if m.chain:
            chains[m.chain].append(key_of(m))
        else:
            singles.append([key_of(m)])
    return [*chains.values(), *singles]


def group_by(mentions: Iterable[EcbMention], label: dict[MentionKey, str]) -> list[list[MentionKey]]:
    """Mentions with equal labels in one cluster; an unlabelled mention alone."""
    groups: dict[str, list[MentionKey]] = defaultdict(list)
    singles = []
    for m in mentions:
        value = label.get(key_of(m))
        if value:
            groups[value].append(key_of(m))
        else:
            singles.append([key_of(m)])
    return [*groups.values(), *singles]


def head_lemmas(corpus: Corpus, mentions: Iterable[EcbMention]) -> tuple[dict[MentionKey, str], dict[MentionKey, str]]:
    """(last token's lemma, syntactic head's lemma) of each mention, lowercased, parsing each sentence in context."""
    by_line: dict[tuple[str, int], list[EcbMention]] = defaultdict(list)
    docs = {d.name: d for d in corpus.documents}
    for m in mentions:
        doc = docs[m.doc]
        line = next(n for n, (s, e) in enumerate(doc.sentences) if s <= m.start < e)
        by_line[(m.doc, line)].append(m)
    keys = sorted(by_line)
    texts = [docs[name].text[slice(*docs[name].sentences[line])] for name, line in keys]
    last: dict[MentionKey, str] = {}
    root: dict[MentionKey, str] = {}
    nlp = load_nlp()
    for (name, line), parsed in zip(keys, nlp.pipe(texts, disable=["ner"]), strict=True):
        offset = docs[name].sentences[line][0]
        for m in by_line[(name, line)]:
            span = parsed.char_span(m.start - offset, m.end - offset, alignment_mode="expand")
            if span is None or not len(span):
                continue
            last[key_of(m)] = span[-1].lemma_.lower()
            root[key_of(m)] = span.root.lemma_.lower()
    return last, root


def label_of(m: EcbMention) -> str:
    return LABELS.get(m.tag.removeprefix("NEG_"), "ORG")


def page_date(text: str) -> dt.date | None:
    """ECB+ keeps no page dates: the first full date the page writes (its dateline), if any."""
    for found in find_dates(text, None):
        if not found.relative and found.value and len(found.value) == 10:
            return dt.date.fromisoformat(found.value)
    return None


def newsdossier_labels(
    corpus: Corpus, mentions: Sequence[EcbMention], page_dates: bool = True
) -> dict[MentionKey, str]:
    """Entity id of each mention after `resolve_entities` over the documents of one topic."""
    docs = {d.name: d for d in corpus.documents}
    per_doc: dict[str, list[EcbMention]] = defaultdict(list)
    for m in mentions:
        per_doc[m.doc].append(m)
    names = sorted(per_doc)
    documents = [
        Document(id=content_id(name), source=name, kind="text", text=docs[name].text,
                 date=page_date(docs[name].text) if page_dates else None,
                 mentions=[Mention(text=m.text, start=m.start, end=m.end, label=label_of(m)) for m in per_doc[name]])
        for name in names
    ]
    _, resolved = resolve_entities(documents, load_nlp())
    out: dict[MentionKey, str] = {}
    for name, doc in zip(names, resolved, strict=True):
        # Title mentions the resolver adds are PERSON spans that overlap no given PERSON span, so the
        # (start, end, label) of a given mention finds it alone.
        ids = {(r.start, r.end, r.label): r.entity_id for r in doc.mentions if r.entity_id}
        for m in per_doc[name]:
            if entity := ids.get((m.start, m.end, label_of(m))):
                out[key_of(m)] = entity
    return out


@dataclass(frozen=True)
class Row:
    system: str
    mentions: int
    clusters: int
    muc: Score
    b3: Score
    ceaf: Score

    @property
    def conll(self) -> float:
        return (self.muc.f1 + self.b3.f1 + self.ceaf.f1) / 3


def score_row(system: str, key: Clustering, response: Clustering) -> Row:
    return Row(system, sum(len(c) for c in response), len(response),
               muc(key, response), b_cubed(key, response), ceaf_e(key, response))


def evaluate(
    corpus: Corpus, kinds: Collection[str] = KINDS, topics: Collection[int] | None = None, page_dates: bool = True
) -> list[Row]:
    """Gold and every system's clusters over `topics` (all by default), scored together."""
    by_topic = {t: ms for t, ms in entity_mentions(corpus, kinds).items() if topics is None or t in topics}
    everything = [m for ms in by_topic.values() for m in ms]
    last, root = head_lemmas(corpus, everything)
    key: list[list[MentionKey]] = []
    systems: dict[str, list[list[MentionKey]]] = defaultdict(list)
    for topic in sorted(by_topic):
        ms = by_topic[topic]
        key += gold_clusters(ms)
        systems["all singletons"] += [[key_of(m)] for m in ms]
        systems["head lemma (last token)"] += group_by(ms, last)
        systems["head lemma (syntactic head)"] += group_by(ms, root)
        systems["newsdossier resolve_entities"] += group_by(ms, newsdossier_labels(corpus, ms, page_dates))
    return [score_row("gold", key, key)] + [score_row(name, key, clusters) for name, clusters in systems.items()]


def table(rows: Sequence[Row]) -> str:
    lines = ["| system | clusters | MUC F1 | B3 P | B3 R | B3 F1 | CEAF-e F1 | CoNLL F1 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r.system} | {r.clusters} | {r.muc.f1:.3f} | {r.b3.precision:.3f} | {r.b3.recall:.3f} | "
                     f"{r.b3.f1:.3f} | {r.ceaf.f1:.3f} | **{r.conll:.3f}** |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="only the headline (test topics)")
    parser.add_argument("--no-page-dates", action="store_true", help="give newsdossier no page dates")
    args = parser.parse_args()
    corpus = load_corpus()
    if corpus is None:
        print(f"ECB+ not found at {DATA}: nothing to score")
        raise SystemExit(0)
    setups: list[tuple[str, Collection[str], Collection[int] | None]] = [
        ("participants + locations + times, test topics 36-45", KINDS, TEST_TOPICS),
        ("participants + locations, test topics 36-45", PARTICIPANTS_LOCATIONS, TEST_TOPICS),
    ]
    if not args.quick:
        setups += [
            ("participants + locations + times, all 43 topics", KINDS, None),
            ("participants + locations, all topics", PARTICIPANTS_LOCATIONS, None),
            ("participants + locations + times, dev topics", KINDS, DEV_TOPICS),
            ("participants + locations + times, train topics", KINDS, TRAIN_TOPICS),
            *[(f"{kind} only, all topics", (kind,), None) for kind in KINDS],
        ]
    for title, kinds, topics in setups:
        started = time.perf_counter()
        rows = evaluate(corpus, kinds, topics, page_dates=not args.no_page_dates)
        print(f"\n### {title} ({rows[0].mentions} mentions, {rows[0].clusters} gold clusters; "
              f"{time.perf_counter() - started:.1f} s)\n")
        print(table(rows[1:]))


if __name__ == "__main__":
    main()
