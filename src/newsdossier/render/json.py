"""The JSON rendering of a dossier and the JSON Schema that is its contract.

`schema/dossier.schema.json` is committed so that consumers can validate dossiers
without importing this package; regenerate it with `python -m newsdossier.render.json`
whenever model.py changes (a test fails until the file matches the model).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsdossier.model import SCHEMA_VERSION, Dossier

SCHEMA_PATH: Path = Path(__file__).resolve().parent.parent / "schema" / "dossier.schema.json"
SCHEMA_ID = f"urn:newsdossier:schema:dossier:{SCHEMA_VERSION}"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def to_json(dossier: Dossier) -> str:
    """Pretty JSON in the model's field order, so diffs between runs stay readable."""
    return dossier.model_dump_json(indent=2) + "\n"


def dossier_schema() -> dict[str, Any]:
    """The model's JSON Schema with the header that makes it a standalone, versioned contract."""
    header: dict[str, Any] = {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": "newsdossier Dossier",
        "description": (
            f"One event's dossier as written to dossier.json (schema_version {SCHEMA_VERSION}). "
            "Every citation is a doc_id plus a [start, end) character span into that document's "
            "`text`, and its quote equals text[start:end]. See docs/output.md."
        ),
    }
    body = {key: value for key, value in Dossier.model_json_schema().items() if key not in header}
    return {**header, **body}


def schema_text() -> str:
    """The exact bytes of the committed schema file, so tests can compare text, not just data."""
    return json.dumps(dossier_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path = SCHEMA_PATH) -> Path:
    """Regenerate the committed schema file from the model."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_text(), encoding="utf-8", newline="\n")
    return path


if __name__ == "__main__":
    print(write_schema())
