"""The whole pipeline on the imported UCI exports: published KPIs equal plain SQL on the source."""

from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main
from pipelines.imports import import_online_retail


@pytest.mark.slow
def test_pipeline_publishes_active_buyers_equal_to_plain_sql_on_the_source(
    tradepulse_env: dict[str, Path],
    online_retail_files,
    active_buyers_sql,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import_online_retail(online_retail_files, tradepulse_env["raw_dir"])

    assert main(["run"]) == 0

    source = active_buyers_sql.from_source(online_retail_files[0].parent)
    marts = tradepulse_env["marts_dir"] / "marts.duckdb"
    with duckdb.connect(str(marts), read_only=True) as conn:
        monthly = dict(
            conn.execute(
                "select period, value from kpi_growth where metric = 'active_buyers' "
                "and period_grain = 'month' and dimension = 'all'"
            ).fetchall()
        )
        half = conn.execute(
            "select value, value_prior_year, yoy_growth from kpi_growth "
            "where metric = 'active_buyers' and period = '2011-H1' and dimension = 'all'"
        ).fetchone()
        shortlisted = conn.execute("select count(*) from pavilion_shortlist").fetchone()[0]
        history_rows = conn.execute("select count(*) from kpi_history").fetchone()[0]
    assert monthly == {month: float(buyers) for month, (_, buyers) in source.items()}
    value, prior, growth = active_buyers_sql.half_year(source, 2011)
    assert half == pytest.approx((value, prior, growth))
    assert half[0] == 893.5
    assert shortlisted == 0
    assert history_rows > 0
    printed = capsys.readouterr().out
    assert "Active buyers 2011-H1: -1.8% year on year" in printed
    assert "Listed Vietnamese suppliers 2011-H1: none in the data" in printed
    manifest = (tradepulse_env["marts_dir"] / "_manifest.json").read_text()
    assert 'UCI Machine Learning Repository, \\"Online Retail\\"' in manifest
