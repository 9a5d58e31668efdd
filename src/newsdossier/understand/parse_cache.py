"""Recent sentence parses, shared by the steps that parse the same sentences.

Understanding parses the sentences a claim reads; event and agreement coding parse the sentences
with an act or an agreement in them, mostly the same ones, in the same process when a build runs
them together.  A bounded least-recently-used cache keyed by the pipeline, its active components and
the exact text gives each step the parse the other already made (the same text through the same
components parses the same), and keeps memory flat on endless input.  Cached Docs are shared:
callers read them and never change them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["CAPACITY", "clear", "parse_texts"]

CAPACITY = 4096
_cache: OrderedDict[tuple[int, tuple[str, ...], str], Doc] = OrderedDict()


def clear() -> None:
    _cache.clear()


def parse_texts(nlp: Language, texts: Iterable[str], disable: Sequence[str] = (), batch_size: int = 64) -> list[Doc]:
    """`nlp.pipe(texts, disable=disable)` as a list, taking each text's parse from the cache when it is there."""
    texts = list(texts)
    active = tuple(name for name in nlp.pipe_names if name not in disable)
    keys = [(id(nlp), active, text) for text in texts]
    missing = list(dict.fromkeys(k for k in keys if k not in _cache))
    skip = [name for name in disable if name in nlp.pipe_names]
    fresh = dict(zip(missing, nlp.pipe((k[2] for k in missing), batch_size=batch_size, disable=skip), strict=True))
    out = []
    for key in keys:
        doc = fresh.get(key)
        if doc is None:
            doc = _cache[key]
            _cache.move_to_end(key)
        out.append(doc)
    for key, doc in fresh.items():
        _cache[key] = doc
    while len(_cache) > CAPACITY:
        _cache.popitem(last=False)
    return out
