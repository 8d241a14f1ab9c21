"""Read one raw file with polars into a frame of its rows, or say why it cannot be read."""

import io
import json
from pathlib import Path

import polars as pl

from pipelines.ingest.files import FORMATS
from pipelines.ingest.reasons import FileReason, FileRejected

_UTF8_BOM = b"\xef\xbb\xbf"
_SNIFF_BYTES = 64 * 1024


def read_source(path: Path, columns: list[str] | None = None) -> pl.DataFrame:
    """Every row of a CSV, Parquet or JSON-lines file; CSV fields stay text for the contract.

    `columns` reads only those columns (and rejects the file with `missing_column` when one is
    absent). Raises FileRejected when the file cannot be read at all.
    """
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise FileRejected(
            FileReason.UNSUPPORTED_FORMAT,
            f"unsupported file type {path.suffix or '(none)'!r}: use .csv, .parquet or .jsonl",
        )
    if kind != "parquet":
        _check_utf8_start(path)
    try:
        if kind == "parquet":
            frame = pl.read_parquet(path, columns=columns)
        elif kind == "csv":
            frame = pl.read_csv(path, infer_schema=False, columns=columns, encoding="utf8")
        else:
            frame = _read_json_lines(path)
    except pl.exceptions.ColumnNotFoundError as error:
        raise FileRejected(FileReason.MISSING_COLUMN, _first_line(error)) from error
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        raise _classify(error, path, kind) from error
    if columns is not None:
        missing = [name for name in columns if name not in frame.columns]
        if missing:
            raise FileRejected(
                FileReason.MISSING_COLUMN, f"required column(s) missing: {', '.join(missing)}"
            )
        frame = frame.select(columns)
    return frame


def _check_utf8_start(path: Path) -> None:
    """Reject UTF-16/32 and other non-UTF-8 text early: polars reads a header leniently."""
    with path.open("rb") as handle:
        start = handle.read(_SNIFF_BYTES)
    if start.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in start:
        raise FileRejected(
            FileReason.BAD_ENCODING, "the text is UTF-16 or binary, not UTF-8: save it as UTF-8"
        )
    try:
        start.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(start) - 3:  # not merely a character cut at the sniff boundary
            raise FileRejected(
                FileReason.BAD_ENCODING,
                f"not valid UTF-8 text at byte {error.start}: save the file as UTF-8",
            ) from None


def _read_json_lines(path: Path) -> pl.DataFrame:
    with path.open("rb") as handle:
        starts_with_bom = handle.read(len(_UTF8_BOM)) == _UTF8_BOM
    if starts_with_bom:
        data = io.BytesIO(path.read_bytes()[len(_UTF8_BOM) :])
        return pl.read_ndjson(data, infer_schema_length=None)
    return pl.read_ndjson(path, infer_schema_length=None)


def _classify(error: Exception, path: Path, kind: str) -> FileRejected:
    message = _first_line(error)
    lowered = message.lower()
    if "utf-8" in lowered or "utf8" in lowered:
        return FileRejected(FileReason.BAD_ENCODING, f"not valid UTF-8 text: {message}")
    if isinstance(error, pl.exceptions.NoDataError):
        return FileRejected(FileReason.UNREADABLE, f"the file is empty: {message}")
    if kind == "jsonl":
        # polars' own messages name neither the line nor the problem ("Syntax at character 37").
        return FileRejected(FileReason.UNREADABLE, _json_lines_problem(path) or message)
    if kind == "parquet":
        return FileRejected(
            FileReason.UNREADABLE, f"not a complete Parquet file (truncated or corrupt): {message}"
        )
    return FileRejected(FileReason.UNREADABLE, message)


def _json_lines_problem(path: Path) -> str | None:
    """Which line of a JSON-lines file is not a JSON object, or that the file has no line."""
    lines = 0
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if number == 1:
                line = line.removeprefix(_UTF8_BOM)
            line = line.strip()
            if not line:
                continue
            lines += 1
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                return f"line {number} is not valid JSON ({error.msg} at character {error.pos + 1})"
            except ValueError:
                return None
            if not isinstance(value, dict):
                return f"line {number} is not a JSON object: one object per line is expected"
    return None if lines else "the file is empty: no JSON lines"


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
