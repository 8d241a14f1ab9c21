"""Names of what a publish writes under the marts dir."""

from pathlib import Path

MARTS_FILE = "marts.duckdb"
MANIFEST_FILE = "_manifest.json"
PARQUET_LINK = "parquet"
VERSIONS_DIR = ".versions"
# The one link a publish switches: marts.duckdb, parquet/ and _manifest.json all lead through it.
CURRENT_LINK = ".current"
REPORT_FILE = "report.html"
QUALITY_DIR = "quality"
KPI_HISTORY_TABLE = "kpi_history"
# The big facts: in a published marts.duckdb these are views over the version's own Parquet
# files, so a publish writes their rows once (to Parquet) instead of twice. Every other mart is
# small and stays a table in marts.duckdb. A fixed set, the rule in this one place.
PARQUET_VIEW_MARTS = frozenset({"fct_order_lines", "fct_orders"})
# DuckDB 2.0 writes storage version 69 by default; the duckdb CLI 1.5.x reads 64..68.
STORAGE_VERSION = "v1.2.0"


def marts_file(marts_dir: Path) -> Path:
    """The published DuckDB file analysts open read-only."""
    return marts_dir / MARTS_FILE


def manifest_file(marts_dir: Path) -> Path:
    """The manifest of the current publish."""
    return marts_dir / MANIFEST_FILE
