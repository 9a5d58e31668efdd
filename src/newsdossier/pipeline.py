"""The ordered stages and the batch runner behind `newsdossier build`.

`process_page` is the per-page chain (clean -> dedup paragraphs -> understand): pure,
so it runs the same in the CLI, a server or a Ray worker.  `build` runs it in two
passes with what needs the whole batch and the store between and after them: site
boilerplate learned across the pages of each site (between cleaning and
understanding), near-duplicate lineage, grouping into events, one dossier per
touched event, and the rendered files.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from spacy.language import Language

from newsdossier.clean import CleanError, clean_page
from newsdossier.clean.site import remove_site_boilerplate
from newsdossier.dedup import drop_repeated_paragraphs, link_duplicates
from newsdossier.ingest import read_inputs
from newsdossier.model import Document, Dossier, RawPage, Skipped
from newsdossier.render.html import write_dossier
from newsdossier.store import RunRecord, Store
from newsdossier.stories import assign_events
from newsdossier.synthesize import make_dossier
from newsdossier.understand.analyze import DEFAULT_NER, NerBackend, load_nlp, understand, understand_many

log = logging.getLogger(__name__)
DEFAULT_MAX_PAGE_MB = 20.0
# Pages understood together (spaCy is faster on batches; a failing page is then retried alone).
UNDERSTAND_BATCH = 16


def prepare_page(page: RawPage) -> Document:
    """One page cleaned, its repeated paragraphs dropped; CleanError if it has no article."""
    return drop_repeated_paragraphs(clean_page(page))


def process_page(page: RawPage, nlp: Language | None = None) -> Document:
    """One page through clean, paragraph dedup and understanding (no site boilerplate: that needs a batch)."""
    return understand(prepare_page(page), nlp)


def _guarded(report: BuildReport, source: str, step: Callable[[], Document]) -> Document | None:
    """The step's document, or None with the page reported as skipped: one bad page must not stop the run."""
    try:
        return step()
    except CleanError as exc:
        report.skipped.append(Skipped(source=source, reason=str(exc)))
    except Exception as exc:
        log.debug("failed on %s", source, exc_info=True)
        report.skipped.append(Skipped(source=source, reason=f"internal error: {type(exc).__name__}: {exc}"))
    return None


@dataclass
class BuildReport:
    pages_read: int = 0
    processed: int = 0
    already_stored: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    dossiers: list[Dossier] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """At least one page was processed now or found already processed in the store."""
        return self.processed + self.already_stored > 0


def build(
    paths: Sequence[str | Path],
    *,
    db: str | Path,
    out_dir: str | Path,
    max_page_mb: float = DEFAULT_MAX_PAGE_MB,
    on_progress: Callable[[int, int, str], None] | None = None,
    ner: NerBackend = DEFAULT_NER,
) -> BuildReport:
    """Read `paths`, process new pages, update their events in the store, write their dossiers.

    `ner` picks the named-entity recogniser: the fast static model (default) or spaCy's own.
    """
    started = datetime.now(UTC)
    report = BuildReport()
    pages: list[RawPage] = []
    for item in read_inputs(paths, max_page_bytes=int(max_page_mb * 1024 * 1024)):
        if isinstance(item, Skipped):
            report.skipped.append(item)
        else:
            pages.append(item)
    report.pages_read = len(pages)
    out = Path(out_dir)
    with Store(db) as store:
        seen: set[str] = set()
        known_events: set[str] = set()
        cleaned: list[Document] = []
        for i, page in enumerate(pages):
            if on_progress:
                on_progress(i, len(pages), f"cleaning {page.source}")
            if page.id in seen or store.has_document(page.id):
                report.already_stored += 1
                stored_event = store.event_of(page.id)
                if stored_event:
                    known_events.add(stored_event)
                continue
            seen.add(page.id)
            doc = _guarded(report, page.source, partial(prepare_page, page))
            if doc is not None:
                cleaned.append(doc)
        stored_docs = {doc.id: doc for doc in store.all_documents()}
        sites = {doc.site for doc in cleaned if doc.site}
        cleaned = remove_site_boilerplate(cleaned, [d for d in stored_docs.values() if d.site in sites])
        nlp = load_nlp() if cleaned else None
        new_docs: list[Document] = []
        for i in range(0, len(cleaned), UNDERSTAND_BATCH):
            batch = cleaned[i : i + UNDERSTAND_BATCH]
            if on_progress:
                on_progress(i, len(cleaned), f"understanding {batch[0].source}")
            try:
                new_docs += understand_many(batch, nlp, ner=ner)
            except Exception:  # find the page that fails, keep the others
                for doc in batch:
                    understood = _guarded(report, doc.source, partial(understand, doc, nlp, ner))
                    if understood is not None:
                        new_docs.append(understood)
        if on_progress:
            on_progress(len(cleaned), len(cleaned), "")
        report.processed = len(new_docs)
        new_docs = link_duplicates(new_docs, stored_docs.values())
        existing = [(ev, [stored_docs[i] for i in ev.doc_ids]) for ev in store.events()]
        assignment = assign_events(new_docs, existing)
        with store.transaction():
            for doc in new_docs:
                store.add_document(doc)
            for event in assignment.events:
                store.upsert_event(event)
                dossier = make_dossier(event, store.get_documents(event.doc_ids))
                store.save_dossier(dossier)
                report.dossiers.append(dossier)
        for event_id in sorted(known_events - {e.id for e in assignment.events}):
            stored = store.get_dossier(event_id)
            if stored:
                report.dossiers.append(stored)
        for dossier in report.dossiers:
            write_dossier(dossier, out / dossier.event.id)
            report.outputs[dossier.event.id] = out / dossier.event.id
        store.record_run(RunRecord(
            started=started, finished=datetime.now(UTC), pages_read=report.pages_read, processed=report.processed,
            skipped=report.skipped, events_updated=[e.id for e in assignment.events],
        ))
    return report
