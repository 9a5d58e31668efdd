"""Coded events: who did what to whom, when and where, in PLOVER with the CAMEO code where one maps.

A sentence is coded only when it holds a verb or event noun of the shipped lexicon (data/plover.tsv, with
its sources), so only those few sentences are parsed again.  Every field comes from the sentence itself
through the dependency parse: the actor is the trigger's subject (or the subject it inherits from the verb
it depends on), the target its object or a 'with/against/to' complement, the place a named location
governed by 'in/at', the date a date expression attached to the same clause.  Nothing is carried over from
another sentence; where the sentence does not settle a value, the value is 'unknown' (time) or absent.
As in PLOVER, an act with no named source actor is not coded.

Status comes from grammar: negation (denied), modal or conditional (hypothetical), future, intention or a
date after the page's (planned), reported speech or allegation (reported), else done.  Following the PLOVER
codebook, a cooperative act reported as future is coded AGREE (an intention), the intended type kept aside.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import get_args

from spacy.language import Language
from spacy.tokens import Span, Token

from newsdossier.model import (
    Citation,
    CodedEvent,
    DateMention,
    Document,
    Entity,
    EventActor,
    EventPlace,
    EventStatus,
    EventTime,
    Mention,
    PloverType,
)
from newsdossier.understand.claims import AGREEMENT_NOUNS
from newsdossier.understand.entities import country_of, leader_by_surname, leader_of, strip_name, translit_key
from newsdossier.understand.parse_cache import parse_texts

PLOVER_TYPES: frozenset[str] = frozenset(get_args(PloverType))
COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
# CAMEO 03x 'express intent to ...' for an intended cooperative act (PLOVER CAMEO2PLOVER-2021 table).
INTENT_CAMEO = {"CONSULT": "036", "SUPPORT": "032", "COOPERATE": "031", "AID": "033", "CONCEDE": "035",
                "RETREAT": "035"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
COUNTRY_LABELS = {"GPE", "NORP", "LOC", "FAC", "ORG"}
LOCATIVE = {"in", "at", "near", "inside", "outside"}
MOTION = {"visit", "travel", "arrive", "come", "go", "fly", "trip"}
TARGET_PREPS = {"with", "against", "to", "toward", "towards", "on", "upon"}
LIGHT_VERBS = {"hold", "conduct", "make", "pay", "carry", "launch", "stage", "have", "begin", "start", "resume",
               "open", "continue", "impose", "issue", "level", "lodge", "announce", "order", "mount"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
MODAL_AUX = {"could", "might", "may", "would", "should", "must"}
PLAN_HEADS = {"plan", "set", "expect", "intend", "aim", "hope", "seek", "want", "prepare", "schedule", "poise",
              "due", "propose", "anticipate", "slate", "go", "try", "agree", "promise", "pledge", "vow", "offer",
              "commit", "threaten", "decide", "wish", "look"}
NEGATING_HEADS = {"fail", "refuse", "decline", "neglect", "omit", "stop", "cease", "deny", "reject", "avoid"}
REPORT_VERBS = {"say", "tell", "report", "claim", "allege", "suggest", "indicate", "state", "hint", "confirm",
                "insist", "assert", "argue", "add", "write", "accuse", "contend", "believe", "announce"}
REPORT_ADVERBS = {"reportedly", "allegedly", "purportedly", "supposedly", "apparently"}
PLANNED_MODIFIERS = {"upcoming", "forthcoming", "planned", "proposed", "scheduled", "future", "expected",
                     "prospective", "impending"}
GENERIC_SUBJECTS = {"which", "that", "who", "whom"}
CONTROL_PREPS = {"of", "from", "into"}


@dataclass(frozen=True)
class LexEntry:
    word: str
    kind: str
    plover: str
    mode: str | None
    cameo: str | None
    flags: frozenset[str] = frozenset()
    refines: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Lexicon:
    triggers: dict[tuple[str, str], LexEntry]
    objects: dict[str, list[LexEntry]]
    areas: dict[str, tuple[str | None, str]]
    prefilter: re.Pattern[str]


def _cell(value: str) -> str | None:
    value = value.strip()
    return None if value in ("", "-") else value


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The rows of data/plover.tsv, indexed for coding."""
    text = resources.files("newsdossier.data").joinpath("plover.tsv").read_text("utf-8")
    triggers: dict[tuple[str, str], LexEntry] = {}
    objects: dict[str, list[LexEntry]] = {}
    areas: dict[str, tuple[str | None, str]] = {}
    stems: set[str] = set()
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        word, kind, kind_value, mode, cameo, flag_cell = (line.split("\t") + ["-"] * 6)[:6]
        flags: set[str] = set()
        refines: frozenset[str] = frozenset()
        for flag in (_cell(flag_cell) or "").split("|"):
            if flag.startswith("forms="):
                stems.update(flag[6:].split(","))
            elif flag.startswith("for="):
                refines = frozenset(flag[4:].split(","))
            elif flag:
                flags.add(flag)
        if kind == "C":
            areas[word] = (_cell(kind_value), _cell(mode) or word)
            continue
        if kind_value not in PLOVER_TYPES:
            raise ValueError(f"plover.tsv: unknown PLOVER type {kind_value!r} for {word!r}")
        entry = LexEntry(word, kind, kind_value, _cell(mode), _cell(cameo), frozenset(flags), refines)
        if kind == "O":
            objects.setdefault(word, []).append(entry)
        else:
            triggers[(word, kind)] = entry
            stems.add(word[:-1] if len(word) > 4 and word[-1] in "ey" else word)
    pattern = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, stems), key=len, reverse=True)) + ")",
                         re.IGNORECASE)
    return Lexicon(triggers, objects, areas, pattern)


