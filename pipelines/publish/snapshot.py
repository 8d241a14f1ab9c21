"""Publish the marts as one consistent snapshot: a new DuckDB file, Parquet files and a manifest.

Everything is written under a fresh version folder first: `.versions/<id>/marts.duckdb` and the
Parquet files with their manifest in `.versions/<id>/<id>/` (named by the publish, so that
`parquet/` resolves to a folder named after it). The published names are links through one link,
`.current`, which one atomic rename switches to the new version:

    marts.duckdb   -> .current/marts.duckdb
    parquet        -> .current/parquet          (.versions/<id>/parquet -> <id>)
    _manifest.json -> .current/parquet/_manifest.json
    .current       -> .versions/<id>

So a reader sees either the previous publish or the new one, whole, and a failed or killed run
leaves the previous one intact; the next publish removes what a killed one left behind.

Each mart is written to Parquet once, straight from the warehouse. The big facts
(PARQUET_VIEW_MARTS) are views in marts.duckdb over their Parquet file in the same version
folder, by absolute path; the other marts are tables. A connection opened on a publish reads
its views' files as long as that version folder exists, so pruning keeps the current version
and the one before it: a reader that opened the previous publish keeps complete data through
the next publish, and must reopen before the one after (its tables still answer; its views
then fail with "No files found").
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.config import PROJECT_ROOT, duckdb_config
from pipelines.publish.layout import (
    CURRENT_LINK,
    KPI_HISTORY_TABLE,
    MANIFEST_FILE,
    MARTS_FILE,
    PARQUET_LINK,
    PARQUET_VIEW_MARTS,
    STORAGE_VERSION,
    VERSIONS_DIR,
    marts_file,
)
from pipelines.publish.parquet import column_types, create_parquet_view, write_parquet
from pipelines.sql_text import identifier

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

# The published names and where they lead, all through CURRENT_LINK.
PUBLISHED_LINKS = {
    MARTS_FILE: f"{CURRENT_LINK}/{MARTS_FILE}",
    PARQUET_LINK: f"{CURRENT_LINK}/{PARQUET_LINK}",
    MANIFEST_FILE: f"{CURRENT_LINK}/{PARQUET_LINK}/{MANIFEST_FILE}",
}
# What `_switch_symlink` and `_write_json_atomically` leave behind when killed mid-way.
_TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{32}$")


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


def _current_version(marts_dir: Path) -> str | None:
    """The publish id the marts dir shows now (before this layout: the one parquet/ links to)."""
    for link in (marts_dir / CURRENT_LINK, marts_dir / PARQUET_LINK):
        if link.is_symlink():
            return Path(os.readlink(link)).name
    return None


def _link_published_names(marts_dir: Path) -> None:
    """Make marts.duckdb, parquet and _manifest.json the links through CURRENT_LINK.

    Already so after the first publish; a marts dir of the layout before gets them here.
    """
    for name, target in PUBLISHED_LINKS.items():
        path = marts_dir / name
        if not (path.is_symlink() and os.readlink(path) == target):
            _switch_symlink(path, target)


def _prune_versions(marts_dir: Path, keep: set[str | None]) -> None:
    """Remove version folders other than the current and the previous one (and a killed run's).

    The previous one stays because a reader holding its marts.duckdb reads its views' Parquet.

    Also removes the temporary names a killed publish left in the marts dir.
    """
    for path in (marts_dir / VERSIONS_DIR).iterdir():
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
    for path in marts_dir.iterdir():
        if _TEMPORARY.match(path.name):
            path.unlink(missing_ok=True)


def publish_snapshot(
    warehouse: Path,
    marts_dir: Path,
    *,
    tables: Sequence[str] | None = None,
    checks: Mapping[str, object] | None = None,
    data_source: str | None = None,
) -> Publication:
    """Publish the warehouse's marts as a new version and switch to it atomically.

    Each mart is written once to Parquet, straight from the warehouse. In the version's
    marts.duckdb the marts of PARQUET_VIEW_MARTS are views over those files, the others tables.
    """
    published_at = datetime.now(UTC).replace(tzinfo=None)
    publish_id = published_at.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    version_dir = marts_dir / VERSIONS_DIR / publish_id
    (version_dir / publish_id).mkdir(parents=True)
    # Absolute, so the views in marts.duckdb find their files from any working directory.
    parquet_dir = (version_dir / publish_id).resolve()
    new_file = version_dir / MARTS_FILE
    previous = _previous_history(marts_dir)
    previous_version = _current_version(marts_dir)

    # In memory: spill (past the memory cap) beside the warehouse, not in the working directory.
    conn = duckdb.connect(config=duckdb_config(temp_directory=f"{warehouse}.publish.tmp"))
    try:
        conn.execute("attach ? as warehouse (read_only)", [str(warehouse)])
        conn.execute(f"attach ? as snapshot (storage_version '{STORAGE_VERSION}')", [str(new_file)])
        selected = list(tables) if tables is not None else mart_tables(conn, "warehouse")
        row_counts = {}
        for table in selected:
            source = f"warehouse.marts.{identifier(table)}"
            parquet = parquet_dir / f"{table}.parquet"
            row_counts[table] = write_parquet(conn, f"select * from {source}", parquet)
            target = f"snapshot.main.{identifier(table)}"
            if table in PARQUET_VIEW_MARTS:
                types = column_types(conn, "warehouse", "marts", table)
                create_parquet_view(conn, target, parquet, types)
            else:
                conn.execute(f"create table {target} as select * from {source}")
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
        row_counts[KPI_HISTORY_TABLE] = write_parquet(
            conn,
            f"select * from snapshot.main.{KPI_HISTORY_TABLE}",
            parquet_dir / f"{KPI_HISTORY_TABLE}.parquet",
        )
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
    _write_json_atomically(parquet_dir / MANIFEST_FILE, publication.manifest())
    (version_dir / PARQUET_LINK).symlink_to(publish_id)
    # The switch: one rename moves marts.duckdb, parquet/ and _manifest.json together.
    _switch_symlink(marts_dir / CURRENT_LINK, f"{VERSIONS_DIR}/{publish_id}")
    _link_published_names(marts_dir)
    _prune_versions(marts_dir, keep={publish_id, previous_version})
    return publication
