import json
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.publish.snapshot import publish_snapshot


@pytest.fixture
def published(warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    marts = tmp_path / "marts"
    publish_snapshot(warehouse, marts)
    monkeypatch.setenv("TRADEPULSE_MARTS_DIR", str(marts))
    return marts


HEADLINE = ["kpi", "--metric", "listed_suppliers", "--period", "2023-H1",
            "--dimension", "supplier_country", "--value", "VN"]  # fmt: skip


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (
            "csv",
            "metric,period,dimension,dimension_value,value,value_prior_year,yoy_growth,"
            "is_complete_period\nlisted_suppliers,2023-H1,supplier_country,VN,62.0,50.0,0.24,True",
        ),
        (
            "markdown",
            "| metric | period | dimension | dimension_value | value | value_prior_year | "
            "yoy_growth | is_complete_period |\n|---|---|---|---|---|---|---|---|\n"
            "| listed_suppliers | 2023-H1 | supplier_country | VN | 62.00 | 50.00 | +24.0% "
            "| True |",
        ),
    ],
)
def test_headline_row_in_each_text_format(
    published: Path, capsys: pytest.CaptureFixture[str], fmt: str, expected: str
) -> None:
    assert main([*HEADLINE, "--format", fmt]) == 0
    assert capsys.readouterr().out.strip() == expected


def test_headline_row_as_json_and_table(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["kpi", "--metric", "active_buyers", "--period", "2023-H1"]
    assert main([*args, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {
            "metric": "active_buyers", "period": "2023-H1", "dimension": "all",
            "dimension_value": "all", "value": 155.0, "value_prior_year": 100.0,
            "yoy_growth": 0.55, "is_complete_period": True,
        }
    ]  # fmt: skip
    assert main(args) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == [
        "metric", "period", "dimension", "dimension_value", "value", "value_prior_year",
        "yoy_growth", "is_complete_period",
    ]  # fmt: skip
    assert table[2].split() == [
        "active_buyers", "2023-H1", "all", "all", "155.00", "100.00", "+55.0%", "True"
    ]  # fmt: skip


def test_list_shows_what_is_available(published: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kpi", "--list", "--format", "json"]) == 0
    choices = json.loads(capsys.readouterr().out)
    assert choices["metrics"] == ["active_buyers", "listed_suppliers"]
    assert choices["dimensions"] == ["all", "supplier_country"]
    assert choices["periods"] == ["2022-H1", "2023-01", "2023-02", "2023-H1", "2023-H2"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--metric", "buyers", "--period", "2023-H1"],
         "unknown metric 'buyers'; valid: active_buyers, listed_suppliers"),
        (["--metric", "active_buyers", "--period", "2023-H3"],
         "malformed period '2023-H3'; use YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn"),
        (["--metric", "active_buyers", "--period", "2021-H1"],
         "unknown period '2021-H1'; valid: 2022-H1, 2023-01, 2023-02, 2023-H1, 2023-H2"),
        (["--metric", "listed_suppliers", "--period", "2023-H1", "--dimension",
          "supplier_country", "--value", "VN' or 1=1 --"],
         "unknown value of supplier_country \"VN' or 1=1 --\"; valid: CN, VN"),
        (["--metric", "active_buyers; drop table kpi_growth", "--period", "2023-H1"],
         "unknown metric 'active_buyers; drop table kpi_growth'"),
        (["--metric", "active_buyers"], "--metric and --period are required"),
    ],
)  # fmt: skip
def test_bad_requests_get_a_clear_error(
    published: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["kpi", *args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_missing_publish_says_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRADEPULSE_MARTS_DIR", str(tmp_path / "nothing"))
    assert main(["kpi", "--list"]) == 2
    assert "run `tradepulse run` (or `make run`) first" in capsys.readouterr().err


def test_diff_shows_restated_figures(
    warehouse: Path, published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import duckdb

    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            "update marts.kpi_growth set value = 156, yoy_growth = 0.56 "
            "where period = '2023-H1' and dimension = 'all'"
        )
    publish_snapshot(warehouse, published)

    assert main(["kpi", "diff", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("changes from publish ") and lines[0].endswith(": 1 row(s)")
    assert lines[2] == "active_buyers,2023-H1,all,all,155.0,156.0,0.55,0.56"
