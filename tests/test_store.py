from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdossier.model import (
    Citation,
    Claim,
    Comment,
    Document,
    DocumentView,
    Dossier,
    Event,
    Fact,
    FactKey,
    Mention,
    Paragraph,
    Skipped,
    Stats,
    SummarySentence,
    content_id,
)
from newsdossier.store import MIGRATIONS, EventRow, RunRecord, Store, StoreError


def make_doc(text: str, site: str | None = "example.org", day: int = 17) -> Document:
    return Document(
        id=content_id(text),
        source=f"pages/{text[:8]}.html",
        kind="html",
        url=f"https://{site}/a" if site else None,
        site=site,
        title=text[:20],
        date=dt.date(2025, 1, day),
        language="en",
        text=text,
        paragraphs=[Paragraph(start=0, end=len(text))],
        comments=[Comment(text="first!", author="x")],
        mentions=[Mention(text=text[:4], start=0, end=4, label="ORG")],
        claims=[
            Claim(
                doc_id=content_id(text),
                start=0,
                end=len(text),
                text=text,
                keys=[FactKey(kind="quantity", slot="duration:year", value="20", label="duration: 20 years")],
            )
        ],
    )


def make_dossier(event: Event, doc: Document, facts: int = 1) -> Dossier:
    cite = Citation(doc_id=doc.id, start=0, end=5, quote=doc.text[:5], outlet=doc.outlet)
    key = FactKey(kind="quantity", slot="duration:year", value="20", label="duration: 20 years")
    return Dossier(
        event=event,
        stats=Stats(
            articles=7,
            independent_outlets=4,
            facts=facts,
            corroborated=facts,
            single_source=0,
            contested=0,
            comments=1,
        ),
        summary=[SummarySentence(text="Something happened.", citations=[cite])],
        facts=[
            Fact(
                id=f"fact-{i}",
                key=key,
                statement="It lasts 20 years.",
                status="corroborated",
                citations=[cite],
                doc_ids=[doc.id],
                outlets=[doc.outlet],
            )
            for i in range(facts)
        ],
        entities=[],
        timeline=[],
        cautions=[],
        documents=[
            DocumentView(
                id=doc.id,
                source=doc.source,
                url=doc.url,
                site=doc.site,
                outlet=doc.outlet,
                title=doc.title,
                date=doc.date,
                language=doc.language,
                text=doc.text,
                paragraphs=doc.paragraphs,
                comments=doc.comments,
                repeated_paragraphs=0,
                duplicate_of=None,
            )
        ],
    )


@pytest.fixture
def store() -> Iterator[Store]:
    with Store(":memory:") as s:
        yield s


def test_migrations_recorded_and_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "nd.db"
    names = [fn.__name__ for fn in MIGRATIONS]
    assert names[0] == "m001_initial"
    assert names == sorted(names)
    with Store(path) as s:
        assert s.migrations() == names
    with Store(path) as s:
        assert s.migrations() == names
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT count(*) FROM _migrations").fetchone()[0] == len(names)
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        con.close()


def test_foreign_keys_enforced(store: Store) -> None:
    assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_newer_database_refused(tmp_path: Path) -> None:
    path = tmp_path / "nd.db"
    Store(path).close()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO _migrations VALUES ('m999_future', 'now')")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_add_document_twice(store: Store) -> None:
    doc = make_doc("The pipeline will run for twenty years.")
    assert not store.has_document(doc.id)
    assert store.add_document(doc) is True
    changed = doc.model_copy(update={"title": "another title"})
    assert store.add_document(changed) is False
    assert store.has_document(doc.id)
    assert store.all_documents() == [doc]


def test_document_round_trip_and_order(store: Store) -> None:
    docs = [make_doc(f"Article number {i} about the accord, in Zürich — “quoted”.") for i in range(3)]
    for d in docs:
        store.add_document(d)
    assert store.all_documents() == docs
    ids = [docs[2].id, docs[0].id, docs[2].id]
    assert store.get_documents(ids) == [docs[2], docs[0], docs[2]]
    assert store.get_documents([]) == []


def test_get_documents_unknown_ids(store: Store) -> None:
    doc = make_doc("Known article.")
    store.add_document(doc)
    with pytest.raises(KeyError, match="doc-missing1, doc-missing2"):
        store.get_documents([doc.id, "doc-missing1", "doc-missing2"])
    with pytest.raises(TypeError):
        store.get_documents(doc.id)


