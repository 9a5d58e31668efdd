"""Ingest: turn input paths (pages, folders, JSONL, WARC) into `RawPage` records.

Every problem with an input becomes a `Skipped` record with a one-line reason, so one
bad file never stops a run.  Large containers (JSONL, WARC) are streamed record by record.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import re
import stat
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO, Literal
from urllib.parse import urlsplit

from charset_normalizer import from_bytes
from warcio.archiveiterator import ArchiveIterator
from warcio.limitreader import LimitReader

from newsdossier.model import PageKind, RawPage, Skipped

MB = 1024 * 1024
DEFAULT_MAX_PAGE_BYTES = 20 * MB

Item = RawPage | Skipped
KindHint = Literal["html", "text", "sniff"]

_PAGE_SUFFIXES: dict[str, KindHint] = {".html": "html", ".htm": "html", ".txt": "text"}
_GZ_PAGES: dict[str, KindHint] = {f"{suffix}.gz": hint for suffix, hint in _PAGE_SUFFIXES.items()}
_SUPPORTED = (*_PAGE_SUFFIXES, *_GZ_PAGES, ".jsonl", ".warc", ".warc.gz")
_HTML_MIME = frozenset({"text/html", "application/xhtml+xml"})
_HEAD_BYTES = 8192
_CHUNK = 1 << 16
_REPLACED = " (undecodable bytes replaced)"

_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "ZIP"),
    (b"PK\x05\x06", "ZIP"),
    (b"\x1f\x8b", "gzip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"(\xb5/\xfd", "zstd"),
    (b"7z\xbc\xaf'\x1c", "7z"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office"),
    (b"\x7fELF", "ELF executable"),
    (b"SQLite format 3\x00", "SQLite"),
)
_CONTROL_BYTES = tuple(bytes([b]) for b in (*range(0, 9), *range(14, 27), *range(28, 32), 127))

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels that browsers read as a wider code page (WHATWG Encoding Standard).
_LABEL_ALIASES = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
}

# Legacy encodings still common on the web, most common first: the tie-break between equal guesses.
# fmt: off
_COMMON_LEGACY = (
    "cp1252", "cp1251", "cp1250", "koi8-r", "iso8859-2", "cp1253", "cp1254", "cp1257", "cp1256", "cp1255",
    "cp874", "gb18030", "cp932", "euc_jp", "big5hkscs", "cp949", "koi8-u", "iso8859-5", "cp866",
    "mac_cyrillic", "iso8859-15", "iso8859-7", "latin-1",
)
# fmt: on
_COMMON_LEGACY_RANK = {codecs.lookup(name).name: rank for rank, name in enumerate(_COMMON_LEGACY)}

_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9._:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([a-z0-9._:-]+)""",
    re.IGNORECASE,
)
_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)
_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG = re.compile(r"<(?:html|head|body|title|meta|div|p|article|table|script|link|span|a)[\s>/]", re.I)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_IN_WORD_PUNCTUATION = frozenset("’‘ʼ′‐‑–—·")

