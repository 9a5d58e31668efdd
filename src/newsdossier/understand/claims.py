"""Claims: the checkable sentences of an article, each keyed by what it asserts.

A key is what lets paraphrases from different outlets meet: a quantity in normal
form ("two decades" and "20-year" are both 20 years), a thing said to be absent
("lacks a mutual defence clause", "will not include ...", "the absence of ...",
a table cell "Not included"), or an action class with its object ("supplying
drones", "a supplier of drones", "the provision of drones").  Keys come from the
dependency parse, so a sentence is only keyed on what it says itself.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from newsdossier.model import Claim, ClaimKind, FactKey, Modality, QuantityMention
from newsdossier.understand.atop import ATOP_NAMES, provision_of
from newsdossier.understand.quantities import plural

AGREEMENT_NOUNS = {
    "treaty", "agreement", "pact", "accord", "partnership", "deal", "alliance", "convention", "memorandum",
    "protocol", "charter", "contract", "compact",
}
PROVISION_HEADS = {"clause", "provision", "commitment", "obligation", "pledge", "guarantee", "component", "element"}
HEDGES = {"formal", "explicit", "specific", "clear", "any", "such", "full", "actual", "binding", "direct", "notable"}
INCLUDE_VERBS = {"include", "contain", "feature", "incorporate", "establish", "have", "provide"}
# "have" says what is included only of an agreement or provision ("the pact has a defence clause", "they do
# not have a defence pact"); else it is possession ("he does not have the right").
POSSESSION_VERB = "have"
LACK_VERBS = {"lack", "exclude", "omit", "miss"}
ABSENCE_NOUNS = {"absence", "lack", "exclusion", "omission"}
VAGUE_OBJECTS = {"way", "thing", "part", "role", "step", "kind", "sort", "lot", "number", "range", "array",
                 "amount", "quantity", "batch", "type", "variety", "set", "series", "host", "dozen", "couple"}
REFERENCE_NOUNS = {"mention", "reference"}
NEGATING_HEADS = {"fail", "refuse", "decline", "neglect", "omit", "stop", "cease", "deny", "reject"}
# A table cell that is only a verdict: "No", "None", "Not included", "Not explicitly mentioned".
NEGATIVE_CELL = re.compile(
    r"^(?:no|none|n/?a|absent|excluded|missing|omitted|not\s+(?:\w+ly\s+)?\w+(?:ed|en))\W*$", re.IGNORECASE
)
POSITIVE_CELL = re.compile(r"^(?:yes|included|present|✓|✔)\W*$", re.IGNORECASE)
_FUTURE = re.compile(
    r"\b(will|shall|'ll|is set to|are set to|is to|are to|expected to|plans? to|scheduled|upcoming|forthcoming)\b",
    re.IGNORECASE,
)
_REPORTED = re.compile(
    r"\b(according to|reportedly|allegedly|reports? (?:say|suggest)|accused|claimed)\b", re.IGNORECASE
)
_HYPOTHETICAL = {"could", "might", "may", "would"}
# Words whose dependency the claim reads from the parse: "no" and "without" give absence keys; negations and
# modal verbs only change a claim's modality, which matters only for a claim with keys.
PARSE_CUE_WORDS = frozenset({"no", "without"})
MODAL_CUE_WORDS = frozenset({"not", "n't", "n’t", "never", "nor", *_HYPOTHETICAL})
_MODAL_TEXT = re.compile(r"\b(?:not|never|nor|could|might|may|would)\b|n['’]t\b|cannot\b", re.IGNORECASE)
_SPEAKER_LABEL = re.compile(r"^([A-Z][\w.’'-]*(?:\s+[\w.’'-]+){0,3}):\s")
_OPINION = re.compile(r"\b(I think|I believe|in my view|in my opinion|we believe)\b", re.IGNORECASE)
_DEFINITE_COUNT = re.compile(r"\b(the|these|those|their|its|our|all|both)\s+$", re.IGNORECASE)
_SPELLING = ((re.compile(r"(defen|offen|licen|preten)ce$"), r"\1se"), (re.compile(r"([bvlmh])our$"), r"\1or"),
             (re.compile(r"(?<=..)tre$"), "ter"), (re.compile(r"isation$"), "ization"))


@lru_cache(maxsize=1)
def action_classes() -> dict[str, str]:
    text = resources.files("newsdossier.data").joinpath("actions.tsv").read_text("utf-8")
    pairs = (line.split("\t")[:2] for line in text.splitlines() if line and not line.startswith("#"))
    return {lemma.strip(): cls.strip() for lemma, cls in pairs}


def normal_word(lemma: str) -> str:
    """One spelling for British/American variants (defence/defense, centre/center)."""
    word = lemma.lower()
    for pattern, repl in _SPELLING:
        word = pattern.sub(repl, word)
    return "agreement" if word in AGREEMENT_NOUNS else word


def phrase(tokens: list[Token], head: Token) -> str:
    """Normalised lemmas of a noun phrase's content words, hedges and provision heads dropped."""
    words = [t for t in tokens if t.pos_ in ("NOUN", "PROPN", "ADJ") and t.dep_ not in ("det", "poss", "nummod")]
    lemmas = [normal_word(t.lemma_) for t in words if t.is_alpha and t.lemma_.lower() not in HEDGES]
    if len(lemmas) > 1 and head.lemma_.lower() in PROVISION_HEADS:
        lemmas = lemmas[:-1]
    return " ".join(lemmas)


