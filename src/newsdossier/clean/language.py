"""Language of a text from stopword frequencies: cheap, offline and good enough to route pages."""

from __future__ import annotations

import importlib
import re
from functools import cache

LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "pl", "cs", "ru", "uk", "tr", "fa", "ar", "id")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@cache
def stopwords(lang: str) -> frozenset[str]:
    """spaCy's stopword list for a language (empty if spaCy has none)."""
    try:
        module = importlib.import_module(f"spacy.lang.{lang}.stop_words")
    except ImportError:
        return frozenset()
    return frozenset(w.lower() for w in getattr(module, "STOP_WORDS", ()))


def detect_language(text: str, min_words: int = 8) -> str | None:
    """The language whose stopwords cover most words; None when too short to tell."""
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    if len(words) < min_words:
        return None
    best, best_share = None, 0.0
    for lang in LANGUAGES:
        sw = stopwords(lang)
        if not sw:
            continue
        share = sum(1 for w in words if w in sw) / len(words)
        if share > best_share:
            best, best_share = lang, share
    return best if best_share >= 0.15 else None