# Extra (non-ASCII) lowercase letters of each alphabet.  Correct decoding puts a text's letters in one
# alphabet; a wrong code page scatters them across several.
_ALPHABETS: dict[str, tuple[str, ...]] = {
    "LATIN": (
        "àâæçéèêëîïôœùûüÿ",  # French
        "äöüß",  # German
        "áéíñóúü",  # Spanish
        "àáâãçéêíóôõú",  # Portuguese
        "àèéìíîòóùú",  # Italian
        "àçèéíïòóúü",  # Catalan
        "áäéëíïóöúü",  # Dutch
        "åäæöøé",  # Scandinavian, Finnish
        "áæðéíóöúýþ",  # Icelandic
        "ąćęłńóśźż",  # Polish
        "áčďéěíňóřšťúůýž",  # Czech
        "áäčďéíĺľňóôŕšťúýž",  # Slovak
        "áéíóöőúüű",  # Hungarian
        "ăâîșțşţ",  # Romanian
        "čćđšž",  # Croatian, Bosnian, Slovene, Serbian Latin
        "çğıöşüâîûə",  # Turkish, Azerbaijani
        "ąčęėįšųūž",  # Lithuanian
        "āčēģīķļņšūž",  # Latvian
        "äõöüšž",  # Estonian
        "áéíóúâêîôûŵŷ",  # Irish, Welsh
        "àċèġħìòùż",  # Maltese
        "çë",  # Albanian
        "ĉĝĥĵŝŭ",  # Esperanto
    ),
    "CYRILLIC": (
        "абвгдежзийклмнопрстуфхцчшщъыьэюяё",  # Russian, Bulgarian
        "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",  # Ukrainian
        "абвгдеёжзійклмнопрстуўфхцчшыьэюя",  # Belarusian
        "абвгдђежзијклљмнњопрстћуфхцчџш",  # Serbian
        "абвгдѓежзѕијклљмнњопрстќуфхцчџш",  # Macedonian
        "абвгдежзийклмнопрстуфхцчшщъыьэюяёәғқңөұүһі",  # Kazakh
    ),
    "GREEK": ("αβγδεζηθικλμνξοπρστυφχψωάέήίόύώϊϋΐΰς",),
    "HEBREW": ("".join(map(chr, range(0x5D0, 0x5EB))),),
    "ARABIC": ("".join(map(chr, range(0x621, 0x64B))) + "پچژگکیٹڈڑںھہےۀ",),
    "THAI": ("".join(map(chr, [*range(0xE01, 0xE3B), *range(0xE40, 0xE4F)])),),
}
_OPEN_SCRIPTS = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "BOPOMOFO", "FULLWIDTH"})


class _CorruptWarc(Exception):
    """Damage that ends the reading of a WARC file."""


