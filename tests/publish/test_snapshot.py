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
    assert manifest["row_counts"] == {
        "dim_suppliers": 1,
        "fct_order_lines": 30,
        "fct_orders": 10,
        "kpi_growth": 9,
        "kpi_history": 8,
    }
    assert (manifest["first_month"], manifest["last_month"]) == ("2023-01", "2023-02")
    assert manifest["checks"] == {"evaluated": 3, "passed": 3}
    assert sorted(p.name for p in (marts / "parquet").iterdir()) == [
        "_manifest.json",
        "dim_suppliers.parquet",
        "fct_order_lines.parquet",
        "fct_orders.parquet",
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


def test_the_fact_views_answer_in_the_duckdb_cli_1_5(warehouse: Path, tmp_path: Path) -> None:
    publish_snapshot(warehouse, tmp_path / "marts")
    completed = subprocess.run(
        [str(CLI), "-readonly", "-csv", str(tmp_path / "marts" / "marts.duckdb"),
         "select count(*), sum(quantity), sum(gmv_usd), typeof(sum(quantity)) from fct_orders"],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines()[1] == "10,115,543.75,HUGEINT"


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


def rows_and_types(database: Path, table: str, catalog_schema: str) -> tuple[list, list]:
    """All rows of a table or view, sorted, and its column types."""
    with duckdb.connect(str(database), read_only=True) as conn:
        relation = conn.table(f"{catalog_schema}.{table}")
        return sorted(relation.fetchall()), [str(dtype) for dtype in relation.dtypes]


def table_types(database: Path) -> dict[str, str]:
    """Each table or view of the main schema and its kind."""
    with duckdb.connect(str(database), read_only=True) as conn:
        return dict(
            conn.execute(
                "select table_name, table_type from information_schema.tables "
                "where table_schema = 'main' order by 1"
            ).fetchall()
        )


def test_big_facts_are_views_over_the_versions_parquet(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    publication = publish_snapshot(warehouse, Path("marts"))  # a relative marts dir
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    published = tmp_path / "marts" / "marts.duckdb"

    assert table_types(published) == {
        "dim_suppliers": "BASE TABLE",
        "fct_order_lines": "VIEW",
        "fct_orders": "VIEW",
        "kpi_growth": "BASE TABLE",
        "kpi_history": "BASE TABLE",
    }
    for table in ("fct_order_lines", "fct_orders", "dim_suppliers"):
        view_rows, view_types = rows_and_types(published, table, "main")
        assert (view_rows, view_types) == rows_and_types(warehouse, table, "marts")
    assert rows_and_types(published, "fct_orders", "main")[1] == [
        "VARCHAR",
        "BIGINT",
        "HUGEINT",
        "DECIMAL(38,2)",
        "TIMESTAMP WITH TIME ZONE",
    ]
    version = (tmp_path / "marts" / ".versions" / publication.publish_id).resolve()
    with duckdb.connect(str(published), read_only=True) as conn:
        [definition] = conn.execute(
            "select sql from duckdb_views() where view_name = 'fct_order_lines'"
        ).fetchone()
    assert f"read_parquet('{version}/{publication.publish_id}/fct_order_lines.parquet')" in (
        definition
    )


def test_fact_views_survive_a_republish_for_a_reader_of_the_old_file(
    warehouse: Path, tmp_path: Path
) -> None:
    marts = tmp_path / "marts"
    publish_snapshot(warehouse, marts)
    reader = duckdb.connect(str(marts / "marts.duckdb"), read_only=True)
    lines = "select count(*), sum(quantity) from fct_order_lines"
    orders = "select count(*), sum(order_lines) from fct_orders"
    assert reader.execute(lines).fetchone() == (30, 115)

    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("delete from marts.fct_order_lines where order_id = 'O0'")
        conn.execute("delete from marts.fct_orders where order_id = 'O0'")
    publish_snapshot(warehouse, marts)

    assert reader.execute(lines).fetchone() == (30, 115)
    assert reader.execute(orders).fetchone() == (10, 30)
    # The resolved path: another file than the reader's, and another key in DuckDB's cache.
    with duckdb.connect(str((marts / "marts.duckdb").resolve()), read_only=True) as fresh:
        assert fresh.execute(lines).fetchone() == (27, 109)
        assert fresh.execute(orders).fetchone() == (9, 27)

    # Two publishes later the reader's version folder is pruned: its views are gone, its
    # tables still answer (the documented rule: reopen after each publish but one).
    publish_snapshot(warehouse, marts)
    with pytest.raises(duckdb.IOException, match="fct_order_lines.parquet"):
        reader.execute(lines).fetchone()
    assert reader.execute("select count(*) from kpi_growth").fetchone() == (9,)
    reader.close()


def test_a_marts_dir_path_with_quotes_and_sql_publishes(warehouse: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "O'Brien's \"marts\"; drop table fct_orders; -- [1] *" / "marts"
    first = publish_snapshot(warehouse, hostile)
    second = publish_snapshot(warehouse, hostile)

    published = hostile / "marts.duckdb"
    assert table_types(published)["fct_order_lines"] == "VIEW"
    assert rows_and_types(published, "fct_order_lines", "main") == rows_and_types(
        warehouse, "fct_order_lines", "marts"
    )
    assert sorted(p.name for p in (hostile / ".versions").iterdir()) == sorted(
        [first.publish_id, second.publish_id]
    )
    completed = subprocess.run(
        [str(CLI), "-readonly", "-csv", str(published),
         "select count(*), max(line_number) from fct_order_lines"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines()[1] == "30,3"
