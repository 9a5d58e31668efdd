"""The Markdown rendering of a dossier: readable as plain text and on any Markdown viewer.

Page text is untrusted, so every piece of it is escaped: Markdown punctuation and `<`
are backslash-escaped (a viewer then shows them literally and never sees raw HTML),
line-start markers cannot open lists or headings, and table cells keep pipes and
newlines from breaking the table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsdossier.model import Citation, Comment, DocumentView, Dossier, Slot
from newsdossier.render._refs import SourceIndex, safe_web_url

COMMENTS_HEADING = "Reader comments (not sources)"

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_LINE_START_MARKER = re.compile(r"^([#>+\-=*~]|\d+[.)])")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _inline(text: str) -> str:
    """Escape text so that it renders literally inside a line; newlines become spaces."""
    flat = " ".join(text.split())
    return _ENTITY_LIKE.sub(r"\\&", _INLINE_SPECIAL.sub(r"\\\1", flat))


def _cell(text: str) -> str:
    """Escape text for a table cell: pipes escaped, line breaks kept as <br>."""
    lines = [_inline(line) for line in text.splitlines() if line.strip()]
    return "<br>".join(lines) if lines else " "


def _block(text: str) -> str:
    """Escape a paragraph of page text, keeping its line breaks as hard breaks."""
    lines = []
    for raw in text.strip().splitlines():
        line = _ENTITY_LIKE.sub(r"\\&", _INLINE_SPECIAL.sub(r"\\\1", raw.strip()))
        if line:
            lines.append(_LINE_START_MARKER.sub(lambda m: _escape_marker(m.group(1)), line))
    return "\\\n".join(lines)


def _escape_marker(marker: str) -> str:
    return marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker


def _markers(index: SourceIndex, citations: Iterable[Citation]) -> str:
    return "".join(f"[{ref.number}]" for ref in index.refs_for(citations))


def _slot(slot: Slot) -> str:
    if not slot.values:
        return "not stated"
    text = "; ".join(v.value + (f" ({v.status})" if v.status and v.status != "done" else "") for v in slot.values)
    return text + (" — sources disagree" if slot.state == "contested" else "")


def _agreements(dossier: Dossier, index: SourceIndex) -> list[str]:
    """Each agreement's fields and its ATOP obligations: present, absent (a source says so) or not stated."""
    if not dossier.agreements:
        return []
    lines = ["## Agreements", ""]
    for agreement in dossier.agreements:
        name = agreement.name.values[0].value if agreement.name.values else "Unnamed agreement"
        role = "compared with the main one" if agreement.role == "comparison" else "main"
        lines += [f"### {_inline(name)} ({role})", ""]
        parties = ", ".join(p.name for p in agreement.parties) or "not stated"
        rows = [["Parties", _cell(parties), _markers(index, [c for p in agreement.parties for c in p.citations[:3]])]]
        for label, slot in (("Name", agreement.name), ("Signed", agreement.signed), ("Place", agreement.place),
                            ("Duration", agreement.duration), ("Renewal", agreement.renewal),
                            ("Articles", agreement.articles)):
            rows.append([label, _cell(_slot(slot)), _markers(index, slot.citations()) or " "])
        areas = ", ".join(a.value for a in agreement.areas)
        if areas:
            rows.append(["Areas of cooperation", _cell(areas), " "])
        lines += [*_table(["Field", "Value", "Sources"], rows), ""]
        provisions = [*agreement.obligations, *agreement.provisions]
        prov_rows = [[_cell(f"{p.label} ({p.atop})"), p.state,
                      _markers(index, [e.sentence for e in p.evidence]) or " "] for p in provisions]
        lines += [*_table(["ATOP provision", "State", "Evidence"], prov_rows), ""]
    return lines


