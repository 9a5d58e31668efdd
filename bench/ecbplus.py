"""Loader for ECB+ (../shared/bench/ecbplus): documents as text, gold events, mentions and coreference chains.

    from ecbplus import load_corpus            # with bench/ on sys.path (as when running bench/*.py)
    corpus = load_corpus()                      # None where the data is absent: skip cleanly
    for doc in corpus.documents: doc.name, doc.topic, doc.half, doc.event, doc.title, doc.text, doc.mentions

Each XML file is token-level text followed by stand-off markables (mentions anchored on tokens,
plus token-less "instance" markables that chains point to) and relations (CROSS_DOC_COREF chains
named by an instance id, INTRA_DOC_COREF chains local to one file).  The text is rebuilt from the
tokens with ordinary spacing (no space before closing punctuation, none after opening), one
sentence per line, so every mention gets character offsets into `text`.  The 'ecbplus' files carry
the source URL as sentence 0: it goes to `url`, not into the text (its slug often holds the date).

The gold event of a document is (topic, half), 86 events.  Coreference scoring is standard only on
the validated sentences (`Corpus.validated`, from ECBplus_coreference_sentences.csv).
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "bench" / "ecbplus"

Half = Literal["ecb", "ecbplus"]
_NAME = re.compile(r"(\d+)_(\d+)(ecbplus|ecb)\.xml$")
_NO_SPACE_BEFORE = re.compile(r"^(?:[.,;:!?%)\]}]|'s|'re|'ve|'ll|'d|'m|n't|'|’s|”)$", re.IGNORECASE)
_NO_SPACE_AFTER = {"(", "[", "{", "$", "“", "#"}
_QUOTES = {"``": "“", "''": "”"}


@dataclass(frozen=True)
class EcbMention:
    """One markable anchored on tokens: an action, time, location or participant mention."""

    doc: str
    m_id: str
    tag: str  # ACTION_OCCURRENCE, HUMAN_PART_PER, LOC_GEO, TIME_DATE, NEG_ACTION_STATE, ...
    text: str
    start: int
    end: int
    sentence: int
    token_ids: tuple[int, ...]
    chain: str | None  # cross-document instance id, "intra:<doc>:<r_id>", or None for a singleton

    @property
    def kind(self) -> str:
        """The event component: ACTION (NEG_ included), TIME, LOC, HUMAN or NON_HUMAN."""
        tag = self.tag.removeprefix("NEG_")
        return "NON_HUMAN" if tag.startswith("NON_HUMAN") else tag.split("_", 1)[0]


@dataclass(frozen=True)
class EcbDocument:
    name: str  # "1_10ecbplus"
    topic: int
    number: int
    half: Half
    text: str
    title: str  # the first sentence of the text (the headline in most files)
    url: str | None
    sentences: tuple[tuple[int, int], ...]  # (start, end) of each text line, keyed by position in `sentence_ids`
    sentence_ids: tuple[int, ...]  # the XML sentence number of each line
    mentions: tuple[EcbMention, ...]

    @property
    def event(self) -> str:
        """The gold event: topic plus half, e.g. '1ecbplus'."""
        return f"{self.topic}{self.half}"


@dataclass
class Corpus:
    documents: list[EcbDocument]
    validated: set[tuple[str, int]] = field(default_factory=set)  # (doc name, XML sentence number)
    descriptors: dict[str, str] = field(default_factory=dict)  # chain id -> annotator's name for the instance

    def chains(self, *, validated_only: bool = False) -> dict[str, list[EcbMention]]:
        """Coreference chains (singletons left out), each a list of mentions across documents."""
        out: dict[str, list[EcbMention]] = defaultdict(list)
        for doc in self.documents:
            for m in doc.mentions:
                if m.chain and (not validated_only or (doc.name, m.sentence) in self.validated):
                    out[m.chain].append(m)
        return dict(out)


def _detokenize(tokens: list[tuple[int, int, str]]) -> tuple[str, list[tuple[int, int, int]], list[tuple[int, int]]]:
    """Text from (t_id, sentence, word) tokens; char spans of each token; line spans of each sentence."""
    parts: list[str] = []
    spans: list[tuple[int, int, int]] = []
    lines: list[tuple[int, int]] = []
    pos = 0
    line_start = 0
    for n, (t_id, sentence, word) in enumerate(tokens):
        prev = tokens[n - 1][2] if n and tokens[n - 1][1] == sentence else ""
        after = tokens[n + 1][2] if n + 1 < len(tokens) and tokens[n + 1][1] == sentence else ""
        before = tokens[n - 2][2] if n > 1 and tokens[n - 2][1] == sentence else ""
        if n and not prev:
            lines.append((line_start, pos))
            parts.append("\n")
            pos += 1
            line_start = pos
        elif prev and not _glued(before, prev, word, after):
            parts.append(" ")
            pos += 1
        spans.append((t_id, pos, pos + len(word)))
        parts.append(word)
        pos += len(word)
    if tokens:
        lines.append((line_start, pos))
    return "".join(parts), spans, lines


def _glued(before: str, prev: str, word: str, after: str) -> bool:
    """Whether `word` was written against `prev`: punctuation, and '20-13', 'T-Mobile', '4:59', '2/3/2009'."""
    if prev in _NO_SPACE_AFTER or _NO_SPACE_BEFORE.match(word):
        return True
    if word in ("-", "/", ":"):
        return prev[-1:].isalnum() and after[:1].isalnum() and (word != ":" or (prev.isdigit() and after.isdigit()))
    if prev in ("-", "/", ":"):
        return before[-1:].isalnum() and word[:1].isalnum() and (prev != ":" or (before.isdigit() and word.isdigit()))
    if prev == "’":
        return word.lower() in {"s", "t", "re", "ve", "ll", "d", "m"}
    return word == "’" and prev[-1:].isalpha()


def _is_url(sentence: list[str]) -> bool:
    return "".join(sentence[:3]).lower().startswith(("http:", "https:", "www."))


def parse_file(path: Path) -> tuple[EcbDocument, dict[str, str]]:
    """One ECB+ file: the document, and the descriptor of each cross-document instance it names."""
    match = _NAME.search(path.name)
    if not match:
        raise ValueError(f"not an ECB+ file name: {path.name}")
    topic, number, half = int(match[1]), int(match[2]), match[3]
    name = path.name.removesuffix(".xml")
    root = ET.parse(path).getroot()
    raw = [(int(t.get("t_id", "0")), int(t.get("sentence", "0")), _QUOTES.get(t.text or "", t.text or ""))
           for t in root.iter("token")]
    url = None
    if half == "ecbplus":
        first = [w for _, s, w in raw if s == 0]
        if first and _is_url(first):
            url = "".join(first)
            raw = [t for t in raw if t[1] != 0]
    text, token_spans, lines = _detokenize(raw)
    span_of = {t_id: (start, end) for t_id, start, end in token_spans}
    sentence_of = {t_id: s for t_id, s, _ in raw}
    sentence_ids = tuple(dict.fromkeys(s for _, s, _ in raw))

    chain_of: dict[str, str] = {}
    descriptors: dict[str, str] = {}
    markables = root.find("Markables")
    relations = root.find("Relations")
    instance_desc = {}
    for mk in markables if markables is not None else []:
        if mk.get("instance_id"):
            instance_desc[mk.get("m_id", "")] = (mk.get("instance_id", ""), mk.get("TAG_DESCRIPTOR", ""))
    for rel in relations if relations is not None else []:
        sources = [s.get("m_id", "") for s in rel.iter("source")]
        if rel.tag == "CROSS_DOC_COREF":
            chain = rel.get("note") or ""
            target = rel.find("target")
            if target is not None and target.get("m_id") in instance_desc:
                chain, desc = instance_desc[target.get("m_id", "")]
                descriptors[chain] = desc
        else:
            chain = f"intra:{name}:{rel.get('r_id')}"
        for m_id in sources:
            chain_of[m_id] = chain

    mentions = []
    for mk in markables if markables is not None else []:
        anchors = [int(a.get("t_id", "0")) for a in mk.iter("token_anchor")]
        anchors = [t for t in anchors if t in span_of]
        if not anchors:
            continue
        start = min(span_of[t][0] for t in anchors)
        end = max(span_of[t][1] for t in anchors)
        m_id = mk.get("m_id", "")
        mentions.append(EcbMention(
            doc=name, m_id=m_id, tag=mk.tag, text=text[start:end], start=start, end=end,
            sentence=sentence_of[anchors[0]], token_ids=tuple(sorted(anchors)), chain=chain_of.get(m_id),
        ))
    mentions.sort(key=lambda m: (m.start, m.end, m.m_id))
    title = text[lines[0][0] : lines[0][1]] if lines else ""
    doc = EcbDocument(
        name=name, topic=topic, number=number, half=half,  # type: ignore[arg-type]
        text=text, title=title, url=url, sentences=tuple(lines), sentence_ids=sentence_ids, mentions=tuple(mentions),
    )
    return doc, descriptors


def _file_order(path: Path) -> tuple[int, int, bool]:
    match = _NAME.search(path.name)
    return (int(match[1]), int(match[2]), match[3] == "ecbplus") if match else (0, 0, False)


def load_corpus(path: Path = DATA) -> Corpus | None:
    """Every ECB+ document in topic, then file-number order; None where the data is absent."""
    xml_dir = path / "ECB+"
    if not xml_dir.is_dir():
        return None
    files = sorted(xml_dir.glob("*/*.xml"), key=_file_order)
    corpus = Corpus(documents=[])
    for f in files:
        doc, descriptors = parse_file(f)
        corpus.documents.append(doc)
        corpus.descriptors.update(descriptors)
    sentences = path / "ECBplus_coreference_sentences.csv"
    if sentences.is_file():
        with sentences.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                corpus.validated.add((f"{row['Topic']}_{row['File']}", int(row["Sentence Number"])))
    return corpus


if __name__ == "__main__":
    loaded = load_corpus()
    if loaded is None:
        print(f"ECB+ not found at {DATA}: nothing to show")
        raise SystemExit(0)
    docs = loaded.documents
    events = {d.event for d in docs}
    mentions = sum(len(d.mentions) for d in docs)
    chains = loaded.chains()
    cross = sum(1 for c in chains.values() if len({m.doc for m in c}) > 1)
    print(f"{len(docs)} documents, {len({d.topic for d in docs})} topics, {len(events)} events, {mentions} mentions, "
          f"{len(chains)} chains ({cross} across documents), {len(loaded.validated)} validated sentences")
