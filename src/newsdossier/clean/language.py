"""Language of a text from stopword frequencies: cheap, offline and good enough to route pages."""

from __future__ import annotations

import importlib
import importlib.util
import re
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "pl", "cs", "ru", "uk", "tr", "fa", "ar", "id")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@cache
def stopwords(lang: str) -> frozenset[str]:
    """spaCy's stopword list for a language (empty if spaCy has none).

    The list's own file is executed alone: importing it as `spacy.lang.<lang>.stop_words` would first
    import the language package (tokenizer exceptions, lemmatizer hooks), seconds for seventeen languages.
    """
    spec = importlib.util.find_spec("spacy")
    roots = spec.submodule_search_locations if spec else None
    path = Path(next(iter(roots or ())), "lang", lang, "stop_words.py") if roots else None
    if path is None or not path.is_file():
        return frozenset()
    loaded = importlib.util.spec_from_file_location(f"_newsdossier_stop_words_{lang}", path)
    if loaded is None or loaded.loader is None:
        return frozenset()
    module = importlib.util.module_from_spec(loaded)
    try:
        loaded.loader.exec_module(module)
    except ImportError:
        return frozenset()
    return frozenset(w.lower() for w in getattr(module, "STOP_WORDS", ()))


@cache
def _word_languages() -> dict[str, tuple[int, ...]]:
    """Each stopword with the positions in LANGUAGES of the languages that use it: one lookup a word."""
    index: dict[str, list[int]] = {}
    for i, lang in enumerate(LANGUAGES):
        for word in stopwords(lang):
            index.setdefault(word, []).append(i)
    return {word: tuple(langs) for word, langs in index.items()}


def detect_language(text: str, min_words: int = 8) -> str | None:
    """The language whose stopwords cover most words; None when too short to tell."""
    words = _WORD.findall(text[:20000].lower())
    if len(words) < min_words:
        return None
    index = _word_languages()
    hits = [0] * len(LANGUAGES)
    for w in words:
        for i in index.get(w, ()):
            hits[i] += 1
    best = max(range(len(LANGUAGES)), key=lambda i: hits[i])
    return LANGUAGES[best] if hits[best] and hits[best] / len(words) >= 0.15 else None