def _events(dossier: Dossier, index: SourceIndex) -> list[str]:
    """Coded acts (PLOVER type, CAMEO code): who did what to whom, when, where, with what status."""
    if not dossier.events:
        return []
    rows = []
    for e in dossier.events:
        kind = e.plover + (f" / {e.mode}" if e.mode else "") + (f" (CAMEO {e.cameo})" if e.cameo else "")
        rows.append([
            _cell(kind), _cell(", ".join(a.name or a.text for a in e.actors) or "?"),
            _cell(", ".join(t.name or t.text for t in e.targets) or " "), _cell(e.when.value),
            _cell(e.where.text if e.where else " "), e.status, _markers(index, [e.sentence]),
        ])
    return ["## Coded events", "", *_table(["Event", "Who", "Whom", "When", "Where", "Status", "Source"], rows), ""]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _stats_line(dossier: Dossier) -> str:
    s = dossier.stats
    return (
        f"**{s.articles}** articles from **{s.independent_outlets}** independent outlets · "
        f"{s.facts} facts ({s.corroborated} corroborated, {s.single_source} single-source, "
        f"{s.contested} contested) · {s.comments} reader comments (not counted as sources)"
    )


def _summary(dossier: Dossier, index: SourceIndex) -> list[str]:
    lines = ["## Summary", ""]
    if not dossier.summary:
        return [*lines, "_No summary._", ""]
    for sentence in dossier.summary:
        text = _LINE_START_MARKER.sub(lambda m: _escape_marker(m.group(1)), _inline(sentence.text))
        lines.append(f"{text} {_markers(index, sentence.citations)}".rstrip())
        lines.append("")
    return lines


def _facts(dossier: Dossier, index: SourceIndex) -> list[str]:
    lines = ["## Facts", ""]
    if not dossier.facts:
        return [*lines, "_No facts._", ""]
    number_of = {fact.id: n for n, fact in enumerate(dossier.facts, start=1)}
    rows = []
    for n, fact in enumerate(dossier.facts, start=1):
        status: str = fact.status
        against = [f"F{number_of[i]}" if i in number_of else _inline(i) for i in fact.contradicted_by]
        if against:
            status += f" (vs {', '.join(against)})"
        statement = _cell(fact.statement)
        if fact.modality != "done":
            statement += f" _({fact.modality})_"
        rows.append(
            [
                f"F{n}",
                statement,
                status,
                str(len(set(fact.outlets))),
                str(len(set(fact.doc_ids))),
                _markers(index, fact.citations) or " ",
            ]
        )
    return [*lines, *_table(["#", "Statement", "Status", "Outlets", "Articles", "Sources"], rows), ""]


def _timeline(dossier: Dossier, index: SourceIndex) -> list[str]:
    lines = ["## Timeline", ""]
    if not dossier.timeline:
        return [*lines, "_No dated events._", ""]
    for entry in dossier.timeline:
        marks = _markers(index, entry.citations)
        lines.append(f"- **{_inline(entry.date)}** — {_inline(entry.text)} {marks}".rstrip())
    return [*lines, ""]


def _entities(dossier: Dossier) -> list[str]:
    lines = ["## Entities", ""]
    if not dossier.entities:
        return [*lines, "_No entities._", ""]
    rows = [
        [
            _cell(entity.name),
            _cell(entity.label),
            _cell(", ".join(v for v in entity.variants if v != entity.name)),
            _cell(entity.qid or ""),
            str(len(set(entity.doc_ids))),
            str(entity.mention_count),
        ]
        for entity in dossier.entities
    ]
    return [*lines, *_table(["Name", "Type", "Variants", "QID", "Articles", "Mentions"], rows), ""]


def _cautions(dossier: Dossier, index: SourceIndex) -> list[str]:
    lines = ["## Cautions", ""]
    if not dossier.cautions:
        return [*lines, "_None._", ""]
    for caution in dossier.cautions:
        marks = _markers(index, caution.citations)
        where = ""
        if caution.doc_id is not None:
            position = index.doc_positions.get(caution.doc_id)
            where = f" (document {position + 1})" if position is not None else f" ({_inline(caution.doc_id)})"
        lines.append(f"- **{_inline(caution.kind)}**{where}: {_inline(caution.message)} {marks}".rstrip())
    return [*lines, ""]