def _of_complement(head: Token) -> Token | None:
    for prep in head.rights:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def concept(head: Token) -> str:
    """The normalised noun phrase headed by `head`, with its 'of' complement.

    'no mention of X' is about X itself, so a reference noun gives way to its complement.
    """
    pobj = _of_complement(head)
    if pobj is not None and head.lemma_.lower() in REFERENCE_NOUNS:
        return concept(pobj)
    text = phrase([t for t in head.subtree if t.i <= head.i], head)
    return text + " of " + concept(pobj) if pobj is not None else text


def surface(head: Token) -> str:
    """The words `concept` reads, as written: what an ATOP provision pattern is matched against."""
    pobj = _of_complement(head)
    if pobj is not None and head.lemma_.lower() in REFERENCE_NOUNS:
        return surface(pobj)
    text = head.doc[head.left_edge.i : head.i + 1].text
    return text + " of " + surface(pobj) if pobj is not None else text


def real_object(tok: Token) -> Token:
    """What a quantity or vague noun is of: 'a range of drones', '55 billion cubic metres of gas', 'hundreds of
    drones'."""
    measured = (tok.lemma_.lower() in VAGUE_OBJECTS or tok.doc.vocab[tok.lemma_.lower()].like_num
                or any(c.dep_ == "nummod" for c in tok.children))
    pobj = _of_complement(tok) if measured else None
    return real_object(pobj) if pobj is not None else tok


def _objects(tok: Token) -> Iterator[Token]:
    for child in tok.children:
        if child.dep_ in ("dobj", "attr", "nsubjpass", "oprd"):
            yield child
            yield from (c for c in child.conjuncts if c.pos_ in ("NOUN", "PROPN"))


def _of_objects(tok: Token) -> Iterator[Token]:
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "with"):
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    yield pobj
                    yield from (c for c in pobj.conjuncts if c.pos_ in ("NOUN", "PROPN"))


def _negated(tok: Token) -> bool:
    """Negated itself, or the complement of a negated or negating verb ('did not agree to', 'failed to')."""
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    head = tok.head
    return tok.dep_ == "xcomp" and head is not tok and (head.lemma_.lower() in NEGATING_HEADS or _negated(head))


def _denied_noun(tok: Token) -> bool:
    """An action noun said to be missing: 'no deliveries', 'the absence of arms transfers', 'without sales'."""
    for node in (tok, *tok.ancestors):
        if any(c.dep_ == "det" and c.lower_ == "no" for c in node.children):
            return True
        lemma = node.lemma_.lower()
        if lemma in ABSENCE_NOUNS or (node.dep_ == "prep" and node.lower_ == "without"):
            return True
        if node.pos_ in ("VERB", "AUX"):
            return _negated(node) or lemma in LACK_VERBS
    return False


