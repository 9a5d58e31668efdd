"""Agreements: the treaty an event is about, and any agreement the coverage compares it with.

For each agreement: its name as written (spelling variants merged), parties, signatories, signing date and
place (from the coded signing event), duration, renewal, number of articles, areas of cooperation, and the
ATOP obligations (Leeds et al. 2002; ../shared/data/atop) each present, absent or not stated, every value
with the sentence it comes from.

ATOP columns and what is mapped to them (the codebook's definitions, paraphrased):
  defense  active military support if a partner is attacked ('mutual defence clause', 'military support in
           the event of aggression', 'come to each other's aid');
  offense  active military support in a conflict the partner did not suffer as an attack ('offensive alliance');
  neutral  refraining from supporting an attacker of the partner: 'not to provide aid to aggressors', 'not to
           allow their territory to be used against the other', 'prevent ... hosting activities that undermine
           the other's security', 'remain neutral';
  nonagg   refraining from attacking or using force against the partner ('non-aggression', 'not to attack each
           other');
  consul   consulting in crises that bear on security (ATOP requires the tie to security; a general promise to
           consult does not count);
and, only where the text speaks of them: milaid (arms transfers, military aid), milcon (military contact: joint
exercises, training, military cooperation), base, intcom (integrated command), ecaid, armred, organ1, noothall.

A provision is present when an include/commit verb governs it ('includes provisions for ...', 'pledged not to
...'), absent when a source says so ('lacks a mutual-defence clause', 'will not include', 'the absence of',
'no mention of', a table row 'Mutual Defense | Not included'); a provision named with neither cue is not
evidence either way, and silence stays 'not stated'.  Which agreement a statement is about comes from the
parse: the subject of the governing verb, a possessor, a relative clause's antecedent; a phrase such as 'a
feature present in Russia's treaty with North Korea' gives the compared agreement the provision.  An
agreement is told apart from the main one by its parties ('Russia's treaty with North Korea'), by words such
as 'similar' or 'earlier', by a year of its own, or by a name that does not fit the main one's.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from spacy.language import Language
from spacy.tokens import Token

from newsdossier.model import (
    AgreementRecord,
    Area,
    Basis,
    Citation,
    Document,
    Entity,
    Evidence,
    Party,
    Provision,
    ProvisionState,
    QuantityMention,
    Slot,
    SlotState,
    Stated,
)
from newsdossier.understand.atop import ATOP, OBLIGATIONS
from newsdossier.understand.claims import (
    ABSENCE_NOUNS,
    AGREEMENT_NOUNS,
    LACK_VERBS,
    NEGATIVE_CELL,
    POSITIVE_CELL,
    VAGUE_OBJECTS,
)
from newsdossier.understand.entities import country_name
from newsdossier.understand.events import (
    COUNTRY_LABELS,
    EventActor,
    EventStatus,
    Found,
    SentenceContext,
    cite,
    code_sentence,
    country_of_mention,
    is_person,
    lexicon,
    page_countries_of,
    parse_spans,
    sentence_context,
    sentence_spans,
    subjects_of,
)
from newsdossier.understand.quantities import singular

SIGN_LEMMAS = {"sign", "signing", "signature", "ink", "ratify", "ratification", "formalize", "formalise",
               "finalize", "finalise", "forge", "conclude", "seal"}
INCLUDE_CUES = {"include", "contain", "feature", "incorporate", "establish", "provide", "cover", "address",
                "emphasize", "emphasise", "envisage", "envision", "stipulate", "foresee", "encompass", "comprise",
                "allow", "require", "oblige", "obligate", "mandate", "guarantee", "formalize", "formalise",
                "enshrine", "set", "have", "focus", "spell", "outline"}
PLEDGE_CUES = {"pledge", "promise", "commit", "agree", "undertake", "vow", "swear", "bind", "consent"}
GOAL_CUES = {"aim", "seek", "deepen", "strengthen", "expand", "enhance", "boost", "intend", "solidify", "bolster"}
COMMITTING_AUX = {"will", "shall", "must", "'ll", "wo"}
PRESENT_WORDS = {"present", "find", "include", "contain", "feature", "exist", "enshrine"}
DISTINCT_MODIFIERS = {"similar", "another", "previous", "earlier", "prior", "former", "other", "separate",
                      "comparable", "older", "existing"}
DEFINITE = {"the", "this", "that", "these", "those", "its", "their", "our", "his", "her", "such"}
DURATION_WORDS = {"last", "duration", "term", "valid", "validity", "span", "run", "period", "lifespan", "remain",
                  "extend", "expire", "length"}
AREA_VERBS = {"cover", "span", "encompass", "address", "concern", "involve", "focus", "target"}
AREA_NOUNS = {"area", "sector", "field", "sphere", "domain", "front", "issue", "matter", "realm"}
COOPERATION_NOUNS = {"cooperation", "co-operation", "collaboration", "tie", "partnership", "relation",
                     "commitment", "coordination", "exchange"}
AREA_GENERIC = {"affair", "relation", "cooperation", "collaboration", "issue", "sector", "exchange", "interaction",
                "endeavor", "endeavour", "tie", "matter", "sphere", "field", "effort", "area", "domain"}
TYPE_WORDS = r"Treaty|Agreement|Pact|Accord|Convention|Charter|Memorandum|Protocol|Compact"
_FORMAL_NAME = re.compile(rf"\b(?:{TYPE_WORDS})\s+(?:of|on|for)\s+", re.IGNORECASE)
_NAME_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_QUOTED_NAME = re.compile(r"[\"'‘“]([A-Za-z][^\"'’”\n]{2,60})[\"'’”]\s+(?:agreement|treaty|pact|accord|deal)\b",
                          re.IGNORECASE)
_TITLE_NAME = re.compile(rf"((?:[A-Z][a-z][\w-]*\s+){{1,5}})(?:{TYPE_WORDS})\b")
_NAME_GLUE = {"and", "the", "of", "on", "for", "in"}
_NAME_END = {"between", "with", "to", "by", "signed", "which", "that", "is", "was", "will", "has"}
_NAME_STOP = {"the", "of", "on", "for", "and", "a", "an", "in", "between", "with", "to"}
_CANDIDATE = re.compile(
    r"\b(?:treat|agreement|pact|accord|partnership|deal|alliance|convention|memorandum|protocol|charter|compact|"
    r"clause|provision|pledg|commit|promis|defen[cs]e|neutral|aggress|territor|consult|article|arms|militar|"
    r"cooperat|collaborat|renew|extend|prolong)", re.IGNORECASE)
_RENEWAL = re.compile(r"\b(?:automatic(?:ally)?\s+)?(?:renew\w*|extend\w*|extension|prolong\w*|roll\w* over)\b"
                      r"[^.;,]{0,90}", re.IGNORECASE)
_RENEWAL_CONTEXT = re.compile(r"\b(?:year|month|period|term|automatic\w*|unless|notice|expir\w*)", re.IGNORECASE)
_TERM_RENEWAL = re.compile(r"\b(?:automatic\w*|(?:further|additional|successive)\s+(?:\S+\s+)?(?:periods?|terms?))",
                           re.IGNORECASE)
_TABLE_DURATION = re.compile(r"^\s*(?:duration|term|validity|length|period)\b", re.IGNORECASE)
_TABLE_AREAS = re.compile(r"\b(?:cooperation|co-operation|collaboration|areas?|sectors?|fields?)\b", re.IGNORECASE)



@dataclass
class _Ref:
    """One mention of an agreement in a parsed sentence."""

    tok: Token
    ctx: SentenceContext
    parties: dict[str, list[Citation]] = field(default_factory=dict)
    party_actors: list[EventActor] = field(default_factory=list)
    name: tuple[str, Citation] | None = None
    year: str | None = None
    distinct: bool = False
    referential: bool = False
    appos_of: int | None = None
    key: str | None = None


@dataclass
class _Acc:
    """Everything gathered for one agreement (within a document, later across documents)."""

    keys: set[str] = field(default_factory=set)
    main: bool = False
    parties: dict[str, list[Citation]] = field(default_factory=dict)
    signatories: dict[str, tuple[EventActor, list[Citation]]] = field(default_factory=dict)
    names: list[tuple[str, Citation]] = field(default_factory=list)
    years: set[str] = field(default_factory=set)
    signed: list[tuple[str, EventStatus | None, Citation]] = field(default_factory=list)
    place: list[tuple[str, EventStatus | None, Citation]] = field(default_factory=list)
    duration: list[tuple[str, int, Citation]] = field(default_factory=list)
    renewal: list[tuple[str, Citation]] = field(default_factory=list)
    articles: list[tuple[str, Citation]] = field(default_factory=list)
    areas: list[tuple[str, str | None, Citation]] = field(default_factory=list)
    evidence: dict[str, list[Evidence]] = field(default_factory=lambda: defaultdict(list))
    compared: set[int] = field(default_factory=set)
    doc_ids: set[str] = field(default_factory=set)


def name_key(name: str) -> frozenset[str]:
    """Content words of a name, case and function words aside: 'Treaty on Comprehensive Strategic Partnership'
    and 'Treaty of Comprehensive strategic Partnership' share one key."""
    words = {w.lower().rstrip("'’") for w in _NAME_WORD.findall(name)}
    types = {t.lower() for t in TYPE_WORDS.split("|")} | set(AGREEMENT_NOUNS) - {"partnership", "alliance"}
    return frozenset(w for w in words if w not in _NAME_STOP and w not in types and not w[0].isdigit()
                     and not w.endswith("year"))


def _formal_names(text: str) -> list[tuple[int, int]]:
    """(start, end) of 'Treaty on X Y Z' names: capitalised words, allowing one lowercase slip ('strategic')."""
    out = []
    for m in _FORMAL_NAME.finditer(text):
        if not m.group(0)[0].isupper():
            continue
        end, pos, last_cap, slips = m.end(), m.end(), None, 0
        for word in _NAME_WORD.finditer(text, pos):
            if word.start() != pos:
                break
            w = word.group(0)
            if w.lower() in _NAME_END:
                break
            if w[0].isupper():
                last_cap, slips = word.end(), 0
            elif w.lower() in _NAME_GLUE or slips == 0:
                slips += 0 if w.lower() in _NAME_GLUE else 1
            else:
                break
            pos = word.end()
            gap = re.match(r"[ \t]+", text[pos:])
            if gap is None:
                break
            pos += gap.end()
        if last_cap is not None:
            end = last_cap
            out.append((m.start(), end))
    return out


def _names_in(ctx: SentenceContext, heading: bool) -> list[tuple[int, int, str]]:
    """(doc start, doc end, name as written) for the agreement names a sentence spells."""
    text = ctx.sent.text
    found = [(s, e) for s, e in _formal_names(text)]
    found += [(m.start(), m.end()) for m in _QUOTED_NAME.finditer(text)]
    if not heading:
        for m in _TITLE_NAME.finditer(text):
            words = m.group(1).split()
            if len(words) >= 2 and not any(s <= m.start() < e for s, e in found):
                found.append((m.start(1), m.end()))
    base = ctx.start
    out = []
    for s, e in found:
        e = _trim_name(ctx, base + s, base + e) - base
        out.append((base + s, base + e, text[s:e]))
    return out


def _trim_name(ctx: SentenceContext, start: int, end: int) -> int:
    """The end of a name without a trailing 'in Lima', 'on Monday': a place or date is no part of it."""
    text = ctx.doc.text
    while True:
        cut = None
        for m in re.finditer(r"\s+(?:in|on|at|of)\s+", text[start:end]):
            after = start + m.end()
            if any(x.start <= after < x.end for x in ctx.mentions if x.label in ("GPE", "LOC", "FAC", "DATE")) or \
                    any(d.start <= after < d.end for d in ctx.dates):
                cut = start + m.start()
                break
        if cut is None or cut <= start:
            return end
        end = cut


def _countries(m_tokens: Sequence[Token], ctx: SentenceContext) -> list[tuple[str, Citation, EventActor | None]]:
    """(country code, citation, the person if a leader stands for it) for the mentions among `m_tokens`."""
    out: list[tuple[str, Citation, EventActor | None]] = []
    for tok in m_tokens:
        m = ctx.mention_at(tok)
        if m is None or m.label not in COUNTRY_LABELS | {"PERSON"}:
            continue
        country = country_of_mention(m, ctx.entities, ctx.page_countries)
        if country is None and m.label in COUNTRY_LABELS:
            parts = [p for p in re.split(r"[-–/]", m.text) if p.strip()]
            codes = [country_of_mention(m.model_copy(update={"text": p}), {}, ctx.page_countries) for p in parts]
            if len(codes) > 1 and all(codes):
                out += [(c, cite(ctx.doc, m.start, m.end), None) for c in codes if c]
            continue
        if country:
            actor = EventActor(text=m.text, entity_id=m.entity_id, country=country,
                               citation=cite(ctx.doc, m.start, m.end)) if is_person(m, ctx.entities) else None
            out.append((country, cite(ctx.doc, m.start, m.end), actor))
    return out


def _pobj_tokens(tok: Token, preps: set[str]) -> list[Token]:
    out: list[Token] = []
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in preps:
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    out += [pobj, *pobj.conjuncts]
    return out


def _refs(ctx: SentenceContext, heading: bool, found: list[Found]) -> list[_Ref]:
    """The agreement mentions of a sentence, with the parties, name and year each carries."""
    refs: list[_Ref] = []
    names = _names_in(ctx, heading)
    for tok in ctx.sent:
        if tok.lemma_.lower() not in AGREEMENT_NOUNS or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        if tok.dep_ in ("compound", "nmod", "poss", "amod") and tok.head.lemma_.lower() in AGREEMENT_NOUNS:
            continue
        at = ctx.char(tok)
        m = ctx.mention_at(tok)
        if m is not None and m.label in ("PERSON", "GPE", "NORP") and not any(s <= at < e for s, e, _ in names):
            continue
        ref = _Ref(tok, ctx)
        party_tokens = [c for c in tok.children if c.dep_ in ("poss", "compound", "amod", "nmod")]
        party_tokens += _pobj_tokens(tok, {"with", "between"})
        for code, citation, actor in _countries(party_tokens, ctx):
            ref.parties.setdefault(code, []).append(citation)
            if actor is not None:
                ref.party_actors.append(actor)
        dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "poss")}
        ref.distinct = any(c.lower_ in DISTINCT_MODIFIERS for c in tok.children if c.dep_ in ("amod", "det"))
        ref.referential = heading or bool(dets & DEFINITE) or any(c.dep_ == "poss" for c in tok.children)
        for s, e, text in names:
            if s <= at < e or (tok.i > 0 and s <= ctx.char(tok) and e >= at):
                ref.name = (text, cite(ctx.doc, s, e))
                ref.referential = True
        for d in ctx.dates:
            dtok = ctx.token_at(d.start)
            if dtok is not None and dtok in tok.subtree and d.value and d.value[:4].isdigit():
                ref.year = d.value[:4]
        if tok.dep_ == "appos" and tok.head.lemma_.lower() in AGREEMENT_NOUNS:
            ref.appos_of = tok.head.i
            ref.referential = True
        refs.append(ref)
    by_i = {r.tok.i: r for r in refs}
    for f in found:
        if f.trigger.lemma_.lower() not in SIGN_LEMMAS and f.event.lemma not in SIGN_LEMMAS:
            continue
        for obj in f.objects:
            linked = by_i.get(obj.i) or next((by_i[t.i] for t in obj.subtree if t.i in by_i), None)
            if linked is None:
                continue
            linked.referential = True
            for actor in (*f.event.actors, *f.event.targets):
                if actor.country:
                    linked.parties.setdefault(actor.country, []).append(actor.citation)
    return refs


@dataclass
class _Sentence:
    ctx: SentenceContext
    refs: list[_Ref]
    found: list[Found]
    heading: bool


def _is_heading(doc: Document, start: int) -> bool:
    return any(p.start <= start < p.end and p.kind in ("title", "heading") for p in doc.paragraphs)


def _main_parties(sentences: list[_Sentence]) -> frozenset[str]:
    counts: Counter[frozenset[str]] = Counter()
    first: dict[frozenset[str], int] = {}
    for n, s in enumerate(sentences):
        for r in s.refs:
            if r.parties and r.referential and not r.distinct:
                key = frozenset(r.parties)
                counts[key] += 1
                first.setdefault(key, n)
    if not counts:
        return frozenset()
    return max(counts, key=lambda k: (counts[k], len(k), -first[k]))


def _assign(sentences: list[_Sentence], page_year: str | None) -> None:
    """Key each reference: 'main', or another agreement by its parties, year or name."""
    main = _main_parties(sentences)
    main_names: set[frozenset[str]] = set()
    for s in sentences:
        for r in s.refs:
            if r.name and r.parties and frozenset(r.parties) <= main:
                main_names.add(name_key(r.name[0]))
    if not main_names:
        named = Counter(name_key(r.name[0]) for s in sentences for r in s.refs if r.name and not r.distinct)
        main_names = {k for k, _ in named.most_common(1) if k}
    for s in sentences:
        by_i = {r.tok.i: r for r in s.refs}
        for r in s.refs:
            parties = frozenset(r.parties)
            if parties and not parties <= main:
                r.key = "parties:" + ",".join(sorted(parties))
            elif r.distinct:
                r.key = None
            elif r.year and r.year != page_year and not parties:
                r.key = "year:" + r.year
            elif r.name and main_names and not _name_fits(name_key(r.name[0]), main_names):
                r.key = "name:" + " ".join(sorted(name_key(r.name[0])))
            elif r.referential:
                r.key = "main"
        for r in s.refs:
            if r.appos_of is not None and r.appos_of in by_i and by_i[r.appos_of].key:
                r.key = by_i[r.appos_of].key


def _name_fits(key: frozenset[str], keys: set[frozenset[str]]) -> bool:
    return not key or any(key <= k or k <= key for k in keys)


def _match_tokens(ctx: SentenceContext, start: int, end: int) -> list[Token]:
    rel_s, rel_e = start - ctx.start + ctx.sent.start_char, end - ctx.start + ctx.sent.start_char
    return [t for t in ctx.sent if t.idx < rel_e and t.idx + len(t.text) > rel_s]


def _negated(tok: Token, inside: set[int]) -> bool:
    return any(c.dep_ == "neg" and c.i not in inside for c in tok.children)


_VERB_CUES: tuple[tuple[set[str], tuple[Literal["present", "absent"], Basis],
                         tuple[Literal["present", "absent"], Basis]], ...] = (
    (LACK_VERBS, ("absent", "absence stated"), ("present", "included")),
    (INCLUDE_CUES, ("present", "included"), ("absent", "inclusion denied")),
    (PLEDGE_CUES, ("present", "committed"), ("absent", "commitment denied")),
)


@dataclass
class _Cue:
    state: Literal["present", "absent"]
    basis: Basis
    tokens: list[Token]
    head: Token


def _state(tokens: list[Token], refs: dict[int, _Ref]) -> tuple[_Cue | None, list[Token]]:
    """What the words governing a provision phrase say of it, and the path walked up to them.

    The walk goes up from the phrase through nouns, prepositions and subjectless verbs ('promising to conduct
    joint exercises'); a verb with a subject of its own that is no cue ends it, so the negation inside one
    pledge ('not to allow ...') is never read as the absence of another.
    """
    inside = {t.i for t in tokens}
    root = next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[0])
    path = [root]
    if root.pos_ in ("VERB", "AUX"):
        modal = next((c for c in root.children if c.dep_ == "aux" and c.lower_ in COMMITTING_AUX), None)
        if modal is not None:
            neg = next((c for c in root.children if c.dep_ == "neg" and c.i not in inside), None)
            if neg is not None:
                return _Cue("absent", "commitment denied", [modal, neg], root), path
            return _Cue("present", "committed", [modal], root), path
    for t in root.ancestors:
        path.append(t)
        if t.i in inside:
            continue
        no = next((c for c in t.children if c.dep_ == "det" and c.lower_ == "no" and c.i not in inside), None)
        if no is not None:
            return _Cue("absent", "absence stated", [no, t], t), path
        lemma = t.lemma_.lower()
        if (t.pos_ in ("NOUN", "PROPN") and lemma in ABSENCE_NOUNS) or (t.dep_ == "prep" and t.lower_ == "without"):
            return _Cue("absent", "absence stated", [t], t), path
        if t.pos_ in ("VERB", "AUX", "ADJ"):
            neg = next((c for c in t.children if c.dep_ == "neg" and c.i not in inside), None)
            cue = [neg, t] if neg is not None else [t]
            for words, plain, negated in _VERB_CUES:
                if lemma in words:
                    state, basis = negated if neg is not None else plain
                    return _Cue(state, basis, cue, t), path
            if lemma in GOAL_CUES and neg is None and _verb_owner(t, refs) is not None:
                return _Cue("present", "aim", cue, t), path
            if t.pos_ != "ADJ" and any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in t.children):
                break
        if len(path) > 10:
            break
    return None, path


def _ref_above(tok: Token, refs: dict[int, _Ref], hops: int = 3) -> _Ref | None:
    for t in [tok, *list(tok.ancestors)[:hops]]:
        if t.i in refs:
            return refs[t.i]
    return None


def _verb_owner(verb: Token, refs: dict[int, _Ref]) -> _Ref | None:
    subjects, _ = subjects_of(verb)
    for s in subjects:
        ref = _ref_above(s, refs)
        if ref is not None:
            return ref
    return None


@dataclass
class _Owner:
    ref: _Ref | None = None
    parties: frozenset[str] = frozenset()


def _owner(cue: Token | None, refs: dict[int, _Ref], ctx: SentenceContext) -> _Owner:
    """The agreement a cue's statement is about: a reference, or the parties that committed themselves."""
    if cue is None:
        return _Owner()
    if cue.pos_ in ("NOUN", "PROPN"):
        poss = next((c for c in cue.children if c.dep_ == "poss"), None)
        if poss is not None and poss.i in refs:
            return _Owner(refs[poss.i])
        above = _ref_above(cue, refs, 4)
        return _Owner(above) if above is not None else _Owner()
    subjects, _ = subjects_of(cue)
    for s in subjects:
        ref = _ref_above(s, refs)
        if ref is not None:
            return _Owner(ref)
    codes = frozenset(code for code, _, _ in _countries(subjects, ctx))
    return _Owner(parties=codes)


def _key_of(owner: _Owner, s: _Sentence, main_parties: frozenset[str]) -> str | None:
    if owner.ref is not None:
        return owner.ref.key
    if owner.parties and not owner.parties <= main_parties:
        return "parties:" + ",".join(sorted(owner.parties))
    keys = {r.key for r in s.refs if r.key}
    if len(keys) == 1:
        return next(iter(keys))
    return "main"


def _contrasts(path: list[Token], refs: dict[int, _Ref], owner_key: str | None) -> list[_Ref]:
    """Agreements a provision is said to be present in by apposition ('..., a feature present in X's treaty')."""
    out = []
    chain = {t.i for t in path}
    for ref in refs.values():
        if ref.key is None or ref.key == owner_key:
            continue
        up = [ref.tok, *list(ref.tok.ancestors)[:5]]
        if not {t.lemma_.lower() for t in up} & PRESENT_WORDS:
            continue
        link = next((t for t in up if t.dep_ in ("appos", "relcl", "acl")), None)
        if link is not None and link.head.i in chain:
            out.append(ref)
    return out


def _evidence_for(s: _Sentence, accs: dict[str, _Acc], main_parties: frozenset[str]) -> None:
    ctx = s.ctx
    refs = {r.tok.i: r for r in s.refs}
    text = ctx.sent.text
    sentence = cite(ctx.doc, ctx.start, ctx.start + len(text))
    for atop, (_, patterns) in ATOP.items():
        for pattern in patterns:
            for m in pattern.finditer(text):
                start, end = ctx.start + m.start(), ctx.start + m.end()
                tokens = _match_tokens(ctx, start, end)
                if not tokens:
                    continue
                described = next((refs[t.i] for t in tokens if t.i in refs and refs[t.i].key), None)
                head = next((t.head for t in tokens if t.head.i not in {x.i for x in tokens}), None)
                if described is None and head is not None and head.i in refs and refs[head.i].key and any(
                        t.dep_ in ("compound", "amod", "nmod") and t.head.i == head.i for t in tokens):
                    described = refs[head.i]
                phrase = cite(ctx.doc, start, end)
                path = tokens
                if described is not None and described.key:
                    key: str | None = described.key
                    ev = Evidence(state="present", basis="named", phrase=phrase, sentence=sentence)
                else:
                    cue, path = _state(tokens, refs)
                    if cue is None:
                        continue
                    key = _key_of(_owner(cue.head, refs, ctx), s, main_parties)
                    ev = Evidence(state=cue.state, basis=cue.basis, cue=ctx.cite_tokens(cue.tokens), phrase=phrase,
                                  sentence=sentence)
                if key is None:
                    continue
                _add(accs, key, atop, ev)
                accs[key].doc_ids.add(ctx.doc.id)
                for other in _contrasts(path, refs, key):
                    if other.key is None:
                        continue
                    _add(accs, other.key, atop, Evidence(state="present", basis="compared", phrase=phrase,
                                                          sentence=sentence))
                    accs[other.key].compared.add(id(accs[key]))
                    accs[key].compared.add(id(accs[other.key]))


def _add(accs: dict[str, _Acc], key: str, atop: str, ev: Evidence) -> None:
    acc = accs.setdefault(key, _Acc(keys={key}))
    if not any(e.sentence.start == ev.sentence.start and e.sentence.doc_id == ev.sentence.doc_id
               and e.state == ev.state for e in acc.evidence[atop]):
        acc.evidence[atop].append(ev)


def _quantity_owner(q: QuantityMention, s: _Sentence, words: set[str]) -> str | None:
    """The agreement a quantity belongs to: one in its governing phrase, or a sentence about one (with `words`)."""
    ctx = s.ctx
    tok = ctx.token_at(q.start)
    if tok is None:
        return None
    refs = {r.tok.i: r for r in s.refs}
    up = [tok, *list(tok.ancestors)[:6]]
    ref = next((refs[t.i] for t in up if t.i in refs), None)
    if ref is not None and ref.key:
        return ref.key
    lemmas = {t.lemma_.lower() for t in up}
    for t in up:
        if t.pos_ in ("VERB", "AUX"):
            lemmas |= {c.lemma_.lower() for c in t.children if c.dep_ == "xcomp"}
            break
    if not lemmas & words:
        return None
    keys = {r.key for r in s.refs if r.key}
    return next(iter(keys)) if len(keys) == 1 else "main" if keys or not s.refs else None


def _duration_text(q: QuantityMention) -> tuple[str, int] | None:
    per_unit = {"year": 12, "month": 1, "decade": 120}
    if q.unit not in per_unit:
        return None
    years = q.value * per_unit[q.unit] / 12
    months = round(q.value * per_unit[q.unit])
    value = f"{years:g} years" if q.unit != "month" else f"{q.value:g} months"
    return ("about " if q.approximate else "") + value, months


def _quantities(s: _Sentence, accs: dict[str, _Acc]) -> None:
    ctx = s.ctx
    end = ctx.start + len(ctx.sent.text)
    renewals = [(ctx.start + m.start(), ctx.start + m.end()) for m in _RENEWAL.finditer(ctx.sent.text)]
    for q in ctx.doc.quantities:
        if not (ctx.start <= q.start and q.end <= end) or any(a <= q.start < b for a, b in renewals):
            continue
        if q.dimension == "duration" and (d := _duration_text(q)):
            key = _quantity_owner(q, s, DURATION_WORDS | AGREEMENT_NOUNS)
            if key:
                accs.setdefault(key, _Acc(keys={key})).duration.append((d[0], d[1], cite(ctx.doc, q.start, q.end)))
        elif q.unit == "article" and q.dimension == "count":
            key = _quantity_owner(q, s, {"comprise", "contain", "consist", "include", "have", "article"})
            if key:
                accs.setdefault(key, _Acc(keys={key})).articles.append((f"{q.value:g}", cite(ctx.doc, q.start, q.end)))


def _own(tok: Token) -> list[Token]:
    """A noun's own words: itself and its modifiers, without coordinated items, clauses and determiners."""
    own = [tok, *(t for c in tok.children if c.dep_ not in ("conj", "cc", "punct", "appos", "relcl", "prep", "acl")
                  for t in c.subtree)]
    return sorted((t for t in own if t.i <= tok.i and t.dep_ not in ("det", "poss", "nummod", "predet")
                   and t.pos_ in ("NOUN", "PROPN", "ADJ")), key=lambda t: t.i) or [tok]


def _area_items(head: Token) -> list[tuple[list[Token], list[Token]]]:
    """(words of the area, words to cite) for each coordinated item: 'trade, energy and cultural exchanges'
    gives trade, energy and cultural exchanges."""
    out = []
    for item in [head, *(c for c in head.conjuncts if c.pos_ in ("NOUN", "PROPN", "ADJ"))]:
        mod = next((c for c in item.children if c.dep_ in ("nmod", "amod", "compound") and c.conjuncts), None)
        if mod is None:
            out.append((_own(item), _own(item)))
            continue
        for m in [mod, *mod.conjuncts]:
            out.append(([*_own(m), item], _own(m)))
    return out


def area_value(words: Sequence[str]) -> tuple[str, str | None]:
    """(area, lower case with a singular last word and generic heads dropped; its PLOVER context if any)."""
    areas = lexicon().areas
    lemmas = [w.lower() for w in words if w.strip()]
    if lemmas and lemmas[-1] not in areas:
        lemmas[-1] = singular(lemmas[-1])
    if len(lemmas) > 1 and lemmas[-1] in AREA_GENERIC:
        lemmas = lemmas[:-1]
    context = next((areas[w][0] for w in lemmas if w in areas), None)
    if len(lemmas) == 1 and lemmas[0] in areas:
        return areas[lemmas[0]][1], context
    return " ".join(lemmas), context


def _areas(s: _Sentence, accs: dict[str, _Acc]) -> None:
    """Areas of cooperation listed for an agreement ('areas such as trade, ...', 'military and security
    cooperation'), where the parse ties the list to a reference to that agreement."""
    ctx = s.ctx
    refs = {r.tok.i: r for r in s.refs}
    items: list[tuple[tuple[list[Token], list[Token]], Token]] = []
    for tok in ctx.sent:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "NOUN" and lemma in AREA_NOUNS:
            for head in _pobj_tokens(tok, {"as", "including", "like"}):
                items += [(i, tok) for i in _area_items(head)]
        if tok.pos_ == "NOUN" and lemma in COOPERATION_NOUNS | set(AGREEMENT_NOUNS):
            for head in _pobj_tokens(tok, {"in", "on"}):
                if head.lemma_.lower() not in AREA_NOUNS:
                    items += [(i, tok) for i in _area_items(head)]
            if lemma in COOPERATION_NOUNS - {"partnership", "commitment"}:
                for amod in (c for c in tok.children if c.dep_ == "amod" and c.lemma_.lower() in lexicon().areas):
                    items += [(i, tok) for i in _area_items(amod)]
        if tok.pos_ == "VERB" and lemma in AREA_VERBS:
            objs = [c for c in tok.children if c.dep_ == "dobj"] + _pobj_tokens(tok, {"on"})
            for head in objs:
                words = {t.lemma_.lower() for t in head.subtree} | {t.lower_ for t in head.subtree}
                if head.lemma_.lower() not in AREA_NOUNS | VAGUE_OBJECTS and words & set(lexicon().areas):
                    items += [(i, tok) for i in _area_items(head)
                              if {t.lemma_.lower() for t in i[0]} & set(lexicon().areas)]
        if tok.lower_ == "including" and tok.dep_ == "prep" and tok.head.lemma_.lower() in {
                "array", "range", "variety", "number", "host", "set"}:
            for pobj in (c for c in tok.children if c.dep_ == "pobj"):
                items += [(i, tok.head) for i in _area_items(pobj)]
    seen: set[int] = set()
    for (area_words, cited), anchor in items:
        item = area_words[-1]
        m = ctx.mention_at(cited[-1])
        if cited[-1].i in seen or cited[-1].lemma_.lower() in AREA_NOUNS or (
                m is not None and m.label in COUNTRY_LABELS):
            continue
        seen.add(cited[-1].i)
        ref = _ref_above(anchor, refs, 4)
        if ref is None:
            verb = anchor if anchor.pos_ in ("VERB", "AUX") else next(
                (t for t in anchor.ancestors if t.pos_ in ("VERB", "AUX")), None)
            ref = _verb_owner(verb, refs) if verb is not None else None
        if ref is None or ref.key is None or item.lemma_.lower() in VAGUE_OBJECTS:
            continue
        value, context = area_value([t.text for t in area_words])
        accs.setdefault(ref.key, _Acc(keys={ref.key})).areas.append((value, context, ctx.cite_tokens(cited)))


def _renewal(s: _Sentence, accs: dict[str, _Acc]) -> None:
    """'automatically extended for five-year periods': about the sentence's agreement, or with no other named
    the main one when the wording can only be about a treaty's term."""
    keys = {r.key for r in s.refs if r.key}
    key = next(iter(keys)) if len(keys) == 1 else "main"
    ctx = s.ctx
    for m in _RENEWAL.finditer(ctx.sent.text):
        if (keys and _RENEWAL_CONTEXT.search(m.group(0))) or (not s.refs and _TERM_RENEWAL.search(m.group(0))):
            start, end = ctx.start + m.start(), ctx.start + m.end()
            value = " ".join(m.group(0).split()).rstrip(" ,")
            accs.setdefault(key, _Acc(keys={key})).renewal.append((value, cite(ctx.doc, start, end)))


def _signing(s: _Sentence, accs: dict[str, _Acc]) -> None:
    refs = {r.tok.i: r for r in s.refs}
    for f in s.found:
        if f.event.lemma not in SIGN_LEMMAS:
            continue
        ref = next((r for o in f.objects for r in [refs.get(o.i) or _ref_above(o, refs, 0)] if r and r.key), None)
        if ref is None:
            ref = next((refs[t.i] for o in f.objects for t in o.subtree if t.i in refs and refs[t.i].key), None)
        if ref is None or ref.key is None:
            continue
        acc = accs.setdefault(ref.key, _Acc(keys={ref.key}))
        status = f.event.status
        for actor in f.event.actors:
            if actor.entity_id and actor.country and _person(actor, s.ctx):
                acc.signatories.setdefault(actor.entity_id, (actor, []))[1].append(actor.citation)
        when = f.event.when
        if when.basis == "stated" and when.citation is not None:
            acc.signed.append((when.value, status, when.citation))
        where = f.event.where
        if where is not None:
            acc.place.append((where.text, status, where.citation))


def _person(actor: EventActor, ctx: SentenceContext) -> bool:
    m = next((x for x in ctx.mentions if x.start == actor.citation.start), None)
    return m is not None and is_person(m, ctx.entities)


def _collect_refs(s: _Sentence, accs: dict[str, _Acc]) -> None:
    for r in s.refs:
        if r.key is None:
            continue
        acc = accs.setdefault(r.key, _Acc(keys={r.key}))
        acc.doc_ids.add(s.ctx.doc.id)
        if r.key == "main":
            acc.main = True
        for code, cites in r.parties.items():
            acc.parties.setdefault(code, []).extend(cites)
        if r.name:
            acc.names.append(r.name)
        if r.year:
            acc.years.add(r.year)


def _table_rows(doc: Document, accs: dict[str, _Acc]) -> None:
    """Rows of a table about an agreement: verdict cells ('Not included') and described provisions."""
    paragraphs = doc.paragraphs
    for n, para in enumerate(paragraphs):
        if para.kind != "table":
            continue
        before = doc.text[paragraphs[n - 1].start:paragraphs[n - 1].end] if n else ""
        rows = doc.text[para.start:para.end].split("\n")
        if not re.search(r"\b(?:" + "|".join(sorted(AGREEMENT_NOUNS)) + r")\b", before + " " + rows[0], re.I):
            continue
        acc = accs.setdefault("main", _Acc(keys={"main"}, main=True))
        offset = para.start
        for row in rows:
            row_start, row_end = offset, offset + len(row)
            offset = row_end + 1
            cells = [c.strip() for c in row.strip().strip("|").split("|")]
            if len(cells) < 2 or not cells[0]:
                continue
            sentence = cite(doc, row_start, row_end)
            label, value = cells[0], " | ".join(cells[1:])
            verdict: Literal["present", "absent"] | None = None
            if NEGATIVE_CELL.match(cells[-1]):
                verdict = "absent"
            elif POSITIVE_CELL.match(cells[-1]):
                verdict = "present"
            for atop, (_, patterns) in ATOP.items():
                text = label if verdict else f"{label}: {value}"
                m = next((m for p in patterns if (m := p.search(text))), None)
                if m is None:
                    continue
                at = row.index(label) if m.start() < len(label) else row.index(value)
                local = m.start() if m.start() < len(label) else m.start() - len(label) - 2
                start = row_start + at + local
                phrase = cite(doc, start, start + (m.end() - m.start()))
                if phrase.quote != m.group(0):
                    phrase = sentence
                last = row.rindex(cells[-1])
                _add(accs, "main", atop, Evidence(state=verdict or "present", basis="table row",
                                                  cue=cite(doc, row_start + last, row_start + last + len(cells[-1])),
                                                  phrase=phrase, sentence=sentence))
            for q in doc.quantities:
                if row_start <= q.start and q.end <= row_end:
                    if q.dimension == "duration" and _TABLE_DURATION.match(label) and (d := _duration_text(q)):
                        acc.duration.append((d[0], d[1], cite(doc, q.start, q.end)))
                    elif q.unit == "article":
                        acc.articles.append((f"{q.value:g}", cite(doc, q.start, q.end)))
            if not verdict and _TABLE_AREAS.search(label) and value in row:
                at = row_start + row.index(value)
                for part in re.finditer(r"[^,;]+", value):
                    item = part.group(0).strip()
                    item = re.sub(r"^(?:and|&)\s+", "", item)
                    if not item:
                        continue
                    item_at = at + value.index(item, part.start())
                    area, context = area_value(item.split())
                    acc.areas.append((area, context, cite(doc, item_at, item_at + len(item))))
        acc.doc_ids.add(doc.id)


def _doc_agreements(doc: Document, nlp: Language, entities: dict[str, Entity]) -> dict[str, _Acc]:
    spans = [s for s in sentence_spans(doc) if _CANDIDATE.search(doc.text[s[0]:s[1]])]
    countries = page_countries_of(doc)
    sentences: list[_Sentence] = []
    for start, sent in parse_spans(doc, spans, nlp):
        ctx = sentence_context(doc, start, sent, entities, countries)
        found = code_sentence(ctx)
        heading = _is_heading(doc, start)
        sentences.append(_Sentence(ctx, _refs(ctx, heading, found), found, heading))
    _assign(sentences, str(doc.date.year) if doc.date else None)
    main_parties = _main_parties(sentences)
    accs: dict[str, _Acc] = {}
    for s in sentences:
        _collect_refs(s, accs)
        _evidence_for(s, accs, main_parties)
        _quantities(s, accs)
        _areas(s, accs)
        _renewal(s, accs)
        _signing(s, accs)
    _table_rows(doc, accs)
    if "main" in accs:
        accs["main"].main = True
    return accs


def _compatible(a: _Acc, b: _Acc) -> bool:
    pa, pb = set(a.parties), set(b.parties)
    if a.main != b.main and not (pa and pb):
        return False
    if pa and pb and not (pa <= pb or pb <= pa):
        return False
    ka = {name_key(n) for n, _ in a.names} - {frozenset()}
    kb = {name_key(n) for n, _ in b.names} - {frozenset()}
    if ka and kb and not any(x <= y or y <= x for x in ka for y in kb):
        return False
    if a.years and b.years and not a.years & b.years:
        return False
    if not (pa and pb) and not (a.main and b.main) and not (ka and kb):
        return bool(a.years & b.years)
    return True


def _merge(into: _Acc, other: _Acc) -> None:
    into.keys |= other.keys
    into.main = into.main or other.main
    for code, cites in other.parties.items():
        into.parties.setdefault(code, []).extend(cites)
    for eid, (actor, cites) in other.signatories.items():
        into.signatories.setdefault(eid, (actor, []))[1].extend(cites)
    for name in ("names", "signed", "place", "duration", "renewal", "articles", "areas"):
        getattr(into, name).extend(getattr(other, name))
    into.years |= other.years
    for atop, evs in other.evidence.items():
        into.evidence[atop].extend(e for e in evs if e not in into.evidence[atop])
    into.compared |= other.compared
    into.doc_ids |= other.doc_ids


def _slot(values: list[tuple[str, EventStatus | None, Citation]]) -> Slot:
    grouped: dict[str, tuple[str, EventStatus | None, list[Citation]]] = {}
    for value, status, citation in values:
        key = value.lower()
        if key not in grouped:
            grouped[key] = (value, status, [])
        elif status == "done":
            grouped[key] = (grouped[key][0], status, grouped[key][2])
        grouped[key][2].append(citation)
    stated = [Stated(value=v, status=st, citations=c) for v, st, c in
              sorted(grouped.values(), key=lambda g: (-len(g[2]), g[2][0].doc_id, g[2][0].start))]
    state: SlotState = "not stated" if not stated else "stated" if len(stated) == 1 else "contested"
    return Slot(state=state, values=stated)


def _name_slot(names: list[tuple[str, Citation]]) -> Slot:
    formal = [(n, c) for n, c in names if _FORMAL_NAME.match(n)]
    chosen = formal or names
    by_key: dict[str, list[tuple[str, Citation]]] = defaultdict(list)
    for n, c in chosen:
        by_key[" ".join(n.lower().split())].append((n, c))
    stated = []
    for group in sorted(by_key.values(), key=lambda g: (-len(g), g[0][1].doc_id, g[0][1].start)):
        spelling = Counter(n for n, _ in group).most_common(1)[0][0]
        stated.append(Stated(value=spelling, citations=[c for _, c in group]))
    variants = [Stated(value=n, citations=[c]) for n, c in names if (n, c) not in chosen]
    state: SlotState = "not stated" if not stated else "stated"
    return Slot(state=state, values=stated + variants)


def _provision(atop: str, evidence: list[Evidence]) -> Provision:
    states = {e.state for e in evidence}
    state: ProvisionState = "not stated"
    if len(states) > 1:
        state = "contested"
    elif states:
        state = states.pop()
    ordered = sorted(evidence, key=lambda e: (e.sentence.doc_id, e.sentence.start))
    return Provision(atop=atop, label=ATOP[atop][0], state=state, evidence=ordered)


def _record(acc: _Acc, role: Literal["main", "comparison"], entities: Sequence[Entity]) -> AgreementRecord:
    country_entities = {e.country_code: e for e in entities if e.country_code and e.label == "GPE"}
    parties = [Party(name=country_entities[code].name if code in country_entities else country_name(code),
                     country=code, entity_id=country_entities[code].id if code in country_entities else None,
                     citations=_unique(cites))
               for code, cites in sorted(acc.parties.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    signatories = [Party(name=actor.name or actor.text, country=actor.country, entity_id=eid,
                         citations=_unique(cites)) for eid, (actor, cites) in acc.signatories.items()]
    durations = _slot([(v, None, c) for v, _, c in acc.duration])
    months = {m for _, m, _ in acc.duration}
    areas: dict[str, Area] = {}
    for value, context, citation in acc.areas:
        area = areas.setdefault(value, Area(value=value, context=context, citations=[]))
        area.citations.append(citation)
    key = ",".join(sorted(acc.parties)) + "|" + " ".join(sorted({w for n, _ in acc.names for w in name_key(n)}))
    return AgreementRecord(
        id="agr-" + hashlib.sha256((key + "|" + ",".join(sorted(acc.years))).encode()).hexdigest()[:12],
        role=role,
        name=_name_slot(acc.names),
        parties=parties,
        signatories=signatories,
        signed=_slot(acc.signed),
        place=_slot(acc.place),
        duration=durations,
        duration_months=months.pop() if len(months) == 1 else None,
        renewal=_slot([(v, None, c) for v, c in acc.renewal]),
        articles=_slot([(v, None, c) for v, c in acc.articles]),
        areas=list(areas.values()),
        obligations=[_provision(a, acc.evidence.get(a, [])) for a in OBLIGATIONS],
        provisions=[_provision(a, evs) for a, evs in acc.evidence.items() if a not in OBLIGATIONS and evs],
        compared_with=[],
        doc_ids=sorted(acc.doc_ids),
    )


def _unique(cites: list[Citation]) -> list[Citation]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for c in cites:
        if (c.doc_id, c.start, c.end) not in seen:
            seen.add((c.doc_id, c.start, c.end))
            out.append(c)
    return out


def _has_content(acc: _Acc) -> bool:
    return any(acc.evidence.values()) or bool(acc.duration or acc.articles or acc.signed)


def agreement_of(docs: Sequence[Document], nlp: Language, entities: Sequence[Entity] = ()) -> list[AgreementRecord]:
    """The agreements the documents describe: the main one first, then those the coverage compares it with."""
    by_id = {e.id: e for e in entities}
    per_doc: list[_Acc] = []
    for doc in docs:
        accs = _doc_agreements(doc, nlp, by_id)
        per_doc += [acc for acc in accs.values() if acc.main or _has_content(acc)]
    clusters: list[_Acc] = []
    links: list[tuple[int, int]] = []
    owner: dict[int, int] = {}
    for acc in sorted(per_doc, key=lambda a: (not a.main, -len(a.parties))):
        target = next((i for i, c in enumerate(clusters) if _compatible(c, acc)), None)
        if target is None:
            clusters.append(_Acc())
            target = len(clusters) - 1
        owner[id(acc)] = target
        _merge(clusters[target], acc)
    for acc in per_doc:
        for other in acc.compared:
            if other in owner:
                links.append((owner[id(acc)], owner[other]))
    kept = [i for i, c in enumerate(clusters) if _has_content(c) or (c.main and (c.parties or c.names))]
    records: dict[int, AgreementRecord] = {}
    for i in sorted(kept, key=lambda i: (not clusters[i].main, -len(clusters[i].doc_ids))):
        records[i] = _record(clusters[i], "main" if clusters[i].main else "comparison", entities)
    main_ids = [r.id for r in records.values() if r.role == "main"]
    for i, record in records.items():
        linked = {records[b].id for a, b in links if a == i and b in records and b != i}
        linked |= {records[a].id for a, b in links if b == i and a in records and a != i}
        if record.role == "comparison":
            linked |= set(main_ids)
        record.compared_with = sorted(linked)
    for record in records.values():
        if record.role == "main":
            record.compared_with = sorted({r.id for r in records.values() if r.role == "comparison"}
                                          | set(record.compared_with))
    return list(records.values())