def read_inputs(paths: Sequence[str | Path], *, max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES) -> Iterator[Item]:
    """Yield a RawPage for every page found under `paths`, and a Skipped for every input that is not one.

    Folders are walked recursively in sorted order, hidden entries left out.  Never raises for bad input.
    """
    for arg in [paths] if isinstance(paths, str | Path) else paths:
        given = os.fspath(arg)
        path = Path(given)
        try:
            exists, is_dir = bool(given) and path.exists(), path.is_dir()
        except (OSError, ValueError) as exc:
            reason = _os_message(exc) if isinstance(exc, OSError) else _one_line(str(exc))
            yield Skipped(source=given, reason=f"cannot read path: {reason}")
            continue
        if not exists:
            yield Skipped(source=given, reason=_missing_reason(path))
        elif is_dir:
            for entry in _walk(path):
                if isinstance(entry, Skipped):
                    yield entry
                else:
                    yield from _guarded(entry[0], entry[1], False, max_page_bytes)
        else:
            yield from _guarded(path, path.name, True, max_page_bytes)


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes to text and name the encoding used.

    Order: byte-order mark; strict UTF-8; UTF-8 with a few stray bytes; a declared charset (HTTP header, then
    `<meta>`); then the most plausible of charset_normalizer's and the common legacy code pages.  If nothing
    decodes cleanly, bad bytes become U+FFFD and the encoding name says so.  Newlines are not touched here.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _decode_with(data[len(bom) :], name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mostly_utf8 = _mostly_utf8(data)
    if mostly_utf8 is not None:
        return mostly_utf8, "utf-8" + _REPLACED
    for label in (declared, _meta_charset(data)):
        codec = _codec_for_label(label)
        if codec is None or codec.startswith(("utf-8", "utf-16", "utf-32")):
            continue
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            if codec == "cp1252":
                return data.decode("latin-1"), "iso8859-1"
    return _decode_with(data, _guess_encoding(data))


def looks_like_html(text: str, *, strict: bool = True) -> bool:
    """True when text starts like an HTML document; `strict=False` also accepts a fragment of common tags."""
    head = text[:_HEAD_BYTES]
    if _HTML_START.match(head):
        return True
    return not strict and head.lstrip().startswith("<") and _HTML_TAG.search(head) is not None


def site_from_url(url: str | None) -> str | None:
    """The hostname of a URL without a leading `www.`, lower case; None when there is none."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".")
    return host[4:] if host.startswith("www.") and len(host) > 4 else host


def binary_kind(data: bytes) -> str | None:
    """Name the binary format of `data` ('' when unnamed), or None when it may be text."""
    for magic, name in _BINARY_MAGIC:
        if data.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return data[8:12].decode().strip()
    if data[4:8] == b"ftyp":
        return "MP4/QuickTime"
    if data[:3] == b"BZh" and data[4:10] == b"1AY&SY":
        return "bzip2"
    head = data[:_HEAD_BYTES]
    if b"\x00" in head:
        return ""
    controls = sum(head.count(b) for b in _CONTROL_BYTES)
    return "" if controls * 10 > len(head) else None


# --- walking and dispatch -------------------------------------------------------------------------------


def _walk(root: Path) -> Iterator[tuple[Path, str] | Skipped]:
    """Files under `root` with their source relative to it, depth first in name order, no hidden entries."""
    real_root = os.path.realpath(root)
    stack: list[tuple[Iterator[os.DirEntry[str]], str, frozenset[str]]] = []
    listed = _list_dir(root, "", frozenset({real_root}))
    if isinstance(listed, Skipped):
        yield Skipped(source=os.fspath(root), reason=listed.reason)
        return
    stack.append(listed)
    while stack:
        entries, prefix, ancestors = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        rel = f"{prefix}{entry.name}"
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if not is_dir:
            yield Path(entry.path), rel
            continue
        real = os.path.realpath(entry.path)
        if real in ancestors:
            yield Skipped(source=rel, reason="symbolic link loop: folder already being read")
            continue
        listed = _list_dir(Path(entry.path), rel + "/", ancestors | {real})
        if isinstance(listed, Skipped):
            yield listed
        else:
            stack.append(listed)


def _list_dir(
    folder: Path, prefix: str, ancestors: frozenset[str]
) -> tuple[Iterator[os.DirEntry[str]], str, frozenset[str]] | Skipped:
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        return Skipped(source=prefix.rstrip("/") or folder.name, reason=f"cannot read folder: {_os_message(exc)}")
    return iter(entries), prefix, ancestors


def _guarded(path: Path, source: str, explicit: bool, max_bytes: int) -> Iterator[Item]:
    """Read one file; an unexpected error becomes a Skipped instead of ending the run."""
    try:
        yield from _read_file(path, source, explicit, max_bytes)
    except Exception as exc:
        yield Skipped(source=source, reason=_one_line(f"unexpected error: {type(exc).__name__}: {exc}"))


def _read_file(path: Path, source: str, explicit: bool, max_bytes: int) -> Iterator[Item]:
    try:
        info = path.stat()
    except FileNotFoundError:
        yield Skipped(source=source, reason=_missing_reason(path))
        return
    except OSError as exc:
        yield Skipped(source=source, reason=f"cannot read file: {_os_message(exc)}")
        return
    if not stat.S_ISREG(info.st_mode):
        yield Skipped(source=source, reason="not a regular file")
        return
    suffix = _suffix(path.name)
    if suffix not in _SUPPORTED and not explicit:
        label = f"'{suffix}'" if suffix else "(no file extension)"
        yield Skipped(source=source, reason=f"unsupported file type {label}")
        return
    if info.st_size == 0:
        yield Skipped(source=source, reason="empty file")
        return
    try:
        if suffix == ".jsonl":
            yield from _read_jsonl(path, source, max_bytes)
        elif suffix in (".warc", ".warc.gz"):
            yield from _read_warc(path, source, max_bytes)
        elif suffix in _GZ_PAGES:
            yield _read_gzip_page(path, source, _GZ_PAGES[suffix], max_bytes)
        else:
            yield from _read_page_file(path, source, _PAGE_SUFFIXES.get(suffix, "sniff"), info.st_size, max_bytes)
    except OSError as exc:
        yield Skipped(source=source, reason=f"cannot read file: {_os_message(exc)}")


def _read_gzip_page(path: Path, source: str, hint: KindHint, max_bytes: int) -> Item:
    """One gzip-compressed page (`page.html.gz`), decompressed no further than the size limit."""
    try:
        with gzip.open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except (gzip.BadGzipFile, zlib.error) as exc:
        return Skipped(source=source, reason=_one_line(f"not a valid gzip file: {exc}"))
    except EOFError:
        return Skipped(source=source, reason="truncated gzip file: it ends before its compressed data does")
    if len(data) > max_bytes:
        return Skipped(source=source, reason=_too_large(None, max_bytes) + " once decompressed")
    return _page_from_bytes(data, source=source, hint=hint, what="file")


def _read_page_file(path: Path, source: str, hint: KindHint, size: int, max_bytes: int) -> Iterator[Item]:
    with path.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
        if _is_warc_head(head):
            fh.close()
            yield from _read_warc(path, source, max_bytes)
            return
        if size > max_bytes:
            yield Skipped(source=source, reason=_too_large(size, max_bytes))
            return
        data = head + fh.read(max_bytes + 1 - len(head))
    if len(data) > max_bytes:
        yield Skipped(source=source, reason=_too_large(None, max_bytes))
        return
    yield _page_from_bytes(data, source=source, hint=hint, what="file")


# --- pages ----------------------------------------------------------------------------------------------


def _page_from_bytes(
    data: bytes,
    *,
    source: str,
    hint: KindHint,
    what: str,
    declared: str | None = None,
    url: str | None = None,
    site: str | None = None,
    day: date | None = None,
) -> Item:
    if not data or data.isspace():
        return Skipped(source=source, reason=f"empty {what}")
    if not any(data.startswith(bom) for bom, _ in _BOMS):
        kind = binary_kind(data)
        if kind is not None:
            named = f" ({kind})" if kind else ""
            return Skipped(source=source, reason=f"binary {what}{named}, not a web page")
    text, encoding = decode_bytes(data, declared)
    return _page_from_text(text, source=source, hint=hint, what=what, encoding=encoding, url=url, site=site, day=day)


def _page_from_text(
    text: str,
    *,
    source: str,
    hint: KindHint,
    what: str,
    encoding: str | None,
    url: str | None = None,
    site: str | None = None,
    day: date | None = None,
) -> Item:
    text = _clean_text(text)
    if not text.strip():
        return Skipped(source=source, reason=f"empty {what}")
    kind: PageKind = "html"
    if hint != "html" and not looks_like_html(text, strict=hint == "text"):
        kind = "text"
    return RawPage(
        source=source,
        content=text,
        kind=kind,
        url=url,
        site=site or site_from_url(url),
        date=day,
        encoding=encoding,
    )


def _clean_text(text: str) -> str:
    """Unix newlines, no NUL characters or lone surrogates (they break storage and later stages)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text


# --- JSONL ----------------------------------------------------------------------------------------------


def _read_jsonl(path: Path, source: str, max_bytes: int) -> Iterator[Item]:
    seen = False
    with path.open("rb") as fh:
        for number, line in _bounded_lines(fh, max_bytes):
            if isinstance(line, int):
                seen = True
                yield Skipped(source=source, reason=f"line {number}: {_too_large(line, max_bytes)}")
                continue
            if not line or line.isspace():
                continue
            seen = True
            yield _jsonl_record(line, number, source)
    if not seen:
        yield Skipped(source=source, reason="empty file")


def _bounded_lines(fh: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | int]]:
    """Lines of a file, or the size of a line over `limit`, never holding more than `limit` bytes."""
    number = 0
    while True:
        line = fh.readline(limit + 2)
        if not line:
            return
        number += 1
        body = line.rstrip(b"\r\n")
        if len(body) <= limit:
            yield number, body
            continue
        size = len(line)
        while not line.endswith(b"\n"):
            line = fh.readline(_CHUNK)
            if not line:
                break
            size += len(line)
        yield number, size