def _about_agreement(tok: Token, negated: bool) -> bool:
    """An agreement or provision is the subject ('the pact has ...'), or the object of a denial ('they do not
    have a defence pact'); 'the firm has a good agreement' is possession."""
    heads = ("agreement", *PROVISION_HEADS)
    deps = ("nsubj", "nsubjpass", "dobj", "attr") if negated else ("nsubj", "nsubjpass")
    return any(c.dep_ in deps and normal_word(c.lemma_) in heads for c in tok.children)


def absence_keys(sent: Span) -> list[FactKey]:
    """Things the sentence says are absent (or, for include-verbs, present)."""
    found: dict[str, tuple[str, str]] = {}

    def put(obj: Token, state: str, keep: bool = False) -> None:
        name = concept(obj)
        if keep:
            found.setdefault(name, (state, surface(obj)))
        else:
            found[name] = (state, surface(obj))

    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") and lemma in INCLUDE_VERBS:
            state = "absent" if _negated(tok) else "present"
            if lemma == POSSESSION_VERB and not _about_agreement(tok, state == "absent"):
                continue
            for obj in _objects(tok):
                if obj.pos_ == "NOUN":
                    put(obj, state, keep=True)
        elif tok.pos_ == "VERB" and lemma in LACK_VERBS and not _negated(tok):
            for obj in _objects(tok):
                put(obj, "absent")
        elif tok.pos_ == "NOUN" and lemma in ABSENCE_NOUNS:
            for obj in _of_objects(tok):
                put(obj, "absent")
        elif tok.dep_ == "det" and tok.lower_ == "no" and tok.head.pos_ == "NOUN":
            put(tok.head, "absent")
        elif tok.dep_ == "prep" and tok.lower_ == "without":
            for pobj in tok.children:
                if pobj.dep_ == "pobj" and pobj.pos_ == "NOUN" and any(
                        d.dep_ == "det" and d.lower_ in ("a", "an", "any") for d in pobj.children):
                    put(pobj, "absent")
    keys: dict[tuple[str, str], FactKey] = {}
    for name, (state, written) in found.items():
        if name:
            key = absence_key(name, state, written)
            keys.setdefault((key.slot, key.value), key)
    return list(keys.values())


def absence_key(name: str, state: str, written: str = "") -> FactKey:
    """The key of a concept said to be absent or included; an ATOP provision (`written` as the text has it,
    else `name`) is keyed by its column, so its paraphrases are one fact."""
    column = provision_of(written or name)
    if column is not None:
        name = ATOP_NAMES[column]
        slot = f"atop:{column}"
    else:
        slot = name
    label = f"no {name}" if state == "absent" else f"includes {name}"
    return FactKey(kind="absence", slot=slot, value=state, label=label)


def _hyphenated(tok: Token) -> bool:
    """Part of a hyphenated modifier ('full-scale'), not a noun of its own."""
    doc = tok.doc
    return (tok.i + 1 < len(doc) and doc[tok.i + 1].text == "-") or (tok.i > 0 and doc[tok.i - 1].text == "-")