def has_trigger_word(text: str) -> bool:
    """Cheap test before parsing: does the text contain a word that may inflect a lexicon entry?"""
    return lexicon().prefilter.search(text) is not None


def cite(doc: Document, start: int, end: int) -> Citation:
    return Citation(doc_id=doc.id, start=start, end=end, quote=doc.text[start:end], outlet=doc.outlet)


@dataclass
class SentenceContext:
    """What coding one parsed sentence needs from its document."""

    doc: Document
    start: int
    sent: Span
    mentions: list[Mention]
    dates: list[DateMention]
    entities: dict[str, Entity] = field(default_factory=dict)
    page_countries: frozenset[str] = frozenset()

    def char(self, tok: Token) -> int:
        return self.start + tok.idx - self.sent.start_char

    def span_of(self, tokens: Sequence[Token]) -> tuple[int, int]:
        first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
        return self.char(first), self.char(last) + len(last.text)

    def cite_tokens(self, tokens: Sequence[Token]) -> Citation:
        return cite(self.doc, *self.span_of(tokens))

    def mention_at(self, tok: Token) -> Mention | None:
        at = self.char(tok)
        return next((m for m in self.mentions if m.start <= at < m.end), None)

    def token_at(self, offset: int) -> Token | None:
        rel = offset - self.start + self.sent.start_char
        return next((t for t in self.sent if t.idx <= rel < t.idx + max(1, len(t.text))), None)


@dataclass
class Found:
    """An act found in a sentence, with the tokens that agreement coding also needs."""

    event: CodedEvent
    trigger: Token
    objects: list[Token]
    has_actor: bool


def sentence_context(doc: Document, start: int, sent: Span, entities: dict[str, Entity] | None = None,
                     page_countries: frozenset[str] = frozenset()) -> SentenceContext:
    end = start + len(sent.text)
    return SentenceContext(
        doc=doc, start=start, sent=sent,
        mentions=[m for m in doc.mentions if start <= m.start and m.end <= end],
        dates=[d for d in doc.dates if start <= d.start and d.end <= end],
        entities=entities or {}, page_countries=page_countries,
    )


