"""Active buyers from the imported files equal plain SQL on the source exports, month by month."""

from pathlib import Path

import pytest

from pipelines.imports import import_online_retail


@pytest.mark.slow
def test_active_buyers_match_plain_sql_on_the_source(
    tmp_path: Path, online_retail_files, active_buyers_sql
) -> None:
    summary = import_online_retail(online_retail_files, tmp_path / "raw")
    source = active_buyers_sql.from_source(online_retail_files[0].parent)
    raw = active_buyers_sql.from_raw(tmp_path / "raw")
    assert raw == source
    assert (len(source), min(source), max(source)) == (25, "2009-12", "2011-12")
    assert sum(lines for lines, _ in source.values()) == summary.written["orders"] == 805_256
    assert [source[f"2011-{month:02d}"][1] for month in range(1, 7)] == [
        739, 757, 973, 851, 1_053, 988
    ]  # fmt: skip
    assert [source[f"2010-{month:02d}"][1] for month in range(1, 7)] == [
        699, 771, 1_051, 938, 965, 1_034
    ]  # fmt: skip
    value, prior, growth = active_buyers_sql.half_year(raw, 2011)
    assert (value, round(prior, 4), round(growth, 6)) == (893.5, 909.6667, -0.017772)
    assert active_buyers_sql.half_year(source, 2011) == (value, prior, growth)