def relation_keys(sent: Span) -> list[FactKey]:
    """Action class + object for every verb or action noun of the lexicon in the sentence; value 'denied'
    where a verb is negated or denied ('did not supply', 'denied sending').  An action noun said to be
    missing gives no key: 'no mention of arms transfers' denies nothing about transfers."""
    classes = action_classes()
    keys: dict[tuple[str, str], FactKey] = {}
    for tok in sent:
        action = classes.get(tok.lemma_.lower())
        if action is None or (tok.pos_ == "NOUN" and _denied_noun(tok)):
            continue
        value = "denied" if _negated(tok) else ""
        if tok.pos_ == "VERB":
            objs = [*_objects(tok), *_of_objects(tok)]
        elif tok.pos_ == "NOUN":
            objs = [*_of_objects(tok), *(c for c in tok.lefts if c.dep_ == "compound" and not _hyphenated(c))]
            if action in EXCLUSIVE_ACTIONS:
                objs += _prep_objects(tok, ("for",))
        else:
            continue
        agent = None
        if action in EXCLUSIVE_ACTIONS:
            agent = _agent(tok)
            if agent is None or value:
                continue  # who did it is the point: no key without a named doer, none for a denial
        for obj in map(real_object, objs):
            if obj.pos_ != "NOUN" or obj.lemma_.lower() in VAGUE_OBJECTS:
                continue
            if agent is not None and not _definite(obj):
                continue  # 'won a seat' is one of many; 'won the election' has one winner
            name = normal_word(obj.lemma_)
            slot = f"{action}:{name}"
            said = obj.lower_ if obj.tag_ in ("NNS", "NNPS") else name
            key_value, label = value, f"{action} {said}"
            if agent is not None:
                who = agent.doc[agent.left_edge.i : agent.i + 1].text
                key_value, label = "by:" + who, f"{label} by {who}"
            keys.setdefault((slot, key_value), FactKey(kind="relation", slot=slot, value=key_value, label=label))
    return list(keys.values())


# Acts only one doer can have done to a given object: two outlets naming different doers contradict each other.
EXCLUSIVE_ACTIONS = frozenset({"win", "perpetrate"})
_DEFINITE_WORDS = frozenset({"the", "this", "that"})
_CLAIMING_VERBS = frozenset({"claim", "take", "accept", "bear", "admit", "assume"})


def _prep_objects(tok: Token, preps: tuple[str, ...]) -> list[Token]:
    return [p for c in tok.children if c.dep_ == "prep" and c.lower_ in preps for p in c.children if p.dep_ == "pobj"]


def _definite(obj: Token) -> bool:
    """A named or definite object ('the election', 'Sunday's attack'), not one of many ('a seat')."""
    return obj.pos_ == "PROPN" or any(
        (c.dep_ == "det" and c.lower_ in _DEFINITE_WORDS) or c.dep_ == "poss" for c in obj.children)


def _agent(tok: Token) -> Token | None:
    """Who did it, by name: an active verb's subject, a passive's 'by' phrase; for 'responsibility', the subject of
    the verb claiming it.  Pronouns and common nouns ('the group') name no one."""
    verb = tok
    if tok.pos_ == "NOUN":
        if tok.dep_ != "dobj" or tok.head.lemma_.lower() not in _CLAIMING_VERBS:
            return None
        verb = tok.head
    for child in verb.children:
        found = child if child.dep_ == "nsubj" else next(
            (p for p in child.children if p.dep_ == "pobj"), None) if child.dep_ == "agent" else None
        if found is not None:
            return found if found.pos_ == "PROPN" else None
    return None


def human_number(value: float) -> str:
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= scale:
            return f"{value / scale:g} {word}"
    return f"{value:,.0f}" if value == int(value) else f"{value:g}"


def quantity_key(q: QuantityMention) -> FactKey:
    slot = ":".join(filter(None, (q.dimension, q.unit, q.measured))) + (f"/{q.per}" if q.per else "")
    value = ("~" if q.approximate else "") + f"{q.value:g}"
    amount = ("about " if q.approximate else "") + human_number(q.value)
    unit = q.unit if q.value == 1 or q.unit in ("percent",) or q.unit.isupper() else plural(q.unit)
    text = f"{amount} {unit}" + (f" of {q.measured}" if q.measured else "") + (f" per {q.per}" if q.per else "")
    label = f"{q.dimension}: {text}" if q.dimension in ("duration",) else text
    return FactKey(kind="quantity", slot=slot, value=value, label=label)


