"""What a load tells Dagster: materialization metadata from its report."""

import json

import dagster as dg

from pipelines.ingest.prepare import MonthRange
from pipelines.ingest.report import LoadReport

_MAX_FILES_SHOWN = 50


def report_metadata(report: LoadReport, months: MonthRange | None) -> dict[str, dg.MetadataValue]:
    """Materialization metadata: files, rows read / loaded / rejected, and why."""
    metadata = {
        "files": dg.MetadataValue.int(len(report.files_read())),
        "files_by_status": dg.MetadataValue.json(report.files_by_status()),
        "files_rejected": dg.MetadataValue.int(len(report.rejected_files)),
        "rows_read": dg.MetadataValue.int(report.rows_read),
        "rows_loaded": dg.MetadataValue.int(report.rows_loaded),
        "rows_rejected": dg.MetadataValue.int(report.rows_rejected),
        "rejected_by_reason": dg.MetadataValue.json(report.rejected_by_reason()),
        "rows_replaced": dg.MetadataValue.int(report.rows_replaced),
        "per_file": dg.MetadataValue.md(_file_table(report)),
    }
    if report.rejected_files:
        metadata["rejected_files"] = dg.MetadataValue.json(
            {name: f"{file.reason}: {file.message}" for name, file in report.rejected_files.items()}
        )
    if months is not None:
        metadata["months"] = dg.MetadataValue.text(f"{months.keys[0]} .. {months.keys[-1]}")
        metadata["rows_outside_partitions"] = dg.MetadataValue.int(report.rows_outside_partitions)
    return metadata


def _file_table(report: LoadReport) -> str:
    lines = [
        "| file | month | status | read | loaded | rejected | by reason |",
        "|---|---|---|---:|---:|---:|---|",
    ]
    for log in report.logs[:_MAX_FILES_SHOWN]:
        reasons = json.dumps(log.rejected_by_reason)
        lines.append(
            f"| {log.source_file} | {log.partition_key or ''} | {log.status} | {log.rows_read:,} "
            f"| {log.rows_loaded:,} | {log.rows_rejected:,} | {reasons} |"
        )
    if len(report.logs) > _MAX_FILES_SHOWN:
        lines.append(
            f"| ... {len(report.logs) - _MAX_FILES_SHOWN} more in raw.load_log | | | | | | |"
        )
    return "\n".join(lines)