def test_get_documents_many(store: Store) -> None:
    docs = [make_doc(f"text {i}") for i in range(1200)]
    with store.transaction():
        for d in docs:
            store.add_document(d)
    wanted = [d.id for d in reversed(docs)]
    assert [d.id for d in store.get_documents(wanted)] == wanted


def test_event_round_trip(store: Store) -> None:
    a, b = make_doc("First report."), make_doc("Second report.")
    store.add_document(a)
    store.add_document(b)
    event = Event(id="evt-0123abcd", title="Accord signed", date="2025-01-17", doc_ids=[b.id, a.id])
    store.upsert_event(event)
    assert store.get_event(event.id) == event
    assert store.events() == [event]
    assert store.event_of(a.id) == event.id
    assert store.event_of("doc-unknown") is None
    assert store.get_event("evt-none") is None


def test_upsert_event_updates_and_moves_membership(store: Store) -> None:
    a, b, c = (make_doc(t) for t in ("Alpha news.", "Beta news.", "Gamma news."))
    for d in (a, b, c):
        store.add_document(d)
    store.upsert_event(Event(id="evt-1", title="One", date="2025-01-10", doc_ids=[a.id, b.id]))
    store.upsert_event(Event(id="evt-2", title="Two", date=None, doc_ids=[c.id]))
    store.upsert_event(Event(id="evt-2", title="Two, renamed", date="2025-01-12", doc_ids=[c.id, b.id]))
    one, two = store.get_event("evt-1"), store.get_event("evt-2")
    assert one is not None and two is not None
    assert one.doc_ids == [a.id]
    assert two == Event(id="evt-2", title="Two, renamed", date="2025-01-12", doc_ids=[c.id, b.id])
    assert store.event_of(b.id) == "evt-2"
    store.upsert_event(Event(id="evt-2", title="Two, renamed", date="2025-01-12", doc_ids=[c.id]))
    assert store.event_of(b.id) is None


def test_upsert_event_rejects_unknown_or_repeated_documents(store: Store) -> None:
    a = make_doc("Alpha news.")
    store.add_document(a)
    store.upsert_event(Event(id="evt-1", title="One", doc_ids=[a.id]))
    with pytest.raises(KeyError, match="doc-nope"):
        store.upsert_event(Event(id="evt-1", title="Changed", doc_ids=[a.id, "doc-nope"]))
    with pytest.raises(ValueError, match="more than once"):
        store.upsert_event(Event(id="evt-1", title="Changed", doc_ids=[a.id, a.id]))
    assert store.get_event("evt-1") == Event(id="evt-1", title="One", doc_ids=[a.id])


def test_prefix_lookup(store: Store) -> None:
    doc = make_doc("Some report.")
    store.add_document(doc)
    for event_id in ("evt-abc123", "evt-abd456", "evt-abc"):
        store.upsert_event(Event(id=event_id, title=event_id, doc_ids=[]))
    found = store.get_event("evt-abd")
    assert found is not None and found.id == "evt-abd456"
    exact = store.get_event("evt-abc")
    assert exact is not None and exact.id == "evt-abc"
    with pytest.raises(ValueError, match=r"'evt-ab' is ambiguous.*evt-abc123"):
        store.get_event("evt-ab")
    with pytest.raises(ValueError, match="required"):
        store.get_event("")
    assert store.get_event("evt-x") is None
    assert store.get_event("evt_ab%") is None
    event = store.get_event("evt-abd456")
    assert event is not None
    store.save_dossier(make_dossier(event, doc))
    dossier = store.get_dossier("evt-abd4")
    assert dossier is not None and dossier.event.id == "evt-abd456"
    assert store.get_dossier("evt-abc1") is None
    with pytest.raises(ValueError, match="ambiguous"):
        store.get_dossier("evt-")


def test_dossier_round_trip_and_replace(store: Store) -> None:
    doc = make_doc("The accord was signed on Friday.")
    store.add_document(doc)
    event = Event(id="evt-1", title="Accord", date="2025-01-17", doc_ids=[doc.id])
    store.upsert_event(event)
    first = make_dossier(event, doc, facts=1)
    store.save_dossier(first)
    assert store.get_dossier("evt-1") == first
    second = make_dossier(event, doc, facts=3)
    store.save_dossier(second)
    assert store.get_dossier("evt-1") == second
    assert store._db.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 1


