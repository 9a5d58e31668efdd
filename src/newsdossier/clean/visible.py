"""The visible text of a whole HTML page, laid out as a browser's select-all copy gives it.

Menus, footers and sidebars stay (a copy of the page has them); what a reader never sees
goes: scripts, styles, templates, hidden elements, form widgets' internals.  Block
elements become line breaks, paragraphs and headings blank lines, table cells tabs,
list items lines.  This is how a page dump is made from HTML, so that the text path
(`textdump`) can be measured on the same pages as the HTML path.
"""

from __future__ import annotations

import re

from lxml import etree

from newsdossier.clean.dom import parse_html

_INVISIBLE = frozenset(
    (
        "script", "style", "noscript", "template", "head", "title", "meta", "link", "svg", "math", "iframe",
        "object", "embed", "canvas", "video", "audio", "select", "option", "textarea", "input", "map",
        "area", "source", "track", "param", "datalist",
    )
)
_PARAGRAPH = frozenset(
    (
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure", "table", "ul", "ol", "dl",
        "hr", "address",
    )
)
_LINE = frozenset(
    (
        "div", "section", "article", "main", "header", "footer", "nav", "aside", "li", "dt", "dd", "tr",
        "caption", "figcaption", "details", "summary", "fieldset", "legend", "form", "center", "body",
        "html", "menu", "tbody", "thead", "tfoot",
    )
)
_CELL = frozenset(("td", "th"))
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BREAKS = re.compile(r"\n{3,}")
# Markers placed while walking, resolved into line breaks at the end.
_P, _L, _T = "\x00P\x00", "\x00L\x00", "\x00T\x00"


def _hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _walk(root: etree._Element, out: list[str]) -> None:
    skip_depth = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if skip_depth or not tag or tag in _INVISIBLE or _hidden(el):
                skip_depth += 1
                continue
            if tag in _PARAGRAPH:
                out.append(_P)
            elif tag in _LINE:
                out.append(_L)
            elif tag == "br":
                out.append("\n")
            elif tag in _CELL:
                out.append(_T)
            if el.text:
                out.append(el.text)
        else:
            if skip_depth:
                skip_depth -= 1
                if skip_depth == 0 and el.tail:
                    out.append(el.tail)
                continue
            if tag in _PARAGRAPH:
                out.append(_P)
            elif tag in _LINE:
                out.append(_L)
            if el.tail:
                out.append(el.tail)


def _layout(raw: str) -> str:
    """Resolve the markers: runs of breaks collapse to the strongest, spaces are squeezed per line."""
    lines: list[str] = []
    for chunk in re.split(f"((?:{_P}|{_L}|\n)+)", raw):
        if not chunk:
            continue
        if _P in chunk or _L in chunk or chunk.startswith("\n"):
            lines.append("\n\n" if _P in chunk else "\n")
            continue
        cells = [_SPACES.sub(" ", c.replace("\n", " ")).strip() for c in chunk.split(_T)]
        cells = [c for c in cells if c]
        if cells:
            lines.append("\t".join(cells))
    text = "".join(lines)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BREAKS.sub("\n\n", text).strip() + "\n"


def visible_text(html: str) -> str:
    """The page's visible text as a select-all copy would give it ('' for input that is not HTML)."""
    root = parse_html(html)
    if root is None:
        return ""
    out: list[str] = []
    _walk(root, out)
    return _layout("".join(out))
