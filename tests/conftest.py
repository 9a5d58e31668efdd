"""Shared fixtures: the seed pages and one build of them (the build is the slow part)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from newsdossier.clean import clean_page
from newsdossier.ingest import read_inputs
from newsdossier.model import Document, Dossier, RawPage
from newsdossier.pipeline import BuildReport, build

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"


@dataclass
class SeedBuild:
    report: BuildReport
    dossier: Dossier
    out: Path
    db: Path

    def source_of(self, doc_id: str) -> str:
        return next(d.source for d in self.dossier.documents if d.id == doc_id)

    def text_of(self, doc_id: str) -> str:
        return next(d.text for d in self.dossier.documents if d.id == doc_id)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> SeedBuild:
    base = tmp_path_factory.mktemp("seedbuild")
    report = build([SEEDS], db=base / "nd.db", out_dir=base / "out")
    assert len(report.dossiers) == 1, [d.event.title for d in report.dossiers]
    return SeedBuild(report, report.dossiers[0], base / "out", base / "nd.db")


@pytest.fixture(scope="session")
def seed_docs() -> list[Document]:
    """The seed pages cleaned, not yet understood."""
    return [clean_page(p) for p in read_inputs([SEEDS]) if isinstance(p, RawPage)]
