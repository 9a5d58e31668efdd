"""An embedded SQLite store for documents, events, dossiers and build runs.

Records are kept as their pydantic JSON (so a model change needs no table change)
next to a few plain columns that queries need.  The schema evolves through named,
ordered migrations recorded in `_migrations`, so opening an old file upgrades it and
opening a current one changes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from pydantic import Field

from newsdossier.model import Document, Dossier, Event, Record, Skipped, Stats

DEFAULT_PATH = Path("newsdossier.db")

_SQLITE_HEADER = b"SQLite format 3\x00"
_CHUNK = 500
_SHOWN_IDS = 5


class StoreError(Exception):
    """The store file cannot be used; the message is one line naming the file."""


class EventRow(Record):
    """One line of `newsdossier list`."""

    id: str
    title: str
    date: str | None
    articles: int
    independent_outlets: int
    facts: int | None = Field(description="None until a dossier has been built for the event.")
    updated_at: datetime


class RunRecord(Record):
    """What one build run read, skipped and changed, kept for provenance."""

    started: datetime
    finished: datetime
    pages_read: int
    processed: int
    skipped: list[Skipped] = Field(default_factory=list)
    events_updated: list[str] = Field(default_factory=list)


Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []


def _migration(fn: Migration) -> Migration:
    """Register a schema step; order of definition is order of application."""
    MIGRATIONS.append(fn)
    return fn


@_migration
def m001_initial(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            site TEXT,
            url TEXT,
            date TEXT,
            duplicate_of TEXT,
            json TEXT NOT NULL,
            added_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE events (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            date TEXT,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE event_documents (
            doc_id TEXT PRIMARY KEY REFERENCES documents(id),
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            position INTEGER NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE dossiers (
            event_id TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
            stats TEXT NOT NULL,
            json TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started TEXT NOT NULL,
            finished TEXT NOT NULL,
            pages_read INTEGER NOT NULL,
            processed INTEGER NOT NULL,
            json TEXT NOT NULL
        )"""
    )


@_migration
def m002_indexes(db: sqlite3.Connection) -> None:
    db.execute("CREATE INDEX idx_documents_site ON documents(site)")
    db.execute("CREATE INDEX idx_documents_date ON documents(date)")
    db.execute("CREATE INDEX idx_event_documents_event ON event_documents(event_id, position)")
    db.execute("CREATE INDEX idx_events_date ON events(date)")


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _name_ids(ids: list[str]) -> str:
    shown = ", ".join(ids[:_SHOWN_IDS])
    more = len(ids) - _SHOWN_IDS
    return f"{shown} (and {more} more)" if more > 0 else shown


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