def _jsonl_record(line: bytes, number: int, source: str) -> Item:
    where = f"line {number}"
    try:
        text, encoding = line.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = decode_bytes(line)
    if number == 1:
        text = text.removeprefix("\ufeff")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return Skipped(source=source, reason=f"{where}: invalid JSON: {exc.msg} at column {exc.colno}")
    except (ValueError, RecursionError) as exc:
        return Skipped(source=source, reason=_one_line(f"{where}: invalid JSON: {exc}"))
    if not isinstance(obj, dict):
        return Skipped(source=source, reason=f"{where}: not a JSON object")
    html, plain = obj.get("html"), obj.get("text")
    if html is None and plain is None:
        return Skipped(source=source, reason=f"{where}: no 'html' or 'text' field")
    hint: KindHint
    if isinstance(html, str) and html.strip():
        content, hint = html, "html"
    elif isinstance(plain, str) and plain.strip():
        content, hint = plain, "text"
    elif isinstance(html, str) or isinstance(plain, str):
        return Skipped(source=source, reason=f"{where}: empty page")
    else:
        return Skipped(source=source, reason=f"{where}: 'html' or 'text' must be a string")
    url = _clean_url(obj.get("url"))
    site = obj.get("site")
    site = site.strip() if isinstance(site, str) and site.strip() else None
    page = _page_from_text(
        content,
        source=url or f"{source}:{number}",
        hint=hint,
        what="page",
        encoding=encoding,
        url=url,
        site=site,
        day=_parse_date(obj.get("date")),
    )
    if isinstance(page, Skipped):
        return Skipped(source=source, reason=f"{where}: {page.reason}")
    return page


