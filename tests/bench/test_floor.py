"""bench/floor.sql computes what the pipeline publishes, so that bench/pipeline.py compares the
pipeline with a floor that does the same work."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import duckdb
import pytest
from polars.testing import assert_frame_equal

from pipelines.config import PROJECT_ROOT
from pipelines.generate.sample import generate_sample
from pipelines.publish.layout import marts_file

FLOOR_PY = PROJECT_ROOT / "bench" / "floor.py"
TRADEPULSE = Path(sys.executable).with_name("tradepulse")
# Published mart -> (its key, the columns the floor computes).
MARTS = {
    "kpi_growth": ("metric, period_grain, period, dimension, dimension_value", "*"),
    "supplier_performance": ("supplier_id, month_start", "*"),
    "pavilion_shortlist": (
        "shortlist_rank",
        "shortlist_rank, supplier_id, supplier_name, evaluation_month, criteria_met, "
        "t12m_orders, t12m_gmv_usd",
    ),
}


def load_floor() -> ModuleType:
    """bench/floor.py as a module (bench/ is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("bench_floor", FLOOR_PY)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_statements_are_split_and_named() -> None:
    floor = load_floor()
    script = "-- a comment; not a statement\nset a = 1;\n\n-- marts\ncreate table t as\nselect 1;\n"

    found = floor.statements(script)

    assert found == [
        "-- a comment; not a statement\nset a = 1",
        "-- marts\ncreate table t as\nselect 1",
    ]
    assert [floor._label(statement) for statement in found] == ["set a = 1", "create table t"]


@pytest.mark.slow
def test_floor_gives_the_pipelines_headline_kpis_shortlist_and_marts(
    tradepulse_env: dict[str, Path], tmp_path: Path
) -> None:
    generate_sample(tradepulse_env["raw_dir"], seed=7, order_lines=20_000)
    # In a child process, as bench/pipeline.py runs it: the code location's month partitions
    # follow the data present when it is imported, which must not leak into other tests.
    subprocess.run([str(TRADEPULSE), "run"], check=True, capture_output=True, text=True)
    floor = load_floor()
    floor_db = tmp_path / "floor.duckdb"

    computed = floor.run_floor(tradepulse_env["raw_dir"], floor_db)

    published_db = marts_file(tradepulse_env["marts_dir"])
    published = floor.FloorResult(seconds=0.0)
    with duckdb.connect(str(published_db), read_only=True) as conn:
        floor.read_figures(conn, published)
    assert computed.period == published.period == "2023-H1"
    for key in ("active_buyers/all=all", "listed_suppliers/supplier_country=VN"):
        value, prior, growth = published.headlines[key]
        assert computed.headlines[key] == pytest.approx([value, prior, growth], rel=1e-12)
        assert growth == pytest.approx(value / prior - 1, rel=1e-12)
    assert len(published.shortlist) == computed.row_counts["pavilion_shortlist"] > 0
    assert computed.shortlist == published.shortlist
    with duckdb.connect() as conn:
        conn.execute(f"attach '{published_db}' as published (read_only)")
        conn.execute(f"attach '{floor_db}' as floor (read_only)")
        for mart, (key, columns) in MARTS.items():
            expected = conn.sql(f"select {columns} from published.{mart} order by {key}").pl()
            found = conn.sql(f"select {columns} from floor.{mart} order by {key}").pl()
            assert found.height == expected.height == computed.row_counts[mart] > 0
            assert_frame_equal(found, expected, check_dtypes=False, check_exact=False, rel_tol=1e-9)