def _governors(tok: Token) -> list[Token]:
    """The trigger and the verbs whose tense, subject and modifiers it shares (xcomp, purpose clause, conj)."""
    chain = [tok]
    cur = tok
    for _ in range(5):
        if cur.dep_ not in ("xcomp", "advcl", "conj") or cur.head.i == cur.i:
            break
        if cur.dep_ == "advcl" and any(c.dep_ == "mark" for c in cur.children):
            break
        cur = cur.head
        chain.append(cur)
    return chain


def _clause_head(tok: Token) -> Token:
    """An event noun's light verb ('hold talks', 'impose sanctions'), else the trigger itself."""
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "dobj" and tok.head.lemma_.lower() in LIGHT_VERBS:
        return tok.head
    return tok


def _expand(tok: Token) -> list[Token]:
    return [tok, *(c for c in tok.conjuncts if c.pos_ in ("PROPN", "NOUN", "PRON"))]


def _pobjs(tok: Token, preps: set[str]) -> list[Token]:
    out: list[Token] = []
    for prep in tok.children:
        if prep.dep_ in ("prep", "agent", "dative") and prep.lower_ in preps:
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    out += _expand(pobj)
    return out


def subjects_of(tok: Token) -> tuple[list[Token], bool]:
    """(subject tokens, passive?) of a verb, inherited through the verbs and phrases it depends on.

    'X met ... to sign' and 'X is set to formalize' lend X; 'accused Y of supporting' and 'urged Y to stop'
    lend the object Y; a relative clause its antecedent.
    """
    cur = tok
    for _ in range(8):
        agents = [p for c in cur.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        if agents:
            return _expand(agents[0]), False
        passive = [c for c in cur.children if c.dep_ == "nsubjpass"]
        if passive:
            return _expand(passive[0]), cur.i == tok.i
        subj = [c for c in cur.children if c.dep_ in ("nsubj", "csubj")]
        if subj:
            if subj[0].lower_ in GENERIC_SUBJECTS and cur.dep_ == "relcl":
                return _expand(cur.head), False
            return _expand(subj[0]), False
        if cur.dep_ == "relcl" or (cur.dep_ == "acl" and cur.tag_ == "VBG"):
            return _expand(cur.head), False
        if cur.dep_ == "acl" or cur.head.i == cur.i:
            break
        head = cur.head
        if cur.dep_ == "xcomp" or (cur.dep_ == "pcomp" and head.lower_ in CONTROL_PREPS):
            verb = head.head if head.pos_ == "ADP" and head.head.i != head.i else head
            controller = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
            if controller and verb.pos_ == "VERB":
                return _expand(controller[0]), False
        cur = head
    return [], False


def _phrase_tokens(tok: Token) -> list[Token]:
    """The noun phrase a token heads, without clauses, appositions and coordinated phrases."""
    skip = {"relcl", "acl", "appos", "conj", "cc", "punct", "advcl", "prep"}
    out = [tok]
    for child in tok.children:
        if child.dep_ not in skip:
            out += list(child.subtree)
    return sorted(out, key=lambda t: t.i)


def is_person(m: Mention, entities: dict[str, Entity]) -> bool:
    entity = entities.get(m.entity_id or "")
    return (entity.label if entity is not None else m.label) == "PERSON"


def country_of_mention(m: Mention, entities: dict[str, Entity], page_countries: frozenset[str]) -> str | None:
    """A country's own code, or the country a gazetteer leader serves."""
    entity = entities.get(m.entity_id or "")
    if entity is not None and entity.country_code:
        return entity.country_code
    if is_person(m, entities):
        key = translit_key(strip_name(entity.name if entity is not None else m.text))
        leader = leader_of(key) or (leader_by_surname(key, set(page_countries)) if " " not in key else None)
        return leader.country if leader is not None else None
    if m.label in COUNTRY_LABELS:
        code = country_of(m.text)
        if code:
            return code
        parts = [country_of(p) for p in re.split(r"[-–/]", m.text) if p.strip()]
        if len(parts) == 1 and parts[0]:
            return parts[0]
    return None


def resolve_actor(tok: Token, ctx: SentenceContext) -> EventActor | None:
    """The participant a token names: a mention, its possessor ('Russia's forces' -> Russia), or a common noun
    with a country modifier ('Iranian officials')."""
    if tok.pos_ == "PRON" or tok.lemma_.lower() in AGREEMENT_NOUNS:
        return None
    phrase = _phrase_tokens(tok)
    m = ctx.mention_at(tok)
    if m is None or m.label not in ACTOR_LABELS:
        owner = next((c for c in tok.children if c.dep_ == "poss" and ctx.mention_at(c) is not None), None)
        if owner is not None and tok.pos_ in ("NOUN", "PROPN"):
            return resolve_actor(owner, ctx)
    mods = [x for x in (ctx.mention_at(t) for t in phrase if t.i != tok.i) if x is not None and x is not m]
    mod_country = next((c for c in (country_of_mention(x, ctx.entities, ctx.page_countries) for x in mods
                                    if x.label in COUNTRY_LABELS and not is_person(x, ctx.entities)) if c), None)
    if m is None or m.label not in ACTOR_LABELS:
        if mod_country is None or tok.pos_ not in ("NOUN", "PROPN"):
            return None
        return EventActor(text=ctx.doc.text[slice(*ctx.span_of(phrase))], country=mod_country,
                          citation=ctx.cite_tokens(phrase))
    entity = ctx.entities.get(m.entity_id or "")
    country = country_of_mention(m, ctx.entities, ctx.page_countries)
    if mod_country and (country is None or is_person(m, ctx.entities)):
        country = mod_country
    return EventActor(text=m.text, entity_id=m.entity_id, name=entity.name if entity else None, country=country,
                      citation=cite(ctx.doc, m.start, m.end))


def _phrase_actors(tok: Token, ctx: SentenceContext) -> list[EventActor]:
    """'Russian and Iranian presidents': one actor per country the modifiers name; else the one actor."""
    if (ctx.mention_at(tok) is None and tok.pos_ == "NOUN") or tok.tag_ == "NNPS":
        mods = [x for x in (ctx.mention_at(c) for c in _phrase_tokens(tok) if c.i != tok.i) if x is not None]
        countries = {x.start: (x, country_of_mention(x, ctx.entities, ctx.page_countries)) for x in mods
                     if x.label in COUNTRY_LABELS and not is_person(x, ctx.entities)}
        if len({c for _, c in countries.values() if c}) > 1:
            return [EventActor(text=x.text, entity_id=x.entity_id, country=c, citation=cite(ctx.doc, x.start, x.end))
                    for x, c in countries.values() if c]
    actor = resolve_actor(tok, ctx)
    return [actor] if actor is not None else []


def _actors(tokens: Iterable[Token], ctx: SentenceContext) -> list[EventActor]:
    out: list[EventActor] = []
    for tok in tokens:
        for actor in _phrase_actors(tok, ctx):
            if all(a.citation.start != actor.citation.start for a in out):
                out.append(actor)
    return out


def _object_tokens(tok: Token) -> list[Token]:
    if tok.pos_ in ("NOUN", "PROPN"):
        return _pobjs(tok, {"of"})
    objs = [c for c in tok.children if c.dep_ in ("dobj", "dative")]
    objs += [c for c in tok.children if c.dep_ == "nsubjpass"]
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        objs.append(tok.head)
    return [t for o in objs for t in _expand(o)]


def _place(chain: list[Token], objects: list[Token], ctx: SentenceContext, lemma: str) -> EventPlace | None:
    """A named location governed by 'in/at' (or 'to' for a visit) on the clause, or a 'during' event noun."""
    preps = LOCATIVE | ({"to"} if lemma in MOTION else set())
    heads = [*chain, *objects]
    for head in heads:
        for pobj in _pobjs(head, preps):
            m = ctx.mention_at(pobj)
            if m is not None and m.label in PLACE_LABELS:
                return EventPlace(text=m.text, entity_id=m.entity_id,
                                  country=country_of_mention(m, ctx.entities, ctx.page_countries),
                                  citation=cite(ctx.doc, m.start, m.end))
        for noun in _pobjs(head, {"during", "at"}):
            for pobj in _pobjs(noun, {"to", "in"}):
                m = ctx.mention_at(pobj)
                if m is not None and m.label in PLACE_LABELS:
                    return EventPlace(text=m.text, entity_id=m.entity_id,
                                      country=country_of_mention(m, ctx.entities, ctx.page_countries),
                                      citation=cite(ctx.doc, m.start, m.end))
    return None


def _date_anchor(tok: Token, stop: set[int]) -> Token:
    cur = tok
    for _ in range(8):
        if cur.i in stop or cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def _iso_page(doc: Document) -> str | None:
    return doc.date.isoformat() if doc.date else None


def _later(value: str, page: str) -> bool:
    n = min(len(value), len(page))
    return value[:n] > page[:n]


def _when(chain: list[Token], trigger: Token, ctx: SentenceContext, status: EventStatus
          ) -> tuple[EventTime, DateMention | None]:
    stop = {t.i for t in chain}
    best: tuple[int, DateMention] | None = None
    for d in ctx.dates:
        tok = ctx.token_at(d.start)
        if tok is None:
            continue
        if _date_anchor(tok, stop).i in stop:
            distance = abs(tok.i - trigger.i)
            if best is None or distance < best[0]:
                best = (distance, d)
    if best is not None:
        d = best[1]
        citation = cite(ctx.doc, d.start, d.end)
        if d.value is None:
            return EventTime(value="unknown", basis="unknown", relation="unknown", citation=citation), d
        return EventTime(value=d.value, basis="stated", citation=citation), d
    page = _iso_page(ctx.doc)
    if page and status in ("done", "reported"):
        tensed = next((t for t in chain if t.tag_ in ("VBD", "VBZ", "VBP", "VBN", "VBG")), chain[-1])
        aux = [c for t in chain for c in t.children if c.dep_ in ("aux", "auxpass")]
        past = tensed.tag_ == "VBD" or any(a.tag_ == "VBD" or a.lemma_.lower() == "have" for a in aux)
        return EventTime(value=page, basis="page-date", relation="on or before" if past else "on",
                         citation=ctx.cite_tokens([tensed])), None
    return EventTime(value="unknown", basis="unknown", relation="unknown"), None


def _status(trigger: Token, chain: list[Token], ctx: SentenceContext) -> tuple[EventStatus, Token | None]:
    """denied > hypothetical > planned > reported > done, with the token that says so."""
    for t in chain:
        neg = next((c for c in t.children if c.dep_ == "neg"), None)
        if neg is not None:
            return "denied", neg
        if t.i != trigger.i and t.lemma_.lower() in NEGATING_HEADS:
            return "denied", t
    if trigger.pos_ in ("NOUN", "PROPN"):
        for node in (trigger, *list(trigger.ancestors)[:3]):
            det = next((c for c in node.children if c.dep_ == "det" and c.lower_ == "no"), None)
            if det is not None:
                return "denied", det
            if node.dep_ == "prep" and node.lower_ == "without":
                return "denied", node
    auxes = [c for t in chain for c in t.children if c.dep_ in ("aux", "auxpass")]
    in_past_report = any(t.dep_ == "ccomp" and t.head.tag_ == "VBD" for t in chain)
    for a in auxes:
        word = a.lower_.replace("’", "'")
        if word in MODAL_AUX and not (word == "would" and in_past_report):
            return "hypothetical", a
    for t in (*chain, *trigger.ancestors):
        mark = next((c for c in t.children if c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether")), None)
        if mark is not None:
            return "hypothetical", mark
        if t.pos_ in ("VERB", "AUX") and t not in chain:
            break
    for a in auxes:
        if a.lower_.replace("’", "'") in FUTURE_AUX or (a.lower_ == "would" and in_past_report):
            return "planned", a
    for t in chain[1:]:
        if t.lemma_.lower() in PLAN_HEADS:
            return "planned", t
    for c in trigger.children:
        if c.dep_ == "amod" and c.lower_ in PLANNED_MODIFIERS:
            return "planned", c
    for t in chain:
        for c in t.children:
            if c.lower_ in REPORT_ADVERBS:
                return "reported", c
            if c.dep_ == "prep" and c.lower_ == "according":
                return "reported", c
    for t in (*chain, *trigger.ancestors):
        if t.dep_ == "ccomp" and t.head.lemma_.lower() in REPORT_VERBS:
            return "reported", t.head
        if t.i != trigger.i and t.lemma_.lower() in ("accuse", "allege", "claim") and t.pos_ == "VERB":
            return "reported", t
    return "done", None


def _entry(tok: Token) -> LexEntry | None:
    lex = lexicon().triggers
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB":
        return lex.get((lemma, "V"))
    if tok.pos_ in ("NOUN", "PROPN"):
        return lex.get((lemma, "N")) or lex.get((tok.lower_, "N"))
    return None


def _refine(entry: LexEntry, objects: list[Token]) -> LexEntry | None:
    """The object row that refines a trigger ('sent drones' -> AID military); None where a trigger that needs
    one ('provide', 'release') has no object the lexicon knows."""
    if "obj" not in entry.flags:
        return entry
    for obj in objects:
        words = [obj.lemma_.lower(), *(c.lemma_.lower() for c in obj.children if c.dep_ in ("amod", "compound"))]
        for word in words:
            for row in lexicon().objects.get(word, []):
                if entry.plover in row.refines:
                    return row
    return None if "need" in entry.flags else entry


def _event_id(doc_id: str, start: int) -> str:
    return "evt-" + hashlib.sha256(f"{doc_id}:{start}".encode()).hexdigest()[:12]


def code_sentence(ctx: SentenceContext) -> list[Found]:
    """Every act the lexicon finds in one parsed sentence, with or without a named actor."""
    found: list[Found] = []
    sent_cite = cite(ctx.doc, ctx.start, ctx.start + len(ctx.sent.text))
    taken = [(m.start, m.end) for m in ctx.mentions if m.label not in ("NORP",)]
    for tok in ctx.sent:
        entry = _entry(tok)
        at = ctx.char(tok)
        if entry is None or tok.dep_ in ("amod", "acomp") or any(s <= at < e for s, e in taken):
            continue
        if "to" in entry.flags and not any(c.lower_ == "to" or c.dep_ == "xcomp" for c in tok.children):
            continue
        if "comp" in entry.flags and not any(c.lower_ == "to" or c.dep_ in ("xcomp", "ccomp", "dobj", "dative")
                                             for c in tok.children):
            continue
        clause = _clause_head(tok)
        chain = _governors(clause)
        if clause.i != tok.i:
            chain = [tok, *chain]
        if tok.pos_ in ("NOUN", "PROPN") and clause.i == tok.i:
            agents = [c for c in tok.children if c.dep_ == "poss"] + _pobjs(tok, {"by"})
            agents += [c for c in tok.children if c.dep_ in ("amod", "compound") and ctx.mention_at(c) is not None]
            subject_tokens, passive = [t for a in agents for t in _expand(a)], False
        else:
            subject_tokens, passive = subjects_of(clause)
        objects = _object_tokens(tok)
        if passive:
            objects += [t for t in subject_tokens if t not in objects]
            subject_tokens = []
        actors = _actors(subject_tokens, ctx)
        target_tokens = [o for o in objects if resolve_actor(o, ctx) is not None]
        things = [o for o in objects if o not in target_tokens]
        for thing in things:
            target_tokens += [c for c in thing.children if c.dep_ == "poss"]
            target_tokens += _pobjs(thing, {"with", "between"})
        target_tokens += _pobjs(tok, TARGET_PREPS if tok.lemma_.lower() not in MOTION else TARGET_PREPS - {"to"})
        if clause.i != tok.i:
            target_tokens += _pobjs(clause, {"with", "against"})
        if tok.lemma_.lower() in MOTION:
            target_tokens += [p for p in _pobjs(tok, {"to"})
                              if (m := ctx.mention_at(p)) is not None and m.label in ACTOR_LABELS]
        targets = [t for t in _actors(target_tokens, ctx)
                   if all(t.citation.start != a.citation.start for a in actors)]
        if "swap" in entry.flags:
            actors, targets = targets, actors
        word = entry.word
        refined = _refine(entry, [*(things or objects), *_pobjs(tok, {"with"})])
        if refined is None:
            continue
        entry = refined
        status, cue = _status(tok, chain, ctx)
        when, date = _when(chain, tok, ctx, status)
        page = _iso_page(ctx.doc)
        if status == "done" and when.basis == "stated" and page and _later(when.value, page):
            status, cue = "planned", None
        plover, cameo, intended = entry.plover, entry.cameo, None
        mode = entry.mode
        if status == "planned" and plover in COOPERATIVE:
            plover, cameo, intended, mode = "AGREE", INTENT_CAMEO[plover], plover, None
        status_cue = ctx.cite_tokens([cue]) if cue is not None else (
            cite(ctx.doc, date.start, date.end) if date is not None and status == "planned" else None)
        obj = things[0] if things else None
        event = CodedEvent(
            id=_event_id(ctx.doc.id, at), doc_id=ctx.doc.id, sentence=sent_cite,
            trigger=ctx.cite_tokens([tok]), lemma=word, plover=plover, mode=mode, cameo=cameo,
            cameo_root=cameo[:2] if cameo else None, intended=intended, actors=actors, targets=targets,
            object=ctx.cite_tokens(_phrase_tokens(obj)) if obj is not None else None,
            when=when, where=_place(chain, objects, ctx, tok.lemma_.lower()), status=status, status_cue=status_cue,
        )
        found.append(Found(event, tok, objects, bool(actors)))
    return found


def sentence_spans(doc: Document) -> list[tuple[int, int]]:
    """The document's sentences (its claims outside tables), else its prose paragraphs."""
    tables = [(p.start, p.end) for p in doc.paragraphs if p.kind == "table"]
    spans = [(c.start, c.end) for c in doc.claims if not any(s <= c.start < e for s, e in tables)]
    if spans:
        return sorted(set(spans))
    return [(p.start, p.end) for p in doc.paragraphs if p.kind != "table"]


def parse_spans(doc: Document, spans: Sequence[tuple[int, int]], nlp: Language) -> list[tuple[int, Span]]:
    """(document offset, parsed sentence) for each span; a span the parser splits yields several.

    Names come from the document's mentions, so spaCy's NER is left out of this parse.
    """
    out: list[tuple[int, Span]] = []
    parsed_all = parse_texts(nlp, (doc.text[start:end] for start, end in spans), ("ner", "senter"))
    for (start, _end), parsed in zip(spans, parsed_all, strict=True):
        out += [(start + sent.start_char, sent) for sent in parsed.sents]
    return out


def page_countries_of(doc: Document) -> frozenset[str]:
    return frozenset(c for m in doc.mentions if m.label in COUNTRY_LABELS and (c := country_of(m.text)))


def code_events(doc: Document, nlp: Language, entities: Sequence[Entity] = ()) -> list[CodedEvent]:
    """PLOVER-coded events of one understood document (only acts with a named source actor)."""
    spans = [s for s in sentence_spans(doc) if has_trigger_word(doc.text[s[0]:s[1]])]
    by_id = {e.id: e for e in entities}
    countries = page_countries_of(doc)
    events: list[CodedEvent] = []
    for start, sent in parse_spans(doc, spans, nlp):
        ctx = sentence_context(doc, start, sent, by_id, countries)
        events += [f.event for f in code_sentence(ctx) if f.has_actor]
    return events
