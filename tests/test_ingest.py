"""Tests for the ingest stage: every input becomes a RawPage or a Skipped, never an exception."""

from __future__ import annotations

import gzip
import io
import json
import os
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdossier.ingest import decode_bytes, looks_like_html, read_inputs, site_from_url
from newsdossier.model import RawPage, Skipped

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"
MB = 1024 * 1024

RUSSIAN = (
    "Президент России Владимир Путин и президент Ирана Масуд Пезешкиан подписали в Москве договор "
    "о всеобъемлющем стратегическом партнёрстве сроком на двадцать лет."
)
FRENCH = "Le président russe et son homologue iranien ont signé un traité à Moscou. Ça coûte très cher, déjà."
GERMAN = "Der russische Präsident unterzeichnete in Moskau einen Vertrag. Größe, Grüße, weiß, schön."


def read_all(*paths: str | Path, **kwargs: int) -> list[RawPage | Skipped]:
    return list(read_inputs(list(paths), **kwargs))


def only(items: list[RawPage | Skipped]) -> RawPage | Skipped:
    assert len(items) == 1, items
    return items[0]


def page(items: list[RawPage | Skipped]) -> RawPage:
    item = only(items)
    assert isinstance(item, RawPage), item
    return item


def skipped(items: list[RawPage | Skipped]) -> Skipped:
    item = only(items)
    assert isinstance(item, Skipped), item
    return item


# --- the seed pages ---------------------------------------------------------------------------------------


def test_seed_folder_yields_five_text_pages() -> None:
    items = read_all(SEEDS)
    pages = [i for i in items if isinstance(i, RawPage)]
    assert [p.source for p in pages] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert all(p.kind == "text" and p.encoding == "utf-8" and p.url is None for p in pages)
    assert all(len(p.content) > 1000 and "\r" not in p.content for p in pages)
    assert any("Pezeshkian" in p.content for p in pages)
    others = [i for i in items if isinstance(i, Skipped)]
    assert [(s.source, s.reason) for s in others] == [("README.md", "unsupported file type '.md'")]


# --- folders and sources ------------------------------------------------------------------------------------


def test_folder_walk_is_sorted_recursive_and_relative(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "b.html").write_text("<p>b</p>")
    (root / "a.htm").write_text("<p>a</p>")
    (root / "sub" / "c.txt").write_text("c text")
    (root / "sub" / "deeper" / "d.TXT").write_text("d text")
    (root / "sub" / "report.pdf").write_bytes(b"%PDF-1.4 ...")
    (root / "sub" / "notes").write_text("no extension")
    (root / ".hidden" / "x.html").write_text("<p>hidden</p>")
    (root / ".dotfile.html").write_text("<p>hidden</p>")

    items = read_all(root)

    assert [(i.source, type(i).__name__) for i in items] == [
        ("a.htm", "RawPage"),
        ("b.html", "RawPage"),
        ("sub/c.txt", "RawPage"),
        ("sub/deeper/d.TXT", "RawPage"),
        ("sub/notes", "Skipped"),
        ("sub/report.pdf", "Skipped"),
    ]
    reasons = {i.source: i.reason for i in items if isinstance(i, Skipped)}
    assert reasons == {
        "sub/notes": "unsupported file type (no file extension)",
        "sub/report.pdf": "unsupported file type '.pdf'",
    }
    kinds = {i.source: i.kind for i in items if isinstance(i, RawPage)}
    assert kinds == {"a.htm": "html", "b.html": "html", "sub/c.txt": "text", "sub/deeper/d.TXT": "text"}