# --- WARC -----------------------------------------------------------------------------------------------


class _GzipMembers:
    """Decompress concatenated gzip members, raising on damage that warcio would pass over in silence."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._inflate = zlib.decompressobj(31)
        self._buffer = bytearray()
        self._done = False

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes, fewer when that is all one step gives: data before damage must come out first."""
        while not self._done and (size < 0 or not self._buffer) and size != 0:
            self._fill()
        if size < 0:
            size = len(self._buffer)
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        return out

    def _fill(self) -> None:
        if self._inflate.eof:
            data = self._inflate.unused_data or self._raw.read(_CHUNK)
            if not data:
                self._done = True
                return
            self._inflate = zlib.decompressobj(31)
        else:
            data = self._inflate.unconsumed_tail or self._raw.read(_CHUNK)
            if not data:
                raise _CorruptWarc("compressed data ends in the middle of a record")
        try:
            self._buffer += self._inflate.decompress(data, 8 * _CHUNK)
        except zlib.error as exc:
            raise _CorruptWarc(f"bad compressed data ({exc})") from exc


class _Counted:
    """A read-only stream that counts the bytes it has given out."""

    def __init__(self, stream: BinaryIO | _GzipMembers) -> None:
        self._stream = stream
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.count += len(data)
        return data


def _check_archive(archive: Any) -> None:
    if archive.err_count:
        raise _CorruptWarc("a record is longer or shorter than its Content-Length")


def _read_warc(path: Path, source: str, max_bytes: int) -> Iterator[Item]:
    with path.open("rb") as raw:
        head = raw.read(_HEAD_BYTES)
        if not _is_warc_head(head, cut_short_ok=True):
            kind = binary_kind(head)
            named = f" ({kind} data)" if kind else ""
            yield Skipped(source=source, reason=f"not a WARC file{named}")
            return
        raw.seek(0)
        stream = _Counted(_GzipMembers(raw) if head.startswith(b"\x1f\x8b") else raw)
        records = pages = 0
        try:
            archive = ArchiveIterator(stream)
            for record in archive:
                _check_archive(archive)
                length = record.rec_headers.get_header("Content-Length") or ""
                if record.rec_type is None or not length.strip().isdigit():
                    raise _CorruptWarc("a record header is incomplete")
                page = _warc_page(record, source, records + 1, max_bytes)
                _drain(record)
                records += 1
                if page is not None:
                    pages += isinstance(page, RawPage)
                    yield page
            _check_archive(archive)
            if archive.offset < stream.count:
                raise _CorruptWarc("the file ends inside a record header")
        except Exception as exc:
            error = str(exc) if isinstance(exc, _CorruptWarc) else f"{type(exc).__name__}: {exc}"
            counted = f"{records} record{'' if records == 1 else 's'}"
            yield Skipped(source=source, reason=_one_line(f"truncated or corrupt WARC after {counted}: {error}"))
            return
    if not pages:
        yield Skipped(source=source, reason=f"no HTML pages among {records} WARC records")


