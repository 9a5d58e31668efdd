"""End to end on the seed pages: one event, the expected facts with exact sources and spans."""

from __future__ import annotations

import gzip
import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdossier.model import Fact, FactKey
from newsdossier.pipeline import build
from newsdossier.render.json import SCHEMA_PATH
from newsdossier.store import Store

from .conftest import SEEDS, SeedBuild

KeyTest = Callable[[FactKey], bool]

# fact -> (which key, the seed files that state it, what each cited span must contain)
EXPECTED: dict[str, tuple[KeyTest, set[str], str]] = {
    "duration": (
        lambda k: k.kind == "quantity" and k.slot.startswith("duration:year") and k.value == "20",
        {"000", "001", "004"},
        r"20|two decades|two-decade",
    ),
    "articles": (
        lambda k: k.kind == "quantity" and k.slot == "count:article" and k.value == "47",
        {"000"},
        r"47 articles",
    ),
    "no mutual defence": (
        lambda k: k.kind == "absence" and k.slot == "atop:defense" and k.value == "absent",
        {"000", "001"},
        r"mutual defen[cs]e|defen[cs]e commitment",
    ),
    "gas volume": (
        lambda k: k.kind == "quantity" and k.slot.startswith("volume:cubic metre:gas"),
        {"004"},
        r"55 billion cubic met",
    ),
    "drone supplies": (
        lambda k: k.kind == "relation" and k.slot == "provide:drone",
        {"000", "001", "003", "004"},
        r"drones",
    ),
}


def find_fact(dossier_facts: list[Fact], test: KeyTest) -> Fact:
    found = [f for f in dossier_facts if test(f.key)]
    assert len(found) == 1, [f.key for f in found]
    return found[0]


def test_seeds_make_one_event(seed_build: SeedBuild) -> None:
    d = seed_build.dossier
    assert d.stats.articles == 5
    assert d.stats.independent_outlets == 5
    assert d.event.date == "2025-01-17"
    assert seed_build.report.processed == 5


@pytest.mark.parametrize("name", EXPECTED)
def test_expected_fact_sources_and_spans(seed_build: SeedBuild, name: str) -> None:
    test, expected_sources, evidence = EXPECTED[name]
    fact = find_fact(seed_build.dossier.facts, test)
    sources = {seed_build.source_of(doc_id)[:3] for doc_id in fact.doc_ids}
    assert sources == expected_sources
    assert fact.status == ("corroborated" if len(expected_sources) > 1 else "single-source")
    assert {c.doc_id for c in fact.citations} == set(fact.doc_ids)
    for c in fact.citations:
        assert seed_build.text_of(c.doc_id)[c.start : c.end] == c.quote
        assert re.search(evidence, c.quote, re.IGNORECASE), c.quote


def test_every_citation_is_an_exact_span(seed_build: SeedBuild) -> None:
    cits = seed_build.dossier.citations()
    assert cits
    for c in cits:
        assert seed_build.text_of(c.doc_id)[c.start : c.end] == c.quote


def test_comments_are_apart_and_never_sources(seed_build: SeedBuild) -> None:
    d = seed_build.dossier
    forum = next(doc for doc in d.documents if doc.source.startswith("003"))
    assert len(forum.comments) == 3
    assert d.stats.comments == 3
    quotes = " ".join(c.quote for c in d.citations())
    for comment in forum.comments:
        first_line = comment.text.split("\n")[0]
        assert first_line not in forum.text
        assert first_line[:40] not in quotes


def test_no_furniture_in_facts(seed_build: SeedBuild) -> None:
    furniture = ["TRENDING", "Newsletter", "Leave a Comment", "Write a comment", "Thumbs Up", "Sign In",
                 "Jump to content", "Left Menu", "Image Credit", "Copyright", "Share your views"]
    quotes = [c.quote for c in seed_build.dossier.citations()]
    for line in furniture:
        assert not any(line.lower() in q.lower() for q in quotes), line


def test_outputs_and_schema(seed_build: SeedBuild) -> None:
    folder = seed_build.out / seed_build.dossier.event.id
    data = json.loads((folder / "dossier.json").read_text())
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text()))
    html = (folder / "dossier.html").read_text()
    assert "<script" not in html.lower()
    assert "Supply of drones" in html
    assert "Supply of drones" in (folder / "dossier.md").read_text()