def test_file_argument_source_is_its_name(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    target = tmp_path / "sub" / "story.html"
    target.write_text("<html><body><p>Hello</p></body></html>")
    result = page(read_all(str(target)))
    assert result.source == "story.html"
    assert result.kind == "html"
    assert result.site is None and result.date is None


def test_several_arguments_keep_their_order(tmp_path: Path) -> None:
    (tmp_path / "z.txt").write_text("zzz")
    (tmp_path / "a.txt").write_text("aaa")
    items = read_all(tmp_path / "z.txt", tmp_path / "a.txt")
    assert [i.source for i in items] == ["z.txt", "a.txt"]


def test_symlink_loop_in_folder_ends(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "page.txt").write_text("text")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    items = read_all(root)
    assert [i.source for i in items if isinstance(i, RawPage)] == ["sub/page.txt"]
    loops = [i for i in items if isinstance(i, Skipped)]
    assert [s.source for s in loops] == ["sub/loop"]
    assert "loop" in loops[0].reason


# --- bad inputs ------------------------------------------------------------------------------------------------


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.html"
    result = skipped(read_all(missing))
    assert result.source == str(missing)
    assert result.reason == "no such file or directory"


def test_empty_string_path_is_missing() -> None:
    assert skipped(read_all("")).reason == "no such file or directory"


def test_path_with_nul_character_is_skipped() -> None:
    assert skipped(read_all("bad\x00name.html")).source == "bad\x00name.html"


def test_broken_symlink_explicit_and_in_folder(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    link = root / "gone.html"
    link.symlink_to(tmp_path / "does-not-exist.html")
    explicit = skipped(read_all(link))
    assert explicit.reason.startswith("no such file or directory")
    assert "broken symbolic link" in explicit.reason
    inside = skipped(read_all(root))
    assert inside.source == "gone.html"
    assert inside.reason.startswith("no such file or directory")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read any file")
def test_permission_denied(tmp_path: Path) -> None:
    target = tmp_path / "secret.html"
    target.write_text("<p>secret</p>")
    target.chmod(0)
    try:
        result = skipped(read_all(target))
    finally:
        target.chmod(0o644)
    assert result.reason == "cannot read file: Permission denied"


def test_os_error_while_reading_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "flaky.html"
    target.write_text("<p>hello</p>")

    def failing_open(self: Path, *args: object, **kwargs: object) -> object:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(Path, "open", failing_open)
    result = skipped(read_all(target))
    assert result.reason == "cannot read file: Input/output error"


def test_folder_is_not_a_regular_file_when_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    assert skipped(read_all(fifo)).reason == "not a regular file"


@pytest.mark.parametrize("content", [b"", b"   \n\t \r\n  ", b"\xef\xbb\xbf  \n"])
def test_empty_or_whitespace_file(tmp_path: Path, content: bytes) -> None:
    target = tmp_path / "empty.txt"
    target.write_bytes(content)
    assert skipped(read_all(target)).reason == "empty file"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP"),
        (gzip.compress(b"<html>not a warc</html>"), "gzip"),
    ],
)
def test_binary_file_with_magic_number(tmp_path: Path, content: bytes, name: str) -> None:
    target = tmp_path / "page.html"
    target.write_bytes(content)
    assert skipped(read_all(target)).reason == f"binary file ({name}), not a web page"


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    target = tmp_path / "data.txt"
    target.write_bytes(b"some\x00binary\x00stuff" * 10)
    assert skipped(read_all(target)).reason == "binary file, not a web page"