# Nouns that name the kind of the names just listed: 'Russia and Iran, two nations ...' counts the list again.
CATEGORY_NOUNS = frozenset({
    "nation", "country", "state", "power", "side", "party", "leader", "president", "company", "firm", "team",
    "city", "group", "organisation", "organization", "neighbour", "neighbor", "ally", "rival", "giant", "man",
    "woman", "brother", "sister", "player", "candidate", "economy", "government", "region", "republic",
})
_LISTED_NAMES = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*(?:\s*,\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)*"
                           r"\s*,?\s+and\s+(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*\s*,\s*\Z")


def restates_list(text: str, q: QuantityMention) -> bool:
    """A count in apposition to the names just listed, of as many of their kind ('Russia and Iran, two nations')."""
    if q.dimension != "count" or q.unit not in CATEGORY_NOUNS:
        return False
    listed = _LISTED_NAMES.search(text[max(0, q.start - 120) : q.start])
    if listed is None:
        return False
    before_and = listed.group().rstrip().rstrip(",").rsplit(" and ", 1)[0].rstrip(" ,")
    return q.value == before_and.count(",") + 2


def quantity_keys(text: str, start: int, end: int, quantities: list[QuantityMention]) -> list[FactKey]:
    """A key for each figure of the span but counts that point back ('the two sides', 'Russia and Iran, two
    nations')."""
    keys = []
    for q in quantities:
        if start <= q.start and q.end <= end:
            if q.dimension == "count" and _DEFINITE_COUNT.search(text[max(0, q.start - 12) : q.start]):
                continue
            if restates_list(text, q):
                continue
            keys.append(quantity_key(q))
    return keys


_ANONYMOUS = re.compile(
    r"\b(?:anonymous|unnamed|unidentified)\s+(?:\w+\s+)?(?:sources?|officials?|persons?|people|diplomats?|officers?"
    r"|insiders?|aides?)\b"
    r"|\b(?:sources?|insiders?)\s+(?:close\s+to|familiar\s+with|briefed\s+on|with\s+(?:direct\s+)?knowledge\s+of)\b"
    r"|\b(?:people|persons?|officials?)\s+(?:familiar\s+with|briefed\s+on|with\s+(?:direct\s+)?knowledge\s+of)\b"
    r"|\b(?:on|under)\s+(?:the\s+)?condition\s+of\s+anonymity\b"
    r"|\bwho\s+(?:asked|declined|requested)\s+(?:not\s+)?(?:to\s+)?(?:be|being)\s+(?:named|identified)\b"
    r"|\b(?:according\s+to|citing)\s+(?:\w+\s+)?sources\b(?!\s+of\b)"
    r"|\bsources\s+(?:said|say|says|told|tell)\b",
    re.IGNORECASE,
)


def anonymous_attribution(text: str) -> bool:
    """The sentence rests on sources it does not name ('sources familiar with', 'on condition of anonymity')."""
    return bool(_ANONYMOUS.search(text))


def worded_modality(text: str) -> Modality | None:
    """The modality the wording alone settles (reported, planned), else None."""
    if _REPORTED.search(text):
        return "reported"
    if _FUTURE.search(text):
        return "planned"
    return None


def modality(sent: Span) -> Modality:
    worded = worded_modality(sent.text)
    if worded:
        return worded
    root = sent.root
    if any(c.lower_ in _HYPOTHETICAL and c.dep_ == "aux" for c in root.children):
        return "hypothetical"
    if _negated(root):
        return "denied"
    return "done"


def speaker_label(paragraph_text: str) -> str | None:
    """The 'Name:' label a transcript paragraph starts with, as written (None if it has none)."""
    m = _SPEAKER_LABEL.match(paragraph_text)
    return " ".join(m.group(1).split()) if m else None


def speaker_of(paragraph_text: str) -> str | None:
    """The paragraph's speaker label, normalised for comparison."""
    label = speaker_label(paragraph_text)
    return label.lower() if label else None


def speakers(paragraph_texts: list[str]) -> set[str]:
    """Labels that open two or more paragraphs: the speakers of an interview or transcript."""
    counts = Counter(s for s in map(speaker_of, paragraph_texts) if s)
    return {label for label, n in counts.items() if n >= 2}