def test_rebuilding_adds_nothing(seed_build: SeedBuild, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(seed_build.db, db)
    report = build([SEEDS], db=db, out_dir=tmp_path / "out")
    assert report.processed == 0 and report.already_stored == 5
    with Store(db) as store:
        assert len(store.all_documents()) == 5
        assert [e.id for e in store.events()] == [seed_build.dossier.event.id]
    assert report.ok
    assert (tmp_path / "out" / seed_build.dossier.event.id / "dossier.json").exists()


def test_adding_pages_updates_their_event(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for f in sorted(SEEDS.glob("*.txt")):
        shutil.copy(f, first if f.name < "003" else second)
    db = tmp_path / "nd.db"
    before = build([first], db=db, out_dir=tmp_path / "out")
    after = build([second], db=db, out_dir=tmp_path / "out")
    assert len(before.dossiers) == 1 and len(after.dossiers) == 1
    assert after.dossiers[0].event.id == before.dossiers[0].event.id
    assert after.dossiers[0].stats.articles == 5


def _truncated_warc(path: Path) -> None:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    html = (SEEDS / "000_f02d9b5768855bec.txt").read_text()
    body = ("<html><head><title>T</title></head><body><article>"
            + "".join(f"<p>{p}</p>" for p in html.split("\n\n")) + "</article></body></html>").encode()
    for n in range(3):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(f"https://example.org/{n}", "response", payload=io.BytesIO(body),
                                           length=len(body), http_headers=headers)
        writer.write_record(record)
    data = buf.getvalue()
    path.write_bytes(data[: len(data) - 200])


def test_bad_inputs_are_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(SEEDS / "002_d7c6e65c77f7ddfb.txt", pages / "good.txt")
    (pages / "empty.txt").write_text("")
    (pages / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    russian = "Москва и Тегеран подписали договор о всеобъемлющем стратегическом партнёрстве. " * 8
    (pages / "cp1251.txt").write_bytes(("Договор\n\n" + russian).encode("cp1251"))
    french = "Le traité a été signé à Moscou ; les présidents ont évoqué la coopération économique. " * 8
    (pages / "latin1.txt").write_bytes(("Traité\n\n" + french).encode("latin-1"))
    (pages / "huge.html").write_bytes(b"<html><body><p>" + b"word " * (10 * 1024 * 1024) + b"</p></body></html>")
    (pages / "broken.html").write_text("<html><body><article><h1>Talks<p>The ministers met on Monday in Geneva "
                                       "to discuss the ceasefire and agreed to meet again next week.<p>They said "
                                       "progress had been made on prisoner exchanges and humanitarian corridors.<div")
    _truncated_warc(pages / "crawl.warc.gz")
    report = build([pages, tmp_path / "missing.html"], db=tmp_path / "nd.db", out_dir=tmp_path / "out")
    reasons = {s.source: s.reason for s in report.skipped}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["binary.html"]
    assert "too large" in reasons["huge.html"]
    assert "no such file" in reasons[str(tmp_path / "missing.html")]
    assert any("truncated" in r or "corrupt" in r for s, r in reasons.items() if "crawl.warc.gz" in s)
    assert report.ok
    docs = {d.source: d for dossier in report.dossiers for d in dossier.documents}
    assert "good.txt" in docs
    assert "подписали договор" in docs["cp1251.txt"].text
    assert "Le traité a été signé" in docs["latin1.txt"].text
    assert docs["cp1251.txt"].language == "ru" and docs["latin1.txt"].language == "fr"
    assert "prisoner exchanges" in docs["broken.html"].text
    assert sum(1 for s in docs if s.startswith("https://example.org/")) >= 1


def test_nothing_processable_is_not_ok(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("   \n")
    with gzip.open(tmp_path / "x.warc.gz", "wb") as fh:
        fh.write(b"not a warc")
    report = build([tmp_path], db=tmp_path / "nd.db", out_dir=tmp_path / "out")
    assert not report.ok
    assert len(report.skipped) == 2


def test_a_page_that_fails_in_understanding_is_reported_and_the_batch_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsdossier.pipeline as pipeline

    real = pipeline.understand

    def fragile(doc, nlp=None, ner="spacy"):  # type: ignore[no-untyped-def]
        if doc.source.startswith("002_"):
            raise ValueError("model blew up")
        return real(doc, nlp, ner)

    def batch_fails(docs, nlp=None, ner="spacy"):  # type: ignore[no-untyped-def]
        raise ValueError("model blew up")

    monkeypatch.setattr(pipeline, "understand", fragile)
    monkeypatch.setattr(pipeline, "understand_many", batch_fails)
    report = build([SEEDS], db=tmp_path / "nd.db", out_dir=tmp_path / "out")
    assert report.processed == 4
    [failed] = [s for s in report.skipped if s.source.startswith("002_")]
    assert failed.reason == "internal error: ValueError: model blew up"
    assert len(report.dossiers) == 1 and report.dossiers[0].stats.articles == 4