def test_too_large_page_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "huge.html"
    target.write_bytes(b"<p>" + b"x" * (50 * MB - 3))
    read_sizes: list[int] = []
    real_open = Path.open

    class CountingFile(io.BufferedReader):
        def read(self, size: int | None = -1) -> bytes:
            data = super().read(size)
            read_sizes.append(len(data))
            return data

    def counting_open(self: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
        assert mode == "rb"
        return CountingFile(real_open(self, "rb", buffering=0))

    monkeypatch.setattr(Path, "open", counting_open)
    result = skipped(read_all(target))
    assert result.reason == "page too large: 50.0 MB (limit 20.0 MB)"
    assert sum(read_sizes) < MB


def test_size_limit_is_configurable(tmp_path: Path) -> None:
    target = tmp_path / "page.txt"
    target.write_text("x" * 3000)
    assert skipped(read_all(target, max_page_bytes=2048)).reason == "page too large: 2.9 KB (limit 2.0 KB)"
    assert isinstance(only(read_all(target, max_page_bytes=3000)), RawPage)


def test_broken_html_still_yields_a_page(tmp_path: Path) -> None:
    target = tmp_path / "broken.html"
    target.write_text("<html><body><div><p>Unclosed <b>bold <table><tr><td>cell</div></p>&nbsp &amp")
    result = page(read_all(target))
    assert result.kind == "html"
    assert "Unclosed" in result.content


# --- decoding --------------------------------------------------------------------------------------------------


def test_cp1251_russian_text(tmp_path: Path) -> None:
    target = tmp_path / "ru.txt"
    target.write_bytes(RUSSIAN.encode("cp1251"))
    result = page(read_all(target))
    assert result.content == RUSSIAN
    assert result.encoding == "cp1251"


@pytest.mark.parametrize("text", [FRENCH, GERMAN, "Ça coûte très cher, déjà.", "Grüße aus Köln, schön."])
def test_latin1_french_and_german(tmp_path: Path, text: str) -> None:
    target = tmp_path / "page.html"
    target.write_bytes(b"<html><body><p>" + text.encode("latin-1") + b"</p></body></html>")
    result = page(read_all(target))
    assert text in result.content
    assert result.encoding in {"cp1252", "iso8859-1", "iso8859-15"}


def test_meta_charset_is_honoured(tmp_path: Path) -> None:
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r"></head>'
    target = tmp_path / "page.html"
    target.write_bytes(html.encode() + "<p>Мир</p>".encode("koi8-r"))
    result = page(read_all(target))
    assert "<p>Мир</p>" in result.content
    assert result.encoding == "koi8-r"


def test_byte_order_marks(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("\ufeffПривет, мир".encode("utf-16-le"))
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbfhello")
    first, second = read_all(tmp_path)
    assert isinstance(first, RawPage) and first.content == "Привет, мир" and first.encoding == "utf-16-le"
    assert isinstance(second, RawPage) and second.content == "hello" and second.encoding == "utf-8"


def test_newlines_are_normalised(tmp_path: Path) -> None:
    target = tmp_path / "page.txt"
    target.write_bytes(b"one\r\ntwo\rthree\nfour")
    assert page(read_all(target)).content == "one\ntwo\nthree\nfour"


def test_stray_bytes_in_utf8_are_replaced_not_fatal() -> None:
    data = ("Une page en UTF-8: éèàç, coût, naïve. " * 5).encode() + b"\xff\xfe oops"
    text, encoding = decode_bytes(data)
    assert text.startswith("Une page en UTF-8: éèàç")
    assert "\ufffd" in text
    assert encoding == "utf-8 (undecodable bytes replaced)"


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (RUSSIAN, "koi8-r"),
        ("Zażółć gęślą jaźń. Prezydent podpisał umowę w Moskwie.", "cp1250"),
        ("Ο πρόεδρος της Ρωσίας υπέγραψε συμφωνία με το Ιράν στη Μόσχα.", "cp1253"),
        ("Das ist auf Svenska: Det är på gång, sa hon.", "latin-1"),
        ("It\u2019s the \u201cdeal\u201d \u2013 worth \u20ac5bn.", "cp1252"),
    ],
)
def test_legacy_code_pages_are_guessed(text: str, codec: str) -> None:
    decoded, _ = decode_bytes(text.encode(codec))
    assert decoded == text


# --- kinds -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        "<!DOCTYPE html><html><body>x</body></html>",
        "  \n<html lang='en'><body>x</body></html>",
        "<!-- saved from url=(0014)about:internet -->\n<!doctype HTML>\n<html>",
        '<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN">',
    ],
)
def test_txt_that_starts_like_html_is_html(tmp_path: Path, content: str) -> None:
    target = tmp_path / "page.txt"
    target.write_text(content)
    assert page(read_all(target)).kind == "html"


def test_txt_mentioning_html_stays_text(tmp_path: Path) -> None:
    target = tmp_path / "page.txt"
    target.write_text("An article about the <html> tag and <!DOCTYPE html> declarations.")
    assert page(read_all(target)).kind == "text"