def test_dossier_needs_stored_event(store: Store) -> None:
    doc = make_doc("Report.")
    store.add_document(doc)
    event = Event(id="evt-9", title="Nine", doc_ids=[doc.id])
    with pytest.raises(KeyError, match="evt-9"):
        store.save_dossier(make_dossier(event, doc))


def test_event_rows_order_and_counts(store: Store) -> None:
    a = make_doc("One.", site="a.example")
    b = make_doc("Two.", site="a.example")
    c = make_doc("Three.", site="b.example")
    d = make_doc("Four.", site=None)
    for doc in (a, b, c, d):
        store.add_document(doc)
    old = Event(id="evt-old", title="Old", date="2024-12-01", doc_ids=[a.id, b.id, c.id])
    new = Event(id="evt-new", title="New", date="2025-01-17", doc_ids=[d.id])
    undated = Event(id="evt-undated", title="Undated", date=None, doc_ids=[])
    for event in (old, undated, new):
        store.upsert_event(event)
    rows = store.event_rows()
    assert [r.id for r in rows] == ["evt-new", "evt-old", "evt-undated"]
    by_id = {r.id: r for r in rows}
    counts = {r.id: (r.articles, r.independent_outlets, r.facts) for r in rows}
    assert counts == {"evt-new": (1, 1, None), "evt-old": (3, 2, None), "evt-undated": (0, 0, None)}
    before = by_id["evt-old"].updated_at
    store.save_dossier(make_dossier(old, a, facts=2))
    row = next(r for r in store.event_rows() if r.id == "evt-old")
    assert row == EventRow(
        id="evt-old",
        title="Old",
        date="2024-12-01",
        articles=7,
        independent_outlets=4,
        facts=2,
        updated_at=row.updated_at,
    )
    assert row.updated_at >= before
    assert row.updated_at.tzinfo is not None


def test_transaction_rolls_back_grouped_writes(store: Store) -> None:
    a, b = make_doc("Alpha."), make_doc("Beta.")
    with pytest.raises(RuntimeError), store.transaction():
        store.add_document(a)
        store.upsert_event(Event(id="evt-1", title="One", doc_ids=[a.id]))
        raise RuntimeError("boom")
    assert store.all_documents() == []
    assert store.events() == []
    with store.transaction():
        store.add_document(a)
        with pytest.raises(KeyError):
            store.upsert_event(Event(id="evt-1", title="One", doc_ids=[a.id, b.id]))
        store.upsert_event(Event(id="evt-1", title="One", doc_ids=[a.id]))
    assert store.all_documents() == [a]
    assert store.event_of(a.id) == "evt-1"


def test_record_run(store: Store) -> None:
    started = dt.datetime(2025, 1, 17, 9, 0, tzinfo=dt.UTC)
    run = RunRecord(
        started=started,
        finished=started + dt.timedelta(seconds=42),
        pages_read=5,
        processed=4,
        skipped=[Skipped(source="pages/empty.html", reason="no article text found")],
        events_updated=["evt-1"],
    )
    first = store.record_run(run)
    second = store.record_run(run.model_copy(update={"pages_read": 6}))
    assert second > first
    assert store.runs() == [(first, run), (second, run.model_copy(update={"pages_read": 6}))]


def test_persistence_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "nd.db"
    doc = make_doc("Persisted article.")
    event = Event(id="evt-p", title="Persisted", date="2025-01-17", doc_ids=[doc.id])
    dossier = make_dossier(event, doc)
    with Store(path) as s:
        s.add_document(doc)
        s.upsert_event(event)
        s.save_dossier(dossier)
    assert path.is_file()
    with Store(str(path)) as s:
        assert s.all_documents() == [doc]
        assert s.get_event("evt-p") == event
        assert s.get_dossier("evt-p") == dossier
        assert s.add_document(doc) is False


@pytest.mark.parametrize(
    "content",
    [b"this is not a database\n" * 10, b"SQLite format 3\x00" + b"\xff" * 200],
    ids=["text", "bad-pages"],
)
def test_not_a_database(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(StoreError) as err:
        Store(path)
    message = str(err.value)
    assert str(path) in message
    assert "\n" not in message
    assert path.read_bytes() == content


def test_directory_path(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="directory"):
        Store(tmp_path)


def test_empty_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with Store(path) as s:
        assert s.migrations() == [fn.__name__ for fn in MIGRATIONS]