def _warc_page(record: Any, source: str, number: int, max_bytes: int) -> Item | None:
    """The page in a response or resource record with an HTML content type; None for any other record."""
    if record.rec_type == "response":
        http = record.http_headers
        if http is None or not str(http.get_statuscode()).startswith("2"):
            return None
        content_type = http.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type") or ""
    else:
        return None
    if content_type.split(";", 1)[0].strip().lower() not in _HTML_MIME:
        return None
    url = _clean_url((record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> "))
    where = url or f"{source}#{number}"
    payload_length = record.payload_length
    if isinstance(payload_length, int) and payload_length > max_bytes:
        return Skipped(source=where, reason=_too_large(payload_length, max_bytes))
    try:
        data = record.content_stream().read(max_bytes + 1)
    except _CorruptWarc:
        raise
    except Exception as exc:
        return Skipped(source=where, reason=_one_line(f"unreadable record content: {exc}"))
    if len(data) > max_bytes:
        return Skipped(source=where, reason=_too_large(None, max_bytes))
    match = _CHARSET_PARAM.search(content_type)
    return _page_from_bytes(
        data,
        source=where,
        hint="html",
        what="record",
        declared=match.group(1) if match else None,
        url=url,
        day=_parse_date(record.rec_headers.get_header("WARC-Date")),
    )


def _drain(record: Any) -> None:
    """Read the rest of a record; a record that ends before its Content-Length means the file is cut short."""
    stream = record.raw_stream
    while stream.read(_CHUNK):
        pass
    if isinstance(stream, LimitReader) and stream.limit > 0:
        raise _CorruptWarc(f"a record ends {stream.limit} bytes short of its Content-Length")


def _is_warc_head(head: bytes, *, cut_short_ok: bool = False) -> bool:
    """True when a file's first bytes are a WARC record (or, with `cut_short_ok`, the start of one)."""
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(31).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith(b"WARC/") or (cut_short_ok and len(head) < 5 and b"WARC/".startswith(head))


# --- decoding -------------------------------------------------------------------------------------------


def _decode_with(data: bytes, codec: str) -> tuple[str, str]:
    name = codecs.lookup(codec).name
    try:
        return data.decode(codec), name
    except UnicodeDecodeError:
        return data.decode(codec, errors="replace"), name + _REPLACED


def _mostly_utf8(data: bytes) -> str | None:
    """The UTF-8 reading of data whose non-ASCII is nearly all valid UTF-8: stray bytes in a UTF-8 page."""
    sample = data[: 4 * _CHUNK].decode("utf-8", errors="replace")
    bad = sample.count("\ufffd")
    good = sum(1 for _ in _NON_ASCII.finditer(sample)) - bad
    return data.decode("utf-8", errors="replace") if good >= 4 and bad * 4 <= good else None


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:_HEAD_BYTES])
    if match is None:
        return None
    label = match.group(1) or match.group(2)
    return label.decode("ascii", "replace")