def test_explicit_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    (tmp_path / "a.dat").write_text("<div><p>Hello</p></div>")
    (tmp_path / "b.dat").write_text("Just words on a page.")
    (tmp_path / "c.dat").write_bytes(b"%PDF-1.4")
    first, second, third = read_all(tmp_path / "a.dat", tmp_path / "b.dat", tmp_path / "c.dat")
    assert isinstance(first, RawPage) and first.kind == "html" and first.source == "a.dat"
    assert isinstance(second, RawPage) and second.kind == "text"
    assert isinstance(third, Skipped) and third.reason == "binary file (PDF), not a web page"
    assert all(isinstance(i, Skipped) and i.reason == "unsupported file type '.dat'" for i in read_all(tmp_path))


def test_looks_like_html_and_site_from_url() -> None:
    assert looks_like_html("<!doctype html><p>")
    assert not looks_like_html("<div>fragment</div>")
    assert looks_like_html("<div>fragment</div>", strict=False)
    assert site_from_url("https://www.Example.co.uk:8080/a?b=c") == "example.co.uk"
    assert site_from_url("http://news.example.com/x") == "news.example.com"
    assert site_from_url("not a url") is None
    assert site_from_url("http://[broken/") is None
    assert site_from_url(None) is None


# --- JSONL -----------------------------------------------------------------------------------------------------


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "url": "https://www.example.com/a",
                "html": "<html><p>A</p></html>",
                "date": "2025-01-17T10:00:00Z",
            }
        ),
        "",
        '{"url": "https://example.org/b", "html": ',
        json.dumps({"url": "https://example.org/c", "title": "no body"}),
        json.dumps({"text": "Plain B\r\nsecond line", "date": "2025-01-16", "site": "Example News"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"html": "   "}),
        json.dumps({"url": "https://example.net/d", "text": "<!DOCTYPE html><html>raw</html>", "date": "soon"}),
        json.dumps({"html": 42}),
    ]
    target = tmp_path / "pages.jsonl"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")

    items = read_all(target)
    summary = [(i.source, i.reason if isinstance(i, Skipped) else i.kind) for i in items]
    assert summary == [
        ("https://www.example.com/a", "html"),
        ("pages.jsonl", "line 3: invalid JSON: Expecting value at column 42"),
        ("pages.jsonl", "line 4: no 'html' or 'text' field"),
        ("pages.jsonl:5", "text"),
        ("pages.jsonl", "line 6: not a JSON object"),
        ("pages.jsonl", "line 7: empty page"),
        ("https://example.net/d", "html"),
        ("pages.jsonl", "line 9: 'html' or 'text' must be a string"),
    ]
    first, fifth, eighth = (i for i in items if isinstance(i, RawPage))
    assert first.url == "https://www.example.com/a"
    assert first.site == "example.com"
    assert first.date == date(2025, 1, 17)
    assert fifth.url is None and fifth.site == "Example News" and fifth.date == date(2025, 1, 16)
    assert fifth.content == "Plain B\nsecond line"
    assert eighth.date is None and eighth.site == "example.net"


def test_jsonl_record_size_limit_and_encoding(tmp_path: Path) -> None:
    target = tmp_path / "big.jsonl"
    records = [{"text": "small"}, {"text": "y" * 5000}, {"text": "Привет"}]
    target.write_bytes(b"\xef\xbb\xbf" + "\n".join(json.dumps(r) for r in records).encode())
    items = read_all(target, max_page_bytes=1024)
    assert [i.reason if isinstance(i, Skipped) else i.content for i in items] == [
        "small",
        "line 2: page too large: 4.9 KB (limit 1.0 KB)",
        "Привет",
    ]


def test_jsonl_whitespace_only_is_empty(tmp_path: Path) -> None:
    target = tmp_path / "blank.jsonl"
    target.write_text("\n  \n\n")
    assert skipped(read_all(target)).reason == "empty file"


# --- WARC ------------------------------------------------------------------------------------------------------


def _response(writer: WARCWriter, url: str, body: bytes, content_type: str, status: str = "200 OK") -> None:
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=headers,
        warc_headers_dict={"WARC-Date": "2025-01-17T09:30:00Z"},
    )
    writer.write_record(record)


def build_warc(pages: int = 3, *, compress: bool = True) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for n in range(pages):
        body = f"<html><body><h1>Новость {n}</h1><p>{RUSSIAN}</p></body></html>".encode("cp1251")
        _response(writer, f"https://www.example.ru/news/{n}", body, "text/html; charset=windows-1251")
    return buffer.getvalue()


