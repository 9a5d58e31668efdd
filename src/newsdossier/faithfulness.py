"""Faithfulness check of a dossier: does every cited span say what the dossier says it does?

A dossier promises that nothing in it goes beyond its sources.  This module checks
that promise mechanically, from the dossier alone:

- every citation's quote is exactly its document's text[start:end], and the span
  neither starts nor ends inside a word or on a space, nor runs across lines (a
  claim is one sentence or one table row);
- every fact's value is stated by each span it cites: a quantity fact's amount and
  unit (compared as normalised values, so "two decades" supports "20 years"), an
  absence fact's concept with a negation or absence cue, a relation fact's object
  and action, a date fact's date and act, a place fact's place and act; the fact's
  own statement says no number, date, place or word its spans do not;
  its sources, outlets and status agree with its citations;
- a statement fact (paraphrases aligned across outlets) is the text of one of its spans,
  verbatim or trimmed, and every span it cites states its numbers, dates and names (a
  name also by another spelling of the same resolved entity);
- every summary sentence and timeline entry says no number, date or capitalised
  name that its cited spans do not (as written or as the same normalised value),
  and most of its words are theirs; a timeline entry's date is a date its spans give.

It returns the problems it finds rather than raising, so a build can report them all.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from newsdossier.conflicts import act_words
from newsdossier.corroborate import date_range
from newsdossier.model import (
    Citation,
    DateMention,
    Dossier,
    Entity,
    Fact,
    QuantityMention,
)
from newsdossier.understand.atop import ATOP, ATOP_NAMES
from newsdossier.understand.claims import action_classes, normal_word
from newsdossier.understand.entities import country_index, fold
from newsdossier.understand.quantities import find_quantities, singular
from newsdossier.understand.time import find_dates

__all__ = ["MIN_WORD_SHARE", "Problem", "SpanSources", "check_dossier", "statement_span_problems"]

MIN_WORD_SHARE = 0.75
"""Share of a summary sentence's content words that its cited spans must contain."""

_WORD = re.compile(r"[A-Za-z0-9]+(?:[’'][A-Za-z]+)?")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_CAPITALISED = re.compile(r"(?<![\w’'])[A-Z][\w’'.-]*")
_BAD_FIRST = frozenset(" \t\n\r.,;:!?)]}")
_BAD_LAST = frozenset(" \t\n\r,;:([{-–—")
_POSSESSIVE = re.compile(r"(?:[’']s?|\.)+$")
def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_ABSENCE_CUES = _wordset("""
no not none never without lack lacks lacked lacking absence absent exclude excludes excluded excluding
exclusion omit omits omitted omission missing fail fails failed refuse refused decline declined n't
""")
_DENIAL_CUES = _wordset("deny denies denied denying reject rejects rejected dismiss dismissed")
_STOP = _wordset("""
a an the of to in on at by for with and or but nor so as than then that which who whom whose this these
those it its he she they them their his her we you i is are was were be been being has have had do does
did will would can could may might must shall should from into onto upon about over under after before
since until during while up out off also just only even still all any some such other another own same
both either neither here there where when why how what not no s
""")


@dataclass(frozen=True)
class Problem:
    """One way the dossier says more than (or other than) its sources."""

    kind: str
    where: str
    message: str


def _words(text: str) -> list[str]:
    return [m.group(0).lower().replace("’", "'") for m in _WORD.finditer(text)]


