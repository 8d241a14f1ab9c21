"""Publish the marts as one consistent snapshot: a new DuckDB file, Parquet files and a manifest.

Everything is written under a fresh version folder first. Then the published names are switched
with atomic renames, the DuckDB file last but one and the manifest last, so a reader sees either
the previous publish or the new one, and a failed or killed run leaves the previous one intact.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.config import PROJECT_ROOT
from pipelines.publish.layout import (
    KPI_HISTORY_TABLE,
    PARQUET_LINK,
    STORAGE_VERSION,
    VERSIONS_DIR,
    manifest_file,
    marts_file,
)

HISTORY_COLUMNS = """
    publish_id varchar,
    published_at timestamp,
    metric varchar,
    period_grain varchar,
    period varchar,
    dimension varchar,
    dimension_value varchar,
    value double,
    value_prior_year double,
    yoy_growth double
"""

# Key growth rows kept in the history: every total, and the headline Vietnamese supplier slice.
HISTORY_ROWS = """
    select
        ?::varchar as publish_id,
        ?::timestamp as published_at,
        metric, period_grain, period, dimension, dimension_value,
        value::double, value_prior_year::double, yoy_growth::double
    from snapshot.kpi_growth
    where dimension = 'all' or (dimension = 'supplier_country' and dimension_value = 'VN')
"""


@dataclass(frozen=True)
class Publication:
    """What one publish wrote."""

    publish_id: str
    published_at: str
    marts_file: Path
    row_counts: dict[str, int]
    first_month: str | None
    last_month: str | None
    code_version: str | None
    data_source: str | None = None
    checks: Mapping[str, object] = field(default_factory=dict)

    def manifest(self) -> dict[str, object]:
        """The content of `_manifest.json`."""
        data = asdict(self)
        data["marts_file"] = self.marts_file.name
        return data


def code_version() -> str | None:
    """The git commit of the code, when the project is a git checkout."""
    try:
        completed = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout.strip() or None if completed.returncode == 0 else None


def mart_tables(conn: duckdb.DuckDBPyConnection, catalog: str, schema: str = "marts") -> list[str]:
    """The base tables of one schema of an attached database, in name order."""
    rows = conn.execute(
        "select table_name from information_schema.tables where table_catalog = ? "
        "and table_schema = ? and table_type = 'BASE TABLE' order by table_name",
        [catalog, schema],
    ).fetchall()
    return [row[0] for row in rows]


def _month_range(conn: duckdb.DuckDBPyConnection) -> tuple[str | None, str | None]:
    return conn.execute(
        "select min(period), max(period) from snapshot.kpi_growth where period_grain = 'month'"
    ).fetchone()


def _previous_history(marts_dir: Path) -> Path | None:
    previous = marts_file(marts_dir)
    return previous if previous.exists() else None


def _switch_symlink(link: Path, target: str) -> None:
    temporary = link.with_name(f".{link.name}.{uuid.uuid4().hex}")
    temporary.symlink_to(target)
    os.replace(temporary, link)


def _write_json_atomically(path: Path, data: Mapping[str, object]) -> None:
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    temporary.write_text(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")
    os.replace(temporary, path)


def _linked_version(link: Path) -> str | None:
    return Path(os.readlink(link)).name if link.is_symlink() else None


def _prune_versions(versions: Path, keep: set[str | None]) -> None:
    """Remove version folders other than the current and the previous one (and a killed run's)."""
    for path in versions.iterdir():
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


def publish_snapshot(
    warehouse: Path,
    marts_dir: Path,
    *,
    tables: Sequence[str] | None = None,
    checks: Mapping[str, object] | None = None,
    data_source: str | None = None,
) -> Publication:
    """Copy the warehouse's marts into a new published version and switch to it atomically."""
    published_at = datetime.now(UTC).replace(tzinfo=None)
    publish_id = published_at.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    versions = marts_dir / VERSIONS_DIR
    version_dir = versions / publish_id
    version_dir.mkdir(parents=True)
    new_file = version_dir / marts_file(marts_dir).name
    previous = _previous_history(marts_dir)
    previous_version = _linked_version(marts_dir / PARQUET_LINK)

    conn = duckdb.connect()
    try:
        conn.execute("attach ? as warehouse (read_only)", [str(warehouse)])
        conn.execute(f"attach ? as snapshot (storage_version '{STORAGE_VERSION}')", [str(new_file)])
        selected = list(tables) if tables is not None else mart_tables(conn, "warehouse")
        row_counts = {}
        for table in selected:
            conn.table(f"warehouse.marts.{table}").create(f"snapshot.main.{table}")
            copied = conn.table(f"snapshot.main.{table}")
            copied.write_parquet(str(version_dir / f"{table}.parquet"))
            row_counts[table] = len(copied)
        first_month, last_month = _month_range(conn) if "kpi_growth" in selected else (None, None)

        conn.execute(f"create table snapshot.main.{KPI_HISTORY_TABLE} ({HISTORY_COLUMNS})")
        if previous is not None:
            conn.execute("attach ? as previous (read_only)", [str(previous)])
            has_history = conn.execute(
                "select count(*) from information_schema.tables "
                "where table_catalog = 'previous' and table_name = ?",
                [KPI_HISTORY_TABLE],
            ).fetchone()[0]
            if has_history:
                conn.execute(
                    f"insert into snapshot.main.{KPI_HISTORY_TABLE} "
                    f"select * from previous.main.{KPI_HISTORY_TABLE}"
                )
            conn.execute("detach previous")
        if "kpi_growth" in selected:
            conn.execute(
                f"insert into snapshot.main.{KPI_HISTORY_TABLE} {HISTORY_ROWS}",
                [publish_id, published_at],
            )
        conn.table(f"snapshot.main.{KPI_HISTORY_TABLE}").write_parquet(
            str(version_dir / f"{KPI_HISTORY_TABLE}.parquet")
        )
        row_counts[KPI_HISTORY_TABLE] = len(conn.table(f"snapshot.main.{KPI_HISTORY_TABLE}"))
        conn.execute("detach snapshot")
        conn.execute("detach warehouse")
    except BaseException:
        conn.close()
        shutil.rmtree(version_dir, ignore_errors=True)
        raise
    conn.close()

    publication = Publication(
        publish_id=publish_id,
        published_at=published_at.isoformat(timespec="seconds") + "Z",
        marts_file=marts_file(marts_dir),
        row_counts=row_counts,
        first_month=first_month,
        last_month=last_month,
        code_version=code_version(),
        data_source=data_source,
        checks=dict(checks or {}),
    )
    _write_json_atomically(version_dir / manifest_file(marts_dir).name, publication.manifest())
    # The switch: Parquet folder, then the DuckDB file, then the manifest that describes both.
    _switch_symlink(marts_dir / PARQUET_LINK, f"{VERSIONS_DIR}/{publish_id}")
    os.replace(new_file, marts_file(marts_dir))
    _write_json_atomically(manifest_file(marts_dir), publication.manifest())
    _prune_versions(versions, keep={publish_id, previous_version})
    return publication