def test_warc_records_and_charsets(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"}))
    _response(writer, "https://www.example.ru/a", f"<p>{RUSSIAN}</p>".encode("cp1251"), "text/html; charset=cp1251")
    # Short Latin-1 text is ambiguous on its own: the HTTP charset decides.
    _response(writer, "http://example.fr/b", "<p>Déjà.</p>".encode("latin-1"), 'text/html; charset="ISO-8859-1"')
    _response(writer, "http://example.fr/c.png", b"\x89PNG\r\n\x1a\n....", "image/png")
    _response(writer, "http://example.fr/404", b"<p>not found</p>", "text/html", status="404 Not Found")
    _response(writer, "http://example.fr/empty", b"  \n", "text/html")
    body = "<p>Grüße</p>".encode()
    resource = writer.create_warc_record(
        "http://example.de/r",
        "resource",
        payload=io.BytesIO(body),
        length=len(body),
        warc_content_type="text/html; charset=utf-8",
    )
    writer.write_record(resource)
    target = tmp_path / "crawl.warc.gz"
    target.write_bytes(buffer.getvalue())

    items = read_all(target)
    assert [(i.source, i.reason if isinstance(i, Skipped) else i.kind) for i in items] == [
        ("https://www.example.ru/a", "html"),
        ("http://example.fr/b", "html"),
        ("http://example.fr/empty", "empty record"),
        ("http://example.de/r", "html"),
    ]
    russian, french, _, german = items
    assert isinstance(russian, RawPage) and russian.content == f"<p>{RUSSIAN}</p>"
    assert russian.encoding == "cp1251" and russian.site == "example.ru" and russian.url == "https://www.example.ru/a"
    assert russian.date == date(2025, 1, 17)
    assert isinstance(french, RawPage) and french.content == "<p>Déjà.</p>" and french.site == "example.fr"
    assert isinstance(german, RawPage) and german.content == "<p>Grüße</p>" and german.encoding == "utf-8"


def test_warc_record_without_url_is_numbered(tmp_path: Path) -> None:
    body = b"<p>no url</p>"
    record = (
        b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2024-05-06T00:00:00Z\r\n"
        b"Content-Type: text/html\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body + b"\r\n\r\n"
    )
    target = tmp_path / "plain.warc"
    target.write_bytes(record + record)
    items = read_all(target)
    assert [i.source for i in items] == ["plain.warc#1", "plain.warc#2"]
    assert all(isinstance(i, RawPage) and i.url is None and i.date == date(2024, 5, 6) for i in items)


@pytest.mark.parametrize("compress", [True, False])
def test_truncated_warc_yields_records_before_the_damage(tmp_path: Path, compress: bool) -> None:
    data = build_warc(3, compress=compress)
    target = tmp_path / ("cut.warc.gz" if compress else "cut.warc")
    target.write_bytes(data[: len(data) * 5 // 6])
    items = read_all(target)
    assert [i.source for i in items[:2]] == ["https://www.example.ru/news/0", "https://www.example.ru/news/1"]
    assert all(isinstance(i, RawPage) and RUSSIAN in i.content for i in items[:2])
    last = items[2]
    assert len(items) == 3 and isinstance(last, Skipped)
    assert last.source == target.name
    assert last.reason.startswith("truncated or corrupt WARC after 2 records: ")


def test_warc_cut_in_a_header_or_garbled(tmp_path: Path) -> None:
    data = build_warc(2, compress=False)
    second = data.index(b"WARC/1.", 10)
    (tmp_path / "a.warc").write_bytes(data[: second + 40])
    (tmp_path / "b.warc.gz").write_bytes(build_warc(1) + b"garbage that is not gzip")
    first, cut, whole, garbled = read_all(tmp_path)
    assert isinstance(first, RawPage) and isinstance(whole, RawPage)
    assert isinstance(cut, Skipped) and cut.reason.startswith("truncated or corrupt WARC after 1 record: ")
    assert isinstance(garbled, Skipped) and garbled.reason.startswith("truncated or corrupt WARC after 1 record")


def test_warc_per_record_size_limit(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    _response(writer, "http://example.com/big", b"<p>" + b"z" * 5000 + b"</p>", "text/html")
    _response(writer, "http://example.com/small", b"<p>small</p>", "text/html")
    target = tmp_path / "limit.warc.gz"
    target.write_bytes(buffer.getvalue())
    big, small = read_all(target, max_page_bytes=1024)
    assert isinstance(big, Skipped) and big.reason == "page too large: 4.9 KB (limit 1.0 KB)"
    assert isinstance(small, RawPage) and small.content == "<p>small</p>"


def test_not_a_warc_and_warc_without_pages(tmp_path: Path) -> None:
    (tmp_path / "a.warc.gz").write_bytes(gzip.compress(b"<html>just html</html>"))
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    writer.write_record(writer.create_warcinfo_record("b.warc.gz", {"software": "test"}))
    (tmp_path / "b.warc.gz").write_bytes(buffer.getvalue())
    first, second = read_all(tmp_path)
    assert isinstance(first, Skipped) and first.reason == "not a WARC file (gzip data)"
    assert isinstance(second, Skipped) and second.reason == "no HTML pages among 1 WARC records"


def test_warc_given_under_another_name_is_read_as_warc(tmp_path: Path) -> None:
    target = tmp_path / "download.bin"
    target.write_bytes(build_warc(2))
    items = read_all(target)
    assert [i.source for i in items] == ["https://www.example.ru/news/0", "https://www.example.ru/news/1"]


# --- never raises --------------------------------------------------------------------------------------------

SUFFIXES = [".html", ".txt", ".jsonl", ".warc", ".warc.gz", ".bin"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=2048),
        st.binary(max_size=512).map(lambda b: b"WARC/1.0\r\n" + b),
        st.binary(max_size=512).map(gzip.compress),
        st.binary(max_size=256).map(lambda b: build_warc(1)[:300] + b),
        st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    ),
    suffix=st.sampled_from(SUFFIXES),
    in_folder=st.booleans(),
)
def test_arbitrary_bytes_never_raise(data: bytes, suffix: str, in_folder: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"input{suffix}"
        target.write_bytes(data)
        items = read_all(folder if in_folder else target, max_page_bytes=4096)
    assert items
    for item in items:
        assert isinstance(item, RawPage | Skipped)
        if isinstance(item, Skipped):
            assert item.reason and "\n" not in item.reason
        else:
            assert item.content.strip() and "\r" not in item.content and "\x00" not in item.content
            item.content.encode("utf-8")


def test_gzip_compressed_pages_are_read_by_their_inner_type(tmp_path: Path) -> None:
    html = f"<html><head><title>Treaty</title></head><body><p>{FRENCH}</p></body></html>"
    (tmp_path / "a.html.gz").write_bytes(gzip.compress(html.encode("utf-8")))
    (tmp_path / "b.TXT.GZ").write_bytes(gzip.compress(GERMAN.encode("cp1252")))
    pages = list(read_inputs([tmp_path]))
    assert [type(p) for p in pages] == [RawPage, RawPage]
    a, b = pages
    assert isinstance(a, RawPage) and a.kind == "html" and FRENCH in a.content
    assert isinstance(b, RawPage) and b.kind == "text" and b.content == GERMAN


def test_bad_gzip_pages_are_skipped_with_a_reason(tmp_path: Path) -> None:
    whole = gzip.compress(("<html><body><p>" + FRENCH * 50 + "</p></body></html>").encode())
    (tmp_path / "cut.html.gz").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "fake.html.gz").write_bytes(b"<html>not compressed at all</html>")
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * (3 * MB)))
    (tmp_path / "ok.html.gz").write_bytes(whole)
    items = {Path(i.source).name: i for i in read_inputs([tmp_path], max_page_bytes=MB)}
    assert isinstance(items["ok.html.gz"], RawPage)
    reasons = {name: i.reason for name, i in items.items() if isinstance(i, Skipped)}
    assert reasons["cut.html.gz"].startswith("truncated gzip file")
    assert reasons["fake.html.gz"].startswith("not a valid gzip file")
    assert reasons["bomb.txt.gz"].startswith("page too large") and "decompressed" in reasons["bomb.txt.gz"]
