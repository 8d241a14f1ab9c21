"""Where the raw data came from: a hidden note in the raw dir, written by the generator or an
importer, read by freshness checks (a sample is judged against its own last month) and by the
publish step (the manifest and the report credit the source)."""

from __future__ import annotations

import json
from pathlib import Path

PROVENANCE_FILE = ".tradepulse-source.json"


def write_provenance(raw_dir: Path, *, kind: str, source: str, **details: object) -> Path:
    """Record the kind ('sample' or 'import'), a one-line source and its details."""
    path = raw_dir / PROVENANCE_FILE
    note = {"kind": kind, "source": source, **details}
    path.write_text(json.dumps(note, default=str, indent=2, sort_keys=True) + "\n")
    return path


def read_provenance(raw_dir: Path) -> dict[str, object] | None:
    """The note in `raw_dir`, or None when the files were dropped there by hand."""
    path = raw_dir / PROVENANCE_FILE
    return json.loads(path.read_text()) if path.exists() else None
