"""generate_sample: files, determinism, arguments and the output directory."""

import hashlib
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pipelines.contract import BUYERS, ORDERS, SUPPLIERS
from pipelines.errors import TradePulseError
from pipelines.generate import generate_sample


def _digests(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*.parquet"))
    }


def test_same_arguments_give_byte_identical_files(tmp_path: Path) -> None:
    first = generate_sample(tmp_path / "a", seed=3, order_lines=20_000, faults=0.01)
    second = generate_sample(tmp_path / "b", seed=3, order_lines=20_000, faults=0.01)
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    assert len(_digests(tmp_path / "a")) == 48
    assert (first.rows, first.faults) == (second.rows, second.faults)


def test_another_seed_gives_other_files(tmp_path: Path) -> None:
    generate_sample(tmp_path / "a", seed=1, order_lines=10_000)
    generate_sample(tmp_path / "b", seed=2, order_lines=10_000)
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert a.keys() == b.keys()
    assert sum(a[name] == b[name] for name in a) == 0


def test_files_rows_and_schemas(tmp_path: Path) -> None:
    seen = []
    summary = generate_sample(
        tmp_path / "raw",
        order_lines=10_000,
        start=date(2022, 11, 15),
        end=date(2023, 2, 10),
        progress=lambda stage, done, total: seen.append((stage, done, total)),
    )
    names = [str(path.relative_to(tmp_path / "raw")) for path in summary.files]
    assert names == [
        "suppliers/suppliers.parquet",
        "buyers/buyers.parquet",
        "orders/2022-11.parquet",
        "orders/2022-12.parquet",
        "orders/2023-01.parquet",
        "orders/2023-02.parquet",
    ]
    assert seen == [
        ("suppliers", 0, 1),
        ("suppliers", 1, 1),
        ("buyers", 0, 1),
        ("buyers", 1, 1),
        *[("orders", done, 4) for done in range(5)],
    ]
    assert summary.rows["orders"] == 10_000
    assert not summary.calibrated
    assert summary.fault_rows == 0
    orders = pl.read_parquet(tmp_path / "raw" / "orders" / "*.parquet")
    assert orders.schema == ORDERS.schema
    assert pl.read_parquet(summary.files[0]).schema == SUPPLIERS.schema
    assert pl.read_parquet(summary.files[1]).schema == BUYERS.schema
    ordered = orders["ordered_at"]
    assert (ordered.min().date(), ordered.max().date()) == (date(2022, 11, 15), date(2023, 2, 10))
    per_month = orders.group_by(pl.col("ordered_at").dt.strftime("%Y-%m").alias("month")).len()
    # Partial months get their share of the activity.
    assert per_month.sort("month").rows() == [
        ("2022-11", 1918),
        ("2022-12", 3342),
        ("2023-01", 3522),
        ("2023-02", 1218),
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"seed": -1}, "--seed must be 0 or more, not -1"),
        ({"order_lines": 999}, "--order-lines must be between 10,000 and 50,000,000, not 999"),
        ({"order_lines": -5}, "--order-lines must be between 10,000 and 50,000,000, not -5"),
        (
            {"start": date(2023, 1, 1), "end": date(2022, 1, 1)},
            "--end 2022-01-01 is before --start 2023-01-01; swap them",
        ),
        (
            {"end": date(2024, 3, 31)},
            "the sample must lie within 2012-01-01 .. 2023-12-31 (the span of the FX seed and "
            "supplier history), not 2020-01-01 .. 2024-03-31",
        ),
        ({"faults": 0.7}, "--faults is a share of rows between 0 and 0.5"),
    ],
)
def test_bad_arguments_are_actionable_errors(tmp_path: Path, arguments, message) -> None:
    with pytest.raises(TradePulseError) as error:
        generate_sample(tmp_path / "raw", **{"order_lines": 10_000, **arguments})
    assert str(error.value) == message
    assert not (tmp_path / "raw").exists()


def test_a_directory_with_data_is_refused_unless_overwriting_a_sample(tmp_path: Path) -> None:
    out = tmp_path / "raw"
    generate_sample(out, seed=1, order_lines=10_000)
    with pytest.raises(TradePulseError) as error:
        generate_sample(out, seed=2, order_lines=10_000)
    assert str(error.value) == (
        f"{out} already holds data (buyers/buyers.parquet, orders/2020-01.parquet, "
        "orders/2020-02.parquet); choose an empty directory with --out, or pass --overwrite to "
        "replace its suppliers/, buyers/ and orders/"
    )
    summary = generate_sample(
        out, seed=2, order_lines=10_000, end=date(2022, 12, 31), overwrite=True
    )
    assert len(list((out / "orders").iterdir())) == 36
    assert summary.rows["orders"] == 10_000

    (out / "notes.txt").write_text("mine")
    with pytest.raises(TradePulseError) as error:
        generate_sample(out, order_lines=10_000, overwrite=True)
    assert str(error.value) == (
        f"{out} holds other data (notes.txt); refusing to overwrite it, choose an empty "
        "directory with --out"
    )
    assert (out / "notes.txt").read_text() == "mine"


def test_readmes_hidden_files_and_empty_folders_are_not_data(tmp_path: Path) -> None:
    out = tmp_path / "raw"
    (out / "orders").mkdir(parents=True)
    (out / ".gitkeep").write_text("")
    (out / "README.md").write_text("drop exports here")
    assert generate_sample(out, order_lines=10_000).rows["orders"] == 10_000
    assert (out / "README.md").read_text() == "drop exports here"
    assert len(list((out / "orders").iterdir())) == 46
    (tmp_path / "file").write_text("x")
    with pytest.raises(TradePulseError, match="file is a file; --out must name a directory"):
        generate_sample(tmp_path / "file", order_lines=10_000)