def _norm(word: str) -> str:
    """A word folded for comparison: possessive dropped, singular, one spelling of British/American variants."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return normal_word(singular(word))


def _normalised(text: str) -> set[str]:
    return {_norm(w) for w in _words(text)}


def _content(text: str) -> list[str]:
    return [_norm(w) for w in _words(text) if w not in _STOP and len(w) > 1]


def _same_value(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-9)


def _number_text(text: str) -> str:
    return text.replace(",", "")


class _Text(Protocol):
    """What the check reads of a document: a `DocumentView`, or a `Document` before the dossier is made."""

    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def date(self) -> dt.date | None: ...
    @property
    def outlet(self) -> str: ...


class _Sources:
    """Each document's dates and quantities, read once from its clean text, and the entities by id."""

    def __init__(self, documents: Sequence[_Text], entities: Sequence[Entity] = ()) -> None:
        self.docs = {d.id: d for d in documents}
        self.entities = {e.id: e for e in entities}
        self.by_name_word: dict[str, list[Entity]] = {}
        for entity in entities:
            for word in {w for v in entity.variants for w in _words(v)}:
                self.by_name_word.setdefault(word, []).append(entity)
        self._dates: dict[str, list[DateMention]] = {}
        self._quantities: dict[str, list[QuantityMention]] = {}

    def dates(self, doc_id: str) -> list[DateMention]:
        if doc_id not in self._dates:
            doc = self.docs[doc_id]
            self._dates[doc_id] = find_dates(doc.text, doc.date)
        return self._dates[doc_id]

    def quantities(self, doc_id: str) -> list[QuantityMention]:
        if doc_id not in self._quantities:
            self._quantities[doc_id] = find_quantities(self.docs[doc_id].text, self.dates(doc_id))
        return self._quantities[doc_id]

    def span_text(self, cit: Citation) -> str:
        """What the span really says (the quote may be wrong; that is reported on its own)."""
        return self.docs[cit.doc_id].text[cit.start:cit.end]

    def span_dates(self, cit: Citation) -> list[DateMention]:
        return [d for d in self.dates(cit.doc_id) if cit.start <= d.start and d.end <= cit.end]

    def span_quantities(self, cit: Citation) -> list[QuantityMention]:
        return [q for q in self.quantities(cit.doc_id) if cit.start <= q.start and q.end <= cit.end]


def _check_citation(cit: Citation, where: str, sources: _Sources) -> list[Problem]:
    doc = sources.docs.get(cit.doc_id)
    if doc is None:
        return [Problem("unknown-document", where, f"cites {cit.doc_id}, which the dossier does not include")]
    text = doc.text
    if not 0 <= cit.start < cit.end <= len(text):
        return [Problem("span-out-of-range", where, f"span {cit.start}:{cit.end} outside a text of {len(text)} chars")]
    out = []
    if text[cit.start:cit.end] != cit.quote:
        out.append(Problem("quote-mismatch", where,
                           f"quote {cit.quote[:60]!r} is not the text at {cit.start}:{cit.end}, "
                           f"{text[cit.start:cit.end][:60]!r}"))
    before = text[cit.start - 2:cit.start] if cit.start > 1 else " " + text[:cit.start]
    inside_start = text[cit.start].isalnum() and (
        before[-1:].isalnum() or (before[-1:] in ("'", "’") and before[:1].isalnum()))
    inside_end = cit.end < len(text) and text[cit.end - 1].isalnum() and text[cit.end].isalnum()
    if inside_start or inside_end:
        out.append(Problem("span-boundary", where, f"span {cit.start}:{cit.end} cuts a word"))
    elif text[cit.start] in _BAD_FIRST or text[cit.end - 1] in _BAD_LAST:
        out.append(Problem("span-boundary", where,
                           f"span {cit.start}:{cit.end} starts or ends on a space or stray punctuation"))
    if "\n" in text[cit.start:cit.end]:
        out.append(Problem("span-boundary", where, f"span {cit.start}:{cit.end} runs across lines"))
    if cit.outlet != doc.outlet:
        out.append(Problem("citation-outlet", where, f"outlet {cit.outlet!r}, but the document's is {doc.outlet!r}"))
    return out


def _valid(cit: Citation, sources: _Sources) -> bool:
    doc = sources.docs.get(cit.doc_id)
    return doc is not None and 0 <= cit.start < cit.end <= len(doc.text)


def _quantity_supported(q: QuantityMention, spans: Iterable[QuantityMention]) -> bool:
    return any(_same_value(q.value, s.value) and q.dimension == s.dimension and q.unit == s.unit for s in spans)


def _key_quantity(fact: Fact) -> tuple[float, str, str, str | None] | None:
    """(value, dimension, unit, measured) of a quantity fact's key, None if it does not parse."""
    slot, _, _ = fact.key.slot.partition("/")
    parts = slot.split(":")
    try:
        value = float(fact.key.value.lstrip("~"))
    except ValueError:
        return None
    if len(parts) < 2:
        return None
    return value, parts[0], parts[1], parts[2] if len(parts) > 2 else None