def _codec_for_label(label: str | None) -> str | None:
    """Python codec for a declared charset label, read the way browsers read it; None when unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    return _LABEL_ALIASES.get(name, name)


def _guess_encoding(data: bytes) -> str:
    """The candidate encoding whose decoding of a sample reads most like natural text.

    Ties go to charset_normalizer's order, except among Latin-script readings, where it often prefers a rare
    code page: those go to the code page most used on the web.
    """
    sample = data[: 4 * _CHUNK]
    candidates: list[str] = []
    for name in [m.encoding for m in from_bytes(sample)] + ["utf-8", *_COMMON_LEGACY]:
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            continue
        if codec not in candidates:
            candidates.append(codec)
    scored = []
    for rank, codec in enumerate(candidates):
        text = sample.decode(codec, errors="replace")
        scored.append((_implausibility(text), rank, codec, text))
    best = min(score for score, _, _, _ in scored)
    return min(
        (
            (0, _COMMON_LEGACY_RANK.get(codec, len(_COMMON_LEGACY) + rank))
            if _main_script(text) in ("LATIN", "")
            else (1, rank),
            codec,
        )
        for score, rank, codec, text in scored
        if score <= best + 0.02
    )[1]


def _main_script(text: str) -> str:
    """The script of most non-ASCII letters in a text ('' when it has none)."""
    scripts = Counter(_script(c) for c in _NON_ASCII.findall(text[: 4 * _CHUNK])[:2000] if c.isalpha())
    return scripts.most_common(1)[0][0] if scripts else ""


def _script(char: str) -> str:
    first = unicodedata.name(char, "").replace("-", " ").split(" ", 1)[0]
    return "CJK" if first in _OPEN_SCRIPTS else first


def _implausibility(text: str, limit: int = 4000) -> float:
    """How unlike natural text the non-ASCII characters are: lower is better, 0 looks right.

    A wrong code page shows itself by replacement and control characters, symbols inside words, script and
    case changes inside words, runs of accented Latin letters, mostly upper-case words, and letters that no
    single alphabet uses together.
    """
    penalty = 0.0
    seen = upper = cased = 0
    letters: dict[str, Counter[str]] = {}
    for match in _NON_ASCII.finditer(text):
        seen += 1
        if seen > limit:
            break
        i, char = match.start(), match.group()
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        category = unicodedata.category(char)
        if char == "\ufffd" or category[0] == "C":
            penalty += 3
        elif category[0] == "L":
            script = _script(char)
            if script == "HALFWIDTH":
                penalty += 1
            if any(c.isalpha() and _script(c) != script for c in (before, after)):
                penalty += 2
            if script == "LATIN" and ord(before) > 127 and before.isalpha():
                penalty += 1
            if category == "Lu":
                cased += 1
                upper += 1
                penalty += before.isalpha() and before.islower()
            elif category == "Ll":
                cased += 1
            elif category == "Lm" and script != "CJK":
                penalty += 1
            lower = char.lower()[:1]
            if ord(lower) > 127:
                letters.setdefault(script, Counter())[lower] += 1
        elif category[0] == "M":
            penalty += not before.isalpha()
        elif before.isalpha() and after.isalpha() and char not in _IN_WORD_PUNCTUATION:
            penalty += 2
        elif category in ("So", "Sk", "Sm", "Sc", "No") and (before.isalpha() or after.isalpha()):
            penalty += 1
    penalty += 2 * _uncovered_letters(letters)
    score = penalty / max(1, min(seen, limit))
    if cased >= 8 and upper * 2 > cased:
        score += upper / cased - 0.5
    return score


def _uncovered_letters(letters: dict[str, Counter[str]]) -> float:
    """How many letters fall outside the one alphabet (per script) that covers most of them."""
    missing = 0.0
    for script, counts in letters.items():
        if script == "CJK":
            continue
        alphabets = _ALPHABETS.get(script)
        total = sum(counts.values())
        if alphabets is None:
            missing += total / 2
            continue
        missing += total - max(sum(n for c, n in counts.items() if c in alphabet) for alphabet in alphabets)
    return missing


# --- small helpers --------------------------------------------------------------------------------------


def _suffix(name: str) -> str:
    lower = name.lower()
    if lower.endswith(".gz"):
        inner = Path(lower[:-3]).suffix
        if inner == ".warc" or inner in _PAGE_SUFFIXES:
            return f"{inner}.gz"
    return Path(lower).suffix


def _missing_reason(path: Path) -> str:
    broken = " (broken symbolic link)" if path.is_symlink() else ""
    return f"no such file or directory{broken}"


def _os_message(exc: OSError) -> str:
    return _one_line(exc.strerror or str(exc) or type(exc).__name__)


def _too_large(size: int | None, limit: int) -> str:
    amount = f"more than {_human_size(limit)}" if size is None else _human_size(size)
    return f"page too large: {amount} (limit {_human_size(limit)})"


def _human_size(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _clean_url(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _parse_date(value: object) -> date | None:
    """A date from an ISO 8601 date or date-time string, as written (no time-zone shift); None otherwise."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