class Store:
    """A newsdossier database file; ":memory:" gives a throwaway one."""

    def __init__(self, path: str | Path = DEFAULT_PATH) -> None:
        self.path = str(path)
        self._depth = 0
        memory = self.path == ":memory:"
        if not memory:
            self._check_file(Path(path))
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as e:
            raise StoreError(f"cannot open store {self.path}: {e}") from None
        try:
            self._db.execute("PRAGMA foreign_keys = ON")
            if not memory:
                self._db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except sqlite3.Error as e:
            self._db.close()
            raise StoreError(f"cannot open store {self.path}: {e}") from None
        except StoreError:
            self._db.close()
            raise

    def _check_file(self, path: Path) -> None:
        """Refuse early, with a clear message, a path that is not an SQLite file."""
        if path.is_dir():
            raise StoreError(f"cannot open store {path}: it is a directory")
        if not path.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(f"cannot create store {path}: {e.strerror or e}") from None
            return
        try:
            with path.open("rb") as f:
                header = f.read(len(_SQLITE_HEADER))
        except OSError as e:
            raise StoreError(f"cannot read store {path}: {e.strerror or e}") from None
        if header and header != _SQLITE_HEADER:
            raise StoreError(f"cannot open store {path}: the file is not an SQLite database")

    def _migrate(self) -> None:
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        applied = {row[0] for row in self._db.execute("SELECT name FROM _migrations")}
        known = {fn.__name__ for fn in MIGRATIONS}
        unknown = sorted(applied - known)
        if unknown:
            raise StoreError(
                f"cannot open store {self.path}: it was written by a newer newsdossier "
                f"(unknown migrations: {', '.join(unknown)})"
            )
        for fn in MIGRATIONS:
            if fn.__name__ in applied:
                continue
            with self.transaction():
                done = self._db.execute("SELECT 1 FROM _migrations WHERE name = ?", (fn.__name__,)).fetchone()
                if done:
                    continue
                fn(self._db)
                self._db.execute(
                    "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (fn.__name__, _now())
                )

    def migrations(self) -> list[str]:
        """Names of the migrations this file has had, in the order they ran."""
        rows = self._db.execute("SELECT name FROM _migrations ORDER BY rowid")
        return [row[0] for row in rows]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes: all or nothing.  Nested use makes a savepoint inside the outer transaction."""
        depth = self._depth
        if depth == 0:
            self._db.execute("BEGIN IMMEDIATE")
        else:
            self._db.execute(f"SAVEPOINT sp{depth}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth = depth
            if depth == 0:
                self._db.execute("ROLLBACK")
            else:
                self._db.execute(f"ROLLBACK TO sp{depth}")
                self._db.execute(f"RELEASE sp{depth}")
            raise
        self._depth = depth
        self._db.execute("COMMIT" if depth == 0 else f"RELEASE sp{depth}")

    # documents

    def has_document(self, doc_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def add_document(self, doc: Document) -> bool:
        """Store a document; False, changing nothing, when its id is already stored."""
        with self.transaction():
            cur = self._db.execute(
                """INSERT INTO documents (id, source, site, url, date, duplicate_of, json, added_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING""",
                (
                    doc.id,
                    doc.source,
                    doc.site,
                    doc.url,
                    doc.date.isoformat() if doc.date else None,
                    doc.duplicate_of,
                    doc.model_dump_json(),
                    _now(),
                ),
            )
            return cur.rowcount == 1

    def get_documents(self, ids: Iterable[str]) -> list[Document]:
        """The documents with these ids, in the order asked; KeyError names any unknown id."""
        if isinstance(ids, str):
            raise TypeError("get_documents takes an iterable of ids, not one id")
        wanted = list(ids)
        found: dict[str, Document] = {}
        for chunk in _chunks(list(dict.fromkeys(wanted))):
            marks = ",".join("?" * len(chunk))
            for doc_id, text in self._db.execute(
                f"SELECT id, json FROM documents WHERE id IN ({marks})", chunk
            ):
                found[doc_id] = Document.model_validate_json(text)
        missing = [i for i in dict.fromkeys(wanted) if i not in found]
        if missing:
            raise KeyError(f"unknown document id(s): {_name_ids(missing)}")
        return [found[i] for i in wanted]

    def all_documents(self) -> list[Document]:
        """Every stored document, in the order they were added."""
        rows = self._db.execute("SELECT json FROM documents ORDER BY rowid")
        return [Document.model_validate_json(row[0]) for row in rows]

    # events

    def upsert_event(self, event: Event) -> None:
        """Insert or update an event; its documents move to it from any other event."""
        dupes = sorted({d for d in event.doc_ids if event.doc_ids.count(d) > 1})
        if dupes:
            raise ValueError(f"event {event.id} lists document(s) more than once: {_name_ids(dupes)}")
        with self.transaction():
            missing = [d for d in event.doc_ids if not self.has_document(d)]
            if missing:
                raise KeyError(f"event {event.id} refers to unknown document id(s): {_name_ids(missing)}")
            self._db.execute(
                """INSERT INTO events (id, title, date, updated_at) VALUES (?, ?, ?, ?)
                   ON CONFLICT(id) DO UPDATE SET
                     title = excluded.title, date = excluded.date, updated_at = excluded.updated_at""",
                (event.id, event.title, event.date, _now()),
            )
            self._db.execute("DELETE FROM event_documents WHERE event_id = ?", (event.id,))
            self._db.executemany(
                """INSERT INTO event_documents (doc_id, event_id, position) VALUES (?, ?, ?)
                   ON CONFLICT(doc_id) DO UPDATE SET
                     event_id = excluded.event_id, position = excluded.position""",
                [(doc_id, event.id, pos) for pos, doc_id in enumerate(event.doc_ids)],
            )

    def _resolve_event_id(self, id_or_prefix: str) -> str | None:
        """The full id of the one event that has this id or id prefix."""
        if not id_or_prefix:
            raise ValueError("an event id or id prefix is required")
        if self._db.execute("SELECT 1 FROM events WHERE id = ?", (id_or_prefix,)).fetchone():
            return id_or_prefix
        rows = self._db.execute(
            "SELECT id FROM events WHERE substr(id, 1, ?) = ? ORDER BY id",
            (len(id_or_prefix), id_or_prefix),
        ).fetchall()
        if len(rows) > 1:
            matches = [row[0] for row in rows]
            raise ValueError(
                f"event id prefix {id_or_prefix!r} is ambiguous: it matches {len(matches)} events "
                f"({_name_ids(matches)}); give more characters"
            )
        return rows[0][0] if rows else None

    def _event(self, event_id: str, title: str, date: str | None) -> Event:
        rows = self._db.execute(
            "SELECT doc_id FROM event_documents WHERE event_id = ? ORDER BY position", (event_id,)
        )
        return Event(id=event_id, title=title, date=date, doc_ids=[row[0] for row in rows])

    def get_event(self, event_id: str) -> Event | None:
        """The event with this id or unique id prefix; ValueError when the prefix is ambiguous."""
        full = self._resolve_event_id(event_id)
        if full is None:
            return None
        title, date = self._db.execute("SELECT title, date FROM events WHERE id = ?", (full,)).fetchone()
        return self._event(full, title, date)

    def events(self) -> list[Event]:
        """All events, newest event date first (undated last)."""
        rows = self._db.execute(
            "SELECT id, title, date FROM events ORDER BY date IS NULL, date DESC, id"
        ).fetchall()
        return [self._event(event_id, title, date) for event_id, title, date in rows]

    def event_of(self, doc_id: str) -> str | None:
        row = self._db.execute("SELECT event_id FROM event_documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    # dossiers

    def save_dossier(self, dossier: Dossier) -> None:
        """Store the dossier of a stored event, replacing any earlier one."""
        event_id = dossier.event.id
        with self.transaction():
            if not self._db.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone():
                raise KeyError(f"dossier for unknown event {event_id}: store the event first")
            self._db.execute(
                """INSERT INTO dossiers (event_id, stats, json, updated_at) VALUES (?, ?, ?, ?)
                   ON CONFLICT(event_id) DO UPDATE SET
                     stats = excluded.stats, json = excluded.json, updated_at = excluded.updated_at""",
                (event_id, dossier.stats.model_dump_json(), dossier.model_dump_json(), _now()),
            )

    def get_dossier(self, event_id: str) -> Dossier | None:
        """The dossier of the event with this id or unique id prefix."""
        full = self._resolve_event_id(event_id)
        if full is None:
            return None
        row = self._db.execute("SELECT json FROM dossiers WHERE event_id = ?", (full,)).fetchone()
        return Dossier.model_validate_json(row[0]) if row else None

    def event_rows(self) -> list[EventRow]:
        """One row per event for listing, newest event date first; counts from the dossier when built."""
        rows = self._db.execute(
            """SELECT e.id, e.title, e.date, e.updated_at, d.stats, d.updated_at,
                      (SELECT count(*) FROM event_documents m WHERE m.event_id = e.id),
                      (SELECT count(DISTINCT coalesce(doc.site, doc.source))
                         FROM event_documents m JOIN documents doc ON doc.id = m.doc_id
                        WHERE m.event_id = e.id)
                 FROM events e LEFT JOIN dossiers d ON d.event_id = e.id
                ORDER BY e.date IS NULL, e.date DESC, e.id"""
        ).fetchall()
        out = []
        for event_id, title, date, event_updated, stats_json, dossier_updated, articles, outlets in rows:
            facts: int | None = None
            if stats_json is not None:
                stats = Stats.model_validate_json(stats_json)
                articles, outlets, facts = stats.articles, stats.independent_outlets, stats.facts
            updated = max(event_updated, dossier_updated or event_updated)
            out.append(
                EventRow(
                    id=event_id,
                    title=title,
                    date=date,
                    articles=articles,
                    independent_outlets=outlets,
                    facts=facts,
                    updated_at=datetime.fromisoformat(updated),
                )
            )
        return out

    # runs

    def record_run(self, report: RunRecord) -> int:
        """Log a build run; returns its run number."""
        with self.transaction():
            cur = self._db.execute(
                "INSERT INTO runs (started, finished, pages_read, processed, json) VALUES (?, ?, ?, ?, ?)",
                (
                    report.started.isoformat(),
                    report.finished.isoformat(),
                    report.pages_read,
                    report.processed,
                    report.model_dump_json(),
                ),
            )
            run_id = cur.lastrowid
        assert run_id is not None
        return run_id

    def runs(self) -> list[tuple[int, RunRecord]]:
        """Every logged run with its number, oldest first."""
        rows = self._db.execute("SELECT id, json FROM runs ORDER BY id")
        return [(run_id, RunRecord.model_validate_json(text)) for run_id, text in rows]