def _sources(index: SourceIndex) -> list[str]:
    lines = ["## Sources", ""]
    refs = index.refs
    if not refs:
        return [*lines, "_No citations._", ""]
    for ref in refs:
        if ref.doc is None:
            source = f" — unknown document {_inline(ref.citation.doc_id)}"
        else:
            source = "" if ref.doc.source == ref.citation.outlet else f" — {_inline(ref.doc.source)}"
        where = f"document {ref.doc_index + 1}, " if ref.doc_index is not None else ""
        checked = "" if ref.verified else " _(span does not match the document text)_"
        lines.append(
            f"{ref.number}. **{_inline(ref.citation.outlet)}**{source} ({where}"
            f"chars {ref.citation.start}–{ref.citation.end}) — “{_inline(ref.citation.quote)}”{checked}"
        )
    return [*lines, ""]


def _paragraph_texts(doc: DocumentView) -> list[str]:
    """The document's paragraphs by their offsets, or its blank-line blocks when it has none."""
    if doc.paragraphs:
        texts = [doc.text[p.start : p.end] for p in sorted(doc.paragraphs, key=lambda p: p.start)]
    else:
        texts = _BLANK_LINE.split(doc.text)
    return [t for t in texts if t.strip()]


def _comment(comment: Comment) -> list[str]:
    who = _inline(comment.author) if comment.author else "anonymous"
    when = f" ({_inline(comment.posted)})" if comment.posted else ""
    body = _block(comment.text).split("\n")
    return [f"> **{who}**{when}:", ">", *(f"> {line}" for line in body), ""]


def _document(n: int, doc: DocumentView) -> list[str]:
    title = _inline(doc.title or "") or _inline(doc.source) or _inline(doc.id)
    lines = [f"### {n}. {title}", ""]
    lines.append(f"- Source: {_inline(doc.source)}")
    lines.append(f"- Outlet: {_inline(doc.outlet)}")
    lines.append(f"- Date: {doc.date.isoformat() if doc.date else 'unknown'}")
    if doc.language:
        lines.append(f"- Language: {_inline(doc.language)}")
    url = safe_web_url(doc.url)
    if url is not None and not re.search(r"[<>]", url):
        lines.append(f"- URL: <{url}>")
    elif doc.url:
        lines.append(f"- URL (not a web link): {_inline(doc.url)}")
    if doc.duplicate_of:
        lines.append(f"- Near-duplicate of: {_inline(doc.duplicate_of)}")
    if doc.repeated_paragraphs:
        lines.append(f"- Repeated paragraphs dropped: {doc.repeated_paragraphs}")
    lines.append("")
    for text in _paragraph_texts(doc):
        lines.extend([_block(text), ""])
    if doc.comments:
        lines.extend([f"#### {COMMENTS_HEADING}", ""])
        for comment in doc.comments:
            lines.extend(_comment(comment))
    return lines


def to_markdown(dossier: Dossier) -> str:
    """The whole dossier as one Markdown document; [n] markers refer to the Sources list."""
    index = SourceIndex(dossier)
    event = dossier.event
    lines = [f"# {_inline(event.title) or 'Untitled event'}", ""]
    lines.append(f"**Date:** {_inline(event.date) if event.date else 'unknown'}  ")
    lines.append(_stats_line(dossier))
    lines.append("")
    lines.extend(_summary(dossier, index))
    lines.extend(_facts(dossier, index))
    lines.extend(_timeline(dossier, index))
    lines.extend(_agreements(dossier, index))
    lines.extend(_events(dossier, index))
    lines.extend(_entities(dossier))
    lines.extend(_cautions(dossier, index))
    lines.extend(_sources(index))
    lines.extend(["## Documents", ""])
    for n, doc in enumerate(dossier.documents, start=1):
        lines.extend(_document(n, doc))
    return "\n".join(lines).rstrip("\n") + "\n"
