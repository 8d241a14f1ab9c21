import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.publish.snapshot import publish_snapshot

CLI = Path(sys.executable).parent / "duckdb"


def test_publish_writes_file_parquet_and_manifest(warehouse: Path, tmp_path: Path) -> None:
    marts = tmp_path / "marts"
    publication = publish_snapshot(warehouse, marts, checks={"evaluated": 3, "passed": 3})

    manifest = json.loads((marts / "_manifest.json").read_text())
    assert manifest["publish_id"] == publication.publish_id
    assert manifest["row_counts"] == {"dim_suppliers": 1, "kpi_growth": 9, "kpi_history": 8}
    assert (manifest["first_month"], manifest["last_month"]) == ("2023-01", "2023-02")
    assert manifest["checks"] == {"evaluated": 3, "passed": 3}
    assert sorted(p.name for p in (marts / "parquet").iterdir()) == [
        "_manifest.json",
        "dim_suppliers.parquet",
        "kpi_growth.parquet",
        "kpi_history.parquet",
    ]
    with duckdb.connect(str(marts / "marts.duckdb"), read_only=True) as conn:
        name = conn.execute("select supplier_name from dim_suppliers").fetchone()[0]
    assert name == "Công ty TNHH Hoàng Thanh"


def test_published_file_opens_in_the_duckdb_cli_1_5(warehouse: Path, tmp_path: Path) -> None:
    publish_snapshot(warehouse, tmp_path / "marts")
    version = subprocess.run([str(CLI), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("v1.5.")
    completed = subprocess.run(
        [str(CLI), "-readonly", "-csv", str(tmp_path / "marts" / "marts.duckdb"),
         "select round(yoy_growth, 2) from kpi_growth where period = '2023-H1' "
         "and dimension = 'all'"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines()[1] == "0.55"


def test_history_accumulates_and_old_versions_are_pruned(warehouse: Path, tmp_path: Path) -> None:
    marts = tmp_path / "marts"
    ids = [publish_snapshot(warehouse, marts).publish_id for _ in range(3)]

    with duckdb.connect(str(marts / "marts.duckdb"), read_only=True) as conn:
        counts = conn.execute(
            "select publish_id, count(*) from kpi_history group by 1 order by 1"
        ).fetchall()
    assert counts == [(publish_id, 8) for publish_id in sorted(ids)]
    assert sorted(p.name for p in (marts / ".versions").iterdir()) == sorted(ids[1:])
    assert (marts / "parquet").resolve().name == ids[2]


def test_failed_publish_leaves_the_previous_one_intact(warehouse: Path, tmp_path: Path) -> None:
    marts = tmp_path / "marts"
    first = publish_snapshot(warehouse, marts)
    before = (marts / "marts.duckdb").read_bytes()

    with pytest.raises(duckdb.CatalogException):
        publish_snapshot(warehouse, marts, tables=["kpi_growth", "no_such_mart"])

    assert (marts / "marts.duckdb").read_bytes() == before
    assert json.loads((marts / "_manifest.json").read_text())["publish_id"] == first.publish_id
    assert [p.name for p in (marts / ".versions").iterdir()] == [first.publish_id]


def test_reader_keeps_its_snapshot_while_a_run_republishes(warehouse: Path, tmp_path: Path) -> None:
    marts = tmp_path / "marts"
    publish_snapshot(warehouse, marts)
    reader = duckdb.connect(str(marts / "marts.duckdb"), read_only=True)
    query = "select value from kpi_growth where period = '2023-H1' and dimension = 'all'"
    assert reader.execute(query).fetchone()[0] == 155.0

    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("update marts.kpi_growth set value = 160 where period = '2023-H1'")
    publish_snapshot(warehouse, marts)

    assert reader.execute(query).fetchone()[0] == 155.0
    reader.close()
    with duckdb.connect(str(marts / "marts.duckdb"), read_only=True) as fresh:
        assert fresh.execute(query).fetchone()[0] == 160.0