def _lemmas(word: str) -> set[str]:
    """Crude lemma candidates of an inflected word, enough to look it up in the action lexicon."""
    w = word.lower()
    out = {w, singular(w)}
    for suffix, repl in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("d", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            stem = w[: -len(suffix)]
            out |= {stem + repl, stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else stem}
    if w.endswith("ied"):
        out.add(w[:-3] + "y")
    if w.endswith("ying"):
        out.add(w[:-3])
    return out


def _check_fact(fact: Fact, sources: _Sources) -> list[Problem]:
    where = f"fact {fact.id} ({fact.statement})"
    out: list[Problem] = []
    for i, cit in enumerate(fact.citations):
        out += _check_citation(cit, f"{where} citation {i + 1}", sources)
    valid = [c for c in fact.citations if _valid(c, sources)]
    if not fact.citations:
        out.append(Problem("fact-uncited", where, "a fact with no citation"))
    cited_docs = {c.doc_id for c in fact.citations}
    if set(fact.doc_ids) != cited_docs:
        out.append(Problem("fact-sources", where, f"doc_ids {sorted(fact.doc_ids)} but cites {sorted(cited_docs)}"))
    outlets = {c.outlet for c in fact.citations}
    if set(fact.outlets) != outlets:
        out.append(Problem("fact-outlets", where, f"outlets {sorted(fact.outlets)} but cites {sorted(outlets)}"))
    if fact.status == "corroborated" and len(outlets) < 2:
        out.append(Problem("fact-status", where, f"corroborated with {len(outlets)} independent outlet(s)"))
    if fact.status == "single-source" and len(outlets) != 1:
        out.append(Problem("fact-status", where, f"single-source with {len(outlets)} outlets"))
    if fact.status == "contested" and not fact.contradicted_by:
        out.append(Problem("fact-status", where, "contested, but names no contradicting fact"))
    if fact.key.kind == "quantity":
        out += _check_quantity_fact(fact, where, valid, sources)
    elif fact.key.kind == "absence":
        out += _check_absence_fact(fact, where, valid, sources)
    elif fact.key.kind == "date":
        out += _check_date_fact(fact, where, valid, sources)
    elif fact.key.kind == "place":
        out += _check_place_fact(fact, where, valid, sources)
    elif fact.key.kind == "statement":
        out += _check_statement_fact(fact, where, valid, sources)
    else:
        out += _check_relation_fact(fact, where, valid, sources)
    return out


def _check_quantity_fact(fact: Fact, where: str, cits: list[Citation], sources: _Sources) -> list[Problem]:
    out = []
    key = _key_quantity(fact)
    if key is None:
        return [Problem("fact-key", where, f"quantity key {fact.key.slot}={fact.key.value} does not parse")]
    value, dimension, unit, measured = key
    stated = find_quantities(fact.statement)
    if not any(_same_value(q.value, value) and q.dimension == dimension and q.unit == unit for q in stated):
        out.append(Problem("fact-statement", where, f"the statement does not state the key's value {value:g} {unit}"))
    for i, cit in enumerate(cits):
        spans = sources.span_quantities(cit)
        ok = any(
            _same_value(s.value, value) and s.dimension == dimension and s.unit == unit
            and (measured is None or s.measured == measured)
            for s in spans
        )
        if not ok:
            out.append(Problem("fact-value", f"{where} citation {i + 1}",
                               f"the span does not give {value:g} {unit}" + (f" of {measured}" if measured else "")
                               + f": {sources.span_text(cit)[:80]!r}"))
        for q in stated:
            if not _quantity_supported(q, spans):
                out.append(Problem("fact-statement", f"{where} citation {i + 1}",
                                   f"the statement's {q.text!r} is not in the span {sources.span_text(cit)[:80]!r}"))
    return out


def _missing(words: Iterable[str], text: str) -> list[str]:
    have = _normalised(text)
    return [w for w in words if _norm(w) not in have]


def _check_absence_fact(fact: Fact, where: str, cits: list[Citation], sources: _Sources) -> list[Problem]:
    """An ATOP provision's span must match that provision's patterns; any other concept's span names it."""
    out = []
    column = fact.key.slot.removeprefix("atop:") if fact.key.slot.startswith("atop:") else None
    concept = _content(ATOP_NAMES.get(column, "") if column else fact.key.slot)
    said = re.sub(r"^(?:no|includes)\s+", "", fact.statement, flags=re.IGNORECASE)
    if (column is not None and column not in ATOP) or _content(said) != concept:
        out.append(Problem("fact-statement", where, f"the statement {fact.statement!r} is not about {fact.key.slot!r}"))
    for i, cit in enumerate(cits):
        span = sources.span_text(cit)
        if column is not None:
            if column in ATOP and not any(p.search(span) for p in ATOP[column][1]):
                out.append(Problem("fact-concept", f"{where} citation {i + 1}",
                                   f"the span does not state {ATOP_NAMES[column]!r}: {span[:80]!r}"))
        elif missing := _missing(concept + _content(said), span):
            out.append(Problem("fact-concept", f"{where} citation {i + 1}",
                               f"the span does not name {' '.join(missing)!r}: {span[:80]!r}"))
        words = set(_words(span))
        if fact.key.value == "absent" and not (words & _ABSENCE_CUES or any(w.endswith("n't") for w in words)):
            out.append(Problem("fact-absence", f"{where} citation {i + 1}",
                               f"the span has no negation or absence cue: {span[:80]!r}"))
    return out


def _check_relation_fact(fact: Fact, where: str, cits: list[Citation], sources: _Sources) -> list[Problem]:
    out = []
    action, _, obj = fact.key.slot.partition(":")
    classes = action_classes()
    statement, doer = " ".join(fact.statement.split()[1:]), ""
    if fact.key.value.startswith("by:"):
        if " by " not in statement:
            out.append(Problem("fact-statement", where, f"the statement {fact.statement!r} names no doer"))
        statement, _, doer = statement.rpartition(" by ") if " by " in statement else (statement, "", "")
    said, named = _content(statement), _content(doer)
    for i, cit in enumerate(cits):
        span = sources.span_text(cit)
        missing = _missing([obj, *said] if obj else said, span)
        if missing:
            out.append(Problem("fact-concept", f"{where} citation {i + 1}",
                               f"the span does not name {' '.join(missing)!r}: {span[:80]!r}"))
        if named and len(_missing(named, span)) == len(named):
            out.append(Problem("fact-doer", f"{where} citation {i + 1}",
                               f"the span does not name {doer!r}: {span[:80]!r}"))
        if not any(classes.get(lemma) == action for w in _words(span) for lemma in _lemmas(w)):
            out.append(Problem("fact-action", f"{where} citation {i + 1}",
                               f"no word of the span is an action of class {action!r}: {span[:80]!r}"))
        words = set(_words(span))
        if fact.key.value == "denied" and not (words & (_ABSENCE_CUES | _DENIAL_CUES)
                                               or any(w.endswith("n't") for w in words)):
            out.append(Problem("fact-denial", f"{where} citation {i + 1}",
                               f"a denied act, but the span has no negation or denial: {span[:80]!r}"))
    return out


def _check_act(fact: Fact, where: str, cits: list[Citation], sources: _Sources) -> list[Problem]:
    """Each span names the act of a date or place fact (slot 'lemma:object:participants') by one of its words."""
    lemma = fact.key.slot.partition(":")[0]
    words = act_words(lemma)
    out = []
    for i, cit in enumerate(cits):
        span = sources.span_text(cit)
        if not any(w in words or _lemmas(w) & words for w in _words(span)):
            out.append(Problem("fact-action", f"{where} citation {i + 1}",
                               f"no word of the span names the act {lemma!r}: {span[:80]!r}"))
    return out


def _check_date_fact(fact: Fact, where: str, cits: list[Citation], sources: _Sources) -> list[Problem]:
    """The statement gives the key's date and no other; every span gives that date (relative ones resolved)."""
    value = fact.key.value
    if date_range(value) is None:
        return [Problem("fact-key", where, f"date key {value!r} is not an ISO date, month or year")]
    out = []
    stated = {d.value for d in find_dates(fact.statement, None)}
    if stated != {value}:
        out.append(Problem("fact-statement", where, f"the statement gives {sorted(map(str, stated))}, not {value}"))
    for i, cit in enumerate(cits):
        if not any(d.value == value for d in sources.span_dates(cit)):
            out.append(Problem("fact-value", f"{where} citation {i + 1}",
                               f"the span does not give the date {value}: {sources.span_text(cit)[:80]!r}"))
    return out + _check_act(fact, where, cits, sources)


def _place_names(value: str, sources: _Sources) -> set[str]:
    """The folded names the key's place goes by: an entity's name and variants, a country's names, else the
    folded name the key is."""
    entity = sources.entities.get(value)
    if entity is not None:
        return {fold(n) for n in [entity.name, *entity.variants]}
    if value.startswith("country:"):
        return {k for k, c in country_index().items() if c == value.removeprefix("country:")}
    return {value}


def _has_folded(text: str, name: str) -> bool:
    return bool(name) and f" {name} " in f" {fold(text)} "


def _check_place_fact(fact: Fact, where: str, cits: list[Citation], sources: _Sources) -> list[Problem]:
    """The statement names the key's place, and so does every span (by any name the place goes by)."""
    known = _place_names(fact.key.value, sources)
    said = max((k for k in known if _has_folded(fact.statement, k)), key=len, default=None)
    if said is None:
        return [Problem("fact-statement", where,
                        f"the statement {fact.statement!r} does not name the place {fact.key.value!r}")]
    out = []
    for i, cit in enumerate(cits):
        span = sources.span_text(cit)
        if not any(_has_folded(span, k) for k in known):
            out.append(Problem("fact-value", f"{where} citation {i + 1}",
                               f"the span does not name the place {said!r}: {span[:80]!r}"))
    return out + _check_act(fact, where, cits, sources)


def _names(text: str) -> list[str]:
    """Capitalised words, possessives and trailing dots dropped: the names a sentence states."""
    out = []
    for m in _CAPITALISED.finditer(text):
        name = _POSSESSIVE.sub("", m.group(0))
        if name and not name.isdigit():
            out.append(name)
    return out


def _has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", text, flags=re.IGNORECASE) is not None


def _value_problems(text: str, page_date: dt.date | None, cits: list[Citation], where: str,
                    sources: _Sources) -> tuple[list[Problem], list[tuple[int, int]]]:
    """The text's dates and numbers that its cited spans do not give, and where in the text they are."""
    quotes = " … ".join(sources.span_text(c) for c in cits)
    span_quantities = [q for c in cits for q in sources.span_quantities(c)]
    span_dates = {d.value for c in cits for d in sources.span_dates(c) if d.value}
    span_numbers = {_number_text(m.group(0)) for m in _DIGITS.finditer(quotes)}
    span_numbers |= {f"{q.value:g}" for q in span_quantities}
    out = []
    dates = find_dates(text, page_date)
    for d in dates:
        if not (_has_word(quotes, d.text) or (d.value and d.value in span_dates)):
            out.append(Problem("unsupported-date", where, f"{d.text!r} ({d.value}) is in no cited span"))
    quantities = find_quantities(text, dates)
    for q in quantities:
        if not (_has_word(quotes, q.text) or _quantity_supported(q, span_quantities)):
            out.append(Problem("unsupported-number", where, f"{q.text!r} is in no cited span"))
    covered = [(d.start, d.end) for d in dates] + [(q.start, q.end) for q in quantities]
    for m in _DIGITS.finditer(text):
        if any(s <= m.start() < e for s, e in covered):
            continue
        number = _number_text(m.group(0))
        if number not in span_numbers and number.rstrip("0").rstrip(".") not in span_numbers:
            out.append(Problem("unsupported-number", where, f"{m.group(0)!r} is in no cited span"))
    return out, covered


def _check_prose(text: str, cits: list[Citation], where: str, sources: _Sources,
                 min_word_share: float) -> list[Problem]:
    """A sentence the dossier writes against the spans it cites: numbers, dates, names and words."""
    if not cits:
        return [Problem("uncited", where, f"{text[:80]!r} cites nothing")]
    quotes = " … ".join(sources.span_text(c) for c in cits)
    out, covered = _value_problems(text, sources.docs[cits[0].doc_id].date, cits, where, sources)
    for name in _names(text):
        if not _has_word(quotes, name):
            out.append(Problem("unsupported-name", where, f"{name!r} is in no cited span"))
    blanked = list(text)
    for s, e in covered:
        blanked[s:e] = " " * (e - s)
    words = _content("".join(blanked))
    if words:
        have = _normalised(quotes)
        share = sum(w in have for w in words) / len(words)
        if share < min_word_share:
            out.append(Problem("unsupported-words", where,
                               f"only {share:.0%} of its words are in the cited spans: {text[:80]!r}"))
    return out


SpanSources = _Sources
"""The documents (and resolved entities) spans are read from, for `statement_span_problems`."""


def _statement_names(statement: str, sources: _Sources, covered: list[tuple[int, int]]) -> list[str]:
    """The names a statement states: capitalised words outside its dates and amounts (`covered`), the first
    word only where it is part of an entity's name."""
    first = next((i for i, ch in enumerate(statement) if ch.isalnum()), 0)
    out = []
    for m in _CAPITALISED.finditer(statement):
        name = _POSSESSIVE.sub("", m.group(0))
        if (not name or name.isdigit() or any(s <= m.start() < e for s, e in covered)
                or (m.start() <= first and name.lower() not in sources.by_name_word)):
            continue
        out.append(name)
    return out


def _name_in(name: str, span: str, sources: _Sources) -> bool:
    """The span says the name, or another spelling of a resolved entity whose name contains it."""
    if _has_word(span, name):
        return True
    return any(_has_word(span, v) for e in sources.by_name_word.get(name.lower(), ()) for v in e.variants)


def statement_span_problems(statement: str, page_date: dt.date | None, cit: Citation, sources: _Sources,
                            where: str = "") -> list[Problem]:
    """What `statement` (written on a page dated `page_date`) says that the span `cit` does not: its numbers,
    dates and names.  The rule for each span a statement fact cites; also used to build such facts."""
    span = sources.span_text(cit)
    out, covered = _value_problems(statement, page_date, [cit], where, sources)
    for name in _statement_names(statement, sources, covered):
        if not _name_in(name, span, sources):
            out.append(Problem("unsupported-name", where, f"{name!r} is not in the span {span[:80]!r}"))
    return out


def _check_statement_fact(fact: Fact, where: str, cits: list[Citation], sources: _Sources) -> list[Problem]:
    """The statement is one span's text (verbatim or trimmed) and every span states its numbers, dates, names."""
    text = fact.statement.strip()
    home = next((c for c in cits if text and text in sources.span_text(c)), None)
    if home is None:
        return [Problem("fact-statement", where, f"the statement {fact.statement[:80]!r} is no cited span's text")]
    page_date = sources.docs[home.doc_id].date
    out = []
    for i, cit in enumerate(cits):
        out += statement_span_problems(text, page_date, cit, sources, f"{where} citation {i + 1}")
    return out


def check_dossier(dossier: Dossier, min_word_share: float = MIN_WORD_SHARE) -> list[Problem]:
    """Every way the dossier's statements go beyond the spans they cite (empty when faithful)."""
    sources = _Sources(dossier.documents, dossier.entities)
    out: list[Problem] = []
    fact_ids = {f.id for f in dossier.facts}
    for fact in dossier.facts:
        out += _check_fact(fact, sources)
        unknown = [f for f in fact.contradicted_by if f not in fact_ids]
        if unknown:
            out.append(Problem("fact-contradiction", f"fact {fact.id}", f"contradicted by unknown facts {unknown}"))
    for i, sentence in enumerate(dossier.summary):
        where = f"summary sentence {i + 1}"
        for j, cit in enumerate(sentence.citations):
            out += _check_citation(cit, f"{where} citation {j + 1}", sources)
        valid = [c for c in sentence.citations if _valid(c, sources)]
        out += _check_prose(sentence.text, valid, where, sources, min_word_share)
    for entry in dossier.timeline:
        where = f"timeline {entry.date}"
        for j, cit in enumerate(entry.citations):
            out += _check_citation(cit, f"{where} citation {j + 1}", sources)
        valid = [c for c in entry.citations if _valid(c, sources)]
        out += _check_prose(entry.text, valid, where, sources, min_word_share)
        if valid and not any(d.value == entry.date for c in valid for d in sources.span_dates(c)):
            out.append(Problem("timeline-date", where, f"no cited span gives the date {entry.date}"))
    for caution in dossier.cautions:
        for j, cit in enumerate(caution.citations):
            out += _check_citation(cit, f"caution {caution.kind} citation {j + 1}", sources)
    return out
