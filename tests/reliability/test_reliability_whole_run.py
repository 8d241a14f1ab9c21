"""A faulty delivery through the whole pipeline: bad rows quarantined, the rest published."""

from collections import Counter
from pathlib import Path

import duckdb
import polars as pl
import pytest
from reliability_helpers import query
from reliability_sample import RESENT_FILE, SUPPLIERS_FILE, VIETNAMESE_NAMES, PublishedSample

from pipelines.generate.faults import FAULT_KINDS


def rows_in_files(raw_dir: Path, entity: str) -> int:
    """Data rows in every file of an entity, counted apart from the pipeline."""
    total = 0
    for path in (raw_dir / entity).iterdir():
        if path.suffix == ".parquet":
            total += pl.read_parquet(path).height
        else:
            total += pl.read_csv(path, infer_schema=False).height
    return total


@pytest.mark.slow
@pytest.mark.case("IN-22")
def test_a_faulty_delivery_is_published_without_its_bad_rows(
    published_sample: PublishedSample,
) -> None:
    workspace, summary = published_sample.workspace, published_sample.summary
    warehouse = workspace.warehouse

    published_sample.published.assert_whole()
    # Every row read is loaded or quarantined with its reason, file by file.
    assert len(query(warehouse, "select distinct run_id from raw.load_log")) == 1
    assert query(warehouse, "select count(*) from raw.rejected_files") == [(0,)]
    totals = dict(
        (entity, (read, loaded, rejected))
        for entity, read, loaded, rejected in query(
            warehouse,
            "select entity, sum(rows_read), sum(rows_loaded), sum(rows_rejected) "
            "from raw.load_log group by 1",
        )
    )
    for entity in ("suppliers", "buyers", "orders"):
        read, loaded, rejected = totals[entity]
        assert read == rows_in_files(workspace.raw_dir, entity) == loaded + rejected
        assert query(warehouse, f"select count(*) from raw.{entity}") == [(loaded,)]
    expected = Counter()
    for kind in FAULT_KINDS:
        expected[(kind.entity, kind.reason.value)] += summary.faults[kind.name]
    found = query(
        warehouse, "select entity, reason_code, count(*) from raw.rejected_rows group by 1, 2"
    )
    assert {(entity, code): count for entity, code, count in found} == {
        key: count for key, count in expected.items() if count
    }

    marts = workspace.marts_dir / "marts.duckdb"
    # Vietnamese names with quotes, commas and newlines reach the published marts intact.
    assert query(
        marts,
        "select supplier_name from dim_suppliers where supplier_id like 'S-REL-%' order by 1",
    ) == [(name,) for name in sorted(VIETNAMESE_NAMES)]
    assert query(
        warehouse,
        "select distinct _source_file from raw.suppliers where supplier_id like 'S-REL-%'",
    ) == [(SUPPLIERS_FILE,)]
    # Lines delivered twice are published once: the later delivery's copy.
    resent = published_sample.resent
    with duckdb.connect(str(marts), read_only=True) as conn:
        lines, keys = conn.execute(
            "select count(*), count(distinct (order_id, line_number)) from fct_order_lines"
        ).fetchone()
        same_orders = conn.execute(
            "select order_id, line_number, quantity from fct_order_lines "
            "where order_id in (select unnest(?::varchar[])) order by 1, 2",
            [resent["order_id"].unique().to_list()],
        ).fetchall()
    wanted = set(resent.select("order_id", "line_number").rows())
    assert [row for row in same_orders if row[:2] in wanted] == resent.select(
        "order_id", "line_number", "quantity"
    ).rows()
    assert (
        lines
        == keys
        == query(warehouse, "select count(distinct (order_id, line_number)) from raw.orders")[0][0]
    )
    assert query(
        warehouse, "select count(*) from raw.orders where _source_file = ?", [RESENT_FILE]
    ) == [(resent.height,)]
