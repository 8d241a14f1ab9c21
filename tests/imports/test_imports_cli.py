"""`tradepulse import online-retail` on the command line."""

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from pipelines.cli import main


def _without_seconds(text: str) -> str:
    return re.sub(r"\d+\.\d s", "#.# s", text)


@pytest.fixture
def two_exports(tmp_path: Path, export_frame) -> list[Path]:
    """A 2009-2010 style and a 2010-2011 style export that share invoice 3."""
    early = export_frame(
        [
            {"invoice": "1", "invoice_date": datetime(2010, 11, 30, 9)},
            {"invoice": "1", "stock_code": "POST"},
            {"invoice": "3", "invoice_date": datetime(2010, 12, 1, 9)},
            {"invoice": "3", "customer_id": 12000, "country": "EIRE"},
        ]
    )
    late = export_frame(
        [
            {"invoice": "3", "invoice_date": datetime(2010, 12, 1, 9)},
            {"invoice": "3", "customer_id": 12000, "country": "EIRE"},
            {"invoice": "C4", "quantity": -1},
            {"invoice": "5", "customer_id": None},
        ],
        layout="i",
    )
    paths = [tmp_path / "early.parquet", tmp_path / "late.parquet"]
    early.write_parquet(paths[0])
    late.write_parquet(paths[1])
    return paths


def test_import_prints_where_every_row_went(tmp_path: Path, two_exports, capsys) -> None:
    out = tmp_path / "raw"
    argv = ["import", "online-retail", *map(str, two_exports), "--out", str(out)]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert _without_seconds(captured.out) == (
        f"imported into {out} in #.# s\n"
        "  source rows\n"
        "    early.parquet             4\n"
        "    late.parquet              4\n"
        "    total                     8\n"
        "  removed as overlap (1 invoice also in an earlier file)\n"
        "    overlap                   2\n"
        "  excluded by rule\n"
        "    unreadable                0  a required field is missing or unreadable\n"
        "    non_product               1  "
        "stock code is no product (postage, fees, adjustments, ...)\n"
        "    guest                     1  no customer id (guest checkout)\n"
        "    unknown_country           0  the customer's country has no ISO code\n"
        "    negative_price            0  unit price below zero\n"
        "    bad_quantity              0  quantity zero, or negative outside a cancellation\n"
        "    total                     2\n"
        "  written\n"
        "    suppliers                 1 row    1 file\n"
        "    buyers                    2 rows   1 file\n"
        "    orders                    4 rows   3 files\n"
        "    of the order lines: 1 cancelled, 0 at price 0\n"
        "  check: 8 in = 2 overlap + 2 excluded + 4 written\n"
    )
    assert _without_seconds(captured.err).splitlines() == [
        "import: [1/4] reading early.parquet  #.# s",
        "import: [2/4] reading late.parquet  #.# s",
        "import: [3/4] mapping 8 rows  #.# s",
        "import: [4/4] writing 4 order lines  #.# s",
    ]
    assert sorted(p.name for p in (out / "orders").iterdir()) == [
        "2010-11.parquet",
        "2010-12.parquet",
        "2011-01.parquet",
    ]


def test_import_defaults_to_the_configured_raw_dir(tradepulse_env, two_exports, capsys) -> None:
    assert main(["import", "online-retail", *map(str, two_exports)]) == 0
    assert capsys.readouterr().out.startswith(f"imported into {tradepulse_env['raw_dir']} in ")
    assert sorted(p.name for p in tradepulse_env["raw_dir"].iterdir()) == [
        ".tradepulse-source.json",
        "buyers",
        "orders",
        "suppliers",
    ]
    note = json.loads((tradepulse_env["raw_dir"] / ".tradepulse-source.json").read_text())
    assert note["kind"] == "import"
    assert note["source"].startswith('UCI Machine Learning Repository, "Online Retail"')
    assert note["files"] == [path.name for path in two_exports]


def test_a_dir_with_data_is_refused_unless_overwrite(tmp_path: Path, two_exports, capsys) -> None:
    out = tmp_path / "raw"
    argv = ["import", "online-retail", *map(str, two_exports), "--out", str(out)]
    assert main(argv) == 0
    capsys.readouterr()
    assert main(argv) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"tradepulse import: error: {out} already holds data (buyers/buyers.parquet, "
        "orders/2010-11.parquet, orders/2010-12.parquet); choose an empty directory with --out, "
        "or pass --overwrite to replace its suppliers/, buyers/ and orders/"
    )
    assert main([*argv, "--overwrite"]) == 0
    (out / "notes.csv").write_text("mine\n")
    assert main([*argv, "--overwrite"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"tradepulse import: error: {out} holds other data (notes.csv); refusing to overwrite "
        "it, choose an empty directory with --out"
    )


def test_bad_input_exits_2_with_the_reason(tmp_path: Path, two_exports, capsys) -> None:
    missing = tmp_path / "missing.parquet"
    assert main(["import", "online-retail", str(missing), "--out", str(tmp_path / "a")]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"tradepulse import: error: {missing}: no such file; "
        "pass the path of an Online Retail export"
    )
    twice = [str(two_exports[0]), str(two_exports[0])]
    assert main(["import", "online-retail", *twice, "--out", str(tmp_path / "b")]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "tradepulse import: error: file name(s) given more than once: early.parquet; "
        "pass each export once"
    )
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_import_needs_a_source_and_files(capsys) -> None:
    with pytest.raises(SystemExit) as no_source:
        main(["import"])
    assert no_source.value.code == 2
    with pytest.raises(SystemExit) as no_files:
        main(["import", "online-retail"])
    assert no_files.value.code == 2
    assert "the following arguments are required: FILE" in capsys.readouterr().err