def claim_kind(sent_text: str, paragraph_text: str, transcript_speakers: set[str] | frozenset[str] = frozenset()
               ) -> ClaimKind:
    """Quote for speech (a transcript speaker's paragraph, or a sentence in quotation marks), opinion, statement."""
    if speaker_of(paragraph_text) in transcript_speakers or sent_text.lstrip().startswith(("“", '"')):
        return "quote"
    if _OPINION.search(sent_text):
        return "opinion"
    return "statement"


def table_claims(doc_id: str, text: str, start: int, end: int, parsed: Doc,
                 quantities: list[QuantityMention]) -> list[Claim]:
    """One claim per table row: a 'not included' cell says its row label is absent."""
    claims = []
    offset = start
    for row in text[start:end].split("\n"):
        row_start, row_end = offset, offset + len(row)
        offset = row_end + 1
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        keys = quantity_keys(text, row_start, row_end, quantities)
        verdict = "absent" if NEGATIVE_CELL.match(cells[-1]) else "present" if POSITIVE_CELL.match(cells[-1]) else ""
        if len(cells) == 2 and cells[0] and verdict:
            cell_at = text.index(cells[0], row_start) - start
            span = parsed.char_span(cell_at, cell_at + len(cells[0]), alignment_mode="expand")
            name = phrase(list(span), span.root) if span is not None and len(span) else ""
            if name:
                keys.append(absence_key(name, verdict, cells[0]))
        if keys:
            claims.append(Claim(doc_id=doc_id, start=row_start, end=row_end, text=row, keys=keys))
    return claims


def sentence_claims(doc_id: str, text: str, para_start: int, paragraph_text: str,
                    sentences: Iterable[tuple[int, int, Span | None]], quantities: list[QuantityMention],
                    transcript_speakers: set[str] | None = None) -> list[Claim]:
    """Claims from the sentences of one paragraph (questions are not claims).

    Each sentence is (start, end) in the paragraph with its parse, or None where `parse_selection`
    found nothing the parse could add: its keys come from its quantities alone and its modality from
    its wording, or is None (not assessed) when it has a negation or modal verb whose scope only the
    parse could tell.
    """
    claims = []
    label = speaker_label(paragraph_text)
    speaker = label if label and label.lower() in (transcript_speakers or set()) else None
    match = _SPEAKER_LABEL.match(paragraph_text)
    label_end = match.end() if speaker and match else 0
    for sent_start, sent_end, sent in sentences:
        raw = paragraph_text[sent_start:sent_end]
        s_text = raw.strip()
        if not s_text or s_text.rstrip("\"”’')»").endswith("?"):
            continue
        lead = len(raw) - len(raw.lstrip())
        if sent_start + lead < label_end:
            s_text = paragraph_text[label_end:sent_end].strip()
            lead = label_end - sent_start
            if not s_text:
                continue
        start = para_start + sent_start + lead
        end = start + len(s_text)
        keys = quantity_keys(text, start, end, quantities)
        if sent is not None:
            keys += absence_keys(sent) + relation_keys(sent)
        claims.append(Claim(
            doc_id=doc_id, start=start, end=end, text=s_text,
            kind=claim_kind(s_text, paragraph_text, transcript_speakers or set()),
            modality=modality(sent) if sent is not None else worded_modality(s_text) or (
                None if _MODAL_TEXT.search(s_text) else "done"),
            speaker=speaker, keys=keys,
        ))
    return claims


def parse_cue_lemmas() -> frozenset[str]:
    """Lemmas whose presence lets the parse change a sentence's claim (see `parse_selection`).

    The possession verb counts only beside an agreement or provision noun (`agreement_cue_lemmas`).
    """
    return frozenset(INCLUDE_VERBS - {POSSESSION_VERB} | LACK_VERBS | NEGATING_HEADS | ABSENCE_NOUNS
                     | set(action_classes()))


def agreement_cue_lemmas() -> frozenset[str]:
    return frozenset(AGREEMENT_NOUNS | PROVISION_HEADS)
